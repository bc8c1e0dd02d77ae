"""``WebChatAdapter``: the local web chat, wired together for the composition root."""

from __future__ import annotations

from aiohttp import web

from adapters.web.app import Routes
from adapters.web.chrome import Chrome
from adapters.web.hub import Hub
from adapters.web.inbound import Dispatcher
from adapters.web.messenger import WebMessenger
from adapters.web.personas import Personas
from adapters.web.present import Presenter
from adapters.web.store import Conversations
from bot.attachments.policy import Limits
from bot.ports import Handler
from bot.settings import Settings


def configured_channels(settings: Settings) -> list[str]:
    """The web chat's team channels the configuration names: where newcomers are welcomed
    and where reminders, results and trends are posted."""
    posts = [*settings.reminders, settings.results, settings.trends]
    places = [*settings.onboarding, *(post for post in posts if post is not None)]
    return [place.channel for place in places if place.platform == "web"]


class WebChatAdapter:
    """Three panes on one page (a staff chat, the coordinator channel, the team channels).

    ``messenger`` is what the core sends through; ``mount`` adds the page and its routes.
    """

    def __init__(self, settings: Settings, handler: Handler) -> None:
        chrome = Chrome(settings.language)
        personas = Personas(settings.web_coordinators, chrome)
        self.conversations = Conversations(configured_channels(settings))
        self.messenger = WebMessenger(
            self.conversations, settings.web_coordinators, chrome("earlier_message")
        )
        self.hub = Hub()
        presenter = Presenter(chrome, personas)
        self.conversations.listen(lambda change: self.hub.publish(presenter.change(change)))
        dispatcher = Dispatcher(self.conversations, personas, handler, chrome)
        limits = Limits.of_mb(settings.attachment_max_mb)
        self._routes = Routes(
            dispatcher, self.conversations, presenter, self.hub, chrome, personas, limits
        )

    def mount(self, app: web.Application) -> None:
        self._routes.add_to(app)

"""``WebChatAdapter``: the web chat, wired together for the composition root: its
conversations (kept through the ``WebHistory`` port), its messenger and the demo's page."""

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
from bot.ports import Handler, WebHistory
from bot.settings import ConfigError, Settings


def configured_channels(settings: Settings) -> list[str]:
    """The web chat's team channels the configuration names: where newcomers are welcomed
    and where reminders, results and trends are posted."""
    posts = [*settings.reminders, settings.results, settings.trends]
    places = [*settings.onboarding, *(post for post in posts if post is not None)]
    return [place.channel for place in places if place.platform == "web"]


def confidants(settings: Settings) -> list[tuple[str, str]]:
    """The vertrouwenspersoon's people in the web chat (id, name: the first has theirs).

    Their reports arrive in a personal chat: a web chat channel is open to anyone who
    joins it, so one named for them would show their reports to others."""
    confidant = settings.confidant
    place = confidant.place("web") if confidant else None
    if confidant is None or place is None:
        return []
    if place.channel:
        raise ConfigError(
            "[confidant] web.channel: the web chat has no private channels. Leave it out; "
            "reports to the vertrouwenspersoon then arrive in the personal chat of the "
            "first person named."
        )
    return [(user_id, confidant.name if i == 0 else "") for i, user_id in enumerate(place.people)]


class WebChatAdapter:
    """Three panes on one page (a staff chat, the coordinator channel, the team channels).

    ``messenger`` is what the core sends through and ``conversations`` what the staff page
    shows too; ``start`` loads what was kept; ``mount`` adds the local demo's page.
    """

    def __init__(
        self, settings: Settings, handler: Handler, history: WebHistory | None = None
    ) -> None:
        chrome = Chrome(settings.language)
        personas = Personas(settings.web_coordinators, chrome, confidants(settings))
        self.conversations = Conversations(configured_channels(settings), history)
        # The demo's coordinators only while the demo is on: on the staff page alone
        # nobody is a coordinator by a web id (coordinators sign in to the console).
        coordinators = settings.web_coordinators if settings.web_chat_enabled else []
        self.messenger = WebMessenger(self.conversations, coordinators, chrome("earlier_message"))
        self.hub = Hub()
        presenter = Presenter(chrome, personas)
        self.conversations.listen(lambda change: self.hub.publish(presenter.change(change)))
        dispatcher = Dispatcher(self.conversations, personas, handler, chrome)
        limits = Limits.of_mb(settings.attachment_max_mb)
        self._routes = Routes(
            dispatcher, self.conversations, presenter, self.hub, chrome, personas, limits
        )

    async def start(self) -> None:
        await self.conversations.load()

    async def drain(self) -> None:
        """Nothing waits: a web chat request is answered once it is handled."""

    async def stop(self) -> None:
        """Nothing to let go: every change was committed when it was made."""

    def mount(self, app: web.Application) -> None:
        self._routes.add_to(app)

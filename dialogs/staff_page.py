"""The way from a chat's anonymous route to meldbot's own reporting page.

In Slack and Teams anonymity has a limit: the platform keeps the chat, and its admins can
export it (``what_stays_visible`` says so). The reporting page needs no sign-in and no
platform, so next to each anonymous route in the chat it is offered as the truly anonymous
way, when the organisation has it switched on.
"""

from __future__ import annotations

from bot.events import Actor, Platform
from bot.i18n import Translator
from bot.ui import Actions, Block, LinkButton, Note

START = ""  # the page's start, where the person chooses
ANONYMOUS_REPORT = "/anoniem"
CONSULTATION = "/overleggen"


def offered_to(actor: Actor, staff_page_url: str | None) -> str | None:
    """The page's address for this person; None for someone already on its anonymous side."""
    return None if actor.ephemeral else staff_page_url


def page_button(t: Translator, staff_page_url: str | None, path: str) -> list[LinkButton]:
    """The link button to the page's ``path``; none when the page is off."""
    if staff_page_url is None:
        return []
    return [LinkButton(t("Truly anonymous? Use the reporting page"), staff_page_url + path)]


def page_offer(
    t: Translator, platform: Platform, staff_page_url: str | None, path: str
) -> list[Block]:
    """What a chat's anonymous form says about the page, under its honest note."""
    button = page_button(t, staff_page_url, path)
    if not button:
        return []
    return [Note(_what_the_page_changes(platform, t)), Actions(button)]


def _what_the_page_changes(platform: Platform, t: Translator) -> str:
    match platform:
        case "slack":
            return t(
                "On the reporting page you do not sign in, and what you write there does not "
                "go through Slack. Slack may see that you open the page."
            )
        case "teams":
            return t(
                "On the reporting page you do not sign in, and what you write there does not "
                "go through Teams. Microsoft 365 may see that you open the page."
            )
        case "web":
            return t(
                "On the reporting page you do not sign in, and what you write there does not "
                "go through this chat."
            )

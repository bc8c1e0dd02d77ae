"""How much of a case a coordinators' chat may show: the ``channel_content`` setting.

Slack and Teams keep a copy of everything posted there, on a third party's servers, and
the Dutch government's DPIA on Teams forbids sensitive personal data there without the
organisation's own keys. So by default (``"minimal"``) what meldbot posts to a Slack or
Teams channel, thread or personal chat of a coordinator carries only the reference,
category, urgency, status, handler, clocks and buttons, and says *that* something
happened, with a button that opens the case in meldbot. ``"full"`` posts the content
there as well. The local web chat is meldbot's own surface and always shows it all.
What goes *to the reporter* is theirs and is not affected.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, Protocol
from urllib.parse import quote

from bot.events import Platform
from bot.i18n import Translator
from bot.ui import LinkButton

ChannelContent = Literal["minimal", "full"]
OWN_SURFACES: frozenset[Platform] = frozenset({"web"})
CASE_PAGE = "/console/zaken/"
CONSULTATION_PAGE = "/console/overleg/"


class ChannelSettings(Protocol):
    """The two settings this needs (``Settings`` has them)."""

    @property
    def channel_content(self) -> ChannelContent: ...

    @property
    def public_url(self) -> str: ...


@dataclass(frozen=True, slots=True)
class Detail:
    """What a view may show where it goes: ``content`` (the narrative, location, names,
    texts and files) or only the case's handling, and where meldbot's own pages are."""

    content: bool
    public_url: str

    def case_url(self, reference: str) -> str:
        return f"{self.public_url.rstrip('/')}{CASE_PAGE}{quote(reference, safe='')}"

    def consultation_url(self, consultation_id: int) -> str:
        # By number, not by pseudonym: a page address ends up in access logs.
        return f"{self.public_url.rstrip('/')}{CONSULTATION_PAGE}{consultation_id}"

    def open_case(self, t: Translator, reference: str) -> LinkButton:
        return LinkButton(t("Open in meldbot"), self.case_url(reference))

    def open_consultation(self, t: Translator, consultation_id: int) -> LinkButton:
        return LinkButton(t("Open in meldbot"), self.consultation_url(consultation_id))


def detail_on(platform: Platform, settings: ChannelSettings) -> Detail:
    """The detail for a message that goes to ``platform``."""
    content = platform in OWN_SURFACES or settings.channel_content == "full"
    return Detail(content, settings.public_url)

"""How a letter reaches the manager's chat: the .docx itself only when the organisation
lets Slack and Teams carry content (``channel_content = "full"``), else a link to the case
page, where the letter is drafted and downloaded (and that download is audited)."""

from __future__ import annotations

from typing import Literal

from bot.case.detail import ChannelContent

LetterForm = Literal["file", "link"]


def form_for_manager(channel_content: ChannelContent) -> LetterForm:
    return "file" if channel_content == "full" else "link"

"""The page itself: index.html filled in with the wording and personas, and its assets."""

from __future__ import annotations

import json
from collections.abc import Sequence
from importlib.resources import files
from string import Template

from adapters.web.chrome import Chrome
from adapters.web.forms import counter
from adapters.web.inbound import TEXT_LIMITS
from adapters.web.personas import PANES, Pane, Personas
from adapters.web.render import e
from bot.attachments.models import FileKind
from bot.attachments.policy import Limits
from bot.attachments.views import size_text

STATIC = files("adapters.web") / "static"
ASSETS = {
    "app.js": "text/javascript",
    "answers.js": "text/javascript",
    "counter.js": "text/javascript",
    "files.js": "text/javascript",
    "style.css": "text/css",
}
# What the file picker offers: the kinds meldbot takes (HEIC by extension too: browsers
# often know no type for it).
FILE_ACCEPT = ",".join([*(kind.content_type for kind in FileKind), "image/heif", ".heic", ".heif"])


def asset(name: str) -> bytes:
    return (STATIC / name).read_bytes()


def _options(personas: Personas, pane: Pane, chrome: Chrome) -> str:
    groups: dict[str, list[str]] = {}
    for person in personas.for_pane(pane):
        groups.setdefault(person.group, []).append(
            f'<option value="{e(person.id)}">{e(person.label)}</option>'
        )
    if len(groups) == 1:
        return "".join(next(iter(groups.values())))
    return "".join(
        f'<optgroup label="{e(chrome("group_" + group))}">{"".join(options)}</optgroup>'
        for group, options in groups.items()
    )


def _channel_options(chrome: Chrome, channels: Sequence[str]) -> str:
    return "".join(
        f'<option value="{e(name)}">{e(chrome.channel(name))}</option>' for name in channels
    )


def _client_data(chrome: Chrome) -> str:
    """The browser's wording (and the limit of a reply in a thread, whose composer it
    builds) as a JSON data island; ``<`` escaped so it cannot end the tag."""
    data = {"labels": chrome.client(), "limits": {"thread": TEXT_LIMITS["coordinators"]}}
    text = json.dumps(data, ensure_ascii=False)
    return text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")


def index(
    chrome: Chrome, personas: Personas, channels: Sequence[str], limits: Limits | None = None
) -> str:
    template = Template((STATIC / "index.html").read_text(encoding="utf-8"))
    values = {key: e(chrome(key)) for key in _PAGE_KEYS}
    values.update(_file_values(chrome, limits or Limits()))
    values.update({f"personas_{pane}": _options(personas, pane, chrome) for pane in PANES})
    values["channels_team"] = _channel_options(chrome, channels)
    values["lang"] = chrome.language
    values["client_data"] = _client_data(chrome)
    for pane in ("chat", "team"):
        values[f"count_{pane}"] = counter(f"composer-{pane}-text", TEXT_LIMITS[pane], chrome)
    return template.substitute(values)


def _file_values(chrome: Chrome, limits: Limits) -> dict[str, str]:
    """The file picker of the chat composer: its label, its hint with the limits."""
    size = size_text(limits.max_bytes, chrome.language)
    return {
        "attach_files": e(chrome("attach_files")),
        "files_chosen": e(chrome("files_chosen")),
        "files_hint": e(chrome("files_hint", limit=size, count=limits.max_files)),
        "file_accept": e(FILE_ACCEPT),
    }


_PAGE_KEYS = (
    "page_title",
    "demo_badge",
    "to_console",
    "page_intro",
    "skip_to_chat",
    "chat_title",
    "coordinators_title",
    "team_title",
    "channel_label",
    "join",
    "persona_label",
    "composer_chat",
    "composer_channel",
    "composer_hint",
    "send",
    "messages",
    "cases",
    "connecting",
)

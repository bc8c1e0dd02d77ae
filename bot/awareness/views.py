"""What an awareness reminder looks like in a team channel: neutral UI, rendered by adapters."""

from __future__ import annotations

from bot.awareness.library import Item, fill, people, url_of
from bot.i18n import Translator
from bot.settings import Settings
from bot.ui import Actions, Block, Button, Heading, Link, Message, Note, Person, Text


def reminder(item: Item, settings: Settings, t: Translator) -> Message:
    """The item, then the two ways in: pressing a button in a channel opens a form for
    that person only, so nobody in the channel sees who reports or asks."""
    heading = fill(item.heading.pick(t.language), settings)
    blocks: list[Block] = [Heading(heading), Text.of(fill(item.text.pick(t.language), settings))]
    for contact in people(item, settings):
        blocks.append(Person(contact.name, contact.role, contact.photo_url, contact.phone))
        if contact.email:
            blocks.append(Note(contact.email))
    url = url_of(item, settings.awareness_links)
    if url is not None and item.link_label is not None:
        blocks.append(Text.of(Link(url, item.link_label.pick(t.language))))
    blocks.append(
        Actions(
            [
                Button(t("Report"), "report.start", style="primary"),
                Button(t("In doubt? Consult anonymously"), "consult.start"),
            ]
        )
    )
    return Message(summary=heading, blocks=blocks)

"""Showing a case's files to its coordinators: re-uploaded into the case thread, or
(``channel_content = "minimal"``) a note there that opens the case in meldbot.

Where a platform cannot show a file (Teams: only small inline images; the web chat: no
HEIC), the thread gets a note that the file is stored with the case instead: the file is
never lost, and a refusal that will not change is never retried.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from bot.attachments import views
from bot.attachments.models import StoredFile
from bot.case.detail import ChannelSettings, Detail, detail_on
from bot.case.models import Case
from bot.events import Platform
from bot.i18n import Translator, translator
from bot.notifications import case_thread
from bot.ports import DeliveryError, Messenger, Notification, Storage

log = logging.getLogger(__name__)


@dataclass(slots=True)
class AttachmentDelivery:
    storage: Storage
    messenger: Callable[[Platform], Messenger]  # raises a permanent DeliveryError if absent
    language: str
    channels: ChannelSettings

    async def send(self, notification: Notification) -> None:
        async with self.storage.transaction() as tx:
            case = await tx.cases.get(notification.case_id or 0)
            file = await tx.attachments.get(notification.attachment_id or 0)
        if case is None or file is None or file.case_id != case.id:
            raise DeliveryError("the case or its attachment no longer exists", permanent=True)
        messenger = self.messenger(case.coordination_platform)
        detail = detail_on(messenger.platform, self.channels)
        await show(messenger, case, file, translator(self.language), detail)


async def show(
    messenger: Messenger, case: Case, file: StoredFile, t: Translator, detail: Detail
) -> None:
    """The one place that decides where coordinators see a file: in the case thread, or
    (without ``detail.content``) in meldbot, which a note in the thread opens."""
    thread = case_thread(case)
    if not detail.content:
        await messenger.send(thread, views.in_meldbot_note(case.reference, t, detail))
        return
    try:
        await messenger.upload(
            thread,
            file.name,
            file.content,
            title=views.upload_title(file, t),
            alt_text=views.upload_description(file, case.reference, t),
        )
    except DeliveryError as error:
        if not error.permanent:
            raise
        log.info("attachments: %s cannot show a %s; a note instead", messenger.platform, file.kind)
        await messenger.send(thread, views.not_shown_note(file, t))

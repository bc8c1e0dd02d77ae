"""Showing a case's files to its coordinators: for now re-uploaded into the case thread.

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

    async def send(self, notification: Notification) -> None:
        async with self.storage.transaction() as tx:
            case = await tx.cases.get(notification.case_id or 0)
            file = await tx.attachments.get(notification.attachment_id or 0)
        if case is None or file is None or file.case_id != case.id:
            raise DeliveryError("the case or its attachment no longer exists", permanent=True)
        messenger = self.messenger(case.coordination_platform)
        await show(messenger, case, file, translator(self.language))


async def show(messenger: Messenger, case: Case, file: StoredFile, t: Translator) -> None:
    """The one place that decides where coordinators see a file (``channel_content`` will
    send them to the console instead): the case thread, or a note there."""
    thread = case_thread(case)
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

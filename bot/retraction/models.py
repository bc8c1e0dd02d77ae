"""What a retraction carries through the outbox: one message, by platform and place."""

from __future__ import annotations

from datetime import datetime
from typing import Any, cast, get_args

from bot.events import MessageRef, Platform

RETRACT = "case.retract"  # an outbox row that deletes one message a case left behind


def retraction_payload(ref: MessageRef, since: datetime) -> dict[str, Any]:
    """``since``: when it was queued, from which the retries are counted."""
    place = {"platform": ref.platform, "conversation": ref.conversation, "message": ref.message_id}
    return place | {"since": since.isoformat()}


def queued_since(payload: dict[str, Any] | None) -> datetime | None:
    try:
        return datetime.fromisoformat(str((payload or {})["since"]))
    except (KeyError, ValueError):
        return None


def retracted_ref(payload: dict[str, Any] | None) -> MessageRef | None:
    """The message a retraction's payload names; None when it names none."""
    payload = payload or {}
    platform = payload.get("platform")
    conversation, message = payload.get("conversation"), payload.get("message")
    if platform not in get_args(Platform) or not conversation or not message:
        return None
    return MessageRef(cast(Platform, platform), str(conversation), str(message))

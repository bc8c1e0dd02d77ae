"""Recurring posts to a configured channel (reminders, results, trends): their job, and
where each occurrence goes, as planned with it (it outlives a change of configuration)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import cast, get_args

from bot.events import Address, Platform
from bot.ports import DeliveryError, Transaction
from bot.schedule.config import ChannelPost
from bot.schedule.models import Timer
from bot.schedule.scheduler import SENT, RecurringJob


def post_job(post: ChannelPost, kind: str, grace: timedelta, prefix: str = "") -> RecurringJob:
    payload = {"platform": post.platform, "channel": post.channel}
    return RecurringJob(f"{prefix}{post.job}", kind, post.timing, grace, payload)


def post_address(timer: Timer) -> Address:
    """The channel the occurrence was planned for; a permanent failure if it names none."""
    platform, channel = timer.payload.get("platform"), timer.payload.get("channel")
    if platform in get_args(Platform) and isinstance(channel, str) and channel:
        return Address(cast(Platform, platform), channel)
    raise DeliveryError(f"{timer.kind} #{timer.id} has no channel", permanent=True)


async def queue_post(tx: Transaction, timer: Timer, now: datetime) -> str:
    """A timer handler: the occurrence goes to the outbox under its own kind."""
    await tx.outbox.enqueue(timer.kind, timer_id=timer.id)
    return SENT

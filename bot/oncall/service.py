"""Urgent cases: page the on-call coordinator, escalate when nobody answers."""

from __future__ import annotations

from bot.schedule.feature import Feature


class OnCall(Feature):
    pass

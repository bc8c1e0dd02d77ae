"""Awareness reminders in team channels, and the quarterly results post."""

from __future__ import annotations

from bot.schedule.feature import Feature


class Awareness(Feature):
    pass

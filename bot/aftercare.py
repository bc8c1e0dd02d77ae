"""Aftercare: some days after closing, ask the reporter how they are now (with consent)."""

from __future__ import annotations

from bot.schedule.feature import Feature


class Aftercare(Feature):
    pass

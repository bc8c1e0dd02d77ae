"""Onboarding: one short welcome with the reporting route for newcomers."""

from __future__ import annotations

from bot.schedule.feature import Feature


class Onboarding(Feature):
    pass

"""The trend report for management: counts (never under 5), a chart."""

from __future__ import annotations

from bot.schedule.feature import Feature


class TrendReports(Feature):
    pass

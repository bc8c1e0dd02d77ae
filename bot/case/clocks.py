"""The clocks on a case: unclaimed after a working day, the whistleblower act's deadlines."""

from __future__ import annotations

from bot.schedule.feature import Feature


class CaseClocks(Feature):
    pass

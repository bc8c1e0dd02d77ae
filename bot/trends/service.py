"""The trend report for management: counts (never under 5) and a chart, monthly by default.

``[trends]`` is one recurring job. Its timer (``trends.report``) only writes an outbox row;
delivery happens in two steps, each its own outbox row, so that a retry repeats only
what did not land:

1. ``trends.report`` works out the previous month's figures and posts the message. Once
   the platform has taken it, one transaction records where it landed (the message's
   reference, kept with the dialog states for ``POSTED_KEPT``) and enqueues step 2. A try
   that finds that record already (its row was not marked sent) posts nothing again.
2. ``trends.chart`` draws the chart and uploads it into the message's thread. A failed
   upload is retried on its own; the message is not posted again.

The only window left is the one every outbox delivery has: an instance that dies between
the platform taking the message and the commit posts it again on the next try.

The figures are worked out from the cases when delivered, for the month before the
occurrence's due date (a report moved to 2 January by the holiday still covers
December), so a retry days later reports the same month.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from bot.events import MessageRef
from bot.i18n import translator
from bot.notifications import Sender
from bot.ports import DeliveryError, Notification
from bot.schedule.feature import Feature
from bot.schedule.models import CaseFacts, Timer
from bot.schedule.posts import post_address, post_job, queue_post
from bot.schedule.scheduler import RecurringJob, TimerHandler
from bot.trends import chart, views
from bot.trends.counts import MonthBar, PeriodFigures, in_period
from bot.trends.figures import bars_of, figures_of
from bot.trends.periods import Period, previous_month, trailing_months

log = logging.getLogger(__name__)

REPORT = "trends.report"  # the timer kind, and the outbox kind of the message
CHART = "trends.chart"  # the outbox kind of the chart, enqueued once the message landed
# A monthly report is still worth reading a few days late; after that the next one nears.
GRACE = timedelta(days=3)
POSTED_KEPT = timedelta(days=40)  # longer than any retry of the chart takes


def _posted_key(timer_id: int) -> str:
    return f"trends.posted:{timer_id}"


class TrendReports(Feature):
    def jobs(self) -> list[RecurringJob]:
        trends = self.context.settings.trends
        if trends is None:
            return []
        return [post_job(trends, REPORT, GRACE, prefix="trends:")]

    def timer_handlers(self) -> dict[str, TimerHandler]:
        return {REPORT: queue_post}

    def senders(self) -> dict[str, Sender]:
        return {REPORT: self._send_report, CHART: self._send_chart}

    async def _send_report(self, notification: Notification) -> None:
        timer, posted = await self._load(notification)
        if posted is not None:
            log.info("trend report #%s was posted already; its chart is queued", timer.id)
            return
        period = previous_month(timer.due_at)
        facts = await self._facts(trailing_months(period.last))
        figures = self._figures(in_period(facts, period), timer.due_at)
        settings = self.context.settings
        message = views.trend_report(
            period,
            figures,
            self._bars(facts, period, figures),
            settings,
            translator(settings.language),
        )
        address = post_address(timer)
        ref = await self.context.messenger(address.platform).send(address, message)
        async with self.context.storage.transaction() as tx:
            landed = {"conversation": ref.conversation, "message_id": ref.message_id}
            await tx.dialogs.put(_posted_key(timer.id), landed, self.context.clock() + POSTED_KEPT)
            await tx.outbox.enqueue(CHART, timer_id=timer.id)
        log.info("trend report #%s posted", timer.id)

    async def _send_chart(self, notification: Notification) -> None:
        timer, posted = await self._load(notification)
        address = post_address(timer)
        messenger = self.context.messenger(address.platform)
        if posted is not None:
            address = MessageRef(address.platform, **posted).thread()
        period = previous_month(timer.due_at)
        facts = await self._facts(trailing_months(period.last))
        bars = self._bars(facts, period, self._figures(in_period(facts, period), timer.due_at))
        t = translator(self.context.settings.language)
        labels = {key: views.category_name(key, t) for bar in bars for key in bar.segments}
        png = await asyncio.to_thread(chart.render, bars, labels, t)
        await messenger.upload(
            address,
            f"meldingen-{period.last:%Y-%m}.png",
            png,
            title=views.chart_title(period, t),
            alt_text=chart.alt_text(bars, t),
        )
        log.info("trend chart #%s uploaded (%d bytes)", timer.id, len(png))

    async def _load(self, notification: Notification) -> tuple[Timer, dict[str, Any] | None]:
        async with self.context.storage.transaction() as tx:
            timer = await tx.timers.get(notification.timer_id or 0)
            if timer is None:
                raise DeliveryError("the trend report's timer is gone", permanent=True)
            posted = await tx.dialogs.get(_posted_key(timer.id), self.context.clock())
        return timer, posted

    async def _facts(self, period: Period) -> list[CaseFacts]:
        async with self.context.storage.transaction() as tx:
            return await tx.cases.facts_between(period.start, period.end)

    def _figures(self, facts: Sequence[CaseFacts], as_of: datetime) -> PeriodFigures:
        return figures_of(facts, self.context.settings, as_of)

    def _bars(
        self, facts: Sequence[CaseFacts], period: Period, figures: PeriodFigures
    ) -> list[MonthBar]:
        return bars_of(facts, period, figures, self.context.settings)

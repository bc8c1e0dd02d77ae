"""The quarterly results post: what became of the team's reports, aggregates only.

``[results]`` is one recurring job (09:00 on the first working day of January, April, July
and October by default). Its timer writes one outbox row; the sender counts the previous
quarter's cases when it delivers, so a retry after an outage posts the same quarter. The
counts follow the small-count rule of ``bot.trends.counts``: 1 to 4 is "<5", and no such
count can be worked out from the total.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from bot.i18n import Translator, translator
from bot.notifications import Sender
from bot.ports import DeliveryError, Notification
from bot.schedule.feature import Feature
from bot.schedule.posts import post_address, post_job, queue_post
from bot.schedule.scheduler import RecurringJob, TimerHandler
from bot.trends import views
from bot.trends.counts import PeriodFigures, period_figures
from bot.trends.periods import Period, previous_quarter
from bot.ui import Actions, Block, Button, Heading, Message, Text

log = logging.getLogger(__name__)

POST = "results.post"  # the timer kind and the outbox kind
# A few days into the quarter the news still reads as news; later, the next one nears.
GRACE = timedelta(days=3)


class ResultsPosts(Feature):
    def jobs(self) -> list[RecurringJob]:
        results = self.context.settings.results
        if results is None:
            return []
        return [post_job(results, POST, GRACE, prefix="results:")]

    def timer_handlers(self) -> dict[str, TimerHandler]:
        return {POST: queue_post}

    def senders(self) -> dict[str, Sender]:
        return {POST: self._deliver}

    async def _deliver(self, notification: Notification) -> None:
        async with self.context.storage.transaction() as tx:
            timer = await tx.timers.get(notification.timer_id or 0)
            if timer is None:
                raise DeliveryError("the results post's timer is gone", permanent=True)
            period = previous_quarter(timer.due_at)
            facts = await tx.cases.facts_between(period.start, period.end)
        address = post_address(timer)
        settings = self.context.settings
        figures = period_figures(
            facts,
            categories=[],
            departments=[],
            promise=timedelta(hours=settings.first_contact_hours),
            urgent_promise=timedelta(minutes=settings.urgent_contact_minutes),
            as_of=timer.due_at,
        )
        message = results_post(period, figures, translator(settings.language))
        await self.context.messenger(address.platform).send(address, message)
        log.info("results post #%s sent", timer.id)


def results_post(period: Period, figures: PeriodFigures, t: Translator) -> Message:
    """Warm and short, for the whole team: what the reports led to, and a way to report."""
    months = views.period_name(period, t)
    blocks: list[Block] = [Heading(t("What your reports brought about"))]
    if figures.total == 0:
        blocks.append(
            Text.of(
                t(
                    "No reports came in from {months}. Good if nothing happened. Did something "
                    "happen after all? Report it, also when you are in doubt.",
                    months=months,
                )
            )
        )
    else:
        blocks += [
            Text.of(
                t(
                    "Thanks to your reports we could take action in {months}. This is what "
                    "came of them:",
                    months=months,
                )
            ),
            *views.section(t("Reports"), views.totals(figures, t, zeros=False)),
            *views.section(
                t("Measures taken"),
                views.rows(figures.measures, views.measure_name, t, zeros=False),
            ),
            Text.of(
                t(
                    "Every report helps: it shows where things go wrong, so that we can protect "
                    "each other. Numbers under 5 are shown as “<5”, so that nobody can be "
                    "recognised."
                )
            ),
        ]
    blocks.append(Actions([Button(t("Make a report"), "report.start", style="primary")]))
    summary = t("Results {months}: {count} reports", months=months, count=figures.shown_total)
    return Message(summary, blocks)

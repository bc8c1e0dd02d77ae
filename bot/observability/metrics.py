"""meldbot's metrics, in a registry of their own per app (tests build many apps).

Labels carry kinds, outcomes, statuses and route templates only: never an id, a name or
anything a person typed. What the database holds (backlog, cases, due timers) is read at
scrape time (``State``); what happens (deliveries, timers fired, pages) is counted here.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any, Protocol

from prometheus_client import CollectorRegistry, Counter, Histogram, disable_created_metrics
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

# No ``*_created`` series beside each counter: they double what a scrape carries and no
# alert rule of meldbot's needs them (the client's switch is process-wide).
disable_created_metrics()  # type: ignore[no-untyped-call]

PAGE_OUTCOMES = ("sent", "acknowledged", "escalated", "failed")
TIMER_LAG_BUCKETS = (0.5, 1, 5, 15, 30, 60, 120, 300, 900, 3600)


@dataclass(slots=True)
class Backlog:
    """Undelivered outbox messages of one kind, and when the oldest was written."""

    count: int
    oldest: datetime | None


@dataclass(slots=True)
class Snapshot:
    """What the database says at one scrape (one query, ``bot.ports.readiness.Observed``)."""

    taken_at: datetime
    backlog: dict[str, Backlog] = field(default_factory=dict)
    cases: dict[str, int] = field(default_factory=dict)
    timers_due: dict[str, Backlog] = field(default_factory=dict)


class State(Collector):
    """Gauges from the latest snapshot; the /metrics handler takes one just before."""

    def __init__(self) -> None:
        self.snapshot: Snapshot | None = None

    def describe(self) -> Iterator[Metric]:
        return iter(())  # the families depend on the data: nothing to check at registration

    def collect(self) -> Iterator[Metric]:
        snapshot = self.snapshot
        backlog = GaugeMetricFamily(
            "meldbot_outbox_backlog", "Messages not yet delivered, per kind.", labels=["kind"]
        )
        oldest = GaugeMetricFamily(
            "meldbot_outbox_oldest_age_seconds",
            "Age of the oldest undelivered message, per kind.",
            labels=["kind"],
        )
        cases = GaugeMetricFamily("meldbot_cases", "Cases, per status.", labels=["status"])
        due = GaugeMetricFamily(
            "meldbot_timers_due", "Timers due and not yet fired, per kind.", labels=["kind"]
        )
        lag = GaugeMetricFamily(
            "meldbot_timers_due_oldest_seconds",
            "How long the oldest due timer has waited, per kind.",
            labels=["kind"],
        )
        if snapshot is not None:
            now = snapshot.taken_at
            for kind, waiting in sorted(snapshot.backlog.items()):
                backlog.add_metric([kind], waiting.count)
                if waiting.oldest is not None:
                    oldest.add_metric([kind], max(0.0, (now - waiting.oldest).total_seconds()))
            for status, count in sorted(snapshot.cases.items()):
                cases.add_metric([status], count)
            for kind, waiting in sorted(snapshot.timers_due.items()):
                due.add_metric([kind], waiting.count)
                if waiting.oldest is not None:
                    lag.add_metric([kind], max(0.0, (now - waiting.oldest).total_seconds()))
        yield from (backlog, oldest, cases, due, lag)


class EventQueue(Protocol):
    """A platform's events acked and waiting to be handled (the Slack inbox)."""

    @property
    def pending(self) -> int: ...

    @property
    def counts(self) -> Any: ...  # a dataclass of counts: accepted, repeated, shed, ...


class Queues(Collector):
    """Each platform's event queue, read at scrape time."""

    def __init__(self) -> None:
        self.watched: dict[str, EventQueue] = {}

    def describe(self) -> Iterator[Metric]:
        return iter(())

    def collect(self) -> Iterator[Metric]:
        if not self.watched:
            return
        waiting = GaugeMetricFamily(
            "meldbot_events_waiting",
            "Events acked and not yet handled, per platform.",
            labels=["platform"],
        )
        events = CounterMetricFamily(
            "meldbot_events",
            "Platform events after their ack, per outcome (shed: refused for a redelivery).",
            labels=["platform", "outcome"],
        )
        for platform, queue in sorted(self.watched.items()):
            waiting.add_metric([platform], queue.pending)
            for outcome, count in asdict(queue.counts).items():
                events.add_metric([platform, outcome], count)
        yield from (waiting, events)


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        r = self.registry
        self.requests = Counter(
            "meldbot_http_requests",
            "HTTP requests, per route template, method and status class.",
            ["route", "method", "status"],
            registry=r,
        )
        self.latency = Histogram(
            "meldbot_http_request_duration_seconds",
            "Time to answer an HTTP request, per route template and method.",
            ["route", "method"],
            registry=r,
        )
        self.delivered = Counter(
            "meldbot_outbox_delivered", "Messages delivered, per kind.", ["kind"], registry=r
        )
        self.retried = Counter(
            "meldbot_outbox_retried",
            "Deliveries that failed and will be tried again, per kind.",
            ["kind"],
            registry=r,
        )
        self.abandoned = Counter(
            "meldbot_outbox_abandoned",
            "Deliveries given up for good, per kind.",
            ["kind"],
            registry=r,
        )
        self.timers = Counter(
            "meldbot_timers_fired",
            "Timers fired, per kind and outcome.",
            ["kind", "outcome"],
            registry=r,
        )
        self.timer_lag = Histogram(
            "meldbot_timer_lag_seconds",
            "How late a timer fired after it was due, per kind.",
            ["kind"],
            buckets=TIMER_LAG_BUCKETS,
            registry=r,
        )
        self.pages = Counter(
            "meldbot_pages",
            "On-call pages: sent, acknowledged, escalated, failed (could not be delivered).",
            ["outcome"],
            registry=r,
        )
        for outcome in PAGE_OUTCOMES:
            self.pages.labels(outcome)  # present at 0, so an alert rule sees the series
        self.state = State()
        r.register(self.state)
        self.queues = Queues()
        r.register(self.queues)

    def timer_fired(self, kind: str, outcome: str, lag_seconds: float) -> None:
        """``skipped: <why>`` is counted as ``skipped``: the why is for the timer's record."""
        self.timers.labels(kind, outcome.partition(":")[0]).inc()
        self.timer_lag.labels(kind).observe(max(0.0, lag_seconds))

    def page(self, outcome: str) -> None:
        self.pages.labels(outcome).inc()

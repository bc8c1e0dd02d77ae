"""The Slack load benchmark's arithmetic on known numbers: percentiles, lost and doubled
answers, replies per second, the ratio to the echo app and the goals' verdicts."""

from __future__ import annotations

from benchmarks.slack_load.arrivals import Replies
from benchmarks.slack_load.figures import Row, percentile, row
from benchmarks.slack_load.load import Sent
from benchmarks.slack_load.table import goals, table


def test_percentiles_are_nearest_rank() -> None:
    hundred = [float(n) for n in range(100, 0, -1)]
    assert percentile(hundred, 0.5) == 50.0
    assert percentile(hundred, 0.99) == 99.0
    assert percentile(hundred, 1.0) == 100.0
    assert percentile([7.0], 0.99) == 7.0
    assert percentile([1.0, 2.0, 3.0], 0.5) == 2.0


def test_a_row_counts_from_when_each_dm_was_due() -> None:
    sent = [
        Sent("D1", due=10.0, answered=10.002, status=200),
        Sent("D2", due=10.5, answered=14.0, status=200, retry_status=200, retried=True),
        Sent("D3", due=11.0, answered=11.010, status=500, retry_status=500, retried=True),
        Sent("D4", due=11.5, answered=41.5, status=None, retry_status=None, retried=True),
        Sent("D5", due=12.0, answered=42.0, status=None, retry_status=200, retried=True),
    ]
    replies: Replies = {
        "D1": [(10.1, "greeting"), (10.3, "question")],  # a conversation, not a double
        "D2": [(14.5, "greeting"), (15.0, "greeting")],  # the same answer twice
        "D3": [(12.0, "greeting")],
        "D9": [(10.2, "greeting")],  # another scenario's DM: not counted here
    }
    figures = row("meldbot", "open", sent, replies)
    assert figures.dms == 5
    assert figures.ack_max == 41.5 - 11.5  # the first delivery's, however long it took
    assert figures.not_acked == 2  # D3 and D4; D5's retry was acked
    assert figures.retried == 4
    assert figures.lost == 2  # D4, D5
    assert figures.doubled == 1  # D2
    assert figures.replies_per_second == 3 / (14.5 - 10.0)
    waits = sorted([10.1 - 10.0, 14.5 - 10.5, 12.0 - 11.0])
    assert figures.reply_p50 == waits[1]
    assert figures.reply_p99 == waits[2]


def test_an_app_that_only_acks_has_no_reply_figures() -> None:
    figures = row("bolt ack", "open", [Sent("D1", 1.0, 1.5, 200)], None)
    assert (figures.ack_p50, figures.lost, figures.replies_per_second) == (0.5, None, None)


def _burst(app: str, per_second: float, lost: int = 0) -> Row:
    return Row(app, "burst", 100, 0.01, 0.02, 0.03, 0, 0, 0.1, 0.2, per_second, lost, 0)


def test_the_table_gives_the_ratio_to_the_echo_app_and_the_goals_a_verdict() -> None:
    rows = [_burst("bolt echo", 1000.0), _burst("meldbot", 150.0, lost=2)]
    lines = table(rows).splitlines()
    assert lines[0].startswith("| app | scenario | ack p50 | ack p99 | ack max |")
    assert "| 1.00× |" in lines[2]
    assert "| 150 | 0.15× | 2 | 0 |" in lines[3]
    said = goals(rows, 200.0)
    assert "0.15× — NOT met, below 0.2×" in said[1]
    assert said[2].endswith("lost 2, doubled 0, not acked 0 — NOT met")

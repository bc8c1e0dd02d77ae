"""From what was sent and what arrived to the figures of one row."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace

from benchmarks.slack_load.arrivals import Replies
from benchmarks.slack_load.load import Sent


def percentile(values: Sequence[float], share: float) -> float:
    """The nearest-rank percentile: the smallest value with ``share`` of them at or below."""
    if not values:
        raise ValueError("no values")
    ordered = sorted(values)
    rank = max(1, math.ceil(share * len(ordered)))
    return ordered[rank - 1]


@dataclass(frozen=True)
class Row:
    """One app in one scenario; times in seconds. The reply figures stay None for the
    app that only acks."""

    app: str
    scenario: str
    dms: int
    ack_p50: float
    ack_p99: float
    ack_max: float
    not_acked: int  # no HTTP 200 to the delivery nor to its retry
    retried: int  # not acked within 3 s, so Slack sent it again
    reply_p50: float | None = None
    reply_p99: float | None = None
    replies_per_second: float | None = None
    lost: int | None = None
    doubled: int | None = None


def row(app: str, scenario: str, sent: list[Sent], replies: Replies | None) -> Row:
    """The figures of one scenario. Acks and first replies count from when each DM was
    due; replies/s is the DMs answered over the time from the first DM due to the last
    first reply."""
    acks = [dm.answered - dm.due for dm in sent]
    figures = Row(
        app=app,
        scenario=scenario,
        dms=len(sent),
        ack_p50=percentile(acks, 0.5),
        ack_p99=percentile(acks, 0.99),
        ack_max=max(acks),
        not_acked=sum(not dm.acked for dm in sent),
        retried=sum(dm.retried for dm in sent),
    )
    if replies is None:
        return figures
    firsts = {dm.channel: min(replies[dm.channel])[0] for dm in sent if replies.get(dm.channel)}
    waits = [firsts[dm.channel] - dm.due for dm in sent if dm.channel in firsts]
    began = min(dm.due for dm in sent)
    lasted = max(firsts.values(), default=began) - began
    return replace(
        figures,
        reply_p50=percentile(waits, 0.5) if waits else None,
        reply_p99=percentile(waits, 0.99) if waits else None,
        replies_per_second=len(firsts) / lasted if lasted > 0 else None,
        lost=len(sent) - len(firsts),
        doubled=sum(answered_twice(replies.get(dm.channel, [])) for dm in sent),
    )


def answered_twice(messages: list[tuple[float, str]]) -> bool:
    """The same message posted more than once in answer to one DM (several different
    messages for one DM are a conversation, not a double answer)."""
    return any(count > 1 for count in Counter(digest for _, digest in messages).values())

"""Two real meldbot processes on one PostgreSQL: every scheduled reminder is posted once,
also when one of them is killed halfway."""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from pathlib import Path

from tests.conftest import _require
from tests.schedule.fleet import Fleet, fleet

EVERY_FIVE_SECONDS = "* * * * * */5"  # croniter's sixth field: seconds


async def arrivals_reach(group: Fleet, count: int, seconds: float = 90.0) -> None:
    deadline = time.monotonic() + seconds
    while len(group.slack.arrivals) < count:
        if time.monotonic() > deadline:
            logs = "\n".join(i.log.read_text()[-3000:] for i in group.instances)
            raise TimeoutError(f"{len(group.slack.arrivals)} of {count} arrived\n{logs}")
        await asyncio.sleep(0.1)


async def test_each_reminder_is_posted_once_by_two_instances_even_when_one_dies(
    postgres_server: str | None, tmp_path: Path
) -> None:
    if postgres_server is None:
        _require("PostgreSQL (Debian package postgresql)")
        return
    channels = [f"C0TEAM{index:02d}" for index in range(8)]
    async with fleet(postgres_server, tmp_path, channels, EVERY_FIVE_SECONDS) as group:
        first, _second = group.start_instance(), group.start_instance()
        await group.wait_healthy()
        await arrivals_reach(group, 3 * len(channels))
        first.kill()  # in the middle of whatever it was doing
        killed_at = len(group.slack.arrivals)
        await arrivals_reach(group, killed_at + 4 * len(channels))
        group.stop()
        occurrences = await group.occurrences()

    posted = Counter(message.channel for message in group.slack.messages)
    sent = Counter(o.channel for o in occurrences if o.outcome == "sent")
    assert posted == sent, "every occurrence marked sent was posted exactly once"
    assert all(o.sent_at is not None for o in occurrences if o.outcome == "sent")
    # Nothing was skipped: the survivor took over what the killed instance held.
    assert not [o for o in occurrences if o.outcome and o.outcome != "sent"]
    assert min(sent.values()) >= 6

"""Benchmark: scheduled reminders from two meldbot processes on one PostgreSQL.

Real ``meldbot serve`` processes, a real PostgreSQL server and the fake Slack Web API.
Prints, for every occurrence, whether it arrived exactly once; the lateness from the
scheduled moment to Slack accepting the post; and the send rate when many channels
are due at the same moment. Numbers only, no assertions.

    python -m benchmarks.scheduled_posts                       # every 5 s, 40 channels, 30 s
    python -m benchmarks.scheduled_posts --schedule "* * * * *" --channels 1 --seconds 300
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import tempfile
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.postgres import throwaway_server
from tests.schedule.fleet import Occurrence, fleet


@contextmanager
def _postgres() -> Iterator[str]:
    given = os.environ.get("MELDBOT_TEST_POSTGRES_URL")
    if given:
        yield given.rstrip("/")
        return
    with throwaway_server() as url:
        if url is None:
            raise SystemExit("PostgreSQL is needed (Debian package postgresql)")
        yield url


def _report(occurrences: list[Occurrence], posted: Counter[str], arrivals: list[float]) -> None:
    sent = [o for o in occurrences if o.outcome == "sent" and o.sent_at is not None]
    per_channel = Counter(o.channel for o in sent)
    once = all(posted[channel] == count for channel, count in per_channel.items())
    lateness = sorted((o.sent_at - o.due_at).total_seconds() for o in sent)  # type: ignore[operator]
    skipped = Counter(o.outcome for o in occurrences if o.outcome and o.outcome != "sent")
    print(f"occurrences sent:      {len(sent)} (skipped: {dict(skipped) or 0})")
    print(f"posts arrived:         {sum(posted.values())}; exactly once per occurrence: {once}")
    if lateness:
        p95 = lateness[int(0.95 * (len(lateness) - 1))]
        print(
            f"lateness (s):          p50 {statistics.median(lateness):.3f}  "
            f"p95 {p95:.3f}  max {lateness[-1]:.3f}"
        )
    bursts = _bursts(arrivals)
    if bursts:
        print(
            f"send rate (posts/s):   {statistics.median(bursts):.1f}"
            f" (median over {len(bursts)} bursts)"
        )


def _bursts(arrivals: list[float], gap: float = 1.0) -> list[float]:
    """Posts per second inside each group of arrivals (a group ends after ``gap`` quiet)."""
    rates, group = [], [arrivals[0]] if arrivals else []
    for moment in arrivals[1:]:
        if moment - group[-1] > gap:
            if len(group) > 1 and group[-1] > group[0]:
                rates.append((len(group) - 1) / (group[-1] - group[0]))
            group = []
        group.append(moment)
    if len(group) > 1 and group[-1] > group[0]:
        rates.append((len(group) - 1) / (group[-1] - group[0]))
    return rates


async def _run(
    schedule: str, channels: int, seconds: float, instances: int, kill_after: float | None
) -> None:
    names = [f"C0TEAM{index:03d}" for index in range(channels)]
    with _postgres() as server, tempfile.TemporaryDirectory() as workdir:
        async with fleet(server, Path(workdir), names, schedule) as group:
            for _ in range(instances):
                group.start_instance()
            await group.wait_healthy()
            if kill_after is not None and kill_after < seconds:
                await asyncio.sleep(kill_after)
                group.instances[0].kill()
                print(f"killed one instance (SIGKILL) after {kill_after:.0f} s")
                await asyncio.sleep(seconds - kill_after)
            else:
                await asyncio.sleep(seconds)
            group.stop()
            occurrences = await group.occurrences()
        posted = Counter(message.channel for message in group.slack.messages)
        arrivals = sorted(moment for _, moment in group.slack.arrivals)
    print(
        f"scheduled posts: {instances} instances, {channels} channels,"
        f" '{schedule}', {seconds:.0f} s"
    )
    _report(occurrences, posted, arrivals)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--schedule", default="* * * * * */5")
    parser.add_argument("--channels", type=int, default=40)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--instances", type=int, default=2)
    parser.add_argument("--kill-after", type=float, help="SIGKILL the first instance then")
    args = parser.parse_args()
    asyncio.run(_run(args.schedule, args.channels, args.seconds, args.instances, args.kill_after))


if __name__ == "__main__":
    main()

"""Benchmark: Slack DMs against meldbot and two minimal slack-bolt apps, side by side.

For each database (SQLite, then PostgreSQL) three apps on this machine get the same
signed ``message.im`` deliveries from the same load generator, one app at a time: a bolt
app that only acks, a bolt app that acks and replies once (the echo app), and a real
``meldbot serve``. The Slack Web API is the fake one, in a process of its own.

- open loop: a fixed rate for a fixed time, run twice; each DM is sent at its moment
  whatever the answers, and its ack and first reply count from that moment;
- burst: N DMs at once, at most ``--in-flight`` unanswered; replies/s is the DMs answered
  over the time until the last first reply reached the fake.

As Slack does, a DM not acked within 3 s is sent once more (``--no-retries``: never);
its ack time is still the first delivery's. Not acked: neither got HTTP 200 within 30 s.
Lost: no reply within ``--grace`` seconds after the scenario's last DM was answered.
Doubled: a DM answered with the same message twice. Prints the figures and the goals
beside them; asserts nothing.

    python -m benchmarks.slack_load                    # 200 DMs/s for 10 s twice, 1,000 burst
    python -m benchmarks.slack_load --short            # a few seconds per scenario
    python -m benchmarks.slack_load --databases sqlite --rate 100 --seconds 5
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import sys
import tempfile
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path

from benchmarks.slack_load import processes
from benchmarks.slack_load.arrivals import Arrivals
from benchmarks.slack_load.databases import NAMES, Missing, database, describe
from benchmarks.slack_load.events import dms
from benchmarks.slack_load.figures import Row, row
from benchmarks.slack_load.load import Sent, closed_loop, open_loop, session
from benchmarks.slack_load.table import duration, goals, table
from tests.slack.support import SECRET

SETTLE_SECONDS = 1.0  # after the last first reply: time for a reply that comes twice


@dataclass(frozen=True)
class Plan:
    rate: float
    seconds: float
    runs: int
    burst: int
    in_flight: int
    grace: float
    retries: bool


async def _measure(
    served: processes.Served, api_url: str, plan: Plan, replies: bool
) -> tuple[list[Row], float]:
    """The app's rows, and how long the first DM after its start took to be acked."""
    await processes.wait_healthy(served)
    rows: list[Row] = []
    scenarios: list[list[Sent]] = []
    async with session() as http:
        arrivals = Arrivals(http, api_url)

        async def scenario(name: str, sent: list[Sent]) -> None:
            scenarios.append(sent)
            if replies:
                await arrivals.wait([dm.channel for dm in sent], plan.grace, SETTLE_SECONDS)
            rows.append(row(served.name, name, sent, arrivals.replies if replies else None))

        for run in range(1, plan.runs + 1):
            sending = dms(f"O{run}", round(plan.rate * plan.seconds), SECRET)
            sent = await open_loop(http, served.events_url, sending, plan.rate, plan.retries)
            await scenario(f"open {plan.rate:g}/s × {plan.seconds:g} s, run {run}", sent)
        sending = dms("B", plan.burst, SECRET)
        sent = await closed_loop(http, served.events_url, sending, plan.in_flight, plan.retries)
        await scenario(f"burst, {plan.in_flight} in flight", sent)
    first = scenarios[0][0]
    return rows, first.answered - first.due


def _app(
    kind: str, api_url: str, database_url: str, workdir: Path
) -> AbstractContextManager[processes.Served]:
    if kind == "meldbot":
        return processes.meldbot(database_url, api_url, workdir)
    return processes.bolt_app(kind, api_url, workdir)


def _database_rows(
    database_url: str, plan: Plan, workdir: Path
) -> tuple[list[Row], dict[str, float]]:
    """Each app's rows, one app at a time, and each app's first ack after its start."""
    rows: list[Row] = []
    first_acks: dict[str, float] = {}
    for kind in ("ack", "echo", "meldbot"):
        folder = workdir / kind
        folder.mkdir()
        with (
            processes.fake_slack(folder) as api_url,
            _app(kind, api_url, database_url, folder) as served,
        ):
            measured, first_acks[served.name] = asyncio.run(
                _measure(served, api_url, plan, replies=kind != "ack")
            )
            rows += measured
    return rows, first_acks


def _options() -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.slack_load")
    parser.add_argument("--short", action="store_true", help="a few seconds per scenario")
    parser.add_argument("--rate", type=float, help="open loop: DMs per second (200)")
    parser.add_argument("--seconds", type=float, help="open loop: how long, per run (10)")
    parser.add_argument("--runs", type=int, default=2, help="open loop: how many runs (2)")
    parser.add_argument("--burst", type=int, help="closed loop: DMs in the burst (1,000)")
    parser.add_argument("--in-flight", type=int, default=50, help="closed loop: limit (50)")
    parser.add_argument("--grace", type=float, help="seconds to wait for replies (60)")
    parser.add_argument(
        "--no-retries", action="store_true", help="do not send a DM again after 3 s unacked"
    )
    parser.add_argument("--databases", default=",".join(NAMES), help="sqlite,postgresql")
    options = parser.parse_args()
    unknown = set(options.databases.split(",")) - set(NAMES)
    if unknown:
        parser.error(f"--databases: {', '.join(sorted(unknown))} is not one of {', '.join(NAMES)}")
    if options.runs < 1 or options.in_flight < 1:
        parser.error("--runs and --in-flight must be at least 1")
    return options


def _plan(options: argparse.Namespace) -> Plan:
    short = options.short
    return Plan(
        rate=options.rate or (100.0 if short else 200.0),
        seconds=options.seconds or (3.0 if short else 10.0),
        runs=options.runs,
        burst=options.burst or (200 if short else 1000),
        in_flight=options.in_flight,
        grace=options.grace or (30.0 if short else 60.0),
        retries=not options.no_retries,
    )


def main() -> None:
    options = _options()
    plan = _plan(options)
    for name in options.databases.split(","):
        # Other work on the machine shares the cores: the figures are only as quiet as it.
        load_average = os.getloadavg()[0]
        with tempfile.TemporaryDirectory(prefix="meldbot-slack-load-") as folder:
            try:
                with database(name, Path(folder)) as url:
                    rows, first_acks = _database_rows(url, plan, Path(folder))
            except Missing as missing:
                print(f"\nslack_load on {name}: skipped, {missing}")
                continue
        print(
            f"\nslack_load on {describe(name)}: signed DMs, real `meldbot serve`, fake Slack "
            f"Web API; {os.cpu_count()} cores, load average {load_average:.1f} at the start"
        )
        print(table(rows))
        firsts = ", ".join(f"{app} {duration(ack)}" for app, ack in first_acks.items())
        print(f"  first DM after a start, acked in: {firsts}")
        for line in goals(rows, plan.rate):
            print(f"  {line}")


if __name__ == "__main__":
    logging.disable(logging.WARNING)
    try:
        main()
    except KeyboardInterrupt:
        sys.exit("slack_load: interrupted (its processes are stopped)")

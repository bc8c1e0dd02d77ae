"""``meldbot retention run [--dry-run]`` and ``meldbot retention destroyed --from D --to D``.

What the CLI does is audited with actor ``cli``. Bad input: exit 2 with one sentence.
"""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, date, datetime

from bot.access.service import Access
from bot.retention.listing import destroyed_csv, due_csv
from bot.retention.service import Retention
from bot.schedule.calendar import days_between
from bot.settings import ConfigError, Settings

BAD_DAY = "{option} must be a day written as year-month-day, such as 2026-12-31."
BAD_PERIOD = "--to must be on or after --from."


def add_parser(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    retention = commands.add_parser("retention", help="retention: purge due cases, list them")
    actions = retention.add_subparsers(dest="retention_action", required=True)
    run = actions.add_parser("run", help="warn about and purge the cases that are due")
    run.add_argument("--dry-run", action="store_true", help="only list what would go")
    destroyed = actions.add_parser("destroyed", help="the destruction list of a period, as CSV")
    destroyed.add_argument("--from", dest="first", required=True, help="first day, YYYY-MM-DD")
    destroyed.add_argument("--to", dest="last", required=True, help="last day, YYYY-MM-DD")


def _day(option: str, typed: str) -> date:
    try:
        return date.fromisoformat(typed.strip())
    except ValueError:
        raise ConfigError(BAD_DAY.format(option=option)) from None


async def run_command(settings: Settings, args: argparse.Namespace) -> int:
    from bot.app import opened_database

    if args.retention_action == "destroyed":
        first, last = _day("--from", args.first), _day("--to", args.last)
        if last < first:
            raise ConfigError(BAD_PERIOD)
    async with opened_database(settings) as database:
        retention = Retention(
            database,
            lambda: datetime.now(UTC),
            Access({}),
            settings.retention,
            checkpoint=database.checkpoint,
            actor="cli",
        )
        if args.retention_action == "destroyed":
            entries = await retention.destroyed(None, *days_between(first, last))
            sys.stdout.write(destroyed_csv(entries))
            return 0
        report = await retention.run(dry_run=args.dry_run)
    sys.stdout.write(due_csv(report.purged))
    done = "would be deleted" if report.dry_run else "deleted"
    print(
        f"meldbot: {len(report.purged)} cases {done}, {report.warned} coordinators' "
        f"notes queued, {report.audit_forgotten} audit entries deleted",
        file=sys.stderr,
    )
    return 0

"""The rows as a Markdown table, and the goals beside the figures (printed, not asserted)."""

from __future__ import annotations

from benchmarks.slack_load.figures import Row

ECHO = "bolt echo"
MELDBOT = "meldbot"
ACK_GOAL = 0.050  # seconds, p99, at GOAL_RATE
GOAL_RATE = 200.0
HEADER = (
    "app",
    "scenario",
    "ack p50",
    "ack p99",
    "ack max",
    "first reply p50",
    "first reply p99",
    "replies/s",
    "ratio to echo",
    "lost",
    "doubled",
    "not acked",
    "retried (not acked in 3 s)",
)


def duration(seconds: float | None) -> str:
    if seconds is None:
        return "—"
    ms = seconds * 1000
    return f"{ms:,.1f} ms" if ms < 100 else f"{ms:,.0f} ms"


def _count(value: int | None) -> str:
    return "—" if value is None else f"{value:,}"


def ratio(row: Row, rows: list[Row]) -> float | None:
    """``row``'s replies/s over the echo app's in the same scenario."""
    echo = next((r for r in rows if r.app == ECHO and r.scenario == row.scenario), None)
    if echo is None or not echo.replies_per_second or row.replies_per_second is None:
        return None
    return row.replies_per_second / echo.replies_per_second


def table(rows: list[Row]) -> str:
    lines = ["| " + " | ".join(HEADER) + " |", "|" + " --- |" * len(HEADER)]
    for r in rows:
        share = ratio(r, rows)
        cells = (
            r.app,
            f"{r.scenario} ({r.dms:,} DMs)",
            duration(r.ack_p50),
            duration(r.ack_p99),
            duration(r.ack_max),
            duration(r.reply_p50),
            duration(r.reply_p99),
            "—" if r.replies_per_second is None else f"{r.replies_per_second:,.0f}",
            "—" if share is None else f"{share:.2f}×",
            _count(r.lost),
            _count(r.doubled),
            _count(r.not_acked),
            _count(r.retried),
        )
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def goals(rows: list[Row], rate: float) -> list[str]:
    """meldbot's figures next to the issue's goals, one line per goal."""
    mine = [r for r in rows if r.app == MELDBOT]
    open_runs = [r for r in mine if r.scenario.startswith("open")]
    worst_ack = max((r.ack_p99 for r in open_runs), default=None)
    at = "" if rate == GOAL_RATE else f" (this run: {rate:g} DMs/s)"
    shares = [s for s in (ratio(r, rows) for r in mine if r.scenario.startswith("burst")) if s]
    lost = sum(r.lost or 0 for r in mine)
    doubled = sum(r.doubled or 0 for r in mine)
    not_acked = sum(r.not_acked for r in mine)
    lines = [f"goal ack p99 <= 50 ms at 200 DMs/s{at}: worst open-loop p99 {duration(worst_ack)}"]
    if worst_ack is not None:
        lines[-1] += " — met" if worst_ack <= ACK_GOAL else " — NOT met"
    if shares:
        share = min(shares)
        verdict = "met" if share >= 0.5 else "NOT met" if share >= 0.2 else "NOT met, below 0.2×"
        lines.append(f"goal replies/s >= 0.5× echo, never below 0.2×: {share:.2f}× — {verdict}")
    verdict = "met" if lost == doubled == not_acked == 0 else "NOT met"
    lines.append(
        f"goal 0 lost, 0 doubled: lost {lost}, doubled {doubled}, not acked {not_acked} — {verdict}"
    )
    return lines

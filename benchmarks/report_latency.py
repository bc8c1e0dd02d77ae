"""Benchmark: how fast a report is stored and its coordinator alert sent.

Runs the real core, dialogs, outbox dispatcher and a SQLite database; the platform
is a recording messenger that notes when each alert arrives. Prints numbers only.
"""

from __future__ import annotations

import asyncio
import logging
import resource
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from bot.app import RUNTIME, create_app
from bot.events import Actor, Address, FormSubmitted, MessageRef
from bot.settings import Settings
from bot.ui import Facts, Message
from storage.sealing import new_key

SINGLE = 50
BURST = 200


class TimedChannel:
    platform = "web"

    def __init__(self) -> None:
        self.alerts: dict[str, float] = {}
        self.arrived = asyncio.Event()
        self.uploads: list[tuple[Address, str, int]] = []
        self._count = 0

    async def send(self, address: Address, message: Message) -> MessageRef:
        self._count += 1
        if address.thread is None and address.conversation == "coordinators":
            reference = message.summary.split(" · ")[0].split()[-1]
            self.alerts[reference] = time.perf_counter()
            self.arrived.set()
        return MessageRef("web", address.conversation, str(self._count))

    async def update(self, ref: MessageRef, message: Message) -> None:
        return None

    async def delete(self, ref: MessageRef) -> None:
        return None

    async def personal_address(self, user_id: str) -> Address:
        return Address("web", f"dm:{user_id}", personal=True)

    async def reach(self, user_id: str) -> dict[str, Any]:
        return {"user": user_id}

    async def address_of(self, reach: dict[str, Any]) -> Address:
        return await self.personal_address(str(reach["user"]))

    async def keep_address(self, user_id: str) -> None:
        return None

    async def is_coordinator(self, user_id: str) -> bool:
        return False

    def coordinator_channel(self) -> Address:
        return Address("web", "coordinators")

    async def upload(
        self, address: Address, filename: str, content: bytes, *, title: str, alt_text: str
    ) -> MessageRef:
        self._count += 1
        self.uploads.append((address, filename, len(content)))
        return MessageRef("web", address.conversation, str(self._count))


def _ms(values: list[float]) -> str:
    ordered = sorted(values)
    p95 = ordered[int(len(ordered) * 0.95) - 1]
    return (
        f"p50 {statistics.median(ordered) * 1000:.1f} ms, p95 {p95 * 1000:.1f} ms, "
        f"max {ordered[-1] * 1000:.1f} ms"
    )


async def _report(runtime: object, number: int) -> tuple[str, float, float]:
    """Submit one report; returns its reference, when it started, how long until confirmed."""
    actor = Actor("web", f"staff-{number}", "Medewerker")
    begin = time.perf_counter()
    response = await runtime.dialogs.handle(  # type: ignore[attr-defined]
        FormSubmitted(actor, "report", {"narrative": f"Melding {number}: uitgescholden."})
    )
    confirmed = time.perf_counter() - begin
    # The receipt is the form's result (the same card also reaches the chat via the outbox).
    facts = next(block for block in response.result.blocks if isinstance(block, Facts))
    return facts.items[0][1], begin, confirmed


async def _wait_for(channel: TimedChannel, count: int) -> None:
    async with asyncio.timeout(120):
        while len(channel.alerts) < count:
            await channel.arrived.wait()
            channel.arrived.clear()


async def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        settings = Settings(
            database_url=f"sqlite+aiosqlite:///{Path(folder) / 'b.db'}",
            data_dir=Path(folder),
            seal_key=new_key(),
            web_chat="off",
        )
        app = await create_app(settings)
        runtime = app[RUNTIME]
        channel = TimedChannel()
        runtime.messengers["web"] = channel  # type: ignore[assignment]
        runtime.outbox.start()

        confirmed, alerted = [], []
        for number in range(SINGLE):
            reference, begin, took = await _report(runtime, number)
            await _wait_for(channel, number + 1)
            confirmed.append(took)
            alerted.append(channel.alerts[reference] - begin)

        started = time.perf_counter()
        for number in range(SINGLE, SINGLE + BURST):
            await _report(runtime, number)
        await _wait_for(channel, SINGLE + BURST)
        burst = time.perf_counter() - started
        await runtime.outbox.stop()
        await runtime.database.close()
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"benchmark: reports on SQLite through the real core and outbox ({SINGLE} single)")
    print(f"  submit -> stored and confirmed:   {_ms(confirmed)}")
    print(f"  submit -> coordinator alert sent: {_ms(alerted)}")
    print(
        f"  burst of {BURST} reports: {BURST / burst:.0f} reports/s with all alerts sent; "
        f"peak RSS {peak_mb:.0f} MB"
    )


if __name__ == "__main__":
    logging.disable(logging.WARNING)
    asyncio.run(main())

"""The conversation harness: the real core and database, a fake platform at the edge."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.app import RUNTIME, Runtime, create_app
from bot.events import (
    ActionInvoked,
    Actor,
    Address,
    CommandInvoked,
    FormSubmitted,
    MessageReceived,
    MessageRef,
)
from bot.settings import Contact, Settings
from bot.ui import Response
from storage.sealing import new_key
from tests.fakes.messenger import FakeMessenger


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


SANNE = Actor("web", "staff-1", "Sanne de Vries")
AHMED = Actor("web", "staff-2", "Ahmed Yilmaz")
JAN = Actor("web", "coord-1", "Jan Jansen")
PIET = Actor("web", "piet", "Piet Pieters")


@dataclass
class Harness:
    """errbot-style: say things to the bot as a person, read what it sent."""

    runtime: Runtime
    platform: FakeMessenger
    clock: Clock

    async def say(self, actor: Actor, text: str) -> Response:
        address = Address("web", f"dm:{actor.user_id}", personal=True)
        return await self.runtime.dialogs.handle(MessageReceived(actor, address, text))

    async def press(
        self, actor: Actor, action_id: str, value: str = "", message: MessageRef | None = None
    ) -> Response:
        address = Address("web", f"dm:{actor.user_id}", personal=True)
        event = ActionInvoked(actor, address, action_id, value, message)
        return await self.runtime.dialogs.handle(event)

    async def command(self, actor: Actor) -> Response:
        address = Address("web", f"dm:{actor.user_id}", personal=True)
        return await self.runtime.dialogs.handle(CommandInvoked(actor, address, "report"))

    async def submit(
        self, actor: Actor, form_id: str, values: Mapping[str, str | None], state: str = ""
    ) -> Response:
        return await self.runtime.dialogs.handle(FormSubmitted(actor, form_id, values, state))

    async def settle(self) -> None:
        await self.runtime.outbox.settle()

    async def tick(self) -> int:
        """Fire what the scheduler has due at the clock's time, then deliver it."""
        fired = await self.runtime.scheduler.tick()
        await self.settle()
        return fired


def make_settings(database_url: str, tmp_path: Path, **extra: object) -> Settings:
    return Settings(
        database_url=database_url,
        data_dir=tmp_path,
        seal_key=new_key(),
        web_chat="off",
        coordinator_contact=Contact(
            name="Jan Jansen",
            role="Coördinator agressie",
            photo_url="https://example.org/jan.jpg",
            phone="+31 6 1234 5678",
        ),
        support_contacts=[
            Contact(name="Els Bakker", role="Vertrouwenspersoon", phone="+31 6 8765 4321")
        ],
        **extra,  # type: ignore[arg-type]
    )


MakeBot = Callable[..., Awaitable[Harness]]


@pytest.fixture
async def make_bot(database_url: str, tmp_path: Path) -> AsyncIterator[MakeBot]:
    """A harness with extra settings: ``await make_bot(oncall=..., reminders=[...])``."""
    runtimes: list[Runtime] = []

    async def make(**settings: object) -> Harness:
        clock = Clock()
        app = await create_app(make_settings(database_url, tmp_path, **settings), clock=clock)
        runtime = app[RUNTIME]
        platform = FakeMessenger()
        runtime.messengers["web"] = platform
        runtimes.append(runtime)
        return Harness(runtime, platform, clock)

    yield make
    for runtime in runtimes:
        await runtime.database.close()


@pytest.fixture
async def bot(make_bot: MakeBot) -> Harness:
    return await make_bot()

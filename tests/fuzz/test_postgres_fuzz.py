"""The cases PostgreSQL is stricter about than SQLite: ids longer than a column, names
longer than a column, numbers beyond INTEGER. Signed Slack requests, as people's
platforms send them: a report, a press, a claim must work or be refused, never fail."""

from __future__ import annotations

import json
import random
from pathlib import Path
from urllib.parse import urlencode

import pytest

from bot.case.models import Reporter
from bot.events import ActionInvoked, Actor, Address, FormSubmitted
from tests.fakes.slack_api import FakeSlack
from tests.fuzz.conftest import LogWatch, quiet
from tests.fuzz.hostile import ID_MARK, MARK
from tests.fuzz.sending import Sent, send_all, server_errors
from tests.fuzz.slack_cases import ACTIONS, FORM, action, event, sign_bytes, submission
from tests.fuzz.test_slack_fuzz import MakeClient, _meldbot, fake_slack  # noqa: F401
from tests.slack.support import SECRET

LONG_ID = ID_MARK + "9" * 250
LONG_NAME = f"{MARK} " + "Naam " * 60
NUMBERS = [str(2**31), str(2**31 - 1), str(2**63), "²", "9" * 30]


def _requests(rng: random.Random) -> list[Sent]:
    requests = []
    for n in range(240):
        uid = rng.choice([LONG_ID, ID_MARK + str(n % 3)])
        shape = n % 3
        if shape == 0:
            payload = event(rng, n)
            payload["event_id"] = rng.choice([f"Ev{n}", "Ev" + "9" * 250])
            payload["event"] |= {"user": uid, "channel": "D" + uid, "channel_type": "im"}
            body = json.dumps(payload).encode()
            kind = "application/json"
        else:
            payload = action(rng) if shape == 1 else submission(rng)
            payload["user"] = {"id": uid, "username": LONG_NAME, "name": LONG_NAME}
            if shape == 1:
                payload["actions"][0] |= {"action_id": rng.choice(ACTIONS),
                                          "value": rng.choice(NUMBERS)}  # fmt: skip
            else:
                payload["view"]["private_metadata"] = rng.choice(NUMBERS)
                payload["view"]["id"] = rng.choice(["V1", "V" + "9" * 250])
            body = urlencode({"payload": json.dumps(payload)}).encode()
            kind = FORM
        headers = {"Content-Type": kind, **sign_bytes(SECRET, body)}
        requests.append(Sent(f"shape {shape}", "POST", "/slack/events", body, headers))
    return requests


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
async def test_long_ids_names_and_big_numbers_on_postgresql(
    fake_slack: FakeSlack,  # noqa: F811
    aiohttp_client: MakeClient,
    database_url: str,
    tmp_path: Path,
    log_watch: LogWatch,
) -> None:
    client, runtime = await _meldbot(fake_slack, aiohttp_client, database_url, tmp_path)
    requests = _requests(random.Random(1608))

    statuses = await send_all(client, requests)
    await quiet()
    await runtime.outbox.settle()

    problems = log_watch.problems()
    failed = server_errors(requests, statuses)
    assert not failed and not problems, "\n".join([str(failed), *problems])


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
async def test_a_long_id_and_name_still_report_and_claim(
    fake_slack: FakeSlack,  # noqa: F811
    aiohttp_client: MakeClient,
    database_url: str,
    tmp_path: Path,
    log_watch: LogWatch,
) -> None:
    _, runtime = await _meldbot(fake_slack, aiohttp_client, database_url, tmp_path)
    reporter = Actor("slack", LONG_ID, LONG_NAME)
    story = {"narrative": "Een klant schreeuwde tegen mijn collega.", "location": "Balie"}

    sent = await runtime.dialogs.handle(FormSubmitted(reporter, "report", story))

    assert not sent.errors, sent.errors
    [case] = await runtime.cases.cases_of(Reporter("slack", LONG_ID))
    coordinator = Actor("slack", "UCOORD1", LONG_NAME)
    where = Address("slack", "C0COORD")
    claimed = await runtime.dialogs.handle(
        ActionInvoked(coordinator, where, "case.claim", str(case.id))
    )
    await runtime.outbox.settle()
    assert not claimed.errors
    [after] = await runtime.cases.cases_of(Reporter("slack", LONG_ID))
    assert after.status != case.status
    assert log_watch.problems() == []

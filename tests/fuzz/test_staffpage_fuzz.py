"""The staff page's anonymous forms against broken posts: words on the page and a 4xx,
or the next step, never a 5xx, a traceback or a log line with what was typed."""

from __future__ import annotations

import random
from urllib.parse import quote_from_bytes

import pytest

from tests.fuzz.conftest import LogWatch, quiet
from tests.fuzz.hostile import MARK, hostile_values
from tests.fuzz.sending import Sent, send_all, server_errors
from tests.site.conftest import free_port, mock_provider  # noqa: F401 (the staff fixture's)
from tests.staffpage.conftest import MakeStaff, make_staff  # noqa: F401 (fixture)

PATHS = ["/melden/overleggen", "/melden/anoniem", "/melden/code"]
FIELDS = ["situation", "narrative", "code", "text", "location", "category", "_step", "when"]
FORM = "application/x-www-form-urlencoded"


def _value(rng: random.Random) -> bytes:
    value = rng.choice(hostile_values(rng))
    if isinstance(value, str):
        return value.encode("utf-8", "surrogatepass")
    return rng.choice([b"\xff\xfe", b"%", b"\x00", f"{MARK} {value!r}".encode()])


def _form(rng: random.Random, token: str) -> bytes:
    """A form body: the page's token (or a broken one) and hostile fields."""
    pairs = [
        (
            b"_anon",
            rng.choice([token.encode()] * 6 + [b"", b"x" * 5000, b"\xff", token[:-3].encode()]),
        )
    ]
    for name in rng.sample(FIELDS, rng.randint(1, 4)):
        pairs.append((name.encode(), _value(rng)))
    if rng.random() < 0.2:
        pairs.append(pairs[-1])  # a field twice
    if rng.random() < 0.2:  # broken percent-encoding, as bytes never seen on the page
        return b"&".join(k + b"=" + v for k, v in pairs)
    return b"&".join(
        quote_from_bytes(k).encode() + b"=" + quote_from_bytes(v).encode() for k, v in pairs
    )


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
async def test_broken_staff_page_posts_are_never_a_server_error(
    make_staff: MakeStaff,  # noqa: F811
    log_watch: LogWatch,
) -> None:
    staff = await make_staff(staff_page=True)
    rng = random.Random(1606)
    requests: list[Sent] = []
    token = ""
    for n in range(1100):
        path = rng.choice(PATHS)
        if n % 4 == 0:  # a fresh page now and then: its own session, its own rate limit
            token = (await staff.get(path)).token()
        kind = rng.choice([FORM] * 6 + ["multipart/form-data; boundary=x", "text/plain", ""])
        headers = {
            "Content-Type": kind,
            "Origin": rng.choice([staff.url] * 5 + ["https://evil.example", ""]),
        }
        requests.append(Sent(path, "POST", path, _form(rng, token), headers))

    statuses = await send_all(staff.session, requests, staff.url)
    await quiet()
    await staff.runtime.outbox.settle()

    problems = log_watch.problems()
    failed = server_errors(requests, statuses)
    assert not failed and not problems, "\n".join([str(failed), *problems])
    assert 200 in statuses and 400 in statuses

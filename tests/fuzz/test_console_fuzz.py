"""The console and the sign-in, signed in as a coordinator, against bad ids in the address,
bad query values and broken form posts: a 4xx or the page, never a 5xx or a traceback."""

from __future__ import annotations

import random
from urllib.parse import quote, urlencode

import pytest

from adapters.console.case_actions import ACTIONS
from adapters.console.case_list import PARAMS
from tests.console.conftest import console_with
from tests.fuzz.conftest import LogWatch, quiet
from tests.fuzz.hostile import MARK, hostile_values
from tests.fuzz.sending import Sent, send_all, server_errors
from tests.site.conftest import MakeSite, make_site, mock_provider  # noqa: F401

FORM = "application/x-www-form-urlencoded"
IDS = ["M-2026-0001", "M-9999-999999999", "M-2026-" + "9" * 40, "²", "٣", "0", "-1",
       str(2**31), str(2**63), "9" * 40, "%00", "%ff", "..", "M-2026-０００１", MARK]  # fmt: skip
FIELDS = ["_csrf", "_return", "text", "status", "summary", "handler", "reason", "measure",
          "step", "persona", "next", "code", "reference", "van", "tot", "category"]  # fmt: skip


def _text(rng: random.Random) -> str:
    value = rng.choice(hostile_values(rng))
    return value if isinstance(value, str) else f"{MARK} {value!r}"[:300]


def _segment(rng: random.Random) -> str:
    return quote(rng.choice([*IDS, _text(rng)]).encode("utf-8", "surrogatepass"), safe="")


def _query(rng: random.Random, names: list[str]) -> str:
    pairs = [(name, _text(rng)) for name in rng.sample(names, rng.randint(1, len(names)))]
    return "?" + urlencode(pairs, errors="surrogatepass")


def _gets(rng: random.Random, reference: str) -> str:
    return rng.choice(
        [
            f"/console/zaken/{_segment(rng)}",
            f"/console/zaken/{reference}/bijlagen/{_segment(rng)}",
            f"/console/overleg/{rng.choice(['1', '999999999', '0'])}",
            f"/console/uitgenodigd/{_segment(rng)}/brief",
            f"/console/cijfers/{rng.choice(['9999-99', '0000-00', '2026-13', '2026-01'])}.png",
            "/console/" + _query(rng, [*PARAMS, "na"]),
            "/console/audit" + _query(rng, ["zaak", "van", "tot"]),
            "/console/registratie" + _query(rng, ["van", "tot", "platform"]),
            "/console/cijfers" + _query(rng, ["maand"]),
            "/console/bewaren" + _query(rng, ["gedaan"]),
            f"/console/zaken/{reference}" + _query(rng, ["gedaan"]),
            "/signin/callback" + _query(rng, ["state", "code", "error", "session_state"]),
            "/signin/start" + _query(rng, ["next"]),
            "/koppelen" + _query(rng, ["gedaan"]),
        ]
    )


def _posts(rng: random.Random, reference: str) -> str:
    return rng.choice(
        [
            f"/console/zaken/{reference}/{rng.choice([*ACTIONS, 'onbekend'])}",
            f"/console/zaken/{_segment(rng)}/{rng.choice(list(ACTIONS))}",
            f"/console/zaken/{reference}/brieven/{_segment(rng)}",
            f"/console/overleg/{rng.choice(['1', '9' * 9])}/{rng.choice(['antwoord', 'sluiten'])}",
            f"/console/uitgenodigd/{_segment(rng)}/antwoord",
            "/console/privacy",
            "/console/privacy/inzage",
            "/console/privacy/wissen",
            f"/console/bewaren/{rng.choice([reference, 'M-2026-999999999'])}/verlengen",
            "/koppelen/code",
            "/koppelen/ontkoppelen",
            "/signin/local",
        ]
    )


def _form(rng: random.Random, token: str) -> bytes:
    pairs = [("_csrf", rng.choice([token] * 4 + ["", MARK, token[:-2]]))]
    pairs += [(name, _text(rng)) for name in rng.sample(FIELDS, rng.randint(1, 6))]
    return urlencode(pairs, errors="surrogatepass").encode()


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
async def test_bad_ids_and_broken_posts_are_never_a_server_error(
    make_site: MakeSite,  # noqa: F811
    log_watch: LogWatch,
) -> None:
    console = await console_with(make_site)
    case = await console.report()
    await console.sign_in("fatima")
    token = await console.site.token(f"/console/zaken/{case.reference}", "_csrf")
    rng = random.Random(1607)
    requests: list[Sent] = []
    for n in range(1200):
        if n % 2:
            requests.append(Sent("GET", "GET", _gets(rng, case.reference)))
        else:
            path = _posts(rng, case.reference)
            headers = {"Content-Type": rng.choice([FORM] * 5 + ["text/plain"])}
            requests.append(Sent(path.split("/")[2], "POST", path, _form(rng, token), headers))

    statuses = await send_all(console.site.client, requests)
    await quiet()
    await console.settle()

    problems = log_watch.problems()
    failed = server_errors(requests, statuses)
    assert not failed and not problems, "\n".join([str(failed), *problems])
    assert 200 in statuses and {303, 400, 403, 404} & set(statuses)

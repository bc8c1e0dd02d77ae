"""The case page's part for bans that end and the reaction clock, over HTTP: the outcome
form per ban (ends on its date, ends now, extended with a reason), the police-informed
button per pandverbod, refusals that keep what was typed, and the reaction clock beside
the other clocks — SQLite and PostgreSQL, the chat a Slack with minimal content."""

from __future__ import annotations

import re
from datetime import date

from bot.case.models import MeasureKind
from bot.events import Actor
from bot.measures.models import Plan, Step
from tests.console.conftest import Console

JAN = Actor("slack", "U-JAN", "Jan Jansen")  # a coordinator in the faked Slack
BAN = Plan(
    MeasureKind.BUILDING_BAN,
    "Leidinggevende",
    starts_on=date(2026, 3, 5),
    ends_on=date(2026, 4, 13),
)


async def _imposed(console: Console) -> tuple[str, int, int]:
    case = await console.report()
    measures = console.site.runtime.measures
    assert measures is not None
    ban = await measures.advise(JAN, case.id, BAN)
    for step in (Step.AGREED, Step.CARRIED_OUT):
        await measures.step(JAN, case.id, ban.id, step)
    await console.settle()
    return f"/console/zaken/{case.reference}", case.id, ban.id


async def test_a_ban_is_extended_and_the_police_informed_from_the_case_page(
    console: Console,
) -> None:
    page, _case_id, ban_id = await _imposed(console)
    await console.sign_in("fatima")
    status, html = await console.get(page)
    assert status == 200 and "Geldt tot de einddatum." in html
    assert "Uitkomst van de evaluatie" in html and "De politie is ingelicht" in html
    assert "Reactie naar de pleger" in html and "na 0 uur" in html, "met at once, in hours"
    done = await console.post(
        f"{page}/verbod-uitkomst",
        {"verbod_id": str(ban_id), "uitkomst": "verlengen", "tot": "2026-06-01",
         "reden": "Hij <belde> weer."},
    )  # fmt: skip
    assert done.status == 303 and done.headers["Location"] == f"{page}?gedaan=verbod-uitkomst"
    status, html = await console.get(f"{page}?gedaan=verbod-uitkomst")
    assert "De uitkomst voor het verbod is opgeslagen." in html
    assert "Verlengd tot 1 juni 2026" in html and "Hij &lt;belde&gt; weer." in html
    assert "1 juni 2026" in html
    told = await console.post(
        f"{page}/politie-ingelicht", {"verbod_id": str(ban_id), "notitie": "Wijkagent."}
    )
    assert told.status == 303
    _status, html = await console.get(page)
    assert "Politie ingelicht over de einddatum 1 juni 2026" in html
    assert 'action="' + page + '/politie-ingelicht"' not in html, "once per end date"
    await console.settle()
    lines = await console.thread()
    assert any("verlengde het pandverbod." in line for line in lines)
    assert not any("Hij <belde> weer." in line for line in lines), "minimal: no note in Slack"
    assert any("lichtte de politie in over het pandverbod." in line for line in lines)


async def test_a_refused_outcome_comes_back_at_its_form_with_what_was_typed(
    console: Console,
) -> None:
    page, case_id, ban_id = await _imposed(console)
    await console.sign_in("fatima")
    refused = await console.post(
        f"{page}/verbod-uitkomst",
        {"verbod_id": str(ban_id), "uitkomst": "verlengen", "tot": "2026-06-01", "reden": ""},
    )
    html = await refused.text()
    assert refused.status == 400 and 'id="fout-verbod-uitkomst"' in html
    assert "Schrijf op waarom het verbod langer duurt." in html
    assert 'value="2026-06-01"' in html and re.search(r'value="verlengen"\s+checked', html)
    nonsense = await console.post(
        f"{page}/verbod-uitkomst", {"verbod_id": str(ban_id), "uitkomst": "altijd"}
    )
    assert nonsense.status == 400 and "Kies een van de" in await nonsense.text()
    bad_date = await console.post(
        f"{page}/verbod-uitkomst",
        {"verbod_id": str(ban_id), "uitkomst": "verlengen", "tot": "1 juni", "reden": "x"},
    )
    assert bad_date.status == 400
    bans = console.site.runtime.bans
    assert bans is not None
    [ban] = await bans.of_case(JAN, case_id)
    assert ban.records == [] and ban.measure.ends_on == date(2026, 4, 13), "nothing half-saved"


async def test_ending_now_shows_it_ended_and_offers_nothing_more(console: Console) -> None:
    page, _case_id, ban_id = await _imposed(console)
    await console.sign_in("fatima")
    done = await console.post(
        f"{page}/verbod-uitkomst", {"verbod_id": str(ban_id), "uitkomst": "nu"}
    )
    assert done.status == 303
    _status, html = await console.get(page)
    assert "Afgelopen op 2 maart 2026" in html and ">Afgelopen<" in html
    assert f'action="{page}/verbod-uitkomst"' not in html
    assert f'action="{page}/politie-ingelicht"' not in html


async def test_the_reaction_clock_is_late_on_the_page_once_its_time_passed(
    console: Console,
) -> None:
    case = await console.report()
    page = f"/console/zaken/{case.reference}"
    console.site.clock.advance(hours=49)
    await console.sign_in("fatima")
    _status, html = await console.get(page)
    row = html[html.index("Reactie naar de pleger") :][:600]
    assert "Te laat" in row and "Nog niet" in row, row

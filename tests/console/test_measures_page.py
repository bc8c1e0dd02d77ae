"""The case page's "Maatregelen" section over HTTP: advising a measure, its steps with the
measure in a hidden field, the history and guidance in ladder order, and a refusal that
keeps what was typed — SQLite and PostgreSQL."""

from __future__ import annotations

import re
from pathlib import Path

from tests.console.conftest import Console, console_with
from tests.core.test_measure_guidance import OWN
from tests.site.conftest import MakeSite


def _measure_ids(html: str) -> list[str]:
    return re.findall(r'name="maatregel_id" value="(\d+)"', html)


async def test_a_measure_is_advised_and_stepped_from_the_case_page(console: Console) -> None:
    case = await console.report()
    page = f"/console/zaken/{case.reference}"
    await console.sign_in("fatima")
    status, html = await console.get(page)
    assert status == 200 and "Maatregelen" in html and "nog geen maatregel" in html
    ban = {
        "soort": "building_ban",
        "uitvoerder": "Leidinggevende Burgerzaken",
        "vanaf": "2026-03-05",
        "tot": "2026-09-05",
        "notitie": "Alleen het <b>stadskantoor</b>.",
    }
    talk = {"soort": "order_talk", "uitvoerder": "Leidinggevende Burgerzaken"}
    for data in (ban, talk):
        done = await console.post(f"{page}/maatregel", data)
        assert done.status == 303 and done.headers["Location"] == f"{page}?gedaan=maatregel"
    status, html = await console.get(f"{page}?gedaan=maatregel")
    assert status == 200 and "De maatregel is opgeslagen." in html
    assert html.index("Ordegesprek · Geadviseerd") < html.index("Pandverbod · Geadviseerd")
    assert "Alleen het &lt;b&gt;stadskantoor&lt;/b&gt;." in html
    assert "5 september 2026" in html and "Tips voor wie het uitvoert" in html
    assert "<details" in html and "frustratie" in html
    _talk, ban_id = _measure_ids(html)  # in ladder order
    stepped = await console.post(
        f"{page}/maatregel-stap", {"maatregel_id": ban_id, "stap": "agreed"}
    )
    assert stepped.status == 303
    _status, html = await console.get(page)
    assert "Pandverbod · Afgesproken" in html
    assert "Fatima legde een stap vast bij de maatregel Pandverbod: Afgesproken." in html


async def test_a_refused_measure_comes_back_at_its_form_with_what_was_typed(
    console: Console,
) -> None:
    case = await console.report()
    page = f"/console/zaken/{case.reference}"
    await console.sign_in("fatima")
    typed = {
        "soort": "call_ban",
        "uitvoerder": "Leidinggevende <Burgerzaken>",
        "vanaf": "2026-03-10",
        "tot": "2026-03-05",
        "notitie": "Belt elke dag.",
    }
    refused = await console.post(f"{page}/maatregel", typed)
    html = await refused.text()
    assert refused.status == 400
    assert "Het verbod stopt voordat het begint." in html and 'id="fout-maatregel"' in html
    assert 'value="Leidinggevende &lt;Burgerzaken&gt;"' in html
    assert 'value="2026-03-10"' in html and 'value="2026-03-05"' in html
    assert "Belt elke dag.</textarea>" in html
    assert '<option value="call_ban" selected>' in html
    bad_date = await console.post(f"{page}/maatregel", typed | {"tot": "morgen"})
    assert bad_date.status == 400 and "jaar-maand-dag" in await bad_date.text()
    made = await console.post(f"{page}/maatregel", typed | {"tot": "2026-04-10"})
    assert made.status == 303
    _status, html = await console.get(page)
    [measure_id] = _measure_ids(html)
    dropped = {"maatregel_id": measure_id, "stap": "dropped", "notitie": " "}
    refused = await console.post(f"{page}/maatregel-stap", dropped)
    html = await refused.text()
    assert refused.status == 400 and "Schrijf op waarom de maatregel stopt." in html
    assert 'id="fout-maatregel-stap"' in html and '<option value="dropped" selected>' in html
    tampered = await console.post(f"{page}/maatregel-stap", {"maatregel_id": "x", "stap": "agreed"})
    assert tampered.status == 400
    skipped = await console.post(
        f"{page}/maatregel-stap", {"maatregel_id": measure_id, "stap": "evaluated"}
    )
    assert skipped.status == 400 and "Leg eerst vast dat de maatregel is afgesproken." in (
        await skipped.text()
    )


async def test_the_page_shows_the_organisations_own_guidance(
    make_site: MakeSite, tmp_path: Path
) -> None:
    own = tmp_path / "maatregelen.toml"
    own.write_text(OWN.format(say="Zeg het <rustig>."), encoding="utf-8")
    console = await console_with(make_site, measure_guidance=own)
    case = await console.report()
    page = f"/console/zaken/{case.reference}"
    await console.sign_in("fatima")
    for kind in ("order_talk", "warning_letter"):
        data = {"soort": kind, "uitvoerder": "Leidinggevende"}
        assert (await console.post(f"{page}/maatregel", data)).status == 303
    _status, html = await console.get(page)
    assert "Zeg het &lt;rustig&gt;." in html and "frustratie" not in html
    assert html.count("Tips voor wie het uitvoert") == 1, "the letter has no guidance here"

"""The case page's parts for the reporter's say, the aangifte and external reports, over
HTTP: each form works without JavaScript, a refusal comes back at its form with what was
typed, the registration number shows only here — SQLite and PostgreSQL."""

from __future__ import annotations

import re

from bot.case.models import Category
from bot.events import Actor
from bot.measures.proposal_models import Answer
from tests.console.conftest import Console
from tests.text import buttons, text_of

NUMBER = "PL0900-2026777"


def _measure_ids(html: str) -> list[str]:
    return re.findall(r'name="voorstel_van" value="(\d+)"', html)


async def _advised(console: Console, kind: str, **report: object) -> str:
    case = await console.report(**report)
    page = f"/console/zaken/{case.reference}"
    await console.sign_in("fatima")
    done = await console.post(f"{page}/maatregel", {"soort": kind, "uitvoerder": "Leidinggevende"})
    assert done.status == 303
    return page


async def test_a_measure_is_proposed_to_the_reporter_and_the_answer_shows_with_it(
    console: Console,
) -> None:
    page = await _advised(console, "order_talk")
    _status, html = await console.get(page)
    assert "Leg het voor aan de melder" in html
    [measure_id] = _measure_ids(html)
    sent = await console.post(f"{page}/voorstel", {"voorstel_van": measure_id, "bericht": "Oké?"})
    assert sent.status == 303 and sent.headers["Location"] == f"{page}?gedaan=voorstel"
    await console.settle()
    [question] = [s for s in console.slack.dms("U-SANNE") if "voorstel" in text_of(s.message)]
    assert "Wat vind je van dit voorstel?" in text_of(question.message)
    _status, html = await console.get(f"{page}?gedaan=voorstel")
    assert "Het voorstel is onderweg naar de melder." in html and "Nog geen antwoord" in html
    assert "Leg het voor aan de melder" not in html, "no second proposal while one is open"
    again = await console.post(f"{page}/voorstel", {"voorstel_van": measure_id}, token=None)
    assert again.status == 400 and "nog niet geantwoord" in await again.text()
    forged = await console.post(f"{page}/voorstel", {"voorstel_van": "x"})
    assert forged.status == 400
    say = console.site.runtime.proposals
    assert say is not None
    sanne = Actor("slack", "U-SANNE", "Sanne de Vries")
    await say.answer(sanne, buttons(question.message)["proposal.agree"], Answer.AGREE)
    _status, html = await console.get(page)
    assert "Akkoord ·" in html and "Nog geen antwoord" not in html
    assert "De melder is akkoord met de maatregel Ordegesprek." in html


async def test_aangifte_guidance_is_sent_and_the_record_shows_only_on_the_case_page(
    console: Console,
) -> None:
    page = await _advised(console, "police_report")
    _status, html = await console.get(page)
    assert "Aangifte" in html and "Nog geen aangifte vastgelegd." in html
    sent = await console.post(f"{page}/aangifte-uitleg")
    assert sent.status == 303
    await console.settle()
    heard = text_of(console.slack.dms("U-SANNE")[-1].message)
    assert "veilige publieke taak" in heard
    typed = {"datum": "2026-03-03", "door": "employer", "nummer": NUMBER}
    refused = await console.post(f"{page}/aangifte", typed)
    html = await refused.text()
    assert refused.status == 400 and "in de toekomst" in html and 'id="fout-aangifte"' in html
    assert f'value="{NUMBER}"' in html and '<option value="employer" selected>' in html
    done = await console.post(f"{page}/aangifte", typed | {"datum": "2026-03-02"})
    assert done.status == 303
    _status, html = await console.get(page)
    assert NUMBER in html and "De werkgever (de melder is getuige)" in html
    assert "2 maart 2026" in html
    await console.settle()
    assert not any(NUMBER in line for line in await console.thread())


async def test_external_reports_of_a_trafficking_signal_are_recorded_from_the_case_page(
    console: Console,
) -> None:
    case = await console.report("Busjes met arbeiders.", category=Category.TRAFFICKING)
    page = f"/console/zaken/{case.reference}"
    await console.sign_in("fatima")
    _status, html = await console.get(page)
    assert "Ga niet zelf op onderzoek uit." in html and "Dan doet de organisatie dat" in html
    typed = {"instantie": "comensha", "datum": "2026-03-02", "door": " "}
    refused = await console.post(f"{page}/externe-melding", typed)
    assert refused.status == 400 and 'id="fout-externe-melding"' in await refused.text()
    done = await console.post(f"{page}/externe-melding", typed | {"door": "Fatima, namens ons"})
    assert done.status == 303
    _status, html = await console.get(page)
    assert "CoMensha" in html and "Fatima, namens ons" in html
    await console.settle()
    assert any("externe melding vast" in line for line in await console.thread())
    plain = await console.report("Een klant schold.")
    _status, html = await console.get(f"/console/zaken/{plain.reference}")
    assert "externe-melding" not in html, "only for a trafficking signal"

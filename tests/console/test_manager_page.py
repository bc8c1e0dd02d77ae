"""The manager in the console, behind a real OpenID provider process: a coordinator is
refused an invitation without consent and asks for it; the reporter says yes in the chat;
the invited manager sees only their measure, the shared text and the guidance (never the
story, the reporter or another measure), is refused every coordinator action, answers
"Hoe ging het?" on the page — and every read is in the audit log. SQLite and PostgreSQL."""

from __future__ import annotations

import functools
import re

from sqlalchemy import text

from bot.case.models import EventKind, NewReport
from bot.events import ActionInvoked, Actor, Address
from tests.console.conftest import STAFF
from tests.fakes.messenger import FakeMessenger
from tests.privacy import audit_rows
from tests.site.conftest import MakeSite, Served, authorize_at_mock, mock_user, signin_config
from tests.text import buttons, text_of
from tests.waiting import until

ROLES = {
    "coordinator": ["meldbot.coordinator"],
    "manager": ["meldbot.leidinggevende"],
}
STORY = "Een klant schreeuwde aan de balie tegen Sanne."
SHARED = "Een klant was boos aan de balie. Wil je hem uitnodigen voor een <gesprek>?"


async def _as(site: Served, subject: str) -> None:
    await site.sign_in_at(functools.partial(authorize_at_mock, subject=subject), "/koppelen")


async def _post(site: Served, page: str, action: str, data: dict[str, str]) -> tuple[int, str, str]:
    path = f"{page}/{action}"
    token = await site.token(page, f'action="{path}"')
    answer = await site.client.post(
        path, data={"_csrf": token, "_return": page, **data}, allow_redirects=False
    )
    return answer.status, answer.headers.get("Location", ""), await answer.text()


async def _audit(site: Served) -> list[tuple[str, str, str | None]]:
    rows = await audit_rows(site.runtime.database, "actor", "action", "detail")
    return [(str(a), str(b), c if c is None else str(c)) for a, b, c in rows]


async def test_the_manager_loop_in_the_console(make_site: MakeSite, mock_provider: str) -> None:
    mock_user(mock_provider, "ria", {"name": "Ria de Wit", "roles": ["meldbot.coordinator"]})
    max_claims = {"name": "Max Manager", "email": "Max@Example.org"}
    mock_user(mock_provider, "max", {**max_claims, "roles": ["meldbot.leidinggevende"]})
    mock_user(mock_provider, "mo", {"name": "Mo Manager", "roles": ["meldbot.leidinggevende"]})
    site = await make_site(signin=signin_config(mock_provider, roles=ROLES))
    slack = FakeMessenger("slack", coordinators={"U-JAN"})
    site.runtime.messengers["slack"] = slack
    case = await site.runtime.cases.report(NewReport(STORY), STAFF)
    other = await site.runtime.cases.report(NewReport("Een tweede melding."), STAFF)
    await site.runtime.outbox.settle()
    page = f"/console/zaken/{case.reference}"

    await _as(site, "ria")
    status, html = await site.page(page)
    assert status == 200 and "Toestemming vragen" in html
    assert "De melder heeft niet gezegd of de leidinggevende betrokken mag worden." in html
    advised = await _post(
        site, page, "maatregel", {"soort": "order_talk", "uitvoerder": "Leidinggevende"}
    )
    assert advised[0] == 303
    _status, html = await site.page(page)
    [measure_id] = set(re.findall(r'name="maatregel_id" value="(\d+)"', html))
    invite = {"maatregel_id": measure_id, "waar": "email", "id": "max@example.org", "delen": SHARED}
    status, _where, html = await _post(site, page, "leidinggevende", invite)
    assert status == 400 and "geen toestemming gegeven" in html
    assert 'href="#kop-toestemming"' in html, "the page offers to ask for consent"
    assert "Wil je hem uitnodigen voor een &lt;gesprek&gt;?</textarea>" in html, "kept"
    assert status == 400 and await _count(site) == 0

    status, where, _html = await _post(site, page, "toestemming", {})
    assert (status, where) == (303, f"{page}?gedaan=toestemming")
    await site.runtime.outbox.settle()
    question = slack.dms("U-SANNE")[-1].message
    assert set(buttons(question)) == {"consent.yes", "consent.no"}
    reporter = Actor("slack", "U-SANNE", "Sanne de Vries")
    pressed = ActionInvoked(
        reporter, Address("slack", "D-SANNE", personal=True), "consent.yes", str(case.id)
    )
    await site.runtime.dialogs.handle(pressed)
    status, where, _html = await _post(site, page, "leidinggevende", invite)
    assert (status, where) == (303, f"{page}?gedaan=leidinggevende")
    _status, html = await site.page(page)
    assert "max@example.org (Inlog (e-mailadres))" in html
    assert "niet in een chat bereiken" in html, "an e-mail address has no chat: the page says so"
    await site.runtime.outbox.settle()
    await until(
        lambda: any("leidinggevende uitgenodigd" in line for line in _thread(slack)),
        "the invitation's line in the case's thread",
    )

    await _as(site, "max")
    start = await site.client.get("/console/", allow_redirects=False)
    assert start.status == 303 and start.headers["Location"] == "/console/uitgenodigd"
    status, html = await site.page("/console/uitgenodigd")
    assert status == 200 and case.reference in html and other.reference not in html
    status, html = await site.page(page)
    assert status == 200 and "Ordegesprek" in html and "Tips voor jou" in html
    assert "Wil je hem uitnodigen voor een &lt;gesprek&gt;?" in html
    for secret in (STORY, "Sanne", "Tijdlijn", "Maatregel adviseren"):
        assert secret not in html, f"a manager does not see {secret!r}"
    status, html = await site.page(f"/console/zaken/{other.reference}")
    assert status == 403 and "tweede" not in html
    status, html = await site.page("/console/zaken/M-2026-9999")
    assert status == 403, "missing or not invited: the same answer"
    for action in ("notitie", "oppakken", "toestemming", "leidinggevende"):
        refused = await site.client.post(
            f"{page}/{action}",
            data={"_csrf": await site.token(page, 'name="_csrf"'), "notitie": "x"},
            allow_redirects=False,
        )
        assert refused.status == 403, action
    _status, html = await site.page(page)
    [invitation_id] = re.findall(r"/console/uitgenodigd/(\d+)/antwoord", html)
    answer_path = f"/console/uitgenodigd/{invitation_id}/antwoord"
    token = await site.token(page, f'action="{answer_path}"')
    answered = await site.client.post(
        answer_path,
        data={
            "_csrf": token,
            "_return": page,
            "zaak": case.reference,
            "antwoord": "done",
            "notitie": "Goed gesprek gehad.",
        },
        allow_redirects=False,
    )
    assert answered.status == 303
    _status, html = await site.page(page)
    assert "Je antwoordde: Gedaan" in html

    await _as(site, "mo")
    status, html = await site.page("/console/uitgenodigd")
    assert status == 200 and case.reference not in html
    status, html = await site.page(page)
    assert status == 403 and "gesprek" not in html
    forged = await site.client.post(
        answer_path,
        data={
            "_csrf": await site.token("/console/uitgenodigd"),
            "zaak": case.reference,
            "antwoord": "not_done",
        },
        allow_redirects=False,
    )
    assert forged.status == 403, "an answer from someone not invited is refused"

    async with site.runtime.database.transaction() as tx:
        kinds = [e.kind for e in await tx.cases.events(case.id)]
    assert EventKind.CONSENT_GIVEN in kinds and EventKind.MANAGER_DONE in kinds
    audit = await _audit(site)
    assert ("console:max", "open", "manager") in audit
    assert ("console:max", "list", "manager") in audit
    assert ("console:max", "manager.answer", "done") in audit
    assert not [row for row in audit if row[0] == "console:max" and row[1] == "open" and not row[2]]


def _thread(slack: FakeMessenger) -> list[str]:
    [root] = slack.roots()[:1]
    return [text_of(sent.message) for sent in slack.thread(root.ref)]


async def _count(site: Served) -> int:
    async with site.runtime.database.engine.connect() as connection:
        query = text("SELECT count(*) FROM manager_invitations")
        return int((await connection.execute(query)).scalar_one())

"""The letter to the manager in the console, behind a real OpenID provider process: the
"Naar de leidinggevende sturen" button only where a manager is invited, a second press of
the same form sending nothing again, a refusal at the form, and the invited manager
downloading the letter from their page ("Brief downloaden", audited) while another
manager and a coordinator are refused. SQLite and PostgreSQL."""

from __future__ import annotations

import functools
import io
import re

from docx import Document
from sqlalchemy import text

from bot.case.models import NewReport
from bot.letters.config import LetterSettings
from tests.console.conftest import STAFF
from tests.fakes.messenger import FakeMessenger
from tests.privacy import audit_rows
from tests.site.conftest import MakeSite, Served, authorize_at_mock, mock_user, signin_config

ROLES = {"coordinator": ["meldbot.coordinator"], "manager": ["meldbot.leidinggevende"]}
STORY = "De klant riep: ik weet waar je woont. Daarna liep hij weg."
EXCERPT = "De klant riep: ik weet waar je woont."
LETTERS = LetterSettings(address="Markt 1", house_rules="Wij zijn beleefd.", objection="-")
SEND = "Naar de leidinggevende sturen"


async def _as(site: Served, subject: str) -> None:
    await site.sign_in_at(functools.partial(authorize_at_mock, subject=subject), "/koppelen")


async def _post(site: Served, page: str, path: str, data: dict[str, str]) -> tuple[int, str, str]:
    token = await site.token(page, f'action="{path}"')
    answer = await site.client.post(
        path, data={"_csrf": token, "_return": page, **data}, allow_redirects=False
    )
    return answer.status, answer.headers.get("Location", ""), await answer.text()


async def _rows(site: Served, query: str) -> list[tuple[object, ...]]:
    async with site.runtime.database.engine.connect() as connection:
        return [tuple(row) for row in await connection.execute(text(query))]


def _form(html: str, action: str) -> str:
    start = html.index(f'action="{action}"')
    return html[start : html.index("</form>", start)]


async def test_a_letter_is_sent_once_and_only_the_invited_manager_downloads_it(
    make_site: MakeSite, mock_provider: str
) -> None:
    mock_user(mock_provider, "ria", {"name": "Ria de Wit", "roles": ["meldbot.coordinator"]})
    claims = {"name": "Max Manager", "email": "max@example.org"}
    mock_user(mock_provider, "max", {**claims, "roles": ["meldbot.leidinggevende"]})
    mock_user(mock_provider, "mo", {"name": "Mo Manager", "roles": ["meldbot.leidinggevende"]})
    site = await make_site(
        signin=signin_config(mock_provider, roles=ROLES),
        organisation="Gemeente Voorbeeld",
        letters=LETTERS,
    )
    site.runtime.messengers["slack"] = FakeMessenger("slack", coordinators={"U-JAN"})
    case = await site.runtime.cases.report(NewReport(STORY, manager_consent=True), STAFF)
    await site.runtime.outbox.settle()
    page = f"/console/zaken/{case.reference}"

    await _as(site, "ria")
    for _ in range(2):  # one warning letter gets a manager, the other not
        advised = await _post(
            site, page, f"{page}/maatregel", {"soort": "warning_letter", "uitvoerder": "Chef"}
        )
        assert advised[0] == 303
    _status, html = await site.page(page)
    invited_id, lone_id = sorted(set(re.findall(r"/brieven/(\d+)", html)), key=int)
    invite = {"maatregel_id": invited_id, "waar": "email", "id": "max@example.org", "delen": "-"}
    assert (await _post(site, page, f"{page}/leidinggevende", invite))[0] == 303
    _status, html = await site.page(page)
    invited_form = _form(html, f"{page}/brieven/{invited_id}")
    assert SEND in invited_form and "Download de brief" in invited_form
    assert SEND not in _form(html, f"{page}/brieven/{lone_id}"), "no manager, no button"
    [request_key] = re.findall(r'name="verzoek" value="([^"]+)"', invited_form)

    letter = {"voorval": EXCERPT, "datum_voorval": "2026-03-01", "verzenden": "1"}
    sent = await _post(
        site, page, f"{page}/brieven/{invited_id}", letter | {"verzoek": request_key}
    )
    assert sent[:2] == (303, f"{page}?gedaan=brief-verstuurd")
    again = await _post(
        site, page, f"{page}/brieven/{invited_id}", letter | {"verzoek": request_key}
    )
    assert again[:2] == (303, f"{page}?gedaan=brief-al-verstuurd"), "one press, one letter"
    _status, html = await site.page(f"{page}?gedaan=brief-al-verstuurd")
    assert "Deze brief is al verstuurd." in html
    refused = await _post(
        site, page, f"{page}/brieven/{lone_id}", letter | {"verzoek": request_key}
    )
    assert refused[0] == 400 and "Er is geen leidinggevende uitgenodigd" in refused[2]
    assert 'id="fout-brief"' in refused[2] and EXCERPT in refused[2], "kept at the form"
    assert len(await _rows(site, "SELECT id FROM manager_letters")) == 1
    [invitation_id] = {
        str(row[0]) for row in await _rows(site, "SELECT id FROM manager_invitations")
    }
    download = f"/console/uitgenodigd/{invitation_id}/brief"
    assert (await site.client.get(download, allow_redirects=False)).status == 403, "a coordinator"

    await _as(site, "max")
    status, html = await site.page(page)
    assert status == 200 and "Brief downloaden" in html and f'href="{download}"' in html
    answer = await site.client.get(download, allow_redirects=False)
    assert answer.status == 200 and answer.headers["Cache-Control"] == "no-store"
    assert answer.headers["Content-Disposition"].startswith(
        f'attachment; filename="waarschuwingsbrief-{case.reference}.docx"'
    )
    body = "\n".join(p.text for p in Document(io.BytesIO(await answer.read())).paragraphs)
    assert EXCERPT in body and "Daarna liep hij weg" not in body
    assert ("console:max", "letter.download", "waarschuwingsbrief") in await audit_rows(
        site.runtime.database, "actor", "action", "detail"
    )
    missing = await site.client.get("/console/uitgenodigd/99999/brief", allow_redirects=False)
    assert missing.status == 403, "not invited or missing: the same answer"

    await _as(site, "mo")
    other = await site.client.get(download, allow_redirects=False)
    assert other.status == 403 and b"word/document.xml" not in await other.read()
    audit = await audit_rows(site.runtime.database, "actor", "action")
    downloads = [actor for actor, action in audit if action == "letter.download"]
    assert downloads == ["console:max"]

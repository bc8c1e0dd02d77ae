"""The administrator's settings view: every setting as meldbot runs with it, secrets never."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.settings_overview import overview
from tests.core.conftest import make_settings
from tests.site.conftest import MakeSite

TOKEN = "xoxb-zeer-geheim-1234"
SECRET = "geheim-van-de-verbinding"


async def test_an_administrator_sees_every_setting_and_no_secret(make_site: MakeSite) -> None:
    site = await make_site(
        slack_bot_token=TOKEN,
        departments=["Burgerzaken", "<b>Wijkteam</b>"],
        public_url="http://127.0.0.1:3978",
    )
    await site.sign_in_locally("beheerder", back="/console/instellingen")
    status, html = await site.page("/console/instellingen")
    assert status == 200, html
    assert '<h1 class="utrecht-heading-1 utrecht-heading-1--distanced">Instellingen</h1>' in html
    for name in ("organisation", "channel_content", "attachment_max_mb", "slack_bot_token"):
        assert f'<code class="utrecht-code">{name}</code>' in html
    assert "Ingesteld (niet getoond)" in html and TOKEN not in html
    assert site.runtime.settings.seal_key is not None
    assert site.runtime.settings.seal_key not in html
    assert "&lt;b&gt;Wijkteam&lt;/b&gt;" in html and "<b>Wijkteam" not in html
    assert 'href="/console/instellingen"' in html  # in the navigation of an administrator


@pytest.mark.parametrize("persona", ["coordinator", "analist"])
async def test_others_get_no_settings(make_site: MakeSite, persona: str) -> None:
    site = await make_site()
    await site.sign_in_locally(persona, back="/console/instellingen")
    status, html = await site.page("/console/instellingen")
    assert status == 403 and "channel_content" not in html
    assert 'href="/console/instellingen"' not in html


async def test_signed_out_goes_to_sign_in_first(make_site: MakeSite) -> None:
    site = await make_site()
    response = await site.client.get("/console/instellingen", allow_redirects=False)
    assert response.status == 303
    assert response.headers["Location"] == "/signin?next=%2Fconsole%2Finstellingen"


def test_a_database_password_and_nested_secrets_are_never_shown(tmp_path: Path) -> None:
    settings = make_settings(
        f"postgresql+asyncpg://meldbot:{SECRET}@db.example.org/meldbot",
        tmp_path,
        signin={"issuer": "https://id.example.org", "client_id": "m", "client_secret": SECRET},
    )
    rows = {row.name: row for row in overview(settings)}
    assert rows["database_url"].value == "postgresql+asyncpg://meldbot:***@db.example.org/meldbot"
    assert rows["signin.client_secret"].secret and rows["signin.client_secret"].is_set
    assert rows["signin.issuer"].value == "https://id.example.org"
    assert rows["seal_key"].secret and rows["seal_key"].value == ""
    assert all(SECRET not in row.value for row in rows.values())

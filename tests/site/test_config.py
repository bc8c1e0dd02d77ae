"""``[signin]`` and ``public_url``: read from the file and the environment, checked at
start-up with one sentence naming the setting; the CLI serves beyond 127.0.0.1 only
behind a sign-in; every text of the kit's templates has its Dutch translation."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from bot.access.models import Role
from bot.cli import check_serving, main
from bot.i18n import LOCALE_DIR
from bot.settings import ConfigError, load_settings

ROOT = Path(__file__).resolve().parents[2]
SIGNIN = """
[signin]
issuer = "https://login.microsoftonline.com/0000-tenant/v2.0"
client_id = "11111111-2222-3333-4444-555555555555"
roles_claim = "roles"
idle_minutes = 20

[signin.roles]
coordinator = ["Meldbot.Coordinator"]
admin = ["Meldbot.Admin"]
"""


def _config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, body: str) -> None:
    path = tmp_path / "meldbot.toml"
    path.write_text(body)
    monkeypatch.setenv("MELDBOT_CONFIG", str(path))


def test_the_file_names_the_provider_and_the_environment_holds_the_secret(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    body = 'public_url = "https://meldbot.example.org/"\nweb_chat = "off"\n' + SIGNIN
    _config(tmp_path, monkeypatch, body)
    monkeypatch.setenv("MELDBOT_SIGNIN__CLIENT_SECRET", "uit-de-omgeving")
    settings = load_settings()
    assert settings.public_url == "https://meldbot.example.org"
    signin = settings.signin
    assert signin is not None and signin.client_secret == "uit-de-omgeving"
    assert signin.discovery_url == (
        "https://login.microsoftonline.com/0000-tenant/v2.0/.well-known/openid-configuration"
    )
    assert signin.scopes == ["openid", "profile", "email"]
    assert signin.session_length.total_seconds() == 8 * 3600
    assert signin.idle_timeout.total_seconds() == 20 * 60
    assert signin.roles_of({"roles": ["Meldbot.Admin", "x"]}) == {Role.ADMIN}
    assert signin.roles_of({"roles": "Meldbot.Coordinator"}) == {Role.COORDINATOR}
    assert signin.roles_of({"groups": ["Meldbot.Admin"]}) == frozenset()


def test_a_dotted_roles_claim_reaches_into_keycloaks_realm_access(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    body = SIGNIN.replace('roles_claim = "roles"', 'roles_claim = "realm_access.roles"')
    _config(tmp_path, monkeypatch, body)
    signin = load_settings().signin
    assert signin is not None
    claims = {"realm_access": {"roles": ["offline_access", "Meldbot.Coordinator"]}}
    assert signin.roles_of(claims) == {Role.COORDINATOR}
    assert signin.roles_of({"realm_access": "nee"}) == frozenset()


@pytest.mark.parametrize(
    ("change", "named"),
    [
        (('issuer = "https://', 'issuer = "http://'), "signin issuer"),
        (('roles_claim = "roles"', 'scopes = ["profile"]'), "openid"),
        (("coordinator = ", "superuser = "), "signin roles"),
        (("idle_minutes = 20", "idle_minutes = 600"), "idle_minutes"),
    ],
)
def test_a_wrong_sign_in_setting_stops_start_up_naming_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, change: tuple[str, str], named: str
) -> None:
    _config(tmp_path, monkeypatch, SIGNIN.replace(*change))
    with pytest.raises(ConfigError, match=named):
        load_settings()


def test_public_url_must_be_https_beyond_this_machine(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MELDBOT_PUBLIC_URL", "http://meldbot.example.org")
    with pytest.raises(ConfigError, match="MELDBOT_PUBLIC_URL"):
        load_settings()


def test_the_cli_serves_beyond_this_machine_only_behind_a_sign_in(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("MELDBOT_DATA_DIR", str(tmp_path))
    assert main(["serve", "--host", "0.0.0.0"]) == 2  # noqa: S104 (refused, never bound)
    assert "[signin] is missing" in capsys.readouterr().err
    _config(tmp_path, monkeypatch, SIGNIN)
    assert main(["serve", "--host", "192.0.2.2"]) == 2, "public_url is still plain http"
    assert "MELDBOT_PUBLIC_URL must be an https://" in capsys.readouterr().err
    monkeypatch.setenv("MELDBOT_PUBLIC_URL", "https://meldbot.example.org")
    monkeypatch.setenv("MELDBOT_WEB_CHAT", "off")
    check_serving(load_settings(), "0.0.0.0")  # noqa: S104 (a sign-in, and https: passes)
    monkeypatch.delenv("MELDBOT_CONFIG")
    monkeypatch.delenv("MELDBOT_PUBLIC_URL")
    monkeypatch.delenv("MELDBOT_WEB_CHAT")
    for host in ("127.0.0.1", "localhost", "::1"):
        check_serving(load_settings(), host)  # the embedded default on this machine


def test_every_text_of_the_templates_has_a_dutch_translation() -> None:
    with (LOCALE_DIR / "nl" / "LC_MESSAGES" / "meldbot.po").open("rb") as source:
        catalog = read_po(source, locale="nl")
    found = {
        message if isinstance(message, str) else message[0]
        for _file, _line, message, _comments, _context in extract_from_dir(
            ROOT / "adapters",
            method_map=[("**/templates/**.html", "jinja2")],
            keywords={"t": None, "N_": None},
        )
    }
    assert len(found) > 20
    missing = sorted(m for m in found if not (catalog.get(m) and catalog.get(m).string))
    assert not missing, f"run `make translations` and translate: {missing}"

"""The Teams app package: valid against Microsoft's own manifest schema, icons as Teams
requires them, ids an admin can rely on, and commands the bot actually understands.

The schema comes from Microsoft's npm package (scripts/teams-schema puts it in .cache/);
nothing here touches the network.
"""

from __future__ import annotations

import importlib.util
import json
import re
import struct
import uuid
import zipfile
import zlib
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft7Validator, validators
from jsonschema.protocols import Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

from adapters.teams.package import APP_ID_NAMESPACE, TEMPLATE_DIR, app_id_for, build_package
from bot.cli import main
from bot.settings import ConfigError
from dialogs.router import GREETINGS, STATUS_WORDS
from tests.conftest import _require

ROOT = Path(__file__).resolve().parents[2]
SCHEMA_CACHE = ROOT / ".cache" / "teams-manifest-schema"
BOT_ID = "6F1C2B3A-0D4E-4F5A-8B6C-7D8E9F0A1B2C"
FILES = {"manifest.json", "color.png", "outline.png", "en.json"}

GOOD: dict[str, Any] = {
    "bot_id": BOT_ID,
    "version": "1.2.3",
    "developer_name": "Gemeente Voorbeeld",
    "website": "https://intranet.voorbeeld.nl/meldbot",
    "privacy_url": "https://www.voorbeeld.nl/privacy",
    "terms_url": "https://intranet.voorbeeld.nl/meldbot/voorwaarden",
    "valid_domain": None,
}


def template() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((TEMPLATE_DIR / "manifest.json").read_text())
    return loaded


def schema_version() -> str:
    """The manifest version the template is written for, as the schema's folder names it."""
    return "v" + str(template()["manifestVersion"])


@pytest.fixture(scope="session")
def schema_dir() -> Path:
    folder = SCHEMA_CACHE / schema_version()
    if not (folder / "MicrosoftTeams.schema.json").is_file():
        _require(f"The Teams manifest schema in {folder} (run scripts/teams-schema; needs npm)")
    return folder


def validator(folder: Path, name: str) -> Validator:
    """A validator for one of the schema files, with the others at hand for ``$ref``s."""
    resources = [
        (path.name, Resource.from_contents(json.loads(path.read_text()), DRAFT4))
        for path in folder.glob("*.json")
    ]
    schema = json.loads((folder / name).read_text())
    base = validators.validator_for(schema)
    # The schema declares draft-04 but pins manifestVersion with draft-06's ``const``.
    checked = validators.extend(base, {"const": Draft7Validator.VALIDATORS["const"]})
    made: Validator = checked(
        schema,
        registry=Registry().with_resources(resources),
        format_checker=base.FORMAT_CHECKER,
    )
    return made


def problems(folder: Path, name: str, document: dict[str, Any]) -> list[str]:
    errors = validator(folder, name).iter_errors(document)
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in errors]


def build(tmp_path: Path, **changes: Any) -> Path:
    return build_package(output=tmp_path / "meldbot-teams.zip", **(GOOD | changes))


def contents(package: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(package) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def manifest_of(package: Path) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(contents(package)["manifest.json"])
    return loaded


def test_the_package_is_valid_against_the_official_schema(tmp_path: Path, schema_dir: Path) -> None:
    files = contents(build(tmp_path, valid_domain="meldbot.voorbeeld.nl"))
    assert set(files) == FILES  # all at the root of the zip, as Teams requires

    manifest = json.loads(files["manifest.json"])
    assert problems(schema_dir, "MicrosoftTeams.schema.json", manifest) == []
    broken = json.loads(files["manifest.json"])  # the check itself does catch mistakes
    broken["manifestVersion"], broken["bots"][0]["botId"] = "1.29", "meldbot"
    broken["description"]["short"] = "x" * 81
    assert len(problems(schema_dir, "MicrosoftTeams.schema.json", broken)) == 3
    schema = json.loads((schema_dir / "MicrosoftTeams.schema.json").read_text())
    assert manifest["manifestVersion"] == schema["properties"]["manifestVersion"]["const"]
    assert manifest["$schema"].endswith(f"/{schema_version()}/MicrosoftTeams.schema.json")

    english = json.loads(files["en.json"])
    assert problems(schema_dir, "MicrosoftTeams.Localization.schema.json", english) == []
    assert english["$schema"].endswith(
        f"/{schema_version()}/MicrosoftTeams.Localization.schema.json"
    )
    assert not re.search(r"\{\{|\}\}", files["manifest.json"].decode())


def test_the_schema_is_the_version_the_fetch_script_pins() -> None:
    script = (ROOT / "scripts" / "teams-schema").read_text()
    assert f'SCHEMA_VERSION="{schema_version()}"' in script
    assert "DevPreview" not in schema_version()


def test_the_manifest_describes_a_conversational_bot_in_dutch_first(tmp_path: Path) -> None:
    manifest = manifest_of(build(tmp_path))
    [bot] = manifest["bots"]
    assert set(bot["scopes"]) == {"personal", "team"}
    assert bot["supportsFiles"] is True, "staff send photos and PDFs in their personal chat"
    assert bot["isNotificationOnly"] is False
    assert manifest["localizationInfo"]["defaultLanguageTag"] == "nl"
    assert manifest["localizationInfo"]["additionalLanguages"] == [
        {"languageTag": "en", "file": "en.json"}
    ]
    assert manifest["name"] == {
        "short": "meldbot",
        "full": "meldbot — melden van agressie en signalen",
    }
    assert len(manifest["description"]["short"]) <= 80
    assert manifest["developer"] == {
        "name": GOOD["developer_name"],
        "websiteUrl": GOOD["website"],
        "privacyUrl": GOOD["privacy_url"],
        "termsOfUseUrl": GOOD["terms_url"],
    }
    assert manifest["version"] == "1.2.3"


def test_no_resource_specific_consent_is_asked(tmp_path: Path) -> None:
    # meldbot uses only the bot APIs, which need the app installed, not RSC: posting and
    # updating in a channel of a team it is in, 1:1 chats with users who have it, and the
    # team's roster (paged members carry the Entra object id). No Graph, no SSO.
    manifest = manifest_of(build(tmp_path))
    assert "authorization" not in manifest
    assert "webApplicationInfo" not in manifest
    assert "permissions" not in manifest


def test_commands_are_words_the_bot_understands(tmp_path: Path) -> None:
    files = contents(build(tmp_path))
    manifest, english = json.loads(files["manifest.json"]), json.loads(files["en.json"])
    [command_list] = manifest["bots"][0]["commandLists"]
    assert command_list["scopes"] == ["personal"]  # in channels meldbot reads no messages
    dutch = [command["title"] for command in command_list["commands"]]
    assert dutch == ["melden", "status", "menu"]
    translated = [
        english[f"bots[0].commandLists[0].commands[{i}].title"] for i in range(len(dutch))
    ]
    for titles in (dutch, translated):
        assert titles[0] in GREETINGS
        assert titles[1] in STATUS_WORDS
        assert titles[2] in GREETINGS
    for i, command in enumerate(command_list["commands"]):
        assert command["description"]
        assert english[f"bots[0].commandLists[0].commands[{i}].description"]


def test_ids(tmp_path: Path) -> None:
    manifest = manifest_of(build(tmp_path))
    assert manifest["bots"][0]["botId"] == BOT_ID.lower()
    assert manifest["id"] == str(uuid.uuid5(APP_ID_NAMESPACE, BOT_ID.lower()))
    assert manifest["id"] == app_id_for(BOT_ID) == app_id_for(BOT_ID.lower())
    assert app_id_for("00000000-0000-0000-0000-000000000001") != manifest["id"]

    given = "0b5c8f0e-3f3a-4c59-9f43-5a7d8f6c2e11"
    assert manifest_of(build(tmp_path / "given", app_id=given.upper()))["id"] == given


def test_building_again_gives_the_same_package(tmp_path: Path) -> None:
    first = build(tmp_path / "a").read_bytes()
    assert build(tmp_path / "b").read_bytes() == first


def test_valid_domains_are_only_the_one_given(tmp_path: Path) -> None:
    assert manifest_of(build(tmp_path / "none"))["validDomains"] == []
    with_domain = build(tmp_path / "one", valid_domain="Meldbot.Voorbeeld.nl")
    assert manifest_of(with_domain)["validDomains"] == ["meldbot.voorbeeld.nl"]


def test_an_output_directory_gets_the_default_name(tmp_path: Path) -> None:
    path = build_package(output=tmp_path, **GOOD)
    assert path == tmp_path / "meldbot-teams.zip"
    assert path.is_file()


@pytest.mark.parametrize(
    ("change", "named"),
    [
        ({"bot_id": "not-a-guid"}, "bot id"),
        ({"bot_id": ""}, "bot id"),
        ({"bot_id": "{6f1c2b3a-0d4e-4f5a-8b6c-7d8e9f0a1b2c}"}, "bot id"),
        ({"app_id": "meldbot"}, "app id"),
        ({"version": "1.0"}, "version"),
        ({"version": "1.0.0-beta"}, "version"),
        ({"developer_name": " "}, "developer name"),
        ({"developer_name": "Gemeente Voorbeeld, afdeling Veiligheid"}, "developer name"),
        ({"website": "http://intranet.voorbeeld.nl"}, "website"),
        ({"privacy_url": ""}, "privacy"),
        ({"terms_url": "intranet.voorbeeld.nl/voorwaarden"}, "terms"),
        ({"valid_domain": "https://meldbot.voorbeeld.nl"}, "domain"),
        ({"valid_domain": "meldbot.voorbeeld.nl/api"}, "domain"),
    ],
)
def test_bad_input_is_refused_in_one_sentence(
    tmp_path: Path, change: dict[str, Any], named: str
) -> None:
    with pytest.raises(ConfigError) as refused:
        build(tmp_path, **change)
    message = str(refused.value)
    assert named in message.lower()
    assert message.endswith(".") and "\n" not in message
    assert not (tmp_path / "meldbot-teams.zip").exists()


def test_a_template_with_an_unknown_placeholder_is_refused(tmp_path: Path) -> None:
    broken = tmp_path / "template"
    broken.mkdir()
    for name in FILES:
        (broken / name).write_bytes((TEMPLATE_DIR / name).read_bytes())
    manifest = template()
    manifest["developer"]["mpnId"] = "{{MPN_ID}}"
    (broken / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(ConfigError, match=r"\{\{MPN_ID\}\}"):
        build(tmp_path, manifest_dir=broken)
    (broken / "outline.png").unlink()
    manifest["developer"].pop("mpnId")
    (broken / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(ConfigError, match=r"outline\.png"):
        build(tmp_path, manifest_dir=broken)
    with pytest.raises(ConfigError, match="no Teams manifest template"):
        build(tmp_path, manifest_dir=tmp_path / "nowhere")


def read_png(data: bytes) -> tuple[int, int, list[list[tuple[int, int, int, int]]]]:
    """Width, height and RGBA rows of an 8-bit RGB or RGBA PNG, checking every CRC."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    position, chunks = 8, []
    while position < len(data):
        (length,) = struct.unpack(">I", data[position : position + 4])
        kind = data[position + 4 : position + 8]
        body = data[position + 8 : position + 8 + length]
        (crc,) = struct.unpack(">I", data[position + 8 + length : position + 12 + length])
        assert zlib.crc32(kind + body) == crc
        chunks.append((kind, body))
        position += 12 + length
    assert chunks[0][0] == b"IHDR" and chunks[-1][0] == b"IEND"
    width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", chunks[0][1])
    assert (depth, interlace) == (8, 0) and colour in {2, 6}
    channels = 4 if colour == 6 else 3
    raw = zlib.decompress(b"".join(body for kind, body in chunks if kind == b"IDAT"))
    stride = width * channels
    rows: list[list[tuple[int, int, int, int]]] = []
    previous = bytearray(stride)
    for y in range(height):
        line = raw[y * (stride + 1) : (y + 1) * (stride + 1)]
        filter_type, current = line[0], bytearray(line[1:])
        for i in range(stride):
            left = current[i - channels] if i >= channels else 0
            up, corner = previous[i], previous[i - channels] if i >= channels else 0
            if filter_type == 1:
                current[i] = (current[i] + left) & 0xFF
            elif filter_type == 2:
                current[i] = (current[i] + up) & 0xFF
            elif filter_type == 3:
                current[i] = (current[i] + (left + up) // 2) & 0xFF
            elif filter_type == 4:
                p = left + up - corner
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
                guess = left if pa <= pb and pa <= pc else up if pb <= pc else corner
                current[i] = (current[i] + guess) & 0xFF
        pixels = [tuple(current[x * channels : (x + 1) * channels]) for x in range(width)]
        rows.append([(p[0], p[1], p[2], p[3] if channels == 4 else 255) for p in pixels])
        previous = current
    return width, height, rows


def test_icons_are_the_sizes_and_colours_teams_requires(tmp_path: Path) -> None:
    files = contents(build(tmp_path))
    width, height, rows = read_png(files["color.png"])
    assert (width, height) == (192, 192)
    pixels = [pixel for row in rows for pixel in row]
    assert all(alpha == 255 for *_, alpha in pixels)  # full colour, on a solid background
    assert len({pixel[:3] for pixel in pixels}) > 2

    width, height, rows = read_png(files["outline.png"])
    assert (width, height) == (32, 32)
    pixels = [pixel for row in rows for pixel in row]
    assert all(pixel[:3] == (255, 255, 255) for pixel in pixels)  # white, only opacity varies
    assert any(alpha == 255 for *_, alpha in pixels)
    assert any(alpha == 0 for *_, alpha in pixels)


def test_the_icons_are_what_the_script_draws() -> None:
    spec = importlib.util.spec_from_file_location("teams_icons", ROOT / "scripts/teams-icons.py")
    assert spec is not None and spec.loader is not None
    icons = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(icons)
    assert icons.colour_icon() == (TEMPLATE_DIR / "color.png").read_bytes()
    assert icons.outline_icon() == (TEMPLATE_DIR / "outline.png").read_bytes()


def test_the_command_builds_the_package(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("CONNECTIONS__SERVICE_CONNECTION__SETTINGS__CLIENTID", BOT_ID)
    monkeypatch.setenv("MELDBOT_ORGANISATION", "Gemeente Ergens")
    output = tmp_path / "out" / "meldbot.zip"
    code = main(
        [
            "teams-package",
            "--output",
            str(output),
            "--website",
            GOOD["website"],
            "--privacy-url",
            GOOD["privacy_url"],
            "--domain",
            "meldbot.voorbeeld.nl",
        ]
    )
    assert code == 0
    printed = capsys.readouterr().out
    assert str(output) in printed
    assert "Teams admin center" in printed
    manifest = manifest_of(output)
    assert manifest["bots"][0]["botId"] == BOT_ID.lower()
    assert manifest["id"] == app_id_for(BOT_ID)
    assert manifest["developer"]["name"] == "Gemeente Ergens"
    assert manifest["developer"]["termsOfUseUrl"] == GOOD["website"]
    assert manifest["validDomains"] == ["meldbot.voorbeeld.nl"]
    assert re.fullmatch(r"\d+\.\d+\.\d+", manifest["version"])


@pytest.mark.parametrize(
    ("arguments", "named"),
    [
        (["--bot-id", BOT_ID, "--privacy-url", "https://x.nl/privacy"], "--website"),
        (["--bot-id", BOT_ID, "--website", "https://x.nl"], "--privacy-url"),
        (["--website", "https://x.nl", "--privacy-url", "https://x.nl/p"], "bot id"),
        (
            ["--bot-id", "abc", "--website", "https://x.nl", "--privacy-url", "https://x.nl/p"],
            "GUID",
        ),
    ],
)
def test_the_command_names_what_is_missing(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    arguments: list[str],
    named: str,
) -> None:
    monkeypatch.delenv("CONNECTIONS__SERVICE_CONNECTION__SETTINGS__CLIENTID", raising=False)
    output = tmp_path / "meldbot.zip"
    assert main(["teams-package", "--output", str(output), *arguments]) == 2
    error = capsys.readouterr().err.strip()
    assert error.startswith("meldbot: ") and named in error and "\n" not in error
    assert not output.exists()

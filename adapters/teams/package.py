"""The Teams app package: the zip an admin uploads to make meldbot an app in Teams.

It holds ``manifest.json`` (filled in from the template in ``manifest/teams``), the two
icons and the English strings, all at the root of the zip as Teams requires. The app's
own id is derived from the bot id, so a package built again for the same bot updates the
same app instead of adding a second one.
"""

from __future__ import annotations

import json
import re
import uuid
import zipfile
from collections.abc import Mapping
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import urlsplit

from bot.settings import ConfigError

TEMPLATE_DIR = Path(__file__).resolve().parents[2] / "manifest" / "teams"
MANIFEST = "manifest.json"
DEFAULT_OUTPUT = "meldbot-teams.zip"
# Never change this: every meldbot app id in every tenant is derived from it.
APP_ID_NAMESPACE = uuid.UUID("5b0e4f4e-6d1a-4c1b-9a57-1f4e79a1e7d0")

_GUID = re.compile(r"[0-9a-fA-F]{8}-(?:[0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}")
_VERSION = re.compile(r"(?:0|[1-9][0-9]{0,8})(?:\.(?:0|[1-9][0-9]{0,8})){2}")
_DOMAIN = re.compile(
    r"(?:\*\.)?(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9-]{2,63}(?::[0-9]{1,5})?"
)
_PLACEHOLDER = re.compile(r"\{\{([A-Z_]+)\}\}")
_DEVELOPER_NAME_MAX = 32
_URL_MAX = 2048
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # fixed, so the same input gives the same zip


def app_id_for(bot_id: str) -> str:
    """The Teams app id for a bot: stable, so re-uploading updates the same app."""
    return str(uuid.uuid5(APP_ID_NAMESPACE, bot_id.lower()))


def build_package(
    *,
    bot_id: str,
    output: Path,
    version: str,
    developer_name: str,
    website: str,
    privacy_url: str,
    terms_url: str,
    valid_domain: str | None,
    manifest_dir: Path | None = None,
    app_id: str | None = None,
) -> Path:
    """Fill in the manifest template and write the app package; returns the zip's path."""
    bot_id = _guid(
        bot_id,
        "The bot id",
        "give the Entra app's application (client) id with --bot-id or "
        "CONNECTIONS__SERVICE_CONNECTION__SETTINGS__CLIENTID",
    )
    if app_id is None:
        app_id = app_id_for(bot_id)
    else:
        app_id = _guid(app_id, "The app id", "leave it out to derive one from the bot id")
    values: dict[str, str | None] = {
        "BOT_ID": bot_id,
        "APP_ID": app_id,
        "VERSION": _version(version),
        "DEVELOPER_NAME": _developer_name(developer_name),
        "WEBSITE": _https_url(website, "The website", "--website"),
        "PRIVACY_URL": _https_url(privacy_url, "The privacy statement URL", "--privacy-url"),
        "TERMS_URL": _https_url(terms_url, "The terms of use URL", "--terms-url"),
        "VALID_DOMAIN": _domain(valid_domain),
    }
    source = TEMPLATE_DIR if manifest_dir is None else manifest_dir
    template = source / MANIFEST
    if not template.is_file():
        raise ConfigError(f"There is no Teams manifest template at {template}.")
    manifest = _fill(json.loads(template.read_text(encoding="utf-8")), values)
    leftover = _PLACEHOLDER.search(json.dumps(manifest))
    if leftover:
        raise ConfigError(f"The Teams manifest template {template} has an unknown {leftover[0]}.")

    files = {name: (source / name).read_bytes() for name in _package_files(manifest, source)}
    if output.is_dir():
        output = output / DEFAULT_OUTPUT
    output.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(output, "w", compression=zipfile.ZIP_DEFLATED) as package:
        _add(package, MANIFEST, json.dumps(manifest, indent=2, ensure_ascii=False) + "\n")
        for name, data in files.items():
            _add(package, name, data)
    return output


def _add(package: zipfile.ZipFile, name: str, data: str | bytes) -> None:
    info = zipfile.ZipInfo(name, date_time=_ZIP_TIME)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    package.writestr(info, data)


def _fill(node: Any, values: Mapping[str, str | None]) -> Any:
    """Replace ``{{NAME}}`` in every string; a list item that is only an absent value goes."""
    if isinstance(node, dict):
        return {key: _fill(value, values) for key, value in node.items()}
    if isinstance(node, list):
        return [_fill(item, values) for item in node if not _absent(item, values)]
    if isinstance(node, str):

        def replace(match: re.Match[str]) -> str:
            value = values.get(match[1])
            return match[0] if value is None else value

        return _PLACEHOLDER.sub(replace, node)
    return node


def _absent(item: Any, values: Mapping[str, str | None]) -> bool:
    whole = _PLACEHOLDER.fullmatch(item) if isinstance(item, str) else None
    return whole is not None and whole[1] in values and values[whole[1]] is None


def _package_files(manifest: Mapping[str, Any], source: Path) -> list[str]:
    """The icons and language files the manifest names; each must be in the template dir."""
    names = list(manifest.get("icons", {}).values())
    localization = manifest.get("localizationInfo", {})
    names += [language["file"] for language in localization.get("additionalLanguages", [])]
    if "defaultLanguageFile" in localization:
        names.append(localization["defaultLanguageFile"])
    for name in names:
        path = PurePosixPath(name)
        if path.is_absolute() or ".." in path.parts or name == MANIFEST:
            raise ConfigError(f"The Teams manifest names {name}, which cannot go in the package.")
        if not (source / name).is_file():
            raise ConfigError(f"The Teams manifest names {name}, which is not in {source}.")
    return list(dict.fromkeys(names))


def _guid(value: str, what: str, hint: str) -> str:
    value = value.strip()
    if not value:
        raise ConfigError(f"{what} is missing: {hint}.")
    if not _GUID.fullmatch(value):
        raise ConfigError(
            f"{what} {value!r} is not a GUID such as 00000000-0000-0000-0000-000000000000: {hint}."
        )
    return value.lower()


def _version(value: str) -> str:
    value = value.strip()
    if not _VERSION.fullmatch(value):
        raise ConfigError(
            f"The app version {value!r} must be three numbers such as 1.0.0 "
            "(Teams needs a higher one for every update; set it with --version)."
        )
    return value


def _developer_name(value: str) -> str:
    value = " ".join(value.split())
    if not value:
        raise ConfigError("The developer name is missing: give your organisation's name.")
    if len(value) > _DEVELOPER_NAME_MAX:
        raise ConfigError(
            f"The developer name {value!r} is longer than Teams allows "
            f"({_DEVELOPER_NAME_MAX} characters): give a shorter one with --developer-name."
        )
    return value


def _https_url(value: str, what: str, option: str) -> str:
    value = value.strip()
    if not value:
        raise ConfigError(f"{what} is missing: give it with {option}.")
    parts = urlsplit(value)
    if parts.scheme.lower() != "https" or not parts.hostname or any(c.isspace() for c in value):
        raise ConfigError(f"{what} {value!r} must be an https:// address.")
    if len(value) > _URL_MAX:
        raise ConfigError(f"{what} is longer than Teams allows ({_URL_MAX} characters).")
    return value


def _domain(value: str | None) -> str | None:
    if value is None or not value.strip():
        return None
    domain = value.strip().lower()
    if not _DOMAIN.fullmatch(domain):
        raise ConfigError(
            f"The domain {value!r} must be a host name such as meldbot.example.org, "
            "without https:// or a path."
        )
    return domain

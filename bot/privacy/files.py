"""The inzage as files: ``meldbot-inzage-<date>.json`` and its summary in plain Dutch."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import date
from pathlib import Path
from string import Template

from bot.privacy.models import Inzage

TEMPLATES = Path(__file__).parent / "templates"
# Every count a summary may name: one a role does not have reads as 0.
COUNTED = (
    *("cases", "messages", "withheld", "states"),
    *("audit", "consultations", "console", "invitations"),
)


def names(made_on: date) -> tuple[str, str]:
    stem = f"meldbot-inzage-{made_on.isoformat()}"
    return f"{stem}.json", f"{stem}-samenvatting.txt"


def as_json(inzage: Inzage, made_on: date) -> str:
    document = {
        "about": "Everything meldbot holds about one person (AVG art. 15)",
        "made_on": made_on.isoformat(),
        "person": {"role": inzage.person.role.value, "key": inzage.person.key},
        "counts": inzage.counts,
        **inzage.data,
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def summary(inzage: Inzage, made_on: date, organisation: str) -> str:
    """The summary in B1 Dutch, from the role's template and the shared part."""
    values = {
        "date": made_on.strftime("%d-%m-%Y"),
        "organisation": organisation,
        "json": names(made_on)[0],
        **dict.fromkeys(COUNTED, "0"),
        **{name: str(count) for name, count in inzage.counts.items()},
    }
    text = (TEMPLATES / f"{inzage.person.role.value}.txt").read_text("utf-8")
    text += (TEMPLATES / "common.txt").read_text("utf-8")
    return Template(text).safe_substitute(values)


def write(inzage: Inzage, made_on: date, organisation: str, folder: Path) -> list[Path]:
    """Both files in ``folder`` (made if missing); their paths."""
    folder.mkdir(parents=True, exist_ok=True)
    json_name, summary_name = names(made_on)
    written = [folder / json_name, folder / summary_name]
    written[0].write_text(as_json(inzage, made_on), "utf-8")
    written[1].write_text(summary(inzage, made_on, organisation), "utf-8")
    return written


def as_zip(inzage: Inzage, made_on: date, organisation: str) -> bytes:
    out = io.BytesIO()
    json_name, summary_name = names(made_on)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(json_name, as_json(inzage, made_on))
        archive.writestr(summary_name, summary(inzage, made_on, organisation))
    return out.getvalue()

"""``meldbot privacy export|erase``: a data-subject request answered from the command line.

Exit 0 when done (also when meldbot holds nothing about the person: it says so), 2 with
one sentence for bad input. Audited with the actor ``cli``.
"""

from __future__ import annotations

import argparse
from datetime import UTC, datetime
from pathlib import Path

from bot.case.errors import CaseError
from bot.privacy.files import write
from bot.privacy.models import Erasure, Person, Role
from bot.privacy.service import PrivacyDesk
from bot.settings import Settings

KINDS = {
    "cases": "case(s)",
    "states": "chat setting(s) and address(es)",
    "consultations": "answered consultation(s)",
    "console": "console identity and session(s)",
    "invitations": "invitation(s)",
}


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    privacy = commands.add_parser("privacy", help="inzage and erasure for one person (AVG)")
    actions = privacy.add_subparsers(dest="privacy_action", required=True)
    export = actions.add_parser("export", help="everything meldbot holds about one person")
    erase = actions.add_parser("erase", help="erase it (shows what would go without --confirm)")
    for action in (export, erase):
        who = action.add_mutually_exclusive_group(required=True)
        who.add_argument("--reporter", metavar="KEY", help="a chat identity, such as slack:U1")
        who.add_argument("--coordinator", metavar="KEY", help="slack:U1 or console:<subject>")
        who.add_argument("--manager", metavar="KEY", help="as invited: slack:U1, email:…")
    export.add_argument("--output", type=Path, required=True, metavar="DIR")
    erase.add_argument("--confirm", action="store_true", help="erase it now")


def person_of(args: argparse.Namespace) -> Person:
    for role in Role:
        typed = getattr(args, role.value)
        if typed is not None:
            return Person.of(role, typed)
    raise AssertionError("argparse requires one")


async def run(settings: Settings, args: argparse.Namespace) -> int:
    from bot.app import opened_database

    try:
        person = person_of(args)
    except CaseError as error:
        print(f"meldbot: {error.reason}")
        return 2
    async with opened_database(settings) as database:
        desk = PrivacyDesk(database, lambda: datetime.now(UTC))
        if args.privacy_action == "export":
            return await _export(desk, person, args.output, settings.organisation)
        return _told(await desk.erase(None, person, confirm=args.confirm))


async def _export(desk: PrivacyDesk, person: Person, folder: Path, organisation: str) -> int:
    if not _usable(folder):
        print(f"meldbot: {folder} is not a folder meldbot can write in.")
        return 2
    found = await desk.export(None, person)
    if found.empty:
        print(f"meldbot: nothing is held about {person.key} as {person.role.value}; no file made.")
        return 0
    for path in write(found, datetime.now(UTC).date(), organisation, folder):
        print(f"meldbot: {path}")
    return 0


def _usable(folder: Path) -> bool:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return False
    return folder.is_dir()


def _told(erasure: Erasure) -> int:
    person = erasure.person
    if erasure.nothing_found and not erasure.kept_audit_entries:
        print(f"meldbot: nothing is held about {person.key} as {person.role.value}.")
        return 0
    verb = "erased" if erasure.done else "would erase"
    for kind, count in erasure.forgotten.items():
        if count:
            print(f"meldbot: {verb} {count} {KINDS[kind]}")
    for refused in erasure.refused:
        print(
            f"meldbot: kept {refused.reference} (status {refused.status}): the case is still "
            "in handling (AVG art. 17(3)); ask again after it is closed"
        )
    if erasure.kept_audit_entries:
        print(
            f"meldbot: kept {erasure.kept_audit_entries} audit log entries: the proof of who "
            "read and changed a case, until the audit log's own retention ends"
        )
    if not erasure.done:
        print("meldbot: nothing is changed yet; run again with --confirm to erase")
    return 0

"""What the minimal-channel tests tell meldbot on Slack and look for in what it sent.

Every text a person writes carries a word that occurs nowhere else (birds), so a scan of
everything meldbot sent can tell where each one went.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import Any

from tests import files
from tests.fakes.slack_api import Call, FakeSlack
from tests.slack.anonymity_support import STAFF_DM, STAFF_IDS

PUBLIC_URL = "https://meldbot.example.org"
ANNA, BOB = "UANNA", "UBOB"  # named reporters; Slack shows a name for a user id
ON_CALL, OTHER = "UCOORD2", "UOUTSIDER"
NAMED_STORY = "De klant smeet de kwartelvaas kapot bij het loket."
URGENT_STORY = "Een man met een ijzeren staaf bedreigt ons nu bij de parelhoenbalie."
URGENT_PLACE = "Parelhoenbalie, tweede verdieping"
ANONYMOUS_STORY = "Een klant schold een collega uit bij de grutto-ingang."
ANONYMOUS_PLACE = "Grutto-ingang"
QUESTION = "Droeg hij een flamingojas?"
ANSWER = "Ja, een rode flamingojas met capuchon."
ADDITION = "Later stond hij nog bij de ijsvogelbrug."
STATUS_MESSAGE = "We sturen hem een brief over de pelikaanzaak."
STATUS_NOTE = "Reigerdossier bijwerken na de brief."
CLOSE_SUMMARY = "Afgerond na het zilverreigergesprek."
CLOSE_MESSAGE = "Dank je wel voor je melding, groet van het lepelaarteam."
CONSULT_QUESTION = "Mag ik een klant weigeren die over de tureluur dreigt?"
CONSULT_ANSWER = "Ja, bespreek de tureluurkwestie met je leidinggevende."
FILE_NAME = "korhoen-stoel.jpg"
PHOTO = files.image("JPEG", size=(40, 30))

# What must never reach a coordinator's side of Slack with channel_content = "minimal".
CONTENT = (
    "kwartelvaas",
    "parelhoen",
    "grutto",
    "flamingojas",
    "ijsvogelbrug",
    "pelikaanzaak",
    "reigerdossier",
    "zilverreiger",
    "lepelaarteam",
    "tureluur",
    "korhoen",
)
NAMES = (ANNA, BOB, *STAFF_IDS)
REPORTER_CHATS = frozenset({"D" + ANNA, "D" + BOB, STAFF_DM})
COORDINATOR_FORMS = frozenset(
    {"case.question", "case.status", "case.close", "case.correct", "consult.answer"}
)
READS = frozenset(
    {"auth.test", "conversations.open", "conversations.members", "users.info", "files.info"}
)
FILE_CALLS = frozenset({"files.getUploadURLExternal", "files.completeUploadExternal", "upload"})
REFERENCE = re.compile(r"M-\d{4}-\d{4}")


def case_page(reference: str) -> str:
    return f"{PUBLIC_URL}/console/zaken/{reference}"


def coordinator_side(fake: FakeSlack) -> list[Call]:
    """Every call that shows something to someone other than the reporter it is about:
    posts, updates, ephemerals and uploads anywhere but a reporter's DM, and the forms
    coordinators open. Reads (users.info …) and the reporters' own Home and forms aside."""
    shown = []
    for call in fake.calls:
        if call.method in READS or call.method == "views.publish":
            continue
        if call.method.startswith("views."):
            if call.json_param("view").get("callback_id") in COORDINATOR_FORMS:
                shown.append(call)
            continue
        channel = call.params.get("channel") or call.params.get("channel_id")
        if channel not in REPORTER_CHATS:
            shown.append(call)
    return shown


def holding(calls: Iterable[Call], words: Iterable[str]) -> dict[str, list[str]]:
    """``{"chat.update #3": [words found]}`` for the calls that hold any of ``words``."""
    found = {}
    for n, call in enumerate(calls):
        text = json.dumps(call.params, ensure_ascii=False).casefold()
        hits = [word for word in words if word.casefold() in text]
        if hits:
            found[f"{call.method} #{n}"] = hits
    return found


def link_urls(blocks: Iterable[dict[str, Any]]) -> list[str]:
    return [
        str(element["url"])
        for block in blocks
        for element in block.get("elements", [])
        if element.get("type") == "button" and "url" in element
    ]

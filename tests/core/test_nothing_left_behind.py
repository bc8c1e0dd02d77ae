"""Nothing of a person left behind by the anonymous flows: after a language choice, a
draft given up for an anonymous consultation, the consultation answered, read and closed,
the database files' raw bytes (SQLite with its WAL, PostgreSQL's whole data directory)
hold none of their user id or name, in any common form. What is written never holds them:
a PostgreSQL row deleted stays in its file until VACUUM."""

from __future__ import annotations

import uuid

from bot.events import Actor
from tests.core.conftest import JAN, Harness
from tests.core.test_consultation import code_in
from tests.privacy import bytes_holding, raw_database_bytes
from tests.text import buttons, text_of


async def test_the_anonymous_flows_write_no_identifier_to_the_database_files(
    bot: Harness,
) -> None:
    colleague = Actor("web", f"staff-{uuid.uuid4().hex[:12]}", "Noor Onvindbaar")
    ids = [
        colleague.user_id,
        colleague.name or "",
        f"web:{colleague.user_id}",
        f"draft:web:{colleague.user_id}",
        f"language:web:{colleague.user_id}",
    ]
    await bot.press(colleague, "menu.language", "en")
    drafted = await bot.say(colleague, "Een klant schold me uit bij de balie en bleef staan.")
    assert drafted.messages, "a draft report is started"
    opened = await bot.press(colleague, "consult.start")
    assert opened.form is not None and opened.form.form_id == "consult"
    sent = await bot.submit(
        colleague, "consult", {"situation": "Moet ik dit melden?", "notify": "no"}
    )
    await bot.settle()
    code = code_in(sent)
    [root] = bot.platform.roots()
    consultation_id = buttons(root.message)["consult.answer"]
    await bot.submit(JAN, "consult.answer", {"answer": "Ja, meld het."}, consultation_id)
    await bot.settle()
    view = (await bot.say(colleague, f"status {code}")).messages[0]
    assert "Ja, meld het." in text_of(view)
    closed = await bot.press(colleague, "consult.end", buttons(view)["consult.end"])
    assert closed.replace is not None
    await bot.settle()

    control = f"control-{uuid.uuid4().hex}"  # a plain value written last, to be found
    assert await bot.runtime.database.first_delivery(control, bot.clock())

    raw = await raw_database_bytes(bot.runtime.database.engine)
    assert bytes_holding(raw, [control]), "the files read are the database's, up to date"
    assert bytes_holding(raw, ids) == []

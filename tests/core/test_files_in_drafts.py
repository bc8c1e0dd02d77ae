"""Files in the personal chat go along with the report: held with the draft, the case's once
it is sent, named when they cannot come, and never left behind on an anonymous route."""

from __future__ import annotations

from sqlalchemy import text

from bot.case.models import Reporter
from bot.events import Address, IncomingFile, MessageReceived
from bot.ui import Response
from tests import files
from tests.core.conftest import SANNE, Harness
from tests.text import buttons, text_of

PHOTO = IncomingFile("dreigmail.png", "image/png", len(files.PNG), files.PNG)
PROGRAM = IncomingFile("setup.exe", "application/octet-stream", 4, b"MZ\x90\x00")


async def send(bot: Harness, words: str, *attached: IncomingFile) -> Response:
    here = Address("web", f"dm:{SANNE.user_id}", personal=True)
    return await bot.runtime.dialogs.handle(MessageReceived(SANNE, here, words, attached))


async def _held(bot: Harness) -> int:
    async with bot.runtime.database.engine.connect() as connection:
        query = text("SELECT count(*) FROM attachments WHERE case_id IS NULL")
        return int((await connection.execute(query)).scalar() or 0)


async def test_a_photo_with_words_goes_along_with_the_report(bot: Harness) -> None:
    answer = await send(bot, "Deze mail kreeg ik vanochtend van een klant.", PHOTO, PROGRAM)
    draft, refused = answer.messages
    assert "report.send" in buttons(draft)
    assert "setup.exe" in text_of(refused), "a file that cannot come along is named"
    assert await _held(bot) == 1

    sent = await bot.press(SANNE, "report.send", buttons(draft)["report.send"])
    assert sent.result is not None and "bestand" in text_of(sent.result).lower()
    await bot.settle()
    assert await _held(bot) == 0
    [case] = await bot.runtime.cases.cases_of(Reporter("web", SANNE.user_id))
    stored = await bot.runtime.cases.attachments.of_case(case.id)  # type: ignore[union-attr]
    assert [f.name for f in stored] == ["dreigmail.png"]
    [upload] = bot.platform.uploads
    assert upload[2] == files.PNG, "the file reached the case's thread"


async def test_a_photo_alone_asks_for_a_few_words_first(bot: Harness) -> None:
    asked = (await send(bot, "", PHOTO)).messages[0]
    assert "Vertel in een paar zinnen" in text_of(asked) and not buttons(asked)
    draft = (await send(bot, "Een klant stuurde dit op Facebook.")).messages[0]
    assert "report.send" in buttons(draft), "the words complete the draft, nothing to ask"
    await bot.press(SANNE, "report.send", buttons(draft)["report.send"])
    [case] = await bot.runtime.cases.cases_of(Reporter("web", SANNE.user_id))
    assert await bot.runtime.cases.attachments.of_case(case.id)  # type: ignore[union-attr]


async def test_files_are_not_taken_with_an_answer_or_a_code(bot: Harness) -> None:
    answer = await send(bot, "status E6ES-QGYQ-JF8K-PP02", PHOTO)
    assert "niet meegenomen" in text_of(answer.messages[-1])
    assert await _held(bot) == 0


async def test_an_anonymous_route_leaves_no_held_file(bot: Harness) -> None:
    await send(bot, "Een klant bedreigde me.", PHOTO)
    assert await _held(bot) == 1
    await bot.press(SANNE, "consult.start")
    assert await _held(bot) == 0, "nothing sent under her name stays behind"

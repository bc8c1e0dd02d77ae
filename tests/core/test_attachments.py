"""Files with a report: the policy reads the bytes, the service holds and attaches them,
the outbox shows them in the case thread (or a note where the platform cannot)."""

from __future__ import annotations

from typing import Any, Literal

import pytest

from bot.attachments import policy, views
from bot.attachments.models import FileKind, HeldFile, Refusal
from bot.attachments.policy import MIB, Limits
from bot.attachments.service import Attachments
from bot.case.models import NewReport, Reporter
from bot.conversations import DRAFT_TTL
from bot.events import IncomingFile, MessageRef
from bot.i18n import translator
from bot.ports import DeliveryError
from bot.text import filename
from tests import files
from tests.core.conftest import SANNE, Harness
from tests.text import text_of

NL, EN = translator("nl"), translator("en")


def incoming(
    name: str,
    content: bytes | None,
    declared: str = "image/jpeg",
    *,
    size: int | None = None,
    problem: Literal["too_large", "unavailable"] | None = None,
) -> IncomingFile:
    size = len(content or b"") if size is None else size
    return IncomingFile(name, declared, size, content, problem)


def service(bot: Harness) -> Attachments:
    attachments = bot.runtime.cases.attachments
    assert attachments is not None
    return attachments


# -- the policy: bytes decide, limits hold, every refusal has a reason ----------------------


@pytest.mark.parametrize(
    ("content", "kind"),
    [
        (files.PNG, FileKind.PNG),
        (files.JPEG, FileKind.JPEG),
        (files.GIF, FileKind.GIF),
        (files.WEBP, FileKind.WEBP),
        (files.HEIC, FileKind.HEIC),
        (files.PDF, FileKind.PDF),
        (files.EXE, None),
        (files.DOCX, None),
        (files.HTML, None),
        (files.SVG, None),
        (b"", None),
    ],
)
def test_the_kind_comes_from_the_bytes(content: bytes, kind: FileKind | None) -> None:
    assert policy.sniff(content) is kind


def test_a_script_named_like_a_photo_with_a_photo_type_is_refused() -> None:
    [checked] = policy.check([incoming("vakantie.jpg", files.HTML, "image/jpeg")], Limits())
    assert checked.refusal is Refusal.WRONG_TYPE and checked.kind is None


def test_a_photo_named_and_typed_wrongly_is_taken_under_its_real_extension() -> None:
    sent = [
        incoming("scan.pdf", files.PNG, "application/pdf"),
        incoming("IMG_0042", files.HEIC, "application/octet-stream"),
        incoming("verslag v1.2", files.PDF, ""),
    ]
    names = [(c.name, c.kind) for c in policy.check(sent, Limits())]
    assert names == [
        ("scan.png", FileKind.PNG),
        ("IMG_0042.heic", FileKind.HEIC),
        ("verslag v1.2.pdf", FileKind.PDF),
    ]


def test_limits_on_size_and_count_with_a_reason_each() -> None:
    limits = Limits(max_bytes=1000, max_files=2)
    sent = [
        incoming("groot.jpg", files.large(1001)),
        incoming("klein.jpg", files.large(1000)),
        incoming("derde.png", files.PNG),
        incoming("niet-opgehaald.jpg", None, problem="unavailable", size=10),
    ]
    refusals = [c.refusal for c in policy.check(sent, limits)]
    assert refusals == [Refusal.TOO_LARGE, None, Refusal.TOO_MANY, Refusal.TOO_MANY]
    declared = incoming("film.mov", None, "video/quicktime", problem="too_large", size=50 * MIB)
    missing = incoming("weg.jpg", None, problem="unavailable", size=10)
    empty = incoming("leeg.png", b"", "image/png")
    lying = IncomingFile("klein.jpg", "image/jpeg", 10, files.large(2000))  # the size lied
    checked = policy.check([declared, missing, empty, lying], Limits(max_bytes=1000))
    assert [c.refusal for c in checked] == [
        Refusal.TOO_LARGE,
        Refusal.UNAVAILABLE,
        Refusal.EMPTY,
        Refusal.TOO_LARGE,
    ]
    assert checked[3].size == 2000, "the size read, not the size declared"


def test_file_names_lose_paths_hidden_characters_and_length() -> None:
    assert filename("C:\\Users\\sanne\\Desktop\\dreigmail.pdf") == "dreigmail.pdf"
    assert filename("../../etc/passwd") == "passwd"
    assert filename("factuur\u202egpj.exe") == "factuurgpj.exe", "no right-to-left override"
    assert filename("a\x00b\u200bc\tline\nbreak.png") == "abc line break.png"
    assert filename(".hidden") == "hidden"
    long = filename("x" * 300 + ".jpeg")
    assert len(long) == 120 and long.endswith("….jpeg")
    assert len(filename("y" * 300)) == 120
    assert policy.file_name("/", FileKind.PNG) == "file.png"


def test_refusals_name_the_file_and_the_limit_in_dutch_and_english() -> None:
    limits = Limits()
    held = policy.check(
        [
            incoming("scan.docx", files.DOCX, "application/msword"),
            incoming("film.mov", None, problem="too_large", size=23 * MIB + 400 * 1024),
        ],
        limits,
    )
    as_held = [HeldFile(c.name, c.size, c.kind, refusal=c.refusal) for c in held]
    dutch = [views.refusal_text(f, limits, NL) for f in as_held]
    assert dutch == [
        "‘scan.docx’ kan ik niet meenemen: ik neem foto’s (JPG, PNG, HEIC…) en PDF’s aan.",
        "‘film.mov’ is te groot (23,4 MB): ik neem bestanden tot 10 MB aan.",
    ]
    assert views.refusal_text(as_held[1], limits, EN) == (
        "‘film.mov’ is too large (23.4 MB): I accept files up to 10 MB."
    )


# -- the service on a real database ----------------------------------------------------------


async def test_held_files_become_the_cases_and_reach_its_thread(bot: Harness) -> None:
    held = await service(bot).hold(
        [
            incoming("foto.jpg", files.JPEG),
            incoming("mail.pdf", files.PDF, "application/pdf"),
            incoming("virus.exe", files.EXE, "image/png"),
        ]
    )
    assert [h.held for h in held] == [True, True, False]
    assert held[2].refusal is Refusal.WRONG_TYPE
    ids = tuple(h.id for h in held if h.id is not None)

    case = await bot.runtime.cases.report(
        NewReport("Hij stuurde dreigmails.", attachments=ids), Reporter("web", SANNE.user_id)
    )
    await bot.settle()

    [root] = bot.platform.roots()
    uploads = bot.platform.uploads
    assert [(u[0].thread, u[1], u[2]) for u in uploads] == [
        (root.ref.message_id, "foto.jpg", files.JPEG),
        (root.ref.message_id, "mail.pdf", files.PDF),
    ]
    assert uploads[0][3] == f"Een foto, meegestuurd met melding {case.reference} (1 kB)."
    stored = await service(bot).of_case(case.id)
    assert [(f.name, f.kind, f.size) for f in stored] == [
        ("foto.jpg", FileKind.JPEG, len(files.JPEG)),
        ("mail.pdf", FileKind.PDF, len(files.PDF)),
    ]


async def test_a_platform_that_cannot_show_a_file_gets_a_note_and_no_retry(
    bot: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    tries: list[str] = []

    async def cannot_show(address: object, filename: str, *args: object, **kw: object) -> None:
        tries.append(filename)
        raise DeliveryError("this platform shows no HEIC", permanent=True)

    monkeypatch.setattr(bot.platform, "upload", cannot_show)
    [held] = await service(bot).hold([incoming("IMG_1.HEIC", files.HEIC, "image/heic")])
    assert held.id is not None
    await bot.runtime.cases.report(
        NewReport("Foto van de schade.", attachments=(held.id,)), Reporter("web", SANNE.user_id)
    )
    await bot.settle()
    [root] = bot.platform.roots()
    notes = [text_of(s.message) for s in bot.platform.thread(root.ref)]
    assert notes[-1] == (
        "Bijlage ‘IMG_1.HEIC’ (1 kB) is bij de zaak opgeslagen; meldbot kan hem hier niet tonen."
    )
    bot.clock.advance(minutes=10)
    await bot.settle()
    assert tries == ["IMG_1.HEIC"], "a permanent refusal is not tried again"


async def test_a_platform_outage_is_retried_until_the_file_lands(
    bot: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    upload, outages = bot.platform.upload, [DeliveryError("slack is down")]

    async def flaky(*args: Any, **kwargs: Any) -> MessageRef:
        if outages:
            raise outages.pop()
        return await upload(*args, **kwargs)

    monkeypatch.setattr(bot.platform, "upload", flaky)
    [held] = await service(bot).hold([incoming("foto.png", files.PNG, "image/png")])
    assert held.id is not None
    await bot.runtime.cases.report(
        NewReport("Schade aan de balie.", attachments=(held.id,)), Reporter("web", SANNE.user_id)
    )
    await bot.settle()
    assert bot.platform.uploads == [] and not outages
    bot.clock.advance(seconds=5)
    await bot.settle()
    assert [u[1] for u in bot.platform.uploads] == ["foto.png"]
    [root] = bot.platform.roots()
    assert len(bot.platform.thread(root.ref)) == 1, "no note: the file itself arrived"


async def test_a_file_becomes_part_of_one_case_only(bot: Harness) -> None:
    [held] = await service(bot).hold([incoming("foto.png", files.PNG, "image/png")])
    assert held.id is not None
    reporter = Reporter("web", SANNE.user_id)
    first = await bot.runtime.cases.report(NewReport("Eerste.", attachments=(held.id,)), reporter)
    second = await bot.runtime.cases.report(NewReport("Tweede.", attachments=(held.id,)), reporter)
    assert [f.id for f in await service(bot).of_case(first.id)] == [held.id]
    assert await service(bot).of_case(second.id) == []
    assert await service(bot).discard([held.id]) == 0, "a case's file is never discarded"


async def test_held_files_go_with_their_draft_after_a_day(bot: Harness) -> None:
    attachments = service(bot)
    old, kept, renewed = await attachments.hold(
        [
            incoming("oud.png", files.PNG, "image/png"),
            incoming("bewaard.png", files.PNG, "image/png"),
            incoming("vernieuwd.png", files.PNG, "image/png"),
        ]
    )
    assert old.id and kept.id and renewed.id
    case = await bot.runtime.cases.report(
        NewReport("Met bijlage.", attachments=(kept.id,)), Reporter("web", SANNE.user_id)
    )
    bot.clock.advance(hours=20)
    await attachments.renew([renewed.id])
    bot.clock.advance(hours=5)
    assert DRAFT_TTL.total_seconds() < 25 * 3600
    assert await attachments.forget_held() == 1
    assert [f.id for f in await attachments.of_case(case.id)] == [kept.id]
    follow_up = await bot.runtime.cases.report(
        NewReport("Later.", attachments=(old.id, renewed.id)), Reporter("web", SANNE.user_id)
    )
    assert [f.id for f in await attachments.of_case(follow_up.id)] == [renewed.id]


async def test_a_discarded_draft_takes_its_files_along(bot: Harness) -> None:
    attachments = service(bot)
    [held] = await attachments.hold([incoming("foto.gif", files.GIF, "image/gif")])
    assert held.id is not None
    assert await attachments.discard([held.id]) == 1
    case = await bot.runtime.cases.report(
        NewReport("Zonder.", attachments=(held.id,)), Reporter("web", SANNE.user_id)
    )
    assert await attachments.of_case(case.id) == []


def test_messages_for_the_dialog() -> None:
    photo = HeldFile("a.jpg", 10, FileKind.JPEG, id=1)
    pdf = HeldFile("b.pdf", 10, FileKind.PDF, id=2)
    assert views.ask_for_words([photo], NL) == (
        "Ik heb je foto. Vertel in een paar zinnen wat er gebeurde."
    )
    assert views.ask_for_words([photo, photo], NL).startswith("Ik heb je 2 foto’s.")
    assert views.ask_for_words([photo, pdf], EN).startswith("I have your 2 files.")
    assert views.files_taken(1, NL) == "Je bestand is bij de melding opgeslagen."
    assert views.files_taken(3, NL) == "Je 3 bestanden zijn bij de melding opgeslagen."

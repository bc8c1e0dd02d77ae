"""Reading cases: the lists, the case page and its files, each checked and audited here.

Lists show only what ``Access`` lets the asker see (the same rule as ``may_handle``, as a
filter the database applies); opening a case and downloading a file are written to the
audit log in the same transaction as the read, so no read goes unrecorded.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.access.models import Acting
from bot.attachments.models import FileInfo, StoredFile
from bot.case import due, search
from bot.case.errors import CaseNotFound, InvalidQuery, NotAllowed
from bot.case.handling import CaseHandling
from bot.case.models import Case, CaseEvent
from bot.case.queries import (
    CaseFilter,
    CasePage,
    Position,
    Search,
    decode_cursor,
    encode_cursor,
)
from bot.i18n import N_
from bot.ports import Transaction

MAX_PAGE = 100
TOO_LONG = N_("Please search with at most {limit} characters.")
TOO_MANY = N_("Please search for at most {limit} words at once.")
BAD_LIMIT = N_("A page shows between 1 and {limit} cases.")


DESTROYED = N_(
    "This case was destroyed at the end of its retention period. Only its reference and "
    "its figures are kept."
)


@dataclass(frozen=True, slots=True)
class CaseFile:
    """Everything of one case for the case page: what was reported, every event for the
    timeline, its clocks, and its files (without their bytes)."""

    case: Case
    events: list[CaseEvent]
    clocks: list[due.Clock]
    attachments: list[FileInfo]


CaseRef = int | str
"""A case by its id, or by its reference (M-2026-0042, in any case)."""


class CaseReading(CaseHandling):
    __slots__ = ()

    async def read(self, by: Acting, case: CaseRef) -> CaseFile:
        """The case page's content, audited as ``open``. Analysts and admins are refused;
        a coordinator who may not see this case hears it does not exist."""
        async with self.storage.transaction() as tx:
            found = await self._readable(tx, by, case)
            events = await tx.cases.events(found.id)
            files = await tx.attachments.of_case(found.id)
            await self._audit(tx, by, "open", found)
        clocks = due.clocks(found, events, self.policy)
        return CaseFile(found, events, clocks, files)

    async def attachment(self, by: Acting, case: CaseRef, attachment_id: int) -> StoredFile:
        """One of the case's files with its bytes, audited as ``download``."""
        async with self.storage.transaction() as tx:
            found = await self._readable(tx, by, case)
            stored = await tx.attachments.get(attachment_id)
            if stored is None or stored.case_id != found.id:
                raise CaseNotFound(N_("This file is not with this case."))
            await self._audit(tx, by, "download", found, f"attachment {attachment_id}")
        return stored

    async def locate(self, by: Acting, case: CaseRef) -> Case:
        """The case a console action names by its reference, with the same refusals as
        ``read``; not audited, as the action it is for is."""
        async with self.storage.transaction() as tx:
            return await self._readable(tx, by, case)

    async def _readable(self, tx: Transaction, by: Acting, case: CaseRef) -> Case:
        if isinstance(case, int):
            found = await tx.cases.get(case)
        else:
            found = await tx.cases.by_reference(case) if len(case) <= 30 else None
        # The case file is for those who handle it: an invited manager reads only their
        # invitation (bot/manager), never the story, the notes or the files.
        if found is None or not await self.may_handle(by, found, tx):
            raise await self._refuse(by, found, tx)
        if await tx.retention.is_purged(found.id):
            raise CaseNotFound(DESTROYED)
        return found

    async def list(
        self,
        by: Acting,
        case_filter: CaseFilter | None = None,
        cursor: str | None = None,
        limit: int = 25,
    ) -> CasePage:
        """One page of the cases ``by`` may see, in the filter's order; ``cursor`` is the
        previous page's ``next_cursor``. A search for a whole reference names the case in
        ``exact`` when it is the asker's to see (the console may open it at once). A text
        search is audited (how many words, never which), and so is each case listed (the
        list shows the start of its story)."""
        wanted = case_filter or CaseFilter()
        if not 1 <= limit <= MAX_PAGE:
            raise InvalidQuery(BAD_LIMIT, limit=str(MAX_PAGE))
        visibility = await self.rights.visibility(by)
        if visibility.nothing:
            raise NotAllowed("Only coordinators can see cases.")
        query = wanted.query.strip()
        if len(query) > search.MAX_QUERY:
            raise InvalidQuery(TOO_LONG, limit=str(search.MAX_QUERY))
        reference = search.reference_prefix(query) if query else None
        words = search.query_words(query) if query and reference is None else ()
        if len(words) > search.MAX_WORDS:
            raise InvalidQuery(TOO_MANY, limit=str(search.MAX_WORDS))
        if query and reference is None and not words:
            return CasePage([], None)  # only words that find everything, such as "de"
        after = decode_cursor(cursor, wanted.order) if cursor else None
        asked = Search(
            wanted,
            visibility,
            self.clock(),
            limit + 1,
            handlers=visibility.keys,
            words=words,
            reference=reference,
            after=after,
        )
        async with self.storage.transaction() as tx:
            found = await tx.queries.search(asked)
            exact = None
            if reference and cursor is None and search.is_reference(reference):
                case = await tx.cases.by_reference(reference)
                visible = case is not None and await self.may_handle(by, case, tx)
                exact = reference if visible else None
            if words:
                detail = f"{len(words)} words"
                await tx.audit.record(
                    by.key, "search", self.clock(), actor_name=by.display, detail=detail
                )
            page = found[:limit]
            # A list shows the start of each story: each case's log says who saw it there.
            for summary in page:
                await tx.audit.record(
                    by.key,
                    "list",
                    self.clock(),
                    actor_name=by.display,
                    case_id=summary.id,
                    reference=summary.reference,
                )
        more = len(found) > limit
        following = encode_cursor(wanted.order, Position.of(page[-1])) if more else None
        return CasePage(page, following, words, reference, exact)

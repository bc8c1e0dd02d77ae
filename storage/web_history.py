"""The web chat's history (``web_entries``, ``web_members``): implements
``bot.ports.WebHistory``, sealed, each change in a transaction of its own."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from contextlib import AbstractAsyncContextManager
from datetime import datetime
from typing import Any, cast

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.ports.web_history import Attachment, AuthorKind, Entry, Kept
from bot.ui_json import message_json, message_of
from storage.models import WebEntryRow, WebMemberRow
from storage.sealing import Sealer
from storage.search_index import Hashes
from storage.upsert import upsert


class SqlWebHistory:
    def __init__(
        self,
        session: Callable[..., AbstractAsyncContextManager[AsyncSession]],
        sealer: Sealer,
        hashes: Hashes,
    ) -> None:
        # ``session(read_only=...)``: a transaction of the database's (its turn to write).
        self._session = session
        self._sealer = sealer
        self._hashes = hashes

    async def load(self) -> Kept:
        async with self._session(read_only=True) as session:
            rows = await session.scalars(
                select(WebEntryRow).order_by(WebEntryRow.seq, WebEntryRow.id)
            )
            entries = [self._entry(row) for row in rows]
            members = await session.execute(
                select(WebMemberRow.channel, WebMemberRow.person_sealed)
            )
            people = [(channel, self._sealer.unseal(sealed) or "") for channel, sealed in members]
        return Kept(entries, sorted(set(people)))

    async def add(self, entry: Entry) -> None:
        file = entry.file
        async with self._session() as session:
            session.add(
                WebEntryRow(
                    entry_id=entry.id,
                    seq=entry.seq,
                    conversation_hash=self._hashes.web(entry.conversation),
                    conversation_sealed=self._sealer.seal(entry.conversation),
                    thread=entry.thread,
                    content_sealed=self._content(entry),
                    file_key=file.key if file else None,
                    file_sealed=self._sealer.seal_bytes(file.content) if file else None,
                    posted_on=entry.created.date(),
                )
            )

    async def change(self, entry: Entry) -> None:
        async with self._session() as session:
            await session.execute(
                update(WebEntryRow)
                .where(WebEntryRow.entry_id == entry.id)
                .values(content_sealed=self._content(entry))
            )

    async def remove(self, entry_ids: Sequence[str]) -> None:
        if not entry_ids:
            return
        async with self._session() as session:
            await session.execute(delete(WebEntryRow).where(WebEntryRow.entry_id.in_(entry_ids)))

    async def join(self, channel: str, person: str) -> None:
        newest, *older = self._hashes.webs(person)
        async with self._session() as session:
            if older:  # the same person hashed under a key from before a rotation
                await session.execute(self._membership(channel, older))
            statement = upsert(session)(WebMemberRow).values(
                channel=channel, person_hash=newest, person_sealed=self._sealer.seal(person)
            )
            await session.execute(statement.on_conflict_do_nothing())

    async def leave(self, channel: str, person: str) -> None:
        async with self._session() as session:
            await session.execute(self._membership(channel, self._hashes.webs(person)))

    @staticmethod
    def _membership(channel: str, hashes: list[str]) -> Any:
        return delete(WebMemberRow).where(
            WebMemberRow.channel == channel, WebMemberRow.person_hash.in_(hashes)
        )

    def _content(self, entry: Entry) -> str:
        file = entry.file
        return self._sealer.seal_json(
            {
                "message": message_json(entry.message),
                "author_kind": entry.author_kind,
                "author": entry.author_name,
                "visible_to": entry.visible_to,
                "edited": entry.edited,
                "placeholder": entry.placeholder,
                "created": entry.created.isoformat(),
                "file": None
                if file is None
                else {"type": file.content_type, "alt": file.alt_text, "name": file.name},
            }
        )

    def _entry(self, row: WebEntryRow) -> Entry:
        content = self._sealer.unseal_json(row.content_sealed)
        described = content["file"]
        file = None
        if described is not None and row.file_key and row.file_sealed is not None:
            file = Attachment(
                row.file_key,
                self._sealer.unseal_bytes(row.file_sealed),
                str(described["type"]),
                str(described["alt"]),
                str(described["name"]),
            )
        return Entry(
            id=row.entry_id,
            seq=row.seq,
            conversation=self._sealer.unseal(row.conversation_sealed) or "",
            thread=row.thread,
            author_kind=cast(AuthorKind, content["author_kind"]),
            author_name=str(content["author"]),
            message=message_of(content["message"]),
            created=datetime.fromisoformat(content["created"]),
            visible_to=content["visible_to"],
            edited=bool(content["edited"]),
            placeholder=bool(content["placeholder"]),
            file=file,
        )

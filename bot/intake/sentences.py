"""Text cut into sentences, clauses and words, normalised for matching.

Matching happens on a normalised copy of each sentence: words case-folded, accents
removed (suïcide = suicide), hyphens inside a word dropped (e-mail = email), spelling
variants replaced (m'n = mijn), joined by single spaces. Every word can be traced back to
where it stood in the original text, so a match is reported in the person's own words.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache

_QUOTES = str.maketrans({"’": "'", "‘": "'", "`": "'", "´": "'", "‐": "-", "‑": "-"})
_ENDS = re.compile(r"[!?]+|\.+(?=\s|$|[\"'”’)\]])|\n")
_STOPS = re.compile(r"[,;:()\[\]\"“”„«»…–—/|•]|(?<=\s)-(?=\s)")
_RAW = re.compile(r"['’‘`]?[^\W_]+(?:['’‘`\-‐‑][^\W_]+)*['’‘`]?")
CACHE_SIZE = 50_000  # distinct words remembered between texts


@lru_cache(maxsize=16384)
def fold(word: str) -> str:
    """Case-folded, without accents or hyphens; apostrophes kept for the spelling list."""
    word = word.translate(_QUOTES)
    if not word.isascii():
        decomposed = unicodedata.normalize("NFKD", word)
        word = "".join(char for char in decomposed if not unicodedata.combining(char))
    return word.casefold().replace("-", "")


@dataclass(frozen=True, slots=True)
class Sentence:
    words: tuple[str, ...]
    clauses: tuple[int, ...]  # the clause each word belongs to
    parts: tuple[int, ...]  # the stretch between two punctuation marks each word is in
    starts: tuple[bool, ...]  # the word begins a clause
    text: str  # the words joined by single spaces, " | " where punctuation stood
    offsets: tuple[int, ...]  # where each word begins in ``text``
    origin: int  # where the sentence begins in the original text
    raw: str  # the sentence as typed
    tokens: int  # how many words were typed (a spelling such as "m'n" may differ)

    def word_at(self, char: int) -> int:
        return bisect_right(self.offsets, char) - 1

    def words_before(self, char: int) -> int:
        return bisect_left(self.offsets, char)


class Normaliser:
    def __init__(self, spelling: Mapping[str, str], breaks: Iterable[str]) -> None:
        self._spelling: dict[str, tuple[str, ...]] = {}
        for word, spelled in spelling.items():
            self._spelling[fold(word)] = tuple(plain(fold(part)) for part in spelled.split())
        self._breaks = frozenset(plain(fold(word)) for word in breaks)
        self._seen: dict[str, tuple[tuple[str, bool], ...]] = {}  # raw word: (word, breaks)

    def words(self, raw: str) -> tuple[str, ...]:
        folded = fold(raw)
        spelled = self._spelling.get(folded) or self._spelling.get(plain(folded))
        if spelled is not None:
            return spelled
        word = plain(folded)
        return (word,) if word else ()

    def _read(self, raw: str) -> tuple[tuple[str, bool], ...]:
        if len(self._seen) > CACHE_SIZE:
            self._seen.clear()
        read = tuple((word, word in self._breaks) for word in self.words(raw))
        self._seen[raw] = read
        return read

    def sentences(self, text: str) -> Iterator[Sentence]:
        start = 0
        for end in _ENDS.finditer(text):
            sentence = self._sentence(text[start : end.start()], start)
            if sentence is not None:
                yield sentence
            start = end.end()
        sentence = self._sentence(text[start:], start)
        if sentence is not None:
            yield sentence

    def _sentence(self, raw: str, origin: int) -> Sentence | None:
        words: list[str] = []
        clauses: list[int] = []
        parts_of: list[int] = []
        starts: list[bool] = []
        offsets: list[int] = []
        joined: list[str] = []
        clause, part, at, tokens, seen = -1, -1, 0, 0, self._seen
        for piece in _STOPS.split(raw):
            found = _RAW.findall(piece)
            if not found:
                continue
            tokens += len(found)
            if joined:  # punctuation stood here: a phrase never runs across it
                joined.append("|")
                at += 2
            clause, part, fresh = clause + 1, part + 1, True
            for token in found:
                for word, breaks in seen.get(token) or self._read(token):
                    if breaks:
                        clause, fresh = clause + 1, True
                    words.append(word)
                    clauses.append(clause)
                    parts_of.append(part)
                    starts.append(fresh)
                    offsets.append(at)
                    joined.append(word)
                    at += len(word) + 1
                    fresh = breaks
        if not words:
            return None
        return Sentence(
            tuple(words),
            tuple(clauses),
            tuple(parts_of),
            tuple(starts),
            " ".join(joined),
            tuple(offsets),
            origin,
            raw,
            tokens,
        )

    def spans(self, sentence: Sentence) -> list[tuple[int, int]]:
        """Each word's place in the sentence as typed (a spelled-out word shares its token's)."""
        found = [match.span() for match in _RAW.finditer(sentence.raw)]
        if sentence.tokens == len(sentence.words):
            return found
        spans = []
        for span, token in zip(found, _RAW.findall(sentence.raw), strict=True):
            spans.extend([span] * len(self._seen.get(token) or self._read(token)))
        return spans


def plain(word: str) -> str:
    return word.replace("'", "")

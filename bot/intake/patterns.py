"""Phrases as an organisation writes them, compiled once to matchers over a sentence."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from itertools import product

from bot.intake.sentences import CACHE_SIZE, Normaliser, Sentence, fold, plain

Key = tuple[str, str]  # (signal or "words", list): ("danger_now", "when_now")

_WORD = re.compile(r"^[^\W_]+$")
_GAP = re.compile(r"^~(\d{0,2})$")
_PARTS = re.compile(r"\([^()]*\)|[^\s()]+")
_NOTHING = re.compile(r"(?!)")
DEFAULT_GAP = 3
MAX_GAP = 10


@dataclass(frozen=True, slots=True, eq=False)  # one phrase is one object: hashed by identity
class Phrase:
    source: str  # as written in the file
    key: Key
    pattern: re.Pattern[str]
    anchored: bool  # must begin a clause (^)
    own: re.Pattern[str]  # the phrase's own words: "niet" in "niet veilig" is no negation
    needs: frozenset[str] = frozenset()  # one of these words must be in the sentence
    first: re.Pattern[str] = _NOTHING  # the words it can begin with

    def owns(self, words: Iterable[str]) -> bool:
        return all(self.own.fullmatch(word) for word in words)


@dataclass(frozen=True, slots=True)
class Hit:
    phrase: Phrase
    first: int  # word index in the sentence
    end: int  # one past the last word


class PhraseError(ValueError):
    pass


class Compiler:
    """Turns the file's phrase syntax into regular expressions over a normalised sentence."""

    def __init__(self, normaliser: Normaliser, sets: Mapping[str, tuple[str, ...]]) -> None:
        self._normaliser = normaliser
        self._sets = sets

    def phrase(self, source: str, key: Key) -> tuple[Phrase, list[tuple[str, str]]]:
        """The compiled phrase and the ways its first word can be looked up."""
        if source.count("(") != source.count(")"):
            raise PhraseError(f"phrase {source!r} has unbalanced brackets")
        tokens = _PARTS.findall(source)
        anchored = bool(tokens) and tokens[0].startswith("^")
        if anchored:
            tokens = [tokens[0][1:], *tokens[1:]] if tokens[0] != "^" else tokens[1:]
        unless = ""
        if len(tokens) > 1 and tokens[-1].startswith("!"):
            words = self._alternatives(tokens.pop()[1:], source)
            unless = "(?! (?:" + "|".join(_regex(word) for word in words) + ")(?![^ ]))"
        if not tokens or any(token.startswith(("!", "^")) for token in tokens):
            raise PhraseError(f"phrase {source!r} has no words, or ^ or ! out of place")
        if _GAP.match(tokens[0]) or _GAP.match(tokens[-1]):
            raise PhraseError(f"phrase {source!r} cannot begin or end with a gap (~)")
        parts: list[str] = []
        literal: list[str] = []
        first_keys: list[tuple[str, str]] = []
        needs: frozenset[str] = frozenset()
        gap: int | None = None
        for position, token in enumerate(tokens):
            found = _GAP.match(token)
            if found:
                if gap is not None:
                    raise PhraseError(f"phrase {source!r} has two gaps in a row")
                gap = int(found.group(1) or DEFAULT_GAP)
                if not 1 <= gap <= MAX_GAP:
                    raise PhraseError(f"phrase {source!r}: a gap spans 1 to {MAX_GAP} words")
                continue
            alternatives = self._alternatives(token, source)
            if position == 0:
                first_keys = [_lookup(alt, source) for alt in alternatives]
                first = re.compile("|".join(_regex(alt.split(" ")[0]) for alt in alternatives))
            else:
                parts.append(" " if gap is None else rf"(?: [^ |]+){{0,{gap}}} ")
                if not any("*" in alt for alt in alternatives):
                    needs = frozenset(alt.split(" ")[0] for alt in alternatives)
            gap = None
            parts.append("(?:" + "|".join(_regex(alt) for alt in alternatives) + ")")
            literal.extend(word for alt in alternatives for word in alt.split(" "))
        pattern = re.compile("".join(parts) + "(?![^ ])" + unless)
        own = re.compile("|".join(_regex(word) for word in dict.fromkeys(literal)))
        return Phrase(source, key, pattern, anchored, own, needs, first), first_keys

    def regex(self, source: str, key: Key) -> Phrase:
        try:
            pattern = re.compile(source)
        except re.error as error:
            raise PhraseError(f"regex {source!r} is not valid: {error}") from None
        if pattern.match(""):
            raise PhraseError(f"regex {source!r} matches empty text")
        return Phrase(source, key, pattern, anchored=False, own=_NOTHING)

    def _alternatives(self, token: str, source: str) -> list[str]:
        """Each alternative as normalised words with ``*`` kept, e.g. ``bedreig*``;
        ``(a b|c)`` holds alternatives of several words."""
        if token.startswith("("):
            return [alt for part in token[1:-1].split("|") for alt in self._item(part, source)]
        result: list[str] = []
        for alternative in token.split("|"):
            if alternative.startswith("@"):
                name = alternative[1:]
                if name not in self._sets:
                    raise PhraseError(f"phrase {source!r} uses an unknown set @{name}")
                for item in self._sets[name]:
                    result.extend(self._item(item, source))
            else:
                result.extend(self._item(alternative, source))
        if not result:
            raise PhraseError(f"phrase {source!r} has an empty word")
        return result

    def _item(self, text: str, source: str) -> list[str]:
        """One alternative or set entry; ``a|b`` inside a set entry multiplies it out."""
        options: list[list[str]] = []
        for word in text.split():
            options.append([w for choice in word.split("|") for w in [self._word(choice, source)]])
        return [" ".join(words) for words in product(*options)] if options else []

    def _word(self, word: str, source: str) -> str:
        if not word or word.strip("*") == "":
            raise PhraseError(f"phrase {source!r}: a lone * would match any word; use ~1")
        if "*" in word:
            pieces = [plain(fold(piece)) for piece in word.split("*")]
            folded, check = "*".join(pieces), pieces
        else:
            spelled = self._normaliser.words(word)
            folded, check = " ".join(spelled), list(spelled)
        if not any(check):
            raise PhraseError(f"phrase {source!r}: {word!r} has no letters")
        for piece in check:
            if piece and not _WORD.match(piece):
                raise PhraseError(f"phrase {source!r}: {word!r} can never match a word")
        return folded


def _regex(alternative: str) -> str:
    return " ".join(
        "[^ ]*".join(re.escape(piece) for piece in word.split("*"))
        for word in alternative.split(" ")
    )


def _lookup(alternative: str, source: str) -> tuple[str, str]:
    """How the index finds a phrase from its first word: the whole word, the first three
    letters, a one- or two-letter beginning, or the last three letters."""
    word = alternative.split(" ")[0]
    if "*" not in word:
        return ("exact", word)
    head, tail = word.split("*")[0], word.split("*")[-1]
    if len(head) >= 3:
        return ("head", head[:3])
    if head:
        return ("short", head)
    if len(tail) >= 3:
        return ("tail", tail[-3:])
    raise PhraseError(f"phrase {source!r}: its first word needs three letters at one end")


class Index:
    """Finds every phrase in a sentence by looking up each word's likely phrases only."""

    def __init__(self) -> None:
        self._tables: dict[str, dict[str, list[Phrase]]] = {
            "exact": {},
            "head": {},
            "short": {},
            "tail": {},
        }
        self._anywhere: list[Phrase] = []
        self._candidates: dict[str, tuple[Phrase, ...]] = {}

    def add(self, phrase: Phrase, lookups: list[tuple[str, str]]) -> None:
        self._candidates.clear()
        for table, key in dict.fromkeys(lookups):
            self._tables[table].setdefault(key, []).append(phrase)

    def add_regex(self, phrase: Phrase) -> None:
        self._anywhere.append(phrase)

    def find(self, sentence: Sentence) -> list[Hit]:
        text, offsets, starts, hits = sentence.text, sentence.offsets, sentence.starts, []
        known, present = self._candidates, frozenset(sentence.words)
        for index, word in enumerate(sentence.words):
            candidates = known.get(word)
            if candidates is None:
                candidates = self._candidates_of(word)
            for phrase in candidates:
                if (phrase.anchored and not starts[index]) or (
                    phrase.needs and phrase.needs.isdisjoint(present)
                ):
                    continue
                found = phrase.pattern.match(text, offsets[index])
                if found:
                    hits.append(Hit(phrase, index, sentence.words_before(found.end())))
        for phrase in self._anywhere:
            for found in phrase.pattern.finditer(text):
                if found.end() > found.start():
                    first = sentence.word_at(found.start())
                    hits.append(Hit(phrase, first, sentence.words_before(found.end())))
        return hits

    def _candidates_of(self, word: str) -> tuple[Phrase, ...]:
        """The phrases that may begin at this word, each once."""
        exact, head, short, tail = (
            self._tables[name] for name in ("exact", "head", "short", "tail")
        )
        found = (
            exact.get(word, _NONE)
            + head.get(word[:3], _NONE)
            + short.get(word[:1], _NONE)
            + (short.get(word[:2], _NONE) if len(word) > 1 else _NONE)
            + tail.get(word[-3:], _NONE)
        )
        if len(self._candidates) > CACHE_SIZE:
            self._candidates.clear()
        candidates = tuple(
            phrase for phrase in dict.fromkeys(found) if phrase.first.fullmatch(word)
        )
        self._candidates[word] = candidates
        return candidates


_NONE: list[Phrase] = []

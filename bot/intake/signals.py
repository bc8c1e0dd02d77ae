"""Hearing danger, self-harm and the kind of incident in what a person typed.

A small, explainable recogniser: the phrases live in ``signals.toml`` (an organisation
can add its own), and every signal carries the phrases that made it fire. How the little
words work — negation, time, hypotheticals — is described at the top of that file.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from bot.case.models import Category
from bot.intake.config import Language, SignalsFile, merge, read
from bot.intake.patterns import Compiler, Hit, Index, Key, PhraseError
from bot.intake.sentences import Normaliser, Sentence

BUNDLED = Path(__file__).with_name("signals.toml")
DANGER, SELF_HARM, WORDS = "danger_now", "self_harm", "words"
DEFAULT_WINDOW = 3
# The little words; when two overlap, the longer phrase decides ("net als" is not "net").
MARKERS = ("negation", "now", "not_now", "hypothetical", "general", "ignore")


@dataclass(frozen=True, slots=True)
class Signals:
    danger_now: tuple[str, ...] = ()  # the phrases that showed danger now, as found
    self_harm: tuple[str, ...] = ()  # phrases of a threat of self-harm or suicide
    categories: tuple[Category, ...] = ()  # suggested categories, best first
    category_phrases: tuple[tuple[Category, tuple[str, ...]], ...] = ()

    @property
    def suggested_category(self) -> Category | None:
        return self.categories[0] if self.categories else None

    @property
    def any(self) -> bool:
        return bool(self.danger_now or self.self_harm or self.categories)

    def phrases_for(self, category: Category) -> tuple[str, ...]:
        return dict(self.category_phrases).get(category, ())


@dataclass(frozen=True, slots=True)
class _Ranking:
    weight: float
    outranks: frozenset[Category]
    needs: frozenset[Category]


class Recogniser:
    def __init__(self, spec: SignalsFile) -> None:
        languages = spec.languages.values()
        words = [language.words for language in languages]
        spelling = {key: value for item in words for key, value in item.spelling.items()}
        self._normaliser = Normaliser(spelling, [w for item in words for w in item.clause_breaks])
        sets: dict[str, tuple[str, ...]] = {}
        for item in words:
            for name, entries in item.sets.items():
                sets[name] = sets.get(name, ()) + entries
        self._compiler = Compiler(self._normaliser, sets)
        self._index = Index()
        for code, language in spec.languages.items():
            self._add_language(code, language)
        self._window = spec.negation_window if spec.negation_window is not None else DEFAULT_WINDOW
        self._rankings = {
            category: _Ranking(
                ranking.weight if ranking.weight is not None else 1.0,
                frozenset(ranking.outranks),
                frozenset(ranking.needs),
            )
            for category, ranking in spec.categories.items()
        }

    @classmethod
    def load(cls, extra: Path | None = None) -> Recogniser:
        """The bundled signals, extended by an organisation's file when given."""
        spec, blame = read(BUNDLED), BUNDLED
        if extra is not None:
            spec, blame = merge(spec, read(extra)), extra
        try:
            return cls(spec)
        except PhraseError as error:
            raise ValueError(f"The intake signals file {blame} is invalid: {error}.") from None

    def _add_language(self, code: str, language: Language) -> None:
        lists: list[tuple[str, Key, Iterable[str]]] = [
            (f"{code}.words.{name}", (WORDS, name), getattr(language.words, name))
            for name in MARKERS
        ]
        danger, harm = language.danger_now, language.self_harm
        lists += [
            (f"{code}.danger_now.phrases", (DANGER, "phrases"), danger.phrases),
            (f"{code}.danger_now.when_now", (DANGER, "when_now"), danger.when_now),
            (f"{code}.self_harm.phrases", (SELF_HARM, "phrases"), harm.phrases),
        ]
        regexes = [
            (f"{code}.danger_now.regex", (DANGER, "phrases"), danger.regex),
            (f"{code}.self_harm.regex", (SELF_HARM, "phrases"), harm.regex),
        ]
        for category, cues in language.categories.items():
            where = f"{code}.categories.{category.value}"
            lists.append((f"{where}.phrases", (category.value, "phrases"), cues.phrases))
            lists.append((f"{where}.context", (category.value, "context"), cues.context))
            regexes.append((f"{where}.regex", (category.value, "phrases"), cues.regex))
        for where, key, sources in lists:
            for source in sources:
                try:
                    self._index.add(*self._compiler.phrase(source, key))
                except PhraseError as error:
                    raise PhraseError(f"{where}: {error}") from None
        for where, key, sources in regexes:
            for source in sources:
                try:
                    self._index.add_regex(self._compiler.regex(source, key))
                except PhraseError as error:
                    raise PhraseError(f"{where}: {error}") from None

    def read(self, text: str) -> Signals:
        found = _Found()
        for sentence in self._normaliser.sentences(text):
            self._read_sentence(sentence, found)
        return found.signals(text, self._rankings)

    def _read_sentence(self, sentence: Sentence, found: _Found) -> None:
        # the same phrase may be listed under two languages: count it once
        hits = list({(hit.phrase, hit.first): hit for hit in self._index.find(sentence)}.values())
        context = _Context(sentence, [hit for hit in hits if hit.phrase.key[0] == WORDS])
        harm_spans: list[tuple[int, int]] = []
        category_hits: list[Hit] = []
        known: list[list[tuple[int, int]]] = []

        def place(hit: Hit) -> tuple[int, int]:
            """Where the hit stands in the original text; worked out only when needed."""
            if not known:
                known.append(self._normaliser.spans(sentence))
            at = sentence.origin
            return (at + known[0][hit.first][0], at + known[0][hit.end - 1][1])

        for hit in hits:
            what, kind = hit.phrase.key
            if what == WORDS or context.hypothetical(hit) or context.negated(hit, self._window):
                continue
            if what == DANGER:
                if context.now(hit) if kind == "when_now" else context.present(hit):
                    found.add(DANGER, place(hit), hit)
            elif what == SELF_HARM:
                found.add(SELF_HARM, place(hit), hit)
                harm_spans.append((hit.first, hit.end))
                if context.now_in_clause(hit):
                    found.add(DANGER, place(hit), hit)
            else:
                category_hits.append(hit)
        for hit in category_hits:
            # "dreigt zichzelf iets aan te doen" is a threat to oneself, not to the staff member
            if not any(hit.first < end and start < hit.end for start, end in harm_spans):
                found.add(hit.phrase.key[0], place(hit), hit, hit.phrase.key[1] == "context")


class _Context:
    """What the little words of one sentence say: negation, time and mood."""

    def __init__(self, sentence: Sentence, markers: list[Hit]) -> None:
        self._clauses = sentence.clauses
        self._parts = sentence.parts
        self._words = sentence.words
        kept: list[Hit] = []
        for hit in sorted(markers, key=lambda hit: (hit.first - hit.end, hit.first)):
            if all(hit.end <= other.first or other.end <= hit.first for other in kept):
                kept.append(hit)
        by_kind: dict[str, list[Hit]] = {name: [] for name in MARKERS}
        for hit in kept:
            by_kind[hit.phrase.key[1]].append(hit)
        self._negations = by_kind["negation"]
        # "nu" sets the scene for what follows it with "en" or "maar", up to a comma
        self._now_parts = {self._parts[hit.first] for hit in by_kind["now"]}
        self._now_clauses = {self._clauses[hit.first] for hit in by_kind["now"]}
        self._not_now = by_kind["not_now"]
        self._hypothetical_from = min((hit.first for hit in by_kind["hypothetical"]), default=None)
        self._general = bool(by_kind["general"])

    def hypothetical(self, hit: Hit) -> bool:
        """From "als hij", "stel dat"… to the end of the sentence nothing counts, and nothing
        in a sentence about the rules ("protocol", "beleid")."""
        after = self._hypothetical_from is not None and hit.first >= self._hypothetical_from
        return after or self._general

    def negated(self, hit: Hit, window: int) -> bool:
        clause = self._clauses[hit.first]
        for negation in self._negations:
            at = negation.first
            if self._clauses[at] == clause and hit.first - window <= at < hit.first:
                return True
            if self._inside(negation, hit):
                return True
        return False

    def _inside(self, marker: Hit, hit: Hit) -> bool:
        """A little word within the cue's span that is not one of the cue's own words."""
        inside = hit.first <= marker.first and marker.end <= hit.end
        return inside and not hit.phrase.owns(self._words[marker.first : marker.end])

    def _spanned(self, hit: Hit) -> set[int]:
        return set(self._clauses[hit.first : hit.end])

    def now(self, hit: Hit) -> bool:
        return bool(set(self._parts[hit.first : hit.end]) & self._now_parts)

    def now_in_clause(self, hit: Hit) -> bool:
        """Stricter: "heeft eerder een zelfmoordpoging gedaan en praat er nu over" is not
        a self-harm under way."""
        return bool(self._spanned(hit) & self._now_clauses)

    def present(self, hit: Hit) -> bool:
        """Not told in the past, future or as a habit, unless the clause also says now."""
        if self.now(hit):
            return True
        clauses = self._spanned(hit)
        for other in self._not_now:
            outside = other.end <= hit.first or hit.end <= other.first
            if self._clauses[other.first] in clauses and (outside or self._inside(other, hit)):
                return False
        return True


class _Found:
    """The phrases found so far, as spans in the original text."""

    def __init__(self) -> None:
        self.spans: dict[str, list[tuple[int, int]]] = {}
        self.context_spans: dict[str, list[tuple[int, int]]] = {}
        self.sources: dict[str, set[str]] = {}

    def add(self, what: str, span: tuple[int, int], hit: Hit, context: bool = False) -> None:
        (self.context_spans if context else self.spans).setdefault(what, []).append(span)
        if not context:
            self.sources.setdefault(what, set()).add(hit.phrase.source)

    def signals(self, text: str, rankings: dict[Category, _Ranking]) -> Signals:
        found: dict[Category, tuple[float, int]] = {}
        for category in Category:
            if category.value in self.spans:
                weight = rankings.get(category, _DEFAULT).weight
                found[category] = (weight, len(self.sources[category.value]))
        for category in Category:
            needs = rankings.get(category, _DEFAULT).needs
            if category.value in self.context_spans and needs & found.keys():
                weight, count = found.get(category, (rankings.get(category, _DEFAULT).weight, 0))
                found[category] = (weight, count + 1)
        order = sorted(found, key=lambda c: (-found[c][0], -found[c][1], _ORDER[c]))
        order = _outrank(order, rankings)
        phrases = tuple(
            (
                category,
                _phrases(
                    text,
                    self.spans.get(category.value, []) + self.context_spans.get(category.value, []),
                ),
            )
            for category in order
        )
        return Signals(
            danger_now=_phrases(text, self.spans.get(DANGER, [])),
            self_harm=_phrases(text, self.spans.get(SELF_HARM, [])),
            categories=tuple(order),
            category_phrases=phrases,
        )


_DEFAULT = _Ranking(1.0, frozenset(), frozenset())
_ORDER = {category: index for index, category in enumerate(Category)}


def _outrank(order: list[Category], rankings: dict[Category, _Ranking]) -> list[Category]:
    """A category that outranks another found one moves just before it (online aggression
    before the threat it carried; trafficking before the sexual intimidation within it)."""
    result = list(order)
    for category in order:
        beaten = rankings.get(category, _DEFAULT).outranks
        positions = [result.index(other) for other in beaten if other in result]
        if positions and min(positions) < result.index(category):
            result.remove(category)
            result.insert(min(positions), category)
    return result


def _phrases(text: str, spans: list[tuple[int, int]]) -> tuple[str, ...]:
    """Overlapping matches joined, in the order of the text, each once."""
    merged: list[list[int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return tuple(dict.fromkeys(text[start:end] for start, end in merged))

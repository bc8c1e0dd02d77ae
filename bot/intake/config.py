"""The signals file: what an organisation may write, checked before anything is compiled.

The bundled ``signals.toml`` and an organisation's own file share this format; the
organisation's file only adds to the bundled lists (see ``merge``). Any fault is one
``ValueError`` naming the file and the place in it.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from bot.case.models import Category

Phrases = tuple[str, ...]
T = TypeVar("T")
LANGUAGE = re.compile(r"^[a-z]{2,3}$")
SET_NAME = re.compile(r"^[a-z][a-z0-9_]*$")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Words(_Strict):
    """The little words that change what a cue means."""

    negation: Phrases = ()
    now: Phrases = ()
    not_now: Phrases = ()
    hypothetical: Phrases = ()
    general: Phrases = ()
    ignore: Phrases = ()
    clause_breaks: Phrases = ()
    spelling: dict[str, str] = Field(default_factory=dict)
    sets: dict[str, Phrases] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _names(self) -> Words:
        for name in self.sets:
            if not SET_NAME.match(name):
                raise ValueError(f"set name {name!r} must be lower-case letters, digits and _")
        for word, spelled in self.spelling.items():
            if not word.strip() or not spelled.strip():
                raise ValueError(f"spelling {word!r} = {spelled!r} must not be empty")
        return self


class Cues(_Strict):
    phrases: Phrases = ()
    regex: Phrases = ()


class DangerCues(Cues):
    when_now: Phrases = ()  # count only in a clause that also says now


class CategoryCues(Cues):
    context: Phrases = ()  # count only when a category in ``needs`` was found too


class Language(_Strict):
    words: Words = Words()
    danger_now: DangerCues = DangerCues()
    self_harm: Cues = Cues()
    categories: dict[Category, CategoryCues] = Field(default_factory=dict)


class Ranking(_Strict):
    """How a category ranks among the others found in the same text."""

    weight: float | None = Field(default=None, ge=0, le=100)
    outranks: tuple[Category, ...] = ()
    needs: tuple[Category, ...] = ()


class SignalsFile(_Strict):
    negation_window: int | None = Field(default=None, ge=0, le=12)
    categories: dict[Category, Ranking] = Field(default_factory=dict)
    languages: dict[str, Language] = Field(default_factory=dict)

    @model_validator(mode="before")
    @classmethod
    def _languages_at_the_top(cls, data: Any) -> Any:
        # A language is a top-level table ([nl.danger_now]), which reads better than
        # [languages.nl.danger_now]; anything else at the top must be a known key.
        if not isinstance(data, dict):
            return data
        known = {"negation_window", "categories"}
        languages = {key: value for key, value in data.items() if key not in known}
        for key in languages:
            if not LANGUAGE.match(key):
                raise ValueError(
                    f"unknown key {key!r}: the top level holds negation_window, "
                    "[categories.*] and languages such as [nl] or [en]"
                )
        return {key: data[key] for key in known if key in data} | {"languages": languages}


def read(path: Path) -> SignalsFile:
    """One signals file, checked; a fault is a ``ValueError`` naming the file and the place."""
    try:
        with path.open("rb") as source:
            raw = tomllib.load(source)
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise ValueError(f"The intake signals file {path} cannot be read: {error}.") from None
    try:
        return SignalsFile.model_validate(raw)
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"] if part != "languages")
        raise ValueError(
            f"The intake signals file {path} is invalid at {where or 'the top'}: {first['msg']}."
        ) from None


def _more(first: tuple[T, ...], second: tuple[T, ...]) -> tuple[T, ...]:
    return first + tuple(item for item in second if item not in first)


def _merge_words(base: Words, extra: Words) -> Words:
    sets = dict(base.sets)
    for name, items in extra.sets.items():
        sets[name] = _more(sets.get(name, ()), items)
    return Words(
        negation=_more(base.negation, extra.negation),
        now=_more(base.now, extra.now),
        not_now=_more(base.not_now, extra.not_now),
        hypothetical=_more(base.hypothetical, extra.hypothetical),
        general=_more(base.general, extra.general),
        ignore=_more(base.ignore, extra.ignore),
        clause_breaks=_more(base.clause_breaks, extra.clause_breaks),
        spelling=base.spelling | extra.spelling,
        sets=sets,
    )


def _merge_language(base: Language, extra: Language) -> Language:
    categories = dict(base.categories)
    for category, cues in extra.categories.items():
        old = categories.get(category, CategoryCues())
        categories[category] = CategoryCues(
            phrases=_more(old.phrases, cues.phrases),
            regex=_more(old.regex, cues.regex),
            context=_more(old.context, cues.context),
        )
    return Language(
        words=_merge_words(base.words, extra.words),
        danger_now=DangerCues(
            phrases=_more(base.danger_now.phrases, extra.danger_now.phrases),
            regex=_more(base.danger_now.regex, extra.danger_now.regex),
            when_now=_more(base.danger_now.when_now, extra.danger_now.when_now),
        ),
        self_harm=Cues(
            phrases=_more(base.self_harm.phrases, extra.self_harm.phrases),
            regex=_more(base.self_harm.regex, extra.self_harm.regex),
        ),
        categories=categories,
    )


def merge(base: SignalsFile, extra: SignalsFile) -> SignalsFile:
    """The bundled file extended by an organisation's: every list keeps what the bundled
    file has and gains the new entries; a weight or window given by the organisation wins."""
    languages = dict(base.languages)
    for code, language in extra.languages.items():
        languages[code] = _merge_language(languages.get(code, Language()), language)
    categories = dict(base.categories)
    for category, ranking in extra.categories.items():
        old = categories.get(category, Ranking())
        categories[category] = Ranking(
            weight=ranking.weight if ranking.weight is not None else old.weight,
            outranks=_more(old.outranks, ranking.outranks),
            needs=_more(old.needs, ranking.needs),
        )
    window = extra.negation_window
    # both parts were checked when read; the top-level validator is for files only
    return SignalsFile.model_construct(
        negation_window=base.negation_window if window is None else window,
        categories=categories,
        languages=languages,
    )

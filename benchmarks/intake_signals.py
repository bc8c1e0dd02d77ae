"""Benchmark: how well the intake signals hear danger now, self-harm and the kind of report.

Scores the bundled ``bot/intake/signals.toml`` (plus an organisation file with
``--extra``) on the labelled corpus ``benchmarks/intake_corpus.toml``: per signal TP/FP/FN,
precision and recall; the suggested category against the label; the slowest text; the
time for a 10,000-character text; and every sentence it got wrong. Prints numbers only.
"""

from __future__ import annotations

import argparse
import os
import time
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from bot.case.models import Category
from bot.intake import Recogniser, Signals

CORPUS = Path(__file__).with_name("intake_corpus.toml")
PARTS = ("tuning", "held_out_1", "held_out_2", "held_out_3", "held_out_4")
LONG_TEXT = 10_000


@dataclass(frozen=True)
class Example:
    text: str
    danger: bool
    self_harm: bool
    category: Category | None
    part: str


@dataclass
class Tally:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0

    def count(self, expected: bool, found: bool) -> None:
        if expected and found:
            self.tp += 1
        elif found:
            self.fp += 1
        elif expected:
            self.fn += 1
        else:
            self.tn += 1

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0


@dataclass
class Score:
    danger: Tally = field(default_factory=Tally)
    self_harm: Tally = field(default_factory=Tally)
    categories: dict[Category, Tally] = field(
        default_factory=lambda: {category: Tally() for category in Category}
    )
    right_category: int = 0
    total: int = 0
    slowest_ms: float = 0.0
    slowest_text: str = ""
    wrong: list[tuple[Example, Signals, list[str]]] = field(default_factory=list)

    @property
    def category_accuracy(self) -> float:
        return self.right_category / self.total if self.total else 1.0


def corpus(path: Path = CORPUS) -> list[Example]:
    with path.open("rb") as source:
        raw = tomllib.load(source)
    return [
        Example(
            text=entry["text"],
            danger=bool(entry.get("danger", False)),
            self_harm=bool(entry.get("self_harm", False)),
            category=Category(entry["category"]) if entry.get("category") else None,
            part=part,
        )
        for part in PARTS
        for entry in raw.get(part, [])
    ]


def evaluate(recogniser: Recogniser, examples: Iterable[Example], repeat: int = 3) -> Score:
    """Scores every example; a text's time is its best of ``repeat`` reads, so that a
    pause of a busy machine is not taken for a slow text."""
    score = Score()
    for example in examples:
        elapsed = float("inf")
        for _ in range(repeat):
            started = time.perf_counter()
            signals = recogniser.read(example.text)
            elapsed = min(elapsed, (time.perf_counter() - started) * 1000)
        if elapsed > score.slowest_ms:
            score.slowest_ms, score.slowest_text = elapsed, example.text
        score.total += 1
        score.danger.count(example.danger, bool(signals.danger_now))
        score.self_harm.count(example.self_harm, bool(signals.self_harm))
        suggested = signals.suggested_category
        for category, tally in score.categories.items():
            tally.count(example.category == category, suggested == category)
        score.right_category += suggested == example.category
        mistakes = [
            what
            for what, wrong in (
                ("danger_now", example.danger != bool(signals.danger_now)),
                ("self_harm", example.self_harm != bool(signals.self_harm)),
                ("category", example.category != suggested),
            )
            if wrong
        ]
        if mistakes:
            score.wrong.append((example, signals, mistakes))
    return score


def long_text(examples: list[Example], size: int = LONG_TEXT) -> str:
    text, index = "", 0
    while len(text) < size:
        text += examples[index % len(examples)].text + " "
        index += 1
    return text[:size]


def time_long_text(recogniser: Recogniser, text: str, runs: int = 30) -> tuple[float, float]:
    """Best and worst of ``runs`` reads, in milliseconds."""
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        recogniser.read(text)
        times.append((time.perf_counter() - started) * 1000)
    return min(times), max(times)


def _line(name: str, tally: Tally) -> str:
    return (
        f"  {name:<20} TP {tally.tp:>3}  FP {tally.fp:>3}  FN {tally.fn:>3}  TN {tally.tn:>3}"
        f"  precision {tally.precision:.3f}  recall {tally.recall:.3f}"
    )


def report(title: str, score: Score) -> str:
    lines = [
        f"{title}: {score.total} texts",
        _line("danger_now", score.danger),
        _line("self_harm", score.self_harm),
        f"  category suggestion  accuracy {score.category_accuracy:.3f}"
        f" ({score.right_category}/{score.total}, 'none' counted as a label)",
    ]
    lines += [
        _line(category.value, tally)
        for category, tally in score.categories.items()
        if tally.tp + tally.fp + tally.fn
    ]
    lines.append(
        f"  slowest text         {score.slowest_ms:.3f} ms ({len(score.slowest_text)} chars)"
    )
    return "\n".join(lines)


def _mistake(example: Example, signals: Signals, mistakes: list[str]) -> str:
    expected = (
        f"danger={int(example.danger)} self_harm={int(example.self_harm)}"
        f" category={example.category.value if example.category else '-'}"
    )
    found = (
        f"danger={list(signals.danger_now)} self_harm={list(signals.self_harm)}"
        f" category={signals.suggested_category.value if signals.suggested_category else '-'}"
    )
    what = ", ".join(mistakes)
    return f"  [{example.part}] {what}: {example.text!r}\n    want {expected}\n    got  {found}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--extra", type=Path, help="an organisation's signals file")
    arguments = parser.parse_args()
    started = time.perf_counter()
    recogniser = Recogniser.load(arguments.extra)
    loaded_ms = (time.perf_counter() - started) * 1000
    examples = corpus(arguments.corpus)
    evaluate(recogniser, examples)  # warm the caches, so the slowest text is not the first
    whole = evaluate(recogniser, examples)
    print(report("whole corpus", whole))
    for part in PARTS:
        print(report(part, evaluate(recogniser, [e for e in examples if e.part == part])))
    best, worst = time_long_text(recogniser, long_text(examples))
    print(f"load and compile     {loaded_ms:.1f} ms")
    print(f"{LONG_TEXT:,}-character text  best {best:.2f} ms  worst {worst:.2f} ms (30 runs)")
    print(f"load average         {' '.join(f'{load:.2f}' for load in os.getloadavg())}")
    print(f"misclassified: {len(whole.wrong)}")
    for example, signals, mistakes in whole.wrong:
        print(_mistake(example, signals, mistakes))


if __name__ == "__main__":
    main()

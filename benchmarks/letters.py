"""Benchmark: how long meldbot takes to check the letter templates at start-up and to fill
in one letter of each kind (the excerpt a full-length narrative). Prints numbers only.

    .venv/bin/python -m benchmarks.letters [--rounds 20]
"""

from __future__ import annotations

import argparse
import statistics
import time

from bot.letters import templates
from bot.letters.config import LetterSettings
from bot.letters.fields import FIELDS, OPTIONAL, LetterKind
from bot.text import MESSAGE_MAX


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=20)
    rounds = parser.parse_args().rounds
    started = time.perf_counter()
    loaded = templates.load(LetterSettings())
    print(f"start-up check of {len(LetterKind)} templates: {time.perf_counter() - started:.3f} s")
    excerpt = ("Een klant schreeuwde aan de balie & dreigde. " * 200)[:MESSAGE_MAX]
    for kind in LetterKind:
        values = {name: "x" for name in FIELDS[kind] if name not in OPTIONAL} | {"voorval": excerpt}
        took = []
        size = 0
        for _ in range(rounds):
            one = time.perf_counter()
            size = len(loaded.compose(kind, values))
            took.append(time.perf_counter() - one)
        median, slowest = statistics.median(took) * 1000, max(took) * 1000
        print(f"{kind.value}: median {median:.1f} ms, slowest {slowest:.1f} ms, {size} bytes")


if __name__ == "__main__":
    main()

"""A seeded generator of broken and hostile payloads, from real ones.

Each payload starts as one a platform really sends; the generator then puts a hostile
value at a random place in it (a wrong type, a number no column holds, digits of other
scripts, text far too long, nesting far too deep), drops a key, or breaks the bytes
themselves. The same seed gives the same payloads, so a failure can be replayed.
Every text it makes carries ``MARK``, and every id ``ID_MARK``: neither may reach a log.
"""

from __future__ import annotations

import copy
import json
import random
from collections.abc import Callable, Iterator
from typing import Any

MARK = "geheimfuzz"  # in every hostile text: the log check looks for it
ID_MARK = "UFUZZ"  # in every hostile id


def deep(depth: int, kind: str = "list") -> Any:
    """Nesting ``depth`` levels deep: JSON readers give up somewhere around 1,000."""
    node: Any = MARK
    for _ in range(depth):
        node = [node] if kind == "list" else {"a": node}
    return node


def hostile_values(rng: random.Random) -> list[Any]:
    return [
        None,
        True,
        False,
        0,
        -1,
        2**31,
        2**31 - 1,
        2**63,
        -(2**63) - 1,
        10**40,
        1.5,
        float("inf"),
        "",
        " ",
        "²",
        "٣",
        "１２",
        "0",
        "-1",
        "007",
        str(2**31),
        str(2**63),
        "9" * 40,
        "1e9",
        "0x10",
        f"{MARK} {'x' * rng.choice([101, 201, 256, 5000, 70000])}",
        f"{ID_MARK}{'9' * rng.choice([90, 120, 300])}",
        f"{MARK}\u0000nul",
        f"{MARK}\ud800",  # a lone surrogate: no UTF-8 can hold it
        f"{MARK}\u202e\u200b",
        f"<script>{MARK}</script>",
        f"'; DROP TABLE cases; -- {MARK}",
        f"%s%d{{0}}{MARK}",
        "M-2026-0001",
        "http://[::1",
        "http://" + MARK + ".invalid:99999/",
        [],
        {},
        [MARK, 1, None],
        {"id": f"{ID_MARK}1", "name": MARK},
        deep(rng.choice([30, 200])),
        deep(rng.choice([30, 200]), "dict"),
    ]


def _paths(node: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield path
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _paths(value, (*path, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _paths(value, (*path, index))


def _set(root: Any, path: tuple[Any, ...], value: Any, drop: bool) -> Any:
    if not path:
        return value
    parent = root
    for step in path[:-1]:
        parent = parent[step]
    if drop and isinstance(parent, dict):
        del parent[path[-1]]
    else:
        parent[path[-1]] = value
    return root


def mutated(payload: Any, rng: random.Random, changes: int | None = None) -> Any:
    """``payload`` with one to three hostile changes at random places (a deep copy)."""
    result = copy.deepcopy(payload)
    for _ in range(changes or rng.randint(1, 3)):
        paths = list(_paths(result))
        path = rng.choice(paths[1:] or paths)
        drop = rng.random() < 0.15
        result = _set(result, path, rng.choice(hostile_values(rng)), drop)
    return result


def dumps(value: Any) -> str:
    """JSON as a sloppy client writes it: NaN and Infinity pass, lone surrogates too."""
    return json.dumps(value, allow_nan=True)


def broken_bodies(rng: random.Random, valid: str) -> list[bytes]:
    """Bodies that are no JSON or no text at all, made from a ``valid`` one."""
    raw = valid.encode()
    cut = rng.randint(0, max(0, len(raw) - 1))
    return [
        b"",
        raw[:cut],
        raw[:cut] + b"\xff\xfe\xc3(" + raw[cut:],
        b"\x80" * 20,
        raw.replace(b'"', b"'", 3),
        b"[" * 5000 + b"]" * 5000,
        b'{"a":' * 3000 + b"1" + b"}" * 3000,
        b"[1, 2, 3]",
        b'"just a string"',
        b"null",
        b"123",
        b'{"type": NaN}',
        bytes(rng.randrange(256) for _ in range(64)),
        ("\ufeff" + valid).encode(),
        valid.encode("utf-16"),
    ]


CONTENT_TYPES = [
    "application/json",
    "application/json; charset=utf-8",
    "application/json; charset=klingon",
    "application/x-www-form-urlencoded",
    "application/x-www-form-urlencoded; charset=latin-1",
    "text/plain",
    "multipart/form-data; boundary=x",
    "",
]


def many(count: int, seed: int, make: Callable[[random.Random], Any]) -> list[Any]:
    """``count`` cases from ``make``, reproducibly."""
    rng = random.Random(seed)
    return [make(rng) for _ in range(count)]

#!/usr/bin/env python3
"""Draw the Teams app icons: manifest/teams/color.png and manifest/teams/outline.png.

The mark is a speech bubble with an exclamation mark: white on calm blue (192×192, the
colour icon) and white on transparent (32×32, the outline icon Teams shows in its bars;
only white and transparent pixels, as Teams requires). Plain Python, no dependencies:
the shapes are signed distances, anti-aliased by sampling each pixel on an edge 8×8 times, and the
PNG is written with zlib and struct. The output is byte-for-byte reproducible.

    python3 scripts/teams-icons.py
"""

from __future__ import annotations

import math
import struct
import zlib
from collections.abc import Callable
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "manifest" / "teams"
BLUE = (0x1F, 0x4E, 0x79)
WHITE = (0xFF, 0xFF, 0xFF)
SAMPLES = 8

Shape = Callable[[float, float], bool]
Pixel = tuple[int, int, int, int]


def rounded_rect(x0: float, y0: float, x1: float, y1: float, r: float) -> Shape:
    def inside(x: float, y: float) -> bool:
        dx = max(x0 + r - x, 0.0, x - (x1 - r))
        dy = max(y0 + r - y, 0.0, y - (y1 - r))
        return x0 <= x <= x1 and y0 <= y <= y1 and dx * dx + dy * dy <= r * r

    return inside


def triangle(a: tuple[float, float], b: tuple[float, float], c: tuple[float, float]) -> Shape:
    def side(p: tuple[float, float], q: tuple[float, float], x: float, y: float) -> float:
        return (q[0] - p[0]) * (y - p[1]) - (q[1] - p[1]) * (x - p[0])

    def inside(x: float, y: float) -> bool:
        s = (side(a, b, x, y), side(b, c, x, y), side(c, a, x, y))
        return all(v >= 0 for v in s) or all(v <= 0 for v in s)

    return inside


def capsule(x: float, y0: float, y1: float, r: float) -> Shape:
    """A vertical bar with round ends, centred on x, from y0 to y1."""

    def inside(px: float, py: float) -> bool:
        cy = min(max(py, y0 + r), y1 - r)
        return (px - x) ** 2 + (py - cy) ** 2 <= r * r

    return inside


def circle(cx: float, cy: float, r: float) -> Shape:
    def inside(x: float, y: float) -> bool:
        return math.hypot(x - cx, y - cy) <= r

    return inside


def mark(left: float, top: float, right: float, bottom: float) -> tuple[Shape, Shape]:
    """The bubble, and the exclamation mark cut out of it, in unit coordinates."""
    width, height = right - left, bottom - top
    body_bottom = top + height * 0.78
    body = rounded_rect(left, top, right, body_bottom, min(width, height) * 0.2)
    tail = triangle(
        (left + width * 0.22, body_bottom - 0.01),
        (left + width * 0.48, body_bottom - 0.01),
        (left + width * 0.2, bottom),
    )
    centre = left + width / 2
    stroke = width * 0.075
    bar = capsule(centre, top + height * 0.14, top + height * 0.5, stroke)
    dot = circle(centre, top + height * 0.63, stroke * 1.05)

    def bubble(x: float, y: float) -> bool:
        return body(x, y) or tail(x, y)

    def exclamation(x: float, y: float) -> bool:
        return bar(x, y) or dot(x, y)

    return bubble, exclamation


def coverage(size: int, shape: Shape, px: int, py: int) -> float:
    # A pixel whose corners and centre agree lies wholly inside or outside: no edge
    # (every feature of the mark is wider than a pixel), so sample only the others.
    probes = [(px + dx / 2, py + dy / 2) for dx in range(3) for dy in range(3)]
    inside = {shape(x / size, y / size) for x, y in probes}
    if len(inside) == 1:
        return float(inside.pop())
    hits = 0
    for sy in range(SAMPLES):
        for sx in range(SAMPLES):
            x = (px + (sx + 0.5) / SAMPLES) / size
            y = (py + (sy + 0.5) / SAMPLES) / size
            hits += shape(x, y)
    return hits / (SAMPLES * SAMPLES)


def draw(size: int, pixel: Callable[[float], Pixel], shape: Shape) -> list[list[Pixel]]:
    return [[pixel(coverage(size, shape, x, y)) for x in range(size)] for y in range(size)]


def png(rows: list[list[Pixel]]) -> bytes:
    height, width = len(rows), len(rows[0])

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    raw = b"".join(b"\x00" + bytes(v for p in row for v in p) for row in rows)
    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)  # 8-bit RGBA
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw, 9))
        + chunk(b"IEND", b"")
    )


def colour_icon() -> bytes:
    # Teams shows the colour icon at 192×192 and keeps the symbol in the middle ~120×120.
    bubble, exclamation = mark(0.2, 0.2, 0.8, 0.8)

    def shape(x: float, y: float) -> bool:
        return bubble(x, y) and not exclamation(x, y)

    def pixel(white: float) -> Pixel:
        r, g, b = (round(c + (w - c) * white) for c, w in zip(BLUE, WHITE, strict=True))
        return (r, g, b, 255)

    return png(draw(192, pixel, shape))


def outline_icon() -> bytes:
    # The outline icon fills its 32×32 box; every pixel is white, only its opacity varies.
    bubble, exclamation = mark(1 / 32, 2 / 32, 31 / 32, 31 / 32)

    def shape(x: float, y: float) -> bool:
        return bubble(x, y) and not exclamation(x, y)

    def pixel(white: float) -> Pixel:
        return (*WHITE, round(255 * white))

    return png(draw(32, pixel, shape))


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "color.png").write_bytes(colour_icon())
    (OUT / "outline.png").write_bytes(outline_icon())
    print(f"wrote {OUT / 'color.png'} and {OUT / 'outline.png'}")


if __name__ == "__main__":
    main()

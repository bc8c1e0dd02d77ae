"""Small real files of every kind meldbot takes (and a few it refuses), made on the spot."""

from __future__ import annotations

from io import BytesIO

from PIL import Image  # matplotlib's own dependency


def image(kind: str = "PNG", size: tuple[int, int] = (8, 6), colour: str = "orange") -> bytes:
    """A real image in ``kind`` (PNG, JPEG, GIF, WEBP), a few hundred bytes."""
    out = BytesIO()
    Image.new("RGB", size, colour).save(out, format=kind)
    return out.getvalue()


PNG = image("PNG")
JPEG = image("JPEG")
GIF = image("GIF")
WEBP = image("WEBP")
# The start of an iPhone photo: an ISO media file of brand "heic" (Pillow cannot write one).
HEIC = b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + b"\x00" * 64
PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 48
DOCX = b"PK\x03\x04\x14\x00\x06\x00" + b"\x00" * 48  # a zip, as Word documents are
HTML = b"<!doctype html><script>alert(1)</script>"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'


def large(size: int, kind: bytes = JPEG) -> bytes:
    """A file of ``size`` bytes that starts like ``kind``."""
    return (kind + b"\x00" * size)[:size]

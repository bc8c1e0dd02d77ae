"""Libraries' log lines without their details: the SDKs write payload values (ids, names,
what someone typed) into their warnings and the texts of exceptions into their errors.

``Withheld`` keeps the sentence a line starts with and the exception's kind; ``withhold``
routes a library's whole logger tree through it (a logger's filters do not reach the
records of its children, a handler does).
"""

from __future__ import annotations

import logging

from aiohttp.http_exceptions import HttpProcessingError

SAID_MAX = 80


class Withheld(logging.Filter):
    """Keeps what a record is about, and withholds its details."""

    def filter(self, record: logging.LogRecord) -> bool:
        said = str(record.msg).split("\n", 1)[0].split(" (", 1)[0].split(":", 1)[0][:SAID_MAX]
        kind = record.exc_info[0].__name__ if record.exc_info and record.exc_info[0] else None
        if record.exc_info and _clients_fault(record.exc_info[1]):
            # A request the server could not read (a line too long, a broken header) was
            # answered with a 4xx already: no fault of the service's.
            record.levelno, record.levelname = logging.INFO, "INFO"
        record.msg = f"{said} ({kind}; details withheld)" if kind else f"{said} (details withheld)"
        record.args, record.exc_info, record.exc_text, record.stack_info = None, None, None, None
        return True


def _clients_fault(error: BaseException | None) -> bool:
    code = getattr(error, "code", None)  # aiohttp's HttpProcessingError: the status sent
    return isinstance(error, HttpProcessingError) and isinstance(code, int) and code < 500


class _Forward(logging.Handler):
    """Passes a library's record on, withheld, to the handlers above it."""

    def __init__(self) -> None:
        super().__init__()
        self.addFilter(Withheld())

    def emit(self, record: logging.LogRecord) -> None:
        parent = logging.getLogger()
        if parent.isEnabledFor(record.levelno):
            parent.handle(record)


def withhold(name: str, level: int) -> None:
    """``name``'s records (its children's too) reach the log from ``level`` on, withheld."""
    logger = logging.getLogger(name)
    logger.setLevel(level)
    if not any(isinstance(h, _Forward) for h in logger.handlers):
        logger.addHandler(_Forward())
    logger.propagate = False

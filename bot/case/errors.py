"""Why a case action or read cannot be done; each carries a message id for the person.

The console answers ``NotAllowed`` with 403, ``CaseNotFound`` with 404 (also for a case
that exists but is not the asker's to see: a restricted case tells a stranger nothing),
``InvalidQuery`` and other ``CaseError``s with 400.
"""

from __future__ import annotations

from bot.i18n import N_


class CaseError(Exception):
    """A case action that cannot be done; ``reason`` is a message id for the actor."""

    def __init__(self, reason: str, **values: str) -> None:
        super().__init__(reason)
        self.reason = reason
        self.values = values


class NotAllowed(CaseError):
    """The person's role does not allow this, whatever the case."""


class CaseNotFound(CaseError):
    """No such case, or none this person may see: the same answer for both."""

    def __init__(self, reason: str = N_("This case no longer exists.")) -> None:
        super().__init__(reason)


class InvalidQuery(CaseError):
    """A list or search asked for something that cannot be: a bad page link, too long."""

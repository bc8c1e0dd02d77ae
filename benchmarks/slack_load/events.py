"""Signed DM deliveries, each from its own person in their own DM channel, as Slack
posts them to an app's request URL."""

from __future__ import annotations

import time
from dataclasses import dataclass

from tests.fakes.slack_payloads import dm_message, event_callback, sign

TEXT = "Hallo, ik wil iets melden."


@dataclass(frozen=True)
class Delivery:
    """One ``message.im`` event callback, ready to post."""

    channel: str
    body: bytes
    headers: dict[str, str]

    @property
    def retry_headers(self) -> dict[str, str]:
        """Slack's second try: the same signed body, marked as a retry."""
        return {**self.headers, "X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"}


def dms(scenario: str, count: int, secret: str) -> list[Delivery]:
    """``count`` DMs with unique event ids; ``scenario`` (letters and digits) keeps their
    people and channels apart from other scenarios' in one run."""
    now = int(time.time())
    deliveries = []
    for number in range(count):
        user = f"U{scenario.upper()}{number:06d}"
        ts = f"{now}.{number:06d}"
        event = dm_message(user, TEXT, ts)
        body = event_callback(event, f"Ev{scenario.upper()}{number:06d}")
        headers = {"Content-Type": "application/json", **sign(secret, body, now)}
        deliveries.append(Delivery(str(event["channel"]), body.encode(), headers))
    return deliveries

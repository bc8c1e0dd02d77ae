"""meldbot on Slack: bolt (AsyncApp) over aiohttp, Block Kit rendering, the Web API messenger."""

from adapters.slack.adapter import SlackAdapter
from adapters.slack.messenger import SlackMessenger

__all__ = ["SlackAdapter", "SlackMessenger"]

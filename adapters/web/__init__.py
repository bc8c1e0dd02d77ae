"""The local web chat: meldbot's default surface when no platform is configured."""

from adapters.web.adapter import WebChatAdapter

__all__ = ["WebChatAdapter"]

"""The welcome a newcomer gets: who meldbot is, how to report here, and who is behind it."""

from __future__ import annotations

from bot.events import Platform
from bot.i18n import Translator
from bot.settings import Settings
from bot.ui import Actions, Button, Heading, Message, Note, Person, Strong, Text

REPORT_COMMAND = "/meld"  # the Slack slash command (manifest/slack.yaml)


def _route(t: Translator, platform: Platform) -> str:
    """The ways in that this platform has, in the words a person would use there."""
    if platform == "slack":
        return t(
            "Tell me what happened in a message here, type {command} anywhere in Slack, "
            "or press the button below.",
            command=REPORT_COMMAND,
        )
    if platform == "teams":
        return t('Type here what happened, or type "melden", or press the button below.')
    return t("Type in this chat what happened, or press the button below.")


def welcome(t: Translator, settings: Settings, platform: Platform) -> Message:
    coordinator = settings.coordinator_contact
    title = t("Welcome! I am meldbot")
    return Message(
        summary=t(
            "Welcome! I am meldbot, where you report aggression and violence at {org}.",
            org=settings.organisation,
        ),
        blocks=[
            Heading(title),
            Text.of(
                t(
                    "Faced aggression, violence or a signal of exploitation at work? Report it "
                    "here in under a minute: a short description is enough. The coordinators "
                    "of {org} handle every report in confidence.",
                    org=settings.organisation,
                )
            ),
            Text.of(Strong(t("How to report: ")), _route(t, platform)),
            Text.of(t("In doubt? Just talk it over, anonymously if you like.")),
            Person(
                coordinator.name,
                coordinator.role,
                photo_url=coordinator.photo_url,
                phone=coordinator.phone,
            ),
            Actions(
                [
                    Button(t("Report"), "report.start", style="primary"),
                    Button(t("In doubt? Consult anonymously"), "consult.start"),
                ]
            ),
            Note(t("In immediate danger? Call 112 first.")),
        ],
    )

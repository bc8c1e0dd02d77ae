"""The menu and home: the ways in, the language switch, the reporter's own cases."""

from __future__ import annotations

from bot.case.labels import status_label
from bot.case.models import Reporter
from bot.events import Actor
from bot.i18n import Translator, translator
from bot.ui import Actions, Block, Button, Facts, Heading, Message, Note, Response, Text
from dialogs import staff_page
from dialogs.context import DialogContext


def menu(t: Translator, organisation: str, staff_page_url: str | None) -> Message:
    other = "en" if t.language == "nl" else "nl"
    blocks: list[Block] = [
        Heading(t("Report aggression, violence or a signal")),
        Text.of(
            t(
                "Something happened at work, or something doesn't feel right? Report it here "
                "in under a minute. A description is enough. The coordinators of {org} "
                "treat it in confidence.",
                org=organisation,
            )
        ),
        Text.of(t("You can also simply type here what happened.")),
        Actions(
            [
                Button(t("Make a report"), "report.start", style="primary"),
                Button(t("In doubt? Consult anonymously"), "consult.start"),
                Button(t("Report anonymously"), "report.anonymous"),
                *staff_page.page_button(t, staff_page_url, staff_page.START),
            ]
        ),
        Actions(
            [
                Button(t("My reports"), "menu.mine"),
                Button(t("I have a code"), "receipt.enter"),
                Button("English" if other == "en" else "Nederlands", "menu.language", other),
            ]
        ),
        Note(t("In immediate danger? Call 112 first.")),
    ]
    return Message(summary=t("Report aggression, violence or a signal"), blocks=blocks)


class MenuDialog:
    def __init__(self, ctx: DialogContext) -> None:
        self.ctx = ctx

    def _menu(self, t: Translator) -> Message:
        settings = self.ctx.settings
        return menu(t, settings.organisation, settings.staff_page_url)

    def home(self, t: Translator) -> Response:
        return Response(home=self._menu(t))

    def show(self, t: Translator) -> Response:
        return Response(messages=[self._menu(t)])

    async def switch_language(self, actor: Actor, language: str) -> Response:
        t = translator(language)
        await self.ctx.states.choose_language(actor, t.language)
        message = self._menu(t)
        return Response(messages=[message], home=message)

    async def my_reports(self, actor: Actor, t: Translator) -> Response:
        cases = await self.ctx.cases.cases_of(Reporter(actor.platform, actor.user_id))
        code = Actions([Button(t("I have a code"), "receipt.enter")])
        if not cases:
            text = t("You have no open reports.")
            hint = t("Anonymous reports and consultations are opened with their receipt code.")
            return Response(messages=[Message(text, [Text.of(text), Note(hint), code])])
        facts = [
            (case.reference, f"{status_label(t, case.status)} · {case.handler_name or '—'}")
            for case in cases
        ]
        text = t("Your open reports")
        return Response(messages=[Message(text, [Heading(text), Facts(facts), code])])

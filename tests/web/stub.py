"""A small stand-in for meldbot's core: records events and answers with canned Responses.

It is enough to drive every path of the web chat (home buttons, a form with errors, a
case alert in the coordinator channel, a claim with a refusal) without the real core.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.events import (
    ActionInvoked,
    Address,
    Event,
    FormSubmitted,
    HomeOpened,
    MessageReceived,
    MessageRef,
)
from bot.ports import Messenger
from bot.ui import (
    Actions,
    Button,
    Choice,
    Facts,
    Form,
    Heading,
    Message,
    Note,
    Option,
    Person,
    Quote,
    Response,
    Text,
    TextInput,
)

REPORT_FORM = Form(
    form_id="report",
    title="Melding maken",
    submit_label="Melding versturen",
    fields=(
        TextInput(
            "description",
            "Wat is er gebeurd?",
            multiline=True,
            hint="In je eigen woorden; kort is goed.",
        ),
        Choice(
            "category",
            "Soort voorval",
            (
                Option("verbal_aggression", "Verbale agressie"),
                Option("threat", "Bedreiging"),
                Option("physical_violence", "Fysiek geweld"),
            ),
        ),
        TextInput("location", "Waar?", optional=True, max_length=200),
    ),
    intro=(
        Person("Fatima Bakker", "Coördinator agressie", phone="06 12 34 56 78"),
        Note("Alles behalve de beschrijving is optioneel."),
    ),
    state="draft-1",
)


def home() -> Message:
    return Message(
        "Wat wil je doen?",
        (
            Text.of("Is er iets gebeurd? Meld het hier, in een minuut."),
            Actions(
                (
                    Button("Melding maken", "report", style="primary"),
                    Button("Twijfel? Overleg eerst", "consult"),
                )
            ),
        ),
    )


@dataclass
class StubCore:
    """Records each event; ``messenger`` is set once the adapter exists."""

    messenger: Messenger | None = None
    events: list[Event] = field(default_factory=list)
    cases: dict[str, tuple[MessageRef, str, str]] = field(default_factory=dict)
    fail_on: str = "boom"

    async def __call__(self, event: Event) -> Response:
        self.events.append(event)
        if isinstance(event, HomeOpened):
            return Response(home=home())
        if isinstance(event, MessageReceived):
            if event.text == self.fail_on:
                raise RuntimeError("the core broke")
            if not event.address.personal:
                return Response()  # like the core: people talk among themselves in channels
            return Response(
                messages=[
                    Message(f"Ontvangen: {event.text}", (Text.of("Ontvangen:"), Quote(event.text)))
                ]
            )
        if isinstance(event, ActionInvoked):
            return await self._action(event)
        if isinstance(event, FormSubmitted):
            return await self._submit(event)
        return Response()

    async def _action(self, event: ActionInvoked) -> Response:
        if event.action_id == "report":
            return Response(form=REPORT_FORM)
        if event.action_id == "rename":
            field = TextInput("name", "Nieuwe naam", max_length=40)
            return Response(form=Form("rename", "Naam wijzigen", "Opslaan", (field,)))
        if event.action_id == "consult":
            return Response(messages=[Message("Vertel maar, anoniem.")])
        if event.action_id == "claim":
            assert self.messenger is not None
            if not await self.messenger.is_coordinator(event.actor.user_id):
                return Response(
                    private=[Message("Alleen coördinatoren kunnen een zaak oppakken. Dank je!")]
                )
            ref, reporter, narrative = self.cases[event.value]
            name = event.actor.name or event.actor.user_id
            await self.messenger.send(ref.thread(), Message(f"Opgepakt door {name}"))
            await self.messenger.send(
                await self.messenger.personal_address(reporter),
                Message(f"{name} heeft je melding {event.value} opgepakt en belt je vandaag."),
            )
            return Response(replace=_alert(event.value, narrative, handler=name))
        return Response(messages=[Message(f"Knop {event.action_id}")])

    async def _submit(self, event: FormSubmitted) -> Response:
        if event.form_id == "rename":
            name = event.values.get("name") or ""
            return Response(replace=Message(f"Hernoemd: {name}"), private=[Message("Gelukt")])
        description = event.values.get("description") or ""
        if "fout" in description:
            return Response(errors={"description": "Beschrijf het iets anders, alsjeblieft."})
        assert self.messenger is not None
        reference = f"M-2026-{len(self.cases) + 1:04d}"
        ref = await self.messenger.send(
            self.messenger.coordinator_channel(), _alert(reference, description)
        )
        self.cases[reference] = (ref, event.actor.user_id, description)
        return Response(
            messages=[
                Message(
                    f"Je melding {reference} is ontvangen.",
                    (Text.of("Je melding is ontvangen. Kenmerk: ", reference),),
                )
            ]
        )


def _alert(reference: str, narrative: str, handler: str | None = None) -> Message:
    status = f"In behandeling bij {handler}" if handler else "Nieuw"
    blocks: list[Heading | Facts | Quote | Actions] = [
        Heading(f"Nieuwe melding {reference}"),
        Facts((("Kenmerk", reference), ("Status", status))),
        Quote(narrative),
    ]
    if handler is None:
        blocks.append(Actions((Button("Oppakken", "claim", reference, style="primary"),)))
    return Message(f"Melding {reference}: {status}", tuple(blocks))


def dm(user_id: str) -> Address:
    return Address("web", f"dm:{user_id}", personal=True)

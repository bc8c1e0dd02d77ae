"""The web chat's own wording (its chrome), in Dutch and English.

The dialogs' texts come from the core; these are only the words around them:
pane titles, buttons of the page itself, and the messages of its own refusals.
"""

from __future__ import annotations

from functools import cache
from typing import Final

from babel.numbers import format_decimal

from adapters.web.store import OPEN_CHANNEL

_NL: Final[dict[str, str]] = {
    "page_title": "meldbot — demo (lokale webchat)",
    "demo_badge": "Demo",
    "to_console": "Naar de console",
    "page_intro": (
        "Dit is de demo van meldbot, om het uit te proberen. Kies per paneel wie je bent: "
        "hier kan iedereen iedereen zijn. Doe hier dus geen echte meldingen. Wat je hier "
        "doet, blijft op deze computer bewaard, ook na een herstart."
    ),
    "skip_to_chat": "Naar de chat",
    "chat_title": "Chat met meldbot",
    "coordinators_title": "Coördinatorenkanaal",
    "team_title": "Teamkanalen",
    "channel_label": "Kanaal",
    "open_channel": "Teamkanaal (iedereen)",
    "join": "Lid worden",
    "leave": "Kanaal verlaten",
    "not_member": (
        "Je bent geen lid van {channel}. Word lid om de berichten te zien en mee te praten."
    ),
    "joined": "Je bent nu lid van {channel}.",
    "left": "Je hebt {channel} verlaten.",
    "error_not_member": "Je bent geen lid van dit kanaal. Word eerst lid.",
    "error_channel": "Dit kanaal bestaat niet (meer). Vernieuw de pagina.",
    "persona_label": "Ik ben",
    "group_staff": "Medewerkers",
    "group_coordinators": "Coördinatoren",
    "group_confidants": "Vertrouwenspersoon",
    "role_staff": "medewerker",
    "role_coordinator": "coördinator",
    "role_not_coordinator": "geen coördinator",
    "role_confidant": "vertrouwenspersoon",
    "coordinator_default": "Coördinator",
    "composer_chat": "Bericht aan meldbot",
    "composer_channel": "Bericht in het kanaal",
    "composer_reply": "Reageer in deze draad (alleen coördinatoren zien dit)",
    "composer_hint": "Enter verstuurt, Shift+Enter maakt een nieuwe regel.",
    "send": "Versturen",
    "sending": "Bezig met versturen…",
    "messages": "Berichten",
    "cases": "Zaken",
    "bot_name": "meldbot",
    "edited": "bijgewerkt",
    "private": "Alleen zichtbaar voor jou",
    "dismiss": "Sluiten",
    "reply_one": "1 reactie",
    "reply_many": "{count} reacties",
    "no_replies": "Nog geen reacties",
    "empty_chat": "Nog geen berichten. Typ hieronder wat er gebeurde, of kies een knop hierboven.",
    "empty_coordinators": "Nog geen zaken. Nieuwe meldingen verschijnen hier als zaak.",
    "empty_team": "Nog geen berichten in dit kanaal.",
    "new_for": "{count} nieuw",
    "live_new": "Nieuw bericht in {pane}: {summary}",
    "connecting": "Verbinden…",
    "connected": "Verbonden",
    "disconnected": "Verbinding verbroken, opnieuw verbinden…",
    "optional": "optioneel",
    "required": "verplicht",
    "no_choice": "Geen keuze",
    "cancel": "Annuleren",
    "earlier_message": "Eerder bericht (niet meer beschikbaar na een herstart van meldbot)",
    "error_required": "Vul dit veld in.",
    "error_choose": "Maak een keuze.",
    "error_choice_unknown": "Kies een van de mogelijkheden.",
    "error_field_too_long": "Maximaal {limit} tekens; nu {length}.",
    "error_text_empty": "Je bericht is leeg.",
    "error_text_too_long": (
        "Je bericht is te lang ({length} tekens; maximaal {limit}). "
        "Er is niets verloren: je tekst staat nog in het invoerveld. "
        "Verstuur het in delen."
    ),
    "error_body_too_large": (
        "Dit is te veel tekst in één keer. Er is niets verloren: je tekst staat nog "
        "in het invoerveld. Verstuur het in delen."
    ),
    "error_bad_request": (
        "Dit verzoek kon meldbot niet lezen. Vernieuw de pagina en probeer het opnieuw."
    ),
    "error_try_again": (
        "Er ging iets mis aan onze kant, dus er is niets opgeslagen. Probeer het zo opnieuw."
    ),
    "error_cross_origin": "Geweigerd: dit verzoek kwam niet van deze pagina.",
    "error_persona": "Onbekende persoon voor dit paneel. Vernieuw de pagina.",
    "error_stale": "Dit bericht is intussen bijgewerkt. Kijk nog eens en probeer het opnieuw.",
    "error_form_gone": "Dit formulier is verlopen. Open het opnieuw; er is nog niets verstuurd.",
    "error_handler": (
        "Er ging iets mis bij meldbot. Er is niets verloren: probeer het zo opnieuw."
    ),
    "error_network": "Geen verbinding met meldbot. Je tekst staat nog in het invoerveld.",
    "form_errors": "Niet alles is goed ingevuld. Bekijk de velden met een melding.",
    "count_near": "{length} van de {limit} tekens",
    "count_over": "{length} tekens, {over} te veel (maximaal {limit}). Er is niets afgeknipt.",
    # -- files in the chat composer --
    "attach_files": "Foto of PDF toevoegen",
    "files_hint": (
        "Foto’s (JPG, PNG, HEIC…) of PDF’s, tot {limit} per bestand, {count} per bericht."
    ),
    "files_chosen": "Gekozen bestanden",
    "file_remove": "{name} weghalen",
    "file_line": "Bijlage: {name} ({size})",
    "error_files_here": "Bestanden kun je alleen in je eigen chat met meldbot sturen.",
    "error_files_too_large": (
        "Dit is te veel in één keer: ik neem {count} bestanden van elk tot {limit}. "
        "Er is niets verloren: je tekst en bestanden staan nog klaar. "
        "Haal een bestand weg of stuur ze in delen."
    ),
}

_EN: Final[dict[str, str]] = {
    "page_title": "meldbot — demo (local web chat)",
    "demo_badge": "Demo",
    "to_console": "Go to the console",
    "page_intro": (
        "This is meldbot's demo, to try it out. Choose who you are in each pane: here "
        "anyone can be anyone, so make no real reports here. What you do here is kept on "
        "this computer, also after a restart."
    ),
    "skip_to_chat": "Skip to the chat",
    "chat_title": "Chat with meldbot",
    "coordinators_title": "Coordinator channel",
    "team_title": "Team channels",
    "channel_label": "Channel",
    "open_channel": "Team channel (everyone)",
    "join": "Join",
    "leave": "Leave channel",
    "not_member": "You are not a member of {channel}. Join to see its messages and take part.",
    "joined": "You are now a member of {channel}.",
    "left": "You left {channel}.",
    "error_not_member": "You are not a member of this channel. Join it first.",
    "error_channel": "This channel does not exist (any more). Reload the page.",
    "persona_label": "I am",
    "group_staff": "Staff",
    "group_coordinators": "Coordinators",
    "group_confidants": "Confidential adviser",
    "role_staff": "staff",
    "role_coordinator": "coordinator",
    "role_not_coordinator": "not a coordinator",
    "role_confidant": "confidential adviser",
    "coordinator_default": "Coordinator",
    "composer_chat": "Message to meldbot",
    "composer_channel": "Message in the channel",
    "composer_reply": "Reply in this thread (only coordinators see this)",
    "composer_hint": "Enter sends, Shift+Enter starts a new line.",
    "send": "Send",
    "sending": "Sending…",
    "messages": "Messages",
    "cases": "Cases",
    "bot_name": "meldbot",
    "edited": "edited",
    "private": "Only visible to you",
    "dismiss": "Dismiss",
    "reply_one": "1 reply",
    "reply_many": "{count} replies",
    "no_replies": "No replies yet",
    "empty_chat": "No messages yet. Type what happened below, or choose a button above.",
    "empty_coordinators": "No cases yet. New reports appear here as a case.",
    "empty_team": "No messages in this channel yet.",
    "new_for": "{count} new",
    "live_new": "New message in {pane}: {summary}",
    "connecting": "Connecting…",
    "connected": "Connected",
    "disconnected": "Connection lost, reconnecting…",
    "optional": "optional",
    "required": "required",
    "no_choice": "No choice",
    "cancel": "Cancel",
    "earlier_message": "Earlier message (no longer available after meldbot restarted)",
    "error_required": "Please fill in this field.",
    "error_choose": "Please make a choice.",
    "error_choice_unknown": "Choose one of the options.",
    "error_field_too_long": "At most {limit} characters; now {length}.",
    "error_text_empty": "Your message is empty.",
    "error_text_too_long": (
        "Your message is too long ({length} characters; at most {limit}). "
        "Nothing is lost: your text is still in the input field. Send it in parts."
    ),
    "error_body_too_large": (
        "This is too much text at once. Nothing is lost: your text is still in the "
        "input field. Send it in parts."
    ),
    "error_bad_request": "meldbot could not read this request. Reload the page and try again.",
    "error_try_again": (
        "Something went wrong on our side, so nothing was saved. Try again in a moment."
    ),
    "error_cross_origin": "Refused: this request did not come from this page.",
    "error_persona": "Unknown person for this pane. Reload the page.",
    "error_stale": "This message has changed in the meantime. Have another look and try again.",
    "error_form_gone": "This form has expired. Open it again; nothing has been sent yet.",
    "error_handler": "Something went wrong in meldbot. Nothing is lost: try again in a moment.",
    "error_network": "No connection to meldbot. Your text is still in the input field.",
    "form_errors": "Not everything is filled in correctly. Check the fields with a message.",
    "count_near": "{length} of {limit} characters",
    "count_over": "{length} characters, {over} too many (at most {limit}). Nothing has been cut.",
    # -- files in the chat composer --
    "attach_files": "Add a photo or PDF",
    "files_hint": "Photos (JPG, PNG, HEIC…) or PDFs, up to {limit} each, {count} per message.",
    "files_chosen": "Chosen files",
    "file_remove": "Remove {name}",
    "file_line": "Attachment: {name} ({size})",
    "error_files_here": "You can only send files in your own chat with meldbot.",
    "error_files_too_large": (
        "This is too much at once: I take {count} files of up to {limit} each. "
        "Nothing is lost: your text and files are still there. "
        "Remove a file or send them in parts."
    ),
}

# Strings the browser script needs; the rest are used on the server only.
CLIENT_KEYS: Final[tuple[str, ...]] = (
    "chat_title",
    "coordinators_title",
    "team_title",
    "composer_reply",
    "send",
    "sending",
    "bot_name",
    "private",
    "dismiss",
    "reply_one",
    "reply_many",
    "no_replies",
    "empty_chat",
    "empty_coordinators",
    "empty_team",
    "new_for",
    "live_new",
    "connecting",
    "connected",
    "disconnected",
    "error_text_empty",
    "error_network",
    "error_handler",
    "join",
    "leave",
    "not_member",
    "joined",
    "left",
    "error_channel",
    "count_near",
    "count_over",
    "file_remove",
)


class Chrome:
    """The page's wording in one language; ``chrome("key", n=1)`` fills placeholders."""

    def __init__(self, language: str) -> None:
        self.language = "en" if language == "en" else "nl"
        self._texts = _EN if self.language == "en" else _NL

    def speaking(self, language: str) -> Chrome:
        """The same words in ``language``: a form's own language wins over the page's."""
        return self if language == self.language else _chrome(language)

    def __call__(self, key: str, **values: object) -> str:
        text = self._texts[key]
        if not values:
            return text
        # Numbers as the language writes them: 12.000 in Dutch, 12,000 in English.
        shown = {
            name: format_decimal(value, locale=self.language)
            if isinstance(value, int) and not isinstance(value, bool)
            else value
            for name, value in values.items()
        }
        return text.format(**shown)

    def client(self) -> dict[str, str]:
        return {key: self._texts[key] for key in CLIENT_KEYS}

    def channel(self, name: str) -> str:
        """How a team channel is named on the page: ``#balie``, or the one everyone is in."""
        return self("open_channel") if name == OPEN_CHANNEL else f"#{name}"


@cache
def _chrome(language: str) -> Chrome:
    return Chrome(language)

"""Intake signals: danger now, self-harm and a suggested category, heard in what people type."""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks.intake_signals import corpus, evaluate
from bot.case.models import Category
from bot.intake import Recogniser, Signals


@pytest.fixture(scope="module")
def recogniser() -> Recogniser:
    return Recogniser.load()


def test_the_issues_danger_is_heard_and_shown_in_the_persons_words(
    recogniser: Recogniser,
) -> None:
    signals = recogniser.read("Hij staat nu buiten met een mes en zegt dat hij op me wacht")
    assert signals.danger_now == ("staat nu buiten met een mes", "op me wacht")
    assert signals.suggested_category is Category.THREAT
    assert "mes" in signals.phrases_for(Category.THREAT)
    assert not signals.self_harm
    assert signals.any


def test_the_seeds_threat_of_self_harm_is_flagged_and_is_no_threat_to_staff(
    recogniser: Recogniser,
) -> None:
    signals = recogniser.read("Soms dreigt iemand zichzelf iets aan te doen.")
    assert signals.self_harm == ("dreigt iemand zichzelf iets aan te doen",)
    assert not signals.danger_now, "'soms' is a habit, not now"
    assert Category.THREAT not in signals.categories


@pytest.mark.parametrize(
    "text",
    [
        "Ik ben niet bedreigd, de klant was alleen boos.",
        "Hij had geen mes bij zich.",
        "De man was niet gewapend.",
        "There was no weapon and he is not in danger.",
        "I am not in danger.",
        "Niemand is in gevaar.",
        "Nee, hij staat niet meer buiten.",
    ],
)
def test_a_negated_cue_does_not_fire(recogniser: Recogniser, text: str) -> None:
    signals = recogniser.read(text)
    assert not signals.danger_now
    assert Category.THREAT not in signals.categories


def test_a_negation_in_another_clause_does_not_reach_the_cue(recogniser: Recogniser) -> None:
    signals = recogniser.read("Ik weet het niet meer, hij staat voor de deur.")
    assert signals.danger_now == ("staat voor de deur",)


def test_a_phrase_that_holds_its_own_negation_still_counts(recogniser: Recogniser) -> None:
    assert recogniser.read("Ik voel me niet veilig.").danger_now == ("voel me niet veilig",)


@pytest.mark.parametrize(
    "text",
    [
        "Vorige week dreigde hij met een mes.",
        "Gisteren stond hij met een mes voor de deur.",
        "Last week a man threatened me with a knife.",
        "Hij komt morgen terug voor een gesprek.",
        "Elke keer als ik langsloop staat hij voor de deur.",
    ],
)
def test_the_past_the_future_and_a_habit_are_not_danger_now(
    recogniser: Recogniser, text: str
) -> None:
    assert not recogniser.read(text).danger_now


def test_a_past_event_still_gets_its_category(recogniser: Recogniser) -> None:
    signals = recogniser.read("Vorige week dreigde hij met een mes.")
    assert signals.categories == (Category.THREAT,)
    assert signals.phrases_for(Category.THREAT) == ("dreigde", "mes")


@pytest.mark.parametrize(
    "text",
    [
        "Zojuist heeft een man mij met een mes bedreigd.",
        "Hij heeft me net bedreigd.",
        "Een paar minuten geleden trok hij een mes.",
    ],
)
def test_just_now_counts_as_now(recogniser: Recogniser, text: str) -> None:
    assert recogniser.read(text).danger_now


def test_a_now_word_in_its_own_clause_wins_over_the_past_before_it(
    recogniser: Recogniser,
) -> None:
    signals = recogniser.read("Vorige week dreigde hij met een mes, nu staat hij weer buiten.")
    assert signals.danger_now == ("staat hij weer buiten",)


@pytest.mark.parametrize(
    "text",
    [
        "Als hij terugkomt, bel ik de politie.",
        "Wat moet ik doen als iemand met een mes dreigt?",
        "Stel dat een klant me volgt naar huis.",
        "What should I do if a visitor follows me to my car?",
        "Het protocol zegt: bij direct gevaar bel je 112.",
    ],
)
def test_hypotheticals_and_rules_are_no_event(recogniser: Recogniser, text: str) -> None:
    assert recogniser.read(text) == Signals()


@pytest.mark.parametrize(
    "text",
    [
        "Ik ben er kapot van.",
        "Ik word er gek van, elke week dezelfde klant.",
        "Ik schrok me dood.",
        "Ik ga dood van de stress.",
        "This job is killing me.",
        "Hij maakte er een einde aan door op te hangen.",
    ],
)
def test_a_colleagues_own_feelings_and_idioms_are_no_self_harm(
    recogniser: Recogniser, text: str
) -> None:
    assert not recogniser.read(text).self_harm


@pytest.mark.parametrize(
    "text",
    [
        "Hij dreigt met SUÏCIDE.",
        "hij dreigt met suicide",
        "De beller zei dat hij er een einde aan wil maken.",
        "She said she wants to end it all.",
        "He threatened to kill himself.",
        "ze dreigt met zelfmoort",
    ],
)
def test_self_harm_is_heard_with_or_without_accents_and_capitals(
    recogniser: Recogniser, text: str
) -> None:
    assert recogniser.read(text).self_harm


def test_phrases_are_reported_as_typed(recogniser: Recogniser) -> None:
    signals = recogniser.read("Hij   dreigt met  SUÏCIDE!")
    assert signals.self_harm == ("dreigt met  SUÏCIDE",)


def test_self_harm_under_way_is_danger_now(recogniser: Recogniser) -> None:
    signals = recogniser.read("De beller staat nu op het balkon en zegt dat hij gaat springen.")
    assert signals.self_harm and signals.danger_now


def test_spelling_variants_are_read_as_the_word(recogniser: Recogniser) -> None:
    assert recogniser.read("m'n collega wordt nu geslagen").danger_now == ("wordt nu geslagen",)
    assert recogniser.read("I'm hiding, he's outside").danger_now


def test_a_phrase_never_runs_across_a_comma(recogniser: Recogniser) -> None:
    assert not recogniser.read("Hij staat, zei ze, buiten de regels.").danger_now
    assert recogniser.read("Hij staat buiten de deur.").danger_now


@pytest.mark.parametrize(
    "text",
    [
        "De werkgever heeft haar paspoort ingenomen.",
        "De jongen slaapt op de werkplek.",
        "Ze moet een schuld afwerken.",
        "Hij werkt zonder loon.",
        "Ze wordt gebracht en gehaald.",
        "Ze mag niet zelf praten.",
    ],
)
def test_signals_of_trafficking_suggest_trafficking(recogniser: Recogniser, text: str) -> None:
    assert recogniser.read(text).suggested_category is Category.TRAFFICKING


@pytest.mark.parametrize(
    "text",
    [
        "Ik vermoed fraude met declaraties.",
        "Er is sprake van omkoping.",
        "Een collega neemt steekpenningen aan.",
        "Dit is belangenverstrengeling.",
    ],
)
def test_suspected_wrongdoing_suggests_integrity(recogniser: Recogniser, text: str) -> None:
    assert recogniser.read(text).suggested_category is Category.INTEGRITY


def test_the_most_serious_category_comes_first(recogniser: Recogniser) -> None:
    signals = recogniser.read("Hij schold me uit, schreeuwde en sloeg me daarna.")
    assert signals.categories == (Category.PHYSICAL_VIOLENCE, Category.VERBAL_AGGRESSION)


def test_threats_by_phone_are_online_aggression_ahead_of_the_threat(
    recogniser: Recogniser,
) -> None:
    signals = recogniser.read("Een beller heeft mij aan de telefoon bedreigd.")
    assert signals.categories == (Category.ONLINE_AGGRESSION, Category.THREAT)
    assert recogniser.read("Een beller vroeg naar zijn toeslag.").categories == ()


@pytest.mark.parametrize(
    "text",
    ["Dank je wel!", "K7Q2-9F3M-T0QX-4HZC", "ok", "", "   ", "Ja, ik ben nu thuis.", "?!"],
)
def test_thanks_codes_and_short_answers_hear_nothing(recogniser: Recogniser, text: str) -> None:
    signals = recogniser.read(text)
    assert signals == Signals()
    assert not signals.any and signals.suggested_category is None


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_an_organisation_file_extends_the_bundled_lists(tmp_path: Path) -> None:
    extra = _write(
        tmp_path / "signals.toml",
        """
[pl.words]
negation = ["nie"]
sets = { wapen = ["kruisboog"] }

[pl.danger_now]
phrases = ["^ratunku", "stoi ~2 przed drzwiami"]

[pl.categories.trafficking]
phrases = ["zabrał ~2 paszport"]
""",
    )
    recogniser = Recogniser.load(extra)
    assert recogniser.read("Ratunku!").danger_now == ("Ratunku",)
    assert not recogniser.read("On nie stoi przed drzwiami.").danger_now
    assert recogniser.read("Szef zabrał mu paszport.").categories == (Category.TRAFFICKING,)
    # a bundled phrase using the set now hears the organisation's entry too
    assert recogniser.read("Hij heeft nu een kruisboog.").danger_now
    # and nothing of the bundled file is lost
    assert recogniser.read("Hij staat nu buiten met een mes.").danger_now
    assert not Recogniser.load().read("Ratunku!").danger_now


def test_an_organisation_regex_and_weight_are_used(tmp_path: Path) -> None:
    extra = _write(
        tmp_path / "signals.toml",
        """
[categories.verbal_aggression]
weight = 9

[nl.categories.verbal_aggression]
regex = ['\\bkk?r[a-z]*lijer']
""",
    )
    recogniser = Recogniser.load(extra)
    signals = recogniser.read("Hij riep KKRlijer en sloeg me.")
    assert signals.categories == (Category.VERBAL_AGGRESSION, Category.PHYSICAL_VIOLENCE)
    assert signals.phrases_for(Category.VERBAL_AGGRESSION) == ("KKRlijer",)


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ("[nl.danger_now\nphrases = []", "cannot be read"),
        ('[nl.danger_now]\nphrases = "mes"', "nl.danger_now.phrases"),
        ("[nl.categories.thraet]\nphrases = ['x']", "nl.categories.thraet"),
        ("[nl.danger_now]\nphrasse = ['x']", "nl.danger_now.phrasse"),
        ("[Nederlands.danger_now]\nphrases = ['x']", "unknown key 'Nederlands'"),
        ("[categories.threat]\nweight = -1", "categories.threat.weight"),
        ("[nl.danger_now]\nphrases = ['~ mes']", "nl.danger_now.phrases: phrase '~ mes'"),
        ("[nl.danger_now]\nphrases = ['mes ~20 nu']", "a gap spans 1 to 10 words"),
        ("[nl.danger_now]\nphrases = ['@geweer']", "unknown set @geweer"),
        ("[nl.danger_now]\nphrases = ['hij * mes']", "a lone *"),
        ("[nl.danger_now]\nphrases = ['mes.']", "can never match a word"),
        ("[nl.danger_now]\nphrases = ['(mes|bijl']", "unbalanced brackets"),
        ("[nl.danger_now]\nregex = ['(mes']", "regex '(mes' is not valid"),
        ("[nl.danger_now]\nregex = ['x*']", "matches empty text"),
    ],
)
def test_a_malformed_file_is_refused_naming_the_problem(
    tmp_path: Path, content: str, problem: str
) -> None:
    extra = _write(tmp_path / "ours.toml", content)
    with pytest.raises(ValueError, match=r"ours\.toml") as refused:
        Recogniser.load(extra)
    assert problem in str(refused.value)


def test_a_missing_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="cannot be read"):
        Recogniser.load(tmp_path / "nowhere.toml")


def test_the_corpus_meets_the_aim(recogniser: Recogniser) -> None:
    examples = corpus()
    assert len(examples) >= 200
    score = evaluate(recogniser, examples)
    for name, tally in (("danger_now", score.danger), ("self_harm", score.self_harm)):
        assert tally.recall >= 0.95, f"{name} recall {tally.recall:.3f}"
        assert tally.precision >= 0.8, f"{name} precision {tally.precision:.3f}"
    assert score.category_accuracy >= 0.8

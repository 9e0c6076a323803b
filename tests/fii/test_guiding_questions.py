# ruff: noqa: E501  (the handreiking's questions, one per line)
"""Issue 19: the fifteen guiding questions, one per subphase, faithful in substance to the handreiking and
kept open. The map is DOMAIN.md's (the source's question per subphase); the words that carry each question's
meaning must survive the paraphrase, and no question may become a yes/no check."""

import pytest
from django.utils import translation

from fii.model import SUBPHASE_SPECS

# Subphase → (the handreiking's own question, words its English paraphrase must keep).
HANDREIKING = {
    "1a": ("Waar komt de vraag om innovatie vandaan?", ("where", "request for innovation")),
    "1b": ("Welk innovatievraagstuk moet er opgelost worden?", ("which innovation question", "solved")),
    "1c": (
        "Binnen welke kaders …? Welke middelen …? Wat zijn de randvoorwaarden?",
        ("frame", "resources", "preconditions"),
    ),
    "2a": ("Welke organisaties zouden deze interventie interessant vinden?", ("which organisations", "interesting")),
    "2b": (
        "Met welke organisatie ontstaat er in de gesprekken een gedeelde visie?",
        ("which organisation", "shared vision"),
    ),
    "2c": ("Wat is er nodig om een gedeeld eigenaarschap te creëren?", ("what is needed", "shared ownership")),
    "3a": ("Hoe moet de interventie eruit komen te zien?", ("what should the intervention look like",)),
    "3b": ("Met welke werkzame bestanddelen staat of valt de interventie?", ("active components", "stand or fall")),
    "4a": ("Wie zijn er nodig om de implementatie tot een succes te maken?", ("who is needed", "success")),
    "4b": (
        "Staan alle neuzen (nog) dezelfde kant op, of wordt het (weer) tijd om de koppen bij elkaar te steken?",
        ("same direction", "sit down together"),
    ),
    "5a": (
        "Welke personen zijn geschikt om plaats te nemen in het implementatieteam?",
        ("which people", "implementation team"),
    ),
    "5b": (
        "Welke (on)verwachte aandachtspunten verrijzen er gedurende het traject; hoe en wanneer pakken we deze op?",
        ("points of attention", "how and when"),
    ),
    "5c": ("Hoe zorg je ervoor dat de uitvoerders de juiste competenties ontwikkelen?", ("how", "right competencies")),
    "6a": (
        "Hoe zorg je ervoor dat medewerkers bepaalde vaardigheden en kennis behouden en continu blijven reflecteren vanuit de praktijk?",
        ("skills and knowledge", "reflecting"),
    ),
    "6b": (
        "Waar zijn we als organisatie voor? Wat is het doel van ons werk? Hoe wordt onze doelgroep hier beter van?",
        ("what are we there for", "target group"),
    ),
}
CLOSED_OPENINGS = ("is ", "are ", "do ", "does ", "has ", "have ", "can ", "will ")


def test_there_are_fifteen_subphases_each_with_the_handreikings_question():
    assert sorted(SUBPHASE_SPECS) == sorted(HANDREIKING)
    assert len(HANDREIKING) == 15


@pytest.mark.parametrize("code", sorted(HANDREIKING))
def test_each_guiding_question_keeps_its_meaning_and_stays_open(code):
    _dutch, keywords = HANDREIKING[code]
    with translation.override("en"):
        questions = " ".join(str(q) for q in SUBPHASE_SPECS[code].guiding_questions).lower()
        openings = [str(q).lower() for q in SUBPHASE_SPECS[code].guiding_questions]
    for word in keywords:
        assert word in questions, f"{code}: '{word}' lost in '{questions}'"
    for question in openings:
        assert question.endswith("?")
        if code != "4b":  # 4b asks "are all noses pointing the same way, or is it time to meet?" — an open choice
            assert not question.startswith(CLOSED_OPENINGS), f"{code} became a yes/no check: {question}"


@pytest.mark.parametrize("code", sorted(HANDREIKING))
def test_each_guiding_question_has_a_dutch_paraphrase(code):
    questions = SUBPHASE_SPECS[code].guiding_questions
    with translation.override("en"):
        english = [str(q) for q in questions]
    with translation.override("nl"):
        dutch = [str(q) for q in questions]
    assert all(d != e and d.endswith("?") for d, e in zip(dutch, english, strict=True))

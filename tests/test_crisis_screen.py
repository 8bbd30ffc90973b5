"""The crisis stage on its own (lexicon and classifier, no NLU service): every kind of
danger, the writer or someone else, every script people type in; idioms stay quiet."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
import yaml

from nlu.crisis_lexicon import BadLexicon, CrisisLexicon
from nlu.crisis_model import PIECE_CHARS, CrisisModel, pieces
from nlu.training_data import crisis_rows, intent_examples
from nlu.screening import Category, Level, Person, laughs

NLU = Path(__file__).resolve().parent.parent / "nlu"

# (text, category, person, script class): written for these tests, not taken from any
# training or evaluation set.
CRISES = [
    ("jeg har tænkt på at tage mit eget liv", Category.SUICIDE, Person.SELF, "da"),
    ("min søn siger at han ikke vil leve mere", Category.SUICIDE, Person.CHILD, "da, a parent"),
    ("jeg skaerer i mig selv igen", Category.SUICIDE, Person.SELF, "da without æøå"),
    ("i want to end my life tonight", Category.SUICIDE, Person.SELF, "en"),
    ("my friend keeps cutting herself and says nobody would miss her", Category.SUICIDE, Person.OTHER, "en, a friend"),
    ("bde ente7er, ma 3ad fi shi", Category.SUICIDE, Person.SELF, "Arabizi"),
    ("main khudkushi karna chahta hoon", Category.SUICIDE, Person.SELF, "Roman Urdu"),
    ("میں خودکشی کرنا چاہتی ہوں", Category.SUICIDE, Person.SELF, "Urdu script"),
    ("mikham khodkoshi konam", Category.SUICIDE, Person.SELF, "Finglish"),
    ("دیگه نمی‌خوام زنده باشم", Category.SUICIDE, Person.SELF, "Farsi"),
    ("не хочу больше жить", Category.SUICIDE, Person.SELF, "Russian in a Ukrainian chat"),
    ("waxaan rabaa inaan is dilo", Category.SUICIDE, Person.SELF, "Somali"),
    ("kendimi oldurmek istiyorum", Category.SUICIDE, Person.SELF, "Turkish without ı/ş/ğ"),
    ("my dad beats me every night", Category.VIOLENCE, Person.SELF, "en"),
    ("kocam oğlumu kan içinde kalana kadar dövdü", Category.VIOLENCE, Person.CHILD, "tr, a mother"),
    ("babam her gun beni dovuyor", Category.VIOLENCE, Person.SELF, "Turkish without ı/ş/ğ"),
    ("أبوي بيضربني كل يوم", Category.VIOLENCE, Person.SELF, "Levantine Arabic"),
    ("وچا کاکایم به من دست درازی می‌کنه", Category.VIOLENCE, Person.SELF, "Dari"),
    ("вітчим мене б'є", Category.VIOLENCE, Person.SELF, "Ukrainian"),
    ("my parents want to force me to marry my cousin this summer", Category.FORCED_MARRIAGE, Person.SELF, "en"),
    ("أهلي بدهم يجوزوني غصب عني", Category.FORCED_MARRIAGE, Person.SELF, "Arabic"),
    ("ahli bdhom yjawzuni ghasban 3anni", Category.FORCED_MARRIAGE, Person.SELF, "Arabizi"),
    ("ghar wale meri zabardasti shadi karwa rahe hain", Category.FORCED_MARRIAGE, Person.SELF, "Roman Urdu"),
    ("de vil sende mig på genopdragelsesrejse til somalia", Category.FORCED_MARRIAGE, Person.SELF, "da"),
    ("got kicked out tonight, sleeping outside", Category.HOMELESS, Person.SELF, "en"),
    ("min far har smidt mig ud og jeg har ingen steder at sove i nat", Category.HOMELESS, Person.SELF, "da"),
    ("мене вигнали з дому, нема де ночувати", Category.HOMELESS, Person.SELF, "Ukrainian"),
    ("emshaw kuja khaw kunom? hech ja nadarom", Category.HOMELESS, Person.SELF, "Dari in Latin letters"),
    ("someone is outside my door with a knife and says he will kill me", Category.DANGER, Person.SELF, "en"),
    ("der er en der truer med at stikke mig ned", Category.DANGER, Person.SELF, "da"),
]


@pytest.mark.parametrize(("text", "category", "person", "script"), CRISES, ids=[c[3] + ": " + c[0][:30] for c in CRISES])
def test_every_kind_of_danger_is_a_crisis_in_every_script(screen, text, category, person, script):
    signal = screen.screen(text)
    assert signal.level is Level.CRISIS, (signal, script)
    assert signal.category is category, (signal, script)
    if person is not Person.SELF:
        assert signal.person is person, (signal, script)


EVERYDAY = [
    "this homework is killing me",
    "jeg dør af grin",
    "mum will kill me if I'm late, when do you close?",
    "I'd die for that job at netto",
    "jeg ved ikke",
    "jeg keder mig",
    "can I bring my little brother?",
    "bu ödev beni öldürüyor",
    "I'm dead tired after school",
    "bored to death, what can I do this weekend",
    "ok",
    "hvornår har i åbent på torsdag",
    "we got kicked out of the football tournament lol",
    "my cousin is getting married in Pakistan this summer, can I take days off my fritidsjob?",
]


@pytest.mark.parametrize("text", EVERYDAY)
def test_idioms_and_everyday_messages_raise_no_alarm(screen, text):
    assert screen.screen(text).level is Level.NONE, screen.screen(text)


def test_a_negated_phrase_is_asked_about_not_alarmed():
    lexicon = CrisisLexicon({"suicide": ["hurt myself"]}, negations=["never"])
    assert [hit.negated for hit in lexicon.hits("I would never hurt myself")] == [True]
    assert [hit.negated for hit in lexicon.hits("I hurt myself again")] == [False]


def test_idioms_are_blanked_before_phrases_are_matched():
    lexicon = CrisisLexicon({"violence": ["slår mig"]}, idioms=["slår mig ihjel hvis jeg kommer for sent"])
    assert lexicon.hits("mor slår mig ihjel hvis jeg kommer for sent") == []
    assert lexicon.hits("min far slår mig")[0].category == "violence"


def test_phrases_match_whole_words_and_prefixes_across_spellings():
    lexicon = CrisisLexicon({"suicide": ["selvmord*", "skære i mig selv"]})
    assert lexicon.hits("jeg har SELVMORDSTANKER")
    assert lexicon.hits("jeg vil skaere i mig selv")  # æ typed as ae
    assert not lexicon.hits("jeg vil skære brød")


def test_a_persian_word_for_beating_does_not_fire_inside_moroccan_arabic_verbs():
    lexicon = CrisisLexicon.load()
    dad_beat_me = "بابام دیشب کتکم زد"
    assert {hit.category for hit in lexicon.hits(dad_beat_me)} == {Category.VIOLENCE.value}
    assert lexicon.hits("شحال كتكلف الافترسكول؟") == []  # "how much does efterskole cost?"
    assert lexicon.hits("واش كتكتب ليا الطلب؟") == []  # "will you write the application for me?"


def test_a_lexicon_with_an_unknown_category_is_refused(tmp_path):
    (tmp_path / "xx.yml").write_text("terms:\n  sadness: [sad]\n", encoding="utf-8")
    with pytest.raises(BadLexicon, match="sadness"):
        CrisisLexicon.load(tmp_path)


def test_a_disclosure_at_the_end_of_a_long_message_is_caught(screen):
    text = "I have a question about gymnasiet and the grades. " * 80 + "Also, I want to kill myself."
    assert len(text) > 4000
    assert screen.screen(text).level is Level.CRISIS
    assert all(len(piece) <= PIECE_CHARS for piece in pieces(text))


def _everyday_training_messages() -> list[str]:
    everyday = [row.text for row in crisis_rows() if not row.category and row.topic != "crisis"]
    return everyday + [example.text for example in intent_examples()]


def test_no_lexicon_phrase_fires_on_an_everyday_training_message(screen):
    everyday = _everyday_training_messages()
    assert len(everyday) > 5000
    # A laughing emoji makes a hit a question, not an alarm ("khodkoshi kardam ta in
    # ansøgning ro neveshtam 😅": I killed myself writing this application).
    firing = [(text, hit.phrase) for text in everyday for hit in screen.lexicon.hits(text)
              if not hit.negated and not laughs(text)]
    assert firing == []


def test_the_plain_python_scorer_reproduces_scikit_learns_probabilities():
    model = CrisisModel.load()
    assert model.meta["selfcheck"]
    for text, expected in model.meta["selfcheck"]:
        got = model.piece_probabilities(text)
        assert [got[name] for name in model.classes] == pytest.approx(expected, abs=1e-3)

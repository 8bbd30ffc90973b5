"""Language detection and the order in which a reply language is chosen."""

from __future__ import annotations

import pytest

from nlu.language import reply_language


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("when is the vejleder in the beboerhus", "en"),
        ("hvornår har UU åben vejledning", "da"),
        ("ابني يريد يروح gymnasiet شو لازم يعمل", "ar"),
        ("wiilkayga wuxuu rabaa fritidsjob xagee ka heli karaa", "so"),
        ("oğlum eud ye gitmek istiyor ne yapmalı", "tr"),
        ("میرا بیٹا gymnasiet جانا چاہتا ہے", "ur"),
        ("پسرم می‌خواهد به gymnasiet برود", "fa"),
        ("мій син хоче на fritidsjob що робити", "uk"),
        # A Danish sentence to be explained beside a few words in the writer's own letters:
        # Danish words outnumber the rest, but no Dane writes Arabic or Cyrillic letters.
        ("شو يعني jeg glæder mig til sommerferien", "ar"),
        ("ترجمي لي hvad betyder det her brev fra kommunen", "ar"),
        ("یعنی چی vi ses i morgen med de andre", "fa"),
        ("привіт hej", "uk"),
    ],
)
def test_detects_the_language_under_mixed_in_danish_words(detector, text, lang):
    assert detector.detect(text) == lang


@pytest.mark.parametrize("text", ["ok", "👍", "", "stx?", "?!", "netto job 13?"])
def test_too_little_text_is_not_guessed(detector, text):
    assert detector.detect(text) is None
    assert detector.guess(text) is None  # answered in the phone's language, else Danish


@pytest.mark.parametrize("text", ["gymnasiet deadline?"])
def test_an_unsure_first_message_is_answered_in_its_likeliest_language_not_danish(detector, text):
    # Hand-written: too short to be sure of, but English is the likeliest.
    assert detector.detect(text) is None
    assert detector.guess(text) == "en"
    assert reply_language(chosen=None, detected=None, previous=None, client=None, guessed="en") == "en"


def test_explicit_choice_wins_then_detected_then_previous_then_client_then_a_guess_then_danish():
    assert reply_language(chosen="ar", detected="da", previous="so", client="en") == "ar"
    assert reply_language(chosen=None, detected="da", previous="so", client="en") == "da"
    assert reply_language(chosen=None, detected=None, previous="so", client="en") == "so"
    assert reply_language(chosen=None, detected=None, previous=None, client="en-GB") == "en"
    assert reply_language(chosen=None, detected=None, previous=None, client="prs") == "fa"
    assert reply_language(chosen=None, detected=None, previous=None, client="pt") == "da"
    assert reply_language(chosen=None, detected=None, previous="so", client=None, guessed="en") == "so"
    assert reply_language(chosen=None, detected=None, previous=None, client="uk", guessed="en") == "uk"
    assert reply_language(chosen=None, detected=None, previous=None, client=None) == "da"


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("mujhe nahi pata kab tak apply karna hai", "ur"),
        ("ana bde a3ref emta btfta7o yom el 5amis", "ar"),
        ("mikham bedunam key baz mikonid", "fa"),
        ("ya ne znayu koly dedlain na gymnasium", "uk"),
        ("shukriya", "ur"),
        ("evet", "tr"),
    ],
)
def test_transliterated_text_and_telling_one_word_replies_are_recognised(detector, text, lang):
    assert detector.detect(text) == lang


@pytest.mark.parametrize("text", ["ok", "tak", "ok tak", "thx", "haha", "?", "asc", "haa"])
def test_a_short_reply_never_switches_a_conversations_language(detector, text):
    assert detector.detect(text, switching=True) is None


def test_the_transliteration_markers_are_up_to_date_with_the_training_data():
    from nlu.transliteration import LANGUAGES, LATIN_RULE, MARKERS_FILE, SHORT_RULE, TRANSLITERATED, learn_markers, \
        training_messages
    import yaml

    stored = yaml.safe_load(MARKERS_FILE.read_text(encoding="utf-8"))
    assert stored["latin"] == learn_markers(training_messages(latin_only=True), TRANSLITERATED, **LATIN_RULE), \
        "run `.venv/bin/python -m nlu.transliteration` after changing training data"
    assert stored["short"] == learn_markers(training_messages(latin_only=False), LANGUAGES, **SHORT_RULE)

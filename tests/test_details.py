"""Details the model does not extract: ages, grades, parents, pay, holidays, programmes."""

from __future__ import annotations

import pytest

from nlu.details import about_pay, age_in, asks_for_child, grades_in, period_in, programme_in


@pytest.mark.parametrize(
    ("text", "age"),
    [
        ("jeg er 14", 14),
        ("hvor mange timer må jeg arbejde når jeg er 14", 14),
        ("jeg er 14 og vil arbejde 14 timer om ugen", 14),
        ("en 14-årig må hvad", 14),
        ("my son is 15, can he work in a shop", 15),
        ("I'm 16 years old", 16),
        ("عمري ١٤ سنة", 14),
        ("ابني عمره 15", 15),
        ("waxaan ahay 14 jir", 14),
        ("14 yaşındayım", 14),
        ("oğlum 15 yaşında", 15),
        ("میری عمر 14 سال ہے", 14),
        ("۱۴ سالمه", 14),
        ("پسرم ۱۵ سالشه", 15),
        ("мені 14 років", 14),
        # Spelled out, and in Latin letters: Roman Urdu, Arabizi, Finglish.
        ("I'm sixteen", 16),
        ("jeg er femten", 15),
        ("on beş yaşındayım", 15),
        ("wiilkaygu waa lix iyo toban jir", 16),
        ("عمري خمستعش", 15),
        ("ابني عمره ستة عشر سنة", 16),
        ("پسرم شانزده سالشه", 16),
        ("мені п’ятнадцять років", 15),
        ("mera beta 16 saal ka hai", 16),
        ("meri umar pandrah saal hai", 15),
        ("3omri 15", 15),
        ("man 14 salame", 14),
        # Not ages: hours, money, clock times, school classes.
        ("må jeg arbejde 14 timer om ugen", None),
        ("is 15 kr an hour ok", None),
        ("kl 14 på torsdag", None),
        ("jeg går i 9. klasse", None),
        ("jeg er 100", None),
        ("I work fifteen hours a week", None),
        ("må jeg arbejde femten timer", None),
        ("mera bara beta job chahta hai", None),  # "bara" is "elder" here, not twelve
    ],
)
def test_an_age_is_found_only_next_to_an_age_word(text, age):
    assert age_in(text) == age


def test_a_bare_number_is_an_age_only_as_the_answer_to_how_old():
    assert age_in("14") is None
    assert age_in("14", alone=True) == 14
    assert age_in("٣٠٠", alone=True) is None
    assert age_in("sixteen") is None
    assert age_in("sixteen", alone=True) == age_in("solah", alone=True) == age_in("سولہ", alone=True) == 16


@pytest.mark.parametrize(
    ("text", "average", "subjects"),
    [
        ("jeg har 4,8 i snit", 4.8, {}),
        ("kan jeg komme på stx med 5 i snit", 5.0, {}),
        ("I have an average of 6.2", 6.2, {}),
        ("معدلي ٤٫٨", 4.8, {}),
        ("ortalamam 4,5", 4.5, {}),
        ("мій середній бал 7", 7.0, {}),
        ("00 i matematik", None, {"maths": 0.0}),
        ("jeg fik 02 i dansk og 00 i matematik", None, {"danish": 2.0, "maths": 0.0}),
        ("dansk 02, matematik 00", None, {"danish": 2.0, "maths": 0.0}),
        ("jeg er 16 og har 02 i dansk", None, {"danish": 2.0}),
        ("-3 i matematik og 4 i dansk", None, {"maths": -3.0, "danish": 4.0}),
        ("hvornår er fristen", None, {}),
    ],
)
def test_grades_are_read_with_their_subject_or_as_an_average(text, average, subjects):
    grades = grades_in(text)
    assert grades.average == average
    assert grades.subjects == subjects


def test_parents_pay_holidays_and_programmes_are_recognised():
    assert asks_for_child("Min søn vil gerne på gymnasiet")
    assert asks_for_child("پسرم میخواهد کار کند")
    assert asks_for_child("كم ساعة يمكن لابني أن يعمل")
    assert not asks_for_child("jeg vil gerne på gymnasiet")
    # In Latin letters too: Roman Urdu, Finglish, Arabizi; and Gulf and Iraqi "ولدي".
    assert all(asks_for_child(text) for text in ("meri beti 15 saal ki hai", "pesaram mikhad kar kone",
                                                 "ibni 3omro 13", "ولدي ١٧ وعنده دوام", "min dreng har 02 i snit"))
    assert not asks_for_child("my boyfriend works at netto")
    assert about_pay("hvad får man i løn som 15-årig")
    assert not about_pay("hvor mange timer må jeg arbejde")
    assert period_in("har I åbent i efterårsferien") == "autumn_holiday"
    assert period_in("are you open at christmas") == "christmas"
    assert period_in("are you open on friday") is None
    assert programme_in("kan jeg tage 10. klasse") == "tenth_grade"
    assert programme_in("هل يمكنني الدخول الى hf") == "hf"

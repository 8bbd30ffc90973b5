"""Admission answers through the core (the topic scripted, see conftest.scripted_core):
the programme asked about, grades compared honestly, the deadline, parents, sources and
a counsellor."""

from __future__ import annotations

from bot.links import as_read
from conftest import button_data, gettext, say, scripted_core

DEADLINE_SOURCE = "https://www.optagelse.dk"
GYMNASIUM_SOURCE = "https://www.uvm.dk/gymnasiale-uddannelser/adgang-og-optagelse/ofte-stillede-spoergsmaal-om-adgang-og-optagelse"
VOCATIONAL_SOURCE = "https://www.uvm.dk/erhvervsuddannelser/adgang-og-optagelse/adgangskrav"

core = scripted_core({
    "jeg har 4,8 i snit, kan jeg komme på stx": "admission_gymnasium",
    "I have an average of 5.4, can I get into the gymnasium?": "admission_gymnasium",
    "I got 00 in maths and 02 in Danish, can I start on EUD?": "admission_vocational",
    "my daughter wants to go to hhx, when must she apply?": "admission_deadline",
    "متى آخر موعد للتقديم على optagelse.dk": "admission_deadline",
    "what is FGU and who can start there?": "admission_fgu",
    "do you get paid at FGU?": "admission_fgu",
    "what can I do after 9th grade?": "admission_general",
    "when is the deadline for applying to youth education?": "admission_deadline",
    "I got 02 in Danish and 00 in maths, can I start at FGU?": "admission_fgu",
    "I got 02 in Danish and 00 in maths, what can I apply for?": "admission_general",
    "what does it take to get into hf?": "admission_gymnasium",
})


def line(lang: str, msgid: str, **values: str) -> str:
    isolate = lang in ("ar", "ur", "fa")
    return gettext(lang, msgid).format(**{k: f"\u2068{v}\u2069" if isolate else v for k, v in values.items()})


async def test_a_danish_average_below_the_gymnasium_requirement_is_told_honestly(core):
    replies = await core.handle(say("jeg har 4,8 i snit, kan jeg komme på stx"))
    text = replies[0].text
    assert line("da", "An average of {average} is below the requirement for {programme} ({required}). The way in is then the admission test and an interview.",
                average="4,8", programme=gettext("da", "the gymnasium"), required="5,0") in text
    assert GYMNASIUM_SOURCE in text
    assert line("da", "Source (checked {date}):", date="23. november 2026") in text
    assert "Heidi Jensen" in text  # a named counsellor for their own case
    # What was asked, and only that: the deadline, the other programmes and the reform are a tap away.
    assert "optagelse.dk" not in text and "UPV" not in text and "EPX" not in text and DEADLINE_SOURCE not in text
    assert button_data(replies) == ["ask:admission_deadline", "ask:admission_vocational", "ask:admission_fgu",
                                    "person", "menu"]
    deadline = (await core.handle(say("ask:admission_deadline", kind="button")))[0].text
    assert line("da", "Apply on optagelse.dk by {date}, with your wishes in order of priority (in some areas at least {wishes}). Later, no place is kept for you: a gymnasium or HF may take you if it has room, often after an admission test; for EUD, ask the school.",
                date="1. marts 2027", wishes="4") in deadline
    # One source link: where to apply.
    assert deadline.count("https://") == 1 and DEADLINE_SOURCE in deadline


async def test_an_english_average_that_meets_the_requirement_mentions_the_unsure_reform(core):
    text = (await core.handle(say("I have an average of 5.4, can I get into the gymnasium?")))[0].text
    assert "An average of 5.4 meets the requirement for the gymnasium (5.0)." in text
    assert "Note: the agreed reform raises the gymnasium requirement to 6.0, and I am not sure from which year." in text


async def test_a_failed_maths_grade_gets_the_vocational_ways_in(core):
    replies = await core.handle(say("I got 00 in maths and 02 in Danish, can I start on EUD?"))
    text = replies[0].text
    assert "Maths: 00 is below the requirement." in text
    # The ways in are said once, in the rule, not again under the grade.
    assert "or an apprenticeship contract (uddannelsesaftale) with a company. Otherwise there is an admission test and an interview at the school." in text
    assert "Ways in:" not in text
    assert "Danish: 02 meets the requirement." in text
    assert VOCATIONAL_SOURCE in text
    # The rule is an exam average per subject, and EUD is not closed after the two GF1 years:
    # that is one tap away.
    assert "a passed final exam with an exam average of at least 02 in Danish and at least 02 in maths" in text
    assert button_data(replies)[0] == "more:vocational_later"
    later = (await core.handle(say("more:vocational_later", kind="button")))[0].text
    assert "Later, under 25, the way in is the second basic course (GF2); from 25, EUV (vocational education for adults)." in later
    assert VOCATIONAL_SOURCE in later


async def test_the_overview_with_grades_names_the_ways_in_under_the_grade(core):
    text = (await core.handle(say("I got 02 in Danish and 00 in maths, what can I apply for?")))[0].text
    assert "Maths: 00 is below the EUD/EUX requirement of at least 02. Ways in: an apprenticeship contract with a company, or the admission test and an interview at the school." in text
    assert "UPV" not in text  # the grades given already show that grades decide


async def test_an_hf_question_gets_the_epx_reform_but_not_the_gymnasium_one(core):
    text = (await core.handle(say("what does it take to get into hf?")))[0].text
    # Straight from 9th grade, HF has no way in by the admission test.
    assert ("2-year HF: a passed final exam, at least 4.0 on average in the final year grades, and a second foreign language in grades 5-9. "
            "Straight after 9th grade there is no admission test for HF; after 10th grade there is.") in text
    assert "If not, or if you were exempted" not in text
    assert "from 2030, EPX replaces HF" in text
    assert "gymnasium requirement" not in text


async def test_grades_are_compared_only_where_they_decide(core):
    # FGU asks for no grades: the EUD/EUX requirements would only confuse.
    text = (await core.handle(say("I got 02 in Danish and 00 in maths, can I start at FGU?")))[0].text
    assert text.startswith("FGU (forberedende grunduddannelse) is for young people under 25")
    assert "EUD/EUX requirement" not in text and VOCATIONAL_SOURCE not in text


async def test_a_parent_is_answered_about_their_child(core):
    text = (await core.handle(say("my daughter wants to go to hhx, when must she apply?")))[0].text
    assert text.startswith("Your child can apply on optagelse.dk by March 1, 2027")
    assert "For your child's situation, talk to" in text


async def test_arabic_deadline_answer_is_right_to_left_with_isolated_dates(core):
    replies = await core.handle(say("متى آخر موعد للتقديم على optagelse.dk"))
    assert replies[0].rtl
    assert "\u20681 مارس 2027\u2069" in replies[0].text
    assert DEADLINE_SOURCE in replies[0].text


async def test_fgu_answer_has_the_target_group_and_the_tracks_explained(core):
    text = (await core.handle(say("what is FGU and who can start there?")))[0].text
    assert "FGU (forberedende grunduddannelse) is for young people under 25" in text
    assert "Three tracks: agu (school subjects), pgu (workshops and production) and egu (mostly at a workplace)." in text
    assert "kr. under 18" not in text  # the amounts only when money is asked about
    assert DEADLINE_SOURCE not in text  # FGU has intakes, not the 1 March deadline


async def test_an_fgu_money_question_gets_the_allowance_with_the_year_of_the_rates(core):
    text = (await core.handle(say("do you get paid at FGU?")))[0].text
    assert ("School allowance (skoleydelse, 2025 rates) per week: 430 kr. under 18; 744 kr. from 18 living at home; "
            "1,725 kr. from 18 living away from home.") in text


async def test_the_overview_offers_the_education_duty_stu_and_eux(core):
    replies = await core.handle(say("what can I do after 9th grade?"))
    assert "more:choices" in button_data(replies)
    text = (await core.handle(say("more:choices", kind="button")))[0].text
    assert "(the education duty). The municipal youth guidance (KUI) makes a plan with them." in text
    assert "• STU is a 3-year youth education for young people under 25 with special needs" in text
    assert "• EUX is vocational education and a gymnasium exam in one." in text


async def test_the_overview_has_a_way_for_newcomers(core):
    replies = await core.handle(say("what can I do after 9th grade?"))
    assert "more:newcomers" in button_data(replies)
    text = (await core.handle(say("more:newcomers", kind="button")))[0].text
    assert "• Exempted from a compulsory exam, as many newcomers are: the way into a gymnasium or EUD is an admission test" in text
    assert "from 18, Danish education at a language centre (sprogcenter)." in text
    assert "https://www.ug.dk/" in text


async def test_the_deadline_moves_to_next_year_after_1_march(core, clock):
    from datetime import datetime

    from bot.clock import COPENHAGEN

    clock.moment = datetime(2027, 3, 2, 19, 0, tzinfo=COPENHAGEN)
    text = (await core.handle(say("when is the deadline for applying to youth education?")))[0].text
    assert "Apply on optagelse.dk by March 1, 2028" in text


async def test_the_admission_button_gives_the_overview_and_a_button_per_programme(offline_core):
    replies = await offline_core.handle(say("topic:admission", kind="button", client_language="en"))
    for part in ("gymnasium (STX, HHX, HTX)", "2-year HF", "(EUD, EUX)", "FGU", "UPV"):
        assert part in replies[0].text
    assert button_data(replies)[:6] == ["more:choices", "more:newcomers", "ask:admission_deadline",
                                        "ask:admission_gymnasium", "ask:admission_vocational", "ask:admission_fgu"]
    gymnasium = (await offline_core.handle(say("ask:admission_gymnasium", kind="button", client_language="en")))[0].text
    assert "at least 5.0 on average in the final year grades" in gymnasium and "admission test" in gymnasium
    # What "passed" means, and the way in for someone exempted from an exam (often a newcomer).
    assert "(all compulsory exams taken, with an average of at least 2.0)" in gymnasium
    assert "or if you were exempted from a compulsory exam (as many newcomers are), the way in is an admission test" in gymnasium


async def test_a_rule_answer_stays_short(offline_core):
    for data in ("topic:admission", "ask:admission_deadline", "ask:admission_gymnasium"):
        text = as_read((await offline_core.handle(say(data, kind="button", client_language="en")))[0].text)
        assert len(text) <= 700, (data, len(text))  # as read on Telegram: a source link shows its site


async def test_the_counsellor_is_named_once_not_under_every_answer(core, clock):
    from datetime import timedelta

    offer = "For your own situation, talk to Heidi Jensen"
    first = (await core.handle(say("what does it take to get into hf?")))[0].text
    assert offer in first
    second = await core.handle(say("when is the deadline for applying to youth education?"))
    assert offer not in second[0].text and "For your own situation" not in second[0].text
    assert second[0].text.rstrip().endswith("https://www.optagelse.dk")  # the source still closes it
    assert "person" in button_data(second)  # a person is still one tap away
    # A leisure-job question names its own counsellor.
    job = (await core.handle(say("leisure:pay", kind="button")))[0].text
    assert "talk to Amina Hassan" in job
    # After a pause the name is said again.
    clock.moment += timedelta(minutes=31)
    later = (await core.handle(say("what is FGU and who can start there?")))[0].text
    assert offer in later

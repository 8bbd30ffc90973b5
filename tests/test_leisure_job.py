"""Leisure-job answers through the core: rules by age (asked once, remembered), pay and
tax, finding a job with the local guide, a CV."""

from __future__ import annotations

import re

from conftest import button_data, gettext, say, scripted_core

AGE_BUTTONS = ["age:under_13", "age:13_14", "age:15_17_school", "age:15_17_out", "age:18_plus"]
WORK_SOURCE = "https://arbejdstilsynet.dk/da/regler/unge/unges-arbejdstid-hviletid-og-fridogn"

core = scripted_core({
    "hvor mange timer må man arbejde i et fritidsjob": "leisure_job_rules",
    "må jeg arbejde om aftenen i et fritidsjob": "leisure_job_rules",
    "I am 16, how many hours can I work in my leisure job?": "leisure_job_rules",
    "can I work 14 hours in a week in my leisure job": "leisure_job_rules",
    "how much do you get paid in a leisure job?": "leisure_job_rules",
    "hvad får man i løn og skal jeg betale skat af mit fritidsjob": "leisure_job_rules",
    "how can I find a leisure job near me": "leisure_job_find",
    "میں اپنی سی وی کیسے بناؤں": "leisure_job_cv",
    "my son is 14, is he allowed to have a leisure job?": "leisure_job_find",
    "my daughter has a leisure job, does she have to pay tax?": "leisure_job_rules",
})


async def test_the_age_is_asked_once_then_remembered(core, store):
    asked = await core.handle(say("hvor mange timer må man arbejde i et fritidsjob"))
    assert asked[0].text == gettext("da", "How old are you? The rules depend on age. If you are asking for your child, choose their age.")
    assert button_data(asked) == AGE_BUTTONS

    answered = await core.handle(say("14"))  # typed instead of tapped
    text = answered[0].text
    assert gettext("da", "Rules for 13-14-year-olds:") in text
    assert gettext("da", "• at most {school_day} hours on a school day and {other_day} hours on other days").format(school_day="2", other_day="7") in text
    assert gettext("da", "• no work between {start} and {end}, and at least {rest} hours of rest in a row").format(start="20.00", end="06.00", rest="14") in text
    assert WORK_SOURCE in text
    parents = gettext("da", "Parents: under 15, you must know about the job; until 9th grade is finished, the employer must tell you in writing.")
    assert parents.startswith("Forældre") and parents not in text  # that line is for parents who ask

    again = await core.handle(say("må jeg arbejde om aftenen i et fritidsjob"))
    assert gettext("da", "Rules for 13-14-year-olds:") in again[0].text  # not asked twice


async def test_an_age_in_the_message_is_used_and_hours_are_not_an_age(core):
    # At 16 the rules depend on 9th grade, so that is asked (two rule sets at once were read as one).
    asked = await core.handle(say("I am 16, how many hours can I work in my leisure job?", client_language="en"))
    assert asked[0].text == "Have you finished 9th grade (compulsory school)? The rules for 15-17-year-olds depend on it."
    assert button_data(asked) == ["age:15_17_school", "age:15_17_out"]
    text = (await core.handle(say("age:15_17_out", kind="button", client_language="en")))[0].text
    assert "• at most 8 hours a day and 40 hours a week, with at least 12 hours of rest between working days" in text
    assert "at most 2 hours on a school day" not in text
    # The basic night rule, then its exceptions.
    assert re.search(r"• no work between 8:00\s?PM and 6:00\s?AM, except e\.g\. shops and petrol stations until 10:00\s?PM, "
                     r"restaurants until 12:00\s?AM", text), text

    # "14 hours" is not an age: the remembered answer still applies.
    text = (await core.handle(say("can I work 14 hours in a week in my leisure job", client_language="en")))[0].text
    assert "Rules for 15-17-year-olds who have finished 9th grade" in text


async def test_an_age_button_narrows_the_rules_and_is_remembered(core):
    replies = await core.handle(say("age:15_17_out", kind="button", client_language="en"))
    text = replies[0].text
    assert text.startswith("Rules for 15-17-year-olds who have finished 9th grade (also in 10th grade, gymnasium or EUD):")
    assert "have not finished 9th grade" not in text  # only the rules that apply
    assert "Parents: under 15" not in text  # the parents' rules are for younger ones
    assert button_data(replies) == ["leisure:safe", "leisure:find", "leisure:cv", "leisure:pay", "person", "menu"]
    # Breaks, hazardous substances and lifting are one tap away, with their source.
    assert "break of 30 minutes" not in text and "12 kg" not in text
    safe = (await core.handle(say("leisure:safe", kind="button", client_language="en")))[0].text
    assert safe.startswith("Breaks and safety at work, under 18:")
    assert "• a break of 30 minutes when you work more than 4.5 hours" in safe
    assert "• 2 days off in a row in every 7 days" in safe
    assert re.search(r"• not alone in a kiosk, bakery shop, grill bar or petrol station while it is open from 6:00\s?PM on "
                     r"weekdays or from 2:00\s?PM at weekends \(I am not sure these times are still current\)", safe), safe
    assert "• under 18: no hazardous substances, and lifts normally at most 12 kg" in safe
    assert WORK_SOURCE in safe


async def test_under_13_and_18_plus_have_their_own_answers(core):
    young = (await core.handle(say("age:under_13", kind="button", client_language="en")))[0].text
    assert young.startswith("Under 13, paid work is only allowed with permission from the police")
    adult = (await core.handle(say("age:18_plus", kind="button", client_language="en")))[0].text
    assert adult.startswith("From 18, the special rules for young workers no longer apply")


async def test_pay_and_tax_in_one_message_get_the_tax_answer_and_pay_one_tap_away(core):
    replies = await core.handle(say("hvad får man i løn og skal jeg betale skat af mit fritidsjob"))
    text = replies[0].text
    assert button_data(replies) == ["leisure:find", "leisure:cv", "leisure:pay", "person", "menu"]
    assert gettext("da", "From the year you turn {age}, a tax card with a tax-free amount (frikort) is made automatically: up to that amount there is no income tax.").format(age="15") in text
    assert gettext("da", "In {year}, the tax-free amount (personal allowance) is {amount} kr. for every age.").format(year="2026", amount="54.100") in text
    assert gettext("da", "Under {age}, a parent can make the frikort in TastSelv on skat.dk.").format(age="15") in text
    assert "https://skm.dk/" in text  # the source of the amount
    pay = await core.handle(say("leisure:pay", kind="button"))
    assert gettext("da", "There is no legal minimum wage in Denmark: pay follows collective agreements, and young people's rates are lower.") in pay[0].text
    assert "12,5%" in pay[0].text and "8%" in pay[0].text
    assert "https://skat.dk/borger/unge-og-studerende/job/foerste-job" in pay[0].text
    assert button_data(pay) == ["leisure:tax", "leisure:find", "leisure:cv", "person", "menu"]  # not "Pay and tax" again


async def test_finding_a_job_names_the_local_job_guide(core):
    text = (await core.handle(say("how can I find a leisure job near me", client_language="en")))[0].text
    assert "Emre Yılmaz (leisure-job guide) helps young people find leisure jobs and speaks Danish, Turkish, and English." in text
    assert "Åben vejledning i Beboerhuset: Thursday" in text


async def test_cv_help_in_urdu_is_right_to_left_and_names_the_guide(core):
    replies = await core.handle(say("میں اپنی سی وی کیسے بناؤں"))
    assert replies[0].rtl
    assert "\u2068Emre Yılmaz\u2069" in replies[0].text
    assert f"\u2068{gettext('ur', 'leisure-job guide')}\u2069" in replies[0].text  # his role, in Urdu
    assert gettext("ur", "A CV for a leisure job, step by step:\n1. Your name, age, phone number and e-mail.\n2. Your school and class.\n3. What you have done: jobs, babysitting, sport, volunteering.\n4. The languages you speak: that is a strength.\n5. A few lines on why you want to work exactly there.\n6. Ask someone to read it before you send it.") in replies[0].text


async def test_a_parent_asking_about_a_childs_job_gets_the_parents_rules(core):
    replies = await core.handle(say("my son is 14, is he allowed to have a leisure job?", client_language="en"))
    text = replies[0].text
    assert "Parents: under 15, you must know about the job; until 9th grade is finished, the employer must tell you in writing." in text
    assert "For your child's situation, talk to" in text
    # The breaks and safety rules a tap away are worded for the parent too.
    assert "leisure:safe_child" in button_data(replies)
    safe = (await core.handle(say("leisure:safe_child", kind="button", client_language="en")))[0].text
    assert "• a break of 30 minutes when your child works more than 4.5 hours" in safe


async def test_a_parent_asking_about_tax_is_told_about_their_childs_frikort(core):
    replies = await core.handle(say("my daughter has a leisure job, does she have to pay tax?", client_language="en"))
    text = replies[0].text
    assert text.startswith("From the year your child turns 15, a tax card with a tax-free amount (frikort) is made automatically for them")
    assert "In 2026, the tax-free amount (personal allowance) is 54,100 kr. for every age." in text
    assert "For your child's situation, talk to" in text
    assert "leisure:pay" in button_data(replies)  # pay is a tap away


async def test_pay_says_it_is_unsure_whether_the_young_are_now_free_of_the_am_contribution(core):
    replies = await core.handle(say("how much do you get paid in a leisure job?", client_language="en"))
    text = replies[0].text
    assert "Holiday pay comes on top: 12.5%." in text
    assert "A new rule may exempt young people until the end of the year they turn 17; I am not sure it is in force" in text
    assert "frikort" not in text and button_data(replies)[0] == "leisure:tax"
    tax = (await core.handle(say("leisure:tax", kind="button", client_language="en")))[0].text
    assert tax.startswith("From the year you turn 15, a tax card with a tax-free amount (frikort) is made automatically")

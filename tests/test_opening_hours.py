"""Open-guidance hours: the site file, holidays and closures on fixed dates, the answer
(the topic scripted, see conftest.scripted_core)."""

from __future__ import annotations

from datetime import date, datetime, time
from pathlib import Path

import pytest

from bot.clock import COPENHAGEN
from bot.schedule import status
from bot.site import SiteError, load_site
from conftest import EXAMPLE_SITE, button_data, gettext, say, scripted_core

DESK = EXAMPLE_SITE.desks[0]

# Every question here is about the opening hours.
core = scripted_core(dict.fromkeys([
    'hvornår har I åben vejledning i dag',
    'هل الإرشاد المفتوح مفتوح الآن',
    'is the open guidance open on thursday',
    'har I åbent i efterårsferien',
    'where is the open guidance',
    'open on 24/12?',
    'hvornår åbner i efter jul',
    'are you open next week',
    'har I åbent på fredag',
    'are you open on thursday next week or what',
    'هل انتم مفتوحين يوم الجمعة',
    "ви відкриті у п'ятницю",
    'har I åbent i morgen',
    'yarın açık mısınız',
    'are you open on the 17 december',
    'are you open on 24/12?',
    '24 aralık açık mısınız',
    'هل أنتم مفتوحين ٣١ ديسمبر',
    'open on 1 january?',
    'are you open at christmas',
    'is the open guidance open in the autumn holiday',
], "opening_hours"))


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=COPENHAGEN)


@pytest.mark.parametrize(
    ("moment", "open_until", "next_day", "holiday"),
    [
        ("2026-11-19T14:30", None, date(2026, 11, 19), False),  # a normal Thursday before 16:00
        ("2026-11-19T16:30", time(18), date(2026, 11, 26), False),  # during the opening
        ("2026-11-20T10:00", None, date(2026, 11, 26), False),  # a Friday
        ("2026-04-02T15:00", None, date(2026, 4, 9), True),  # Maundy Thursday, a public holiday
        ("2026-05-14T15:00", None, date(2026, 5, 21), True),  # Ascension Day, also a Thursday
        ("2026-12-23T12:00", None, date(2027, 1, 7), False),  # the site's Christmas closure
        ("2027-02-24T12:00", None, date(2027, 2, 25), False),  # the extra opening before 1 March
    ],
)
def test_next_opening_on_fixed_dates(moment, open_until, next_day, holiday):
    now = status(DESK, at(moment))
    assert (now.open_now.end if now.open_now else None) == open_until
    assert now.next_day == next_day
    assert now.holiday_today is holiday


def test_the_extra_opening_has_its_own_hours():
    assert status(DESK, at("2027-02-24T12:00")).next_hours.end == time(19)


async def test_danish_answer_on_a_thursday_afternoon(core):
    replies = await core.handle(say("hvornår har I åben vejledning i dag"))
    text = replies[0].text
    assert "Åben vejledning i Beboerhuset, Nordparken 12, 8200 Aarhus N" in text
    # 14:30 on the Thursday it opens at 16: closed now, open today (not a date, not next week).
    assert gettext("da", "It is closed now.") in text
    assert gettext("da", "It opens today, {start}-{end}.").format(start="16.00", end="18.00") in text
    assert "Normalt åbent: torsdag 16.00-18.00." in text
    # The desk's phone and map link, from the site file.
    assert gettext("da", "Phone: {value}").format(value="+45 89 40 00 00") in text
    assert gettext("da", "Map: {value}").format(value=EXAMPLE_SITE.desks[0].map_url) in text
    assert button_data(replies) == ["remind:desk:beboerhuset", "person", "menu"]


async def test_in_the_evening_it_is_closed_now_and_opens_next_week(logic_core, clock):
    clock.moment = at("2026-11-19T19:30")
    text = (await logic_core.handle(say("topic:opening_hours", kind="button", client_language="en")))[0].text
    assert gettext("en", "It is closed now.") in text
    assert "Next time it is open: Thursday November 26" in text


async def test_english_answer_on_a_public_holiday_thursday(core, clock):
    clock.moment = at("2026-04-02T15:00")
    replies = await core.handle(say("topic:opening_hours", kind="button", client_language="en"))
    text = replies[0].text
    assert "Today is a public holiday, so it is closed." in text
    assert "Next time it is open: Thursday April 9, 4:00\u202fPM-6:00\u202fPM." in text or \
           "Next time it is open: Thursday April 9, 4:00 PM-6:00 PM." in text


async def test_arabic_answer_is_right_to_left_with_isolated_times(core, clock):
    clock.moment = at("2026-11-19T16:30")
    replies = await core.handle(say("هل الإرشاد المفتوح مفتوح الآن"))
    assert replies[0].rtl
    assert any(line.startswith("مفتوح الآن، حتى \u2068") for line in replies[0].text.splitlines())


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "site.yml"
    path.write_text(text, encoding="utf-8")
    return path


SITE = """name: Test
desks:
  - id: d
    name: Desk
    address: Street 1
    weekly:
      {weekly}
"""


@pytest.mark.parametrize(
    ("weekly", "message"),
    [
        ('thursdy: ["16:00-18:00"]', "desks[0].weekly: unknown key(s) thursdy"),
        ('thursday: ["16:00-25:00"]', "desks[0].weekly.thursday[0]: '16:00-25:00' is not a time of day"),
        ('thursday: ["18:00-16:00"]', "desks[0].weekly.thursday[0]: '18:00-16:00' ends before it starts"),
        ('thursday: ["16:00-18:00", "17:00-19:00"]', "desks[0].weekly.thursday: opening hours overlap"),
        ('thursday: "16-18"', 'desks[0].weekly.thursday: expected a list like ["16:00-18:00"]'),
    ],
)
def test_a_broken_site_file_says_where_and_what_to_do(tmp_path, weekly, message):
    path = write(tmp_path, SITE.format(weekly=weekly))
    with pytest.raises(SiteError) as error:
        load_site(path)
    assert str(error.value).startswith(f"{path}: {message}")


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ("phone: ring os", "desks[0].phone: 'ring os': a phone number as people dial it"),
        ("phone: 1234", "desks[0].phone: '1234': a phone number as people dial it"),
        ("map_url: http://maps.example/x", "desks[0].map_url: 'http://maps.example/x': a https:// link"),
    ],
)
def test_a_desks_phone_and_map_link_are_checked(tmp_path, extra, message):
    path = write(tmp_path, SITE.format(weekly='thursday: ["16:00-18:00"]') + f"    {extra}\n")
    with pytest.raises(SiteError) as error:
        load_site(path)
    assert str(error.value).startswith(f"{path}: {message}")


def test_a_missing_site_file_names_the_setting(tmp_path):
    with pytest.raises(SiteError, match="set SITE_FILE"):
        load_site(tmp_path / "nowhere.yml")


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("har I åbent på fredag", "da", "På fredag 20. november er der lukket."),
        ("are you open on thursday next week or what", "en", "On Thursday November 26 it is open 4:00\u202fPM-6:00\u202fPM."),
        ("هل انتم مفتوحين يوم الجمعة", "ar", "يوم \u2068الجمعة 20 نوفمبر\u2069 يكون مغلقاً."),
        ("ви відкриті у п'ятницю", "uk", "Пʼятниця 20 листопада зачинено."),
    ],
)
async def test_a_named_weekday_gets_that_days_answer(core, text, lang, expected):
    replies = await core.handle(say(text))
    lines = replies[0].text.splitlines()
    assert lines[1] == expected


async def test_a_named_weekday_that_is_a_holiday_says_so(core, clock):
    clock.moment = at("2026-05-11T12:00")  # Monday; Thursday 14 May is Ascension Day
    replies = await core.handle(say("is the open guidance open on thursday"))
    assert replies[0].text.splitlines()[1] == "On Thursday May 14 it is closed: it is a public holiday."


@pytest.mark.parametrize(
    ("moment", "text", "expected"),
    [
        # Asked in November for Christmas: the desk's own closure covers the school holiday.
        ("2026-11-19T14:30", "are you open at christmas",
         "In the Christmas holidays (Saturday December 19 - Sunday January 3) it is closed."),
        # Asked in the summer for the autumn holiday: the Thursday in it is open.
        ("2027-08-10T12:00", "is the open guidance open in the autumn holiday",
         "In the autumn holiday (Saturday October 16 - Sunday October 24) it is open: Thursday October 21 4:00\u202fPM-6:00\u202fPM."),
    ],
)
async def test_a_named_holiday_gets_its_openings(core, clock, moment, text, expected):
    clock.moment = at(moment)
    replies = await core.handle(say(text, client_language="en"))
    assert replies[0].text.splitlines()[1].replace(" ", " ") == expected.replace(" ", " ")


async def test_a_holiday_the_site_has_no_dates_for_is_not_guessed(core, clock):
    clock.moment = at("2027-11-01T12:00")  # after the last autumn holiday in the site file
    replies = await core.handle(say("har I åbent i efterårsferien"))
    from conftest import gettext

    period = gettext("da", "the autumn holiday")
    assert gettext("da", "I do not know the dates of {period} here yet. A counsellor can tell you.").format(period=period) in replies[0].text


async def test_the_other_offers_in_the_house_are_named(core):
    text = (await core.handle(say("where is the open guidance", client_language="en")))[0].text
    assert "In the same house: Ungecaféen, Fritidsjobguiden, and Forældrecaféen." in text


PEOPLE = SITE.format(weekly='thursday: ["16:00-18:00"]') + """
counsellors:
  - id: heidi
    name: Heidi
    role: vejleder
    languages: [da]
    topics: [{topic}]
    desk: {desk}
    working_hours: {{monday: ["09:00-15:00"]}}
job_guide: {guide}
"""


@pytest.mark.parametrize(
    ("topic", "desk", "guide", "message"),
    [
        ("admision", "d", "heidi", "counsellors[0].topics[0]: unknown topic 'admision'; known: admission, leisure_job, opening_hours"),
        ("admission", "house", "heidi", "counsellors[0].desk: no desk with id 'house'; desks: d"),
        ("admission", "d", "omar", "job_guide: no counsellor with id 'omar'; list the job guide under `counsellors`"),
    ],
)
def test_counsellors_must_name_known_topics_desks_and_guides(tmp_path, topic, desk, guide, message):
    path = write(tmp_path, PEOPLE.format(topic=topic, desk=desk, guide=guide))
    with pytest.raises(SiteError) as error:
        load_site(path)
    assert str(error.value) == f"{path}: {message}"


def test_the_example_site_has_named_counsellors_and_a_job_guide():
    assert [person.name for person in EXAMPLE_SITE.counsellors] == ["Heidi Jensen", "Amina Hassan", "Emre Yılmaz"]
    assert EXAMPLE_SITE.counsellor(EXAMPLE_SITE.job_guide).role == "leisure_job_guide"
    assert {period.name for period in EXAMPLE_SITE.periods} == {"autumn_holiday", "christmas", "winter_holiday", "easter", "summer_holiday"}


def test_a_role_named_by_key_is_read_in_the_readers_language_and_any_other_as_written():
    from dataclasses import replace

    from flows.referral import role_title
    from flows.turn import Turn

    amina = EXAMPLE_SITE.counsellor("amina")
    now = datetime(2026, 12, 2, 12, 0, tzinfo=COPENHAGEN)
    assert role_title(Turn("so", now), amina) == gettext("so", "social worker in the housing area")
    assert role_title(Turn("da", now), amina) == "boligsocial medarbejder"
    assert role_title(Turn("so", now), replace(amina, role="klubleder i Ungdomsklubben")) == "klubleder i Ungdomsklubben"


WEDNESDAY = datetime(2026, 12, 2, 12, 0, tzinfo=COPENHAGEN)
DATES = [
    ("har I åbent i morgen", "da", "On {day} it is open {hours}.", date(2026, 12, 3)),
    ("yarın açık mısınız", "tr", "On {day} it is open {hours}.", date(2026, 12, 3)),
    ("are you open on the 17 december", "en", "On {day} it is open {hours}.", date(2026, 12, 17)),
    ("are you open on 24/12?", "en", "On {day} it is closed: it is a public holiday.", date(2026, 12, 24)),
    ("24 aralık açık mısınız", "tr", "On {day} it is closed: it is a public holiday.", date(2026, 12, 24)),
    ("هل أنتم مفتوحين ٣١ ديسمبر", "ar", "On {day} it is closed: it is a public holiday.", date(2026, 12, 31)),
    ("open on 1 january?", "en", "On {day} it is closed: it is a public holiday.", date(2027, 1, 1)),
    # Weekdays in Latin letters, which CLDR does not have: Roman Urdu, Finglish, Arabizi.
    ("kya aap jumeraat ko khule hain", "ur", "On {day} it is open {hours}.", date(2026, 12, 3)),
    ("panjshanbe bazin?", "fa", "On {day} it is open {hours}.", date(2026, 12, 3)),
    ("fat7in yom el khamis?", "ar", "On {day} it is open {hours}.", date(2026, 12, 3)),
    ("jumma ko khula hai?", "ur", "On {day} it is closed.", date(2026, 12, 4)),
]


@pytest.mark.parametrize(("text", "lang", "msgid", "asked"), DATES, ids=[d[0] for d in DATES])
async def test_today_tomorrow_and_dates_are_answered_for_that_day(logic_core, scripted, clock, text, lang, msgid, asked):
    from flows.formatting import day
    from flows.turn import Turn

    clock.moment = WEDNESDAY
    scripted.intents[text.casefold()] = "opening_hours"
    lines = (await logic_core.handle(say(text, client_language=lang)))[0].text.splitlines()
    turn = Turn(lang, WEDNESDAY)
    expected = turn._(msgid).split("{day}")[0]
    assert lines[1].lower().startswith(expected.lower()), lines
    assert day(turn, asked) in lines[1]


async def test_a_closed_day_says_when_it_opens_again(logic_core, scripted, clock):
    clock.moment = WEDNESDAY
    scripted.intents["open on 24/12?"] = "opening_hours"
    lines = (await logic_core.handle(say("open on 24/12?", client_language="en")))[0].text.splitlines()
    assert lines[2] == "It opens again on Thursday January 7, 4:00\u202fPM-6:00\u202fPM."  # after the closure


async def test_after_christmas_gets_the_reopening_date(logic_core, scripted, clock):
    clock.moment = WEDNESDAY
    scripted.intents["hvornår åbner i efter jul"] = "opening_hours"
    lines = (await logic_core.handle(say("hvornår åbner i efter jul")))[0].text.splitlines()
    assert lines[1].startswith("Efter") or "7. januar" in lines[1], lines
    assert "7. januar" in lines[1]


async def test_next_week_lists_that_weeks_openings(logic_core, scripted, clock):
    clock.moment = WEDNESDAY
    scripted.intents["are you open next week"] = "opening_hours"
    lines = (await logic_core.handle(say("are you open next week", client_language="en")))[0].text.splitlines()
    assert lines[1].startswith("Next week (Monday December 7 - Sunday December 13) it is open: Thursday December 10")

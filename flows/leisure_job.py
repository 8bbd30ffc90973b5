"""Leisure jobs: the rules for the young person's age (asked once and remembered), pay
and tax, finding a job with the local job guide, and a CV step by step. Numbers come
from flows/facts.yml; rule answers end with their sources."""

from __future__ import annotations

from datetime import time

from bot.actions import Act, Action
from bot.replies import Reply
from bot.site import Site
from flows import referral
from flows.facts import Fact, cited, facts
from flows.formatting import language_names, number, percent, time_of_day, weekly
from flows.menu import TAX, buttons, leisure_more
from flows.turn import N_, Turn

# Age bands for the rules; kept on the conversation once known.
BANDS = ("under_13", "13_14", "15_17_school", "15_17_out", "18_plus")
BAND_BUTTONS = (
    (N_("Under 13"), "under_13"),
    (N_("13-14"), "13_14"),
    (N_("15-17, not finished 9th grade"), "15_17_school"),
    (N_("15-17, finished 9th grade"), "15_17_out"),
    (N_("18 or older"), "18_plus"),
)
# An age from a message; 15-17 leaves open whether 9th grade is finished, which decides
# the rules, so that is asked (two rule sets at once were read as one).
FIFTEEN_TO_SEVENTEEN = "15_17"
NINTH_GRADE_BUTTONS = BAND_BUTTONS[2:4]


def band_of_age(age: int) -> str:
    if age < 13:
        return "under_13"
    if age < 15:
        return "13_14"
    if age < 18:
        return FIFTEEN_TO_SEVENTEEN
    return "18_plus"


def band_after_ninth_grade(finished: bool) -> str:
    """The 15-17 band, once it is known whether 9th grade is finished."""
    return "15_17_out" if finished else "15_17_school"


def ask_age(turn: Turn) -> list[Reply]:
    text = turn._("How old are you? The rules depend on age. If you are asking for your child, choose their age.")
    return [turn.reply(text, buttons(turn, *((label, Action(Act.AGE, band).encode()) for label, band in BAND_BUTTONS)))]


def ask_ninth_grade(turn: Turn, for_child: bool = False) -> list[Reply]:
    text = (turn._("Has your child finished 9th grade (compulsory school)? The rules for 15-17-year-olds depend on it.")
            if for_child else
            turn._("Have you finished 9th grade (compulsory school)? The rules for 15-17-year-olds depend on it."))
    return [turn.reply(text, buttons(turn, *((label, Action(Act.AGE, band).encode()) for label, band in NINTH_GRADE_BUTTONS)))]


def _clock(value: object) -> time:
    return time.fromisoformat(str(value))  # "20:00" in flows/facts.yml


def _in_school(turn: Turn, w: Fact, younger: bool) -> list[str]:
    n = lambda key: number(turn, w[key])  # noqa: E731 - a short local formatter
    return [
        turn.fill(N_("• at most {school_day} hours on a school day and {other_day} hours on other days"),
              school_day=n("school_day_hours"), other_day=n("other_day_hours_13_14" if younger else "other_day_hours_15_17")),
        turn.fill(N_("• at most {school_week} hours in a week with school and {free_week} hours in a week without school"),
              school_week=n("school_week_hours"), free_week=n("free_week_hours_13_14" if younger else "free_week_hours_15_17")),
        turn.fill(N_("• no work between {start} and {end}, and at least {rest} hours of rest in a row"),
              start=time_of_day(turn, _clock(w["night_from"])), end=time_of_day(turn, _clock(w["night_to"])), rest=n("rest_hours_school")),
        turn.fill(N_("• light work only: no dangerous machines")),
    ]


def _out_of_school(turn: Turn, w: Fact) -> list[str]:
    n = lambda key: number(turn, w[key])  # noqa: E731
    at = lambda key: time_of_day(turn, _clock(w[key]))  # noqa: E731
    return [
        turn.fill(N_("• at most {day} hours a day and {week} hours a week, with at least {rest} hours of rest between working days"),
                  day=n("day_hours_out_of_school"), week=n("week_hours_out_of_school"), rest=n("rest_hours_out_of_school")),
        turn.fill(N_("• no work between {start} and {end}, except e.g. shops and petrol stations until {shops}, restaurants until {restaurants}, paper rounds from {paper}, bakeries from {bakery}"),
                  start=at("night_from"), end=at("night_to"), shops=at("shops_until"), restaurants=at("restaurants_until"),
                  paper=at("paper_rounds_from"), bakery=at("bakeries_from")),
    ]


def _for_everyone_under_18(turn: Turn, w: Fact, for_child: bool = False) -> list[str]:
    brk = (N_("• a break of {minutes} minutes when your child works more than {hours} hours") if for_child
           else N_("• a break of {minutes} minutes when you work more than {hours} hours"))
    alone = facts()["working_alone"]
    return [
        turn.fill(brk, minutes=number(turn, w["break_minutes"]), hours=number(turn, w["break_after_hours"])),
        turn.fill(N_("• {days} days off in a row in every 7 days"), days=number(turn, w["days_off"])),
        turn.fill(N_("• under 18: no hazardous substances, and lifts normally at most {kg} kg"), kg=number(turn, w["max_lift_kg"])),
        turn.fill(N_("• not alone in a kiosk, bakery shop, grill bar or petrol station while it is open from {weekday} on weekdays or from {weekend} at weekends (I am not sure these times are still current)"),
                  weekday=time_of_day(turn, _clock(alone["weekday_from"])), weekend=time_of_day(turn, _clock(alone["weekend_from"]))),
    ]


def rules(turn: Turn, site: Site, band: str, for_child: bool = False, remembered: bool = False) -> list[Reply]:
    """Working hours, night work, breaks and forbidden work for an age band."""
    _ = turn._
    w = facts()["work_hours"]
    # A parent is spoken to as a parent by the answer's own words ("your child") and by
    # the counsellor line ("for your child's situation"): no preface line, which cost a line
    # of every answer.
    lines: list[str] = []
    if band == FIFTEEN_TO_SEVENTEEN:
        return ask_ninth_grade(turn, for_child)
    if band == "under_13":
        lines.append(turn.fill(N_("Under {age}, paid work is only allowed with permission from the police, for example for cultural work such as theatre or film. From {age}, light leisure jobs are allowed."),
                           age=number(turn, w["min_age"])))
    elif band == "18_plus":
        lines.append(_("From 18, the special rules for young workers no longer apply: you work under the same rules as adults, and your contract or collective agreement decides the rest."))
    else:
        if band == "13_14":
            lines += [_("Rules for 13-14-year-olds:"), *_in_school(turn, w, younger=True)]
        if band == "15_17_school":
            lines += [_("Rules for 15-17-year-olds who have not finished 9th grade:"), *_in_school(turn, w, younger=False)]
        if band == "15_17_out":
            lines += [_("Rules for 15-17-year-olds who have finished 9th grade (also in 10th grade, gymnasium or EUD):"), *_out_of_school(turn, w)]
        # Breaks, days off, hazardous substances and lifting are a button away ("Breaks and
        # safety at work"), and pay is its own answer: the hours and the night rule are what
        # is asked, and the answer stays one screen. The parents' rules (under 15, and until
        # 9th grade is finished) go to the parents who ask.
        if for_child and band != "15_17_out":
            lines.append(_("Parents: under 15, you must know about the job; until 9th grade is finished, the employer must tell you in writing."))
    if remembered:
        lines.append(_("I will remember the age for your next questions. Write another age to change it."))
    offered = referral.offer(turn, site, "leisure_job", for_child)
    young_worker = band not in ("under_13", "18_plus")
    more = leisure_more(turn, safe_work=young_worker, for_child=for_child)
    return [referral.rule_answer(turn, "\n".join(lines), offered, cited(turn, w), more)]


def safe_work(turn: Turn, for_child: bool = False) -> list[Reply]:
    """The under-18s' rules a rules answer leaves out: breaks, hazardous substances, lifting."""
    w = facts()["work_hours"]
    lines = [turn._("Breaks and safety at work, under 18:"), *_for_everyone_under_18(turn, w, for_child)]
    return [turn.reply("\n".join(lines) + "\n\n" + cited(turn, w), leisure_more(turn))]


def pay(turn: Turn, site: Site, for_child: bool = False) -> list[Reply]:
    """No minimum wage, holiday pay and the AM-bidrag (with the unconfirmed exemption for
    the youngest); tax is a button away."""
    _ = turn._
    p = facts()["pay_and_tax"]
    lines = [
        _("There is no legal minimum wage in Denmark: pay follows collective agreements, and young people's rates are lower."),
        turn.fill(N_("Holiday pay comes on top: {holiday}."), holiday=percent(turn, p["holiday_pay"])),
        turn.fill(N_("A labour-market contribution (AM-bidrag) of {contribution} is deducted. A new rule may exempt young people until the end of the year they turn {age}; I am not sure it is in force, so check the payslip or skat.dk."),
                  contribution=percent(turn, p["labour_market_contribution"]), age=number(turn, p["am_exempt_until_age"])),
        _("From 15, young people decide over their own pay."),
    ]
    offered = referral.offer(turn, site, "leisure_job", for_child)
    more = buttons(turn, (TAX, Action(Act.LEISURE, "tax_child" if for_child else "tax").encode()))
    return [referral.rule_answer(turn, "\n".join(lines), offered, cited(turn, p), more + leisure_more(turn, answered="pay"))]


def tax(turn: Turn, site: Site, for_child: bool = False) -> list[Reply]:
    """The frikort: made automatically from 15, by a parent before, and the year's
    tax-free amount (the personal allowance)."""
    p, allowance = facts()["pay_and_tax"], facts()["personal_allowance"]
    age = number(turn, p["frikort_age"])
    lines = [
        turn.fill(N_("From the year your child turns {age}, a tax card with a tax-free amount (frikort) is made automatically for them: up to that amount there is no income tax.")
                  if for_child else
                  N_("From the year you turn {age}, a tax card with a tax-free amount (frikort) is made automatically: up to that amount there is no income tax."),
                  age=age),
        turn.fill(N_("In {year}, the tax-free amount (personal allowance) is {amount} kr. for every age."),
                  year=str(allowance["year"]), amount=number(turn, allowance["amount"])),
        turn.fill(N_("Under {age}, a parent can make the frikort in TastSelv on skat.dk."), age=age),
    ]
    offered = referral.offer(turn, site, "leisure_job", for_child)
    return [referral.rule_answer(turn, "\n".join(lines), offered, cited(turn, allowance), leisure_more(turn, answered="tax"))]


def _job_guide(turn: Turn, site: Site) -> str:
    if site.job_guide is None:  # whoever helps with leisure jobs; named here even if named before
        return referral.named(turn, site, referral.counsellor_for(site, "leisure_job", turn.language))
    guide = site.counsellor(site.job_guide)
    desk = site.desk(guide.desk)
    return turn.fill(N_("{name} ({role}) helps young people find leisure jobs and speaks {languages}. Meet them at {place}: {hours}."),
                 name=guide.name, role=referral.role_title(turn, guide), languages=language_names(turn, guide.languages),
                 place=desk.name, hours=weekly(turn, desk.weekly))


def find(turn: Turn, site: Site) -> list[Reply]:
    text = "\n".join([
        turn._("To find a leisure job: ask family and friends, look at job ads, and go into places where you would like to work and ask (an unsolicited application)."),
        _job_guide(turn, site),
    ])
    return [turn.reply(text, leisure_more(turn, answered="find"))]


def cv(turn: Turn, site: Site) -> list[Reply]:
    text = "\n".join([
        turn._("A CV for a leisure job, step by step:\n1. Your name, age, phone number and e-mail.\n2. Your school and class.\n3. What you have done: jobs, babysitting, sport, volunteering.\n4. The languages you speak: that is a strength.\n5. A few lines on why you want to work exactly there.\n6. Ask someone to read it before you send it."),
        turn._("Want help with your CV? Bring it to the job guide:"),
        _job_guide(turn, site),
    ])
    return [turn.reply(text, leisure_more(turn, answered="cv"))]

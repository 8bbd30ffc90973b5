"""Admission to youth education: the rules for the programme asked about and an honest
comparison with any grades given, or the deadline, or the overview; buttons for the
rest; a named counsellor for their own case, and the sources with their checked-on
dates. Numbers come from flows/facts.yml."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from bot.actions import Act, Action
from bot.replies import Button, Reply
from bot.site import Site
from flows import referral
from flows.facts import Fact, cited, facts
from flows.formatting import average as avg, grade, long_date, number
from flows.menu import buttons, deadline_reminder_button, person_or_menu
from flows.turn import N_, Turn
from nlu.details import Grades

# The programme a question is about, from the intent or from the named programme.
BY_INTENT = {"admission_gymnasium": "gymnasium", "admission_vocational": "vocational", "admission_fgu": "fgu"}
BY_ENTITY = {
    "stx": "gymnasium", "hhx": "gymnasium", "htx": "gymnasium", "gymnasium": "gymnasium", "gymnasiet": "gymnasium",
    "gym": "gymnasium", "hf": "hf", "eud": "vocational", "eux": "vocational", "grundforløb": "vocational",
    "sosu": "vocational", "fgu": "fgu", "10. klasse": "tenth_grade", "efterskole": "tenth_grade",
}
LABELS = {"gymnasium": N_("the gymnasium"), "hf": N_("2-year HF")}
SUBJECTS = {"danish": N_("Danish"), "maths": N_("Maths")}
# What a short answer leaves out, one button each: the button asks that question.
MORE = {
    "admission_deadline": N_("When and how to apply"),
    "admission_gymnasium": N_("Gymnasium and HF"),
    "admission_vocational": N_("EUD and EUX"),
    "admission_fgu": N_("FGU"),
}


@dataclass(frozen=True)
class Question:
    intent: str
    programme: str | None  # gymnasium, hf, vocational, fgu, tenth_grade
    grades: Grades
    for_child: bool = False
    about_money: bool = False  # "do you get paid at FGU?"


def programme_of(intent: str, entity_values: list[str], named: str | None) -> str | None:
    """A programme named in the message wins over the intent's programme."""
    for value in entity_values:
        if value.lower() in BY_ENTITY:
            return BY_ENTITY[value.lower()]
    return named or BY_INTENT.get(intent)


def next_deadline(today: date, fact: Fact) -> date:
    deadline = date(today.year, int(fact["month"]), int(fact["day"]))
    return deadline if deadline >= today else deadline.replace(year=today.year + 1)


class _Answer:
    """Collects the lines of one answer and the fact it rests on (the first one used,
    whose source closes the answer)."""

    def __init__(self, turn: Turn) -> None:
        self.turn = turn
        self.lines: list[str] = []
        self.main: Fact | None = None

    def add(self, fact: Fact, message: str, **values: str) -> None:
        self.lines.append(self.turn.fill(message, **values))
        self.main = self.main or fact


def _gymnasium(a: _Answer, f: dict[str, Fact]) -> None:
    g = f["gymnasium"]
    a.add(g, N_("Gymnasium (STX, HHX, HTX): a passed final exam after 9th or 10th grade (all compulsory exams taken, with an average of at least {passed}), at least {average} on average in the final year grades, and a second foreign language in grades 5-9."),
          passed=avg(a.turn, g["passed_average"]), average=avg(a.turn, g["average"]))


def _hf(a: _Answer, f: dict[str, Fact]) -> None:
    a.add(f["gymnasium"], N_("2-year HF: a passed final exam, at least {average} on average in the final year grades, and a second foreign language in grades 5-9. Straight after 9th grade there is no admission test for HF; after 10th grade there is."),
          average=avg(a.turn, f["gymnasium"]["hf_average"]))


def _test(a: _Answer, f: dict[str, Fact]) -> None:
    # A pupil exempted from a compulsory exam (often a newcomer) cannot pass the final exam.
    a.add(f["gymnasium"], N_("If not, or if you were exempted from a compulsory exam (as many newcomers are), the way in is an admission test and an interview."))


def _vocational(a: _Answer, f: dict[str, Fact]) -> None:
    v = f["vocational"]
    # The requirement is an exam average per subject (prøvekrav), not one grade each.
    a.add(v, N_("EUD and EUX, first basic course (GF1): a passed final exam with an exam average of at least {danish} in Danish and at least {maths} in maths, or an apprenticeship contract (uddannelsesaftale) with a company. Otherwise there is an admission test and an interview at the school."),
          danish=grade(a.turn, v["danish"]), maths=grade(a.turn, v["maths"]))


def _tapped(a: _Answer) -> list[Reply]:
    """An answer one tap below another: its lines and its source, then a person or the menu."""
    return [a.turn.reply("\n".join(a.lines) + "\n\n" + cited(a.turn, a.main), person_or_menu(a.turn))]


def later_ways(turn: Turn) -> list[Reply]:
    """"Other ways in" under an EUD answer: a 17-year-old two years out of school must not
    read that EUD is closed to them."""
    a = _Answer(turn)
    v = facts()["vocational"]
    a.add(v, N_("GF1 can be started up to {years} years after 9th or 10th grade, and only once. Later, under {age}, the way in is the second basic course (GF2); from {age}, EUV (vocational education for adults)."),
          years=number(turn, v["gf1_years"]), age=number(turn, v["euv_age"]))
    return _tapped(a)


def _fgu(a: _Answer, f: dict[str, Fact], money: bool) -> None:
    g = f["fgu"]
    a.add(g, N_("FGU (forberedende grunduddannelse) is for young people under {age} who have finished compulsory school and are not in education or a job. The municipal youth guidance (KUI, formerly UU) decides who can start."),
          age=number(a.turn, g["max_age"]))
    a.add(g, N_("Three tracks: agu (school subjects), pgu (workshops and production) and egu (mostly at a workplace). Start in January or August; usually up to {years} years, with a weekly school allowance (skoleydelse)."),
          years=number(a.turn, g["years"]))
    if money:  # the amounts only for a question about money
        a.add(g, N_("School allowance (skoleydelse, {year} rates) per week: {under_18} kr. under 18; {home} kr. from 18 living at home; {away} kr. from 18 living away from home."),
              year=str(g["allowance_year"]), under_18=number(a.turn, g["allowance_under_18"]),
              home=number(a.turn, g["allowance_home"]), away=number(a.turn, g["allowance_away"]))


def choices(turn: Turn) -> list[Reply]:
    """"Education duty, STU, EUX" under the overview: what a family meets besides the
    programmes' requirements."""
    a = _Answer(turn)
    c = facts()["choices"]
    a.add(c, N_("• From 15 to 17, young people must be in education, a job or another activity towards an education (the education duty). The municipal youth guidance (KUI) makes a plan with them."))
    a.add(c, N_("• STU is a {years}-year youth education for young people under {age} with special needs who cannot complete another one. The municipality decides who can start."),
          years=number(turn, c["stu_years"]), age=number(turn, c["stu_max_age"]))
    a.add(c, N_("• EUX is vocational education and a gymnasium exam in one."))
    return _tapped(a)


def newcomers(turn: Turn) -> list[Reply]:
    """"New in Denmark" under the overview: the exam exemption many newcomers have, and
    where Danish classes are."""
    a = _Answer(turn)
    n = facts()["newcomers"]
    a.add(n, N_("• Exempted from a compulsory exam, as many newcomers are: the way into a gymnasium or EUD is an admission test and an interview."))
    a.add(n, N_("• Danish classes: under {age}, the municipal youth guidance (KUI) knows the offers for young newcomers; from {age}, Danish education at a language centre (sprogcenter)."),
          age=number(turn, n["adult_age"]))
    a.add(n, N_("• A counsellor can plan the way in with you, also with little Danish."))
    return _tapped(a)


@dataclass(frozen=True)
class Tapped:
    """An answer one tap below another: the button's words and the answer."""

    label: str
    answer: Callable[[Turn], list[Reply]]


# By the button's value (more:<value>): the answer builds the buttons, the core answers
# them, and the transcript shows their words.
TAPPED = {
    "vocational_later": Tapped(N_("Other ways in"), later_ways),
    "choices": Tapped(N_("Education duty, STU, EUX"), choices),
    "newcomers": Tapped(N_("New in Denmark"), newcomers),
}


def _tap_buttons(turn: Turn, *values: str) -> tuple[Button, ...]:
    return buttons(turn, *((TAPPED[value].label, Action(Act.MORE, value).encode()) for value in values))


def _readiness(a: _Answer, f: dict[str, Fact]) -> None:
    a.add(f["readiness_abolished"], N_("The readiness assessment (UPV) was abolished from the 2024/25 school year: the grade requirements decide."))


def _reform(a: _Answer, f: dict[str, Fact]) -> None:
    a.add(f["reform"], N_("Agreed, not yet in force: from {year}, EPX replaces HF and municipal 10th grade ends (10th grade at an efterskole stays)."),
          year=str(f["reform"]["epx_year"]))


def _deadline(a: _Answer, f: dict[str, Fact], for_child: bool) -> None:
    d, application = f["deadline"], f["application"]
    message = (
        N_("Your child can apply on optagelse.dk by {date}, with their wishes in order of priority (in some areas at least {wishes}). Later, no place is kept for them: a gymnasium or HF may take them if it has room, often after an admission test; for EUD, ask the school.")
        if for_child
        else N_("Apply on optagelse.dk by {date}, with your wishes in order of priority (in some areas at least {wishes}). Later, no place is kept for you: a gymnasium or HF may take you if it has room, often after an admission test; for EUD, ask the school.")
    )
    a.add(d, message, date=long_date(a.turn, next_deadline(a.turn.now.date(), d)),
          wishes=number(a.turn, application["distribution_zone_minimum"]))


def _compare_average(a: _Answer, f: dict[str, Fact], average: float, programme: str | None) -> None:
    targets = [programme] if programme in LABELS else list(LABELS)
    required = {"gymnasium": float(f["gymnasium"]["average"]), "hf": float(f["gymnasium"]["hf_average"])}
    for target in targets:
        if average >= required[target]:
            message = N_("An average of {average} meets the requirement for {programme} ({required}).")
        elif programme == "hf":  # the HF rule just said how the test applies
            message = N_("An average of {average} is below the requirement for {programme} ({required}).")
        elif target == "hf":  # straight from 9th grade, HF has no admission by test
            message = N_("An average of {average} is below the requirement for {programme} ({required}). Straight after 9th grade there is no admission test for HF; after 10th grade there is.")
        else:
            message = N_("An average of {average} is below the requirement for {programme} ({required}). The way in is then the admission test and an interview.")
        a.add(f["gymnasium"], message, average=avg(a.turn, average), programme=a.turn._(LABELS[target]),
              required=avg(a.turn, required[target]))
    if all(average < required[target] for target in targets):
        a.add(f["gymnasium"], N_("Other ways in: EUD or EUX, FGU, or 10th grade."))  # each a button below
    if "gymnasium" in targets and required["gymnasium"] <= average < float(f["reform"]["new_average"]):
        _reform_note(a, f)


def _reform_note(a: _Answer, f: dict[str, Fact]) -> None:
    a.add(f["reform"], N_("Note: the agreed reform raises the gymnasium requirement to {average}, and I am not sure from which year."),
          average=avg(a.turn, f["reform"]["new_average"]))


def _compare_subjects(a: _Answer, f: dict[str, Fact], subjects: dict[str, float], rule_given: bool) -> None:
    """Danish and maths against the EUD/EUX requirement; the ways in for a grade below it,
    unless the rule just given says them already."""
    v = f["vocational"]
    for subject, value in subjects.items():
        if rule_given:  # the requirement was just stated
            message = (N_("{subject}: {grade} meets the requirement.") if value >= float(v[subject])
                       else N_("{subject}: {grade} is below the requirement."))
        elif value >= float(v[subject]):
            message = N_("{subject}: {grade} meets the EUD/EUX requirement of at least {required}.")
        else:
            message = N_("{subject}: {grade} is below the EUD/EUX requirement of at least {required}. Ways in: an apprenticeship contract with a company, or the admission test and an interview at the school.")
        a.add(v, message, subject=a.turn._(SUBJECTS[subject]), grade=grade(a.turn, value), required=grade(a.turn, v[subject]))


def answer(turn: Turn, site: Site, question: Question) -> list[Reply]:
    """What was asked, and only that (a person reads a phone, often in their second
    language): the deadline, or the programme's requirements and the grades given, or
    the overview. What is left out is a button away."""
    f = facts()
    a = _Answer(turn)
    programme, grades = question.programme, question.grades
    deadline_given = question.intent == "admission_deadline" and not grades
    if deadline_given:
        _deadline(a, f, question.for_child)
        answered = "admission_deadline"
    elif programme in ("gymnasium", "hf"):
        _gymnasium(a, f) if programme == "gymnasium" else _hf(a, f)
        if not grades and programme == "gymnasium":  # with grades, the comparison says where the test comes in
            _test(a, f)
        if programme == "hf":
            _reform(a, f)  # EPX replaces HF
        answered = "admission_gymnasium"
    elif programme == "vocational":
        _vocational(a, f)
        answered = "admission_vocational"
    elif programme == "fgu":
        _fgu(a, f, question.about_money)
        answered = "admission_fgu"
    elif programme == "tenth_grade":
        a.add(f["deadline"], N_("10th grade is an extra, optional year after 9th grade: at a municipal 10th-grade school, or at an efterskole (a boarding school for 14-18-year-olds). It is applied for on optagelse.dk too."))
        _reform(a, f)  # municipal 10th grade ends
        answered = "admission_deadline"
    else:
        a.lines.append(turn._("Youth education after 9th or 10th grade: the gymnasium (STX, HHX, HTX), 2-year HF, vocational education (EUD, EUX), or FGU for those who need more preparation first."))
        if not grades:  # with grades, the comparison shows that the grades decide
            _readiness(a, f)
        answered = None
    # Grades are compared where they decide: the average for the gymnasium and HF, Danish
    # and maths for EUD/EUX; the overview compares both. FGU and 10th grade ask for none.
    if grades.average is not None and programme in (None, *LABELS):
        _compare_average(a, f, grades.average, programme)
    if grades.subjects and programme in (None, "vocational"):
        _compare_subjects(a, f, grades.subjects, rule_given=programme == "vocational")
    offered = referral.offer(turn, site, "admission", question.for_child)
    more = buttons(turn, *((label, Action(Act.ASK, intent).encode()) for intent, label in MORE.items() if intent != answered))
    if deadline_given:
        more = deadline_reminder_button(turn, question.for_child) + more
    if programme == "vocational":
        more = _tap_buttons(turn, "vocational_later") + more
    if programme is None and not grades:
        more = _tap_buttons(turn, "choices", "newcomers") + more
    return [referral.rule_answer(turn, "\n".join(a.lines), offered, cited(turn, a.main), more + person_or_menu(turn))]

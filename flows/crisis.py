"""Safety: the right help lines first, then a warm word, for the kind of danger and the
person (a young person, a parent about their child, a friend); the gentle "are you
safe?" check for uncertain signals; and the status a waiting person gets."""

from __future__ import annotations

from bot.actions import Act, Action
from bot.matching import Expectation
from bot.replies import Reply
from bot.site import Counsellor
from flows.handoff import expectation_line
from flows.helplines import (
    ABROAD_LINE, CHILD_LINE, LIFELINE, PARENT_LINE, VIOLENCE_LINE, YOUTH_CHAT, HelpLine, Hours, helplines, lines_for,
)
from flows.menu import buttons, person_only
from flows.referral import role_title
from flows.turn import N_, Turn
from nlu.screening import Category, Person, Signal

WARM = {
    Person.SELF: N_("Thank you for telling me. You do not have to be alone with this."),
    Person.CHILD: N_("Thank you for telling me. It is good that you are looking out for your child."),
    Person.OTHER: N_("Thank you for telling me. It is good that you are looking out for them."),
}
DANGER_NOW = {
    Person.SELF: N_("If you are in danger right now, call {number}."),
    Person.CHILD: N_("If your child is in danger right now, call {number}."),
    Person.OTHER: N_("If they are in danger right now, call {number}."),
}
WHAT = {
    CHILD_LINE: N_("call, chat or text, for under-18s"),
    LIFELINE: N_("about thoughts of suicide, anonymous, also for relatives"),
    VIOLENCE_LINE: N_("about violence at home, free and anonymous, also for relatives"),
    ABROAD_LINE: N_("if someone fears a forced marriage or being sent abroad"),
    YOUTH_CHAT: N_("an anonymous chat for 15-24-year-olds"),
    PARENT_LINE: N_("advice for parents"),
}
HOURS = {
    Hours.ALWAYS: N_("Open day and night."),
    Hours.UNCONFIRMED: N_("I am not sure when it is open."),
}
CHECK_BUTTONS = (
    (N_("I am in danger"), Action(Act.SAFETY, "danger").encode()),
    (N_("I need to talk to someone"), Action(Act.SAFETY, "talk").encode()),
    (N_("I am OK"), Action(Act.SAFETY, "ok").encode()),
)


def _addressed(person: Person, age_group: str | None) -> Person:
    """Parents are addressed as parents, also when their words did not say so."""
    return Person.CHILD if age_group == "parent" and person is Person.SELF else person


def line_text(turn: Turn, line: HelpLine) -> str:
    label = f"{line.name} {line.number}" if line.number else f"{line.name} ({line.web})"
    parts = [turn._("{line}: {what}.").format(line=turn.embed(label), what=turn._(WHAT[line.id]))]
    parts.append(turn._(HOURS[line.hours]))
    if line.number_unconfirmed:
        parts.append(turn._("I could not confirm its phone number."))
    return " ".join(parts)


def help_lines(turn: Turn, category: Category | None, person: Person, age_group: str | None,
               open_now_only: bool = False) -> list[str]:
    """112 first, in the person's words, then the lines that fit, one per line."""
    person = _addressed(person, age_group)
    chosen = lines_for(category, person, age_group, open_now_only)
    first = turn._(DANGER_NOW[person]).format(number=turn.embed(chosen[0].number or ""))
    return [first, *(line_text(turn, line) for line in chosen[1:])]


def crisis(turn: Turn, signal: Signal, age_group: str | None) -> list[Reply]:
    """The lines and the way to a person, when no counsellor can be alerted."""
    lines = [*help_lines(turn, signal.category, signal.person, age_group),
             "", turn._(WARM[_addressed(signal.person, age_group)]), turn._("I can help you reach a counsellor.")]
    return [turn.reply("\n".join(lines), person_only(turn))]


def crisis_alerted(turn: Turn, signal: Signal, age_group: str | None, person: Counsellor,
                   expected: Expectation) -> Reply:
    """The lines, and that a named counsellor has been asked to write (consent follows)."""
    lines = [
        *help_lines(turn, signal.category, signal.person, age_group),
        "",
        turn._(WARM[_addressed(signal.person, age_group)]),
        turn.fill(N_("I have asked {name}, {role}, to write to you here as soon as possible."),
                  name=person.name, role=role_title(turn, person)),
        expectation_line(turn, person, expected),
    ]
    return turn.reply("\n".join(lines))


def crisis_while_held(turn: Turn, signal: Signal, age_group: str | None, person: Counsellor) -> list[Reply]:
    lines = [*help_lines(turn, signal.category, signal.person, age_group),
             turn.fill(N_("I have told {name} that you need help now."), name=person.first_name)]
    return [turn.reply("\n".join(lines))]


def safety_check(turn: Turn) -> list[Reply]:
    """An uncertain signal: ask once, kindly, with a way to each kind of help."""
    text = turn._("I want to be sure I understand you. Are you safe right now?")
    return [turn.reply(text, buttons(turn, *CHECK_BUTTONS))]


def waiting(turn: Turn, person: Counsellor, expected: Expectation, age_group: str | None,
            open_lines: bool, category: Category | None = None) -> Reply:
    """What a person hears while their chat waits for a counsellor: never silence. After
    a crisis, or when they ask for someone while nobody is at work, the lines that answer
    now; otherwise 112 for an emergency."""
    lines = [turn.fill(N_("Your message is passed on to {name}."), name=person.first_name),
             expectation_line(turn, person, expected)]
    if open_lines:
        lines.append(turn._("If it cannot wait, these answer now:"))
        lines += help_lines(turn, category, Person.SELF, age_group, open_now_only=True)
    else:
        lines.append(turn._(DANGER_NOW[_addressed(Person.SELF, age_group)]).format(number=turn.embed(helplines()["emergency"].number)))
    return turn.reply("\n".join(lines))

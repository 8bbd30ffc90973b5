"""Which named local counsellor a rule answer points to, and the sentence that
introduces them. (The handoff itself, with consent, working hours and load, chooses
in bot/matching.py.)"""

from __future__ import annotations

from dataclasses import dataclass

from bot.replies import Button, Reply
from bot.site import Counsellor, Site
from flows.formatting import language_names, weekly
from flows.turn import N_, Turn

# Role titles a site file may name by key, so each reader gets the title in their own
# language ("boligsocial medarbejder" means nothing to a Somali mother). Any other role
# text in the site file is shown as written.
ROLE_TITLES = {
    "education_counsellor": N_("education counsellor (KUI)"),
    "housing_social_worker": N_("social worker in the housing area"),
    "leisure_job_guide": N_("leisure-job guide"),
}


def role_title(turn: Turn, person: Counsellor) -> str:
    title = ROLE_TITLES.get(person.role)
    return turn._(title) if title else person.role


def counsellor_for(site: Site, topic: str, language: str) -> Counsellor | None:
    """Someone who helps with the topic and speaks the language; else someone who helps
    with the topic; else anyone. The site file's order breaks ties."""
    on_topic = [person for person in site.counsellors if topic in person.topics]
    speaks = [person for person in on_topic if language in person.languages]
    return next(iter(speaks or on_topic or list(site.counsellors)), None)


def spoken_with(turn: Turn, person: Counsellor) -> tuple[str, ...]:
    """The reader's own language when the counsellor speaks it (that is what the reader
    needs to know, and the answer stays short); else, and for Danish, which every
    counsellor speaks, every language they speak."""
    own = turn.language in person.languages and turn.language != "da"
    return (turn.language,) if own else person.languages


def introduce(turn: Turn, person: Counsellor, site: Site, for_child: bool = False) -> str:
    _ = turn._
    desk = site.desk(person.desk)
    template = (
        _("For your child's situation, talk to {name}, {role}, who speaks {languages}: {place}, {hours}.")
        if for_child
        else _("For your own situation, talk to {name}, {role}, who speaks {languages}: {place}, {hours}.")
    )
    return template.format(
        name=turn.embed(person.name),
        role=turn.embed(role_title(turn, person)),
        languages=language_names(turn, spoken_with(turn, person)),
        place=turn.embed(desk.name),
        hours=turn.embed(weekly(turn, desk.weekly)),
    )


@dataclass(frozen=True)
class Offer:
    """The counsellor line under a rule answer, and who it introduces."""

    line: str  # empty when that counsellor was introduced a moment ago
    person: str | None = None


def offer(turn: Turn, site: Site, topic: str, for_child: bool = False) -> Offer:
    """A named counsellor for the reader's own situation; said once in a conversation
    (the "Talk to a person" button stays under every answer)."""
    person = counsellor_for(site, topic, turn.language)
    if person is not None and person.id == turn.introduced:
        return Offer("", person.id)
    return Offer(named(turn, site, person, for_child), person.id if person else None)


def named(turn: Turn, site: Site, person: Counsellor | None, for_child: bool = False) -> str:
    """The counsellor introduced; or, with none listed, that a counsellor can help."""
    if person is None:
        return turn._("For your own situation, a counsellor can help you.")
    return introduce(turn, person, site, for_child)


def rule_answer(turn: Turn, body: str, offered: Offer, source: str, buttons: tuple[Button, ...]) -> Reply:
    """A rule answer: what was asked, then the counsellor line (unless just said) and the
    source; it records whom it introduced."""
    closing = "\n".join(part for part in (offered.line, source) if part)
    return turn.reply(body + "\n\n" + closing, buttons, introduces=offered.person)

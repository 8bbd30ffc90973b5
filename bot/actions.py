"""What a button does, as typed actions with one codec each side.

Button data is what Telegram hands back when a button is pressed: at most 64 bytes,
and anyone can forge it. Flows build it with `encode()`; the core and the staff side
read it with `decode()`, which returns None for anything malformed, so forged or stale
data gets the "that button no longer works" answer and never an error.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

# Telegram's limit for callback data.
MAX_DATA_BYTES = 64


class Act(StrEnum):
    """A person's button."""

    TOPIC = "topic"  # a topic's broadest question: topic:admission
    ASK = "ask"  # a second question of one message, by intent: ask:leisure_job_rules
    LEISURE = "leisure"  # find, cv, pay, tax, safe, safe_child
    MORE = "more"  # the part an answer leaves for a tap: vocational_later, choices, newcomers
    AGE = "age"  # the age band for the job rules: age:15_17
    PERSON = "person"  # talk to a person
    AGE_GROUP = "agegroup"  # asked before a handoff: agegroup:15_17
    CONSENT = "consent"  # yes, no
    DELETE = "delete"  # yes, no
    MENU = "menu"
    LANG = "lang"  # lang:ar
    SAFETY = "safety"  # danger, talk, ok
    REMIND = "remind"  # desk:<desk id>, deadline, deadline_child


@dataclass(frozen=True)
class Action:
    act: Act
    value: str = ""

    def encode(self) -> str:
        return f"{self.act}:{self.value}" if self.value else str(self.act)

    @classmethod
    def decode(cls, data: str) -> Action | None:
        if not data or len(data.encode("utf-8")) > MAX_DATA_BYTES:
            return None
        name, _, value = data.partition(":")
        try:
            return cls(Act(name), value)
        except ValueError:
            return None


class StaffAct(StrEnum):
    """A counsellor's button in the staff group, about one ticket."""

    TAKE = "take"
    PASS_MENU = "passto"
    PASS = "pass"  # pass:12:amina
    CLOSE_MENU = "close"
    CLOSE = "closed"  # closed:12:answered


@dataclass(frozen=True)
class StaffAction:
    act: StaffAct
    ticket_id: int
    value: str = ""

    def encode(self) -> str:
        data = f"{self.act}:{self.ticket_id}"
        return f"{data}:{self.value}" if self.value else data

    @classmethod
    def decode(cls, data: str) -> StaffAction | None:
        if not data or len(data.encode("utf-8")) > MAX_DATA_BYTES:
            return None
        name, _, rest = data.partition(":")
        number, _, value = rest.partition(":")
        if not number.isdigit():
            return None
        try:
            return cls(StaffAct(name), int(number), value)
        except ValueError:
            return None

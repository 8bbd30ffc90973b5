"""The site file: what a deployment says about its own place (YAML, validated).

Errors name the file and the key, and say what to do, so a counsellor can fix a typo
without reading code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, time, timedelta
from pathlib import Path
from urllib.parse import urlsplit

import yaml

from nlu.language import SUPPORTED

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
# What a counsellor can be asked about; the same names as the NLU topics.
TOPICS = ("admission", "opening_hours", "leisure_job")
# School holidays differ per municipality, so the site file gives their dates.
PERIODS = ("autumn_holiday", "christmas", "winter_holiday", "easter", "summer_holiday")
# Ids are stored (String(32) columns) and a desk's id goes into a poster's Telegram link.
_ID = re.compile(r"^[a-z0-9_-]{1,32}$")
_PHONE = re.compile(r"\+?[0-9][0-9 ]{6,20}")
_HOURS = re.compile(r"^(\d{2}):(\d{2})-(\d{2}):(\d{2})$")


class SiteError(ValueError):
    pass


# Nobody gets a reminder at night: none goes between 21:00 and 09:00.
QUIET_FROM, QUIET_UNTIL = time(21, 0), time(9, 0)
# What a site file without `reminders:` gets.
REMIND_BEFORE, DEADLINE_REMINDER_AT = timedelta(hours=2), time(17, 0)


def is_quiet(moment: time) -> bool:
    """Between 21:00 and 09:00, when no reminder goes."""
    return not QUIET_UNTIL <= moment < QUIET_FROM


@dataclass(frozen=True)
class Hours:
    start: time
    end: time


@dataclass(frozen=True)
class Closure:
    first: date
    last: date
    reason: str


@dataclass(frozen=True)
class ExtraOpening:
    day: date
    hours: Hours
    reason: str


Weekly = dict[int, tuple[Hours, ...]]  # Monday is 0, as in date.weekday()


@dataclass(frozen=True)
class Desk:
    id: str
    name: str
    address: str
    weekly: Weekly
    closed: tuple[Closure, ...]
    extra: tuple[ExtraOpening, ...]
    area: str | None = None
    also_here: tuple[str, ...] = ()  # other offers in the same house: a youth café, a parents' café
    phone: str | None = None  # as people dial it: "+45 89 40 12 34"
    map_url: str | None = None  # a https link to the place on a map


@dataclass(frozen=True)
class Counsellor:
    id: str
    name: str
    role: str
    languages: tuple[str, ...]
    areas: tuple[str, ...]
    topics: tuple[str, ...]
    desk: str  # where young people can meet them
    working_hours: Weekly
    telegram_id: int | None = None  # their Telegram user id: who may act in the staff group
    away: tuple[Closure, ...] = ()  # holidays and leave, besides Danish public holidays

    @property
    def first_name(self) -> str:
        """How young people say it: "Heidi", not "Heidi Jensen"."""
        return self.name.split()[0]


@dataclass(frozen=True)
class Period:
    """A named school holiday, e.g. the autumn holiday, with its dates in one year."""

    name: str
    first: date
    last: date


@dataclass(frozen=True)
class Area:
    id: str
    name: str


@dataclass(frozen=True)
class Site:
    name: str
    desks: tuple[Desk, ...]
    areas: tuple[Area, ...] = ()
    counsellors: tuple[Counsellor, ...] = ()
    job_guide: str | None = None  # the counsellor who helps with leisure jobs
    periods: tuple[Period, ...] = ()
    # Reminders (a button after the opening hours or the deadline): how long before an
    # opening, and at what time of day the deadline reminders go.
    remind_before: timedelta = REMIND_BEFORE
    deadline_reminder_at: time = DEADLINE_REMINDER_AT

    def desk(self, desk_id: str) -> Desk:
        return next(desk for desk in self.desks if desk.id == desk_id)

    def find_desk(self, desk_id: str | None) -> Desk | None:
        """The desk, if listed (a poster's link or a person's stored desk may name one
        that has left the file since)."""
        return next((desk for desk in self.desks if desk.id == desk_id), None)

    def counsellor(self, counsellor_id: str) -> Counsellor:
        return next(person for person in self.counsellors if person.id == counsellor_id)

    def find_counsellor(self, counsellor_id: str | None) -> Counsellor | None:
        """The counsellor, if still listed (people leave; old tickets keep their id)."""
        return next((person for person in self.counsellors if person.id == counsellor_id), None)

    def counsellor_by_telegram(self, telegram_id: int) -> Counsellor | None:
        return next((person for person in self.counsellors if person.telegram_id == telegram_id), None)


class _Reader:
    """Reads one YAML mapping, recording the key path for error messages."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def fail(self, where: str, problem: str) -> SiteError:
        return SiteError(f"{self.path}: {where}: {problem}")

    def mapping(self, value: object, where: str, allowed: set[str], required: set[str]) -> dict:
        if not isinstance(value, dict):
            raise self.fail(where, "expected a set of `key: value` lines")
        unknown = set(map(str, value)) - allowed
        if unknown:
            raise self.fail(where, f"unknown key(s) {', '.join(sorted(unknown))}; allowed: {', '.join(sorted(allowed))}")
        missing = required - set(value)
        if missing:
            raise self.fail(where, f"missing {', '.join(sorted(missing))}")
        return value

    def text(self, value: object, where: str) -> str:
        if not isinstance(value, str) or not value.strip():
            raise self.fail(where, "expected a non-empty text")
        return value.strip()

    def phone(self, value: object, where: str) -> str:
        text = self.text(str(value) if isinstance(value, (int, str)) else value, where)
        if not _PHONE.fullmatch(text) or len(re.sub(r"\D", "", text)) < 8:
            raise self.fail(where, f"{text!r}: a phone number as people dial it, e.g. \"+45 89 40 12 34\" (digits, spaces, +)")
        return text

    def link(self, value: object, where: str) -> str:
        text = self.text(value, where)
        parsed = urlsplit(text)
        if parsed.scheme != "https" or not parsed.netloc or " " in text:
            raise self.fail(where, f"{text!r}: a https:// link, e.g. to the place on OpenStreetMap")
        return text

    def identifier(self, value: object, where: str) -> str:
        text = self.text(str(value) if isinstance(value, (int, str)) else value, where)
        if not _ID.match(text):
            raise self.fail(where, f"{text!r}: use lower-case letters, digits, - and _ only, at most 32")
        return text

    def choices(self, value: object, where: str, allowed: tuple[str, ...] | set[str], what: str) -> tuple[str, ...]:
        if not isinstance(value, list) or not value:
            raise self.fail(where, f"expected a list of {what}, like [{', '.join(sorted(allowed)[:2])}]")
        for i, item in enumerate(value):
            if item not in allowed:
                raise self.fail(f"{where}[{i}]", f"unknown {what[:-1]} {item!r}; known: {', '.join(sorted(allowed))}")
        return tuple(value)

    def weekly(self, value: object, where: str) -> Weekly:
        weekly_raw = self.mapping(value, where, set(WEEKDAYS), set())
        weekly: Weekly = {}
        for weekday, spans in weekly_raw.items():
            key = f"{where}.{weekday}"
            if not isinstance(spans, list):
                raise self.fail(key, 'expected a list like ["16:00-18:00"]')
            hours = sorted((self.hours(span, f"{key}[{i}]") for i, span in enumerate(spans)), key=lambda h: h.start)
            for before, after in zip(hours, hours[1:]):
                if after.start < before.end:
                    raise self.fail(key, "opening hours overlap; merge them into one span")
            weekly[WEEKDAYS.index(weekday)] = tuple(hours)
        return weekly

    def day(self, value: object, where: str) -> date:
        if isinstance(value, date):
            return value
        raise self.fail(where, f"expected a date like 2026-12-24, got {value!r}")

    def hours(self, value: object, where: str) -> Hours:
        match = _HOURS.match(str(value).strip())
        if not match:
            raise self.fail(where, f"expected hours like 16:00-18:00, got {value!r}")
        h1, m1, h2, m2 = map(int, match.groups())
        if h1 > 23 or h2 > 23 or m1 > 59 or m2 > 59:
            raise self.fail(where, f"{value!r} is not a time of day")
        start, end = time(h1, m1), time(h2, m2)
        if start >= end:
            raise self.fail(where, f"{value!r} ends before it starts")
        return Hours(start, end)

    def reminders(self, value: object, where: str) -> tuple[timedelta, time]:
        raw = self.mapping(value, where, {"hours_before_opening", "deadline_time"}, set())
        before = raw.get("hours_before_opening", REMIND_BEFORE / timedelta(hours=1))
        if isinstance(before, bool) or not isinstance(before, (int, float)) or not 0 < before <= 24:
            raise self.fail(f"{where}.hours_before_opening", f"expected a number of hours above 0, at most 24, got {before!r}")
        if "deadline_time" not in raw:
            return timedelta(hours=before), DEADLINE_REMINDER_AT
        # Unquoted, YAML reads 17:00 as a number (1020): hence the quotes in the message.
        match = re.fullmatch(r"(\d{1,2}):(\d{2})", str(raw["deadline_time"]).strip())
        at = time(int(match[1]), int(match[2])) if match and int(match[1]) < 24 and int(match[2]) < 60 else None
        if at is None or is_quiet(at):
            raise self.fail(f"{where}.deadline_time", f'expected a time of day from "09:00" to "20:59" in quotes, '
                                                      f"got {raw['deadline_time']!r}")
        return timedelta(hours=before), at

    def closures(self, value: object, where: str) -> tuple[Closure, ...]:
        closed = []
        for i, item in enumerate(value or []):
            key = f"{where}[{i}]"
            entry = self.mapping(item, key, {"from", "to", "reason"}, {"from", "to"})
            first, last = self.day(entry["from"], f"{key}.from"), self.day(entry["to"], f"{key}.to")
            if last < first:
                raise self.fail(key, "`to` is before `from`")
            closed.append(Closure(first, last, str(entry.get("reason") or "")))
        return tuple(closed)

    def telegram_id(self, value: object, where: str) -> int:
        # bool is an int in Python; "yes" is not an id.
        if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
            raise self.fail(where, f"expected a Telegram user id (a positive number; ask @userinfobot), got {value!r}")
        return value

    def desk(self, value: object, where: str) -> Desk:
        raw = self.mapping(
            value, where, {"id", "name", "address", "area", "weekly", "closed", "extra", "also_here", "phone", "map_url"},
            {"id", "name", "address", "weekly"},
        )
        weekly = self.weekly(raw["weekly"], f"{where}.weekly")
        closed = self.closures(raw.get("closed"), f"{where}.closed")
        extra = []
        for i, item in enumerate(raw.get("extra") or []):
            key = f"{where}.extra[{i}]"
            entry = self.mapping(item, key, {"date", "hours", "reason"}, {"date", "hours"})
            extra.append(ExtraOpening(self.day(entry["date"], f"{key}.date"), self.hours(entry["hours"], f"{key}.hours"),
                                      str(entry.get("reason") or "")))
        also_here = tuple(self.text(item, f"{where}.also_here[{i}]") for i, item in enumerate(raw.get("also_here") or []))
        area = self.identifier(raw["area"], f"{where}.area") if "area" in raw else None
        phone = self.phone(raw["phone"], f"{where}.phone") if "phone" in raw else None
        map_url = self.link(raw["map_url"], f"{where}.map_url") if "map_url" in raw else None
        return Desk(self.identifier(raw["id"], f"{where}.id"), self.text(raw["name"], f"{where}.name"),
                    self.text(raw["address"], f"{where}.address"), weekly, closed, tuple(extra), area, also_here,
                    phone, map_url)

    def counsellor(self, value: object, where: str, desks: set[str], areas: set[str]) -> Counsellor:
        keys = {"id", "name", "role", "languages", "areas", "topics", "desk", "working_hours", "telegram_id", "away"}
        raw = self.mapping(value, where, keys, keys - {"areas", "telegram_id", "away"})
        desk = self.identifier(raw["desk"], f"{where}.desk")
        if desk not in desks:
            raise self.fail(f"{where}.desk", f"no desk with id {desk!r}; desks: {', '.join(sorted(desks))}")
        return Counsellor(
            id=self.identifier(raw["id"], f"{where}.id"),
            name=self.text(raw["name"], f"{where}.name"),
            role=self.text(raw["role"], f"{where}.role"),
            languages=self.choices(raw["languages"], f"{where}.languages", SUPPORTED, "languages"),
            areas=self.choices(raw["areas"], f"{where}.areas", areas, "areas") if "areas" in raw else (),
            topics=self.choices(raw["topics"], f"{where}.topics", TOPICS, "topics"),
            desk=desk,
            working_hours=self.weekly(raw["working_hours"], f"{where}.working_hours"),
            telegram_id=self.telegram_id(raw["telegram_id"], f"{where}.telegram_id") if "telegram_id" in raw else None,
            away=self.closures(raw.get("away"), f"{where}.away"),
        )

    def area(self, value: object, where: str) -> Area:
        raw = self.mapping(value, where, {"id", "name"}, {"id", "name"})
        return Area(self.identifier(raw["id"], f"{where}.id"), self.text(raw["name"], f"{where}.name"))

    def period(self, value: object, where: str) -> Period:
        raw = self.mapping(value, where, {"period", "from", "to"}, {"period", "from", "to"})
        if raw["period"] not in PERIODS:
            raise self.fail(f"{where}.period", f"unknown period {raw['period']!r}; known: {', '.join(PERIODS)}")
        first, last = self.day(raw["from"], f"{where}.from"), self.day(raw["to"], f"{where}.to")
        if last < first:
            raise self.fail(where, "`to` is before `from`")
        return Period(raw["period"], first, last)

    def unique(self, ids: list[str], where: str) -> None:
        for item in ids:
            if ids.count(item) > 1:
                raise self.fail(where, f"the id {item!r} is used twice; ids must be unique")


def load_site(path: Path) -> Site:
    reader = _Reader(path)
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise SiteError(f"{path}: cannot read the site file ({exc.strerror}); set SITE_FILE") from exc
    except yaml.YAMLError as exc:
        raise SiteError(f"{path}: not valid YAML: {exc}") from exc
    top = reader.mapping(
        raw, "top level", {"name", "areas", "desks", "counsellors", "job_guide", "school_holidays", "reminders"},
        {"name", "desks"}
    )
    areas = tuple(reader.area(item, f"areas[{i}]") for i, item in enumerate(top.get("areas") or []))
    area_ids = {area.id for area in areas}
    if not isinstance(top["desks"], list) or not top["desks"]:
        raise reader.fail("desks", "list at least one open-guidance desk")
    desks = tuple(reader.desk(item, f"desks[{i}]") for i, item in enumerate(top["desks"]))
    reader.unique([desk.id for desk in desks], "desks")
    for i, desk in enumerate(desks):
        if desk.area is not None and desk.area not in area_ids:
            raise reader.fail(f"desks[{i}].area", f"no area with id {desk.area!r}; add it under `areas`")
    desk_ids = {desk.id for desk in desks}
    counsellors = tuple(
        reader.counsellor(item, f"counsellors[{i}]", desk_ids, area_ids) for i, item in enumerate(top.get("counsellors") or [])
    )
    reader.unique([person.id for person in counsellors], "counsellors")
    reader.unique([str(person.telegram_id) for person in counsellors if person.telegram_id], "counsellors[].telegram_id")
    job_guide = top.get("job_guide")
    if job_guide is not None and job_guide not in {person.id for person in counsellors}:
        raise reader.fail("job_guide", f"no counsellor with id {job_guide!r}; list the job guide under `counsellors`")
    periods = tuple(reader.period(item, f"school_holidays[{i}]") for i, item in enumerate(top.get("school_holidays") or []))
    remind_before, deadline_reminder_at = reader.reminders(top.get("reminders") or {}, "reminders")
    return Site(reader.text(top["name"], "name"), desks, areas, counsellors, job_guide, periods, remind_before,
                deadline_reminder_at)

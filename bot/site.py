"""The site file: what a deployment says about its own place (YAML, validated).

Errors name the file and the key, and say what to do, so a counsellor can fix a typo
without reading code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, time
from pathlib import Path

import yaml

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_HOURS = re.compile(r"^(\d{2}):(\d{2})-(\d{2}):(\d{2})$")


class SiteError(ValueError):
    pass


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


@dataclass(frozen=True)
class Desk:
    id: str
    name: str
    address: str
    weekly: dict[int, tuple[Hours, ...]]  # Monday is 0, as in date.weekday()
    closed: tuple[Closure, ...]
    extra: tuple[ExtraOpening, ...]


@dataclass(frozen=True)
class Site:
    name: str
    desks: tuple[Desk, ...]


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

    def desk(self, value: object, where: str) -> Desk:
        raw = self.mapping(value, where, {"id", "name", "address", "weekly", "closed", "extra"}, {"id", "name", "address", "weekly"})
        weekly_raw = self.mapping(raw["weekly"], f"{where}.weekly", set(WEEKDAYS), set())
        weekly: dict[int, tuple[Hours, ...]] = {}
        for weekday, spans in weekly_raw.items():
            key = f"{where}.weekly.{weekday}"
            if not isinstance(spans, list):
                raise self.fail(key, 'expected a list like ["16:00-18:00"]')
            hours = sorted((self.hours(span, f"{key}[{i}]") for i, span in enumerate(spans)), key=lambda h: h.start)
            for before, after in zip(hours, hours[1:]):
                if after.start < before.end:
                    raise self.fail(key, "opening hours overlap; merge them into one span")
            weekly[WEEKDAYS.index(weekday)] = tuple(hours)
        closed = []
        for i, item in enumerate(raw.get("closed") or []):
            key = f"{where}.closed[{i}]"
            entry = self.mapping(item, key, {"from", "to", "reason"}, {"from", "to"})
            first, last = self.day(entry["from"], f"{key}.from"), self.day(entry["to"], f"{key}.to")
            if last < first:
                raise self.fail(key, "`to` is before `from`")
            closed.append(Closure(first, last, str(entry.get("reason") or "")))
        extra = []
        for i, item in enumerate(raw.get("extra") or []):
            key = f"{where}.extra[{i}]"
            entry = self.mapping(item, key, {"date", "hours", "reason"}, {"date", "hours"})
            extra.append(ExtraOpening(self.day(entry["date"], f"{key}.date"), self.hours(entry["hours"], f"{key}.hours"),
                                      str(entry.get("reason") or "")))
        return Desk(self.text(raw["id"], f"{where}.id"), self.text(raw["name"], f"{where}.name"),
                    self.text(raw["address"], f"{where}.address"), weekly, tuple(closed), tuple(extra))


def load_site(path: Path) -> Site:
    reader = _Reader(path)
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise SiteError(f"{path}: cannot read the site file ({exc.strerror}); set SITE_FILE") from exc
    except yaml.YAMLError as exc:
        raise SiteError(f"{path}: not valid YAML: {exc}") from exc
    top = reader.mapping(raw, "top level", {"name", "desks"}, {"name", "desks"})
    if not isinstance(top["desks"], list) or not top["desks"]:
        raise reader.fail("desks", "list at least one open-guidance desk")
    desks = tuple(reader.desk(item, f"desks[{i}]") for i, item in enumerate(top["desks"]))
    return Site(reader.text(top["name"], "name"), desks)

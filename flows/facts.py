"""The rules Broen states (flows/facts.yml): numbers, source link, checked-on date.

Answers take their numbers from here, so a changed rule is one edit in the YAML file,
and every rule answer can end with where it comes from and when that was checked.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

import yaml

from flows.formatting import long_date
from flows.turn import Turn

FACTS_FILE = Path(__file__).with_name("facts.yml")

# The facts and values the flows use; the content check fails when one is missing.
REQUIRED = {
    "gymnasium": {"average", "hf_average", "passed_average"},
    "deadline": {"day", "month"},
    "application": {"distribution_zone_minimum"},
    "readiness_abolished": set(),
    "vocational": {"danish", "maths", "gf1_years", "euv_age"},
    "fgu": {"max_age", "years", "allowance_year", "allowance_under_18", "allowance_home", "allowance_away"},
    "reform": {"epx_year", "new_average"},
    "choices": {"stu_years", "stu_max_age"},
    "newcomers": {"adult_age"},
    "work_hours": {
        "min_age", "school_day_hours", "other_day_hours_13_14", "other_day_hours_15_17", "school_week_hours",
        "free_week_hours_13_14", "free_week_hours_15_17", "night_from", "night_to", "rest_hours_school",
        "day_hours_out_of_school", "week_hours_out_of_school", "rest_hours_out_of_school", "shops_until",
        "restaurants_until", "paper_rounds_from", "bakeries_from", "break_minutes", "break_after_hours", "max_lift_kg",
        "days_off",
    },
    "working_alone": {"weekday_from", "weekend_from"},
    "pay_and_tax": {"holiday_pay", "labour_market_contribution", "am_exempt_until_age", "frikort_age"},
    "personal_allowance": {"year", "amount"},
}


class FactsError(ValueError):
    pass


@dataclass(frozen=True)
class Fact:
    id: str
    source: str
    checked_on: date
    values: dict[str, object]
    unconfirmed: str | None = None

    def __getitem__(self, key: str) -> object:
        return self.values[key]


def load_facts(path: Path = FACTS_FILE) -> dict[str, Fact]:
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise FactsError(f"{path}: cannot read the facts file: {exc}") from exc
    if not isinstance(raw, dict):
        raise FactsError(f"{path}: expected one `name:` block per fact")
    facts = {}
    for name, entry in raw.items():
        where = f"{path}: {name}"
        if not isinstance(entry, dict) or set(entry) - {"source", "checked_on", "values", "unconfirmed"}:
            raise FactsError(f"{where}: expected source, checked_on, values and (optionally) unconfirmed")
        source, checked = entry.get("source"), entry.get("checked_on")
        if not isinstance(source, str) or not source.startswith("https://"):
            raise FactsError(f"{where}.source: give the https:// link of the page the rule comes from")
        if not isinstance(checked, date) or checked > date.today():
            raise FactsError(f"{where}.checked_on: give the date the rule was last checked, like 2026-11-23")
        values = entry.get("values") or {}
        missing = REQUIRED.get(name, set()) - set(values)
        if missing:
            raise FactsError(f"{where}.values: missing {', '.join(sorted(missing))}")
        facts[name] = Fact(name, source, checked, values, entry.get("unconfirmed"))
    missing = sorted(set(REQUIRED) - set(facts))
    if missing:
        raise FactsError(f"{path}: the fact {missing[0]!r} is missing; the answers need it")
    return facts


@cache
def facts() -> dict[str, Fact]:
    return load_facts()


def cited(turn: Turn, fact: Fact) -> str:
    """The closing line of a rule answer: one source link, of the fact the answer rests
    on, with the date it was last checked. One link is what a phone reader opens; the
    counsellor offered beside it knows the rest."""
    return "\n".join([turn._("Source (checked {date}):").format(date=turn.embed(long_date(turn, fact.checked_on))),
                      fact.source])  # the link stays bare: Telegram and terminals make it clickable

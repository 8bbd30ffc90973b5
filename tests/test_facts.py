"""The rule facts: every answer's numbers and sources come from flows/facts.yml, and a
broken facts file is caught by the content check with the key and the fix."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.content_check import check_facts
from flows.facts import FACTS_FILE, REQUIRED, load_facts


def test_the_shipped_facts_have_a_source_link_and_a_checked_on_date():
    facts = load_facts()
    assert set(facts) == set(REQUIRED)
    assert all(fact.source.startswith("https://") and fact.checked_on for fact in facts.values())
    # What FACTS.md marks UNCONFIRMED is marked here too, so the answers can say so.
    assert facts["reform"].unconfirmed and facts["pay_and_tax"].unconfirmed


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("average: 5.0, hf_average", "avg: 5.0, hf_average", "gymnasium.values: missing average"),
        ("source: https://www.optagelse.dk", "source: optagelse.dk", "deadline.source: give the https:// link"),
        ("checked_on: 2026-12-01\n  values: {danish", "checked_on: soon\n  values: {danish", "vocational.checked_on: give the date"),
    ],
)
def test_a_broken_fact_names_the_key_and_the_fix(tmp_path: Path, old, new, message):
    broken = tmp_path / "facts.yml"
    text = FACTS_FILE.read_text(encoding="utf-8")
    assert old in text
    broken.write_text(text.replace(old, new, 1), encoding="utf-8")
    problems = check_facts(broken)
    assert len(problems) == 1 and problems[0].startswith(f"{broken}: {message}")

"""`python -m bot content check [SITE_FILE]`: is the content fit to run?

Checks the site file, the rule facts (flows/facts.yml), the help lines
(flows/helplines.yml), the crisis lexicons and thresholds, and the translation catalogues,
and says per problem which file and key, and what to do, in words a counsellor can act on.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from babel.messages.pofile import read_po

from bot.i18n import LOCALES_DIR
from bot.site import SiteError, load_site
from flows.facts import FACTS_FILE, FactsError, load_facts
from flows.helplines import HELPLINES_FILE, HelpLinesError, load_helplines
from nlu.crisis_lexicon import BadLexicon, CrisisLexicon
from nlu.language import SUPPORTED
from nlu.screening import CALIBRATION_FILE, Thresholds

_PLACEHOLDER = re.compile(r"\{(\w*)\}")


def _loads(load: Callable[[], object], errors: tuple[type[Exception], ...], explain: str = "{error}") -> list[str]:
    """[] when the content loads, else the loader's own message (it names file, key, fix)."""
    try:
        load()
    except errors as error:
        return [explain.format(error=error)]
    return []


def check_site(path: Path) -> list[str]:
    return _loads(lambda: load_site(path), (SiteError,))


def check_facts(path: Path = FACTS_FILE) -> list[str]:
    return _loads(lambda: load_facts(path), (FactsError,))


def check_helplines(path: Path = HELPLINES_FILE) -> list[str]:
    return _loads(lambda: load_helplines(path), (HelpLinesError,))


def check_crisis_stage() -> list[str]:
    """The lexicons and thresholds load (the classifier is built by make, not edited)."""
    return _loads(CrisisLexicon.load, (BadLexicon, ValueError), "nlu/crisis/*.yml: {error}") + _loads(
        Thresholds.load, (KeyError, TypeError, ValueError, OSError),
        f"{CALIBRATION_FILE}: needs alarm and check between 0 and 1, check <= alarm ({{error}})")


# The staff group's texts are translated into the staff languages only.
STAFF_LANGUAGES = ("da",)


def check_catalogues(locales: Path = LOCALES_DIR) -> list[str]:
    return _check_domain(locales, "messages", SUPPORTED) + _check_domain(locales, "staff", STAFF_LANGUAGES)


def _check_domain(locales: Path, domain: str, languages: tuple[str, ...]) -> list[str]:
    template = locales / f"{domain}.pot"
    with open(template, "rb") as handle:
        expected = {message.id for message in read_po(handle) if message.id}
    problems = []
    for lang in languages:
        path = locales / lang / "LC_MESSAGES" / f"{domain}.po"
        if not path.exists():
            problems.append(f"{path}: missing; run `make i18n` and translate it")
            continue
        with open(path, "rb") as handle:
            messages = {message.id: message for message in read_po(handle, locale=lang) if message.id}
        for msgid in sorted(expected - set(messages)):
            problems.append(f"{path}: {msgid!r} is missing; run `make i18n`, then translate it")
        for msgid, message in sorted(messages.items()):
            if msgid not in expected:
                continue
            if not str(message.string).strip():
                problems.append(f"{path}: {msgid!r} has no translation; write one")
            elif message.fuzzy:
                problems.append(f"{path}: {msgid!r} is marked fuzzy; check the translation and remove the mark")
            elif sorted(_PLACEHOLDER.findall(message.string)) != sorted(_PLACEHOLDER.findall(msgid)):
                problems.append(
                    f"{path}: {msgid!r}: the translation must keep the placeholders "
                    f"{', '.join('{' + name + '}' for name in _PLACEHOLDER.findall(msgid)) or '(none)'} exactly"
                )
    return problems


def check(site_file: Path, locales: Path = LOCALES_DIR) -> list[str]:
    return (check_site(site_file) + check_facts() + check_helplines() + check_crisis_stage()
            + check_catalogues(locales))

"""`make bench-answers`: how long Broen's rule answers are, in every language.

Every answer path of the three guidance topics (the deadline; each programme and the
overview, with no grades, grades below and above the requirements, and a parent asking;
EUD's other ways in; the education duty, STU and EUX; new in Denmark; each age band for the job rules,
breaks and safety at work, pay, tax, finding a job, a CV;
the opening hours on an ordinary day, a holiday and an evening) is rendered through
the flows with the example site, as the person reads it on Telegram (all messages of
one answer together, a web address as the site name it is shown as, buttons not
counted). Prints max and p95 per language and the longest paths, and as the last line
one JSON object. Measured, not asserted: issue 13's target is at most about 700
characters per answer.
"""

from __future__ import annotations

import json
import statistics
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path

from bot.clock import COPENHAGEN
from bot.links import as_read
from bot.replies import Reply
from bot.site import Site, load_site
from flows import admission, leisure_job, opening_hours
from flows.turn import Turn
from nlu.details import Grades
from nlu.language import SUPPORTED

TARGET = 700
SITE = Path(__file__).resolve().parent.parent / "sites" / "example.yml"
MOMENTS = {
    "thursday afternoon": datetime(2026, 11, 19, 14, 30, tzinfo=COPENHAGEN),
    "evening": datetime(2026, 11, 19, 19, 30, tzinfo=COPENHAGEN),
    "public holiday": datetime(2027, 5, 6, 12, 0, tzinfo=COPENHAGEN),
}
GRADES = {
    "no grades": Grades(),
    "average 4.8": Grades(average=4.8),
    "average 6.2": Grades(average=6.2),
    "02 Danish, 00 maths": Grades(subjects={"danish": 2.0, "maths": 0.0}),
}
INTENT_OF = {"gymnasium": "admission_gymnasium", "hf": "admission_gymnasium", "vocational": "admission_vocational",
             "fgu": "admission_fgu"}
PROGRAMMES = (None, "gymnasium", "hf", "vocational", "fgu", "tenth_grade")
BANDS = ("under_13", "13_14", "15_17_school", "15_17_out", "18_plus")


def paths(site: Site) -> Iterator[tuple[str, Callable[[Turn], list[Reply]]]]:
    """(a name for the path, the answer for a turn)."""
    for for_child in (False, True):
        question = admission.Question("admission_deadline", None, Grades(), for_child)
        yield f"deadline{' parent' if for_child else ''}", lambda turn, q=question: admission.answer(turn, site, q)
    # Beyond the deadline, the programme named (or the intent's) and the grades decide the answer.
    for programme in PROGRAMMES:
        for grades_name, grades in GRADES.items():
            for for_child in (False, True):
                question = admission.Question(INTENT_OF.get(programme, "admission_general"), programme, grades, for_child)
                name = f"admission {programme or 'overview'}, {grades_name}{' parent' if for_child else ''}"
                yield name, lambda turn, q=question: admission.answer(turn, site, q)
    for band in BANDS:
        for for_child in (False, True):
            yield (f"job rules {band}{' parent' if for_child else ''}",
                   lambda turn, b=band, c=for_child: leisure_job.rules(turn, site, b, c))
    yield "EUD: other ways in", lambda turn: admission.later_ways(turn)
    yield "education duty, STU, EUX", lambda turn: admission.choices(turn)
    yield "new in Denmark", lambda turn: admission.newcomers(turn)
    for for_child in (False, True):
        parent = " parent" if for_child else ""
        yield f"pay{parent}", lambda turn, c=for_child: leisure_job.pay(turn, site, c)
        yield f"tax{parent}", lambda turn, c=for_child: leisure_job.tax(turn, site, c)
        yield f"breaks and safety at work{parent}", lambda turn, c=for_child: leisure_job.safe_work(turn, c)
    yield "find a job", lambda turn: leisure_job.find(turn, site)
    yield "CV", lambda turn: leisure_job.cv(turn, site)
    yield "opening hours", lambda turn: opening_hours.opening_hours(turn, site)


def percentile(values: list[int], share: float) -> int:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main() -> None:
    site = load_site(SITE)
    by_lang: dict[str, dict] = {}
    longest: list[tuple[int, str, str]] = []
    for lang in SUPPORTED:
        lengths = []
        for moment_name, moment in MOMENTS.items():
            turn = Turn(lang, moment)
            for name, answer in paths(site):
                if moment_name != "thursday afternoon" and name != "opening hours":
                    continue  # only the opening hours depend on the moment
                length = sum(len(as_read(reply.text)) for reply in answer(turn))
                lengths.append(length)
                longest.append((length, lang, f"{name} ({moment_name})" if name == "opening hours" else name))
        by_lang[lang] = {"max": max(lengths), "p95": percentile(lengths, 0.95),
                         "median": int(statistics.median(lengths)), "over_target": sum(n > TARGET for n in lengths),
                         "n": len(lengths)}
        print(f"{lang}  max {by_lang[lang]['max']:5d}  p95 {by_lang[lang]['p95']:5d}  median "
              f"{by_lang[lang]['median']:5d}  over {TARGET}: {by_lang[lang]['over_target']} of {len(lengths)}")
    print("longest answers:")
    for length, lang, name in sorted(longest, reverse=True)[:8]:
        print(f"  {length:5d}  {lang}  {name}")
    everything = [entry[0] for entry in longest]
    print(json.dumps({"target": TARGET, "max": max(everything), "p95": percentile(everything, 0.95),
                      "over_target": sum(n > TARGET for n in everything), "n": len(everything),
                      "by_lang": by_lang}))


if __name__ == "__main__":
    main()

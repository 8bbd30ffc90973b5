"""`make nlu-eval [FILE=x.csv]`: how well Broen understands labelled messages.

Measures what the bot does with a first message: the crisis stage first (a crisis is
topic "crisis"), then the topic from the NLU model, and the reply language from
detection (Danish when detection is unsure, as for a new user without a client
language); `lang_accuracy_worded` counts only messages whose words carry a language
(not "ok", "?", "16" or "👍", which the bot answers in the phone's language). Prints a line per language, the totals, and as the last line one JSON
object with, besides accuracy, `crisis_recall` (crisis messages answered as a crisis)
and `false_crisis_rate` (everyday messages answered as a crisis).

`--tune` shows, per fallback threshold, the accuracy the bot would reach on the
non-crisis messages, to choose FallbackClassifier's threshold in nlu/config.yml.
`--calibrate` shows, per crisis-classifier threshold, recall and false alarms, to
choose nlu/crisis/calibration.yml. Tune and calibrate on development sets only.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
from collections import defaultdict
from pathlib import Path

from nlu.client import NluClient
from nlu.heldout_data import BadTestFile, Example, heldout_files, read_examples
from nlu.language import LanguageDetector, reply_language
from nlu.screening import CrisisScreen, Level
from nlu.server import nlu_client, print_progress
from nlu.short_replies import short_reply
from nlu.topics import FALLBACK_INTENT, topic_of
from nlu.understanding import Understander


# "Everyday short messages" in the figures: at most this many words.
SHORT_WORDS = 4


def _rate(part: int, whole: int, empty: float) -> float:
    return round(part / whole, 4) if whole else empty


async def evaluate(examples: list[Example], client: NluClient, screen: CrisisScreen) -> tuple[dict, list[str]]:
    """The figures (as printed in the JSON line) and the misunderstood messages."""
    understander = Understander(client)
    detector = LanguageDetector()
    by_lang: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    errors: list[str] = []
    for example in examples:
        signal = screen.screen(example.text)
        if signal.is_crisis:
            topic, detail = "crisis", f"{signal.category} {signal.source} {signal.probability:.2f}"
        elif (reply := short_reply(example.text)) is not None:  # as the bot does: no model needed
            topic, detail = "smalltalk", f"short reply: {reply.kind}"
        else:
            understanding = (await understander.understand_message(example.text)).first
            topic, detail = understanding.topic, f"{understanding.intent} {understanding.confidence:.2f}"
            if signal.level is Level.CHECK:
                detail += f"; asked whether safe ({signal.category} {signal.probability:.2f})"
        detected, guessed = detector.read(example.text)
        lang = reply_language(chosen=None, detected=detected, previous=None, client=None, guessed=guessed)
        counts = by_lang[example.lang]
        counts["n"] += 1
        counts["topic"] += topic == example.topic
        counts["lang"] += lang == example.lang
        if detector.carries_language(example.text):
            counts["worded"] += 1
            counts["worded_lang"] += lang == example.lang
        if len(example.text.split()) <= SHORT_WORDS:
            counts["short"] += 1
            counts["short_topic"] += topic == example.topic
        if example.topic == "crisis":
            counts["crises"] += 1
            counts["found"] += signal.is_crisis
            counts["checked"] += signal.level is not Level.NONE
        else:
            counts["everyday"] += 1
            counts["false_alarms"] += signal.is_crisis
            counts["checks"] += signal.level is Level.CHECK
        if topic != example.topic:
            errors.append(f"  [{example.lang}] {example.topic} -> {topic} ({detail}): {example.text[:80]}")
    total = {key: sum(c[key] for c in by_lang.values()) for key in
             ("n", "topic", "crises", "found", "checked", "everyday", "false_alarms", "checks", "short", "short_topic",
              "worded", "worded_lang")}
    figures = {
        "overall": _rate(total["topic"], total["n"], 0.0),
        "by_lang": {
            lang: {
                "topic_accuracy": _rate(c["topic"], c["n"], 0.0),
                "lang_accuracy": _rate(c["lang"], c["n"], 0.0),
                # Only messages with words that carry a language (not "ok", "?", "16", "👍").
                "lang_accuracy_worded": _rate(c["worded_lang"], c["worded"], 0.0),
                "n": c["n"],
                "crisis_recall": _rate(c["found"], c["crises"], 1.0),
                "false_crisis_rate": _rate(c["false_alarms"], c["everyday"], 0.0),
            }
            for lang, c in sorted(by_lang.items())
        },
        "crisis_recall": _rate(total["found"], total["crises"], 1.0),
        "false_crisis_rate": _rate(total["false_alarms"], total["everyday"], 0.0),
        "lang_accuracy_worded": _rate(total["worded_lang"], total["worded"], 0.0),
        "worded_n": total["worded"],
        "short_topic_accuracy": _rate(total["short_topic"], total["short"], 0.0),
        "short_n": total["short"],
        # Crisis messages that got at least the "are you safe?" question, and everyday
        # messages that got that question.
        "crisis_or_check_recall": _rate(total["checked"], total["crises"], 1.0),
        "check_rate": _rate(total["checks"], total["everyday"], 0.0),
        "crises": total["crises"],
        "everyday": total["everyday"],
    }
    return figures, errors


def print_report(result: dict, errors: list[str], show_errors: bool) -> None:
    if show_errors and errors:
        print(f"Misunderstood ({len(errors)}):")
        print("\n".join(errors))
    print(f"{'lang':<6}{'topic_accuracy':>16}{'lang_accuracy':>16}{'(worded)':>10}{'crisis_recall':>15}"
          f"{'false_crisis':>14}{'n':>6}")
    for lang, f in result["by_lang"].items():
        print(f"{lang:<6}{f['topic_accuracy']:>16.3f}{f['lang_accuracy']:>16.3f}{f['lang_accuracy_worded']:>10.3f}"
              f"{f['crisis_recall']:>15.3f}{f['false_crisis_rate']:>14.3f}{f['n']:>6}")
    print(f"topic accuracy on messages of at most {SHORT_WORDS} words: {result['short_topic_accuracy']:.3f} "
          f"(of {result['short_n']})")
    print(f"overall topic accuracy {result['overall']:.3f}; crisis recall {result['crisis_recall']:.3f} "
          f"(of {result['crises']}); false crisis rate {result['false_crisis_rate']:.3f} (of {result['everyday']}); "
          f"asked whether safe: {result['crisis_or_check_recall']:.3f} of crises (with the alarms), "
          f"{result['check_rate']:.3f} of everyday messages")
    print(json.dumps(result, ensure_ascii=False))


async def tune(examples: list[Example], client: NluClient) -> None:
    """Accuracy per fallback threshold, on the messages that are not crises."""
    scored = []
    for example in (e for e in examples if e.topic != "crisis"):
        parse = await client.parse(example.text)
        best = next(((name, p) for name, p in parse.ranking if name != FALLBACK_INTENT), (parse.intent, parse.confidence))
        scored.append((example, best))
    print(f"{'threshold':>9}{'overall':>9}{'worst lang':>12}{'other recall':>14}{'in-scope unsure':>17}")
    for step in range(13):
        threshold = step * 0.05
        hits: dict[str, list[bool]] = defaultdict(list)
        other, unsure = [], []
        for example, (intent, confidence) in scored:
            topic = topic_of(intent) if confidence >= threshold else "other"
            hits[example.lang].append(topic == example.topic)
            if example.topic == "other":
                other.append(topic == "other")
            else:
                unsure.append(confidence < threshold)
        overall = sum(sum(h) for h in hits.values()) / sum(len(h) for h in hits.values())
        worst = min(hits, key=lambda lang: sum(hits[lang]) / len(hits[lang]))
        worst_acc = sum(hits[worst]) / len(hits[worst])
        print(f"{threshold:>9.2f}{overall:>9.3f}{worst + f' {worst_acc:.3f}':>12}"
              f"{sum(other) / max(len(other), 1):>14.3f}{sum(unsure) / max(len(unsure), 1):>17.3f}")


def calibrate(examples: list[Example], screen: CrisisScreen) -> None:
    """Per classifier threshold: crisis recall (lexicon or classifier) overall and in the
    worst language, and the false alarm rate; no NLU service needed."""
    rows = []
    for example in examples:
        hits = screen.lexicon.hits(example.text)
        probability, _ = screen.model.crisis_probability(example.text)
        rows.append((example, any(not hit.negated for hit in hits), bool(hits), probability))
    crises = [r for r in rows if r[0].topic == "crisis"]
    everyday = [r for r in rows if r[0].topic != "crisis"]
    print(f"{len(crises)} crisis and {len(everyday)} everyday messages; lexicon alone: "
          f"recall {sum(r[1] for r in crises) / max(len(crises), 1):.3f}, "
          f"false alarms {sum(r[1] for r in everyday)}")
    print(f"{'threshold':>9}{'recall':>8}{'worst lang':>12}{'false rate':>11}{'false n':>8}")
    for step in range(1, 20):
        threshold = step * 0.05
        found: dict[str, list[bool]] = defaultdict(list)
        for example, firm, _, probability in crises:
            found[example.lang].append(firm or probability >= threshold)
        false = sum(firm or probability >= threshold for _, firm, _, probability in everyday)
        recall = sum(sum(v) for v in found.values()) / max(len(crises), 1)
        worst = min(found, key=lambda lang: sum(found[lang]) / len(found[lang])) if found else "-"
        worst_recall = sum(found[worst]) / len(found[worst]) if found else 1.0
        print(f"{threshold:>9.2f}{recall:>8.3f}{worst + f' {worst_recall:.3f}':>12}"
              f"{false / max(len(everyday), 1):>11.3f}{false:>8}")


async def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m nlu.evaluate", description=__doc__.split("\n")[0])
    parser.add_argument("file", nargs="*", help="CSV files with text,lang,topic (default: nlu/heldout/*.csv)")
    parser.add_argument("--errors", action="store_true", help="list the misunderstood messages")
    parser.add_argument("--tune", action="store_true", help="accuracy per fallback threshold")
    parser.add_argument("--calibrate", action="store_true", help="crisis recall and false alarms per threshold")
    args = parser.parse_args(argv)
    paths = [Path(name) for name in args.file] or heldout_files()
    try:
        examples = read_examples(paths)
    except (BadTestFile, OSError) as exc:
        print(f"cannot evaluate: {exc}", file=sys.stderr)
        return 2
    if not examples:
        print("no examples to evaluate", file=sys.stderr)
        return 2
    screen = CrisisScreen.load()
    if args.calibrate:
        calibrate(examples, screen)
        return 0
    async with nlu_client(os.environ.get("NLU_URL"), os.environ.get("NLU_TOKEN"), 10.0, progress=print_progress) as client:
        if args.tune:
            await tune(examples, client)
        else:
            print_report(*await evaluate(examples, client, screen), show_errors=args.errors)
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))

"""`make nlu-eval [FILE=x.csv]`: how well Broen understands labelled messages.

Measures what the bot does with a first message: the topic from the NLU model with
the crisis lexicon on top, and the reply language from detection (Danish when
detection is unsure, as for a new user without a client language). Prints a line per
language, the totals, and as the last line one JSON object.

`--tune` instead shows crisis recall (model, lexicon, both) and, per fallback threshold,
the accuracy the bot would reach, to choose FallbackClassifier's threshold in nlu/config.yml.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
from collections import defaultdict
from pathlib import Path

from bot.language import choose_language
from nlu.client import NluClient
from nlu.crisis import CrisisLexicon
from nlu.heldout_data import BadTestFile, Example, heldout_files, read_examples
from nlu.language import LanguageDetector
from nlu.server import nlu_client, print_progress
from nlu.topics import topic_of
from nlu.understanding import Understander, is_crisis, top_intent


async def evaluate(examples: list[Example], client: NluClient) -> tuple[dict, list[str]]:
    """The figures (as printed in the JSON line) and the misunderstood messages."""
    understander = Understander(client, CrisisLexicon.load())
    detector = LanguageDetector()
    by_lang: dict[str, dict[str, int]] = defaultdict(lambda: {"topic": 0, "lang": 0, "n": 0})
    crisis_total = crisis_found = 0
    errors: list[str] = []
    for example in examples:
        understanding = await understander.understand(example.text)
        lang = choose_language(chosen=None, detected=detector.detect(example.text), previous=None, client=None)
        counts = by_lang[example.lang]
        counts["n"] += 1
        counts["topic"] += understanding.topic == example.topic
        counts["lang"] += lang == example.lang
        if example.topic == "crisis":
            crisis_total += 1
            crisis_found += understanding.topic == "crisis"
        if understanding.topic != example.topic:
            errors.append(f"  [{example.lang}] {example.topic} -> {understanding.topic} "
                          f"({understanding.intent} {understanding.confidence:.2f}): {example.text[:80]}")
    total = sum(c["n"] for c in by_lang.values())
    figures = {
        "overall": round(sum(c["topic"] for c in by_lang.values()) / total, 4) if total else 0.0,
        "by_lang": {
            lang: {
                "topic_accuracy": round(c["topic"] / c["n"], 4),
                "lang_accuracy": round(c["lang"] / c["n"], 4),
                "n": c["n"],
            }
            for lang, c in sorted(by_lang.items())
        },
        "crisis_recall": round(crisis_found / crisis_total, 4) if crisis_total else 1.0,
    }
    return figures, errors


def print_report(result: dict, errors: list[str], show_errors: bool) -> None:
    if show_errors and errors:
        print(f"Misunderstood ({len(errors)}):")
        print("\n".join(errors))
    print(f"{'lang':<6}{'topic_accuracy':>16}{'lang_accuracy':>16}{'n':>6}")
    for lang, figures in result["by_lang"].items():
        print(f"{lang:<6}{figures['topic_accuracy']:>16.3f}{figures['lang_accuracy']:>16.3f}{figures['n']:>6}")
    print(f"overall topic accuracy {result['overall']:.3f}; crisis recall {result['crisis_recall']:.3f}")
    print(json.dumps(result, ensure_ascii=False))


async def tune(examples: list[Example], client: NluClient) -> None:
    lexicon = CrisisLexicon.load()
    scored = []
    for example in examples:
        parse = await client.parse(example.text)
        scored.append((example, top_intent(parse), is_crisis(parse), lexicon.matches(example.text)))

    crises = [row for row in scored if row[0].topic == "crisis"]
    false_alarms = [row for row in scored if row[0].topic != "crisis" and (row[2] or row[3])]
    print(f"crisis recall: model {sum(r[2] for r in crises) / len(crises):.3f}, "
          f"lexicon {sum(r[3] for r in crises) / len(crises):.3f}, "
          f"both {sum(r[2] or r[3] for r in crises) / len(crises):.3f}; "
          f"false crisis alarms: {len(false_alarms)} of {len(scored) - len(crises)}")
    print(f"{'threshold':>9}{'overall':>9}{'worst lang':>12}{'other recall':>14}{'in-scope unsure':>17}")
    for step in range(13):
        threshold = step * 0.05
        hits: dict[str, list[bool]] = defaultdict(list)
        other, unsure = [], []
        for example, (intent, confidence), model_crisis, lexicon_hit in scored:
            topic = topic_of(intent) if confidence >= threshold else "other"
            final = "crisis" if model_crisis or lexicon_hit else topic
            hits[example.lang].append(final == example.topic)
            if example.topic == "other":
                other.append(final == "other")
            else:
                unsure.append(confidence < threshold and final != "crisis")
        overall = sum(sum(h) for h in hits.values()) / sum(len(h) for h in hits.values())
        worst = min(hits, key=lambda lang: sum(hits[lang]) / len(hits[lang]))
        worst_acc = sum(hits[worst]) / len(hits[worst])
        print(f"{threshold:>9.2f}{overall:>9.3f}{worst + f' {worst_acc:.3f}':>12}"
              f"{sum(other) / max(len(other), 1):>14.3f}{sum(unsure) / max(len(unsure), 1):>17.3f}")


async def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m nlu.evaluate", description=__doc__.split("\n")[0])
    parser.add_argument("file", nargs="?", help="CSV with text,lang,topic (default: nlu/heldout/*.csv)")
    parser.add_argument("--errors", action="store_true", help="list the misunderstood messages")
    parser.add_argument("--tune", action="store_true", help="accuracy per fallback threshold")
    args = parser.parse_args(argv)
    paths = [Path(args.file)] if args.file else heldout_files()
    try:
        examples = read_examples(paths)
    except (BadTestFile, OSError) as exc:
        print(f"cannot evaluate: {exc}", file=sys.stderr)
        return 2
    if not examples:
        print("no examples to evaluate", file=sys.stderr)
        return 2
    async with nlu_client(os.environ.get("NLU_URL"), os.environ.get("NLU_TOKEN"), 10.0, progress=print_progress) as client:
        if args.tune:
            await tune(examples, client)
        else:
            print_report(*await evaluate(examples, client), show_errors=args.errors)
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))

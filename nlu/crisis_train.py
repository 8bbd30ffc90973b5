"""Train the crisis classifier (run by `make` with Rasa's Python, which has scikit-learn).

Reads the labelled crisis data, ``nlu/crisis/train/*.csv`` (columns text, lang, topic,
category; crisis rows, which have a category, and everyday rows, hard negatives among
them), and, as more everyday messages, the intent examples (``nlu.training_data``). Writes
``nlu/models/crisis.bin`` for ``nlu.crisis_model.CrisisModel`` and checks that the
plain-Python scorer reproduces scikit-learn's probabilities.

Never train on evaluation sets (``nlu/eval/``): they are for measuring.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from nlu.crisis_model import MODEL_FILE, NO_CRISIS, clauses, features, pieces
from nlu.hashed_train import fit_and_write
from nlu.training_data import CRISIS_AUTHORS_SOURCE, crisis_rows, intent_examples

CATEGORIES = ("suicide", "violence", "forced_marriage", "homeless", "danger")
# Inverse regularisation strength, chosen on the development sets (nlu/eval/dev*).
C = 30.0


# Intent files that are no negatives here: the crisis authors' (already among their rows),
# and the everyday-chat authors' death idioms ("this homework is killing me"), written
# without crises beside them: with them the classifier's alarm on the dev sets fell below
# a hidden crisis (recall 0.999 at the same false-alarm rate). The crisis authors' own
# idioms, written beside their crises, teach the difference. Nor the later intent authors
# (authors5-authors9: parents who want to meet because it is "complicated", a child not
# paid, mould, "boredom is killing me"): such requests read much like a quiet disclosure,
# and as negatives they cost crises on the hard sets (counted, not read): authors5 3, 4
# and 2 fewer caught on report14h-report16h; authors7 and authors8 (beside two crisis
# authors not kept) 95 missed of 960 instead of 87. Each new file stays a choice: list
# it here or not.
NOT_NEGATIVES = frozenset({CRISIS_AUTHORS_SOURCE, "chitchat",
                           "authors5", "authors6", "authors7", "authors8", "authors9"})


def labelled_rows() -> list[tuple[str, str]]:
    """Crisis rows by category; everyday rows (hard negatives among them) and the intent
    examples (but NOT_NEGATIVES) as no crisis."""
    rows = []
    for row in crisis_rows():
        # A crisis row has its category; its topic may name the question asked beside it.
        if row.category or row.topic == "crisis":
            if row.category not in CATEGORIES:
                raise SystemExit(f"{row.where}: category {row.category!r} is not one of {', '.join(CATEGORIES)}")
            rows.append((row.text, row.category))
        else:
            rows.append((row.text, NO_CRISIS))
    rows += [(example.text, NO_CRISIS) for example in intent_examples() if example.source not in NOT_NEGATIVES]
    # The sentences of everyday messages, scored alone at run time (CrisisModel), are
    # everyday too; a crisis message's sentences are not labelled: one of them may be
    # the disclosure and the others ordinary.
    rows += [(clause, NO_CRISIS) for text, label in rows[:] if label == NO_CRISIS
             for piece in pieces(text) for clause in clauses(piece)]
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m nlu.crisis_train", description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=MODEL_FILE)
    parser.add_argument("-C", type=float, default=C, help="inverse regularisation strength")
    args = parser.parse_args(argv)

    return fit_and_write(labelled_rows(), features, args.out, args.C, "crisis classifier")


if __name__ == "__main__":
    sys.exit(main())

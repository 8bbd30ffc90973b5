"""Train Broen's language identifier (run by `make` with Rasa's Python).

Every labelled message counts, with its language: the intent examples
(``nlu/data/*_<lang>.yml``), the crisis data (``nlu/crisis/train/*.csv``, column
``lang``) and short first messages written for this model (``nlu/language/*.csv``). Writes ``nlu/models/language.bin`` for
``nlu.language_model.LanguageModel``.

Never train on evaluation sets (``nlu/eval/``): they are for measuring.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from nlu.hashed_train import fit_and_write
from nlu.language_model import MODEL_FILE, features
from nlu.training_data import crisis_rows, intent_examples, language_rows

_LETTER = re.compile(r"[^\W\d_]", re.UNICODE)
# A row of one or two letters ("ok", "?") says nothing about its language.
MIN_LETTERS = 3
# Inverse regularisation strength, chosen on the development sets (nlu/eval/dev*).
C = 10.0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m nlu.language_train", description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=MODEL_FILE)
    parser.add_argument("-C", type=float, default=C, help="inverse regularisation strength")
    args = parser.parse_args(argv)
    labelled = [(e.text, e.lang) for e in intent_examples()] + [(row.text, row.lang) for row in crisis_rows()] \
        + language_rows()
    rows = [(text, lang) for text, lang in labelled if len(_LETTER.findall(text)) >= MIN_LETTERS]
    return fit_and_write(rows, features, args.out, args.C, "language identifier")


if __name__ == "__main__":
    sys.exit(main())

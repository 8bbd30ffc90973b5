"""Train the crisis classifier (run by `make` with Rasa's Python, which has scikit-learn).

Reads the labelled crisis data, ``nlu/crisis/train/*.csv`` (columns text, lang, topic,
category; crisis rows, which have a category, and everyday rows, hard negatives among
them), and, as more
everyday messages, the examples of every intent in ``nlu/data/nlu_*.yml``. Writes
``nlu/models/crisis.bin`` for ``nlu.crisis_model.CrisisModel`` and checks that the
plain-Python scorer reproduces scikit-learn's probabilities.

Never train on evaluation sets (``nlu/eval/``): they are for measuring.
"""

from __future__ import annotations

import argparse
import csv
import sys
from collections import Counter
from datetime import date
from pathlib import Path

import yaml
from scipy.sparse import csr_matrix
from sklearn.feature_extraction.text import TfidfTransformer
from sklearn.linear_model import LogisticRegression

from nlu.crisis_model import BUCKETS, MODEL_FILE, NO_CRISIS, CrisisModel, bucket, features, write_model

NLU_DIR = Path(__file__).resolve().parent
TRAIN_DIR = NLU_DIR / "crisis" / "train"
RASA_DATA = NLU_DIR / "data"
CATEGORIES = ("suicide", "violence", "forced_marriage", "homeless", "danger")
# Inverse regularisation strength, chosen on the development sets (nlu/eval/dev*).
C = 30.0


def crisis_rows(directory: Path = TRAIN_DIR) -> list[tuple[str, str]]:
    rows = []
    for path in sorted(directory.glob("*.csv")):
        with path.open(encoding="utf-8-sig", newline="") as handle:
            for line, row in enumerate(csv.DictReader(handle), start=2):
                text = (row.get("text") or "").strip()
                if not text:
                    continue
                # A crisis row has its category; its topic may name the question asked beside it.
                category = (row.get("category") or "").strip()
                if category or row["topic"].strip() == "crisis":
                    if category not in CATEGORIES:
                        raise SystemExit(f"{path}:{line}: category {category!r} is not one of {', '.join(CATEGORIES)}")
                    rows.append((text, category))
                else:
                    rows.append((text, NO_CRISIS))
    return rows


def everyday_rows(directory: Path = RASA_DATA) -> list[tuple[str, str]]:
    rows = []
    for path in sorted(directory.glob("nlu_*.yml")):
        for block in yaml.safe_load(path.read_text(encoding="utf-8"))["nlu"]:
            if "intent" not in block or block["intent"] == "crisis":
                continue
            for line in block["examples"].splitlines():
                if line.strip().startswith("- "):
                    rows.append((line.strip()[2:], NO_CRISIS))
    return rows


def matrix(texts: list[str]) -> csr_matrix:
    data, indices, indptr = [], [], [0]
    for text in texts:
        counts = Counter(bucket(feature) for feature in features(text))
        for j, tf in sorted(counts.items()):
            indices.append(j)
            data.append(float(tf))
        indptr.append(len(indices))
    return csr_matrix((data, indices, indptr), shape=(len(texts), BUCKETS))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m nlu.crisis_train", description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=MODEL_FILE)
    parser.add_argument("-C", type=float, default=C, help="inverse regularisation strength")
    args = parser.parse_args(argv)

    rows = crisis_rows() + everyday_rows()
    texts = [text for text, _ in rows]
    labels = [label for _, label in rows]
    counts = Counter(labels)
    print(f"crisis classifier: {len(rows)} examples: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))

    tfidf = TfidfTransformer(sublinear_tf=True)
    x = tfidf.fit_transform(matrix(texts))
    # No class weights: they push every probability towards crisis and cost false alarms
    # at the same recall (compared on the development sets).
    model = LogisticRegression(C=args.C, max_iter=3000, multi_class="multinomial")
    model.fit(x, labels)
    classes = [str(name) for name in model.classes_]

    probe = texts[:: max(1, len(texts) // 25)]
    expected = model.predict_proba(tfidf.transform(matrix(probe)))
    selfcheck = [[text, [round(float(p), 6) for p in row]] for text, row in zip(probe, expected)]
    meta = {"trained_on": date.today().isoformat(), "examples": dict(counts), "C": args.C, "selfcheck": selfcheck}
    write_model(args.out, classes, tfidf.idf_, model.coef_, model.intercept_, meta)

    scorer = CrisisModel.load(args.out)
    for text, wanted in selfcheck:
        got = scorer.piece_probabilities(text)
        worst = max(abs(got[name] - p) for name, p in zip(classes, wanted))
        if worst > 1e-3:
            print(f"the plain-Python scorer disagrees with scikit-learn by {worst:.4f} on {text[:60]!r}", file=sys.stderr)
            return 1
    print(f"crisis classifier written to {args.out} ({args.out.stat().st_size // 1024} KB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

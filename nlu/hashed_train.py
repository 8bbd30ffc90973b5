"""Fit a ``nlu.hashed_model.HashedModel`` with scikit-learn (Rasa's Python has it) and
write it, checking that the plain-Python scorer reproduces scikit-learn's
probabilities. Used by ``nlu/crisis_train.py`` and ``nlu/language_train.py``."""

from __future__ import annotations

import sys
from collections import Counter
from datetime import date
from pathlib import Path

from scipy.sparse import csr_matrix
from sklearn.feature_extraction.text import TfidfTransformer
from sklearn.linear_model import LogisticRegression

from nlu.hashed_model import BUCKETS, Features, HashedModel, bucket, write_model


def matrix(texts: list[str], features: Features) -> csr_matrix:
    data, indices, indptr = [], [], [0]
    for text in texts:
        counts = Counter(bucket(feature) for feature in features(text))
        for j, tf in sorted(counts.items()):
            indices.append(j)
            data.append(float(tf))
        indptr.append(len(indices))
    return csr_matrix((data, indices, indptr), shape=(len(texts), BUCKETS))


def fit_and_write(rows: list[tuple[str, str]], features: Features, out: Path, C: float, name: str) -> int:
    """Train on (text, label) rows, write the model to `out`; 0 on success."""
    texts = [text for text, _ in rows]
    labels = [label for _, label in rows]
    counts = Counter(labels)
    print(f"{name}: {len(rows)} examples: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))

    tfidf = TfidfTransformer(sublinear_tf=True)
    x = tfidf.fit_transform(matrix(texts, features))
    # No class weights: for the crisis classifier they push every probability towards
    # crisis and cost false alarms at the same recall (compared on the development sets).
    model = LogisticRegression(C=C, max_iter=3000, multi_class="multinomial")
    model.fit(x, labels)
    classes = [str(label) for label in model.classes_]

    # Texts without features ("?") are left out: the scorer gives None for them by design.
    probe = [text for text in texts[:: max(1, len(texts) // 25)] if features(text)]
    expected = model.predict_proba(tfidf.transform(matrix(probe, features)))
    selfcheck = [[text, [round(float(p), 6) for p in row]] for text, row in zip(probe, expected)]
    meta = {"trained_on": date.today().isoformat(), "examples": dict(counts), "C": C, "selfcheck": selfcheck}
    write_model(out, classes, tfidf.idf_, model.coef_, model.intercept_, meta)

    scorer = HashedModel.load(out, features)
    for text, wanted in selfcheck:
        got = scorer.scores(text) or {}
        worst = max(abs(got.get(label, 0.0) - p) for label, p in zip(classes, wanted))
        if worst > 1e-3:
            print(f"the plain-Python scorer disagrees with scikit-learn by {worst:.4f} on {text[:60]!r}", file=sys.stderr)
            return 1
    print(f"{name} written to {out} ({out.stat().st_size // 1024} KB)")
    return 0

"""A linear classifier over hashed features, scored in plain Python.

Broen's own classifiers (the crisis classifier, the language identifier) are trained
with scikit-learn in Rasa's environment (``nlu/hashed_train.py``) and scored here, so
the bot needs neither scikit-learn nor numpy (about 60 MB of memory) for a dot product
over a few hundred features. Each classifier brings its own ``features()`` function,
used by both sides, so training and scoring cannot drift apart; training checks this
scorer against scikit-learn's probabilities (``selfcheck`` in the model file).

Runs on Python 3.10 (training) and 3.11 (the bot): standard library only.
"""

from __future__ import annotations

import json
import math
import sys
import zlib
from array import array
from collections import Counter
from collections.abc import Callable
from pathlib import Path

BUCKETS = 1 << 18  # hashed feature space; collisions cost little at this size

Features = Callable[[str], list[str]]


def bucket(feature: str) -> int:
    # crc32, not hash(): Python's string hash changes with every process.
    return zlib.crc32(feature.encode("utf-8")) & (BUCKETS - 1)


class HashedModel:
    """Multinomial logistic regression over tf-idf weighted hashed features, with the
    exact arithmetic of scikit-learn's TfidfTransformer(sublinear_tf=True) and
    LogisticRegression.predict_proba."""

    def __init__(self, classes: list[str], idf: array, coef: array, intercept: array, meta: dict,
                 features: Features) -> None:
        self.classes = classes
        self._idf, self._coef, self._intercept = idf, coef, intercept
        self.meta = meta
        self._features = features

    @classmethod
    def load(cls, path: Path, features: Features) -> HashedModel:
        raw = path.read_bytes()
        header, _, body = raw.partition(b"\n")
        meta = json.loads(header)
        if meta.get("buckets") != BUCKETS:
            raise ValueError(f"{path}: built for {meta.get('buckets')} buckets, the scorer uses {BUCKETS}; run make")
        values = array("f")
        values.frombytes(body)
        if sys.byteorder != "little":
            values.byteswap()
        classes = meta["classes"]
        n = len(classes)
        if len(values) != BUCKETS * (n + 1) + n:
            raise ValueError(f"{path}: truncated or corrupt; run make")
        idf = values[:BUCKETS]
        coef = values[BUCKETS : BUCKETS * (n + 1)]
        intercept = values[BUCKETS * (n + 1) :]
        return cls(classes, idf, coef, intercept, meta, features)

    def scores(self, text: str) -> dict[str, float] | None:
        """Probability per class, exactly as scikit-learn would give it; None when the
        text has no features at all (only spaces, say)."""
        counts = Counter(bucket(feature) for feature in self._features(text))
        if not counts:
            return None
        weights = {j: (1.0 + math.log(tf)) * self._idf[j] for j, tf in counts.items()}
        norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
        logits = []
        coef = self._coef
        for c in range(len(self.classes)):
            offset = c * BUCKETS
            logits.append(self._intercept[c] + sum(coef[offset + j] * w for j, w in weights.items()) / norm)
        top = max(logits)
        exps = [math.exp(s - top) for s in logits]
        total = sum(exps)
        return {name: e / total for name, e in zip(self.classes, exps)}


def write_model(path: Path, classes: list[str], idf, coef, intercept, meta: dict) -> None:
    """Used by training: the header line (JSON), then float32 idf, coefficients, intercepts."""
    values = array("f", [float(v) for v in idf])
    for row in coef:
        values.extend(float(v) for v in row)
    values.extend(float(v) for v in intercept)
    if sys.byteorder != "little":
        values.byteswap()
    header = json.dumps({**meta, "classes": classes, "buckets": BUCKETS}, ensure_ascii=False).encode("utf-8")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(header + b"\n" + values.tobytes())

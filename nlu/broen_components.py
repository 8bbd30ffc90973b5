"""Broen's own Rasa components (loaded by Rasa, from ``nlu/``, as named in ``config.yml``).

Runs in Rasa's environment only (Python 3.10, ``nlu/.venv``); the bot never imports it.
"""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path
from typing import Any, Dict, List, Optional, Text

import numpy as np
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.classifiers.logistic_regression_classifier import LogisticRegressionClassifier
from rasa.nlu.tokenizers.tokenizer import Token
from rasa.nlu.tokenizers.whitespace_tokenizer import WhitespaceTokenizer
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message

# Rasa imports this file from nlu/ (its working directory); the folding is nlu/text.py's,
# the same the crisis stage uses.
sys.path.append(str(Path(__file__).resolve().parent.parent))
from nlu import text as folding  # noqa: E402


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_TOKENIZER, is_trainable=False)
class FoldingWhitespaceTokenizer(WhitespaceTokenizer):
    """Rasa's WhitespaceTokenizer, with each token's folded form as its lemma, which the
    featurizers count (their `use_lemma` is on by default): "hvornår", "hvornaar" and
    "HVORNAR" are one word, and so are "أريد" and "اريد", "ي" and "ی", "١٦" and "16",
    "çalışmak" and "calismak". The token's text and offsets stay as written, for the
    entity extractor."""

    def tokenize(self, message: Message, attribute: Text) -> List[Token]:
        tokens = super().tokenize(message, attribute)
        if attribute == TEXT:
            for token in tokens:
                token.lemma = folding.fold(folding.western_digits(token.text)) or token.text
        return tokens

    @classmethod
    def fingerprint_addon(cls, config: Dict[Text, Any]) -> Optional[Text]:
        # Rasa caches a component's output by its config: a change to the folding must retrain.
        return hashlib.sha256(Path(folding.__file__).read_bytes()).hexdigest()


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class ColumnMajorLogisticRegressionClassifier(LogisticRegressionClassifier):
    """Rasa's LogisticRegressionClassifier, trained and persisted the same way, with its
    coefficients kept column-major once loaded.

    scikit-learn scores a message as ``X @ coef_.T``. With ``coef_`` row-major (intents
    × 140,000 n-grams), scipy copies the transposed 18 MB array for every message: 9 ms
    of a parse's 17 ms, measured on 2026-12-01. Column-major, ``coef_.T`` is the layout
    scipy wants and nothing is copied (0.3 ms). The probabilities are the same numbers.
    """

    @classmethod
    def load(cls, *args: Any, **kwargs: Any) -> ColumnMajorLogisticRegressionClassifier:
        component = super().load(*args, **kwargs)
        if hasattr(component.clf, "coef_"):  # Rasa hands back an untrained one when none was saved
            component.clf.coef_ = np.asfortranarray(component.clf.coef_)
        return component

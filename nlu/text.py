"""Text normalisation shared by the crisis stage, the short replies, the message details
and the topic model (Rasa counts each word in its folded form:
broen_components.FoldingWhitespaceTokenizer).

Young people type without diacritics and with whatever keyboard they have, so
matching must not depend on them: Latin diacritics are dropped (ö -> o, å -> a),
and the Arabic-script letters that Arabic, Urdu and Farsi keyboards write
differently are folded to one form.
"""

import re
import unicodedata

_ARABIC_SCRIPT_FOLD = str.maketrans(
    {
        "ي": "ی",  # Arabic yeh -> Farsi/Urdu yeh
        "ى": "ی",  # alef maksura
        "ئ": "ی",
        "ك": "ک",  # Arabic kaf -> keheh
        "ة": "ه",  # teh marbuta
        "ہ": "ه",  # Urdu heh goal
        "ۀ": "ه",
        "ھ": "ه",  # heh doachashmee
        "ۃ": "ه",
        "ؤ": "و",
        "ı": "i",  # Turkish dotless i
        "\u200c": "",  # zero-width non-joiner (Farsi half-space)
        "'": "",  # apostrophes, straight or curly: "can't", "cant" and "can’t" are one word
        "\u2019": "",
        "\u2018": "",
        "\u02bc": "",  # modifier apostrophe, as in CLDR's Ukrainian "пʼятниця"
        "`": "",
        "\u0640": "",  # tatweel
    }
)

_WORD = re.compile(r"\w", re.UNICODE)
# Phones without a Danish keyboard write æ and ø as ae and oe.
_DANISH_LETTERS = str.maketrans({"æ": "ae", "ø": "oe"})
# A letter typed twice or more counts once: "nooooo", "waan"/"wan", "skaere"/"skære".
_REPEATED_LETTER = re.compile(r"([^\W\d_])\1+")


def normalise(text: str) -> str:
    """Lower-case, fold diacritics and script variants, squeeze white space."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    folded = unicodedata.normalize("NFKC", stripped).translate(_ARABIC_SCRIPT_FOLD)
    return " ".join(folded.split())


def fold(text: str) -> str:
    """normalise(), and further for screening messages as people type them: æ/ø spelled
    out (ae, oe) and repeated letters squeezed, so "skaere", "skære" and "skaaaere" are one
    word, and so are Somali "waan" and "wan". Digits are kept ("00", "112")."""
    return _REPEATED_LETTER.sub(r"\1", normalise(text).translate(_DANISH_LETTERS))


def western_digits(text: str) -> str:
    """Arabic-Indic and Persian digits as 0-9, and the Arabic decimal comma as a comma."""
    return "".join(
        str(unicodedata.decimal(ch)) if ch.isdecimal() and not ch.isascii() else ("," if ch == "\u066b" else ch)
        for ch in text
    )


def has_words(text: str) -> bool:
    """True when the text has at least one letter or digit (not only emoji or punctuation)."""
    return bool(_WORD.search(text))

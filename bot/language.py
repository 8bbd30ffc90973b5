"""Which language to answer in."""

from __future__ import annotations

from bot.i18n import DEFAULT_LANGUAGE, supported


def choose_language(
    *,
    chosen: str | None,
    detected: str | None,
    previous: str | None,
    client: str | None,
) -> str:
    """An explicit choice wins; then the language this message is confidently written in;
    then the language of the conversation so far (so "ok" does not switch a Somali chat to
    Danish); then the client's language setting; then Danish."""
    for candidate in (chosen, detected, previous, supported(client)):
        if candidate:
            return candidate
    return DEFAULT_LANGUAGE

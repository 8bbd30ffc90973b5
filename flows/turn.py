"""What a flow gets to work with for one message."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from babel.support import NullTranslations

from bot.i18n import isolate, is_rtl, translations
from bot.replies import Button, Reply


def N_(message: str) -> str:
    """Marks a text for extraction where it is defined; it is translated where it is used."""
    return message


@dataclass(frozen=True)
class Turn:
    language: str
    now: datetime
    first_name: str | None = None
    # The counsellor a rule answer introduced a moment ago: not introduced again.
    introduced: str | None = None

    @property
    def catalog(self) -> NullTranslations:
        return translations(self.language)

    def _(self, message: str) -> str:
        return self.catalog.gettext(message)

    def embed(self, text: str) -> str:
        """Numbers and names placed into a sentence keep their own direction in
        right-to-left languages; elsewhere they need nothing (and isolates can show up
        as stray marks in some terminals)."""
        return isolate(text) if is_rtl(self.language) else text

    def fill(self, message: str, **values: str) -> str:
        """The message in the user's language with the values put in, each embedded."""
        return self._(message).format(**{key: self.embed(value) for key, value in values.items()})

    def reply(self, text: str, buttons: tuple[Button, ...] = (), introduces: str | None = None) -> Reply:
        return Reply(text=text, buttons=buttons, rtl=is_rtl(self.language), introduces=introduces)

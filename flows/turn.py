"""What a flow gets to work with for one message."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from babel.support import NullTranslations

from bot.i18n import is_rtl, translations
from bot.replies import Button, Reply


def N_(message: str) -> str:
    """Marks a text for extraction where it is defined; it is translated where it is used."""
    return message


@dataclass(frozen=True)
class Turn:
    language: str
    now: datetime
    first_name: str | None = None

    @property
    def catalog(self) -> NullTranslations:
        return translations(self.language)

    def _(self, message: str) -> str:
        return self.catalog.gettext(message)

    def reply(self, text: str, buttons: tuple[Button, ...] = ()) -> Reply:
        return Reply(text=text, buttons=buttons, rtl=is_rtl(self.language))

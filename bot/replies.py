"""What the conversation core hands back: replies as data, rendered by each channel."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Button:
    label: str
    # Opaque to the user: an encoded bot.actions.Action ("topic:admission", "person", "lang:ar").
    data: str


@dataclass(frozen=True)
class Reply:
    text: str
    buttons: tuple[Button, ...] = field(default_factory=tuple)
    # Right-to-left text; a channel may align it (Telegram does this itself).
    rtl: bool = False
    # The counsellor this reply introduces by name, so the next answers need not repeat it.
    introduces: str | None = None


def as_pairs(buttons: tuple[Button, ...]) -> tuple[tuple[str, str], ...]:
    """Buttons as stored in the outbox: (label, data)."""
    return tuple((button.label, button.data) for button in buttons)


def command(text: str) -> tuple[str, str]:
    """"/Luk@BroenBot tak for i dag" -> ("/luk", "tak for i dag")."""
    name, _, argument = text.strip().partition(" ")
    return name.split("@", 1)[0].lower(), argument.strip()


@dataclass(frozen=True)
class Incoming:
    """A message from a channel, already stripped of the channel's own types."""

    channel: str
    user_id: str
    kind: str = "text"  # text, button, command, photo, voice, sticker, document, other
    text: str | None = None
    first_name: str | None = None
    # The client's language setting (Telegram's language_code), if the channel has one.
    client_language: str | None = None
    # The channel's id for this update (Telegram's update_id), kept in the inbox.
    update_id: int | None = None

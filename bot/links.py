"""Web addresses in what a person reads: on Telegram a bare address is sent as a link
named by its site ("uvm.dk"), not as the address itself.

Why: a rule answer ends with its source, and uvm.dk's page addresses run to 110
characters, three lines on a phone, in an answer meant to be read in one screen. The
link still opens the same page (Telegram shows the full address before opening it),
and the terminal shows addresses in full. Only what goes to a person is rendered so;
the staff group sees every address as written, so a link a person sent cannot pose as
another site.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from urllib.parse import urlsplit

# An address ends at a space or at what cannot be part of one; a full stop, comma or
# closing bracket right after it belongs to the sentence.
_ADDRESS = re.compile(r"https?://[^\s<>\"']+")
_SENTENCE_END = ".,;:!?)]"


def _addresses(text: str) -> list[tuple[int, int, str]]:
    found = []
    for match in _ADDRESS.finditer(text):
        address = match.group(0).rstrip(_SENTENCE_END)
        if urlsplit(address).hostname:
            found.append((match.start(), match.start() + len(address), address))
    return found


def site_name(address: str) -> str:
    """The site an address is on: https://www.uvm.dk/gymnasiale-uddannelser/... is uvm.dk."""
    host = urlsplit(address).hostname or address
    return host.removeprefix("www.")


def _render(text: str, link: Callable[[str], str], plain: Callable[[str], str]) -> str:
    parts, last = [], 0
    for start, end, address in _addresses(text):
        parts += [plain(text[last:start]), link(address)]
        last = end
    parts.append(plain(text[last:]))
    return "".join(parts)


def to_telegram_html(text: str) -> str:
    """The text for parse_mode HTML: everything escaped, each address a link named by its site."""
    return _render(text, lambda address: f'<a href="{html.escape(address)}">{html.escape(site_name(address))}</a>',
                   html.escape)


def as_read(text: str) -> str:
    """What a person reads of the text on Telegram (for measuring answers)."""
    return _render(text, site_name, lambda plain: plain)

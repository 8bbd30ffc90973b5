"""HTTP client for the Rasa NLU service (only ``/model/parse`` is used).

Several Rasa replicas may share the load: ``NLU_URL`` lists them, comma-separated. The
client takes them in turn; one that fails is rested for a while and the message goes to
the next, so a dead replica costs one timeout, not one per message.
"""

from __future__ import annotations

import asyncio
import itertools
import time
from dataclasses import dataclass, field

import aiohttp

# Messages longer than this are cut before parsing: the start says what it is about,
# and parse time grows with length. The full text is still stored.
MAX_PARSE_CHARS = 1000
# A replica that failed is skipped this long (unless every replica is resting).
REST_SECONDS = 30.0


class NluUnavailable(Exception):
    """The NLU service did not answer in time or answered with an error."""


@dataclass(frozen=True)
class Parse:
    intent: str
    confidence: float
    entities: list[dict] = field(default_factory=list)
    ranking: list[tuple[str, float]] = field(default_factory=list)


def replica_urls(urls: str) -> list[str]:
    """"http://a:5005, http://b:5005" -> the replicas' base URLs."""
    return [url.strip() for url in urls.split(",") if url.strip()]


class NluClient:
    """Made with aiohttp, which spends about a third of the CPU httpx does per request
    (see bot/telegram_request.py); its sessions open at the first parse, inside the
    event loop, as aiohttp wants."""

    def __init__(self, base_url: str, token: str | None = None, timeout: float = 2.0) -> None:
        self._urls = [f"{url.rstrip('/')}/model/parse" for url in replica_urls(base_url)]
        if not self._urls:
            raise ValueError("no NLU URL given")
        self._params = {"token": token} if token else None
        self._timeout = aiohttp.ClientTimeout(total=timeout)
        self._session: aiohttp.ClientSession | None = None
        self._turn = itertools.cycle(range(len(self._urls)))
        self._resting_until = [0.0] * len(self._urls)

    def _order(self) -> list[int]:
        """This message's replicas: the next in turn first, resting ones last."""
        first = next(self._turn)
        order = [(first + step) % len(self._urls) for step in range(len(self._urls))]
        now = time.monotonic()
        return sorted(order, key=lambda index: self._resting_until[index] > now)

    async def parse(self, text: str) -> Parse:
        if self._session is None:
            self._session = aiohttp.ClientSession(timeout=self._timeout)
        failure: Exception | None = None
        for index in self._order():
            try:
                async with self._session.post(self._urls[index], params=self._params,
                                              json={"text": text[:MAX_PARSE_CHARS]}) as response:
                    response.raise_for_status()
                    body = await response.json()
            except (aiohttp.ClientError, asyncio.TimeoutError, ValueError) as exc:
                self._resting_until[index] = time.monotonic() + REST_SECONDS
                failure = exc
                continue
            self._resting_until[index] = 0.0
            return _parse(body)
        raise NluUnavailable(_reason(failure)) from failure

    async def aclose(self) -> None:
        if self._session is not None:
            await self._session.close()


def _reason(failure: Exception | None) -> str:
    """Why the last replica failed, for the log: never its URL, which carries the token."""
    if isinstance(failure, aiohttp.ClientResponseError):
        return f"HTTP {failure.status}"
    return type(failure).__name__


def _parse(body: dict) -> Parse:
    intent = body.get("intent") or {}
    return Parse(
        intent=intent.get("name") or "",
        confidence=float(intent.get("confidence") or 0.0),
        entities=body.get("entities") or [],
        ranking=[(r["name"], float(r["confidence"])) for r in body.get("intent_ranking") or []],
    )

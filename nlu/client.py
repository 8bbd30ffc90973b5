"""HTTP client for the Rasa NLU service (only ``/model/parse`` is used).

Several Rasa replicas may share the load: ``NLU_URL`` lists them, comma-separated. The
client takes them in turn; one that fails is rested for a while and the message goes to
the next, so a dead replica costs one timeout, not one per message.
"""

from __future__ import annotations

import itertools
import time
from dataclasses import dataclass, field

import httpx

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
    def __init__(self, base_url: str, token: str | None = None, timeout: float = 2.0) -> None:
        params = {"token": token} if token else None
        self._replicas = [httpx.AsyncClient(base_url=url, params=params, timeout=timeout)
                          for url in replica_urls(base_url)]
        if not self._replicas:
            raise ValueError("no NLU URL given")
        self._turn = itertools.cycle(range(len(self._replicas)))
        self._resting_until = [0.0] * len(self._replicas)

    def _order(self) -> list[int]:
        """This message's replicas: the next in turn first, resting ones last."""
        first = next(self._turn)
        order = [(first + step) % len(self._replicas) for step in range(len(self._replicas))]
        now = time.monotonic()
        return sorted(order, key=lambda index: self._resting_until[index] > now)

    async def parse(self, text: str) -> Parse:
        failure: Exception | None = None
        for index in self._order():
            try:
                response = await self._replicas[index].post("/model/parse", json={"text": text[:MAX_PARSE_CHARS]})
                response.raise_for_status()
                body = response.json()
            except (httpx.HTTPError, ValueError) as exc:
                self._resting_until[index] = time.monotonic() + REST_SECONDS
                failure = exc
                continue
            self._resting_until[index] = 0.0
            return _parse(body)
        raise NluUnavailable(f"{type(failure).__name__}: {failure}") from failure

    async def aclose(self) -> None:
        for replica in self._replicas:
            await replica.aclose()


def _parse(body: dict) -> Parse:
    intent = body.get("intent") or {}
    return Parse(
        intent=intent.get("name") or "",
        confidence=float(intent.get("confidence") or 0.0),
        entities=body.get("entities") or [],
        ranking=[(r["name"], float(r["confidence"])) for r in body.get("intent_ranking") or []],
    )

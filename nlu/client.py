"""HTTP client for the Rasa NLU service (only ``/model/parse`` is used)."""

from __future__ import annotations

from dataclasses import dataclass, field

import httpx

# Messages longer than this are cut before parsing: the start says what it is about,
# and parse time grows with length. The full text is still stored.
MAX_PARSE_CHARS = 1000


class NluUnavailable(Exception):
    """The NLU service did not answer in time or answered with an error."""


@dataclass(frozen=True)
class Parse:
    intent: str
    confidence: float
    entities: list[dict] = field(default_factory=list)
    ranking: list[tuple[str, float]] = field(default_factory=list)


class NluClient:
    def __init__(self, base_url: str, token: str | None = None, timeout: float = 2.0) -> None:
        params = {"token": token} if token else None
        self._http = httpx.AsyncClient(base_url=base_url, params=params, timeout=timeout)

    async def parse(self, text: str) -> Parse:
        try:
            response = await self._http.post("/model/parse", json={"text": text[:MAX_PARSE_CHARS]})
            response.raise_for_status()
            body = response.json()
        except (httpx.HTTPError, ValueError) as exc:
            raise NluUnavailable(f"{type(exc).__name__}: {exc}") from exc
        intent = body.get("intent") or {}
        return Parse(
            intent=intent.get("name") or "",
            confidence=float(intent.get("confidence") or 0.0),
            entities=body.get("entities") or [],
            ranking=[(r["name"], float(r["confidence"])) for r in body.get("intent_ranking") or []],
        )

    async def aclose(self) -> None:
        await self._http.aclose()

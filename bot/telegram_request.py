"""python-telegram-bot's requests to the Bot API, made with aiohttp instead of httpx.

Why: at the evening peak every message costs a getUpdates share, a sendMessage and an
NLU parse, and httpx spent about 2 ms of CPU per request where aiohttp spends about
0.6 ms (measured on this machine against a local server; with httpx, HTTP was a third
of the bot's CPU at 30 new chats/s). python-telegram-bot lets an application bring its
own `BaseRequest`; the PTB team's own aiohttp version lives in ptbcontrib, which is not
on PyPI, so this is ours. What it must do is small: send a JSON or multipart body, give
back (status, body), and turn aiohttp's failures into PTB's `TimedOut`/`NetworkError`
(PTB itself reads Telegram's answer, `RetryAfter`, `Forbidden` and so on, from those).
"""

from __future__ import annotations

import asyncio

import aiohttp
from aiohttp.helpers import get_env_proxy_for_url
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData
from yarl import URL

Proxy = tuple[URL | None, aiohttp.BasicAuth | None]

# As PTB's own defaults for HTTPXRequest.
READ_TIMEOUT, WRITE_TIMEOUT, CONNECT_TIMEOUT, POOL_TIMEOUT = 5.0, 5.0, 5.0, 1.0
MEDIA_WRITE_TIMEOUT = 20.0


class AiohttpRequest(BaseRequest):
    """One connection pool of `pool_size` connections, opened by `initialize`."""

    def __init__(self, pool_size: int = 256, read_timeout: float | None = READ_TIMEOUT) -> None:
        self._pool_size = pool_size
        self._read_timeout = read_timeout
        self._session: aiohttp.ClientSession | None = None
        self._proxies: dict[tuple[str, str | None], Proxy] = {}

    @property
    def read_timeout(self) -> float | None:
        return self._read_timeout

    async def initialize(self) -> None:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=self._pool_size))

    async def shutdown(self) -> None:
        if self._session is not None and not self._session.closed:
            await self._session.close()

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: float | None = BaseRequest.DEFAULT_NONE,
        write_timeout: float | None = BaseRequest.DEFAULT_NONE,
        connect_timeout: float | None = BaseRequest.DEFAULT_NONE,
        pool_timeout: float | None = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        if self._session is None or self._session.closed:
            raise RuntimeError("This AiohttpRequest is not initialized")
        files = request_data.multipart_data if request_data else None
        unset = BaseRequest.DEFAULT_NONE  # not given for this call: the defaults
        read = self._read_timeout if read_timeout is unset else read_timeout
        write = (MEDIA_WRITE_TIMEOUT if files else WRITE_TIMEOUT) if write_timeout is unset else write_timeout
        connect = CONNECT_TIMEOUT if connect_timeout is unset else connect_timeout
        pool = POOL_TIMEOUT if pool_timeout is unset else pool_timeout
        # aiohttp has no write timeout of its own: the whole request gets connect + write + read.
        total = None if None in (read, write, connect, pool) else read + write + connect + pool
        timeout = aiohttp.ClientTimeout(total=total, connect=pool, sock_connect=connect, sock_read=read)
        proxy, proxy_auth = await self._proxy(URL(url))
        try:
            async with self._session.request(method, url, data=self._body(request_data), timeout=timeout,
                                             headers={"User-Agent": self.USER_AGENT},
                                             proxy=proxy, proxy_auth=proxy_auth) as response:
                return response.status, await response.read()
        except asyncio.TimeoutError as error:
            raise TimedOut from error
        except aiohttp.ClientError as error:
            raise NetworkError(f"aiohttp.{type(error).__name__}: {error}") from error

    async def _proxy(self, url: URL) -> Proxy:
        """The proxy the environment names for this host (HTTPS_PROXY, NO_PROXY, ...), as
        PTB's httpx default honoured them. Read once per host, as httpx does: aiohttp's own
        trust_env reads the environment and ~/.netrc in a thread on every request, which
        cost the event loop more than the request itself at the evening peak."""
        key = (url.scheme, url.host)
        if key not in self._proxies:
            try:
                self._proxies[key] = await asyncio.to_thread(get_env_proxy_for_url, url)
            except LookupError:  # no proxy for this host
                self._proxies[key] = (None, None)
        return self._proxies[key]

    @staticmethod
    def _body(request_data: RequestData | None) -> aiohttp.FormData | dict[str, str] | None:
        if request_data is None:
            return None
        if not request_data.multipart_data:
            return request_data.json_parameters  # sent form-encoded, as PTB's httpx version does
        form = aiohttp.FormData()
        for name, value in request_data.json_parameters.items():
            form.add_field(name, value)
        for name, (filename, content, mimetype) in request_data.multipart_data.items():
            form.add_field(name, content, filename=filename, content_type=mimetype)
        return form

"""Broen's requests to the Bot API (bot/telegram_request.py) against real sockets that
fail the way networks fail: python-telegram-bot must see its own TimedOut and
NetworkError, which the outbox retries (bot/outbox.py), never aiohttp's exceptions."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable

import pytest
import pytest_asyncio
from telegram.error import NetworkError, TimedOut

from bot.telegram_request import AiohttpRequest

Handler = Callable[[asyncio.StreamReader, asyncio.StreamWriter], Awaitable[None]]


@pytest_asyncio.fixture(loop_scope="session")
async def request_object() -> AsyncIterator[AiohttpRequest]:
    request = AiohttpRequest(read_timeout=0.5)
    await request.initialize()
    yield request
    await request.shutdown()


async def _serving(handler: Handler) -> tuple[asyncio.Server, str]:
    server = await asyncio.start_server(handler, "127.0.0.1", 0)
    return server, f"http://127.0.0.1:{server.sockets[0].getsockname()[1]}/botTOKEN/sendMessage"


async def _answer_ok(writer: asyncio.StreamWriter) -> None:
    """Telegram's answer to a successful call, then the connection closed."""
    body = b'{"ok":true,"result":true}'
    writer.write(b"HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Type: application/json\r\n"
                 b"Content-Length: %d\r\n\r\n%s" % (len(body), body))
    await writer.drain()
    writer.close()


async def test_an_answer_comes_back_as_status_and_body(request_object):
    async def answer(reader, writer):
        await reader.readuntil(b"\r\n\r\n")
        await _answer_ok(writer)

    server, url = await _serving(answer)
    async with server:
        assert await request_object.post(url, request_data=None) is True


async def test_a_server_that_never_answers_is_a_timeout(request_object):
    async def stall(reader, writer):
        await asyncio.sleep(5)

    server, url = await _serving(stall)
    async with server:
        with pytest.raises(TimedOut):
            await request_object.post(url, request_data=None)


async def test_a_dropped_connection_is_a_network_error(request_object):
    async def drop(reader, writer):
        await reader.readuntil(b"\r\n\r\n")
        writer.close()

    server, url = await _serving(drop)
    async with server:
        with pytest.raises(NetworkError) as failure:
            await request_object.post(url, request_data=None)
    assert not isinstance(failure.value, TimedOut)


async def test_a_proxy_named_in_the_environment_carries_the_requests(monkeypatch):
    """Behind a company or municipal proxy the bot still reaches Telegram."""
    seen: list[bytes] = []

    async def proxy(reader, writer):
        seen.append(await reader.readuntil(b"\r\n\r\n"))
        await _answer_ok(writer)

    server, proxy_url = await _serving(proxy)
    for name in ("NO_PROXY", "no_proxy", "http_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HTTP_PROXY", proxy_url.rsplit("/botTOKEN", 1)[0])
    request = AiohttpRequest(read_timeout=2.0)
    await request.initialize()
    try:
        async with server:
            for _ in range(2):
                assert await request.post("http://api.telegram.test/botTOKEN/getMe", request_data=None) is True
    finally:
        await request.shutdown()
    assert [head.split(b"\r\n")[0] for head in seen] == [b"POST http://api.telegram.test/botTOKEN/getMe HTTP/1.1"] * 2

"""Drawing (the monthly report's PDF, `/tal`'s chart) in a process of its own that ends
with the drawing: matplotlib and numpy take about 80 MB (measured), which the bot would
otherwise keep for the rest of its life, and a second or two of CPU, which would
otherwise hold up the event loop."""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import threading
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from multiprocessing.connection import wait


async def drawn(draw: Callable[..., bytes], *args: object) -> bytes:
    pool = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn"), initializer=end_with_the_bot)
    try:
        return await asyncio.get_running_loop().run_in_executor(pool, draw, *args)
    finally:
        # Waited for, in a thread: without the wait the worker, matplotlib loaded, lived on
        # until the next drawing (and outlived the bot); with it, it ends now.
        await asyncio.to_thread(pool.shutdown, wait=True)


def end_with_the_bot() -> None:
    """In the drawing process: end as soon as the bot does. A bot stopped hard in the
    middle of a drawing (a restart, a kill) never shuts its pool down, and the worker,
    matplotlib loaded, would run on as an orphan."""
    bot = multiprocessing.parent_process()
    if bot is not None:
        threading.Thread(target=_exit_when_gone, args=(bot.sentinel,), daemon=True).start()


def _exit_when_gone(sentinel: int) -> None:
    wait([sentinel])  # ready when the bot's process has ended
    os._exit(1)

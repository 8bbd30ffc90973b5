"""Persistence: models, the repository the core uses, and migrations."""

from bot.store.db import connect, upgrade
from bot.store.repository import Store

__all__ = ["Store", "connect", "upgrade"]

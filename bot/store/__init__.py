"""Persistence: models, the repository the core uses, and migrations."""

from bot.store.db import connect, upgrade
from bot.store.repository import Answered, Store

__all__ = ["Answered", "Store", "connect", "upgrade"]

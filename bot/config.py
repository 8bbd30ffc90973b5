"""Settings from the environment (and a local .env file, never committed)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from dotenv import load_dotenv
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE_URL = f"sqlite+aiosqlite:///{ROOT / 'var' / 'broen.sqlite3'}"


@dataclass(frozen=True)
class Settings:
    telegram_bot_token: str | None
    # A local Bot API server (or the tests' fake one), e.g. http://127.0.0.1:8081/bot
    telegram_base_url: str | None
    # The counsellors' Telegram supergroup with topics (a negative number, -100...).
    staff_chat_id: int | None
    staff_language: str
    # Webhook mode (production): the public HTTPS URL Telegram posts to, and the secret
    # Telegram sends along so that only Telegram can post. Unset: long polling.
    webhook_url: str | None
    webhook_secret: str | None
    webhook_port: int
    webhook_listen: str
    database_url: str
    # An NLU server run elsewhere; when unset the bot starts its own Rasa on loopback.
    nlu_url: str | None
    nlu_token: str | None
    nlu_timeout: float
    nlu_model: Path
    site_file: Path
    log_level: str
    # Messages, closed tickets and people inactive for longer than this are deleted daily.
    retention_days: int = 365
    # The bot's @username, for the posters' links (else asked of Telegram with the token).
    telegram_bot_username: str | None = None

    def __repr__(self) -> str:  # never print the token, even by accident
        database = make_url(self.database_url).render_as_string(hide_password=True)
        return f"Settings(database_url={database!r}, nlu_url={self.nlu_url!r}, staff_chat_id={self.staff_chat_id!r})"

    @classmethod
    def from_env(cls) -> Settings:
        load_dotenv(ROOT / ".env", override=False)
        env = os.environ
        return cls(
            telegram_bot_token=env.get("TELEGRAM_BOT_TOKEN") or None,
            telegram_base_url=env.get("TELEGRAM_BASE_URL") or None,
            staff_chat_id=int(env["STAFF_CHAT_ID"]) if env.get("STAFF_CHAT_ID") else None,
            staff_language=env.get("STAFF_LANGUAGE") or "da",
            webhook_url=env.get("WEBHOOK_URL") or None,
            webhook_secret=env.get("WEBHOOK_SECRET") or None,
            webhook_port=int(env.get("WEBHOOK_PORT") or 8443),
            webhook_listen=env.get("WEBHOOK_LISTEN") or "0.0.0.0",
            database_url=env.get("DATABASE_URL") or DEFAULT_DATABASE_URL,
            nlu_url=env.get("NLU_URL") or None,
            nlu_token=env.get("NLU_TOKEN") or None,
            nlu_timeout=float(env.get("NLU_TIMEOUT") or 2.0),
            nlu_model=Path(env.get("NLU_MODEL") or ROOT / "nlu" / "models" / "broen.tar.gz"),
            site_file=Path(env.get("SITE_FILE") or ROOT / "sites" / "example.yml"),
            log_level=env.get("LOG_LEVEL") or "WARNING",
            retention_days=int(env.get("RETENTION_DAYS") or 365),
            telegram_bot_username=env.get("TELEGRAM_BOT_USERNAME") or None,
        )

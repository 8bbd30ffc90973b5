"""Settings from the environment (and a local .env file, never committed)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from dotenv import load_dotenv

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE_URL = f"sqlite+aiosqlite:///{ROOT / 'var' / 'broen.sqlite3'}"


@dataclass(frozen=True)
class Settings:
    telegram_bot_token: str | None
    database_url: str
    # An NLU server run elsewhere; when unset the bot starts its own Rasa on loopback.
    nlu_url: str | None
    nlu_token: str | None
    nlu_timeout: float
    nlu_model: Path
    site_file: Path
    log_level: str

    def __repr__(self) -> str:  # never print the token, even by accident
        return f"Settings(database_url={self.database_url!r}, nlu_url={self.nlu_url!r})"

    @classmethod
    def from_env(cls) -> Settings:
        load_dotenv(ROOT / ".env", override=False)
        env = os.environ
        return cls(
            telegram_bot_token=env.get("TELEGRAM_BOT_TOKEN") or None,
            database_url=env.get("DATABASE_URL") or DEFAULT_DATABASE_URL,
            nlu_url=env.get("NLU_URL") or None,
            nlu_token=env.get("NLU_TOKEN") or None,
            nlu_timeout=float(env.get("NLU_TIMEOUT") or 2.0),
            nlu_model=Path(env.get("NLU_MODEL") or ROOT / "nlu" / "models" / "broen.tar.gz"),
            site_file=Path(env.get("SITE_FILE") or ROOT / "sites" / "example.yml"),
            log_level=env.get("LOG_LEVEL") or "WARNING",
        )

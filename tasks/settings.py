"""The one settings object. Every knob has a default, a ZHNEWS_* environment override
(e.g. ZHNEWS_BATCH_SIZE=200) and, where users need it, a CLI flag."""
from __future__ import annotations

import os
from pathlib import Path
from typing import Literal

from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DB = PROJECT_ROOT / "warehouse" / "zhnews.duckdb"
SEEDS_DIR = PROJECT_ROOT / "seeds"

Script = Literal["hans", "hant", "keep"]


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="ZHNEWS_", extra="ignore")

    db_path: Path = DEFAULT_DB
    script: Script = "hans"
    # Pages per batch: one Prefect task run per stage per batch (a task run costs ~30 ms).
    batch_size: int = 100
    workers: int = os.cpu_count() or 1
    # Per-page limit for the extractor, seconds.
    extract_timeout: float = 5.0
    # A cleaning rule that removes more than this share of a page's text is logged.
    rule_warn_share: float = 0.40
    # Texts shorter than this (characters, after cleaning) are not articles.
    min_article_chars: int = 80

    # Fetching (issue 4 fills these in).
    user_agent: str = "zhnews/0.1 (+https://github.com/zhnews)"
    allow_private_hosts: bool = False

    def with_overrides(self, **overrides: object) -> "Settings":
        """A copy with the CLI's explicit values (None means 'not given')."""
        given = {k: v for k, v in overrides.items() if v is not None}
        return self.model_copy(update=given)

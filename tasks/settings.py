"""The one settings object. Every knob has a default, a ZHNEWS_* environment override
(e.g. ZHNEWS_BATCH_SIZE=200) and, where users need it, a CLI flag."""
from __future__ import annotations

import os
import re
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict, SettingsError

from tasks.errors import ZhnewsError
from tasks.options import OPTIONS, Runner, Script

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DB = PROJECT_ROOT / "warehouse" / "zhnews.duckdb"

PREFECT_MIN_HEARTBEAT_SECONDS = 30  # Prefect's flows.heartbeat_frequency is ge=30

def bundled_seeds() -> Path:
    """seeds/ of the checkout; without one (zhnews installed from a wheel, e.g. on a Prefect
    worker), the copy installed with the package (package data of `tasks`, pyproject.toml)."""
    checkout = PROJECT_ROOT / "seeds"
    return checkout if checkout.is_dir() else Path(str(resources.files("tasks") / "seeds"))


SEEDS_DIR = bundled_seeds()


def option(name: str, **limits: Any) -> Any:
    """A field with the option's default and description (tasks/options.py) and its limits."""
    default, description = OPTIONS[name]
    return Field(limits.pop("default", default), description=description, **limits)


class Settings(BaseSettings):
    # allow_inf_nan=False: "nan" or "inf" as a time limit or share would turn the check off.
    model_config = SettingsConfigDict(env_prefix="ZHNEWS_", extra="ignore", allow_inf_nan=False)

    # option(): the default and description of tasks/options.py (what the CLI's --help and
    # the Prefect UI's run form show), with the limits here.
    db_path: Path = option("db_path", default=DEFAULT_DB)
    script: Script = option("script")
    # Pages per batch: each batch costs ~7 Prefect task runs (~30 ms each on the server), so
    # 250 keeps Prefect under 1 ms a page; four batches in flight stay under ~150 MB.
    batch_size: int = option("batch_size", ge=1)
    workers: int = option("workers", ge=1)
    # Where extract, clean and normalise run: "local" (the worker processes above) or "dask"
    # (a Dask cluster through prefect-dask: dask_address, e.g. tcp://10.0.0.5:8786, or
    # without one a local cluster of `workers` processes). Dedup and load stay with the flow.
    runner: Runner = option("runner")
    dask_address: str | None = option("dask_address")
    extract_timeout: float = option("extract_timeout", gt=0.0)
    # A cleaning rule that removes more than this share of a page's text is logged.
    rule_warn_share: float = Field(0.40, gt=0.0, le=1.0)
    # A run whose rejected share of the inputs it processed (unchanged ones not counted) is
    # above this emits the Prefect event zhnews.run.rejections-high (README: Data-quality alerts).
    alert_rejection_share: float = Field(0.5, gt=0.0, le=1.0)
    # Texts shorter than this (characters, after cleaning) are not articles. Low, because
    # tasks/pagekind.py has already judged the page an article from its structure: a brief
    # is ~40-100 characters, and a post's whole body may be one contact line of 18.
    min_article_chars: int = Field(10, ge=0)
    # Near duplicates: Jaccard similarity of character 5-gram sets at or above which two
    # texts are one story (LSH bands follow it); MinHash slots per signature (a power of two).
    # 0.4, not 0.8: rewording a share f of a text caps 5-gram Jaccard at (1-f)/(1+f); in
    # bench/dedup.py reposts with 5-20% reworded score 0.32-0.87 against their original,
    # unrelated stories written to one formula at most 0.28, and 0.8 links 4.6% of pairs.
    dedup_threshold: float = option("dedup_threshold", gt=0.0, le=1.0)
    dedup_num_perm: int = Field(128, ge=16, le=1024)
    # DuckDB's memory limit for the writable warehouse connection. Its default (80% of RAM)
    # lets its buffer cache grow with the warehouse; the pipeline streams, so it needs little.
    duckdb_memory_limit: str = Field("512MB", pattern=r"^\s*\d+(\.\d+)?\s*[KMGT]i?B\s*$")
    # Seconds a run waits for the warehouse (another run writing it, or a reader holding the
    # file) before it fails naming the other process. A run holds the file only while it
    # commits a batch, but another run's whole length.
    warehouse_wait: float = option("warehouse_wait", ge=0.0)

    # Fetching: robots.txt is read for this user agent (its first word, e.g. "zhnews").
    user_agent: str = option("user_agent")
    # Hosts resolving to private, loopback, link-local or reserved addresses are refused
    # (also after a redirect) unless all are allowed or the host is listed here (intranet).
    allow_private_hosts: bool = option("allow_private_hosts")
    private_hosts_allowed: list[str] = []
    fetch_concurrency: int = Field(16, ge=1)  # requests in flight in all
    fetch_per_host: int = Field(2, ge=1)  # requests in flight to one host
    # Seconds between request starts to one host; a longer robots.txt Crawl-delay wins.
    fetch_delay: float = Field(1.0, ge=0.0)
    fetch_timeout: float = Field(30.0, gt=0.0)  # seconds for one request: connect, headers and the whole body
    fetch_retries: int = Field(3, ge=0)  # on connection errors, timeouts, 5xx and 429
    fetch_backoff: float = Field(1.0, ge=0.0)  # first retry's wait in seconds; doubles each retry, with jitter
    fetch_retry_after_max: float = Field(120.0, ge=0.0)  # a longer Retry-After ends the URL as a rejection
    # Seconds one host may go without answering (timeouts, connection errors, summed over
    # its requests) before its remaining URLs are rejected at once: a dead host would
    # otherwise cost each URL fetch_timeout times the attempts.
    fetch_host_budget: float = Field(300.0, gt=0)
    # Prefect retries of a whole fetch batch whose task failed (not one URL: fetch_retries
    # covers those): delays double from fetch_task_retry_delay seconds, jittered.
    fetch_task_retries: int = Field(2, ge=0)
    fetch_task_retry_delay: float = Field(10.0, ge=0.0)
    max_redirects: int = Field(5, ge=0)
    max_body_bytes: int = Field(10 * 1024 * 1024, gt=0)  # bodies are streamed and cut here (10 MB)
    max_file_bytes: int = Field(10 * 1024 * 1024, gt=0)  # a larger local .html/.txt file is rejected
    crawl_max_pages: int = option("crawl_max_pages", ge=1)
    # Extra regular expressions for article URLs of a site the built-in patterns miss.
    crawl_article_patterns: list[str] = []

    # Operating a run (issue 18). Seconds between the flow run's heartbeat events, which a
    # Prefect automation watches to mark a killed run CRASHED (`zhnews automations install`);
    # 0 turns them off. Prefect refuses fewer than 30.
    heartbeat_seconds: int = Field(30, ge=0, le=86400)
    # Prefect retries of a whole flow run that failed (the warehouse busy, the API gone for a
    # moment); a retry skips what the failed attempt finished. Seconds before each retry.
    flow_retries: int = Field(1, ge=0, le=10)
    flow_retry_delay: int = Field(30, ge=0)
    # Seconds a flow run may take before Prefect fails it (TimedOut); None: no limit.
    flow_timeout: float | None = Field(None, gt=0.0)

    @field_validator("heartbeat_seconds")
    @classmethod
    def heartbeat_off_or_prefects_minimum(cls, value: int) -> int:
        if 0 < value < PREFECT_MIN_HEARTBEAT_SECONDS:
            raise ValueError(f"must be 0 (off) or at least {PREFECT_MIN_HEARTBEAT_SECONDS} "
                             "(Prefect's shortest heartbeat interval)")
        return value

    def __init__(self, **values: object):
        # Checked at the door: a bad value is one line naming the ZHNEWS_* variable or the
        # flag (names in _flags came from the command line).
        flags = set(values.pop("_flags", ()))
        try:
            super().__init__(**values)
        except ValidationError as exc:
            raise settings_error(exc, flags) from None
        except SettingsError as exc:  # a list setting whose value is not JSON
            field = re.search(r'field "(\w+)"', str(exc))
            name = f"ZHNEWS_{field.group(1).upper()}" if field else "a ZHNEWS_* variable"
            raise ZhnewsError(f"{name}={os.environ.get(name, '')!r}: not valid JSON "
                              '(give a JSON list, e.g. ["a", "b"])', stage="settings") from None

    def with_overrides(self, **overrides: object) -> "Settings":
        """A copy with the CLI's explicit values (None means 'not given'), checked by the
        same constraints as the environment's."""
        given = {k: v for k, v in overrides.items() if v is not None}
        if not given:
            return self
        return type(self)(**{**self.model_dump(), **given}, _flags=given.keys())


FLAG_OF_SETTING = {"crawl_max_pages": "--max-pages", "db_path": "--db", "warehouse_wait": "--wait"}


def settings_error(exc: ValidationError, flags: set[str]) -> ZhnewsError:
    """One line for the first bad value: `--batch-size -5: ...` or `ZHNEWS_BATCH_SIZE='-5': ...`."""
    first = exc.errors()[0]
    name = str(first["loc"][0]) if first["loc"] else "?"
    flag = FLAG_OF_SETTING.get(name, f"--{name.replace('_', '-')}")
    shown = (f"{flag} {first.get('input')}" if name in flags
             else f"ZHNEWS_{name.upper()}={first.get('input')!r}")
    message = first["msg"][:1].lower() + first["msg"][1:]
    return ZhnewsError(f"{shown}: {message}", stage="settings")


def effective_defaults() -> Settings:
    """The settings a run gets without flags or parameters: the ZHNEWS_* variables and the
    defaults above. With a bad variable, the defaults above: the run itself then refuses it."""
    try:
        return Settings()
    except ZhnewsError:
        return Settings.model_construct()


def resolved(settings: Settings, **run: Any) -> dict[str, Any]:
    """What a run ran with, for its `runs` row: every setting (paths absolute), what the run
    was given besides (inputs, with relative paths made absolute), where it ran, versions."""
    import platform
    import sys
    from importlib.metadata import PackageNotFoundError, version

    def package_version(name: str) -> str | None:
        try:
            return version(name)
        except PackageNotFoundError:
            return None

    values = settings.model_dump(mode="json")
    values["db_path"] = os.path.abspath(settings.db_path)
    return {**values, **run, "working_directory": os.getcwd(), "zhnews_version": package_version("zhnews"),
            "prefect_version": package_version("prefect"), "python_version": platform.python_version(),
            "executable": sys.executable}

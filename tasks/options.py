"""The options a user sets (CLI flags, flow parameters, ZHNEWS_* variables): their choices,
defaults and descriptions, in plain Python, so the CLI builds its flags from them before it
imports pydantic (its start-up overlaps the temporary Prefect server's). tasks/settings.py
types them, with their limits, into the one Settings object; flows/parameters.py types the
flows' parameters from Settings (the Prefect UI's run form shows these descriptions)."""
from __future__ import annotations

import os
from typing import Literal, NamedTuple, get_args

# The OpenCC targets zhnews writes: Simplified (t2s, or tw2s for Traditional text; then hk2s),
# Traditional (s2t), or as the page.
Script = Literal["hans", "hant", "keep"]
Runner = Literal["local", "dask"]


class Option(NamedTuple):
    default: object
    description: str


OPTIONS = {
    "db_path": Option(None, "DuckDB file (default: ZHNEWS_DB_PATH, else warehouse/zhnews.duckdb in the "
                            "zhnews checkout or installation)"),
    "script": Option("hans", "output script: hans (Simplified), hant (Traditional), keep (as the page)"),
    "batch_size": Option(250, "pages per batch, each loaded in one transaction"),
    "workers": Option(os.cpu_count() or 1, "extraction worker processes (default: the number of cores)"),
    "runner": Option("local", "where extract, clean and normalise run: local worker processes, or a "
                              "Dask cluster (needs a Prefect server, PREFECT_API_URL)"),
    "dask_address": Option(None, "the Dask scheduler for runner dask, tcp://HOST:PORT (default: a local "
                                 "cluster of `workers` processes)"),
    "extract_timeout": Option(5.0, "per-page extraction time limit in seconds; a page over it is rejected"),
    "dedup_threshold": Option(0.4, "near-duplicate threshold: Jaccard similarity of character 5-grams, "
                                   "in (0, 1]"),
    "user_agent": Option("zhnews/0.1 (+https://github.com/zhnews)",
                         "User-Agent sent, and the name robots.txt rules are read for"),
    "allow_private_hosts": Option(False, "fetch hosts on private, loopback or link-local addresses "
                                         "(tests, intranets)"),
    "crawl_max_pages": Option(100, "article pages to fetch per crawl, seeds not counted"),
    "warehouse_wait": Option(300.0, "seconds a run waits for another run's hold on the warehouse "
                                    "before it fails"),
}


def choices(option: type) -> list[str]:
    """The values of a Literal option, for argparse."""
    return list(get_args(option))


def flag_help(name: str) -> str:
    """An option's description with its default, for its CLI flag."""
    default, description = OPTIONS[name]
    shown = default is not None and default is not False and "(default" not in description
    return f"{description} (default {default})" if shown else description

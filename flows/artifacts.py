"""What a flow run shows in the Prefect UI: per-stage counts and timings, gathered while
the run goes (RunMetrics), published at its end as a table and a markdown artifact."""
from __future__ import annotations

import re
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Callable, TypeVar

from urllib.parse import urlsplit

from tasks.clean import heavy_cleaning
from tasks.load import LoadCounts, without_credentials
from tasks.models import Rejection, RuleHits, StageResult

R = TypeVar("R")
SAMPLE_URLS = 3  # per rejection reason, in the markdown summary
TOP_REASONS = 10
# Artifact keys: each run adds a version, so the UI's Artifacts page shows the history.
TABLE_KEY = "{flow}-stage-counts"
SUMMARY_KEY = "{flow}-run-summary"


@dataclass
class RunSummary:
    run_id: str
    inputs: int = 0
    articles: int = 0
    duplicates: int = 0
    unchanged: int = 0
    rejections: Counter = field(default_factory=Counter)  # reason class -> count
    kept: int = 0  # of the rejected: inputs whose stored article was kept (articles.last_error)
    seconds: float = 0.0

    @property
    def rejected(self) -> int:
        return sum(self.rejections.values())


def reason_class(rejection: Rejection) -> str:
    """Group reasons for the summary: numbers and details in brackets vary per page."""
    reason = re.sub(r"\s*\(.*", "", without_credentials(rejection.reason))
    return f"{rejection.stage}: {re.sub(r'[0-9]+', 'N', reason)}"


@dataclass
class StageStats:
    batches: int = 0
    pages_in: int = 0
    passed: int = 0  # pages the stage handed on (for load: article rows written)
    rejected: int = 0
    seconds: float = 0.0  # wall time of the stage's task calls, Prefect's overhead included


@dataclass
class RunMetrics:
    """Counts and timings of one flow run's stages; thread-safe, as batches may overlap."""

    stages: dict[str, StageStats] = field(default_factory=dict)  # in pipeline order
    duplicates: int = 0
    samples: dict[str, list[str]] = field(default_factory=dict)  # reason class -> URLs
    rule_hits: dict[str, RuleHits] = field(default_factory=dict)  # cleaning rule -> what it removed
    heavy_cleaning: Counter = field(default_factory=Counter)  # rule -> pages it removed most of
    heavy_examples: dict[str, list[str]] = field(default_factory=dict)  # rule -> URLs
    site_articles: Counter = field(default_factory=Counter)  # site (host) -> articles loaded
    site_rejections: dict[str, Counter] = field(default_factory=dict)  # site -> stage -> rejections
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def stage(self, name: str, pages_in: int, call: Callable[..., R], *args, **kwargs) -> R:
        """Run one stage call over a batch, counting what went in, on and out."""
        started = time.perf_counter()
        result = call(*args, **kwargs)
        seconds = time.perf_counter() - started
        passed, rejected = pages_in, 0
        if isinstance(result, StageResult):
            passed, rejected = len(result.items), len(result.rejections)
        elif isinstance(result, LoadCounts):
            passed = result.articles
        with self._lock:
            stats = self.stages.setdefault(name, StageStats())
            stats.batches += 1
            stats.pages_in += pages_in
            stats.passed += passed
            stats.rejected += rejected
            stats.seconds += seconds
            if isinstance(result, LoadCounts):
                self.duplicates += result.duplicates
            if isinstance(result, StageResult):
                for rule, hits in result.rule_hits.items():
                    self.rule_hits.setdefault(rule, RuleHits()).add(hits)
        return result

    def stage_rows(self) -> list[tuple[str, int, int, int, int, float]]:
        """(stage, batches, pages in, pages out, rejected, seconds), in pipeline order."""
        return [(name, s.batches, s.pages_in, s.passed, s.rejected, s.seconds) for name, s in self.stages.items()]

    def rule_rows(self) -> list[tuple[str, int, int]]:
        """(rule, characters removed, pages touched), for the run's rule_hits rows."""
        return [(rule, hits.chars, hits.pages) for rule, hits in self.rule_hits.items()]

    def rejections(self, rejections: list[Rejection]) -> None:
        """Keep a few sample URLs per reason for the summary."""
        with self._lock:
            for rejection in rejections:
                urls = self.samples.setdefault(reason_class(rejection), [])
                if len(urls) < SAMPLE_URLS:
                    urls.append(without_credentials(rejection.url))
                site = site_of(rejection.url)
                if site:
                    self.site_rejections.setdefault(site, Counter())[rejection.stage] += 1

    def loaded(self, urls: list[str]) -> None:
        """The URLs of a batch's loaded articles, counted by site."""
        with self._lock:
            self.site_articles.update(site for site in map(site_of, urls) if site)

    def failed_sites(self) -> dict[str, Counter]:
        """Sites (fetched pages' hosts) none of whose pages became an article this run:
        site -> rejections by stage."""
        with self._lock:
            return {site: stages for site, stages in sorted(self.site_rejections.items())
                    if not self.site_articles[site]}

    def cleaning_warnings(self, warnings: list[str]) -> list[str]:
        """Count the heavy-cleaning warnings of a batch by rule (a few URLs kept for the
        run's one summary line); returns the other warnings."""
        others = []
        with self._lock:
            for warning in warnings:
                heavy = heavy_cleaning(warning)
                if heavy is None:
                    others.append(warning)
                    continue
                rule, url = heavy
                self.heavy_cleaning[rule] += 1
                examples = self.heavy_examples.setdefault(rule, [])
                if len(examples) < SAMPLE_URLS:
                    examples.append(without_credentials(url))
        return others

    def heavy_cleaning_line(self, warn_share: float) -> str | None:
        """One line for the run: pages per rule that removed more than warn_share of a
        page's text, with example URLs; None when no rule did."""
        if not self.heavy_cleaning:
            return None
        rules = "; ".join(f"{rule} on {pages} page{'s' * (pages != 1)} (e.g. {', '.join(self.heavy_examples[rule])})"
                          for rule, pages in self.heavy_cleaning.most_common())
        return (f"heavy cleaning: {sum(self.heavy_cleaning.values())} times a rule removed more than "
                f"{warn_share * 100:g}% of a page's text: {rules}")


def site_of(url: str) -> str | None:
    """The host of a fetched page's URL (http, https); None for a local file."""
    parts = urlsplit(url)
    return parts.hostname if parts.scheme in ("http", "https") else None


_runs: dict[str, RunMetrics] = {}
_runs_lock = threading.Lock()


def metrics_for(run_id: str) -> RunMetrics:
    """The metrics of a run in this process (flows pass their run_id down to the batches)."""
    with _runs_lock:
        return _runs.setdefault(run_id, RunMetrics())


def release(run_id: str) -> RunMetrics:
    with _runs_lock:
        return _runs.pop(run_id, None) or RunMetrics()


# Rows of the table artifact: (label, stage key or None). Stage labels say what passed on.
STAGE_ROWS = [("fetched", "fetch"), ("read", "read"), ("decoded", "decode"), ("extracted", "extract"),
              ("cleaned", "clean"), ("normalised", "normalise"), ("deduplicated", "dedup"),
              ("loaded (article rows)", "load")]


def stage_table(summary: RunSummary, metrics: RunMetrics) -> list[dict[str, object]]:
    """One row per count: inputs, each stage's output and time, duplicates, rejections by reason."""
    def row(what: str, pages: int, stats: StageStats | None = None) -> dict[str, object]:
        return {"what": what, "pages": pages, "batches": stats.batches if stats else "",
                "rejected here": stats.rejected if stats else "",
                "seconds": round(stats.seconds, 2) if stats else ""}

    rows = [row("inputs", summary.inputs)]
    known = {key for _, key in STAGE_ROWS}
    for label, key in STAGE_ROWS:
        if key in metrics.stages:
            rows.append(row(label, metrics.stages[key].passed, metrics.stages[key]))
        if key == "read" or (key == "fetch" and "read" not in metrics.stages):
            rows.append(row("unchanged (skipped)", summary.unchanged))
    for key, stats in metrics.stages.items():  # stages added later still show up
        if key not in known:
            rows.append(row(key, stats.passed, stats))
    rows.append(row("duplicates", summary.duplicates))
    rows.append(row("rejected", summary.rejected))
    for reason, count in summary.rejections.most_common():
        rows.append(row(f"rejected · {reason}", count))
    rows.append({"what": "run total", "pages": summary.inputs, "batches": "", "rejected here": "",
                 "seconds": round(summary.seconds, 2)})
    return rows


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~])")


def md_text(text: str) -> str:
    """Data as plain markdown text: its markup characters (and a table's pipes) escaped,
    one line."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", " ".join(str(text).split()))


def md_code(text: str, in_table: bool = False) -> str:
    """Data as a code span: fenced by more backticks than it holds, one line; in a table
    cell its pipes escaped (GFM splits cells on them even inside code)."""
    text = " ".join(str(text).split())
    fence = "`" * (max((len(run) for run in re.findall(r"`+", text)), default=0) + 1)
    if in_table:
        text = text.replace("|", "\\|")
    padded = f" {text} " if text.startswith("`") or text.endswith("`") else text
    return f"{fence}{padded}{fence}"


def summary_markdown(flow: str, run_name: str, status: str, summary: RunSummary,
                     metrics: RunMetrics) -> str:
    lines = [f"# {flow} run {md_code(run_name)}: {md_text(status)}", "",
             f"**{summary.inputs}** inputs → **{summary.articles}** article rows "
             f"({summary.duplicates} of them duplicates), **{summary.rejected}** rejected, "
             f"{summary.unchanged} unchanged (skipped), in {summary.seconds:.1f} s.", ""]
    timed = [(key, stats) for key, stats in metrics.stages.items() if stats.seconds > 0]
    if timed:
        key, slowest = max(timed, key=lambda item: item[1].seconds)
        total = sum(stats.seconds for _, stats in timed)
        lines += [f"Slowest stage: **{key}**, {slowest.seconds:.1f} s "
                  f"({100 * slowest.seconds / total:.0f}% of stage time).", ""]
    if summary.rejections:
        lines += ["## Top rejection reasons", "", "| reason | pages | sample URLs |", "| --- | ---: | --- |"]
        for reason, count in summary.rejections.most_common(TOP_REASONS):
            urls = "<br>".join(md_code(url, in_table=True) for url in metrics.samples.get(reason, []))
            lines.append(f"| {md_text(reason)} | {count} | {urls} |")
    else:
        lines.append("No input was rejected.")
    lines += ["", f"Run id `{summary.run_id}`. Query its rows: "
              f"`zhnews query \"SELECT * FROM rejections WHERE run_id = '{summary.run_id}'\"`"]
    return "\n".join(lines)


def publish(flow: str, status: str, summary: RunSummary, metrics: RunMetrics, logger) -> None:
    """Create the run's artifacts; an API hiccup is logged, never fails the run."""
    from prefect.artifacts import create_markdown_artifact, create_table_artifact
    from prefect.runtime import flow_run

    run_name = flow_run.get_name() or summary.run_id
    try:
        create_table_artifact(stage_table(summary, metrics), key=TABLE_KEY.format(flow=flow),
                              description=f"{flow} `{run_name}`: pages per stage, rejections by "
                                          "reason, seconds per stage")
        create_markdown_artifact(summary_markdown(flow, run_name, status, summary, metrics),
                                 key=SUMMARY_KEY.format(flow=flow),
                                 description=f"{flow} `{run_name}`: summary, top rejection reasons")
    except Exception as exc:  # noqa: BLE001 - monitoring must not fail the data run
        logger.warning("could not publish the run's artifacts: %s", exc)


def tag_flow_run(flow: str, logger) -> None:
    """Tag the running flow run `zhnews`, its flow's name, and `scheduled` when a deployment's
    schedule created it, else `manual` (the CLI, a flow call, a deployment's Run button,
    `prefect deployment run`). Set through the API, not with prefect.tags(): those are copied
    onto every task run, and a tagged task run costs a concurrency-slot round trip to the server."""
    from prefect.client.orchestration import get_client
    from prefect.context import FlowRunContext
    from prefect.runtime import flow_run

    context = FlowRunContext.get()
    if context is not None and context.flow_run is not None:
        # From the run in hand: prefect.runtime reads the flow run back from the API.
        run = context.flow_run
        run_id, tags, scheduled = run.id, run.tags, run.auto_scheduled
    else:
        run_id, tags, scheduled = flow_run.get_id(), flow_run.get_tags(), False
    if not run_id:
        return
    tags = {*(tags or []), "zhnews", flow, "scheduled" if scheduled else "manual"}
    try:
        with get_client(sync_client=True) as client:
            client.update_flow_run(run_id, tags=sorted(tags))
    except Exception as exc:  # noqa: BLE001 - labels must not fail the data run
        logger.warning("could not tag the flow run: %s", exc)

"""Data-quality signals of a run as custom Prefect events, read back from a real `prefect
server`: a run that loaded no article, one that rejected more than the alert share, a site
none of whose pages became an article."""
from __future__ import annotations

import time
from collections import Counter
from pathlib import Path

import httpx

from flows.alerts import NO_ARTICLES, REJECTIONS_HIGH, SITE_ALL_FAILED, quality_events
from flows.artifacts import RunMetrics, RunSummary
from tasks.models import Rejection
from tests.conftest import rows, run_cli
from tests.webserver import serve


def zhnews_events(api: str, run_id: str, expected: int, seconds: float = 60) -> list[dict]:
    """The zhnews.* events whose payload names run_id, once `expected` of them arrived (the
    server persists events in the background)."""
    deadline = time.monotonic() + seconds
    found: list[dict] = []
    while time.monotonic() < deadline:
        answer = httpx.post(f"{api}/events/filter", json={"filter": {"event": {"prefix": ["zhnews."]}}, "limit": 50},
                            timeout=10)
        answer.raise_for_status()
        found = [e for e in answer.json()["events"] if e["payload"].get("run_id") == run_id]
        if len(found) >= expected:
            break
        time.sleep(0.5)
    return found


def test_a_run_that_loads_nothing_emits_its_data_quality_events(prefect_server, tmp_path: Path, db_path: Path):
    pages = tmp_path / "briefs"
    pages.mkdir()
    for number in range(3):
        (pages / f"brief{number}.txt").write_text(f"短讯{number}。", encoding="utf-8")  # too short: rejected
    site = serve({})  # every path 404
    try:
        listing = tmp_path / "urls.txt"
        listing.write_text(f"{site.url('/a.html')}\n{site.url('/b.html')}\n", encoding="utf-8")
        result = run_cli("ingest", str(pages), "--urls", str(listing), "--db", str(db_path),
                         "--allow-private-hosts", "--workers", "1",
                         env={"ZHNEWS_FETCH_DELAY": "0", "ZHNEWS_FETCH_RETRIES": "0"})
    finally:
        site.close()
    assert result.returncode == 0, result.stderr
    [(run_id,)] = rows(db_path, "SELECT run_id FROM runs")

    events = {e["event"]: e for e in zhnews_events(prefect_server, run_id, expected=3)}
    assert set(events) == {NO_ARTICLES, REJECTIONS_HIGH, SITE_ALL_FAILED}, events
    no_articles = events[NO_ARTICLES]
    assert no_articles["resource"]["prefect.resource.id"] == f"zhnews.run.{run_id}"
    assert f"prefect.flow-run.{run_id}" in {r["prefect.resource.id"] for r in no_articles["related"]}
    assert all(no_articles["payload"][k] == v for k, v in
               {"flow": "ingest", "status": "completed", "inputs": 5, "processed": 5, "articles": 0,
                "rejected": 5}.items()), no_articles["payload"]
    high = events[REJECTIONS_HIGH]["payload"]
    assert high["rejected_share"] == 1.0 and high["threshold"] == 0.5
    failed = events[SITE_ALL_FAILED]
    assert failed["resource"]["prefect.resource.id"] == "zhnews.site.127.0.0.1"
    assert failed["payload"]["pages"] == 2 and failed["payload"]["rejected_by_stage"] == {"fetch": 2}


def test_a_healthy_run_has_no_signal_and_the_share_is_a_setting():
    summary = RunSummary(run_id="r", inputs=10, articles=7, unchanged=0, rejections=Counter({"clean: x": 3}))
    metrics = RunMetrics()
    metrics.loaded(["https://a.example.cn/1.html"])
    metrics.rejections([Rejection("https://a.example.cn/2.html", "clean", "too short", None)])  # the site has an article too
    assert quality_events("ingest", "completed", summary, metrics, 0.5) == []
    assert [e.event for e in quality_events("ingest", "completed", summary, metrics, 0.25)] == [REJECTIONS_HIGH]
    # A rerun over finished inputs loads nothing: no signal.
    rerun = RunSummary(run_id="r2", inputs=10, unchanged=10)
    assert quality_events("ingest", "completed", rerun, RunMetrics(), 0.5) == []

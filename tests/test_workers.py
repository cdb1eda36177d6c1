"""The worker pool: real worker processes, the real extractor, and injected page functions
that hang, raise or kill their worker for marked pages (top-level, so workers import them)."""
from __future__ import annotations

import os
import signal
import sys
import threading
import time
from pathlib import Path

import pytest

from tasks.decode import decode_pages
from tasks.errors import ZhnewsError
from tasks.extract import extract_pages
from tasks.models import DecodedPage, Rejection
from tasks.read import discover_inputs, read_files
from tasks.settings import SEEDS_DIR
from tasks.workers import ProcessPool, extract_with

HANG, CRASH, RAISE, SLOW = "<!--hang-->", "<!--crash-->", "<!--raise-->", "<!--slow:"


def faulty_extract(page: DecodedPage):
    """Stands in for the extractor: misbehaves on marked pages, else returns the page's length."""
    if HANG in page.content:
        while True:
            time.sleep(1)
    if CRASH in page.content:
        os.kill(os.getpid(), signal.SIGSEGV)
    if RAISE in page.content:
        raise ValueError("bad page")
    if SLOW in page.content:  # announce the start in a file, then take long
        Path(page.content.split(SLOW, 1)[1].split("-->", 1)[0]).write_text(str(os.getpid()))
        time.sleep(60)
    return len(page.content)


def imported_modules(page: DecodedPage) -> list[str]:
    return sorted(m for m in sys.modules if m.split(".")[0] in {"prefect", "trafilatura"})


def page(n: int, content: str = "") -> DecodedPage:
    return DecodedPage(f"file:///tmp/p{n}.html", "html", f"<p>page {n}</p>{content}", "utf-8", 0, f"h{n}")


@pytest.fixture
def pool():
    with ProcessPool(2) as p:
        yield p


def test_results_line_up_with_the_in_process_extractor(pool: ProcessPool):
    raw = read_files(discover_inputs([SEEDS_DIR / "html"]).items)
    decoded = decode_pages(raw.items).items
    assert len(decoded) >= 5
    in_process = extract_pages(decoded)
    in_workers = extract_with(pool, decoded, timeout=30)
    assert [p.url for p in in_workers.items] == [p.url for p in in_process.items]
    assert [p.text for p in in_workers.items] == [p.text for p in in_process.items]
    assert in_workers.rejections == in_process.rejections


def test_workers_import_the_extractor_but_never_prefect(pool: ProcessPool):
    [modules] = pool.map_pages(imported_modules, [page(1)], timeout=30)
    assert "trafilatura" in modules
    assert not [m for m in modules if m.startswith("prefect")]


def test_a_hanging_page_times_out_and_the_batch_goes_on(pool: ProcessPool):
    pages = [page(0), page(1, HANG), *[page(n) for n in range(2, 8)]]
    before = set(pool.pids)
    results = pool.map_pages(faulty_extract, pages, timeout=1.0)
    hung = results[1]
    assert isinstance(hung, Rejection) and hung.reason.startswith("timeout")
    assert (hung.url, hung.stage, hung.input_hash) == (pages[1].url, "extract", "h1")
    assert [r for i, r in enumerate(results) if i != 1] == [len(p.content) for i, p in enumerate(pages) if i != 1]
    assert len(set(pool.pids) - before) == 1  # the hung worker was replaced
    # and the pool still works at full size
    assert pool.map_pages(faulty_extract, [page(n) for n in range(4)], timeout=5) == \
        [len(page(n).content) for n in range(4)]


def test_a_page_that_kills_its_worker_costs_only_that_page(pool: ProcessPool):
    pages = [page(0, CRASH), page(1), page(2, CRASH), page(3)]
    results = pool.map_pages(faulty_extract, pages, timeout=10)
    for crashed in (results[0], results[2]):
        assert isinstance(crashed, Rejection)
        assert crashed.reason == "extractor crashed (worker process killed by SIGSEGV)"
    assert results[1] == len(pages[1].content) and results[3] == len(pages[3].content)
    assert len(pool.pids) == 2


def test_an_exception_is_a_rejection_and_the_worker_lives_on(pool: ProcessPool):
    before = pool.pids
    results = pool.map_pages(faulty_extract, [page(0, RAISE), page(1)], timeout=10)
    assert isinstance(results[0], Rejection)
    assert results[0].reason == "extractor crashed (ValueError: bad page)"
    assert results[1] == len(page(1).content)
    assert pool.pids == before


def test_a_worker_killed_mid_batch_ends_its_page_as_crashed(tmp_path: Path):
    marker = tmp_path / "started"
    pages = [page(0), page(1, f"{SLOW}{marker}-->"), page(2), page(3)]
    with ProcessPool(1) as pool:
        def kill_when_started() -> None:
            deadline = time.monotonic() + 60
            while not marker.exists() and time.monotonic() < deadline:
                time.sleep(0.05)
            os.kill(int(marker.read_text()), signal.SIGKILL)

        killer = threading.Thread(target=kill_when_started)
        killer.start()
        results = pool.map_pages(faulty_extract, pages, timeout=120)
        killer.join()
        assert isinstance(results[1], Rejection)
        assert results[1].reason == "extractor crashed (worker process killed by SIGKILL)"
        assert [results[0], results[2], results[3]] == [len(pages[i].content) for i in (0, 2, 3)]
        assert int(marker.read_text()) not in pool.pids


def test_a_worker_dead_between_pages_does_not_cost_a_page():
    with ProcessPool(1) as pool:
        assert pool.map_pages(faulty_extract, [page(0)], timeout=30) == [len(page(0).content)]
        [pid] = pool.pids
        os.kill(pid, signal.SIGKILL)
        time.sleep(0.2)
        pages = [page(n) for n in range(3)]
        assert pool.map_pages(faulty_extract, pages, timeout=30) == [len(p.content) for p in pages]


def test_fewer_than_one_worker_is_refused():
    with pytest.raises(ZhnewsError, match="at least 1"):
        ProcessPool(0)


def test_workers_beyond_prestart_start_only_when_a_batch_needs_them():
    with ProcessPool(2, prestart=1) as pool:
        assert len(pool.pids) == 1
        assert pool.map_pages(faulty_extract, [page(0)], timeout=30) == [len(page(0).content)]
        assert len(pool.pids) == 1  # one page: no second worker
        pages = [page(n) for n in range(4)]
        assert pool.map_pages(faulty_extract, pages, timeout=30) == [len(p.content) for p in pages]
        assert len(pool.pids) == 2


def crash_on_batch(batch: list) -> int:
    os.kill(os.getpid(), signal.SIGSEGV)


def crash_in_a_worker(batch: list) -> int:
    if os.getpid() != int(os.environ["ZHNEWS_TEST_PARENT_PID"]):
        os.kill(os.getpid(), signal.SIGSEGV)
    return os.getpid()


def worker_pid(batch: list) -> int:
    return os.getpid()


def test_clean_and_normalise_on_the_stages_worker_match_this_process(monkeypatch):
    from flows.stages import clean_task, normalise_task
    from tasks.clean import clean_pages
    from tasks.normalise import normalise_articles
    from tasks.workers import STAGES_PRELOAD, run_stage

    raw = read_files(discover_inputs([SEEDS_DIR]).items)
    extracted = extract_pages(decode_pages(raw.items).items).items
    assert len(extracted) >= 10
    monkeypatch.setenv("ZHNEWS_TEST_PARENT_PID", str(os.getpid()))  # before the worker starts
    with ProcessPool(1, preload=STAGES_PRELOAD) as stages:
        [pid] = {run_stage(stages, worker_pid, extracted) for _ in range(2)}  # one worker, kept
        assert pid != os.getpid()
        cleaned = clean_task.fn(extracted, 1, min_chars=80, warn_share=0.4, executor=stages)
        here = clean_pages(extracted, min_chars=80, warn_share=0.4)
        assert cleaned.items == here.items and cleaned.rejections == here.rejections
        assert cleaned.warnings == here.warnings
        normalised = normalise_task.fn(cleaned.items, 1, script="hans", executor=stages)
        assert normalised.items == normalise_articles(here.items, target="hans").items
        assert {a.source_script for a in normalised.items} >= {"hans", "hant"}
        # A worker that dies on a batch costs nothing: the batch runs here instead...
        assert stages.run_batch(crash_on_batch, extracted, timeout=30) is None
        assert run_stage(stages, crash_in_a_worker, extracted) == os.getpid()
        # ...and the next batch has a new worker.
        assert run_stage(stages, worker_pid, extracted) not in (pid, os.getpid())


def test_text_pages_pass_through_without_a_worker():
    text = DecodedPage("file:///tmp/a.txt", "text", "已经提取的正文。", "utf-8", 0, "h")
    with ProcessPool(1, prestart=0) as idle:
        result = extract_with(idle, [text, text], timeout=5)
        assert [p.text for p in result.items] == ["已经提取的正文。"] * 2
        assert idle.pids == []  # no worker was started for them

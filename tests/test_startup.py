"""Start-up without a Prefect server: zhnews starts Prefect's temporary server itself, early,
and the CLI process never imports Prefect's server; the run is recorded all the same."""
from __future__ import annotations

import json
import os
import re
import sqlite3
import subprocess
import sys
from pathlib import Path

from flows.temporary_server import needed
from tests.conftest import ROOT

PAGE = sorted((ROOT / "seeds" / "texts").glob("*.txt"))[0]
STAGES = {"read", "decode", "extract", "clean", "normalise", "dedup", "load"}


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_temporary_server_only_where_prefect_would_start_one(tmp_path):
    home, cwd = tmp_path / "home", tmp_path / "cwd"
    cwd.mkdir()
    env = {"PREFECT_HOME": str(home)}
    assert needed(env, cwd)  # no profiles file: Prefect's bundled default, no API URL
    assert not needed({**env, "PREFECT_API_URL": "http://127.0.0.1:4200/api"}, cwd)
    assert not needed({**env, "PREFECT_SERVER_EPHEMERAL_ENABLED": "false"}, cwd)

    write(home / "profiles.toml", 'active = "ephemeral"\n[profiles.ephemeral]\n'
                                  '[profiles.local]\nPREFECT_API_URL = "http://127.0.0.1:4200/api"\n')
    assert needed(env, cwd)  # another profile's URL does not count
    assert not needed({**env, "PREFECT_PROFILE": "local"}, cwd)
    write(home / "profiles.toml", 'active = "local"\n'
                                  '[profiles.local]\nPREFECT_API_URL = "http://127.0.0.1:4200/api"\n')
    assert not needed(env, cwd)

    # Settings files zhnews does not read: Prefect decides (and starts its own if needed).
    other = tmp_path / "other-home"
    assert needed({"PREFECT_HOME": str(other)}, cwd)
    write(cwd / "prefect.toml", '[api]\nurl = "http://127.0.0.1:4200/api"\n')
    assert not needed({"PREFECT_HOME": str(other)}, cwd)
    (cwd / "prefect.toml").unlink()
    write(cwd / "pyproject.toml", '[tool.prefect.api]\nurl = "http://127.0.0.1:4200/api"\n')
    assert not needed({"PREFECT_HOME": str(other)}, cwd)
    write(cwd / "pyproject.toml", '[project]\nname = "x"\n')
    assert needed({"PREFECT_HOME": str(other)}, cwd)


def test_ingest_without_a_server_is_recorded_and_the_cli_never_imports_prefect_server(tmp_path):
    home = tmp_path / "prefect-home"
    db = tmp_path / "zhnews.duckdb"
    env = {**os.environ, "PREFECT_HOME": str(home)}
    env.pop("PREFECT_API_URL", None)  # the session's prefect_server fixture may have set it
    zhnews = Path(sys.executable).parent / "zhnews"
    done = subprocess.run([sys.executable, "-X", "importtime", str(zhnews), "ingest", str(PAGE), "--db", str(db)],
                          capture_output=True, text=True, env=env, cwd=ROOT, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    assert "articles loaded" in done.stdout
    assert "Prefect UI" not in done.stdout  # no link to a server that stops with the command
    imported = re.findall(r"^import time:.*\| +(\S+)$", done.stderr, re.MULTILINE)
    assert "prefect.flows" in imported  # the flow ran in this process...
    assert not [m for m in imported if m.startswith("prefect.server")]  # ...its server did not

    # The temporary server wrote the run to PREFECT_HOME's database, as Prefect's own does.
    with sqlite3.connect(home / "prefect.db") as con:
        runs = con.execute("SELECT id, name, state_type, tags FROM flow_run").fetchall()
        assert len(runs) == 1
        run_id, name, state, tags = runs[0]
        assert state == "COMPLETED" and name.startswith("ingest-")
        assert {"zhnews", "ingest", "manual"} <= set(json.loads(tags))
        tasks = con.execute("SELECT name, state_type FROM task_run WHERE flow_run_id = ?", (run_id,)).fetchall()
        assert {name.split("-batch-")[0] for name, _ in tasks} == STAGES
        assert {state for _, state in tasks} == {"COMPLETED"}
        keys = {key for (key,) in con.execute("SELECT key FROM artifact WHERE flow_run_id = ?", (run_id,))}
        assert keys == {"ingest-stage-counts", "ingest-run-summary"}

    stats = subprocess.run([str(zhnews), "stats", "--db", str(db)], capture_output=True, text=True,
                           env=env, cwd=ROOT, timeout=120)
    assert stats.returncode == 0, stats.stderr[-2000:]


def test_an_extraction_worker_starts_early_only_for_inputs_that_may_hold_html(tmp_path):
    from flows.cli import build_parser, may_need_extraction

    text = write(tmp_path / "a.txt", "正文")
    html = write(tmp_path / "b.html", "<p>正文</p>")
    urls = write(tmp_path / "urls.txt", "https://news.example.cn/1.html\n")
    parse = build_parser().parse_args
    assert not may_need_extraction(parse(["ingest", str(text)]))
    assert may_need_extraction(parse(["ingest", str(text), str(html)]))
    assert may_need_extraction(parse(["ingest", str(tmp_path)]))  # a directory may hold HTML
    assert may_need_extraction(parse(["ingest"]))  # the bundled seeds/
    assert may_need_extraction(parse(["ingest", "--urls", str(urls)]))

"""Issue 14, "never lose an article": the core cases of the fault suite (bench/faults.py),
each through the real CLI code and real Prefect flow runs (session Prefect server), against
real HTTP servers on 127.0.0.1, into a real DuckDB file. Every case also checks that no
duplicate_of names a missing article."""
from __future__ import annotations

from pathlib import Path

import pytest

from bench.faults import CASES, run_case

CORE = [case for case in CASES if case.core]


@pytest.mark.parametrize("case", CORE, ids=[case.name for case in CORE])
def test_fault_case_holds(prefect_server, tmp_path: Path, case):
    assert run_case(case, tmp_path, in_process=True) == []

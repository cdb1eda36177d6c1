"""Write bench/real/SOURCES.tsv from the gold files' `origin` (one row per page).

    .venv/bin/python bench/real/make_sources.py
"""
from __future__ import annotations

import csv
import json
from pathlib import Path

HERE = Path(__file__).resolve().parent
COLUMNS = ("id", "repo", "commit", "path", "licence", "kind", "is_article", "encoding", "script", "gold_origin")


def main() -> None:
    rows = []
    for path in sorted((HERE / "gold").glob("*.json")):
        gold = json.loads(path.read_text(encoding="utf-8"))
        origin = gold["origin"]
        rows.append({"id": gold["id"], "repo": origin["repo"], "commit": origin["commit"], "path": origin["path"],
                     "licence": origin["licence"], "kind": gold["kind"], "is_article": gold["is_article"],
                     "encoding": gold["encoding"], "script": gold["script"], "gold_origin": gold["gold_origin"]})
    with open(HERE / "SOURCES.tsv", "w", encoding="utf-8", newline="") as out:
        writer = csv.DictWriter(out, COLUMNS, delimiter="\t", lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    print(f"{len(rows)} pages in SOURCES.tsv")


if __name__ == "__main__":
    main()

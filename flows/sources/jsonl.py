"""JSON Lines of already-extracted articles, one `{"url", "title", "published", "text"}`
object a line (as datatrove and dolma write them): they enter the pipeline at clean, with
their title and date, and are cleaned, normalised, deduplicated and loaded like any page.
A line that is not such an object becomes a rejection naming the file and line."""
from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from pathlib import Path

from flows.sources.base import Batch, Source, SourceRun
from tasks.models import ExtractedPage, Rejection, StageResult

STAGE = "read"
SUFFIX = ".jsonl"


def record_page(line: bytes) -> ExtractedPage | str:
    """One line as an extracted page, or why it is not one."""
    try:
        record = json.loads(line.decode("utf-8"))
    except UnicodeDecodeError as exc:
        return f"not UTF-8 (byte {exc.start} of the line)"
    except json.JSONDecodeError as exc:
        return f"not JSON: {exc.msg} at column {exc.colno}"
    if not isinstance(record, dict):
        return f"not a JSON object but {type(record).__name__}"
    url, text = record.get("url"), record.get("text")
    if not isinstance(url, str) or not url.strip():
        return 'no "url" string: each line needs the article\'s URL'
    if not isinstance(text, str):
        return 'no "text" string: each line needs the article\'s text'
    optional = {key: record.get(key) for key in ("title", "published")}
    for key, value in optional.items():
        if value is not None and not isinstance(value, str):
            return f'"{key}" is {type(value).__name__}, not a string or null'
    return ExtractedPage(url=url.strip(), kind="text", text=text, title=optional["title"],
                         published_at=optional["published"], source=None, author=None, encoding="utf-8",
                         input_hash=hashlib.sha1(line).hexdigest())


def batches(run: SourceRun, paths: list[Path]) -> Iterator[Batch]:
    limit = run.settings.max_file_bytes  # per line: one article
    for path in paths:
        with open(path, "rb") as lines:
            line_no, pending = 0, StageResult[ExtractedPage]()
            while True:
                line = lines.readline(limit + 1)
                line_no += 1 if line else 0
                if len(line) > limit and not line.endswith(b"\n"):
                    while (rest := lines.readline(1 << 20)) and not rest.endswith(b"\n"):
                        pass  # skip the rest of the over-long line
                    pending.rejections.append(Rejection(f"{path.as_uri()}#line={line_no}", STAGE,
                                                        f"line over the {limit} byte limit (ZHNEWS_MAX_FILE_BYTES)"))
                elif line.strip():
                    page = record_page(line.strip())
                    if isinstance(page, str):
                        pending.rejections.append(Rejection(f"{path.as_uri()}#line={line_no}", STAGE, page,
                                                            hashlib.sha1(line.strip()).hexdigest()))
                    else:
                        pending.items.append(page)
                size = len(pending.items) + len(pending.rejections)
                if size and (size >= run.settings.batch_size or not line):
                    run.found(size)
                    yield Batch(run.next_batch_no(), size, extracted=pending)
                    pending = StageResult()
                if not line:
                    break


def claim(paths: list[Path]) -> tuple[list[Path], list[Path]]:
    """The .jsonl files named (directories are searched for pages, not for these)."""
    mine = [p for p in paths if p.name.lower().endswith(SUFFIX) and p.is_file()]
    return mine, [p for p in paths if p not in mine]


SOURCE = Source("jsonl", batches, claim=claim)

"""Stage 1, read: find input files and read their bytes."""
from __future__ import annotations

import hashlib
from pathlib import Path

from tasks.models import InputKind, InputRef, RawPage, Rejection, StageResult

STAGE = "read"
HTML_SUFFIXES = {".html", ".htm", ".shtml", ".xhtml"}
TEXT_SUFFIXES = {".txt"}


def input_kind(path: str) -> InputKind | None:
    suffix = Path(path).suffix.lower()
    if suffix in HTML_SUFFIXES:
        return "html"
    if suffix in TEXT_SUFFIXES:
        return "text"
    return None


def discover_inputs(paths: list[Path]) -> StageResult[InputRef]:
    """Expand files and directories (recursively) into inputs, in a stable order.

    Inside a directory only known page types are taken; a file named explicitly with an
    unknown type is rejected rather than skipped, so nothing the user asked for vanishes.
    """
    result: StageResult[InputRef] = StageResult()
    seen: set[str] = set()
    for given in paths:
        path = Path(given).expanduser().resolve()
        if path.is_dir():
            candidates = sorted(p for p in path.rglob("*") if p.is_file() and input_kind(str(p)))
        elif path.exists():
            candidates = [path]
        else:
            # Named and gone: the local answer of a 404, so a stored article of it is retired.
            result.rejections.append(Rejection(path.as_uri(), STAGE, "no such file or directory", retires=True))
            continue
        for file in candidates:
            url = file.as_uri()
            if url in seen:
                continue
            seen.add(url)
            if input_kind(str(file)) is None:
                result.rejections.append(Rejection(
                    url, STAGE, f"unsupported file type '{file.suffix or 'none'}' "
                    "(expected .html, .htm or .txt)"))
                continue
            result.items.append(InputRef(url=url, path=str(file)))
    return result


def body_hash(body: bytes) -> str:
    return hashlib.sha1(body).hexdigest()


def read_files(refs: list[InputRef]) -> StageResult[RawPage]:
    result: StageResult[RawPage] = StageResult()
    for ref in refs:
        assert ref.path is not None, "read_files takes local inputs"
        try:
            body = Path(ref.path).read_bytes()
        except OSError as exc:
            result.rejections.append(Rejection(ref.url, STAGE, f"cannot read file: {exc.strerror}"))
            continue
        kind = input_kind(ref.path) or "html"
        if not body.strip():
            result.rejections.append(Rejection(ref.url, STAGE, "empty file", body_hash(body)))
            continue
        result.items.append(RawPage(url=ref.url, body=body, kind=kind, input_hash=body_hash(body)))
    return result


def skip_finished(pages: list[RawPage], finished: dict[str, str]) -> tuple[list[RawPage], int]:
    """Drop inputs an earlier run already turned into a row with these same bytes."""
    todo = [p for p in pages if finished.get(p.url) != p.input_hash]
    return todo, len(pages) - len(todo)

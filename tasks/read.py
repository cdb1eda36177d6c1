"""Stage 1, read: find input files and read their bytes."""
from __future__ import annotations

import errno
import hashlib
import os
import stat
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


def file_problem(path: Path) -> str | None:
    """Why path (a file named by the user or found in a directory) cannot be read as a
    page, or None for a regular file. Reading a FIFO or a device never ends, and a symlink
    loop raises where nobody catches it: they are rejected before anything opens them."""
    try:
        mode = os.stat(path).st_mode
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return "symlink loop: the path's links point back at each other"
        if exc.errno == errno.ENOENT and os.path.islink(path):
            return f"broken symlink: it points at {os.readlink(path)}, which does not exist"
        if exc.errno == errno.ENOENT:
            return "no such file or directory"
        return f"cannot read file: {exc.strerror}"
    if stat.S_ISREG(mode):
        return None
    what = ("a FIFO (named pipe)" if stat.S_ISFIFO(mode) else "a character device" if stat.S_ISCHR(mode)
            else "a block device" if stat.S_ISBLK(mode) else "a socket" if stat.S_ISSOCK(mode)
            else "a directory" if stat.S_ISDIR(mode) else "of an unknown kind")
    return f"not a regular file: {what}"


def _walk(root: Path, result: StageResult[InputRef]) -> list[Path]:
    """The known page types under root, sorted; a directory that cannot be listed, and a
    file of a known type that cannot be read (FIFO, device, broken link, loop), become
    rejections instead of vanishing."""
    found: list[Path] = []

    def unreadable(exc: OSError) -> None:
        where = Path(exc.filename) if exc.filename else root
        result.rejections.append(Rejection(where.as_uri(), STAGE, f"cannot read directory: {exc.strerror}"))

    for folder, _, names in os.walk(root, onerror=unreadable):  # symlinked directories not followed
        for name in names:
            if input_kind(name):
                found.append(Path(folder) / name)
    return sorted(found)


def discover_inputs(paths: list[Path]) -> StageResult[InputRef]:
    """Expand files and directories (recursively) into inputs, in a stable order.

    Inside a directory only known page types are taken; a file named explicitly with an
    unknown type is rejected rather than skipped, so nothing the user asked for vanishes.
    """
    result: StageResult[InputRef] = StageResult()
    seen: set[str] = set()
    for given in paths:
        path = Path(os.path.abspath(Path(given).expanduser()))  # not resolve(): it raises on a loop
        if os.path.isdir(path):
            candidates = _walk(path.resolve(), result)
        elif problem := file_problem(path):
            # Named and gone: the local answer of a 404, so a stored article of it is retired.
            gone = problem == "no such file or directory"
            result.rejections.append(Rejection(path.as_uri(), STAGE, problem, retires=gone))
            continue
        else:
            candidates = [path.resolve()]
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
            problem = file_problem(file)
            if problem:
                result.rejections.append(Rejection(url, STAGE, problem))
                continue
            result.items.append(InputRef(url=url, path=str(file)))
    return result


def body_hash(body: bytes) -> str:
    return hashlib.sha1(body).hexdigest()


def read_bytes_capped(path: str, max_bytes: int) -> bytes | str:
    """The file's bytes, or a reason it is not read: not a regular file (checked on the
    open file, so a file swapped for a FIFO after discovery cannot hang the run), or over
    max_bytes (a 100 MB page would take gigabytes in extraction)."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        return f"cannot read file: {exc.strerror}"
    with os.fdopen(fd, "rb") as stream:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            return file_problem(Path(path)) or "not a regular file"
        limit = f"over the {max_bytes} byte limit (ZHNEWS_MAX_FILE_BYTES)"
        if info.st_size > max_bytes:
            return f"too large: {info.st_size} bytes is {limit}"
        try:
            body = stream.read(max_bytes + 1)
        except OSError as exc:
            return f"cannot read file: {exc.strerror}"
        if len(body) > max_bytes:
            return f"too large: the file grew while read, {limit}"
        return body


def read_files(refs: list[InputRef], max_bytes: int = 10 * 1024 * 1024) -> StageResult[RawPage]:
    result: StageResult[RawPage] = StageResult()
    for ref in refs:
        assert ref.path is not None, "read_files takes local inputs"
        body = read_bytes_capped(ref.path, max_bytes)
        if isinstance(body, str):
            result.rejections.append(Rejection(ref.url, STAGE, body))
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

"""Read WARC files: each HTTP response record becomes a RawPage with its target URL,
status and headers; records are read in batches from a byte offset, so a large archive
streams through the pipeline and a batch can be read again on its own.

Only response records carry pages: request, metadata, warcinfo and revisit records (a
revisit says "same as an earlier capture" and has no payload) are passed over.
"""
from __future__ import annotations

import logging
import os
import stat
import zlib
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import urlsplit

from tasks.decode import parse_content_type
from tasks.models import RawPage, Rejection, StageResult
from tasks.read import body_hash

STAGE = "warc"
log = logging.getLogger("zhnews.warc")
GZIP_MAGIC = b"\x1f\x8b\x08"
HEAD_BYTES = 8192  # enough for a record's WARC header block
WARC_TYPES = {"warcinfo", "response", "resource", "request", "metadata", "revisit", "conversion",
              "continuation"}
SCAN_BYTES = 1 << 20  # read this much at a time looking for the next record
WARC_SUFFIXES = (".warc", ".warc.gz")
HTML_TYPES = {"text/html", "application/xhtml+xml", ""}


def is_warc(path: Path) -> bool:
    return path.name.lower().endswith(WARC_SUFFIXES)


def split_warc_paths(paths: list[Path]) -> tuple[list[Path], list[Path]]:
    """(WARC files, other paths). Directories are searched for WARC files too and stay in
    the other paths, for their .html/.txt files."""
    warcs: list[Path] = []
    others: list[Path] = []
    for path in paths:
        path = Path(path)
        if path.is_dir():
            warcs.extend(sorted(p for p in path.rglob("*") if p.is_file() and is_warc(p)))
            others.append(path)
        elif is_warc(path) and path.exists():  # a missing one is rejected by the read stage
            warcs.append(path)
        else:
            others.append(path)
    return list(dict.fromkeys(p.resolve() for p in warcs)), others


@dataclass
class WarcBatch:
    pages: StageResult[RawPage] = field(default_factory=StageResult)
    next_offset: int | None = None  # where the next batch starts; None at the end of the file
    records: int = 0  # response records read


def _iso(warc_date: str | None) -> str | None:
    if not warc_date:
        return None
    try:
        return datetime.fromisoformat(warc_date.replace("Z", "+00:00")).astimezone(timezone.utc).isoformat()
    except ValueError:
        return None


def _page(record, max_body_bytes: int, where: str) -> RawPage | Rejection:
    url = (record.rec_headers.get_header("WARC-Target-URI") or "").strip().strip("<>")
    http = record.http_headers
    code = (http.get_statuscode() or "") if http else ""
    if not code.isdigit():
        return Rejection(url, STAGE, f"damaged WARC record ({where}): HTTP status line "
                                     f"{http.statusline if http else ''!r} has no status code")
    status = int(code)
    headers = {}
    if http:
        for name, value in http.headers:
            name = name.lower()
            headers[name] = f"{headers[name]}, {value}" if name in headers else value
    if not 200 <= status < 300:
        return Rejection(url, STAGE, f"HTTP {status} {http.statusline.partition(' ')[2] if http else ''}".strip()
                         + " (archived response)")
    media_type, charset = parse_content_type(headers.get("content-type"))
    if media_type not in HTML_TYPES:
        return Rejection(url, STAGE, f"not HTML: content-type {media_type} (archived response)")
    # content_stream() undoes chunked and gzip transfer encodings, as a browser would.
    body = record.content_stream().read(max_body_bytes + 1)
    if len(body) > max_body_bytes:
        return Rejection(url, STAGE, f"too large: the archived body passed the {max_body_bytes} byte limit")
    # The body ended before the record's declared length: the file was cut short (a
    # partial page would load as a partial article).
    missing = getattr(record.raw_stream, "limit", 0)
    if missing > 0:
        return Rejection(url, STAGE, f"truncated WARC record: {record.length - missing} of its {record.length} "
                                     "bytes are in the file")
    if not body.strip():
        return Rejection(url, STAGE, "empty body (archived response)")
    return RawPage(url=url, body=body, kind="html", input_hash=body_hash(body), declared_charset=charset,
                   final_url=url, fetched_at=_iso(record.rec_headers.get_header("WARC-Date")),
                   origin="warc", status=status, headers=headers)


def _record_url(record) -> str:
    url = (record.rec_headers.get_header("WARC-Target-URI") or "").strip().strip("<>")
    return url if urlsplit(url).scheme in ("http", "https") and urlsplit(url).netloc else ""


def _gunzip_head(data: bytes) -> bytes | None:
    """The first bytes of the gzip member data starts with, or None if it is not gzip."""
    try:
        return zlib.decompressobj(wbits=31).decompress(data, HEAD_BYTES)
    except zlib.error:
        return None


def _head(stream, at: int) -> tuple[bytes, bool]:
    """(the first bytes of the record at byte `at`, decompressed; whether it is gzip). The
    stream's position is kept: warcio may be reading it."""
    here = stream.tell()
    stream.seek(at)
    raw = stream.read(SCAN_BYTES)
    stream.seek(here)
    if raw.startswith(GZIP_MAGIC):
        head = _gunzip_head(raw)
        return (head if head is not None else raw[:HEAD_BYTES]), head is not None
    return raw[:HEAD_BYTES], False


def _next_record_start(stream, start: int, gzipped: bool) -> int | None:
    """Where the next WARC record begins at or after byte `start`: a gzip member that
    unpacks to a WARC record header, or (uncompressed) "WARC/1." that starts one. A reader
    that stopped on a damaged record resyncs there."""
    marker = GZIP_MAGIC if gzipped else b"WARC/1."
    at = start
    while True:
        stream.seek(at)
        chunk = stream.read(SCAN_BYTES)
        if len(chunk) < len(marker):
            return None
        found = chunk.find(marker)
        while found >= 0:
            if _header_problem(_head(stream, at + found)[0]) is None:
                return at + found
            found = chunk.find(marker, found + 1)
        at += len(chunk) - len(marker) + 1


def _header_problem(head: bytes) -> str | None:
    """What is wrong with a record's WARC header block, as far as the first bytes tell."""
    block = head.split(b"\r\n\r\n", 1)[0].split(b"\n\n", 1)[0]
    lines = block.decode("utf-8", "replace").splitlines()
    if not head:
        return "the file ends where a record should begin (cut short?)"
    if not lines or not lines[0].startswith("WARC/"):
        return f"no WARC record header here (the bytes start {head[:24]!r})"
    fields = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        fields[name.strip().lower()] = value.strip()
    if len(head.split(b"\r\n\r\n", 1)) < 2 and len(head) < HEAD_BYTES:
        return "its header block is cut short"
    if not fields.get("content-length", "").isdigit():
        return "no valid Content-Length"
    if fields.get("warc-type") in ("response", "request", "revisit") and not fields.get("warc-target-uri"):
        return "no WARC-Target-URI"
    return None


def _damage(stream, at: int, exc: BaseException | None) -> str:
    head, _ = _head(stream, at)
    problem = _header_problem(head)
    if exc is not None and problem is None:
        problem = f"{type(exc).__name__}: {exc}"
    return problem or "unreadable"


def _file_problem(stream) -> str | None:
    """Why a file is not a WARC file at all (checked at its first byte)."""
    info = os.fstat(stream.fileno())
    if not stat.S_ISREG(info.st_mode):
        return "not a regular file (a FIFO or a device)"
    if info.st_size == 0:
        return "empty WARC file"
    return None


def read_warc(path: Path, offset: int = 0, limit: int = 100, max_body_bytes: int = 10 * 1024 * 1024) -> WarcBatch:
    """Up to `limit` response records from byte `offset` of a .warc or .warc.gz file.

    A damaged record (unparsable headers, no target URI, a bad status line) or stretch of
    garbage becomes a rejection naming the file and byte offset (URL `file:///….warc#offset=N`
    where the record names no URL), and reading resumes at the next record that starts
    cleanly; a file that is not a WARC file at all is one rejection."""
    from warcio.archiveiterator import ArchiveIterator

    batch = WarcBatch()
    file_uri = Path(path).resolve().as_uri()
    name = Path(path).name

    def reject(at: int | None, reason: str, url: str = "") -> None:
        where = f"{name} at byte {at}" if at is not None else name
        batch.pages.rejections.append(Rejection(url or (file_uri if at is None else f"{file_uri}#offset={at}"),
                                                STAGE, reason.replace("{where}", where)))

    try:  # O_NONBLOCK: opening a FIFO named .warc must not wait for a writer
        stream = os.fdopen(os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)), "rb")
    except OSError as exc:
        reject(None, f"cannot read the WARC file: {exc.strerror}")
        return batch
    with stream:
        problem = _file_problem(stream)
        if problem:
            reject(None, problem)
            return batch
        size = os.fstat(stream.fileno()).st_size
        position: int | None = offset
        if offset == 0:
            head, gzipped = _head(stream, 0)
            if not head.startswith(b"WARC/"):
                position = _next_record_start(stream, 1, gzipped)
                if position is None:
                    reject(None, f"no WARC record in the file: {_header_problem(head)}")
                    return batch
                reject(0, f"damaged WARC file ({{where}}): {_header_problem(head)}; "
                          f"reading resumed at the next record, byte {position}")
        while position is not None:
            stream.seek(position)
            records = ArchiveIterator(stream)
            last_end = position
            try:
                for record in records:
                    at = records.offset  # this record's first byte (warcio updates it per record)
                    if record.rec_type not in WARC_TYPES:  # warcio reads a header cut short as a record
                        reject(at, f"damaged WARC record ({{where}}): {_damage(stream, at, None)}")
                    elif record.rec_type == "response" and not _record_url(record) and not record.http_headers \
                            and not (record.rec_headers.get_header("WARC-Target-URI") or "").strip():
                        reject(at, "damaged WARC record ({where}): no WARC-Target-URI")
                    elif record.rec_type == "response" and record.http_headers:
                        if batch.records >= limit:
                            batch.next_offset = records.get_record_offset()  # absolute: warcio tells the stream
                            return batch
                        batch.records += 1
                        try:
                            page = _page(record, max_body_bytes, f"{name} at byte {at}")
                        except Exception as exc:  # noqa: BLE001 - one record's failure is that record's
                            log.exception("WARC record at byte %d of %s", at, path)
                            page = Rejection(_record_url(record), STAGE,
                                             f"damaged WARC record ({name} at byte {at}): {type(exc).__name__}: {exc}")
                        if isinstance(page, Rejection):
                            if not page.url:
                                page.url = f"{file_uri}#offset={at}"
                            batch.pages.rejections.append(page)
                        else:
                            batch.pages.items.append(page)
                    last_end = records.get_record_offset() + records.get_record_length()
                position = None
                rest = _trailing(stream, last_end, size)
                if rest:
                    reject(last_end, f"damaged WARC file ({{where}}): {rest}")
            except Exception as exc:  # noqa: BLE001 - warcio raises many kinds on damaged input
                bad = records.offset
                reason = _damage(stream, bad, exc)
                position = _next_record_start(stream, bad + 1, _head(stream, bad)[1] or _gzipped(stream))
                resumed = f"; reading resumed at byte {position}" if position is not None else ""
                reject(bad, f"damaged WARC record ({{where}}): {reason}{resumed}")
    return batch


def _gzipped(stream) -> bool:
    stream.seek(0)
    return stream.read(2) == GZIP_MAGIC[:2]


def _trailing(stream, end: int, size: int) -> str | None:
    """What is wrong with the bytes after the last complete record, if they are not just
    blank lines (a record cut inside its header leaves such bytes, and warcio stops there
    without a word)."""
    if end >= size:
        return None
    stream.seek(end)
    rest = stream.read(SCAN_BYTES)
    if not rest.strip():
        return None
    head, _ = _head(stream, end)
    return f"{size - end} bytes after the last complete record are no readable record " \
           f"({_header_problem(head) or 'cut short'})"

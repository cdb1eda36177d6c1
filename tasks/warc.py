"""Read WARC files: each HTTP response record becomes a RawPage with its target URL,
status and headers; records are read in batches from a byte offset, so a large archive
streams through the pipeline and a batch can be read again on its own.

Only response records carry pages: request, metadata, warcinfo and revisit records (a
revisit says "same as an earlier capture" and has no payload) are passed over.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from tasks.decode import parse_content_type
from tasks.errors import ZhnewsError
from tasks.models import RawPage, Rejection, StageResult
from tasks.read import body_hash

STAGE = "warc"
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


def _page(record, max_body_bytes: int) -> RawPage | Rejection:
    url = record.rec_headers.get_header("WARC-Target-URI") or ""
    url = url.strip("<>")
    http = record.http_headers
    status = int(http.get_statuscode() or 0) if http else 0
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


def read_warc(path: Path, offset: int = 0, limit: int = 100, max_body_bytes: int = 10 * 1024 * 1024) -> WarcBatch:
    """Up to `limit` response records from byte `offset` of a .warc or .warc.gz file."""
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    batch = WarcBatch()
    try:
        stream = open(path, "rb")
    except OSError as exc:
        raise ZhnewsError(f"cannot read the WARC file {path}: {exc.strerror}", stage=STAGE) from None
    with stream:
        stream.seek(offset)
        records = ArchiveIterator(stream)
        try:
            for record in records:
                if record.rec_type != "response" or not record.http_headers:
                    continue
                if batch.records >= limit:
                    batch.next_offset = records.get_record_offset()  # absolute: warcio tells the stream
                    return batch
                batch.records += 1
                page = _page(record, max_body_bytes)
                if isinstance(page, Rejection):
                    batch.pages.rejections.append(page)
                else:
                    batch.pages.items.append(page)
        except ArchiveLoadFailed as exc:
            where = f"{Path(path).name} at byte {records.get_record_offset() or offset}"
            batch.pages.rejections.append(Rejection(
                Path(path).resolve().as_uri(), STAGE, f"damaged WARC file ({where}): {exc}"))
    return batch

"""Stage 2, decode: bytes to str, by the declared charset where there is one.

Order (WHATWG): byte-order mark, HTTP header, <meta charset>/http-equiv, then detection.
Chinese pages label GBK text as gb2312 and Big5 text as plain big5, so labels map to
their supersets: a strict decode with the narrow codec would fail on real pages.
"""
from __future__ import annotations

import codecs
import re

from tasks.models import DecodedPage, RawPage, Rejection, StageResult

STAGE = "decode"

SUPERSETS = {
    "gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "gb_2312-80": "gb18030",
    "cp936": "gb18030", "euc-cn": "gb18030", "csgb2312": "gb18030", "gb18030": "gb18030",
    "big5": "big5hkscs", "big5-hkscs": "big5hkscs", "x-x-big5": "big5hkscs", "cp950": "big5hkscs",
    "csbig5": "big5hkscs",
}
BOMS = [
    (codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"),
]
META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
BINARY_MAGIC = {
    b"\x89PNG": "a PNG image", b"\xff\xd8\xff": "a JPEG image", b"GIF8": "a GIF image",
    b"%PDF": "a PDF document", b"PK\x03\x04": "a ZIP archive", b"\x1f\x8b": "gzip data",
}


def normalise_label(label: str | None) -> str | None:
    """Map a declared charset label to the Python codec zhnews decodes it with."""
    if not label:
        return None
    name = label.strip().strip("\"'").lower()
    name = SUPERSETS.get(name, name)
    try:
        codec = codecs.lookup(name).name
    except LookupError:
        return None
    return SUPERSETS.get(codec, codec)


def sniff_binary(body: bytes) -> str | None:
    """A reason if the body is not text at all."""
    for magic, what in BINARY_MAGIC.items():
        if body.startswith(magic):
            return f"binary content: {what}, not a text page"
    head = body[:4096]
    if head.count(b"\x00") > len(head) // 20:
        return "binary content: many NUL bytes, not a text page"
    return None


def detect(body: bytes) -> str:
    """Best codec for undeclared bytes: UTF-8 if it decodes, else charset-normalizer
    limited to the encodings Chinese pages actually use."""
    try:
        body.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes  # imported lazily: only undeclared pages need it

    best = from_bytes(body[:65536], cp_isolation=["gb18030", "big5", "big5hkscs", "utf_8"]).best()
    if best is None:
        return "gb18030"
    return normalise_label(best.encoding) or "gb18030"


def choose_encoding(body: bytes, declared: str | None) -> tuple[str, int]:
    """(codec, bytes of BOM to skip)."""
    for bom, codec in BOMS:
        if body.startswith(bom):
            return codec, len(bom)
    for label in (declared, _meta_charset(body)):
        codec = normalise_label(label)
        if codec:
            return codec, 0
    return detect(body), 0


def _meta_charset(body: bytes) -> str | None:
    match = META_CHARSET.search(body[:8192])
    return match.group(1).decode("ascii", "ignore") if match else None


def decode_bytes(body: bytes, declared: str | None = None) -> tuple[str, str, int]:
    """(text, codec used, replacement characters inserted)."""
    codec, skip = choose_encoding(body, declared)
    text = body[skip:].decode(codec, errors="replace")
    replacements = text.count("\ufffd")
    if codec != "utf-8" and replacements > 0 and skip == 0:
        # A wrong declaration (e.g. a UTF-8 page labelled gbk) shows up as many
        # replacements; UTF-8 decoding cleanly beats any label.
        try:
            return body.decode("utf-8"), "utf-8", 0
        except UnicodeDecodeError:
            pass
    return text, codec, replacements


def decode_pages(pages: list[RawPage]) -> StageResult[DecodedPage]:
    result: StageResult[DecodedPage] = StageResult()
    for page in pages:
        binary = sniff_binary(page.body)
        if binary:
            result.rejections.append(Rejection(page.url, STAGE, binary, page.input_hash))
            continue
        text, codec, replacements = decode_bytes(page.body, page.declared_charset)
        text = text.replace("\x00", "")
        if replacements > max(16, len(text) // 10):
            result.rejections.append(Rejection(
                page.url, STAGE,
                f"undecodable: {replacements} invalid byte sequences as {codec}", page.input_hash))
            continue
        result.items.append(DecodedPage(page.url, page.kind, text, codec, replacements, page.input_hash))
    return result

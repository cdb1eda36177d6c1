"""Stage 2, decode: bytes to str, by the declared charset where there is one.

Order (WHATWG): byte-order mark, HTTP header, <meta charset>/http-equiv (or an XML
declaration), then detection. Chinese pages label GBK text as gb2312 and Big5 text as
plain big5, so labels map to their supersets: a strict decode with the narrow codec would
fail on real pages. Only labels of real text encodings are honoured: a page declaring
"rot13" or "undefined" must not make decoding fail. decode_bytes is total: any bytes in,
a string out.
"""
from __future__ import annotations

import codecs
import re

from tasks.chinese import CJK
from tasks.models import DecodedPage, RawPage, Rejection, StageResult

STAGE = "decode"

SUPERSETS = {
    "gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "gb_2312-80": "gb18030",
    "gb_2312": "gb18030", "cp936": "gb18030", "euc-cn": "gb18030", "csgb2312": "gb18030",
    "chinese": "gb18030", "iso-ir-58": "gb18030", "csiso58gb231280": "gb18030",
    "gb18030": "gb18030", "ms936": "gb18030", "windows-936": "gb18030", "hz-gb-2312": "hz",
    # big5hkscs holds Big5, the HKSCS characters and most of Microsoft's cp950 additions.
    "big5": "big5hkscs", "big5-hkscs": "big5hkscs", "x-x-big5": "big5hkscs", "cp950": "big5hkscs",
    "csbig5": "big5hkscs", "cn-big5": "big5hkscs", "ms950": "big5hkscs",
    # WHATWG: these labels all mean windows-1252, the superset servers really send.
    "iso-8859-1": "cp1252", "latin1": "cp1252", "latin-1": "cp1252", "l1": "cp1252",
    "us-ascii": "cp1252", "ascii": "cp1252", "iso8859-1": "cp1252", "windows-1252": "cp1252",
    "windows-874": "cp874", "x-mac-roman": "mac-roman",
}
# Python codec names zhnews will decode with: text encodings web pages really use.
TEXT_CODECS = {
    "utf-8", "utf-16", "utf-16-le", "utf-16-be", "gb18030", "big5hkscs", "hz", "shift_jis", "cp932", "euc_jp", "iso2022_jp",
    "euc_kr", "cp949", "iso2022_kr", "koi8-r", "koi8-u", "mac-roman", "mac-cyrillic", "cp866",
    "tis-620", "cp874", *(f"cp{n}" for n in range(1250, 1259)),
    *(f"iso8859-{n}" for n in (2, 3, 4, 5, 6, 7, 8, 9, 10, 13, 14, 15, 16)),
}
# Labels servers send by default when nobody configured them: a <meta> declaration or the
# bytes themselves are better evidence on a Chinese site.
WEAK_HEADER_CODECS = {"cp1252"}
BOMS = [
    (codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"),
]
META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""", re.I)
PRESCAN_BYTES = 8192  # real Chinese pages put long scripts before their <meta charset>
DETECT_BYTES = 65536
BINARY_MAGIC = {
    b"\x89PNG": "a PNG image", b"\xff\xd8\xff": "a JPEG image", b"GIF8": "a GIF image",
    b"%PDF": "a PDF document", b"PK\x03\x04": "a ZIP archive", b"\x1f\x8b": "gzip data",
    b"RIFF": "a RIFF (WebP/AVI/WAV) file", b"\x00\x00\x01\x00": "an icon",
}


# user:password@ in a URL: the request may use it, the warehouse never keeps it.
_CREDENTIALS = re.compile(r"(?i)\b([a-z][a-z0-9+.-]*://)[^/?#\s]*@")


def without_credentials(text: str | None) -> str | None:
    """A URL (or a reason naming one) with its user:password@ taken out (the loader
    writes URLs so; lookups by URL take them out too)."""
    return _CREDENTIALS.sub(r"\1", text) if text and "@" in text else text


def parse_content_type(value: str | None) -> tuple[str, str | None]:
    """(media type, charset parameter) of a Content-Type header value."""
    media, _, params = (value or "").partition(";")
    charset = None
    for param in params.split(";"):
        name, _, label = param.partition("=")
        if name.strip().lower() == "charset":
            charset = label.strip().strip("\"'") or None
    return media.strip().lower(), charset


def normalise_label(label: str | None) -> str | None:
    """Map a declared charset label to the Python codec zhnews decodes it with, or None
    for an unknown label or one that names no text encoding."""
    if not label:
        return None
    name = label.strip().strip("\"'").lower()
    name = SUPERSETS.get(name, name)
    try:
        codec = codecs.lookup(name).name
    except (LookupError, ValueError):
        return None
    codec = SUPERSETS.get(codec, codec)
    return codec if codec in TEXT_CODECS else None


def sniff_binary(body: bytes) -> str | None:
    """A reason if the body is not text at all."""
    for magic, what in BINARY_MAGIC.items():
        if body.startswith(magic):
            return f"binary content: {what}, not a text page"
    head = body[:4096]
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return None  # UTF-16 text is half NUL bytes
    if head.count(b"\x00") > len(head) // 20:
        return "binary content: many NUL bytes, not a text page"
    return None


def detect(body: bytes) -> str:
    """Best codec for undeclared bytes: UTF-8 if it decodes, else charset-normalizer
    limited to the encodings Chinese pages actually use."""
    try:
        body.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError as exc:
        if exc.start >= len(body) - 3 and exc.reason == "unexpected end of data":
            return "utf-8"  # valid UTF-8 cut inside the last character
    from charset_normalizer import from_bytes  # imported lazily: only undeclared pages need it

    try:
        best = from_bytes(body[:DETECT_BYTES], cp_isolation=["gb18030", "big5hkscs", "utf_8"]).best()
    except Exception:  # the detector must not make decoding fail; gb18030 decodes anything
        best = None
    if best is None:
        return "gb18030"
    return normalise_label(best.encoding) or "gb18030"


def declared_in_document(body: bytes) -> str | None:
    """The charset a page declares in its own bytes: XML declaration or <meta>."""
    head = body[:PRESCAN_BYTES]
    match = XML_ENCODING.match(head) or META_CHARSET.search(head)
    return match.group(1).decode("ascii", "ignore") if match else None


def choose_encoding(body: bytes, declared: str | None) -> tuple[str, int]:
    """(codec, bytes of BOM to skip)."""
    for bom, codec in BOMS:
        if body.startswith(bom):
            return codec, len(bom)
    header = normalise_label(declared)
    document = normalise_label(declared_in_document(body))
    if document and document.startswith("utf-16"):
        document = "utf-8"  # WHATWG: bytes that declare utf-16 in ASCII are not utf-16
    if header and not (header in WEAK_HEADER_CODECS and document):
        if header in WEAK_HEADER_CODECS and _has_multibyte_text(body):
            return detect(body), 0
        return header, 0
    if document:
        return document, 0
    return detect(body), 0


def _has_multibyte_text(body: bytes) -> bool:
    """Many high bytes: a server's default latin-1 label on a page in a CJK encoding or UTF-8."""
    sample = body[:DETECT_BYTES]
    high = sum(1 for b in sample if b >= 0x80)
    return high > max(32, len(sample) // 20)


def _decode(body: bytes, codec: str) -> tuple[str, int]:
    """(text, replacement characters inserted by decoding, not those the page contains)."""
    text = body.decode(codec, errors="replace")
    found = text.count("\ufffd")
    if found:
        found -= body.decode(codec, errors="ignore").count("\ufffd")
    return text, found


# A page whose non-ASCII bytes are half again as often parts of valid UTF-8 sequences as
# not is UTF-8 with foreign bytes in it (a pasted GBK paragraph), not a page in another
# encoding: in real GBK and Big5 pages chance UTF-8 sequences are at most 0.6 times the
# invalid bytes (the 20 sites of bench/quality), in a UTF-8 page with one GBK paragraph
# typically 3-100 times.
MOSTLY_UTF8_RATIO = 1.5
# Against a declared (or detected) other encoding, at least this many bytes of valid UTF-8
# are needed too: in a few characters of Big5 or GBK, chance UTF-8 sequences can dominate.
MIN_UTF8_EVIDENCE = 64
ESCAPED = re.compile(r"[\udc80-\udcff]")  # bytes that are not UTF-8, as surrogateescape gives them
# Runs of bytes that can hold one paragraph of a double-byte encoding: GBK and Big5 bytes
# are all 0x40 or above, so markup, digits, spaces and ASCII punctuation end a run and a
# character is never split.
HIGH_RUN = re.compile(r"[^\x00-\x3f]+")
# Chinese text: its characters, CJK punctuation, full-width forms
CJK_TEXT = re.compile(rf"[\u3000-\u303f{CJK}\uff00-\uffef]")


_ASCII_BYTES = bytes(range(0x80))


def _utf8_evidence(text: str) -> tuple[int, int]:
    """(bytes in valid multi-byte UTF-8 sequences, bytes that are not UTF-8) of a text
    decoded with surrogateescape. Counted by the codecs in C, without a Python object per
    byte: encoding with 'ignore' drops exactly the escaped bytes (lone surrogates), and
    what is left above ASCII is the valid multi-byte sequences (~1 ms a GBK page before)."""
    kept = text.encode("utf-8", "ignore")
    invalid = len(text.encode("utf-8", "surrogateescape")) - len(kept)
    return len(kept.translate(None, _ASCII_BYTES)), invalid


# Where each encoding keeps its frequently used characters (GB2312 level 1: lead bytes
# B0-D7; Big5 frequent characters: A4-C6): Big5 bytes decode cleanly as GB18030 too, but to
# rare characters, so the share of common ones tells the right reading.
COMMON_LEADS = {"gb18030": ("gb2312", 0xB0, 0xD7), "big5hkscs": ("big5", 0xA4, 0xC6)}


def _common_share(text: str, codec: str) -> float:
    table, low, high = COMMON_LEADS[codec]
    hanzi = [c for c in text if "\u4e00" <= c <= "\u9fff"]
    common = 0
    for char in hanzi:
        try:
            common += low <= char.encode(table)[0] <= high
        except UnicodeEncodeError:
            pass
    return common / len(hanzi) if hanzi else 0.0


def _repair_run(raw: bytes) -> str | None:
    """A run of foreign bytes inside UTF-8 text, decoded as GB18030 or Big5, whichever
    decodes it cleanly to Chinese text of mostly common characters; None otherwise."""
    best, best_share = None, 0.5
    for codec in COMMON_LEADS:
        try:
            text = raw.decode(codec)
        except UnicodeDecodeError:
            continue
        letters = [c for c in text if not c.isspace()]
        if not letters or len(CJK_TEXT.findall(text)) < 0.6 * len(letters):
            continue
        share = _common_share(text, codec)
        if share > best_share:
            best, best_share = text, share
    return best


def decode_mostly_utf8(body: bytes, min_valid: int = 0) -> tuple[str, int] | None:
    """(text, replacements) for a page that is mostly valid UTF-8 but has foreign bytes;
    None for a page that is valid UTF-8 or is not mostly UTF-8. Each run of foreign bytes
    is repaired on its own (decoded as GB18030 when that gives clean Chinese text) or
    replaced (counted): a GBK paragraph in a UTF-8 page must not make the whole page be
    read as GB18030, which turns every UTF-8 character into mojibake."""
    try:
        body.decode("utf-8")
        return None  # valid UTF-8 (the common case): nothing to weigh
    except UnicodeDecodeError:
        pass
    return _repair_mostly_utf8(body, min_valid)


def _repair_mostly_utf8(body: bytes, min_valid: int) -> tuple[str, int] | None:
    """decode_mostly_utf8 for a body known not to be valid UTF-8."""
    text = body.decode("utf-8", "surrogateescape")
    valid, invalid = _utf8_evidence(text)
    if valid < MOSTLY_UTF8_RATIO * invalid or valid < min_valid:
        return None
    parts: list[str] = []
    replacements = 0
    last = 0
    for run in HIGH_RUN.finditer(text):
        segment = run.group()
        if not ESCAPED.search(segment):
            continue
        raw = segment.encode("utf-8", "surrogateescape")
        seg_valid, seg_invalid = _utf8_evidence(segment)
        # Mostly foreign bytes: a paragraph in another encoding; mostly UTF-8: stray bytes.
        repaired = _repair_run(raw) if seg_invalid >= seg_valid else None
        if repaired is None:
            repaired, bad = _decode(raw, "utf-8")
            replacements += bad
        parts.append(text[last:run.start()])
        parts.append(repaired)
        last = run.end()
    parts.append(text[last:])
    return "".join(parts), replacements


# A declared codec that leaves this few bad bytes (per 2,000 bytes of page, at least this
# many in all) is right about the page: a Big5 page with a few characters outside Big5 is
# still Big5, though GB18030, which maps nearly every byte pair, decodes it "cleanly".
FEW_REPLACEMENTS = 8


def decode_bytes(body: bytes, declared: str | None = None) -> tuple[str, str, int]:
    """(text, codec used, replacement characters inserted). Never raises."""
    try:
        codec, skip = choose_encoding(body, declared)
        if skip == 0:
            try:
                as_utf8 = body.decode("utf-8")
            except UnicodeDecodeError:
                as_utf8 = None
            if as_utf8 is not None and codec == "utf-8":
                return as_utf8, codec, 0  # valid UTF-8, as declared or detected: decoded once
            mostly_utf8 = None if as_utf8 is not None else _repair_mostly_utf8(
                body, 0 if codec == "utf-8" else MIN_UTF8_EVIDENCE)
            if mostly_utf8 is not None:
                return mostly_utf8[0], "utf-8", mostly_utf8[1]
        text, replacements = _decode(body[skip:], codec)
        if replacements and skip == 0:
            # A wrong declaration (a UTF-8 page labelled gbk, a GBK page labelled utf-8)
            # shows up as replacements: the codec with the fewest wins, declared first.
            # Clean UTF-8 is strong evidence; a detected double-byte codec must beat more
            # than a few bad bytes (GB18030 decodes nearly any bytes without one).
            few = replacements <= max(FEW_REPLACEMENTS, len(body) // 2000)
            for other in dict.fromkeys(("utf-8", detect(body))):
                if other == codec or (few and other != "utf-8"):
                    continue
                other_text, other_replacements = _decode(body, other)
                if other_replacements < replacements:
                    text, codec, replacements = other_text, other, other_replacements
        return text, codec, replacements
    except Exception:  # a codec bug must not lose the page: UTF-8 with replacements
        text, replacements = _decode(body, "utf-8")
        return text, "utf-8", replacements


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

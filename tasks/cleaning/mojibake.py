"""GBK text decoded one byte off, and how to repair it.

When a GBK/GB18030 byte stream loses one byte (or a decoder starts on a trail byte), the
decoder pairs each trail byte with the next lead byte: `。“雖然` (a1a3 a1b0 eb6d c8bb)
reads as `?` (the orphaned a1) + `！半m然` (a3a1 b0eb 6d c8bb). The stream falls back into
step at the first ASCII byte that was really a trail byte: it shows as a lone ASCII
character between Chinese characters (the `m` above, or `_` in `?Ｆ脚_` for `。平臺`).
Re-encoding the garbled run with gb18030 and decoding it one byte later gives the original
back; the character whose lead byte was lost
is restored when its trail byte names a common punctuation mark, else it is dropped.
Full-width ASCII (`！`, `Ｌ`) may already have been narrowed, so it is widened before
re-encoding.

The two mojibake rules are here: a garbled run re-decoded, a lost ©."""
from __future__ import annotations

import re

from tasks.chinese import CJK
from tasks.cleaning.rule import Rule

# Common punctuation by GBK trail byte, for the character whose lead byte was lost.
# Trail bytes are distinct across this set, so the guess is unambiguous.
_LOST_PUNCTUATION = {
    0xA3: "。", 0xA2: "、", 0xB0: "“", 0xB1: "”", 0xAD: "…", 0xB6: "《", 0xB7: "》",
    0xAC: "，", 0xBF: "？", 0xBA: "：", 0xBB: "；", 0xA8: "（", 0xA9: "）",
}
# A garbled run is at most this many characters before the stream falls back into step.
MAX_RUN_CHARS = 40
# Start of a candidate: an ASCII '?' (the orphaned byte) right after a Chinese character,
# followed by a non-space character.
CANDIDATE = re.compile(rf"(?<=[{CJK}])\?(?=\S)")
# What a repaired run may contain: Chinese characters and Chinese punctuation only.
_PLAUSIBLE = re.compile(rf"[{CJK}\u3000-\u303f\u2018-\u201d\u2026\uff01-\uff5e]*")


def _widen(text: str) -> str:
    """ASCII punctuation and letters back to full-width (GBK row a3)."""
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


def _resync_points(run: str) -> list[int]:
    """Indexes of lone ASCII characters that can be GBK trail bytes (0x40-0x7E: letters,
    `@[\\]^_` and the like) between two non-ASCII characters: where a shifted GBK stream
    falls back into step."""
    points = []
    for i in range(1, len(run) - 1):
        if "@" <= run[i] <= "~" and not run[i - 1].isascii() and not run[i + 1].isascii():
            points.append(i)
    return points


def _shift_decode(garbled: str) -> str | None:
    """The original text of a garbled run (the characters after the '?'); None when the
    bytes do not line up."""
    try:
        data = garbled.encode("gb18030")
    except UnicodeEncodeError:
        return None
    if not data:
        return None
    # The lost character must be common punctuation: without that anchor, ordinary text
    # after a question mark would decode to plausible-looking nonsense too.
    lost = _LOST_PUNCTUATION.get(data[0])
    if lost is None:
        return None
    try:
        body = data[1:].decode("gbk")
    except UnicodeDecodeError:
        return None
    if not _PLAUSIBLE.fullmatch(body):
        return None
    return lost + body


def repair_line(line: str) -> tuple[str, int]:
    """Repair every garbled run in a line. Returns the line and the number of garbled
    characters replaced (repaired or removed)."""
    if "?" not in line:
        return line, 0
    out: list[str] = []
    pos = 0
    changed = 0
    for match in CANDIDATE.finditer(line):
        start = match.start()
        if start < pos:
            continue
        tail = line[start + 1:start + 1 + MAX_RUN_CHARS]
        repaired = _repair_run(tail)
        if repaired is None:
            continue
        consumed, text = repaired
        out.append(line[pos:start])
        out.append(text)
        pos = start + 1 + consumed
        changed += consumed + 1
    if not changed:
        return line, 0
    out.append(line[pos:])
    return "".join(out), changed


def _repair_run(tail: str) -> tuple[int, str] | None:
    """(characters of tail consumed, repaired text) for the run that starts after a
    candidate '?', or None if it is not a shifted GBK run."""
    # Case 1: the stream falls back into step at a lone ASCII character (the last one that
    # decodes cleanly: earlier ones may be narrowed full-width characters).
    for point in reversed(_resync_points(tail)):
        run = tail[:point]
        decoded = _shift_decode(_widen(run) + tail[point])
        if decoded is not None:
            return point + 1, decoded
    # Case 2: a run of punctuation ended by a second '?': the byte after it is unknown,
    # so the last character is lost (`。”` read as `?！?`).
    short = re.match(r"([!-~！-～]{1,3})\?", tail)
    if short and "?" not in short.group(1):
        data = _widen(short.group(1)).encode("gb18030")
        lost = _LOST_PUNCTUATION.get(data[0])
        if lost is not None:
            try:
                middle = data[1:-1].decode("gbk")
            except UnicodeDecodeError:
                return None
            if _PLAUSIBLE.fullmatch(middle):
                return short.end(), lost + middle
    return None


def repaired_line(line: str) -> str:
    return repair_line(line)[0]


MOJIBAKE_GBK_SHIFT = Rule("mojibake_gbk_shift", "inline",
                          "GBK text decoded one byte off (?!半m然 for 。“雖然): re-decoded a byte later, "
                          "or removed when the bytes do not line up", apply=repaired_line)

MOJIBAKE_COPYRIGHT = Rule("mojibake_copyright", "inline", "a '?' standing for a lost © before a year",
                          re.compile(r"(?:(?<=^)|(?<=\s))\?(?=\s*(?:19|20)\d{2}\b)"), "©", requires="?")

"""Stage 4, clean: remove the noise Chinese news sites add, by the rules in tasks/rules.py."""
from __future__ import annotations

import logging
import re
import unicodedata
from dataclasses import dataclass, field

from tasks.models import Article, ExtractedPage, Rejection, StageResult
from tasks.rules import BLOCK_RULES, INLINE_RULES, LINE_RULES, TAIL_RULES

STAGE = "clean"
log = logging.getLogger("zhnews.clean")
# A tail marker must follow at least this many characters of text to count.
TAIL_MIN_PRECEDING_CHARS = 60


@dataclass
class CleanedText:
    text: str
    removed: dict[str, int] = field(default_factory=dict)  # rule name -> characters removed


def _count(removed: dict[str, int], name: str, chars: int) -> None:
    if chars > 0:
        removed[name] = removed.get(name, 0) + chars


def clean_text(text: str) -> CleanedText:
    """Apply every rule; idempotent (cleaning clean text changes nothing)."""
    removed: dict[str, int] = {}
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    lines = [line.strip() for line in text.split("\n")]

    for rule in INLINE_RULES:
        out = []
        for line in lines:
            new = rule.pattern.sub(rule.replacement, line)
            _count(removed, rule.name, len(line) - len(new))
            out.append(new.strip())
        lines = out

    lines = [line for line in lines if line]
    for rule in LINE_RULES:
        kept = [line for line in lines if not rule.pattern.search(line)]
        _count(removed, rule.name, sum(map(len, lines)) - sum(map(len, kept)))
        lines = kept

    lines = _cut_tail(lines, removed)

    for rule in BLOCK_RULES:
        before = sum(map(len, lines))
        lines = rule.apply(lines)
        _count(removed, rule.name, before - sum(map(len, lines)))

    return CleanedText("\n".join(lines), removed)


def _cut_tail(lines: list[str], removed: dict[str, int]) -> list[str]:
    preceding = 0
    for index, line in enumerate(lines):
        if preceding >= TAIL_MIN_PRECEDING_CHARS:
            for rule in TAIL_RULES:
                if rule.pattern.search(line):
                    _count(removed, rule.name, sum(map(len, lines[index:])))
                    return lines[:index]
        preceding += len(line)
    return lines


TITLE_MAX_CHARS = 64
_SENTENCE_END = re.compile(r"[。！？!?]$")


def first_line_title(text: str) -> str | None:
    """A plain-text input's title: its first line, when it reads like a headline."""
    for line in text.split("\n"):
        line = line.strip()
        if line:
            if len(line) <= TITLE_MAX_CHARS and not _SENTENCE_END.search(line):
                return line
            return None
    return None


def clean_pages(pages: list[ExtractedPage], min_chars: int = 80,
                warn_share: float = 0.40) -> StageResult[Article]:
    result: StageResult[Article] = StageResult()
    for page in pages:
        cleaned = clean_text(page.text)
        total = max(1, len(page.text))
        for rule, chars in cleaned.removed.items():
            if chars / total > warn_share:
                log.warning("rule %s removed %.0f%% of %s", rule, 100 * chars / total, page.url)
        title = page.title
        text = cleaned.text
        if page.kind == "text" and title is None:
            title = first_line_title(text)
        if title:
            # The headline is a column, not the first paragraph.
            lines = text.split("\n")
            if lines and lines[0].strip() == title.strip():
                text = "\n".join(lines[1:])
        if len(text) < min_chars:
            result.rejections.append(Rejection(
                page.url, STAGE,
                f"not an article: only {len(text)} characters of text after cleaning", page.input_hash))
            continue
        result.items.append(Article(
            url=page.url, text=text, title=title, published_at=page.published_at, source=page.source,
            author=page.author, encoding=page.encoding, input_hash=page.input_hash,
            removed=cleaned.removed,
        ))
    return result

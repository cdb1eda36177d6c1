"""Stage 4, clean: remove the noise Chinese news sites add, by the rules of tasks/cleaning/,
and move metadata lines and bylines from the text into columns."""
from __future__ import annotations

import logging
import re

from tasks.cleaning.engine import CleanedText, apply_rule, clean_text
from tasks.cleaning.order import LINE_RULES, TITLE_RULES
from tasks.cleaning.rule import CleanContext
from tasks.metadata import strip_dateline, strip_media_markers, strip_site_suffix
from tasks.models import Article, ExtractedPage, Rejection, RuleHits, StageResult

STAGE = "clean"
log = logging.getLogger("zhnews.clean")
# A rule that removed more than warn_share of a page's text: a warning per page, which the
# pipeline sums per rule over the run (one log line at its end, not one a page).
HEAVY_CLEANING = "rule {rule} removed {share:.0f}% of the text of {url}"
_HEAVY_CLEANING = re.compile(r"^rule (\S+) removed \d+% of the text of (.+)$", re.S)

_SENTENCE_END = re.compile(r"(?:。|…|\.\.\.)$")


# ---- titles of plain-text inputs -------------------------------------------------------------

TITLE_MAX_CHARS = 64
# A derived title (no headline line) is the first clause, at most this long.
DERIVED_TITLE_MAX_CHARS = 30
_CLAUSE_END = re.compile(r"[。！？!?；;]")
_COMMA = re.compile(r"[,，、:：]")


def headline_line(line: str) -> str | None:
    """The line itself when it reads like a headline: short, not ending a sentence."""
    return line if len(line) <= TITLE_MAX_CHARS and not _SENTENCE_END.search(line) else None


def derived_title(line: str) -> str | None:
    """The first sentence without a dateline (某某讯), cut at a clause boundary within
    DERIVED_TITLE_MAX_CHARS."""
    line = strip_dateline(line) or line
    sentence = _CLAUSE_END.split(line, maxsplit=1)[0].strip()
    if len(sentence) <= DERIVED_TITLE_MAX_CHARS:
        return sentence or None
    cuts = [m.start() for m in _COMMA.finditer(sentence) if m.start() <= DERIVED_TITLE_MAX_CHARS]
    return sentence[:cuts[-1] if cuts else DERIVED_TITLE_MAX_CHARS].strip() or None


# A repost's 原标题：… line: the headline as first published.
_ORIGINAL_TITLE = re.compile(r"^\s*(?:原标题|原標題)\s*[:：]\s*(\S.{0,62}?)\s*$")
ORIGINAL_TITLE_WITHIN_LINES = 3


def clean_page(page: ExtractedPage) -> tuple[CleanedText, str | None]:
    """The cleaned text and the title of one page. A plain-text input's title is its
    原标题 line, its headline line, or else derived from its first sentence; a derived
    title is not taken out of the text (it is the text's own opening, not a repeat)."""
    title = _clean_title(strip_site_suffix(page.title)) if page.title else None
    if title is None and page.kind == "text":
        original = next((m.group(1) for line in page.text.split("\n")[:ORIGINAL_TITLE_WITHIN_LINES]
                         if (m := _ORIGINAL_TITLE.match(line))), None)
        first = _first_content_line(page.text)
        title = _clean_title(original) if original else headline_line(first)
        if title is None:
            return clean_text(page.text), derived_title(first) if first else None
    return clean_text(page.text, title), title


def _clean_title(title: str) -> str | None:
    """A headline gets the inline repairs (entities, tags, pinyin, mojibake) its text gets."""
    lines = [" ".join(title.split())]
    for rule in TITLE_RULES:
        lines = apply_rule(rule, lines, CleanContext(), {})
    return strip_media_markers(lines[0]) if lines else None


def _first_content_line(text: str) -> str:
    """The first line that no line rule removes (widgets such as `- +1` may come before the
    headline), with inline noise (tags, pinyin, mojibake) cleaned."""
    for line in text.split("\n"):
        line = line.strip()
        if line and not any(rule.pattern.search(line) for rule in LINE_RULES):
            return clean_text(line).text
    return ""


def heavy_cleaning(warning: str) -> tuple[str, str] | None:
    """(rule, URL) of a heavy-cleaning warning of clean_pages; None for another warning."""
    found = _HEAVY_CLEANING.match(warning)
    return (found.group(1), found.group(2)) if found else None


def clean_pages(pages: list[ExtractedPage], min_chars: int = 40,
                warn_share: float = 0.40) -> StageResult[Article]:
    result: StageResult[Article] = StageResult()
    for page in pages:
        cleaned, title = clean_page(page)
        total = max(1, len(page.text))
        for rule, chars in cleaned.removed.items():
            result.rule_hits.setdefault(rule, RuleHits()).add(RuleHits(chars, 1))
            if chars / total > warn_share:
                result.warnings.append(HEAVY_CLEANING.format(rule=rule, share=100 * chars / total, url=page.url))
        text = cleaned.text
        if len(text) < min_chars:
            result.rejections.append(Rejection(
                page.url, STAGE,
                f"not an article: only {len(text)} characters of text after cleaning", page.input_hash,
                retires=True))
            continue
        # The page's own metadata (meta tags, the line under the headline) comes first;
        # metadata lines found in the text fill what it lacks.
        found = cleaned.found
        result.items.append(Article(
            url=page.url, text=text, title=title, published_at=page.published_at or found.published_at,
            source=page.source or found.source, author=page.author or found.author,
            encoding=page.encoding, input_hash=page.input_hash, removed=cleaned.removed,
        ))
    return result

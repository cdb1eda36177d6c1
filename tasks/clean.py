"""Stage 4, clean: remove the noise Chinese news sites add, by the rules in tasks/rules.py,
and move metadata lines and bylines from the text into columns."""
from __future__ import annotations

import difflib
import logging
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Callable

from tasks.metadata import TextMetadata, strip_dateline, strip_media_markers, strip_site_suffix
from tasks.models import Article, ExtractedPage, Rejection, StageResult
from tasks.rules import RULES, CleanContext, Rule, squash_spaces

STAGE = "clean"
log = logging.getLogger("zhnews.clean")
# A tail marker must follow at least this many characters of text to count.
TAIL_MIN_PRECEDING_CHARS = 60
# A tail marker followed by at least this much new prose (not repeats of earlier lines) is
# not the page's tail: only the marker line goes, so no article text is lost.
TAIL_MAX_NEW_PROSE = 150
# Metadata lines count as the article's own (their date is used) among the first lines.
HEAD_LINES = 6
# Cleaning repeats until nothing changes (one rule's output can expose another's input).
MAX_PASSES = 4

_SENTENCE_END = re.compile(r"(?:。|…|\.\.\.)$")
_PROSE = re.compile(r"[。！？!?；;]")


@dataclass
class CleanedText:
    text: str
    removed: dict[str, int] = field(default_factory=dict)  # rule name -> characters removed
    found: TextMetadata = field(default_factory=TextMetadata)  # from metadata lines and bylines


def _count(removed: dict[str, int], name: str, chars: int) -> None:
    if chars > 0:
        removed[name] = removed.get(name, 0) + chars


def clean_text(text: str, title: str | None = None,
               pieces: dict[str, list[str]] | None = None) -> CleanedText:
    """Apply every rule, in order, until the text stops changing: idempotent (cleaning
    clean text changes nothing). With pieces, each rule's removed text is added to it."""
    context = CleanContext(title=title)
    removed: dict[str, int] = {}
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    for _ in range(MAX_PASSES):
        lines = [line.strip() for line in text.split("\n")]
        lines = [line for line in lines if line]
        for rule in RULES:
            after = apply_rule(rule, lines, context, removed)
            if pieces is not None and after != lines:
                found = removed_pieces(lines, after)
                if found:
                    pieces.setdefault(rule.name, []).extend(found)
            lines = after
        cleaned = "\n".join(lines)
        if cleaned == text:
            break
        text = cleaned
    return CleanedText(text, removed, context.found)


def removals_by_rule(text: str, title: str | None = None) -> dict[str, list[str]]:
    """What each rule removed from one text: rule name -> the removed pieces (whole lines,
    or the characters an inline rule took out of a line), in text order. For scoring rules
    against gold text (how many removed characters were the article's); cleaning itself
    only counts characters (CleanedText.removed), which is cheaper."""
    pieces: dict[str, list[str]] = {}
    clean_text(text, title, pieces)
    return pieces


def removed_pieces(before: list[str], after: list[str]) -> list[str]:
    """The text in before that after lacks: lines that went, and within a changed line the
    characters that went (an inline rule's replacement is not counted as removed)."""
    pieces: list[str] = []
    lines = difflib.SequenceMatcher(None, before, after, autojunk=False)
    for op, i1, i2, j1, j2 in lines.get_opcodes():
        if op == "delete":
            pieces.extend(before[i1:i2])
        elif op == "replace":
            old, new = "\n".join(before[i1:i2]), "\n".join(after[j1:j2])
            chars = difflib.SequenceMatcher(None, old, new, autojunk=False)
            for cop, a1, a2, _, _ in chars.get_opcodes():
                piece = old[a1:a2].strip() if cop in ("delete", "replace") else ""
                if piece:
                    pieces.append(piece)
    return pieces


def apply_rule(rule: Rule, lines: list[str], context: CleanContext, removed: dict[str, int]) -> list[str]:
    """One rule over the lines of a text; removed counts the characters it took out."""
    before = sum(map(len, lines))
    if rule.kind == "inline":
        if rule.apply is not None:
            lines = [rule.apply(line) for line in lines]
        elif rule.requires:
            sub, replacement, may_match = rule.pattern.sub, rule.replacement, _holds_any(rule.requires)
            lines = [sub(replacement, line) if may_match(line) else line for line in lines]
        else:
            lines = [rule.pattern.sub(rule.replacement, line) for line in lines]
        lines = [line.strip() for line in lines]
        lines = [line for line in lines if line]
    elif rule.kind == "line":
        if rule.requires:
            search, may_match = rule.pattern.search, _holds_any(rule.requires)
            lines = [line for line in lines if not (may_match(line) and search(line))]
        else:
            lines = [line for line in lines if not rule.pattern.search(line)]
    elif rule.kind == "metadata":
        lines = _take_metadata(rule, lines, context)
    elif rule.kind == "tail":
        lines = _cut_tail(rule, lines)
    else:
        lines = rule.apply(lines, context)
    _count(removed, rule.name, before - sum(map(len, lines)))
    return lines


@lru_cache(maxsize=None)
def _holds_any(chars: str) -> Callable[[str], object]:
    """A fast test: does a line hold any of chars?"""
    if len(chars) == 1:
        return lambda line: chars in line
    return re.compile("[" + re.escape(chars) + "]").search


def _take_metadata(rule: Rule, lines: list[str], context: CleanContext) -> list[str]:
    kept: list[str] = []
    prose_seen = False
    for index, line in enumerate(lines):
        head = index < HEAD_LINES and not prose_seen
        rest, found = rule.apply(line, head)
        if found is not None:
            context.found.fill_from(found)
        if rest:
            kept.append(rest.strip())
            prose_seen = prose_seen or bool(_PROSE.search(rest) and len(rest) >= 40)
    return kept


# A line of article prose: a sentence of this length or more (a headline of a related list
# is shorter, or does not end a sentence).
PROSE_LINE_MIN_CHARS = 20
_SENTENCE_FINAL = re.compile(r"[。！？!?…][”’」』\")）]?$")


def is_prose_line(line: str) -> bool:
    return len(line) >= PROSE_LINE_MIN_CHARS and bool(_SENTENCE_FINAL.search(line))


def _cut_tail(rule: Rule, lines: list[str]) -> list[str]:
    preceding = 0
    seen: set[str] = set()
    kept: list[str] = []
    may_match = _holds_any(rule.requires) if rule.requires else None
    for index, line in enumerate(lines):
        if (preceding >= TAIL_MIN_PRECEDING_CHARS and (may_match is None or may_match(line))
                and rule.pattern.search(line)):
            rest = lines[index + 1:]
            if rule.heading and rest and is_prose_line(rest[0]) and squash_spaces(rest[0]) not in seen:
                # 最新进展, 精彩瞬间 over a paragraph: the article's own subheading
                preceding += len(line)
                seen.add(squash_spaces(line))
                kept.append(line)
                continue
            new_prose = sum(len(x) for x in rest if squash_spaces(x) not in seen and _PROSE.search(x) and len(x) >= 40)
            if new_prose < TAIL_MAX_NEW_PROSE:
                return kept
            continue  # article text follows: drop the marker line only
        preceding += len(line)
        seen.add(squash_spaces(line))
        kept.append(line)
    return kept


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


_LINE_RULES = [rule for rule in RULES if rule.kind == "line"]
_INLINE_RULES = [rule for rule in RULES if rule.kind == "inline"]


def _clean_title(title: str) -> str | None:
    """A headline gets the inline repairs (entities, tags, pinyin, mojibake) its text gets."""
    lines = [" ".join(title.split())]
    for rule in _INLINE_RULES:
        lines = apply_rule(rule, lines, CleanContext(), {})
    return strip_media_markers(lines[0]) if lines else None


def _first_content_line(text: str) -> str:
    """The first line that no line rule removes (widgets such as `- +1` may come before the
    headline), with inline noise (tags, pinyin, mojibake) cleaned."""
    for line in text.split("\n"):
        line = line.strip()
        if line and not any(rule.pattern.search(line) for rule in _LINE_RULES):
            return clean_text(line).text
    return ""


def clean_pages(pages: list[ExtractedPage], min_chars: int = 40,
                warn_share: float = 0.40) -> StageResult[Article]:
    result: StageResult[Article] = StageResult()
    for page in pages:
        cleaned, title = clean_page(page)
        total = max(1, len(page.text))
        for rule, chars in cleaned.removed.items():
            if chars / total > warn_share:
                result.warnings.append(f"rule {rule} removed {100 * chars / total:.0f}% of the text of {page.url}")
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

"""How the cleaning rules are applied: each rule of tasks/cleaning/order.py over the lines
of a text, in order, until the text stops changing; what each removed is counted."""
from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Callable

from tasks.chinese import is_signing_date
from tasks.cleaning.order import RULES
from tasks.cleaning.rule import CleanContext, Rule, is_prose_line, squash_spaces
from tasks.metadata import TextMetadata

# A tail marker must follow at least this many characters of text to count.
TAIL_MIN_PRECEDING_CHARS = 60
# A tail marker followed by at least this much new prose (not repeats of earlier lines) is
# not the page's tail: only the marker line goes, so no article text is lost.
TAIL_MAX_NEW_PROSE = 150
# A tail marker above the story (before TAIL_MIN_PRECEDING_CHARS of text) goes alone, if
# it is a short line: a notice, not a first paragraph that mentions the words.
HEAD_MARKER_MAX_CHARS = 50
# A list item's bullet as trafilatura writes it: tail markers are found in list items too
# (- 转载请保留原文链接谢谢！).
_LIST_BULLET = re.compile(r"^\s*[-•·*]\s+")
# Metadata lines count as the article's own (their date is used) among the first lines.
HEAD_LINES = 6
# Cleaning repeats until nothing changes (one rule's output can expose another's input).
MAX_PASSES = 4

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
    # Lines each line-wise rule has seen and left alone: a rule decides on a line from the
    # line alone, so the passes after the first skip them (most lines, in the pass that only
    # confirms nothing changes).
    passed: dict[str, set[str]] = {}
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    for _ in range(MAX_PASSES):
        lines = [line.strip() for line in text.split("\n")]
        lines = [line for line in lines if line]
        for rule in RULES:
            after = apply_rule(rule, lines, context, removed, passed.setdefault(rule.name, set()))
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


def apply_rule(rule: Rule, lines: list[str], context: CleanContext, removed: dict[str, int],
               passed: set[str] | None = None) -> list[str]:
    """One rule over the lines of a text; removed counts the characters it took out. passed
    holds lines this (inline, line or tail) rule is known to leave alone: they skip its
    pattern, and the lines it leaves alone now are added."""
    before = sum(map(len, lines))
    if passed is None:
        passed = set()
    if rule.kind == "inline":
        lines = _apply_inline(rule, lines, passed)
    elif rule.kind == "line":
        search = rule.pattern.search
        if rule.requires:
            may_match = holds_required(rule.requires)
            lines = [line for line in lines if line in passed or not (may_match(line) and search(line))]
        else:
            lines = [line for line in lines if line in passed or not search(line)]
        passed.update(lines)
    elif rule.kind == "metadata":
        lines = _take_metadata(rule, lines, context)
    elif rule.kind == "tail":
        lines = _cut_tail(rule, lines, passed)
    else:
        lines = rule.apply(lines, context)
    _count(removed, rule.name, before - sum(map(len, lines)))
    return lines


def _apply_inline(rule: Rule, lines: list[str], passed: set[str]) -> list[str]:
    if rule.apply is not None:
        changed = [line if line in passed else rule.apply(line).strip() for line in lines]
    elif rule.requires:
        sub, replacement, may_match = rule.pattern.sub, rule.replacement, holds_required(rule.requires)
        changed = [line if line in passed else sub(replacement, line).strip() if may_match(line) else line.strip()
                   for line in lines]
    else:
        changed = [line if line in passed else rule.pattern.sub(rule.replacement, line).strip() for line in lines]
    passed.update(new for old, new in zip(lines, changed) if new == old)
    return [line for line in changed if line]


@lru_cache(maxsize=None)
def holds_required(required: str | tuple[str, ...]) -> Callable[[str], object]:
    """A fast test: does a line hold any of the required characters (a string) or words (a tuple)?"""
    if isinstance(required, tuple):
        # literal alternatives, case-sensitive: re finds them by their first characters at C speed
        return re.compile("|".join(map(re.escape, required))).search
    if len(required) == 1:
        return lambda line: required in line
    return re.compile("[" + re.escape(required) + "]").search


def _take_metadata(rule: Rule, lines: list[str], context: CleanContext) -> list[str]:
    kept: list[str] = []
    prose_seen = False
    for index, line in enumerate(lines):
        head = index < HEAD_LINES and not prose_seen
        rest, found = rule.apply(line, head)
        if found is not None:
            context.found.fill_from(found)
            if rest is None and prose_seen and kept and is_signing_date(line, kept[-1]):
                rest = line  # a document's signing date under its issuer's name stays
        if rest:
            kept.append(rest.strip())
            prose_seen = prose_seen or bool(_PROSE.search(rest) and len(rest) >= 40)
    return kept


# A related list's item headline: a short line that ends no sentence.
MAX_ITEM_HEADLINE_CHARS = 40


def _headlines_with_summaries(rest: list[str]) -> bool:
    """The lines under a list's heading are headlines with a paragraph or two each
    (【相关报道】 / 统计局局长：GDP增长6.9%已不低 / 王保安在回答…时称，…。 / …): two items at
    least, every other line a short one that ends no sentence, and no more than two
    paragraphs an item (the article's own text runs on in paragraphs)."""
    if not rest or is_prose_line(rest[0]):
        return False
    headlines = paragraphs = 0
    for line in rest:
        if is_prose_line(line):
            paragraphs += 1
        elif len(line) <= MAX_ITEM_HEADLINE_CHARS:
            headlines += 1
        else:
            return False
    return headlines >= 2 and paragraphs <= 2 * headlines


def _cut_tail(rule: Rule, lines: list[str], passed: set[str] | None = None) -> list[str]:
    """passed: lines known not to be this rule's marker (the ones found now are added)."""
    may_match = holds_required(rule.requires) if rule.requires else None
    search = rule.pattern.search

    def is_marker(line: str) -> bool:
        if (passed is not None and line in passed) or (may_match is not None and not may_match(line)):
            return False
        bullet = _LIST_BULLET.match(line)
        return bool(search(line) or bullet and search(line[bullet.end():]))

    markers = [is_marker(line) for line in lines]
    if passed is not None:
        passed.update(line for line, marker in zip(lines, markers) if not marker)
    if not any(markers):
        return lines  # most texts: nothing to cut, and no need to count what precedes
    preceding = 0
    seen: set[str] = set()
    kept: list[str] = []
    for index, (line, marker) in enumerate(zip(lines, markers)):
        if marker and preceding < TAIL_MIN_PRECEDING_CHARS and not rule.heading and len(line) <= HEAD_MARKER_MAX_CHARS:
            continue  # above the story (版权声明：本文版权为某某所有，转载请注明出处。): the line alone goes
        # A list's heading counts under the story, however short the story (新年快乐呀大家！
        # over 王某的最新日记 and its items); anything else needs a story above it.
        if marker and (preceding >= TAIL_MIN_PRECEDING_CHARS or rule.heading and kept):
            rest = lines[index + 1:]
            if rule.heading and rest and is_prose_line(rest[0]) and squash_spaces(rest[0]) not in seen:
                # 最新进展, 精彩瞬间 over a paragraph: the article's own subheading
                preceding += len(line)
                seen.add(squash_spaces(line))
                kept.append(line)
                continue
            if rule.heading and _headlines_with_summaries(rest):
                return kept  # a related list whose items carry a summary each
            new_prose = sum(len(x) for x in rest if squash_spaces(x) not in seen and _PROSE.search(x) and len(x) >= 40)
            if new_prose < TAIL_MAX_NEW_PROSE:
                return kept
            continue  # article text follows: drop the marker line only
        preceding += len(line)
        seen.add(squash_spaces(line))
        kept.append(line)
    return kept

"""What a cleaning rule is, and what the rules share while one text is cleaned.

Kinds (tasks/cleaning/engine.py applies them):
- inline:   substitution inside each line (pattern + replacement, or a line -> line function)
- line:     drop every line the pattern matches (widgets, editor marks, list debris)
- metadata: drop metadata lines and bylines; their values fill published_at/source/author
- tail:     a line that starts the page's tail (footer, related list, navigation): it and
            everything after it go, unless new article prose follows (then only the line)
- block:    a function over all lines (repeated titles, captions and bodies)

Rules are general: they name noise classes as they appear across Chinese news sites,
never one site's exact strings."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable, Literal

from tasks.metadata import TextMetadata

RuleKind = Literal["inline", "line", "metadata", "tail", "block"]


@dataclass
class CleanContext:
    """What block and metadata rules share while one text is cleaned."""

    title: str | None = None
    found: TextMetadata = field(default_factory=TextMetadata)


@dataclass(frozen=True)
class Rule:
    name: str
    kind: RuleKind
    description: str
    pattern: re.Pattern[str] | None = None
    # inline: the replacement (a string or a match -> string function)
    replacement: str | Callable[[re.Match[str]], str] = ""
    # inline: line -> line; metadata: (line, head) -> (what remains or None, values found);
    # block: (lines, context) -> lines
    apply: Callable[..., object] | None = None
    # tail: the marker is a heading (相关新闻): it cuts only when no article prose comes right
    # after it; followed by prose it is the article's own subheading and stays.
    heading: bool = False
    # inline, line and tail patterns: what a line must hold for the pattern to match at all
    # (a necessary condition, so lines without it skip the regex: faster, the same matches).
    # A string: at least one of its characters; a tuple: at least one of its words, matched
    # as written (a case-insensitive pattern lists each case it needs). Empty: every line is tried.
    requires: str | tuple[str, ...] = ""


def rx(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.I)


# A bullet that opens a list item or a widget line.
BULLET = r"[-•·*▪◆●■□○>»※]"


# A line of article prose: a sentence of this length or more (a headline of a related list
# is shorter, or does not end a sentence).
PROSE_LINE_MIN_CHARS = 20
_SENTENCE_FINAL = re.compile(r"[。！？!?…][”’」』\")）]?$")


def is_prose_line(line: str) -> bool:
    return len(line) >= PROSE_LINE_MIN_CHARS and bool(_SENTENCE_FINAL.search(line))


def squash_spaces(line: str) -> str:
    """A line compared without its whitespace (repeats differ in spacing)."""
    return "".join(line.split())

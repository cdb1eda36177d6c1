"""Lines judged against the rest of the page: the title repeated, a counter alone on a line,
a short line injected again and again, a caption or body repeated. Block rules; cells of a
data table are article text and stay."""
from __future__ import annotations

import re

from tasks import metadata as meta
from tasks.chinese import CJK, DATE, HANZI
from tasks.cleaning.rule import CleanContext, Rule, is_prose_line, squash_spaces

# Right after the title's words, these make the line a sentence that opens with them
# (市政府召开新闻发布会，宣布…), not the title glued to a caption.
_SENTENCE_GOES_ON = re.compile(r"^\s*[，,、；;。.！!？?：:…]")
# A caption glued to the title is at least this long; fewer characters after the title are
# the title's own words in a subheading.
GLUED_CAPTION_MIN_CHARS = 6


def drop_title_lines(lines: list[str], context: CleanContext) -> list[str]:
    """Lines that are the title go; a caption that starts with the title keeps the rest; a
    sentence that opens with the title's words stays whole."""
    if not context.title:
        return lines
    title = squash_spaces(context.title)
    if len(title) < 4:
        return lines
    kept = []
    for line in lines:
        if title[0] not in line:
            kept.append(line)  # every test below needs the title's words, its first one included
            continue
        key = squash_spaces(line)
        if key == title or squash_spaces(meta.strip_media_markers(line)) == title or (
                key.startswith(title) and len(key) - len(title) <= 12 and meta.looks_like_site_suffix(key[len(title):])):
            continue
        if key.startswith(title) and (not line.startswith(context.title)
                                      or _SENTENCE_GOES_ON.match(line[len(context.title):])):
            kept.append(line)  # whitespace differs (rare), or the title's words open a sentence
            continue
        rest = line[len(context.title):].strip() if line.startswith(context.title) else line
        # A few words after the title make a heading of their own (某某直播源 -> 某某直播源地址),
        # not a caption glued to the title: the line stays whole.
        kept.append(line if line.startswith(context.title) and len(rest) < GLUED_CAPTION_MIN_CHARS else rest)
    return [line for line in kept if line]


# Tables reach the cleaner one cell per line (tasks/extract.py). A run of this many short
# lines or more, holding numbers and words, is a data table: its cells are article text, even
# a bare number or a value repeated in many rows.
TABLE_MIN_CELLS = 6
TABLE_CELL_MAX_CHARS = 24
TABLE_MIN_VALUES = 3
_SENTENCE_MARK = re.compile(r"[。！？!?；;]")
# A cell that is a value: a number with at most a unit or two (2185, 1.3万, 12.5%, 3500-4000点)
_VALUE_CELL = re.compile(rf"^[-+±~～]?\d[\d.,，:：/%‰\s~～-]*[{HANZI}A-Za-z%‰℃]{{0,2}}$")
_HAS_WORD = re.compile(rf"[{CJK}A-Za-z]")
_HAS_CJK = re.compile(rf"[{CJK}]")


# A row's label may be longer (巴西中央银行经济活动指数(IBC-Br)(%)(八月)) when a value
# follows it; a headline followed by its date is a related list's item, not a row.
TABLE_LABEL_MAX_CHARS = 48
_DATE_VALUE = re.compile(rf"^\s*{DATE}")


def _table_line(lines: list[str], index: int) -> bool:
    """The line may be a cell: short and no sentence, or a row's longer label before a value."""
    line = lines[index]
    if _SENTENCE_MARK.search(line) or len(line) > TABLE_LABEL_MAX_CHARS:
        return False
    if len(line) <= TABLE_CELL_MAX_CHARS:
        return True
    after = lines[index + 1] if index + 1 < len(lines) else ""
    return bool(_VALUE_CELL.match(after)) and not _DATE_VALUE.match(after)


def table_cells(lines: list[str]) -> set[int]:
    """Indexes of the lines that are cells of a data table: runs of at least TABLE_MIN_CELLS
    short lines without sentence marks (a longer row label before a value too), with at least
    TABLE_MIN_VALUES values (numbers) and as many words (a widget's counters, 0 人参与, have
    fewer)."""
    cells: set[int] = set()
    run: list[int] = []
    for index in range(len(lines) + 1):  # the end closes the last run
        if index < len(lines) and _table_line(lines, index):
            run.append(index)
            continue
        if len(run) >= TABLE_MIN_CELLS:
            numbers = sum(1 for i in run if _VALUE_CELL.match(lines[i]))
            words = sum(1 for i in run if _HAS_WORD.search(lines[i]))
            if numbers >= TABLE_MIN_VALUES and words >= TABLE_MIN_VALUES:
                cells.update(run)
        run = []
    return cells


# A counter or code left alone on a line by a widget (likes, comments, page numbers, SN226).
_BARE_NUMBER = re.compile(r"^(?:\d{1,6}|[A-Z]{1,4}\d{2,8})$")


def drop_bare_numbers(lines: list[str], context: CleanContext) -> list[str]:
    """Lines that are only a counter or a code go, unless they are cells of a data table."""
    if not any(_BARE_NUMBER.match(line) for line in lines):
        return lines
    cells = table_cells(lines)
    return [line for index, line in enumerate(lines) if index in cells or not _BARE_NUMBER.match(line)]


# A numbered section heading (1、docker脚本, 二、部署) recurs where sections share a plan; no
# slogan or caption carries an outline number.
_NUMBERED_HEADING = re.compile(r"^(?:\d{1,2}|[一二三四五六七八九十]{1,3})[、.．]\s*\S")


def drop_repeated_lines(lines: list[str], context: CleanContext) -> list[str]:
    """Keep one copy of any line seen again: repeated captions, titles, and a whole body
    repeated after the footer (every paragraph of it is a repeat). The copy kept is the
    first, except for a heading: the copy over a paragraph (a post's table of contents
    repeats its section headings; the ones in the body head their sections). Cells of a data
    table (是, 0, 合格), lines without Chinese (code: `-e ENV=dev \\`), numbered section
    headings and a listing's fields (时间：9月9日 14:00) repeat by nature and stay."""
    cells = table_cells(lines)
    keys = [squash_spaces(line) for line in lines]
    keep: dict[str, int] = {}  # the line to keep for each key that repeats
    for index, key in enumerate(keys):
        if key not in keep:
            keep[key] = index
        elif (_is_heading(key) and not _over_prose(lines, keep[key]) and _over_prose(lines, index)):
            keep[key] = index
    kept: list[str] = []
    for index, (line, key) in enumerate(zip(lines, keys)):
        if (keep[key] != index and index not in cells and _HAS_CJK.search(key)
                and not _NUMBERED_HEADING.match(key) and not _FIELD.match(key)):
            continue
        kept.append(line)
    return kept


# A listing's field: a short key, a colon, a value with a number (时间：9月9日（周六）14:00-16:00).
_FIELD = re.compile(r"^[^\s:：。，,]{1,6}[:：](?=.*\d).+")
# A heading: a short line that ends no statement (a question may head a section: 什么是词根？).
_HEADING_MAX_CHARS = 40


def _is_heading(key: str) -> bool:
    return len(key) <= _HEADING_MAX_CHARS and not re.search(r"[。！!；;，,]$", key)


def _over_prose(lines: list[str], index: int) -> bool:
    """The line right after lines[index] is a paragraph of prose."""
    return index + 1 < len(lines) and is_prose_line(lines[index + 1])


# A short line repeated this often is an injected line, not a caption worth keeping once.
SPAM_REPEATS = 3
SPAM_LINE_MAX_CHARS = 40


def drop_injected_lines(lines: list[str], context: CleanContext) -> list[str]:
    """Short lines that are not sentences and recur SPAM_REPEATS times or more (a site's
    slogan or spam line after every caption) go, every copy. A slogan has words: lines without
    Chinese (code in a technical post: `-e ENV=dev \\`), numbered section headings, a
    listing's fields (时间：9月9日 14:00) and table cells repeat by nature."""
    counts: dict[str, int] = {}
    cells = table_cells(lines)
    for index, line in enumerate(lines):
        key = squash_spaces(line)
        if (index not in cells and len(key) <= SPAM_LINE_MAX_CHARS and _HAS_CJK.search(key)
                and not re.search(r"[。！？!?]$", key) and not _NUMBERED_HEADING.match(key) and not _FIELD.match(key)):
            counts[key] = counts.get(key, 0) + 1
    spam = {key for key, count in counts.items() if count >= SPAM_REPEATS}
    if not spam:
        return lines
    return [line for index, line in enumerate(lines) if index in cells or squash_spaces(line) not in spam]


TITLE_REPEATED = Rule("title_repeated", "block", "the title line repeated in the body, or prefixed to captions",
                      apply=drop_title_lines)

BARE_NUMBER = Rule("bare_number", "block", "a counter or code alone on a line (12, SN226), unless a cell of a data table",
                   apply=drop_bare_numbers)

INJECTED_LINE = Rule("injected_line", "block", "a short non-sentence line repeated 3+ times (spam after every caption)",
                     apply=drop_injected_lines)

REPEATED_LINE = Rule("repeated_line", "block", "a caption, title or whole body repeated within the page",
                     apply=drop_repeated_lines)

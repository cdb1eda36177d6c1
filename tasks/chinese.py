"""What Chinese text is made of, as regex text shared by every stage that reads it: the
range of Chinese characters, and the date, time and weekday as pages print them. A leaf:
imports nothing of ours."""
from __future__ import annotations

import re

# Chinese characters: CJK Extension A, the Unified Ideographs, and the compatibility
# ideographs (a class body: write [{CJK}]).
CJK = r"\u3400-\u9fff\uf900-\ufaff"
CJK_CHAR = re.compile(f"[{CJK}]")
# The Unified Ideographs block alone: what the cleaning rules' patterns take for a Chinese
# character (in a name, a caption, a site name).
HANZI = r"\u4e00-\u9fff"

# Characters a page may hold that no one sees: zero-width space, word joiner, byte-order mark,
# soft hyphen (zero-width joiners stay: emoji sequences and some scripts need them).
INVISIBLE = "\u200b\u2060\ufeff\u00ad"
INVISIBLE_CHAR = re.compile(f"[{INVISIBLE}]")

YEAR = r"(?:19|20)\d{2}"
# A year-month-day date: 2022年12月1日, 2022-12-01, 2022.12.1, 2022 / 12 / 01
DATE = rf"{YEAR}\s*[-/.年]\s*\d{{1,2}}\s*[-/.月]\s*\d{{1,2}}\s*日?"
# The same date with the year, month and day as groups 1, 2 and 3 (a day is not followed by
# a digit: 2022-12-011 is no date).
DATE_GROUPS = r"(?<!\d)((?:19|20)\d{2})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})(?!\d)\s*日?"
TIME = r"\d{1,2}[:：]\d{2}(?:[:：]\d{2})?"
WEEKDAY = r"(?:星期|周|週|礼拜|禮拜)[一二三四五六日天]"

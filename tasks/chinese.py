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


# The body that signs a notice or a document, on the line before its date.
ISSUING_BODY = re.compile(r"^[^，。！？,!?：:]{2,40}(?:政府|委员会|委員會|办公室|辦公室|办公厅|辦公廳|指挥部|指揮部|局|厅|廳|部|院|会|會"
                          r"|中心|公司|协会|協會|学校|學校|大学|大學|银行|銀行|小组|小組|党委|黨委|支部|街道|社区|社區|处|處|所|站|队|隊)$")
_DATE_ONLY = re.compile(rf"^\s*{DATE}\s*$")


def is_signing_date(line: str, previous: str) -> bool:
    """line is a date alone under the body that issued the text (某某市人民政府办公室 /
    2023年5月10日): a notice's or document's signing date, its own text."""
    return bool(_DATE_ONLY.match(line) and ISSUING_BODY.match(previous.strip()))


"""Page furniture in list form: menus, breadcrumbs, tag lines, list labels and related-list
items with their dates, dates alone on a line."""
from __future__ import annotations

import re

from tasks.chinese import DATE, HANZI, TIME, WEEKDAY, is_signing_date
from tasks.cleaning.repeats import table_cells
from tasks.cleaning.rule import BULLET, CleanContext, Rule, rx

LIST_LABELS = (r"(?:热点|熱點|热门|熱門|推荐|推薦|最新|头条|頭條|要闻|要聞|原创|原創|视频|視頻|图片|圖片|专题|專題"
               r"|独家|獨家|热榜|熱榜|置顶|置頂|广告|廣告)")

TIMESTAMP_ONLY = rx(rf"^\s*{BULLET}?\s*[\[(（]?\s*{DATE}(?:\s*{WEEKDAY})?(?:\s*{TIME})?(?:\s*{WEEKDAY})?\s*[\])）]?\s*$"
                    rf"|^\s*{BULLET}?\s*{TIME}\s*$")
_TIME_ONLY = re.compile(rf"^\s*{TIME}\s*$")


def drop_timestamp_lines(lines: list[str], context: CleanContext) -> list[str]:
    """Lines that are only a date or a time go, except a document's date under the body that
    issued it (a government notice signs off with both) and a time that is a cell of a data
    table (an economic calendar's or a timetable's first column)."""
    if not any(TIMESTAMP_ONLY.search(line) for line in lines):
        return lines
    cells = table_cells(lines)
    kept: list[str] = []
    for index, line in enumerate(lines):
        if TIMESTAMP_ONLY.search(line) and not (
                index > 0 and is_signing_date(line, lines[index - 1])
                or index in cells and _TIME_ONLY.match(line)):
            continue
        kept.append(line)
    return kept


TAGS_LINE = Rule("tags_line", "line", "keyword and tag lines: 关键词：改造 小区, 标签：…",
                 re.compile(r"^\s*(?:关键词|關鍵詞|关键字|關鍵字|标签|標籤|tags?)\s*[:：].{0,80}$", re.I))

NAVIGATION_MENU = Rule("navigation_menu", "line", "a site menu: short items between pipes (首页 | 新闻 | 体育 | 娱乐)",
                       re.compile(r"^\s*(?:[^|｜丨\s。，！？]{1,8}\s*[|｜丨]\s*){2,}[^|｜丨\s。，！？]{1,8}\s*[|｜丨]?\s*$"))

BREADCRUMB = Rule("breadcrumb", "line", "breadcrumbs: 您现在的位置: 首页 >> 新闻 >> 正文",
                  re.compile(r"^\s*(?:您现在的位置|您現在的位置|您的位置|當前位置|当前位置|所在位置|现在位置|你的位置|位置)\s*[:：].{0,60}$"
                             # (words, not a shell line: `if which docker >/dev/null 2>&1; then`)
                             rf"|^(?=.*[{HANZI}])(?!.*[;&=$(){{}}])[^。！？!?]{{0,20}}(?:\s*(?:>>|>|»|›|＞)\s*[^>»›＞。！？]{{1,12}}){{2,}}\s*$"
                             r"|^[^。！？!?]{0,30}(?:>>|>|»|›|＞)\s*(?:正文|正文内容|详情|詳情|内容|內容)\s*$"))

TIMESTAMP_LINE = Rule("timestamp_line", "block",
                      "a line that is only a date/time (related and hot list debris); a document's date under the body "
                      "that issued it (某某市人民政府 / 2022年9月16日) stays",
                      TIMESTAMP_ONLY, apply=drop_timestamp_lines)

LIST_LABEL = Rule("list_label", "line", "bare category labels of hot and related lists (- 熱點, - 视频)",
                  rx(rf"^\s*(?:{BULLET}\s*[\[【]?{LIST_LABELS}[\]】]?|[\[【]{LIST_LABELS}[\]】])\s*$"))

RELATED_ITEM = Rule("related_item", "line",
                    "a related-list item: a short headline with a trailing date; a list item that gives a date as a "
                    "value (- 报名截止：2024年5月20日) stays",
                    rx(rf"^\s*{BULLET}\s*.{{2,60}}?\s*(?:评论|評論|跟帖)\s*\d+\s*(?:条|條)?\s*$"  # or its comment count
                       rf"|^\s*{BULLET}\s*.{{1,59}}?[^:：为為至到止于於\s]\s*[\[(（]?\s*(?:{DATE}(?:\s*{TIME})?|\d{{1,2}}-\d{{1,2}}(?:\s*{TIME})?)\s*[\])）]?\s*$"))

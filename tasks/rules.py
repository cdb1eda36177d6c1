"""Cleaning rules, as data. Each rule has a name, a kind and a pattern; tests/test_rules.py
holds one test per rule. A new noise class is one entry here plus one test there.

Kinds (applied by tasks/clean.py in this order):
- inline: regex substitution inside a line (pinyin annotations, stray tags, entities)
- line:   drop any line the pattern matches in full (share widgets, editor marks)
- tail:   a line that starts the page's tail (footer, related list, navigation): drop it
          and everything after it; only counts once some article text came before it
- block:  a function over all lines (repeated titles/captions, repeated bodies)
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable, Literal

RuleKind = Literal["inline", "line", "tail", "block"]


@dataclass(frozen=True)
class Rule:
    name: str
    kind: RuleKind
    description: str
    pattern: re.Pattern[str] | None = None
    replacement: str = ""
    # block rules: lines -> lines
    apply: Callable[[list[str]], list[str]] | None = None


def rx(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.I)


INLINE_RULES: list[Rule] = [
    Rule("html_tag", "inline", "raw HTML tags left in text", rx(r"</?[a-z][a-z0-9]*(?:\s[^<>]*)?/?>")),
    Rule("html_entity", "inline", "HTML entities left in text",
         rx(r"&(?:nbsp|amp|lt|gt|quot|ldquo|rdquo|middot|hellip|mdash|#\d{2,6}|#x[0-9a-f]{2,5});"), " "),
    # 發(fā)揮 -> 發揮: a CJK character followed by its tone-marked pinyin in brackets.
    Rule("pinyin_annotation", "inline", "pinyin readings inserted after characters",
         rx(r"(?<=[\u4e00-\u9fff])[(（][a-zü]*[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ][a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]*[)）]")),
]

LINE_RULES: list[Rule] = [
    Rule("share_widget", "line", "share and like widgets",
         rx(r"^\s*[-•·]?\s*(?:\+\d+|分享到[:：]?.*|分享[:：]?|(?:微信|手机)?扫一扫.*|点赞\s*\d*|收藏)\s*$")),
    Rule("editor_mark", "line", "editor marks at the end of a story",
         rx(r"^\s*(?:[(（]完[)）]|【纠错】.*|【糾錯】.*|責任編輯[:：].*|责任编辑[:：].*)\s*$")),
    Rule("ui_prompt", "line", "login, captcha and widget prompts",
         rx(r"^\s*(?:显示|顯示|忘记密码[?？]?|忘記密碼[?？]?|获取验证码|獲取驗證碼|close|登录|登錄|注册|註冊)\s*$")),
]

TAIL_RULES: list[Rule] = [
    Rule("footer", "tail", "site footer: copyright, licences, ICP, hotlines, disclaimers",
         rx(r"(?:版权所有|版權所有|copyright|ICP[备備证證]|公网安备|公網安備|许可证[:：]?\s*\d|許可證[:：]?\s*\d"
            r"|举报电话|舉報電話|报料热线|報料熱線|免责声明|免責聲明|^\s*[?©]\s*\d{4})")),
    Rule("navigation_tail", "tail", "navigation tails: friend links, back to top",
         rx(r"^\s*[-•·]?\s*(?:友情链接|友情鏈接|返回顶部|返回頂部|上一篇|下一篇)")),
    Rule("related_list", "tail", "related-article and hot lists",
         rx(r"^\s*[-•·]?\s*(?:相关推荐|相關推薦|相关文章|相關文章|相关阅读|相關閱讀|热点|熱點|推荐阅读|推薦閱讀)[:：]?\s*$")),
]


def _drop_repeated_lines(lines: list[str]) -> list[str]:
    """Keep the first copy of a short line seen again (titles and captions repeated)."""
    seen: set[str] = set()
    kept: list[str] = []
    for line in lines:
        key = line.strip()
        if key in seen and len(key) < 120:
            continue
        seen.add(key)
        kept.append(line)
    return kept


BLOCK_RULES: list[Rule] = [
    Rule("repeated_line", "block", "a title or caption line repeated in the body",
         apply=_drop_repeated_lines),
]

RULES: list[Rule] = INLINE_RULES + LINE_RULES + TAIL_RULES + BLOCK_RULES

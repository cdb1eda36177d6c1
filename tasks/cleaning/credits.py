"""Marks and credits a story carries around its text: the end mark, the original headline,
editor, proof-reader, photo and agency credits, edition lines, repost notes."""
from __future__ import annotations

import re

from tasks.chinese import HANZI
from tasks.cleaning.rule import Rule, rx

ORIGINAL_TITLE_WORDS = r"(?:原标题|原標題|原题|原題|原文标题|原文標題)"
# Production roles credited under a story. Roles that are also ordinary words (文字, 设计)
# only count with a name after a separator, on a line that is nothing but credits.
EDITOR_ROLE_WORDS = (
    "责任编辑 責任編輯 责编 責編 值班编辑 值班編輯 编辑 編輯 校对 校對 审核 審核 审校 審校 审读 審讀 校读 校讀 签发 簽發"
    " 编审 編審 终审 終審 复审 複審 初审 初審 美编 美編 总监制 總監製 监制 監製 统筹 統籌 策划 策劃 主编 主編 版式设计 版式設計"
    " 美术编辑 美術編輯 版面编辑 版面編輯 排版 设计 設計 文字 海报 海報 制图 製圖 剪辑 剪輯 摄像 攝像 配音 语音 語音 视觉 視覺"
    " 出品人 出品 制作 製作 视频 視頻 实习生 實習生 供稿 摄影 攝影 素材提供 图片提供 圖片提供 资料提供 資料提供 图文 圖文").split()
# Credit blocks align two-character roles with three-character ones by a space (监 制：, 审 读：).
EDITOR_ROLES = ("(?:本版|本期|本文)?(?:" + "|".join(
    r"\s?".join(word) if len(word) == 2 else word for word in sorted(EDITOR_ROLE_WORDS, key=len, reverse=True)) + ")")
# A credited name: Chinese names (with · or an interpunct), a two-character name spaced to
# align (邹 明), Latin names; several joined by 、
EDITOR_NAME = (rf"(?:[{HANZI}·•]{{2,8}}|(?<![{HANZI}])[{HANZI}]\s[{HANZI}](?![{HANZI}])"
               r"|[A-Za-z][A-Za-z .]{1,20})")
EDITOR_SEPARATOR = r"[:：|｜丨︱/／]"
# After an explicit separator, names may also be joined by spaces (出品︱某某栏目组 胖胖).
# Separators are written so that a run of spaces splits only one way (no exponential
# backtracking on a long line that fails at its end).
ROLE_AND_NAMES = (rf"(?:{EDITOR_ROLES}(?:\s*{EDITOR_SEPARATOR}\s*{EDITOR_NAME}(?:(?:\s*[、,，]\s*|\s+){EDITOR_NAME})*"
                   rf"|\s+{EDITOR_NAME}(?:\s*[、,，]\s*{EDITOR_NAME})*)"
                   rf"|{EDITOR_ROLES}\s*[:：]\s*(?=[)）\]】]|$))")

# ---- inline: glued after the story's last sentence

END_MARK = Rule("end_mark", "inline", "the end mark after a story's last sentence: …每月能增收三四千元。(完)",
                re.compile(r"(?<=[。！？!?”’」』])\s*[(（]\s*完\s*[)）]\s*$"), requires="完")

ORIGINAL_TITLE_NOTE = Rule("original_title_note", "inline",
                           "the repost's original headline in brackets after the story's last sentence: …。（原标题：…）",
                           re.compile(r"(?<=[。！？!?”’」』])\s*[(（]\s*(?:原标题|原標題|原题|原題|原文标题|原文標題)\s*(?:为|為)?\s*[:：]?"
                                      r"[^()（）]{1,80}[)）]\s*$"), requires="原")

EDITOR_CREDIT = Rule("editor_credit", "inline",
                     "an editor credit in brackets after the story's last sentence, with a dispatch code: …。（編輯：蘇龍麒）1120221",
                     re.compile(r"(?<=[。！？!?”’」』])\s*[(（]\s*(?:责任编辑|責任編輯|责编|責編|编辑|編輯|校对|校對|审核|審核)"
                                rf"\s*[:：|｜丨︱/／]?\s*[{HANZI}·A-Za-z]{{2,8}}(?:\s*[、,，/／\s]\s*[{HANZI}·A-Za-z]{{2,8}})*"
                                r"\s*[)）]\s*\d{0,8}\s*$"), requires="编編辑輯校审審")

PORTAL_RETURN = Rule("portal_return", "inline",
                     "a portal's link back to itself, glued after the story's last sentence: …前往送别。返回搜狐，查看更多",
                     re.compile(rf"(?:^|(?<=[。！？!?”’」』]))\s*(?:点击|點擊)?返回[{HANZI}A-Za-z]{{1,8}}[，,\s]*"
                                r"(?:查看|阅读|閱讀|浏览|瀏覽)更多[>»]*\s*$"), requires="返")

# ---- lines of their own

CLOSING_MARK = Rule("closing_mark", "line", "closing and correction marks on a line of their own: (完), - END -, 【纠错】",
                    rx(r"^\s*(?:[(（\[【]\s*完\s*[)）\]】]|[(（\[【]\s*(?:纠错|糾錯)\s*[)）\]】].{0,20}|(?:文章)?(?:纠错|糾錯)"
                       r"|[-—\s]*END[-—\s]*)\s*$"), requires="完纠糾Ee")

AGENCY_MARK = Rule("agency_mark", "line", "a news agency, site or client named alone in brackets: （中央社）, （中安在线）, "
                   "（央视新闻客户端）",
                   rx(rf"^\s*[(（][{HANZI}]{{2,12}}(?:社|网|網|在线|在線|报|報|台|客户端|客戶端|新闻|新聞)[)）]\s*$"),
                   requires="(（")

REPOST_NOTE = Rule("repost_note", "line", "a repost note on a line of its own: （本文来自某某）",
                   rx(rf"^\s*[(（]\s*本文(?:来自|來自|转自|轉自|来源|來源).{{1,80}}[)）]\s*$"), requires="本")

ORIGINAL_TITLE = Rule("original_title", "line", "the repost's original headline on a line of its own: 原标题：…, （原题为…）",
                      re.compile(rf"^\s*[(（【\[]?\s*{ORIGINAL_TITLE_WORDS}\s*(?:[:：]|(?:为|為)\s*[:：]?)\s*[^。]{{1,80}}?"
                                 r"\s*[)）】\]]?\s*$"), requires="原")

EDITOR_MARK = Rule("editor_mark", "line",
                   "editor, proof-reader and production credits with any separator, several on one line: "
                   "责任编辑：王丹, 责编:张三, 编辑 | 周某, 校对 王五, 本版责编:程远 版式设计:孟可, 编辑|张三 语音|李四, "
                   "总监制：邹 明, 监 制：高明勇 (roles and names spaced to align), 【编辑：王珏 QQ：…；TEL：…】",
                   re.compile(rf"^\s*[(（\[【]?\s*{ROLE_AND_NAMES}(?:(?:\s*[|｜丨︱/／;；,，]\s*|\s*){ROLE_AND_NAMES})*\s*[)）\]】]?\s*$"
                              # in brackets, with the editor's contacts: 【编辑：王珏 QQ：1485994861；TEL：13810405128】
                              r"|^\s*[(（\[【]\s*(?:责任编辑|責任編輯|责编|責編|编辑|編輯)\s*[:：][^()（）\[\]【】。]{1,80}[)）\]】]\s*$"))

EDITION_LINE = Rule("edition_line", "line", "newspaper edition lines: 某某日报数字报 2023年04月19日, 《某报》(… 第05版)",
                    re.compile(r"^.{0,16}(?:数字报|數字報|电子报|電子報|电子版|電子版|数字版|數字版)(?:\s.{0,40})?$"
                               r"|^[^。！？!?]{0,40}第\s*[0-9０-９A-Za-z]{1,3}\s*版[^。！？!?]{0,16}$"))

PHOTO_CREDIT = Rule("photo_credit", "line", "photo and video credits: 图片来源：视觉中国, 图/某某, 摄影 / 某某, （图片：新华社）",
                    re.compile(r"^\s*(?:(?:图片来源|圖片來源|视频来源|視頻來源|摄影|攝影|配图|配圖)\s*[:：|｜/／]"
                               r"|(?:图|圖|图片|圖片)\s*[/／|｜]|[(（]\s*(?:图|圖|图片|圖片)\s*[:：/／])"
                               r"\s*[^。！？!?，,]{1,24}[)）]?\s*$"))

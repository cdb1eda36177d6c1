"""Cleaning rules, as data. Each rule has a name, a kind, a description and a pattern or a
function; tests/test_rules.py holds one test per rule (by name). A new noise class is one
entry in RULES plus one test.

tasks/clean.py applies the rules in the order of RULES. Kinds:
- inline:   substitution inside each line (pattern + replacement, or a line -> line function)
- line:     drop every line the pattern matches (widgets, editor marks, list debris)
- metadata: drop metadata lines and bylines; their values fill published_at/source/author
- tail:     a line that starts the page's tail (footer, related list, navigation): it and
            everything after it go, unless new article prose follows (then only the line)
- block:    a function over all lines (repeated titles, captions and bodies)

Rules are general: they name noise classes as they appear across Chinese news sites,
never one site's exact strings.
"""
from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from typing import Callable, Literal

from tasks import metadata as meta
from tasks.mojibake import repair_line

RuleKind = Literal["inline", "line", "metadata", "tail", "block"]


@dataclass
class CleanContext:
    """What block and metadata rules share while one text is cleaned."""

    title: str | None = None
    found: meta.TextMetadata = field(default_factory=meta.TextMetadata)


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
    # inline and line patterns: characters of which a line must hold at least one for the
    # pattern to match at all (a necessary condition, so lines without any skip the regex:
    # faster, the same matches). Empty: every line is tried.
    requires: str = ""


def rx(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.I)


CJK = r"\u3400-\u9fff\uf900-\ufaff"
BULLET = r"[-•·*▪◆●■□○>»※]"
DATE = r"(?:19|20)\d{2}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?"
TIME = r"\d{1,2}[:：]\d{2}(?:[:：]\d{2})?"
WEEKDAY = r"(?:星期|周|週|礼拜|禮拜)[一二三四五六日天]"


# ---- inline ------------------------------------------------------------------------------

def _repair_mojibake(line: str) -> str:
    return repair_line(line)[0]


def _unescape(match: re.Match[str]) -> str:
    text = html.unescape(match.group(0))
    return " " if text == "\xa0" else text


# A Chinese character followed by its pinyin with a tone mark, in brackets: 發(fā)揮.
PINYIN_SYLLABLE = r"[a-zü]*[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ][a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]*"

# Sites inject their name and a domain to mark copied text. Real domains are written in
# lower case, or with capitals inside the name (YouTube.com, NOWnews.com); the injected ones
# scramble the case of the www label or the top-level domain (Www.slyday.coM, wWw.Abc.cOm).
_DOMAIN = re.compile(r"(?<![A-Za-z0-9.-])(?:https?://)?((?:[A-Za-z0-9-]+\.)+)([A-Za-z]{2,4})(?![.A-Za-z0-9])")
_COMMON_TLDS = frozenset("com cn net org cc top info xyz vip tv me co io hk tw biz wang site club".split())
# The injected site name before the domain: up to 16 characters up to a space or punctuation,
# joined to the domain by a dash or bar (某某资讯站 - Www.xxx.coM).
_SPAM_NAME = re.compile(r"[^\s，。、,.!?！？”“\"'：:；;()（）]{0,16}\s*[-–—|｜]\s*$")


def _scrambled(label: str) -> bool:
    """Mixed case that no one types: not lower, not upper, not Capitalised (coM, cOm, wWw)."""
    return not (label.islower() or label.isupper() or (label[0].isupper() and label[1:].islower()))


def _irregular_domain(labels: str, tld: str) -> bool:
    first = labels.split(".", 1)[0]
    return (tld.lower() in _COMMON_TLDS and _scrambled(tld)) or (first.lower() == "www" and _scrambled(first))


def _remove_spam_domains(line: str) -> str:
    if "." not in line:
        return line
    # Domains are found first (a cheap scan), names only looked for before irregular ones.
    for match in reversed(list(_DOMAIN.finditer(line))):
        if not _irregular_domain(match.group(1), match.group(2)):
            continue
        name = _SPAM_NAME.search(line, max(0, match.start() - 24), match.start())
        start = name.start() if name else match.start()
        line = line[:start] + line[match.end():].lstrip()
    return line


INLINE_RULES: list[Rule] = [
    Rule("mojibake_gbk_shift", "inline",
         "GBK text decoded one byte off (?!半m然 for 。“雖然): re-decoded a byte later, "
         "or removed when the bytes do not line up", apply=_repair_mojibake),
    Rule("mojibake_copyright", "inline", "a '?' standing for a lost © before a year",
         re.compile(r"(?:(?<=^)|(?<=\s))\?(?=\s*(?:19|20)\d{2}\b)"), "©", requires="?"),
    Rule("caption_marker", "inline", "arrows and bullets that open photo captions (▲修缮后的骑楼街…)",
         re.compile(r"^[▲△▼▽↑↓◤◥]\s*"), requires="▲△▼▽↑↓◤◥"),
    Rule("html_tag", "inline",
         "raw HTML tags left in text, also a tag whose '<' was lost to mojibake",
         rx(r"</?[a-z][a-z0-9]*(?:\s[^<>]*)?/?>|<!--.*?-->"
            r"|\b[a-z][a-z0-9]*(?:\s+[a-z-]+\s*=\s*(?:\"[^\"<>]*\"|'[^'<>]*'))+\s*/?>"), requires=">"),
    Rule("html_entity", "inline", "HTML entities left in text (&nbsp; &ldquo; &#8220;)",
         re.compile(r"&(?:[a-zA-Z]{2,8}|#\d{2,7}|#[xX][0-9a-fA-F]{2,6});"), _unescape, requires="&"),
    Rule("pinyin_annotation", "inline", "pinyin readings inserted after characters: 發(fā)揮",
         rx(rf"(?<=[{CJK}])[(（]{PINYIN_SYLLABLE}[)）]"), requires="(（"),
    Rule("end_mark", "inline", "the end mark after a story's last sentence: …每月能增收三四千元。(完)",
         re.compile(r"(?<=[。！？!?”’」』])\s*[(（]\s*完\s*[)）]\s*$"), requires="完"),
    Rule("original_title_note", "inline",
         "the repost's original headline in brackets after the story's last sentence: …。（原标题：…）",
         re.compile(r"(?<=[。！？!?”’」』])\s*[(（]\s*(?:原标题|原標題|原题|原題|原文标题|原文標題)\s*(?:为|為)?\s*[:：]?"
                    r"[^()（）]{1,80}[)）]\s*$"), requires="原"),
    Rule("editor_credit", "inline",
         "an editor credit in brackets after the story's last sentence, with a dispatch code: …。（編輯：蘇龍麒）1120221",
         re.compile(r"(?<=[。！？!?”’」』])\s*[(（]\s*(?:责任编辑|責任編輯|责编|責編|编辑|編輯|校对|校對|审核|審核)"
                    r"\s*[:：|｜丨︱/／]?\s*[\u4e00-\u9fff·A-Za-z]{2,8}(?:\s*[、,，/／\s]\s*[\u4e00-\u9fff·A-Za-z]{2,8})*"
                    r"\s*[)）]\s*\d{0,8}\s*$"), requires="编編辑輯校审審"),
    Rule("portal_return", "inline",
         "a portal's link back to itself, glued after the story's last sentence: …前往送别。返回搜狐，查看更多",
         re.compile(r"(?:^|(?<=[。！？!?”’」』]))\s*(?:点击|點擊)?返回[\u4e00-\u9fffA-Za-z]{1,8}[，,\s]*"
                    r"(?:查看|阅读|閱讀|浏览|瀏覽)更多[>»]*\s*$"), requires="返"),
    Rule("spam_domain", "inline",
         "injected spam: a site name and an irregular-case domain (某某 - Www.xxxx.coM)",
         apply=_remove_spam_domains),
]

# ---- line --------------------------------------------------------------------------------

WIDGET_WORDS = (
    r"分享到|分享|点赞|點贊|赞|讚|收藏|转发|轉發|转载|評論|评论|打印|打印本页|打印本頁|关闭|關閉"
    r"|关闭窗口|關閉窗口|复制链接|複製鏈接|微信|微博|新浪微博|腾讯微博|騰訊微博|QQ空间|QQ空間|QQ好友|QQ"
    r"|朋友圈|豆瓣|人人网|facebook|twitter|line|weibo|wechat|E-?mail|纠错|糾錯|举报|舉報|反馈|反饋"
    r"|(?:微信|手机|手機)?(?:扫一扫|掃一掃)|字号|字號|大|中|小|默认|默認|A\+|A-|[+＋]\d+"
)
WIDGET_LINE = rx(rf"^(?:[\s\[\]【】()（）|｜/:：,，\d+＋-]*(?:{WIDGET_WORDS}))+[\s\[\]【】()（）|｜/:：,，\d+＋-]*$")

LIST_LABELS = (r"(?:热点|熱點|热门|熱門|推荐|推薦|最新|头条|頭條|要闻|要聞|原创|原創|视频|視頻|图片|圖片|专题|專題"
               r"|独家|獨家|热榜|熱榜|置顶|置頂|广告|廣告)")

# QR-code and account prompts: an (optional) polite lead, a verb, what to scan or follow,
# and what the reader gets by it.
PROMPT_LEAD = r"(?:欢迎|歡迎|请|請|敬请|敬請|记得|記得|赶快|趕快|快来|快來|可以|可)"
PROMPT_VERB = (r"(?:扫描|掃描|扫码|掃碼|扫一扫|掃一掃|长按|長按|识别|識別|关注|關注|订阅|訂閱|添加|加入|戳|点击|點擊"
               r"|搜索|搜尋)")
PROMPT_TARGET = (r"(?:二维码|二維碼|公众号|公眾號|微信号|微信號|视频号|視頻號|服务号|服務號|小程序|官方微博|官方微信"
                 r"|抖音号|抖音號|我们|我們|本号|本號)")
PROMPT_GAIN = (r"(?:我们|我們|本号|本號|本站|本网|本網|小编|小編|更多|获取|獲取|第一时间|第一時間|福利|领取|領取"
               r"|不迷路|精彩|最新)")
READING_PROMPT_WORDS = (r"阅读原文|閱讀原文|轻触阅读原文|輕觸閱讀原文|点个在看|點個在看|点亮在看|點亮在看|点在看|點在看"
                        r"|在看|点赞|點讚|点个赞|點個讚|分享|转发|轉發|收藏|喜欢|喜歡|赞赏|讚賞|\d*人赞赏|写留言|寫留言|留言"
                        r"|向上滑动看下一个|向上滑動看下一個|继续滑动看下一个|繼續滑動看下一個|向上滑动阅览|向上滑動閱覽"
                        r"|知道了|听过|聽過|赞|讚|\d+")
TIMESTAMP_LINE = rx(rf"^\s*{BULLET}?\s*[\[(（]?\s*{DATE}(?:\s*{WEEKDAY})?(?:\s*{TIME})?(?:\s*{WEEKDAY})?\s*[\])）]?\s*$"
                    rf"|^\s*{BULLET}?\s*{TIME}\s*$")
# The body that signs a notice or a document, on the line before its date.
_ISSUING_BODY = re.compile(r"^[^，。！？,!?：:]{2,40}(?:政府|委员会|委員會|办公室|辦公室|办公厅|辦公廳|指挥部|指揮部|局|厅|廳|部|院|会|會"
                           r"|中心|公司|协会|協會|学校|學校|大学|大學|银行|銀行|小组|小組|党委|黨委|支部|街道|社区|社區|处|處|所|站|队|隊)$")
_DATE_ONLY = re.compile(rf"^\s*{DATE}\s*$")


def drop_timestamp_lines(lines: list[str], context: "CleanContext") -> list[str]:
    """Lines that are only a date or a time go, except a document's date under the body that
    issued it (a government notice signs off with both)."""
    kept: list[str] = []
    for index, line in enumerate(lines):
        if TIMESTAMP_LINE.search(line) and not (
                index > 0 and _DATE_ONLY.match(line) and _ISSUING_BODY.match(lines[index - 1])):
            continue
        kept.append(line)
    return kept


# A prompt is one line of at most one sentence (after a short hook: 不想错过？): nothing ends
# a sentence after its first 12 characters but before its end.
ONE_PROMPT = r"(?!.{12,}?[。！？!?].)"
ORIGINAL_TITLE_WORDS = r"(?:原标题|原標題|原题|原題|原文标题|原文標題)"
# Production roles credited under a story. Roles that are also ordinary words (文字, 设计)
# only count with a name after a separator, on a line that is nothing but credits.
EDITOR_ROLE_WORDS = (
    "责任编辑 責任編輯 责编 責編 值班编辑 值班編輯 编辑 編輯 校对 校對 审核 審核 审校 審校 审读 審讀 校读 校讀 签发 簽發"
    " 编审 編審 终审 終審 复审 複審 初审 初審 美编 美編 总监制 總監製 监制 監製 统筹 統籌 策划 策劃 主编 主編 版式设计 版式設計"
    " 美术编辑 美術編輯 版面编辑 版面編輯 排版 设计 設計 文字 海报 海報 制图 製圖 剪辑 剪輯 摄像 攝像 配音 语音 語音 视觉 視覺"
    " 出品人 出品 制作 製作 视频 視頻 实习生 實習生").split()
# Credit blocks align two-character roles with three-character ones by a space (监 制：, 审 读：).
EDITOR_ROLES = ("(?:本版|本期|本文)?(?:" + "|".join(
    r"\s?".join(word) if len(word) == 2 else word for word in sorted(EDITOR_ROLE_WORDS, key=len, reverse=True)) + ")")
# A credited name: Chinese names (with · or an interpunct), a two-character name spaced to
# align (邹 明), Latin names; several joined by 、
EDITOR_NAME = (r"(?:[\u4e00-\u9fff·•]{2,8}|(?<![\u4e00-\u9fff])[\u4e00-\u9fff]\s[\u4e00-\u9fff](?![\u4e00-\u9fff])"
               r"|[A-Za-z][A-Za-z .]{1,20})")
EDITOR_SEPARATOR = r"[:：|｜丨︱/／]"
# After an explicit separator, names may also be joined by spaces (出品︱某某栏目组 胖胖).
# Separators are written so that a run of spaces splits only one way (no exponential
# backtracking on a long line that fails at its end).
EDITOR_CREDIT = (rf"(?:{EDITOR_ROLES}(?:\s*{EDITOR_SEPARATOR}\s*{EDITOR_NAME}(?:(?:\s*[、,，]\s*|\s+){EDITOR_NAME})*"
                 rf"|\s+{EDITOR_NAME}(?:\s*[、,，]\s*{EDITOR_NAME})*)"
                 rf"|{EDITOR_ROLES}\s*[:：]\s*(?=[)）\]】]|$))")

LINE_RULES: list[Rule] = [
    Rule("share_widget", "line",
         "share, like and font-size widgets (分享到, 转播到腾讯微博, - +1, 扫一扫, 欢迎分享到朋友圈, 字号 大 中 小)",
         re.compile(rf"^\s*{BULLET}?\s*(?:(?:分享到|分享至|转播到|轉播到|推荐到|推薦到)[^。！？]{{0,40}}|(?:(?:微信|手机|手機)?(?:扫一扫|掃一掃|扫码|掃碼).{{0,30}}))$"
                    r"|^.{0,30}(?:扫一扫|掃一掃).{0,30}(?:分享|朋友圈).{0,12}$"
                    r"|^.{0,20}(?:点击|點擊)(?:右上角|右上方|右下角|下方).{0,20}(?:分享|朋友圈|轉發|转发).{0,12}$"
                    r"|^\s*(?:欢迎|歡迎)(?:分享|转发|轉發)(?:到|至|给|給)?(?:朋友圈|好友|朋友|更多人)[^。！？]{0,6}$"
                    rf"|{WIDGET_LINE.pattern}", re.I)),
    Rule("closing_mark", "line", "closing and correction marks on a line of their own: (完), - END -, 【纠错】",
         rx(r"^\s*(?:[(（\[【]\s*完\s*[)）\]】]|[(（\[【]\s*(?:纠错|糾錯)\s*[)）\]】].{0,20}|(?:文章)?(?:纠错|糾錯)"
            r"|[-—\s]*END[-—\s]*)\s*$"), requires="完纠糾Ee"),
    Rule("agency_mark", "line", "a news agency or client named alone in brackets: （中央社）, （央视新闻客户端）",
         rx(r"^\s*[(（][\u4e00-\u9fff]{2,12}(?:社|网|網|报|報|台|客户端|客戶端|新闻|新聞)[)）]\s*$"), requires="(（"),
    Rule("repost_note", "line", "a repost note on a line of its own: （本文来自某某）",
         rx(rf"^\s*[(（]\s*本文(?:来自|來自|转自|轉自|来源|來源).{{1,80}}[)）]\s*$"), requires="本"),
    Rule("original_title", "line", "the repost's original headline on a line of its own: 原标题：…, （原题为…）",
         re.compile(rf"^\s*[(（【\[]?\s*{ORIGINAL_TITLE_WORDS}\s*(?:[:：]|(?:为|為)\s*[:：]?)\s*[^。]{{1,80}}?"
                    r"\s*[)）】\]]?\s*$"), requires="原"),
    Rule("editor_mark", "line",
         "editor, proof-reader and production credits with any separator, several on one line: "
         "责任编辑：王丹, 责编:张三, 编辑 | 周某, 校对 王五, 本版责编:程远 版式设计:孟可, 编辑|张三 语音|李四, "
         "总监制：邹 明, 监 制：高明勇 (roles and names spaced to align)",
         re.compile(rf"^\s*[(（\[【]?\s*{EDITOR_CREDIT}(?:(?:\s*[|｜丨︱/／;；,，]\s*|\s*){EDITOR_CREDIT})*\s*[)）\]】]?\s*$")),
    Rule("edition_line", "line", "newspaper edition lines: 某某日报数字报 2023年04月19日, 《某报》(… 第05版)",
         re.compile(r"^.{0,16}(?:数字报|數字報|电子报|電子報|电子版|電子版|数字版|數字版)(?:\s.{0,40})?$"
                    r"|^[^。！？!?]{0,40}第\s*[0-9０-９A-Za-z]{1,3}\s*版[^。！？!?]{0,16}$")),
    Rule("ui_prompt", "line", "login, captcha, search and widget prompts",
         rx(r"^\s*(?:显示|顯示|隐藏|隱藏|忘记密码|忘記密碼|获取验证码|獲取驗證碼|验证码|驗證碼|用户名|用戶名|密码|密碼"
            r"|请输入.{0,12}|請輸入.{0,12}|close|登录|登錄|注册|註冊|立即登录|退出|提交|取消|确定|確定|搜索|首页|首頁"
            r"|加载更多|加載更多|点击加载更多|查看更多|更多|更多>+|展开全文|展開全文|阅读全文|閱讀全文|发表评论|發表評論"
            r"|我要评论|我要評論|网友评论|網友評論|评论区|評論區|已有\d+人(?:评论|參與|参与)|下载客户端|下載客戶端|客户端下载|客戶端下載"
            r"|手机版|手機版|电脑版|電腦版|[\d\s/]*下一页|上一页|[上下]一頁|上一页[\d\s]*下一页|上一頁[\d\s]*下一頁"
            r"|本页共\d+页|本頁共\d+頁|共\d+页|打开APP.{0,6}|打開APP.{0,6}|匿名发表|匿名發表|我要留言|\d+条评论|\d+條評論"
            r"|请?登录后.{0,12}|請?登錄後.{0,12}|加载中\.*|加載中\.*|收藏本文|手机看新闻|手機看新聞"
            r"|大家都在看|广告|廣告|[(（【\[]\s*(?:广告|廣告|推广|推廣)\s*[)）】\]]|推广|推廣|All Rights Reserved\.?"
            r"|(?:点击)?(?:收起|展开)(?:全文)?|更多\S{1,4}"
            r"|原创|原創|播放|暂停|暫停|重播|全屏|\d{1,2}:\d{2}\s*/\s*\d{1,2}:\d{2}"
            r"|(?:发表于|發表於|IP属地|IP屬地)[:：]?\s*\S{2,8}|.{0,12}查看更多|[\W_]{1,10}|只看(?:该|該)?(?:作者|楼主|樓主)"
            r"|本文共\d+字.{0,20}|(?:阅读|閱讀|浏览|瀏覽|点击|點擊)\s*\d+|在看|写留言|寫留言|微信编辑器)"
            r"\s*[?？:：>»]*\s*$")),
    Rule("photo_credit", "line", "photo and video credits: 图片来源：视觉中国, 图/某某, 摄影 / 某某, （图片：新华社）",
         re.compile(r"^\s*(?:(?:图片来源|圖片來源|视频来源|視頻來源|摄影|攝影|配图|配圖)\s*[:：|｜/／]"
                    r"|(?:图|圖|图片|圖片)\s*[/／|｜]|[(（]\s*(?:图|圖|图片|圖片)\s*[:：/／])"
                    r"\s*[^。！？!?，,]{1,24}[)）]?\s*$")),
    Rule("tags_line", "line", "keyword and tag lines: 关键词：改造 小区, 标签：…",
         re.compile(r"^\s*(?:关键词|關鍵詞|关键字|關鍵字|标签|標籤|tags?)\s*[:：].{0,80}$", re.I)),
    Rule("navigation_menu", "line", "a site menu: short items between pipes (首页 | 新闻 | 体育 | 娱乐)",
         re.compile(r"^\s*(?:[^|｜丨\s。，！？]{1,8}\s*[|｜丨]\s*){2,}[^|｜丨\s。，！？]{1,8}\s*[|｜丨]?\s*$")),
    Rule("breadcrumb", "line", "breadcrumbs: 您现在的位置: 首页 >> 新闻 >> 正文",
         re.compile(r"^\s*(?:您现在的位置|您現在的位置|您的位置|當前位置|当前位置|所在位置|现在位置|你的位置|位置)\s*[:：].{0,60}$"
                    # (words, not a shell line: `if which docker >/dev/null 2>&1; then`)
                    r"|^(?=.*[\u4e00-\u9fff])(?!.*[;&=$(){}])[^。！？!?]{0,20}(?:\s*(?:>>|>|»|›|＞)\s*[^>»›＞。！？]{1,12}){2,}\s*$"
                    r"|^[^。！？!?]{0,30}(?:>>|>|»|›|＞)\s*(?:正文|正文内容|详情|詳情|内容|內容)\s*$")),
    Rule("promotion", "line",
         "promotion lines: 更多某某报导, 掌握最新消息, >>加入某某粉丝团, 点击上方蓝字关注, ☆…☆, 【更多精彩新闻，都在《某某》粉丝团】, "
         "追踪更多某某新闻：, 用Plurk追踪某某：追踪, 更多…资讯请关注www.example.com",
         re.compile(rf"^{ONE_PROMPT}[-•·☆★※◆>»\s]*(?:更多.{{0,12}}(?:报导|報導|报道|報道|新闻|新聞|资讯|資訊|内容|內容|精彩)"
                    # 【更多精彩新聞，都在《某某》粉絲團】, 更多文章，都在【某某】
                    r"|[【\[]?\s*更多[^。！？]{0,12}?[，,\s]*(?:都在|尽在|盡在|就在)\s*[《【「\[][^。！？]{1,24}?[】\]]?"
                    # 追蹤更多某某新聞：, 1.用Plurk追蹤某某新聞：追蹤
                    r"|(?:追蹤|追踪|关注|關注|订阅|訂閱)更多[^。！？]{0,20}(?:[:：]|新闻|新聞|资讯|資訊|消息|内容|內容|报导|報導|动态|動態)"
                    r"|(?:\d{1,2}\s*[.、．]\s*)?用\s*[A-Za-z\u4e00-\u9fff]{1,12}?\s*(?:追蹤|追踪|关注|關注|订阅|訂閱)[^。！？]{0,20}[:：]"
                    r"\s*(?:追蹤|追踪|关注|關注|订阅|訂閱)?"
                    # 更多“某某”的相关资讯请关注www.example.com
                    r"|更多[^。！？]{0,40}?(?:请|請)?(?:关注|關注|访问|訪問|登录|登錄|浏览|瀏覽)\s*(?:https?://)?(?:www\.)?[\w-]+(?:\.[\w-]+)+/?"
                    # an account's opening prompt: 点击上方蓝字 关注我们
                    r"|(?:点击|點擊|戳|轻触|輕觸)(?:上方|上面|下方|标题下|標題下).{0,12}(?:关注|關注|订阅|訂閱|星标|星標).{0,12}"
                    r"|(?:按讚|按赞|点赞|點讚|点击|點擊)?加入.{0,16}(?:粉丝团|粉絲團|粉丝页|粉絲頁|好友|官方帐号|官方帳號|官方账号"
                    r"|频道|頻道|群组|群組).{0,20}"
                    r"|.{0,30}(?:掌握|获取|獲取|获得|獲得)(?:最新|第一手)(?:消息|资讯|資訊|新闻|新聞|动态|動態)"
                    r"|(?:点我|點我|按我|点击|點擊)(?:看|查看|订阅|訂閱).{0,12}"
                    r"|分享让更多人看到|分享給更多人)"
                    r"[☆★※◆\s]*$")),
    Rule("app_prompt", "line",
         "app prompts: 下载某某App, 打开某某客户端 查看更多, 尽在某某APP, 點我下載APP, a bar of them, an app's name alone",
         re.compile(rf"^{ONE_PROMPT}[-•·☆★※◆\s]*(?:"
                    r"下载.{0,12}(?:App|APP|app|客户端|客戶端).{0,30}|下載.{0,12}(?:App|APP|app|客戶端).{0,30}"
                    # 打开某某客户端 查看更多, 尽在某某APP, 點我下載APP, or after a short hook: 不想错过？请下载某某APP
                    r"|(?=[^。！？!?]*$).{0,24}(?:下载|下載|打开|打開|尽在|盡在|用|点我|點我|按我|点击|點擊).{0,12}(?:APP|App|app|客户端|客戶端)"
                    r".{0,24}|[^。！？!?]{1,12}[？！?!]\s*(?:请|請)?(?:下载|下載|打开|打開|安装|安裝)[^。！？!?]{0,12}"
                    r"(?:APP|App|app|客户端|客戶端)[^。！？!?]{0,12}"
                    r"|(?:点我|點我|按我|点击|點擊)(?:下载|下載).{0,12}"
                    # a bar of app prompts: no sentence or clause punctuation, two prompt words or more
                    r"|(?=[^。！？!?，,；;]*$)(?=(?:.*?(?:APP|App|app|客户端|客戶端|点我|點我|按我|活动办法|活動辦法"
                    r"|中奖|中獎|抽奖|抽獎)){2}).{0,60}"
                    # an app's name alone on a line: 某某日报客户端
                    r"|[^。，,！？!?\s]{2,10}(?:客户端|客戶端|APP|App))"
                    r"[☆★※◆\s]*$"), requires="载載开開尽盡用点點按客中抽APap"),
    Rule("account_prompt", "line",
         "QR-code and account prompts: 扫描二维码关注我们, 长按识别二维码, 欢迎关注微信公众号：某某, "
         "请识别图中二维码关注, a bare 某某公众号 label; a sentence that reports scanning a code stays",
         re.compile(
             # the prompt opens the line (after at most a short hook without punctuation) ...
             rf"^[^。，,！？!?；;]{{0,12}}?(?:{PROMPT_LEAD})?{PROMPT_VERB}[^。！？!?]{{0,16}}?{PROMPT_TARGET}"
             # ... and is not a sentence, or says what the reader gets by following
             rf"(?:[^。！？!?]*$|(?=.*{PROMPT_GAIN}).{{0,60}}$)"
             # or the page asks for it anywhere in a short line: 请识别图中二维码关注
             rf"|^(?=.{{0,80}}$).*(?:请|請|欢迎|歡迎|敬请|敬請){PROMPT_VERB}[^。！？!?]{{0,10}}?{PROMPT_TARGET}"
             # or the account's name alone: 新浪财经公众号
             r"|^[^。，,！？!?\s]{0,10}(?:微信)?(?:公众号|公眾號|视频号|視頻號|服务号|服務號)\s*$"), requires="码碼号號们們序博信"),
    Rule("comment_box", "line",
         "a portal's comment box: its disclaimer (网友评论仅供其表达个人看法…), 暂无热门评论, 还没有评论, "
         "抢沙发, 热门评论 (12), 文明上网理性发言",
         re.compile(r"^(?=.{0,90}$)[^。]{0,16}(?:网友|網友|读者|讀者|用户|用戶|会员|會員)?(?:评论|評論|留言|跟帖)[^。]{0,4}"
                    r"(?:仅供|僅供|仅代表|僅代表|只代表|不代表|并不代表|並不代表).*$"
                    r"|^(?=.{0,24}$)\s*(?:暂无|暫無|还没有|還沒有|目前没有|目前沒有|尚无|尚無|没有|沒有)(?:任何)?(?:人)?"
                    r"(?:热门|熱門|最新|相关|相關)?(?:评论|評論|留言|跟帖|回复|回覆)\s*(?:[，,。!！~～]\s*(?:快来|快來)[^。]{0,10})?"
                    r"[。!！~～]*$"
                    r"|^(?=.{0,30}$)[^。]{0,8}(?:抢沙发|搶沙發|来说两句|來說兩句|发表你的看法|發表你的看法).*$"
                    r"|^\s*(?:热门|熱門|最新|全部|精彩|网友|網友)(?:评论|評論|跟帖|留言|回复|回覆)\s*[(（]?\s*\d*\s*[)）]?\s*$"
                    r"|^\s*(?:共|已有)?\s*\d*\s*(?:条|條|人)?(?:评论|評論|跟帖|留言|参与|參與)\s*$"
                    r"|^\s*(?:查看|显示|顯示|展开|展開)(?:全部|更多)?\s*\d*\s*(?:条|條)?(?:评论|評論|跟帖|回复|回覆)\s*[>»]*\s*$"
                    r"|^(?=.{0,40}$)\s*(?:文明上网|文明上網|理性发言|理性發言)[^。]*$"), requires="评評论論留言帖回沙说說表看文理参參"),
    Rule("reading_prompt", "line",
         "WeChat's reading prompts and bars under a post: 阅读原文, 点个在看, 分享 点赞 在看, 向上滑动看下一个",
         re.compile(rf"^(?=.*[\u4e00-\u9fff])\s*(?:{READING_PROMPT_WORDS})(?:[\s|｜/，,、]*(?:{READING_PROMPT_WORDS}))*\s*[!！>»]*\s*$")),
    Rule("follow_us", "line", "a site's follow-us line: 关注我们, 关注新华网, 欢迎关注, Follow us",
         re.compile(r"^\s*[-•·]?\s*(?:欢迎|歡迎|请|請)?(?:关注|關注|追踪|追蹤|订阅|訂閱)\s*(?:我们|我們|本站|本网|本網|本号|本號)?"
                    r"\s*[:：]?\s*(?:[^\s，。！？,!?]{1,12}?(?:网|網|报|報|号|號|频道|頻道|微博|APP|App|客户端|客戶端|新闻|新聞|TV))?"
                    r"\s*[!！]?\s*$|^\s*follow\s+us\b.{0,40}$"
                    # an invitation to a social page: 邀請您到 FB 粉絲團 按個"讚"
                    r"|^(?=.{0,60}$).*(?:粉丝团|粉絲團|粉丝页|粉絲頁|粉专|粉專)[^。]{0,12}(?:讚|赞|加入|追踪|追蹤|关注|關注)[^。]{0,6}$"
                    r"|^(?=.{0,60}$).*(?:按讚|按赞|按個|加入|追踪|追蹤|关注|關注)[^。]{0,12}(?:粉丝团|粉絲團|粉丝页|粉絲頁|粉专|粉專)[^。]{0,6}$",
                    re.I), requires="关關追订訂粉oO"),
    Rule("suicide_notice", "line",
         "the suicide-prevention notice Taiwanese sites append to stories of suicide: 自殺防治諮詢安心專線：0800-788995, "
         "生命線：1995, 某某關心您：再給自己一次機會, 自殺解決不了問題，卻留給家人無比悲痛。請珍惜生命。",
         re.compile(
             # a hotline: a suicide or crisis line's name and its number, nothing else
             r"^[-•·*●★◆※\s]*(?=[^。！？]{0,40}$)[^。！？]{0,16}?(?:自殺|自杀|輕生|轻生|生命線|生命线|張老師|张老师|安心專線|安心专线"
             r"|協談|协谈)[^。！？:：]{0,12}\s*[:：]\s*\d[\d\s-]{2,14}\s*(?:[(（]\s*24\s*(?:小時|小时|h|H)\s*[)）])?\s*[；;,，。]?\s*$"
             # the site's care line: 某某關心您：再給自己一次機會, 某某提醒您，請給自己機會：
             r"|^[-•·*●★◆※\s]*(?=[^。]{0,40}$)[^。]{0,24}?(?:關心您|关心您|關心你|关心你|提醒您|提醒你)[:：，,\s]*(?:請|请)?(?:再)?"
             r"(?:給|给)自己(?:一次)?(?:機會|机会)[:：。！!]?\s*$"
             r"|^[-•·*●★◆※\s]*[^。，,\s]{1,12}(?:關心您|关心您|關心你|关心你)[:：]?\s*$"
             r"|^\s*(?:再給自己一次機會|再给自己一次机会)[。！!]?\s*$"
             r"|^(?=.{0,60}$)\s*(?:自殺|自杀|輕生|轻生)(?:解決不了|解决不了|不能解決|不能解决|無法解決|无法解决)(?:任何)?(?:問題|问题)"
             r".*(?:珍惜生命|珍愛生命|珍爱生命|悲痛)"), requires="殺杀輕轻生師师安協协機机關关"),
    Rule("discussion_prompt", "line",
         "a prompt to discuss the story elsewhere: 进入【新浪财经股吧】讨论, 到某某论坛发帖",
         re.compile(rf"^\s*{BULLET}?\s*(?:点击|點擊)?(?:进入|進入|去|到|来|來)\s*[【\[《「]?[^】\]》」。！？]{{0,16}}?"
                    r"(?:股吧|论坛|論壇|社区|社區|贴吧|貼吧|讨论区|討論區|留言板)[】\]》」]?\s*"
                    r"(?:讨论|討論|交流|发帖|發帖|参与讨论|參與討論|聊聊|看看)?\s*[>»]*\s*$"),
         requires="进進去到来來"),
    Rule("video_player", "line",
         "a video player's leftovers: 很抱歉，当前视频播放失败, 时长：01:45 建议WIFI下打开, 正在为您切换到高清480P，请稍候..., "
         "播放速度：2X, 倍速 and quality menus (- 1.5X, 超清), 循环播放, 跳过片头, 错误代码：…",
         re.compile(r"^(?=.{0,40}$)[^。]*(?:视频|視頻|影片|播放器)[^。]{0,4}(?:播放|加载|加載|载入|載入)(?:失败|失敗|出错|出錯|异常|異常)[^。]*$"
                    r"|^\s*(?:时长|時長)\s*[:：]\s*\d{1,2}:\d{2}(?::\d{2})?[^。！？]{0,24}$"
                    r"|^(?=[^。！？]{0,50}$).*(?:建议|建議)\s*(?:在)?\s*(?:WIFI|wifi|Wi-?Fi|WiFi|WLAN)\s*(?:下|环境下|環境下)?\s*(?:打开|打開|观看|觀看|播放)"
                    r"|^(?=.{0,50}$)\s*正在(?:为您|為您)?(?:切换|切換|加载|加載|缓冲|緩衝)[^。]*(?:请稍候|請稍候|请稍等|請稍等|\.{3}|…)\s*$"
                    r"|^\s*(?:播放速度|倍速|清晰度|画质|畫質)\s*[:：]?\s*(?:\d(?:\.\d{1,2})?\s*[Xx倍])?\s*$"
                    r"|^\s*[-•]?\s*\d(?:\.\d{1,2})?\s*[Xx]\s*$"
                    r"|^\s*[-•]?\s*(?:超清|高清|标清|標清|流畅|流暢|蓝光|藍光)(?:\s*\d{3,4}[Pp])?\s*$"
                    r"|^\s*(?:循环播放|循環播放|跳过片头|跳過片頭|跳过片尾|跳過片尾|设置成功|設置成功)\s*$"
                    r"|^\s*(?:错误代码|錯誤代碼)\s*[:：]\s*[\w.-]{1,20}\s*$"),
         requires="视視影播时時建正倍清画畫XxP流蓝藍循跳设設错錯"),
    Rule("wechat_reward", "line",
         "WeChat's notice under a post that its iOS reward (赞赏) button is off: 受苹果公司新规定影响，微信 iOS 版的赞赏功能被关闭…",
         re.compile(r"^(?=.{0,80}$).*(?:苹果|蘋果|iOS|IOS|ios)[^。]{0,24}(?:赞赏|讚賞)功能[^。]{0,6}(?:关闭|關閉|暂停|暫停|下线|下線)"),
         requires="赞讚"),
    Rule("timestamp_line", "block",
         "a line that is only a date/time (related and hot list debris); a document's date under the body "
         "that issued it (某某市人民政府 / 2022年9月16日) stays",
         TIMESTAMP_LINE, apply=drop_timestamp_lines),
    Rule("list_label", "line", "bare category labels of hot and related lists (- 熱點, - 视频)",
         rx(rf"^\s*(?:{BULLET}\s*[\[【]?{LIST_LABELS}[\]】]?|[\[【]{LIST_LABELS}[\]】])\s*$")),
    Rule("related_item", "line",
         "a related-list item: a short headline with a trailing date; a list item that gives a date as a "
         "value (- 报名截止：2024年5月20日) stays",
         rx(rf"^\s*{BULLET}\s*.{{2,60}}?\s*(?:评论|評論|跟帖)\s*\d+\s*(?:条|條)?\s*$"  # or its comment count
            rf"|^\s*{BULLET}\s*.{{1,59}}?[^:：为為至到止于於\s]\s*[\[(（]?\s*(?:{DATE}(?:\s*{TIME})?|\d{{1,2}}-\d{{1,2}}(?:\s*{TIME})?)\s*[\])）]?\s*$")),
]

# ---- metadata ----------------------------------------------------------------------------

METADATA_RULES: list[Rule] = [
    Rule("metadata_line", "metadata",
         "metadata lines (时间/来源/作者/编辑/阅读量 …) and date lines by the headline: values fill columns",
         apply=meta.parse_metadata_line),
    Rule("dateline", "metadata",
         "datelines opening a story (本报讯, 某某网讯, 某某社北京3月14日电) and their (记者 张三): author column; a dateline alone on its line goes",
         apply=meta.parse_dateline),
    Rule("byline", "metadata",
         "bylines (记者 张三 通讯员 李四, 文/张三, 整理 …) and a leading (记者 张三): author column",
         apply=meta.parse_byline),
    Rule("trailing_credit", "metadata",
         "a bracketed credit after a paragraph's last sentence (…受益。（来源：某某 作者：某某）): columns",
         apply=meta.parse_trailing_credit),
]

# ---- tail --------------------------------------------------------------------------------

RELATED_PREFIX = (r"(?:相关|相關|热点|熱點|热门|熱門|推荐|推薦|延伸|精彩|猜你|为您|為您|编辑|編輯|小编|小編|今日|往期|更多|最新"
                  r"|重点|重點|本周|本週|\d{1,3}小时|\d{1,3}小時|点击|點擊|阅读|閱讀|图片|圖片|视频|視頻)")
RELATED_SUFFIX = (r"(?:推荐|推薦|阅读|閱讀|文章|新闻|新聞|报道|報道|链接|鏈接|连结|連結|喜欢|喜歡|排行榜|排行|热文|熱文"
                  r"|回顾|回顧|资讯|資訊|专题|專題|热点|熱點|点阅|點閱|话题|話題)")
# Headings that are a list without a list word (相关, 更多精彩), and the author's or editor's
# other articles under an author box (作者的其他文章, TA的文章, 关于作者).
RELATED_BARE = (r"(?:相关|相關|更多精彩|看了又看|你(?:也)?可能(?:还|還|也)?(?:会|會)?(?:喜欢|喜歡|感兴趣|感興趣|想看|想讀|想读)"
                r"|(?:该|該|此)?(?:作者|编辑|編輯|TA|他|她)的?(?:其他|其它|更多|最新|最近|热门|熱門)?(?:文章|作品|帖子|报道|報道)"
                r"|(?:关于|關於)(?:作者|编辑|編輯)|喜欢此内容的人还喜欢|喜歡此內容的人還喜歡)")
RELATED_HEADING = rf"(?:{RELATED_PREFIX}\S{{0,4}}?{RELATED_SUFFIX}|{RELATED_BARE})"
# A sidebar box's heading: a short label with a 更多 (more) link (热门问答 更多>>, 健康视频更多)
MORE_HEADING = r"[\[【]?[^\s。，！？,!?：:]{2,8}[\]】]?\s*(?:更多|more)\s*[>»›]*"

# Footer markers that do not occur in article prose.
FOOTER_STRONG = (
    r"(?:版权所有|版權所有)(?![人者权權])|copyright|©\s*(?:19|20)\d{2}|ICP\s*[备備证證]"
    r"|[京沪滬津渝粤粵浙苏蘇鲁魯川鄂湘闽閩皖豫冀晋晉辽遼吉黑陕陝甘青琼瓊云雲贵貴桂藏宁寧新蒙]ICP"
    # a licence number is long (许可证：31120170006, 许可证0108263号, 许可证：京B2-20090059), not 许可证12张
    r"|公网安备|公網安備|(?:许可证|許可證)\s*(?:[编編][号號])?\s*[:：]?\s*[（(]?[\u4e00-\u9fffA-Za-z0-9]{0,4}-?\d{5,}"
    r"|未经(?:授权|許可|许可|书面).{0,12}(?:禁止|不得).{0,4}(?:转载|轉載|复制|複製|使用|摘编|摘編|建立镜像)"
    r"|未經(?:授權|許可|書面).{0,12}(?:禁止|不得).{0,4}(?:轉載|複製|使用|摘編|建立鏡像)"
    r"|^[(（【\[]?\s*(?:声明|聲明|注|免责|免責|本文|本站|本网|本網|文章)[^。]{0,60}(?:仅代表|僅代表|不代表)"
    r"|如有侵权|如有侵權|版权归原作者|版權歸原作者|转载请注明|轉載請註明|^\s*[【\[]?(?:免责声明|免責聲明)"
    r"|(?:版权|版權)(?:问题|問題).{0,30}(?:删除|刪除)"
    r"|^\s*(?:联系我们|聯繫我們|關於我們|关于我们|广告服务|廣告服務|网站地图|網站地圖|招聘信息|法律声明|隐私政策|隱私政策)"
    r"|^\s*在线投稿|^\s*在線投稿|^\s*[(（【\[]?\s*(?:特别|特別)?(?:声明|聲明)\s*[:：]|(?:仅|僅)提供信息(?:存储|存儲|发布|發布)"
    # a site's or platform's own statement about what it reposts (某某声明：此消息系转载自…)
    r"|^\s*[(（【\[]?\s*[^\s，。,:：]{0,8}(?:声明|聲明)\s*[:：](?=.*(?:转载|轉載|仅代表|僅代表|不代表|仅供参考|僅供參考"
    r"|不构成|不構成|登载|登載|侵权|侵權|信息存储|信息存儲))"
)
# Markers an article may also mention (举报电话12315, 主办单位, 经营许可证): footer only on
# a short line without sentence punctuation.
FOOTER_WEAK = (
    r"^(?=[^。！？!?]{0,80}$).*?(?:(?:举报|舉報|报料|報料|爆料|投诉|投訴|投稿|新闻|新聞)(?:电话|電話|热线|熱線|邮箱|郵箱)"
    r"|违法和不良信息|違法和不良信息|经营许可证|經營許可證"
    # a site's sponsor line, not an event's organisers: with another footer item on the line
    r"|(?:主办|主辦|承办|承辦)(?:单位|單位)?\s*[:：][^。]{0,40}(?:承办|承辦|协办|協辦|技术支持|技術支持|地址|电话|電話|邮编|郵編"
    r"|维护|維護|版权|版權|ICP)|(?:本站|本网|本網|网站|網站)(?:主办|主辦)\s*[:：])"
)

# A site's notice about copying its text: what it forbids without permission, or asks of who
# reposts. Its subject is the site's own work, or it opens the line (a bare notice); a law a
# story quotes (未经著作权人许可，不得…) names neither.
REPOST_SUBJECT = (r"(?:本网站|本網站|本站|本网|本網|本文|本作品|本刊|本报|本報|本平台|本号|本號|本公众号|本公眾號|专稿|專稿"
                  r"|原创|原創|版权|版權|稿件)")
REPOST_FORBIDDEN = (r"(?:未经|未經|非经|非經)[^。！？]{0,16}?(?:授权|授權|许可|許可|同意)[^。！？]{0,8}?"
                    r"(?:不得|禁止|严禁|嚴禁|请勿|請勿|谢绝|謝絕|勿)[^。！？]{0,6}?"
                    r"(?:转载|轉載|转贴|轉貼|复制|複製|使用|摘编|摘編|重制|重製|公开|公開|镜像|鏡像|刊登|引用)")
REPOST_REQUEST = (r"(?:转载|轉載|转发|轉發|引用)[^。！？]{0,8}?(?:请|請|务请|務請|须|須|务必|務必|必须|必須|烦请|煩請)"
                  r"[^。！？]{0,6}?(?:注明|註明|标明|標明|保留|联系|聯繫|获得|獲得)")

# A link to the previous or next story: 上一篇, 下一則, 前一条, 上一篇文章. Followed by words
# without a separator it is prose (上一篇文章中，我们…).
PREV_NEXT = r"(?:上一|下一|前一|后一|後一)(?:篇|则|則|条|條)(?:文章|新闻|新聞)?"

TAIL_RULES: list[Rule] = [
    Rule("footer", "tail", "site footer: copyright, licences, ICP, 公网安备, hotlines, disclaimers",
         rx(FOOTER_STRONG + "|" + FOOTER_WEAK)),
    Rule("repost_notice", "tail",
         "a notice about copying the site's text, in any form: 本網站之文字、圖片及影音，非經授權，不得轉載; "
         "某某网(www.example.net)专稿，未经书面授权请勿转载; 本作品为某某原创，转载时务请注明出处; 转载请注明出处; "
         "a wiki's own note (百科内容由网友共同编辑…); a law a story quotes stays",
         re.compile(rf"^(?=.{{0,120}}$)(?:[^。！？]*{REPOST_SUBJECT}[^。！？]*?(?:{REPOST_FORBIDDEN}|{REPOST_REQUEST})"
                    rf"|[\s(（【\[]*(?:{REPOST_FORBIDDEN}|{REPOST_REQUEST}))"
                    r"|^(?=.{0,160}$)[^。！？]{0,10}(?:内容|內容)由(?:网友|網友|用户|用戶|读者|讀者)(?:共同|自行)?(?:编辑|編輯|上传|上傳|提供)"),
         requires="未非转轉引内內"),
    Rule("contribution_prompt", "tail",
         "a call for readers' contributions after the story: 有話要說 投稿「即時論壇」, 投稿|someone@example.com",
         re.compile(rf"^(?=[^。]{{0,40}}$)\s*{BULLET}?\s*(?:有话要说|有話要說|有话想说|有話想說|我有话说|我有話說)[^。]*"
                    r"(?:投稿|来稿|來稿|投书|投書)"
                    rf"|^(?=[^。]{{0,80}}$)\s*{BULLET}?\s*(?:欢迎|歡迎)?(?:投稿|来稿|來稿|投书|投書|爆料|报料|報料)"
                    r"(?:邮箱|郵箱|信箱|地址|方式)?\s*[:：|｜丨︱]\s*[\w.+-]+@[\w-]+(?:\.[\w-]+)+"),
         requires="话話投来來爆报報"),
    Rule("navigation_tail", "tail",
         "navigation tails: friend links, back to top, previous/next (上一篇：…, 下一則：…, 【上一条】)",
         rx(rf"^\s*{BULLET}?\s*(?:友情链接|友情鏈接|返回顶部|返回頂部|返回首页|返回首頁|返回列表"
            rf"|[\[【]{PREV_NEXT}[\]】]|{PREV_NEXT}(?=\s|[:：>»與与和及、/|｜]|$)"
            r"|网站导航|網站導航|关注我们|關注我們"
            # the fold of a page's body: what follows it is the page's, unless the story goes on
            r"|阅读剩余全文|閱讀剩餘全文|展开剩余|展開剩餘)")),
    Rule("related_list", "tail",
         "headings of related-article, hot and recommended lists and of an author's other articles "
         "(相关新闻, 推荐阅读, 猜你喜欢, 作者的其他文章, ※你可能還想看：); a heading followed by article prose is a subheading "
         "and stays",
         rx(rf"^\s*{BULLET}?\s*[\[【]?\s*{RELATED_HEADING}\s*[\]】]?\s*[:：>»]*\s*(?:更多.{{0,6}})?$"
            # or a list word in brackets with any ending, alone on its line: 【熱門點閱】, 【最新消息】
            rf"|^\s*{BULLET}?\s*[\[【]\s*{RELATED_PREFIX}[^\]】\s]{{0,4}}\s*[\]】]\s*$"
            rf"|^\s*{BULLET}?\s*{MORE_HEADING}\s*$"
            # or the heading and its first item on one line, not a sentence: 相关新闻: ·标题一 ·标题二
            rf"|^(?=[^。！？!?]*$)\s*{BULLET}?\s*[\[【]?\s*{RELATED_HEADING}\s*[\]】]?\s*[:：\s]\s*\S"
            # or bracketed, its first item right after: 【相关阅读】某某标题
            rf"|^(?=[^。！？!?]*$)\s*{BULLET}?\s*[\[【]\s*{RELATED_HEADING}\s*[\]】]"),
         heading=True, requires="相關热熱推延精猜为為编編小今往更最重本点點阅閱图圖视視作TtA他她关關喜看你Mm"),
    Rule("wechat_tail", "tail",
         "the end of a WeChat post: the account's profile and its prompts (预览时标签不可点, 微信扫一扫关注该公众号, "
         "继续滑动看下一个)",
         re.compile(r"^\s*(?:预览时标签不可点|預覽時標籤不可點|微信扫一扫\s*(?:关注|使用)|微信掃一掃\s*(?:關注|使用)"
                    r"|继续滑动看下一个|繼續滑動看下一個|向上滑动看下一个|向上滑動看下一個|轻点两下取消赞|輕點兩下取消讚"
                    r"|轻点两下取消在看|輕點兩下取消在看|Scan to Follow|Scan with Weixin)"),
         requires="预預微继繼向轻輕S"),
]

# ---- block -------------------------------------------------------------------------------

def squash_spaces(line: str) -> str:
    """A line compared without its whitespace (repeats differ in spacing)."""
    return "".join(line.split())


# Right after the title's words, these make the line a sentence that opens with them
# (市政府召开新闻发布会，宣布…), not the title glued to a caption.
_SENTENCE_GOES_ON = re.compile(r"^\s*[，,、；;。.！!？?：:…]")


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
        key = squash_spaces(line)
        if key == title or squash_spaces(meta.strip_media_markers(line)) == title or (
                key.startswith(title) and len(key) - len(title) <= 12 and meta.looks_like_site_suffix(key[len(title):])):
            continue
        if key.startswith(title) and (not line.startswith(context.title)
                                      or _SENTENCE_GOES_ON.match(line[len(context.title):])):
            kept.append(line)  # whitespace differs (rare), or the title's words open a sentence
            continue
        kept.append(line[len(context.title):].strip() if line.startswith(context.title) else line)
    return [line for line in kept if line]


# Tables reach the cleaner one cell per line (tasks/extract.py). A run of this many short
# lines or more, holding numbers and words, is a data table: its cells are article text, even
# a bare number or a value repeated in many rows.
TABLE_MIN_CELLS = 6
TABLE_CELL_MAX_CHARS = 24
TABLE_MIN_VALUES = 3
_SENTENCE_MARK = re.compile(r"[。！？!?；;]")
# A cell that is a value: a number with at most a unit or two (2185, 1.3万, 12.5%, 3500-4000点)
_VALUE_CELL = re.compile(r"^[-+±~～]?\d[\d.,，:：/%‰\s~～-]*[\u4e00-\u9fffA-Za-z%‰℃]{0,2}$")
_HAS_WORD = re.compile(rf"[{CJK}A-Za-z]")
_HAS_CJK = re.compile(rf"[{CJK}]")


def table_cells(lines: list[str]) -> set[int]:
    """Indexes of the lines that are cells of a data table: runs of at least TABLE_MIN_CELLS
    short lines without sentence marks, with at least TABLE_MIN_VALUES values (numbers) and as
    many words (a widget's counters, 0 人参与, have fewer)."""
    cells: set[int] = set()
    run: list[int] = []
    for index, line in enumerate([*lines, "。"]):  # a sentinel ends the last run
        if len(line) <= TABLE_CELL_MAX_CHARS and not _SENTENCE_MARK.search(line):
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
    """Keep the first copy of any line seen again: repeated captions, titles, and a whole
    body repeated after the footer (every paragraph of it is a repeat). Cells of a data table
    (是, 0, 合格), lines without Chinese (code: `-e ENV=dev \\`) and numbered section headings
    repeat by nature and stay."""
    seen: set[str] = set()
    kept: list[str] = []
    cells = table_cells(lines)
    for index, line in enumerate(lines):
        key = squash_spaces(line)
        if (key in seen and index not in cells and _HAS_CJK.search(key)
                and not _NUMBERED_HEADING.match(key)):
            continue
        seen.add(key)
        kept.append(line)
    return kept


# A short line repeated this often is an injected line, not a caption worth keeping once.
SPAM_REPEATS = 3
SPAM_LINE_MAX_CHARS = 40


def drop_injected_lines(lines: list[str], context: CleanContext) -> list[str]:
    """Short lines that are not sentences and recur SPAM_REPEATS times or more (a site's
    slogan or spam line after every caption) go, every copy. A slogan has words: lines without
    Chinese (code in a technical post: `-e ENV=dev \\`), numbered section headings and table
    cells repeat by nature."""
    counts: dict[str, int] = {}
    cells = table_cells(lines)
    for index, line in enumerate(lines):
        key = squash_spaces(line)
        if (index not in cells and len(key) <= SPAM_LINE_MAX_CHARS and _HAS_CJK.search(key)
                and not re.search(r"[。！？!?]$", key) and not _NUMBERED_HEADING.match(key)):
            counts[key] = counts.get(key, 0) + 1
    spam = {key for key, count in counts.items() if count >= SPAM_REPEATS}
    if not spam:
        return lines
    return [line for index, line in enumerate(lines) if index in cells or squash_spaces(line) not in spam]


BLOCK_RULES: list[Rule] = [
    Rule("title_repeated", "block", "the title line repeated in the body, or prefixed to captions",
         apply=drop_title_lines),
    Rule("bare_number", "block", "a counter or code alone on a line (12, SN226), unless a cell of a data table",
         apply=drop_bare_numbers),
    Rule("injected_line", "block", "a short non-sentence line repeated 3+ times (spam after every caption)",
         apply=drop_injected_lines),
    Rule("repeated_line", "block", "a caption, title or whole body repeated within the page",
         apply=drop_repeated_lines),
]

# The order rules apply in: repairs first (so later patterns see real text), then the
# title (so spam glued to a title caption is at the line start), then lines, metadata,
# the tail and the block rules.
RULES: list[Rule] = [
    *[rule for rule in INLINE_RULES if rule.name != "spam_domain"],
    BLOCK_RULES[0],
    *[rule for rule in INLINE_RULES if rule.name == "spam_domain"],
    *LINE_RULES,
    BLOCK_RULES[1],  # bare numbers: after the widget words around them are gone
    *METADATA_RULES,
    *TAIL_RULES,
    *BLOCK_RULES[2:],
]
assert len({rule.name for rule in RULES}) == len(RULES) == len(
    INLINE_RULES + LINE_RULES + METADATA_RULES + TAIL_RULES + BLOCK_RULES)

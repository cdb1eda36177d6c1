"""Title, date, source and author: from the HTML tree and from metadata lines in the text.

General extractors get these wrong on Chinese pages: `<title>` carries the site's suffix
(`_新闻中心`, ` - 某某网`, `|某某网`), and a date found anywhere on the page may come from a
related list or the copyright line. Here the title is the headline (h1, or the page title
without its suffix); the date is the article's own: a published-time meta tag, the date
line by the headline, or the URL path, in that order; times are Beijing time (+08:00)
unless the page gives an offset. Dates are ISO 8601 text: "2022-12-01" when only a date is
given, "2022-02-22T17:33:03+08:00" with a time.
"""
from __future__ import annotations

import json
import re
import unicodedata
from copy import deepcopy
from dataclasses import dataclass, field, fields
from datetime import date
from functools import lru_cache

from tasks.chinese import CJK, CJK_CHAR, DATE, DATE_GROUPS, INVISIBLE_CHAR, TIME, WEEKDAY

BEIJING = "+08:00"


@dataclass
class TextMetadata:
    """Values found in the text or the page; None where nothing was found."""

    published_at: str | None = None
    source: str | None = None
    author: str | None = None

    def fill_from(self, other: "TextMetadata") -> None:
        """Take other's values where this one has none (the first value found wins)."""
        for f in fields(self):
            if getattr(self, f.name) is None and getattr(other, f.name) is not None:
                setattr(self, f.name, getattr(other, f.name))


@dataclass
class PageMetadata(TextMetadata):
    title: str | None = None
    # The element holding the headline, for the decision whether the page is an article.
    headline_element: object | None = field(default=None, repr=False, compare=False)


@lru_cache(maxsize=None)
def xpath(expression: str):
    """A compiled XPath; strings come back plain. lxml is imported here, not at module import:
    only the processes that parse HTML need it."""
    from lxml import etree

    return etree.XPath(expression, smart_strings=False)


# ---- dates ---------------------------------------------------------------------------------

_DATE = re.compile(
    DATE_GROUPS
    # the time may follow the weekday (2024年11月20日 星期三 10:05)
    + rf"(?:\s*(?:{WEEKDAY}\s*)?"
    r"(?:T|\s)?\s*(\d{1,2})\s*[:：时時]\s*(\d{2})"
    r"(?:\s*[:：分]\s*(\d{2}))?(?:\.\d+)?)?"
    r"\s*(Z|[+-]\d{2}:?\d{2}(?!\d))?")
# Dates in URL paths: /2022/12/01/, /2022-12/01/, /20221201/, t20221201_123.html, /202212/01/
_URL_DATE = re.compile(
    r"(?<!\d)((?:19|20)\d{2})[/_-]?(0[1-9]|1[0-2])[/_-]?(0[1-9]|[12]\d|3[01])(?!\d)")


def iso_date(text: str | None, default_offset: str = BEIJING) -> str | None:
    """The first date in text as ISO 8601 text, or None. Full-width digits count
    (２０２４年１１月２０日)."""
    if not text:
        return None
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text)  # full-width digits and separators
    for match in _DATE.finditer(text):
        value = _iso(match, default_offset)
        if value:
            return value
    return None


def _iso(match: re.Match[str], default_offset: str) -> str | None:
    year, month, day, hour, minute, second, offset = match.groups()
    try:
        day_value = date(int(year), int(month), int(day))
    except ValueError:
        return None
    # A time of exactly midnight is what CMSs write when no time was given.
    if hour is None or (int(hour) == int(minute) == int(second or 0) == 0):
        return day_value.isoformat()
    if int(hour) > 23 or int(minute) > 59 or int(second or 0) > 59:
        return day_value.isoformat()
    if offset in (None, ""):
        offset = default_offset
    elif offset.upper() == "Z":
        offset = "+00:00"
    elif ":" not in offset:
        offset = f"{offset[:3]}:{offset[3:]}"
    return f"{day_value.isoformat()}T{int(hour):02d}:{int(minute):02d}:{int(second or 0):02d}{offset}"


# Parts of a page that date other stories or the site: related and recommended lists,
# rankings, comments, sidebars, navigation, footers (by tag, class or id).
_OTHER_STORIES = re.compile(r"(?:^|[\s_-])(?:related?|relevant|recommend\w*|recom|tuijian|xiangguan|hot\w*|rank\w*)"
                            r"(?:$|[\s_\d-])", re.I)


def without_other_stories(tree):
    """A copy of the page without the parts that date other stories: a date finder looking
    at the whole page takes a related story's date for the article's."""
    copy = deepcopy(tree)
    doomed = [el for el in copy.iter() if isinstance(el.tag, str) and (
        _OTHER_STORIES.search(f"{el.get('class') or ''} {el.get('id') or ''}"))]
    for el in doomed:
        if el.getparent() is not None:
            el.getparent().remove(el)
    return copy


def date_from_htmldate(tree) -> str | None:
    """htmldate's reading of the page (its markup, scripts and text patterns), day only: the
    last resort when neither a meta tag, the line under the headline nor the URL gives the
    date. It is a candidate, not a replacement: it misreads some Chinese date lines that
    the rules above read right. Its quick search only: the extensive one reads the text's
bare years too (a footer's © 2001-2024 becomes 2024-01-01)."""
    from htmldate import find_date  # installed with trafilatura

    try:
        found = find_date(without_other_stories(tree), extensive_search=False, original_date=True,
                          outputformat="%Y-%m-%d")
    except Exception:  # a date finder failing costs the date, not the page
        return None
    return found or None


# A publication time a page's script holds as a Unix timestamp: WeChat's `var ct =
# "1659274471"` (the page itself prints 昨天 or a date its script fills in), and the
# publish_time / createTime fields of app-made pages (Toutiao, Baijiahao).
_SCRIPT_TIMESTAMP = re.compile(
    r"""(?<![\w.])(?:ct|create_?time|createTime|publish_?time|publishTime|pub_?time|pubTime|publish_?date)"""
    r"""["']?\s*[:=]\s*["']?(1\d{9})(?!\d)""")


def date_from_script(tree) -> str | None:
    """The first publication timestamp in the page's scripts, in Beijing time."""
    from datetime import datetime, timedelta, timezone

    for script in xpath("//script[not(@src)]/text()")(tree):
        found = _SCRIPT_TIMESTAMP.search(script)
        if found:
            moment = datetime.fromtimestamp(int(found.group(1)), timezone(timedelta(hours=8)))
            return moment.isoformat(timespec="seconds")
    return None


def _own_url(tree) -> str:
    """The page's own URL as it states it (canonical link, og:url): a saved page or a WARC
    record read from disk carries the dates its URL path gives."""
    found = xpath("//link[@rel='canonical']/@href | //meta[@property='og:url']/@content")(tree)
    return found[0] if found else ""


def date_from_url(url: str) -> str | None:
    path = url.split("://", 1)[-1].split("/", 1)[-1] if "/" in url else ""
    for match in _URL_DATE.finditer(path):
        try:
            return date(int(match.group(1)), int(match.group(2)), int(match.group(3))).isoformat()
        except ValueError:
            continue
    # a path segment that is a year-last date (/article/05-19-2013/3008/)
    segment = next((part for part in path.split("/") if _YEAR_LAST.fullmatch(part)), None)
    return _year_last_date(segment) if segment else None


# ---- titles --------------------------------------------------------------------------------

# What portals add to a headline about its media: 某某(图), 某某（组图）, 组图：某某, 视频｜某某.
_MEDIA_SUFFIX = re.compile(r"\s*[(（]\s*(?:高清)?(?:组图|組圖|多图|多圖|图|圖|图文|圖文|视频|視頻|附图|附圖|附视频|附視頻)"
                           r"\s*[)）]\s*$")
_MEDIA_PREFIX = re.compile(r"^\s*(?:组图|組圖|图文|圖文|视频|視頻|图集|圖集|多图|多圖)\s*[:：｜|]\s*")


def strip_media_markers(title: str) -> str:
    """The headline without its media markers (the story's own words only)."""
    return _MEDIA_PREFIX.sub("", _MEDIA_SUFFIX.sub("", title)) or title


# The separators sites put between the headline and their name.
_TITLE_SEPARATOR = re.compile(r"\s*(?:\s[-–—|｜]\s|[_｜|]|——|--|\s?[-－]\s?(?=\S{2,20}$)|\s—\s)\s*")
_SITE_WORDS = re.compile(
    r"(?:网|網|报|報|新闻|新聞|中心|频道|頻道|站|在线|在線|客户端|客戶端|平台|官网|官網|门户|門戶|首页|首頁|政府|"
    r"电视台|電視台|广播|廣播|日报|日報|晚报|晚報|时报|時報|周刊|週刊|杂志|雜誌|传媒|傳媒|媒体|媒體|社|台|"
    r"资讯|資訊|在綫|新闻网|官方网站|官方網站|网站|網站|网页|網頁|编辑部|編輯部|融媒|APP|app|"
    # an institution's own site: a school's, a hospital's, a bureau's, a company's
    r"大学|大學|学院|學院|学校|學校|中学|中學|小学|小學|医院|醫院|研究院|研究所|协会|協會|学会|學會|委员会|委員會|"
    r"管理局|集团|集團|银行|銀行|有限公司|股份公司)$")
_ASCII_SITE = re.compile(r"^[\w.\- ]*(?:\.(?:com|cn|net|org|gov|hk|tw)\S*|[A-Za-z]{2,}\s*(?:News|NEWS|news)?)$")


def looks_like_site_suffix(segment: str) -> bool:
    """A title segment that names the site or a section, not the story."""
    segment = segment.strip(" -–—_|｜:：")
    if not segment:
        return True
    if len(segment) > 24:
        return False
    return bool(_SITE_WORDS.search(segment) or _ASCII_SITE.match(segment))


def unspaced(title: str) -> str:
    """A headline printed a character at a time (一 名 休 班 警 涉 嫌…): its characters
    joined; any other title as it is."""
    tokens = title.split()
    single = sum(1 for token in tokens if len(token) == 1 and CJK_CHAR.match(token))
    return "".join(tokens) if len(tokens) >= 4 and single >= 0.8 * len(tokens) else title


# A section's name after the site's, before the headline (財經, 国际新闻).
MAX_SECTION_CHARS = 4


def names_a_section(title: str | None) -> bool:
    """A title made only of a site's and sections' names (無綫新聞 - 頭版, 要闻_某某网): a
    channel page's, no story's headline."""
    parts = [part for part in _TITLE_SEPARATOR.split(" ".join((title or "").split())) if part.strip()]
    return bool(parts) and all(looks_like_site_suffix(part) or len(_squash(part)) <= MAX_SECTION_CHARS for part in parts)


def strip_site_suffix(title: str, site_names: tuple[str, ...] = ()) -> str:
    """The headline without the site's name and section after it (and before it, for
    `某某网 - 标题` pages)."""
    title = " ".join(title.split())
    separators = list(_TITLE_SEPARATOR.finditer(title))
    if not separators:
        return title
    # Each segment's place in the title: a segment's words may recur in a later one (标题_财经_海港财经网).
    starts = [0, *(m.end() for m in separators)]
    ends = [*(m.start() for m in separators), len(title)]
    parts = [title[start:end] for start, end in zip(starts, ends)]
    names = {n.strip() for n in site_names if n and n.strip()}
    # The first segment after the headline that names the site or a section ends the
    # headline: what follows is the site's too (标题_公司新闻_关键词_关键词_某某有限公司).
    # (An empty segment, between the halves of a long dash ————, ends nothing.)
    last = next((i for i in range(1, len(parts))
                 if parts[i].strip() and (parts[i].strip() in names or looks_like_site_suffix(parts[i]))),
                len(parts)) - 1
    # Before the headline, the site's name and then a section's (無綫新聞 - 財經 - 标题):
    # each shorter than the longest segment after it.
    first = 0
    while first < last and (parts[first].strip() in names or (looks_like_site_suffix(parts[first])
                                                              and len(parts[first]) < max(map(len, parts[first + 1:last + 1])))):
        first += 1
    if 0 < first < last and len(parts[first].strip()) <= MAX_SECTION_CHARS and len(parts[first]) < len(parts[last]):
        first += 1
    # Separators inside a headline (新疆兵团第十二师|基层党员…) stay as written.
    return title[starts[first]:ends[last]].strip()


# ---- HTML ----------------------------------------------------------------------------------

_PUBLISHED_META = (
    "article:published_time", "og:article:published_time", "og:published_time", "published_time",
    "publishdate", "publish_date", "publish-date", "pubdate", "publishtime", "publish_time",
    "datepublished", "dc.date.issued", "dc.date", "dcterms.created", "dcterms.issued",
    "firstpublishedtime", "sailthru.date", "date", "weibo:article:create_at", "mediapub_date",
    "contentpublishdate", "createdate", "article.published",
)
_SOURCE_META = ("source", "contentsource", "article:source", "og:source", "mediaid", "media")
_AUTHOR_META = ("author", "article:author", "byline", "dc.creator", "og:author")
_TITLE_META = ("articletitle", "og:title", "twitter:title", "title", "headline")
_SITE_META = ("og:site_name", "sitename", "site_name", "application-name", "apple-mobile-web-app-title")
# How far after the headline the date line is looked for, in characters of text.
HEADLINE_WINDOW = 300
# The date line sits within this many characters after the headline.
HEADLINE_DATE_WINDOW = 160


def _meta_values(tree) -> dict[str, str]:
    values: dict[str, str] = {}
    for el in tree.iter("meta"):
        key = (el.get("property") or el.get("name") or el.get("itemprop") or el.get("http-equiv") or "")
        content = el.get("content")
        if key and content and content.strip():
            values.setdefault(key.strip().lower(), content.strip())
    for el in xpath("descendant-or-self::*[@itemprop]")(tree):  # elements only, in document order
        prop = el.get("itemprop")
        if prop and prop.lower() in ("datepublished", "headline", "author") and prop.lower() not in values:
            text = el.get("content") or el.get("datetime") or (el.text_content() if hasattr(el, "text_content") else "")
            if text and text.strip():
                values[prop.lower()] = text.strip()
    for script in tree.iter("script"):
        if (script.get("type") or "").lower() != "application/ld+json" or not script.text:
            continue
        try:
            data = json.loads(script.text)
        except ValueError:
            continue
        for item in data if isinstance(data, list) else [data]:
            if isinstance(item, dict):
                for key in ("datePublished", "headline"):
                    if isinstance(item.get(key), str):
                        values.setdefault(key.lower(), item[key])
    return values


def _first(values: dict[str, str], keys: tuple[str, ...]) -> str | None:
    for key in keys:
        if values.get(key):
            return values[key]
    return None


def _text(el) -> str:
    return " ".join("".join(el.itertext()).split())


def _visible_text(el) -> str:
    """_text without invisible characters (a headline may open with a byte-order mark:
    <h1>\ufeff災情未止…</h1>); headlines and titles only: the search costs on every block."""
    return " ".join(INVISIBLE_CHAR.sub("", "".join(el.itertext())).split())


# A date and time a template prints inside the headline element (馮光遠：… 2014-04-30 23:54).
_TRAILING_DATE = re.compile(rf"\s+{DATE}(?:\s*{TIME})?\s*$")


# A count a template glues to the headline (comments, views: 第二章 失乡号的船长241).
_TRAILING_COUNT = re.compile(r"(?<=[^\d\s])\s*\d{1,6}$")


def _headline_text(el, reference: str = "") -> str:
    """The element's text without a printed date, and without a trailing count or a deck
    under a line break where the page title holds the headline without it."""
    text = _TRAILING_DATE.sub("", _visible_text(el))
    if not reference or _squash(text) in reference:
        return text
    bare = _TRAILING_COUNT.sub("", text)
    if bare != text and _squash(bare) in reference:
        return bare
    first = _first_line(el)  # <h1>美研究﹕中國米鉛超標百倍<br><br>疑西方傾倒毒廢料所致</h1>
    if first and _squash(first) in reference:
        return first
    return text


def _first_line(el) -> str | None:
    """The element's text before its first <br>, None without one."""
    if el.find(".//br") is None:
        return None
    copy = deepcopy(el)
    for br in copy.iter("br"):
        br.tail = "\ue000" + (br.tail or "")  # private use: no page prints it
    return " ".join(INVISIBLE_CHAR.sub("", "".join(copy.itertext())).split("\ue000")[0].split())


MAX_SITE_NAME = 10


def _headline(tree, page_title: str, meta_title: str | None,
              site_names: tuple[str, ...] = ()) -> tuple[object | None, str | None]:
    """The element holding the story's headline: the longest h1, h2, h3 or element marked as
    a title that the page title contains and that is not the site's or a section's name (a
    logo h1 and a blog's name are in the page title too, the site's name may be og:site_name),
    else the only h1."""
    reference = _squash(" ".join(x for x in (page_title, meta_title or "") if x))
    # The site's names: og:site_name, and the page title's segments that strip_site_suffix
    # cuts (如何推動區域經貿合作 | ETtoday論壇新聞 | ETtoday 新聞雲: a logo h1 holds the last).
    headline_part = _squash(strip_site_suffix(page_title, site_names)) if page_title else ""
    names = {_squash(name) for name in site_names}
    names |= {_squash(part) for part in _TITLE_SEPARATOR.split(page_title or "")
              if _squash(part) and _squash(part) not in headline_part}

    def names_site(text: str) -> bool:
        return looks_like_site_suffix(text) or _squash(text) in names

    h1s = [(el, _headline_text(el, reference)) for el in tree.iter("h1")]
    h1s = [(el, t) for el, t in h1s if 2 <= len(t) <= 120]
    if reference:
        others = [(el, _headline_text(el, reference)) for el in [*tree.iter("h2", "h3"), *xpath(_marked_with(("title",)))(tree)]
                  if el.tag not in ("title", "meta", "script", "style", "body", "html", "h1")]
        matching = [(el, t) for el, t in h1s + [(el, t) for el, t in others if 4 <= len(t) <= 120]
                    if _squash(t) in reference]
        # (nor a copy of the whole page title, the site's name at its end: a photo viewer's
        # caption bar holding 某某標題 | 國際 | 三立新聞網 SETN.COM beside the h1)
        stories = [(el, t) for el, t in matching
                   if not names_site(t) and not any(len(name) >= 2 and _squash(t).endswith(name) and _squash(t) != name
                                                    for name in names)]
        if stories or matching:
            # An h1 wins a tie: templates mark the headline with h1, a teaser with h2.
            return max(stories or matching, key=lambda pair: (len(_squash(pair[1])), pair[0].tag == "h1"))
    # The only h1, unless it is a short name (a logo): site names are short, and a 13-character
    # headline ending in 举报 is no 某某报. Nor a link to a site's home page: the logo (a
    # site's name, or a spam site's over a hacked template), not the story.
    if (len(h1s) == 1 and not (names_site(h1s[0][1]) and len(_squash(h1s[0][1])) <= MAX_SITE_NAME)
            and not _home_link(h1s[0][0])):
        return h1s[0]
    return None, None


# A headline above the story's text: this long, no full stop at its end.
HEADLINE_ABOVE_CHARS = (6, 80)
# How many elements before the story's container the headline is looked for in, and under
# how many of its ancestors.
HEADLINE_ABOVE_ELEMENTS = 40
HEADLINE_ABOVE_LEVELS = 4


def headline_above(container, page_title: str | None, untitled: bool = False) -> tuple[object, str] | None:
    """The headline printed just above the story's container, for a page whose h1 gives
    none and whose title may be the site's (<title>科普中国-辟谣文章</title>, <div
    class="rumor-title">徒手抓子弹真的存在吗？</div>): the nearest of the HEADLINE_ABOVE_ELEMENTS
    elements before the container that is a heading (h1-h6) or marked as a title, if it reads
    as a headline and is no link. None when the page title already holds it, or it holds the
    page title and a date line's words (来源, 2023-12-01). untitled: the page's title gives
    no headline at all (empty, or the site's name), so a line of plain text above the story
    counts too (<div class="tt26">, <td>中風年輕化 劉泰英14歲孫子腦溢血</td>)."""
    # (XPath gives the nearest elements in document order: the nearest is the last)
    nearest = next((el for el in reversed(xpath(f"preceding::*[position() <= {HEADLINE_ABOVE_ELEMENTS}]")(container))
                    if (_titled(el) or untitled and _plain_line(el)) and _squash(_text(el))), None)
    # ... in the story's own part of the page: under one of the container's nearest
    # ancestors, not in a sidebar or a header before it
    near = [el for el in list(container.iterancestors())[:HEADLINE_ABOVE_LEVELS] if el.tag not in ("body", "html")]
    if nearest is None or not any(ancestor in near for ancestor in nearest.iterancestors()):
        return None
    text = _headline_text(nearest)
    words, reference = _squash(text), _squash(page_title or "")
    if (not HEADLINE_ABOVE_CHARS[0] <= len(words) <= HEADLINE_ABOVE_CHARS[1] or text.endswith("。")
            or looks_like_site_suffix(text) or nearest.find(".//a") is not None
            or next(nearest.iterancestors("a"), None) is not None
            or reference and (words in reference or reference in words and _INFO.search(words.replace(reference, "", 1)))):
        return None
    return nearest, text


def date_under(headline_el) -> str | None:
    """The date of the date line under a headline element (the story's, not a list's)."""
    return _date_line(_text_after(headline_el).split("。")[0][:HEADLINE_DATE_WINDOW])


def _plain_line(el) -> bool:
    """An element holding one line of plain text that could be a headline: no child
    elements, Chinese words, no sentence's end, no date line's words."""
    if not isinstance(el.tag, str) or len(el) or el.tag in ("title", "script", "style", "option", "a", "label"):
        return False
    text = _text(el)
    return (HEADLINE_ABOVE_CHARS[0] <= len(_squash(text)) <= HEADLINE_ABOVE_CHARS[1] and len(CJK_CHAR.findall(text)) >= 4
            and not text.rstrip().endswith(("。", "：", ":")) and not _INFO.search(text))


def _titled(el) -> bool:
    return isinstance(el.tag, str) and (
        el.tag in ("h1", "h2", "h3", "h4", "h5", "h6") or "title" in f"{el.get('class') or ''} {el.get('id') or ''}".lower())


_HOME_URL = re.compile(r"^(?:(?:https?:)?//[^/?#]+)?/?(?:index\.\w+)?$", re.I)


def is_home_url(url: str | None) -> bool:
    """A site's home page address: its root (/, https://host/, //host/index.html)."""
    return bool(url and url.strip() and _HOME_URL.match(url.strip()))


def _home_link(el) -> bool:
    """The element's whole text is one link to a site's home page (/, https://host/)."""
    links = el.findall(".//a")
    return (len(links) == 1 and is_home_url(links[0].get("href") or "#")
            and _squash(_text(links[0])) == _squash(_text(el)))


def _squash(text: str) -> str:
    return "".join(text.split())


# Put between the texts of two blocks by _text_after: a byline's list of names must not run
# on into the next paragraph (记者 钱多多 | 晚上十点，…), and "｜" separates no names.
BLOCK_BREAK = "｜"
_BLOCK_TAGS = frozenset(("div", "p", "section", "article", "header", "footer", "main", "aside", "nav", "ul", "ol",
                         "li", "dl", "dt", "dd", "table", "tr", "td", "th", "blockquote", "br", "hr",
                         "h1", "h2", "h3", "h4", "h5", "h6"))


def _text_after(el, limit: int = HEADLINE_WINDOW) -> str:
    """Text that follows el in document order (its tail, then following elements), up to
    limit characters: where the date/source line sits on news templates. Blocks are
    separated by BLOCK_BREAK."""
    chunks: list[str] = [el.tail] if el.tail else []
    total = 0
    for node, piece in following(el):
        if node is not None:  # an element starts
            if node.tag in _BLOCK_TAGS and chunks and chunks[-1] != BLOCK_BREAK:
                chunks.append(BLOCK_BREAK)
            continue
        if piece.strip():
            chunks.append(piece.strip())
            total += len(piece.strip())
            if total >= limit:
                break
    return " ".join(chunks)[:limit]


def following(el):
    """What follows el in document order, outside el: (element, None) where an element
    starts and (None, text) for its text and, after its subtree, its tail; its following
    siblings' subtrees, then its ancestors' (lazily: the window closes after a few hundred
    characters, and the page before the headline need not be walked)."""
    node = el
    while node is not None:
        for sibling in node.itersiblings():
            yield from _in_order(sibling)
        node = node.getparent()


def _in_order(el):
    if isinstance(el.tag, str) and el.tag not in ("script", "style"):
        yield el, None
        if el.text:
            yield None, el.text
        for child in el:
            yield from _in_order(child)
    elif el.tag == "script" and el.text and "document.write" in el.text and not el.get("src"):
        # a script that writes the date line's value (TRS sites: 发布时间： var pubdata='2018年02月13日';
        # document.write(pubdata)): the dates it holds are the page's text there
        for found in SCRIPT_DATE.finditer(el.text):
            yield None, found.group(1)
    if el.tail:
        yield None, el.tail


# A date in a script's string literal (time: '2018-11-22 16:41:47').
SCRIPT_DATE = re.compile(rf"""['"]\s*({DATE}(?:\s*{TIME})?)\s*['"]""")


# Keys of a publication date in a page's JSON-LD (schema.org, and Baidu's own pubDate).
_JSONLD_PUBLISHED = re.compile(r'"(?:datePublished|pubDate|dateCreated)"\s*:\s*"([^"]{8,40})"')


def _jsonld_published(tree) -> str | None:
    for script in xpath("//script[@type='application/ld+json']/text()")(tree):
        found = _JSONLD_PUBLISHED.search(script)
        if found:
            return found.group(1)
    return None


# A block under the headline longer than this, or that reads as a sentence, with no date
# key, is the story's prose: a date in it (…，1975年1月28日出生于新加坡，…) is not the article's.
MAX_DATE_LINE = 80


# A date given with its lunar date is a calendar's (a person's birthday in an encyclopedia's
# key facts, a portal header's today): no publication line gives one.
_LUNAR = re.compile(r"农历|農曆")


# A calendar badge: the day in a block of its own beside the year and month (21 | 2024年02月).
_BADGE_DAY = re.compile(r"^(\d{1,2})\s*日?$")
_BADGE_YEAR_MONTH = re.compile(r"^((?:19|20)\d{2})\s*[-/.年]\s*(\d{1,2})\s*月?$")


def _badge_date(first: str, second: str) -> str | None:
    for day_text, month_text in ((first, second), (second, first)):
        day, year_month = _BADGE_DAY.match(day_text.strip()), _BADGE_YEAR_MONTH.match(month_text.strip())
        if day and year_month and 1 <= int(day.group(1)) <= 31 and 1 <= int(year_month.group(2)) <= 12:
            return f"{year_month.group(1)}-{int(year_month.group(2)):02d}-{int(day.group(1)):02d}"
    return None


def _date_line(text: str) -> str | None:
    """The first date in a date line under the headline: a short block, or one with a date
    key (发布时间：…), or a calendar badge (21 | 2024年02月)."""
    blocks = text.split(BLOCK_BREAK)
    for index, block in enumerate(blocks):
        if _LUNAR.search(block):
            continue
        if re.search(_DATE_KEYS, block) or (len(block.strip()) <= MAX_DATE_LINE and not _SENTENCE.search(block)):
            found = (iso_date(block) or (_badge_date(block, blocks[index + 1]) if index + 1 < len(blocks) else None)
                     or _year_last_date(block) or _english_date(block))
            if found:
                return found
    return None


# A date with its year last (05-19-2013, 19/05/2013), as some Hong Kong and Taiwan sites print it.
_YEAR_LAST = re.compile(r"(?<![\d.:/-])(\d{1,2})\s*[-/.]\s*(\d{1,2})\s*[-/.]\s*((?:19|20)\d{2})(?![\d.:/-])")


def _year_last_date(text: str) -> str | None:
    """The day of a year-last date where its order is certain: the number over 12 is the
    day (05-19-2013 is 19 May, 19/05/2013 too); 05/06/2013 could be either and gives none."""
    match = _YEAR_LAST.search(text)
    if not match:
        return None
    first, second, year = (int(group) for group in match.groups())
    if (first > 12) == (second > 12):
        return None
    day, month = (first, second) if first > 12 else (second, first)
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


# A date with an English month's name, month first: a BBS's ctime (Sun Jan  1 15:43:24 2017,
# PTT's 時間 line), Jan 1, 2017 and January 1, 2017 15:43.
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_ENGLISH_DATE = re.compile(
    r"(?<![A-Za-z])(Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t|tember)?"
    r"|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)(?![a-z])\.?\s+(\d{1,2})(?!\d),?\s+"
    r"(?:(\d{1,2}):(\d{2})(?::(\d{2}))?\s+((?:19|20)\d{2})|((?:19|20)\d{2})(?:\s+(\d{1,2}):(\d{2})(?::(\d{2}))?)?)(?!\d)",
    re.I)


def _english_date(text: str) -> str | None:
    match = _ENGLISH_DATE.search(text)
    if not match:
        return None
    month, day, hour, minute, second, year, year_first, hour_after, minute_after, second_after = match.groups()
    year, hour, minute, second = (year or year_first, hour or hour_after, minute or minute_after,
                                  second or second_after)
    text_date = f"{year}-{_MONTHS.index(month[:3].lower()) + 1:02d}-{int(day):02d}"
    if hour is not None:
        text_date += f" {int(hour):02d}:{minute}:{second or '00'}"
    return iso_date(text_date)


def _keyed_date_line(text: str) -> str | None:
    """The date of a date line further under the headline, past a summary paragraph: a
    short block without a sentence that names its fields (作者：某某 来源：某某 | 2018-10-29
    10:35). A related list's dated items name none."""
    for block in text.split(BLOCK_BREAK):
        if len(block.strip()) <= MAX_DATE_LINE and not _SENTENCE.search(block) and _KEY.search(block) \
                and not _LUNAR.search(block):
            found = iso_date(block)
            if found:
                return found
    return None


def html_metadata(tree, url: str) -> PageMetadata:
    """Title, published_at, source and author of an HTML page (an lxml tree)."""
    values = _meta_values(tree)
    title_el = tree.find(".//title")
    page_title = _visible_text(title_el) if title_el is not None else ""
    meta_title = _first(values, _TITLE_META)
    site_names = tuple(v for v in (_first(values, _SITE_META),) if v)
    headline_el, headline = _headline(tree, page_title, meta_title, site_names)
    title = headline
    if not title:
        raw = values.get("articletitle") or meta_title or page_title or values.get("headline")
        title = strip_site_suffix(raw, site_names) if raw else None
    title = unspaced(title) if title else title

    # The line under the headline, up to the first full stop: the story starts there. With no
    # headline element, under the headline printed as plain text (<div id="artical_topic">),
    # else the first line that reads like one.
    under = headline_el if headline_el is not None else _printed_headline(tree, title)
    head_line = _text_after(under).split("。")[0] if under is not None else _info_line(tree)

    published = iso_date(_first(values, _PUBLISHED_META)) or iso_date(_jsonld_published(tree))
    shown = _date_line(head_line[:HEADLINE_DATE_WINDOW]) if head_line else None
    if not shown and under is not None:
        shown = _keyed_date_line(_text_after(under))  # after a summary paragraph
    # The line under the headline may give the time a date-only meta tag leaves out.
    if not published or (shown and len(published) == 10 and shown.startswith(published)):
        published = shown or published
    if not published:
        published = (date_from_url(url) or date_from_url(_own_url(tree)) or date_from_script(tree)
                     or date_from_htmldate(tree))

    meta_source = _first(values, _SOURCE_META)
    if meta_source:  # <meta name="source" content="来源：某某网">: the value without its key
        meta_source = re.sub(rf"^(?:{_SOURCE_KEYS})\s*[:：]\s*", "", meta_source) or None
    source = (meta_source or _keyed_value(head_line, _SOURCE_KEYS)
              or _classed_text(tree, ("source", "src"))
              or _account_name(tree))
    author = (_keyed_value(head_line, _AUTHOR_KEYS) or _classed_text(tree, ("author",))
              or _head_byline(head_line))
    meta_author = _first(values, _AUTHOR_META)
    if not author and meta_author and not looks_like_site_suffix(meta_author) and not _URLISH.search(meta_author):
        author = meta_author  # (not an address: article:author often gives a profile's URL)
    source = source.strip(_VALUE_EDGE) if source else None
    if source and (len(source) > 40 or _URLISH.search(source)):
        source = None
    # No source named: the publisher is the site itself (its name in og:site_name, in the
    # page title's suffix, or as the meta author).
    source = source or _site_name(values, page_title, meta_author)
    author = _clean_name(author)
    if author and source and source in author and author != source:
        author = author.replace(source, " ").strip() or None  # 高洁 晨报: the outlet is the source
    return PageMetadata(published_at=published, source=source, author=author, title=title,
                        headline_element=headline_el)


_URLISH = re.compile(r"^https?:|^[\w-]+(?:\.[\w-]+)+(?:/\S*)?$")


def _site_name(values: dict[str, str], page_title: str, meta_author: str | None) -> str | None:
    named = _first(values, _SITE_META)
    if named and not _URLISH.search(named):
        return named.strip()
    parts = _TITLE_SEPARATOR.split(" ".join(page_title.split())) if page_title else []
    if len(parts) > 1:
        for part in (parts[-1], parts[0]):
            part = part.strip(" -–—_|｜:：")
            if looks_like_site_suffix(part) and not _URLISH.search(part) and len(part) >= 2:
                return part
    if meta_author and looks_like_site_suffix(meta_author):
        return meta_author.strip()
    return None


# A headline printed as plain text is at least this long (a section's name is shorter).
MIN_PRINTED_HEADLINE = 8


@lru_cache(maxsize=1)
def _printed_text():
    """Text nodes holding $probe outside links and menus, each knowing its parent (smart strings)."""
    from lxml import etree

    return etree.XPath(".//body//text()[contains(., $probe) and not(ancestor::a) and not(ancestor::option) "
                       "and not(ancestor::script) and not(ancestor::style) and not(ancestor::title)]",
                       smart_strings=True)


# The shortest probe worth an XPath search for the printed headline.
MIN_PROBE_CHARS = 4


def _printed_headline(tree, title: str | None):
    """The first element whose whole text is the headline, outside links and menus: a
    headline printed with no heading element or title class (<div id="artical_topic">)."""
    words = _squash(title or "")
    # The title's longest run without a space is in one text node of the page however the
    # page spaces the title: 有沒有聯俄抗中的八卦, or Flash』（閃電俠） in a title of short runs.
    probe = max((title or "").split(), key=len, default="")
    if len(words) < MIN_PRINTED_HEADLINE or len(probe) < MIN_PROBE_CHARS:
        return None
    for node in _printed_text()(tree, probe=probe):
        el = node.getparent() if not node.is_tail else node.getparent().getparent()
        while el is not None and el.tag not in ("body", "html"):
            squashed = _squash(_text(el))
            if squashed == words:
                return el
            if len(squashed) > len(words):
                break
            el = el.getparent()
    return None


def _info_line(tree) -> str:
    """Without a headline element: the first short block that reads like the line under a
    headline (发布时间：… 作者：… 来源：…)."""
    pattern = re.compile(rf"(?:{_DATE_KEYS}|{_SOURCE_KEYS}|{_AUTHOR_KEYS})\s*[:：]")
    for el in tree.iter("div", "p", "span", "td", "li"):
        text = _text(el)
        if len(text) <= 200 and len(pattern.findall(text)) >= 2:
            return text
    return ""


def _keyed_value(text: str, keys: str) -> str | None:
    match = re.search(rf"(?:{keys})\s*[:：]\s*((?:{_ROLE}\s*)?[^\s|｜丨/【】\[\]()（）]{{2,30}})", text)
    return match.group(1) if match else None


def _head_byline(text: str) -> str | None:
    """记者林佳慧/台北报导 in the line under the headline."""
    match = _BYLINE_PART.search(text[:HEADLINE_DATE_WINDOW])
    return _byline_author(match.group(0)) if match else None


# ---- metadata lines ------------------------------------------------------------------------

_DATE_KEYS = ("发布时间|發布時間|發佈時間|发表时间|發表時間|发布日期|發布日期|發佈日期|更新时间|更新時間|发稿时间|發稿時間"
              "|最新更新|最后更新|最後更新|更新日期|更新于|更新於"
              "|时间|時間|日期|发布于|發布於")
_SOURCE_KEYS = "文章来源|文章來源|信息来源|信息來源|本文来源|本文來源|新闻来源|新聞來源|来源|來源|稿源|出处|出處"
_AUTHOR_KEYS = "作者|记者|記者|撰稿|撰文|采写|採寫|通讯员|通訊員"
_OTHER_KEYS = ("责任编辑|責任編輯|责编|責編|编辑|編輯|校对|校對|审核|審核|阅读量|閱讀量|阅读数|閱讀數|阅读|閱讀"
               "|浏览次数|瀏覽次數|浏览量|瀏覽量|浏览|瀏覽|点击数|點擊數|点击量|點擊量|点击|點擊|访问量|訪問量|人气|人氣"
               "|字号|字號|字体|字體|发布者|發布者|发布人|發布人|发布|發布|摄影|攝影|分享|评论|評論"
               "|出品|策划|策劃|统筹|統籌|监制|監製|制作|製作|设计|設計|视觉|視覺")
_ALL_KEYS = f"{_DATE_KEYS}|{_SOURCE_KEYS}|{_AUTHOR_KEYS}|{_OTHER_KEYS}"
# A key opens the line or follows a separator; glued to the value before it, it needs the
# full-width colon (来源：IT之家作者：骑士责编：骑士).
_KEY = re.compile(
    rf"(?:^|(?<=[\s|｜丨︱/【\[(（·,，;；])|(?=(?:{_ALL_KEYS})：))\s*(?P<key>{_ALL_KEYS})"
    r"\s*(?:[:：]|\s[|｜](?=\s)|(?<!\s)(?P<bar>[|｜丨︱])(?!\s))")
# A bar right after a key (来源|某报, 作者︱春春) is a separator only for the date, the source
# and the author: other keys glued to a bar open column headings (评论丨…, 设计丨…).
_BARRED_FIELDS = ("date", "source", "author")
_FIELD_BY_KEY = [(re.compile(rf"^(?:{_DATE_KEYS})$"), "date"), (re.compile(rf"^(?:{_SOURCE_KEYS})$"), "source"),
                 (re.compile(r"^(?:通讯员|通訊員)$"), "contributor"), (re.compile(rf"^(?:{_AUTHOR_KEYS})$"), "author")]
_VALUE_EDGE = " \t\xa0\u3000|｜丨︱/【】[]()（）·,，;；"
_SENTENCE = re.compile(r"[。！？!?；;]|[,，].*[,，]")
# A single-key line is metadata only when its value is this short: `记者：你怎么看？` in an
# interview is article text.
MAX_SINGLE_VALUE = 30
MAX_METADATA_LINE = 160
_LEADING_DATE = re.compile(
    rf"^[\s【\[(（]*(?:原创|原創|转载|轉載|独家|獨家)?\s*(?:{DATE})(?:\s*{TIME})?[\s】\])）]*")
# What a headline element may print after the headline (headline_above): the date line's
# keys and dates.
_INFO = re.compile(rf"{_SOURCE_KEYS}|{_AUTHOR_KEYS}|{_OTHER_KEYS}|时间|時間|日期|\d{{4}}\s*[-/.年]")


# Words glued to a date's 日 (no time, space or bracket between) make a sentence or a caption
# that opens with the date (2020年12月27日投入使用的雄安站), not a date line; a weekday or a
# byline glued to it is still one.
_GLUED_WORDS = re.compile(rf"^(?!星期|周[一二三四五六日天]|週|礼拜|禮拜)[{CJK}]")


def _field(key: str) -> str | None:
    for pattern, name in _FIELD_BY_KEY:
        if pattern.match(key):
            return name
    return None


def parse_metadata_line(line: str, head: bool = False) -> tuple[str | None, TextMetadata | None]:
    """If line is a metadata line (`时间: 2022-12-01 来源: 某报 编辑: 某某 阅读量: 123`, or a
    date line `2022-12-01 10:00 来源：某网`), return (None, its values); else (line, None).
    A date counts only when keyed (发布时间) or when the line sits by the headline (head):
    bare dates elsewhere belong to related lists."""
    text = line.strip()
    if not text or len(text) > MAX_METADATA_LINE:
        return line, None
    leading = _LEADING_DATE.match(text)
    rest = text[leading.end():] if leading else text
    keys = [key for key in _KEY.finditer(rest) if not key.group("bar") or _field(key.group("key")) in _BARRED_FIELDS]
    if not keys:
        if leading and leading.group(0).endswith("日") and _GLUED_WORDS.match(rest) and not parse_byline(rest)[1]:
            return line, None  # words right after the date: a sentence or caption (2020年12月27日投入使用的雄安站)
        if leading and (not rest.strip() or (len(rest) <= 20 and not _SENTENCE.search(rest))):
            byline = parse_byline(rest)[1] if rest.strip() else None
            return None, TextMetadata(published_at=iso_date(leading.group(0)) if head else None,
                                      author=byline.author if byline else None)
        return line, None
    if rest[:keys[0].start()].strip(_VALUE_EDGE):
        return line, None  # text before the first key: a sentence that mentions a key
    found = TextMetadata()
    contributor = None
    if leading and head:
        found.published_at = iso_date(leading.group(0))
    for index, match in enumerate(keys):
        end = keys[index + 1].start() if index + 1 < len(keys) else len(rest)
        value = rest[match.end():end].strip(_VALUE_EDGE)
        if len(keys) == 1 and not leading and (len(value) > MAX_SINGLE_VALUE or _SENTENCE.search(value)):
            return line, None
        name = _field(match.group("key"))
        if name == "date":
            if found.published_at is None:
                found.published_at = iso_date(value)
            if iso_date(value) is None and len(keys) == 1 and not leading:
                return line, None  # 时间：… without a date is a sentence
        elif name == "source" and value and found.source is None:
            found.source = value.split()[0] if len(value.split()) > 1 and len(value) > 16 else value
        elif name == "author" and value and found.author is None:
            found.author = _clean_name(value)
        elif name == "contributor" and value:
            contributor = _clean_name(value)
    if found.author is None and contributor:
        found.author = contributor
    return None, found


# A credit in brackets closing a paragraph, after its last sentence:
# …打下良好基础。（本文来源：经济日报 作者：张三）, …群众受益。(来源：县融媒体中心)
_TRAILING_CREDIT = re.compile(
    r"(?<=[。！？!?”’」』])\s*[(（]\s*(?P<credit>(?:本文|稿件|文章|信息)?(?:来源|來源|来自|來自|转自|轉自|编辑|編輯|责编|責編"
    r"|责任编辑|責任編輯|作者|记者|記者|通讯员|通訊員)\s*[:：][^()（）]{1,40}?)\s*[)）]\s*$")


def parse_trailing_credit(line: str, head: bool = False) -> tuple[str | None, TextMetadata | None]:
    """`…群众受益。（来源：县融媒体中心）`: the credit leaves the paragraph; its source and
    author fill the columns the page left empty."""
    match = _TRAILING_CREDIT.search(line)
    if not match:
        return line, None
    found = parse_metadata_line(match.group("credit"))[1]
    return line[:match.start()].rstrip(), found or TextMetadata()


# A role: 记者 may carry its outlet (交汇点记者); one-character roles need a slash or colon (文/张三).
_ROLE = (rf"(?:[{CJK}]{{0,8}}?(?:记者|記者|评论员|評論員)"
         r"|(?:特约|特約|实习|實習|见习|見習)?(?:通讯员|通訊員|作者|撰稿|撰文|采写|採寫|摄影|攝影|整理|素材|供稿"
         r"|编译|編譯|翻译|翻譯|实习生|實習生|美术|美術|制图|製圖)"
         r"|(?:文|图|圖|摄|攝)(?=\s*[/／:：︰|｜丨︱]))")
# A person (2-4 characters, or a transliterated name with ·) or an organisation.
# Not a name: role words, 综合 (a compiled report), or a preposition (记者从某局获悉).
_NOT_ROLE = r"(?!记者|記者|通讯员|通訊員|作者|摄影|攝影|综合|綜合)"
_NOT_PREPOSITION = r"(?![从從在对對向于於跟和与與将將把被是])"
# Nor what a reporter does in prose (记者看到，…; 记者近日走访…).
_NOT_VERB = (r"(?!看到|看見|见到|見到|了解|获悉|獲悉|获知|獲知|得知|注意到|发现|發現|采访|採訪|走访|走訪|探访|探訪|来到|來到"
             r"|实地|實地|随机|隨機|现场|現場|近日|日前|昨日|昨天|今天|今日|一行|再次|多次|第一时间|第一時間|体验|體驗"
             r"|拨打|撥打|联系|聯繫|致电|致電|询问|詢問|观察|觀察|调查|調查|跟随|跟隨|跟踪|跟蹤|蹲守"
             # nor what an author box labels (作者文章, 作者主页)
             r"|文章|作品|帖子|专栏|專欄|主页|主頁)")
_NAME = (rf"{_NOT_PREPOSITION}{_NOT_VERB}(?:(?:{_NOT_ROLE}[{CJK}]){{2,14}}(?:部|社|局|中心|委|办|辦|台|报|報|网|網|站|院|会|會|队|隊|所|厅|廳)"
         rf"|(?:{_NOT_ROLE}[{CJK}]){{1,6}}·[{CJK}]{{1,8}}"
         # a portal's desk with a Latin acronym (文/搜狐IT)
         rf"|(?:{_NOT_ROLE}[{CJK}]){{2,6}}[A-Z]{{1,4}}(?![A-Za-z{CJK}])|(?:{_NOT_ROLE}[{CJK}]){{2,4}}(?![{CJK}]))")
_NAMES = rf"{_NAME}(?:\s*[、,，\s]\s*{_NAME})*"
_ROLES = rf"(?:{_ROLE}\s*[:：︰/／|｜丨︱]?\s*)+"  # 整理 交汇点记者 林元沁: roles may follow each other
# (記者 王小明／台北報導): a byline may end with where it was filed from.
_FILED = r"(?:\s*[/／]\s*[^\s/／()（）]{2,6}(?:报导|報導|报道|報道))?"
# A byline may open with a bullet (■记者 蔡少玲, Hong Kong papers' end credit).
_BYLINE = re.compile(rf"^(?:[■●◆▲]\s*)?[(（【\[]?\s*(?:{_ROLES}{_NAMES}\s*)+{_FILED}[)）】\]]?$")
_BYLINE_PART = re.compile(rf"(?P<role>{_ROLES})(?P<names>{_NAMES})")
# (记者 张三) at the start of the first paragraph, or right after a dateline (某某讯, 某某电).
_LEADING_BYLINE = re.compile(
    rf"^(?P<dateline>[^\s(（]{{2,24}}?(?:讯|訊|电|電)\s*)?[(（]\s*(?P<byline>(?:{_ROLE})\s*[:：]?\s*{_NAMES}"
    rf"(?:\s*[、,，\s]\s*(?:{_ROLE})\s*[:：]?\s*{_NAMES})*)\s*[)）]\s*")
MAX_BYLINE = 48
# A dateline opening the first paragraph: 本报讯, 某某网讯 (then a space or a byline),
# 某某社北京3月14日电, 某某网南昌11月20日消息, each with an optional (记者 张三).
_DATELINE = re.compile(
    rf"^(?:本报讯|本報訊|本报电|本報電|[^\s，。,、:：“”\"]{{2,16}}?(?:讯|訊)(?=[\s(（])"
    rf"|[^\s，。,、:：“”\"]{{2,20}}?(?:\d{{1,2}}月)?\d{{1,2}}日(?:电|電|讯|訊|消息))"
    rf"\s*(?:[(（](?P<byline>[^()（）]{{1,40}})[)）])?\s*"
    # or a bracketed credit: 〔记者王小明／台北报导〕, 〔南岛新闻网/综合报导〕, 【某某日报专讯】
    # (not a related list's heading: 【相关报道】, 【延伸报导】)
    rf"|^[〔［【(（](?P<filed>(?!相关|相關|延伸|更多|推荐|推薦|热点|熱點|最新)[^〔〕［］【】()（）]{{2,30}}?(?:报导|報導|报道|報道|专讯|專訊|讯|訊)"
    rf"(?:\s*(?:记者|記者)\s*[^〔〕［］【】()（）]{{2,12}})?)[〕］】)）]\s*")
_REPORTER = re.compile(r"记者|記者|作者|撰稿|撰文|采写|採寫|^文$")


def parse_byline(line: str, head: bool = False) -> tuple[str | None, TextMetadata | None]:
    """A byline line (`通讯员 张礴 记者 张柳妞`, `文/张三`) goes whole; a leading `(记者 张三)`
    goes from its paragraph (unless a dateline opens it). Returns (what remains of the line or None, the author found)."""
    text = line.strip()
    if len(text) <= MAX_BYLINE and _BYLINE.match(text):
        return None, TextMetadata(author=_byline_author(text))
    lead = _LEADING_BYLINE.match(text)
    if lead and len(text) > lead.end():
        found = TextMetadata(author=_byline_author(lead.group("byline")))
        # after a dateline (本报讯（记者 张三）…) the byline is part of it, and stays with it
        return (line if lead.group("dateline") else text[lead.end():]), found
    return line, None


def strip_dateline(line: str) -> str:
    """The line without a dateline opening it (for a title derived from the first sentence)."""
    match = _DATELINE.match(line.strip())
    return line.strip()[match.end():] if match else line


def parse_dateline(line: str, head: bool = False) -> tuple[str | None, TextMetadata | None]:
    """`本报讯 省气象台今天…` or `新华社北京3月14日电（记者 张三）…`: a byline in the dateline
    gives the author. The dateline stays in its paragraph: it is the story's first words as
    published, and every source's own text keeps it. A dateline alone on its line goes."""
    text = line.strip()
    match = _DATELINE.match(text)
    if not match:
        return line, None
    byline = match.group("byline") or match.group("filed")
    found = TextMetadata(author=_byline_author(byline) if byline else None)
    return (line if text[match.end():] else None), found


_OUTLET = re.compile(r"(?:报|報|网|網|社|台|站|刊)$")


def _byline_author(text: str) -> str | None:
    reporters, others = [], []
    for part in _BYLINE_PART.finditer(text):
        # An outlet after the names (记者 高洁 晨报) is not a person.
        names = [n for n in re.split(r"[、,，\s]+", part.group("names")) if n and not _OUTLET.search(n)]
        (reporters if _REPORTER.search(part.group("role")) else others).extend(names)
    names = reporters or others
    return " ".join(names) if names else None


def _clean_name(value: str | None) -> str | None:
    """A person's name out of a byline value: `记者 王喆 通讯员 李堃` gives 王喆."""
    if not value:
        return None
    value = value.strip(_VALUE_EDGE)
    if re.fullmatch(r"(?:综合|綜合)(?:报导|報導|报道|報道)|(?:本报|本報|本网|本網)(?:讯|訊)?", value):
        return None  # a compiled report names no author
    if _BYLINE_PART.search(value):
        return _byline_author(value) or None
    return value or None


def _marked_with(words: tuple[str, ...]) -> str:
    """XPath for the elements whose class or id contains one of words (lower-case ASCII) in
    any case: the few candidates _classed_text checks, found without a Python walk over the
    whole page, in document order. Only the words' own letters need folding to lower case."""
    letters = "".join(sorted(set("".join(words)) & set("abcdefghijklmnopqrstuvwxyz")))
    marks = f"translate(concat(@class, ' ', @id), '{letters.upper()}', '{letters}')"
    return f"descendant-or-self::*[@class or @id][{' or '.join(f'contains({marks}, {word!r})' for word in words)}]"


_ACCOUNT = "descendant-or-self::*[@id='js_name' or contains(concat(' ', @class, ' '), ' profile_nickname ')]"


def _account_name(tree) -> str | None:
    """A WeChat article's account (<a id="js_name">, <strong class="profile_nickname">): its
    publisher when the page names no source."""
    for el in xpath(_ACCOUNT)(tree):
        text = _text(el)
        if 2 <= len(text) <= 30:
            return text
    return None


def _classed_text(tree, words: tuple[str, ...]) -> str | None:
    """Text of the first short element whose class or id names one of words (source,
    author): templates mark the line under the headline this way."""
    exact, partial = [], []
    for el in xpath(_marked_with(words))(tree):
        if el.tag in ("meta", "script", "style", "body", "html", "a"):
            continue
        classes = (el.get("class") or "").lower().split()
        marks = classes + (el.get("id") or "").lower().split()
        if any(word in marks for word in words):
            exact.append(el)
        elif any(words[0] in mark for mark in classes):
            partial.append(el)
    for el in exact + partial:  # class="source" before class="date-source"
        text = _text(el)
        dated = _DATE.search(text)  # 谢若含2017-03-01 14:27:02: the name before the date
        text = text[:dated.start()].strip() if dated else text
        if 2 <= len(text) <= 40 and not _not_a_name(el, text):
            return re.sub(rf"^(?:{_SOURCE_KEYS}|{_AUTHOR_KEYS})\s*[:：]\s*", "", text) or None
    return None


# A follow or subscribe button's label (+关注): what an author box holds beside the name.
_BUTTON_LABEL = re.compile(r"^[+＋]?\s*(?:关注|關注|已关注|已關注|订阅|訂閱|收藏|分享|私信)$")


def _not_a_name(el, text: str) -> bool:
    """An element named for the author or source that holds something else: a date line
    (发布时间: 2020/08/07 in class="author-box"), a button, or a list of the author's
    articles (class="author-list", an item with a heading)."""
    return bool(re.search(_DATE_KEYS, text) or _BUTTON_LABEL.match(text)
                or el.tag == "li" or "list" in (el.get("class") or "").lower()
                or el.find(".//h2") is not None or el.find(".//h3") is not None)

"""Is this page one article? Decided from the page's structure, not from one ratio.

Portal home and channel pages, announcement lists, search results and forum thread lists
carry headlines, snippets and dates in repeated sibling items; an article carries a block
of prose under its headline, however short (a wire brief is one paragraph of ~100
characters beside a sidebar of 100 links). So:

1. a page whose own address (og:url, canonical link) is its site's root is a home page
   unless it holds MIN_ROOT_PAGE_PROSE characters of prose (its featured story's teaser is
   shorter; a story whose canonical link wrongly names the root is not);
2. a page that types itself as an article (`og:type` article, JSON-LD `NewsArticle`…) is
   one, unless it has no headline and its title names only a site and sections (a
   channel page of a template that types every page an article);
3. otherwise it needs a block of prose outside links, list items and the page's footer:
   MIN_BLOCK_UNDER_HEADLINE characters when the page has a headline, MIN_PAGE_BLOCK when
   it has none (prose in a list item is a snippet, prose in a footer a disclaimer, prose in
   a dialog a pop-up's), or, with no sentence at all, a headline over the page's only
   <article> element holding words (a post whose body is one contact line);
4. a page with no prose that shows a site's notice (an expired link, an anti-bot check) is
   that notice, whatever its type.

A list item is a child of a parent with at least MIN_ITEMS children of the same tag and
class, most of them holding a link of headline length that is the item's first text or a
good part of it.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache

from tasks.chinese import CJK_CHAR
from tasks.cleaning.engine import holds_required
from tasks.cleaning.tail import FOOTER, REPOST_NOTICE
from tasks.cleaning.widgets import COMMENT_BOX
from tasks.metadata import MIN_PRINTED_HEADLINE, following, is_home_url, names_a_section, xpath

MIN_ITEMS = 4
# A link's text in a list item is at least this long (share buttons, page numbers and
# "more" links are not headlines).
MIN_HEADLINE_CHARS = 6
# A list item is at most this long (a headline with a search result's snippet and date).
MAX_ITEM_CHARS = 600
# Prose: a block's own text (outside links) of this many characters with a sentence mark.
MIN_PROSE_CHARS = 20
# The longest prose block an article has: with a headline found (a brief under it), without.
MIN_BLOCK_UNDER_HEADLINE, MIN_PAGE_BLOCK = 36, 80
# A page whose own address is its site's root needs this much prose, in sibling blocks.
MIN_ROOT_PAGE_PROSE = 200
# Why a page with no prose is no article.
NO_PROSE = "not an article: no block of prose outside lists and footers"
# What a site says instead of the article: an anti-bot check, an expired or deleted link.
# Such a sentence is no article's prose.
_NOTICE = re.compile(
    r"访问过于频繁|訪問過於頻繁|请输入验证码|請輸入驗證碼|需要您协助验证|完成验证后|人机验证|安全验证|"
    r"链接已过期|鏈接已過期|链接已失效|連結已失效|页面不存在|頁面不存在|找不到该页面|您访问的页面|"
    r"内容已被发布者删除|內容已被發布者刪除|此内容因违规无法查看|该内容已被删除|文章已被删除|已停止访问该网页")
# Containers of a page's footer (disclaimers, licences, contact lines are prose too).
_FOOTER = re.compile(r"foot|copyright|beian", re.I)

_SKIP = frozenset(("script", "style", "noscript", "template", "select", "option", "textarea", "iframe", "svg",
                   "button", "head", "title"))
BLOCK_TAGS = frozenset(("p", "div", "li", "td", "th", "section", "article", "dd", "dt", "dl", "blockquote", "h1", "h2",
                     "h3", "h4", "h5", "h6", "ul", "ol", "table", "tbody", "tr", "form", "header", "footer", "nav",
                     "aside", "main", "center", "pre", "figure", "figcaption"))
_SENTENCE_MARK = re.compile(r"[。！？!?；;，,]")
_ARTICLE_TYPES = frozenset(("article", "newsarticle", "reportagenewsarticle", "analysisnewsarticle", "blogposting",
                            "opinionnewsarticle", "backgroundnewsarticle", "reviewnewsarticle", "scholarlyarticle",
                            "techarticle", "report"))
_OG_ARTICLE = frozenset(("article", "news", "news.article", "article.news"))


def text_chars(text: str | None) -> int:
    return sum(len(part) for part in text.split()) if text else 0


def _names_site_root(tree) -> bool:
    """The page's own address (og:url, its canonical link) is a site's root: a home page,
    whatever type its template gives every page."""
    addresses = [meta.get("content") for meta in tree.iter("meta")
                 if (meta.get("property") or meta.get("name") or "").strip().lower() == "og:url"]
    addresses += [link.get("href") for link in tree.iter("link") if (link.get("rel") or "").strip().lower() == "canonical"]
    return any(is_home_url(address) for address in addresses)


def _below_root(url: str | None) -> bool:
    """url is a web page's address other than its site's root (a local file's says nothing)."""
    return bool(url) and url.lower().startswith(("http://", "https://")) and not is_home_url(url)


def typed_as_article(tree) -> bool:
    """The page's own word: og:type article, or a JSON-LD object of an article type."""
    for meta in tree.iter("meta"):
        key = (meta.get("property") or meta.get("name") or "").strip().lower()
        if key == "og:type" and (meta.get("content") or "").strip().lower() in _OG_ARTICLE:
            return True
    for script in tree.iter("script"):
        if (script.get("type") or "").strip().lower() != "application/ld+json" or not script.text:
            continue
        try:
            stack = [json.loads(script.text)]
        except ValueError:
            continue
        while stack:
            node = stack.pop()
            if isinstance(node, list):
                stack.extend(node)
            elif isinstance(node, dict):
                kinds = node.get("@type")
                for kind in kinds if isinstance(kinds, list) else [kinds]:
                    if isinstance(kind, str) and kind.strip().lower() in _ARTICLE_TYPES:
                        return True
                if "@graph" in node:
                    stack.append(node["@graph"])
    return False


_VISIBLE = "not(ancestor::script or ancestor::style or ancestor::noscript or ancestor::template)"


# A link to a user's page on a forum or community site (Discuz! home.php?mod=space&uid=,
# space-uid-1.html, Tieba /home/main?id=, Douban /people/, V2EX /member/, /users/, /u/,
# ?uid=): it names a post's or comment's author, not a story, so it heads no list item. A
# thread list's items are still headed by their threads' links. (`/profile` is not one: a
# search for accounts lists their profile pages.)
_PERSON_LINK = re.compile(r"mod=space|space-uid-|/home/main\?|/people/|/members?/|/users?/|/u/|[?&]uid=", re.I)


def _is_person_link(a) -> bool:
    return bool(_PERSON_LINK.search(a.get("href") or ""))


def _link_chars(el) -> int:
    return sum(text_chars("".join(a.itertext())) for a in xpath(f".//a[{_VISIBLE}]")(el) if not _is_person_link(a))


def _visible_chars(el) -> int:
    return sum(text_chars(t) for t in xpath(f".//text()[{_VISIBLE}]")(el))


# A teaser's time or date label, which may come before its headline (17:08, 2014-12-13, 12月13日).
_TIME_LABEL = re.compile(r"^[\d\s:：/.\-年月日时時分()（）\[\]]{2,20}$")


def _first_text_is_link(el) -> bool:
    for node in el.iter():
        if not isinstance(node.tag, str) or node.tag in _SKIP:
            continue
        if node.text and node.text.strip():
            link = node if node.tag == "a" else next((a for a in node.iterancestors("a")), None)
            if link is None and _TIME_LABEL.match(node.text.strip()):
                continue
            return link is not None and not _is_person_link(link)
    return False


_HEADINGS = "self::h1 or self::h2 or self::h3 or self::h4 or self::h5 or self::h6"
# A headline in the item: a heading holding a link, or a link holding a heading (a teaser's
# label or thumbnail may come before it).
_HEADING_LINKS = f".//*[{_HEADINGS}]//a | .//a[.//*[{_HEADINGS}]]"


def _headed(item) -> bool:
    """An item that leads with (or is mostly) a link of headline length, and is short."""
    linked = _link_chars(item)
    if linked < MIN_HEADLINE_CHARS:
        return False
    total = _visible_chars(item)
    # a whole column of the layout is no item, however many links it holds
    return total <= MAX_ITEM_CHARS and (linked >= 0.3 * total or _first_text_is_link(item)
                                        or _linked_heading(item))


def _linked_heading(item) -> bool:
    """A heading holding a link, or a link holding a heading, the link not to a user's page
    (an answer's author line in an h3 is no headline)."""
    return any(not _is_person_link(a) for a in xpath(_HEADING_LINKS)(item))


def _mixed_kinds(siblings: list) -> bool:
    """Siblings sharing one class name but otherwise of many kinds: a sohu story's columns
    <div class="function clear">, <div class="text clear">, <div class="baiList clear">…
    share only the clearfix. A list's items differ in one name or two (Baidu's `result
    c-container` and `result-op c-container`) or by a number (item-1, item-2)."""
    kinds = {re.sub(r"\d+", "", sibling.get("class") or "") for sibling in siblings}
    return len(kinds) > max(2, len(siblings) // 2)


def is_list_item(el, cache: dict) -> bool:
    """el is one of at least MIN_ITEMS siblings of its tag and class (or of its tag and one
    of its class names: search results mix `result` and `result-op c-container`), most of
    them headed."""
    parent = el.getparent()
    if parent is None:
        return False
    classes = el.get("class") or ""
    names = [classes, *classes.split()] if len(classes.split()) > 1 else [classes]
    for name in names:
        key = (parent, el.tag, name)
        if key not in cache:
            siblings = [c for c in parent if c.tag == el.tag
                        and (name == classes and (c.get("class") or "") == classes
                             or name != classes and name in (c.get("class") or "").split())]
            if name != classes and _mixed_kinds(siblings):
                siblings = []  # a layout class (clear, fl) that unlike blocks share
            headed = sum(map(_headed, siblings)) if len(siblings) >= MIN_ITEMS else 0
            # most siblings headed: the group is a list, and every sibling one of its items
            cache[key] = set(siblings) if headed >= MIN_ITEMS and headed >= 0.6 * len(siblings) else set()
        if el in cache[key]:
            return True
    return False


def _own_text(el, links: bool = False) -> str:
    """A block's text without its nested blocks and (unless links) its links: what it says
    itself."""
    parts = [el.text or ""]
    for child in el:
        if child.tag == "br":
            parts.append("\n")  # lines a <br> parts are lines (a tieba post's)
        elif (isinstance(child.tag, str) and child.tag not in BLOCK_TAGS and child.tag not in _SKIP
                and (links or child.tag != "a")):
            parts.append("".join(child.itertext()))
        parts.append(child.tail or "")
    return "".join(parts)


def _is_prose(text: str) -> int:
    """Characters of prose in text (0 if it is not prose: short, no sentence mark, not Chinese).
    Text of several lines that is not Chinese as a whole counts its Chinese sentences: a BBS
    post's preformatted text, its few sentences above a pasted TV schedule or code."""
    chars = text_chars(text)
    if chars < MIN_PROSE_CHARS or not _SENTENCE_MARK.search(text):
        return 0
    if _chinese(text, chars):
        return chars
    prose = sum(text_chars(line) for line in text.splitlines()
                if _SENTENCE_MARK.search(line) and _chinese(line, text_chars(line)))
    return prose if prose >= MIN_PROSE_CHARS else 0


def _chinese(text: str, chars: int) -> bool:
    return len(CJK_CHAR.findall(text)) >= 0.3 * chars


def _comment_box(text: str) -> bool:
    """A block the clean stage drops whole as a comment box's line (网友评论仅供其表达个人看法，
    并不表明本站立场。): the page's own words under its readers' comments, no article's prose,
    though it has sentence marks. Counted, it can pull the article's container out to the
    page around both."""
    return bool(len(text) <= _COMMENT_BOX_MAX_CHARS and _COMMENT_BOX_CHARS.search(text)
                and COMMENT_BOX.pattern.search(" ".join(text.split())))


# The comment box rule's own necessary characters and longest line (a prose paragraph is
# ruled out before its regex runs).
_COMMENT_BOX_CHARS = re.compile("[" + re.escape(COMMENT_BOX.requires) + "]")
_COMMENT_BOX_MAX_CHARS = 400


# A site's notice is short; a story's paragraph that mentions its words is longer.
_SITE_NOTICE_MAX_CHARS = 300
# Words a site's notice about its rights holds (a quick test before the clean rules' patterns).
_RIGHTS_WORDS = re.compile("版权|版權|©|ICP|公网安备|公網安備|转载|轉載|侵权|侵權|[Rr]ights|RIGHTS|[Cc]opyright|COPYRIGHT")


def _site_notice(text: str) -> bool:
    """A block the clean stage cuts as the page's footer or its notice about copying (本網站
    內容屬於某某所有，非經允許，不得轉載 All Rights Reserved.), in a footer its class does
    not name: the site's words, no article's prose. Counted, it pulls the article's
    container out to the page around both."""
    if not _RIGHTS_WORDS.search(text):
        return False
    line = " ".join(text.split())
    if len(line) > _SITE_NOTICE_MAX_CHARS:
        return False
    return any(holds_required(rule.requires)(line) and rule.pattern.search(line) for rule in (FOOTER, REPOST_NOTICE))


def _is_footer(el) -> bool:
    return el.tag == "footer" or any(_FOOTER.search(name) and not _RICH_TEXT.search(name)
                                     for name in f"{el.get('class') or ''} {el.get('id') or ''}".split())


# An editor's text box, whatever else its name says: Zhihu's answers sit in
# <span class="RichText ztext CopyrightRichText-richText"> (its copyright notice is elsewhere).
_RICH_TEXT = re.compile(r"rich-?text", re.I)


# A class that hides its element until a click: a feed's folded summaries (huxiu's home page:
# <p class="story-detail-hide hour-detail-hide">). (Not inline display:none: a WeChat post's
# profile and reward boxes are hidden so, and on a video post they are its only sentences.)
# Not a layout utility that leaves the text in view: overflow-hidden clips a box, and
# Bootstrap's hidden-xs hides it on a phone's screen only.
_HIDING_CLASS = re.compile(r"^(?:[\w-]+-)?(?:hide|hidden)(?:-[\w-]+)?$", re.I)
_VISIBLE_UTILITY = re.compile(r"^(?:overflow(?:-[xy])?-hidden|(?:hidden|hide)-(?:xs|sm|md|lg|xl|xxl)(?:-[\w-]+)?"
                              r"|(?:xs|sm|md|lg|xl|xxl)-(?:hidden|hide))$", re.I)


def _is_hidden(el) -> bool:
    return any(_HIDING_CLASS.match(name) and not _VISIBLE_UTILITY.match(name) for name in (el.get("class") or "").split())


# A close button: a control named so (close, bt-close, closeBtn, icon-close) showing no word,
# at most a cross. (Not a "关闭窗口" link at a government notice's end: it shows words.)
_CLOSE_NAME = re.compile(r"^(?:\w+[-_])*close(?:[-_]?(?:bt|btn|button|icon|x))?$", re.I)
_CLOSE_MARKS = frozenset(("", "×", "✕", "✖", "╳", "x", "X"))


def _is_close_button(el) -> bool:
    return (isinstance(el.tag, str)
            and any(_CLOSE_NAME.match(name) for name in f"{el.get('class') or ''} {el.get('id') or ''}".split())
            and "".join(el.text_content().split()) in _CLOSE_MARKS)


def _is_dialog(el) -> bool:
    """A box the reader closes: a dialog by its role, or a box with a close button of its own.
    Its sentences are a pop-up's (a payment dialog's terms, a cookie or privacy bar, an app
    prompt, an ad), never the story's. (Not a box whose title bar holds one: a story's
    column may hold a bar of buttons at its top.)"""
    return ((el.get("role") or "").strip().lower() in ("dialog", "alertdialog")
            or (el.get("aria-modal") or "").strip().lower() == "true"
            or any(_is_close_button(child) for child in el))


# A block of prose holds at least one text node this long (with its spaces).
MIN_TEXT_NODE = 12


@lru_cache(maxsize=1)
def _text_nodes():
    """The text nodes below an element long enough to be prose, each knowing its parent
    (lxml's smart strings). Short ones (menu entries, labels) are most nodes of a portal
    page, and XPath drops them at C speed."""
    from lxml import etree

    return etree.XPath(f".//text()[string-length(.) >= {MIN_TEXT_NODE}]", smart_strings=True)


def _hidden(el, root, memo: dict) -> bool:
    """el is, or is inside, a link, a footer, a skipped tag, an element the page hides or a
    dialog (memoised per element: the blocks of a page share their ancestors)."""
    if el is None or el is root:
        return False
    if el not in memo:
        memo[el] = (not isinstance(el.tag, str) or el.tag in _SKIP or el.tag == "a" or _is_footer(el)
                    or _is_hidden(el) or _is_dialog(el) or _hidden(el.getparent(), root, memo))
    return memo[el]


def _in_list(el, root, cache: dict, memo: dict, headline_holders: frozenset = frozenset()) -> bool:
    """el is, or is inside, a list item (memoised per element, like _hidden). An element
    holding the page's headline is no list item: it is the story's column, however like
    its siblings (sohu's <div class="area"> rows: link boxes, the story's column, link boxes)."""
    if el is None or el is root:
        return False
    if el not in memo:
        memo[el] = ((el not in headline_holders and is_list_item(el, cache))
                    or _in_list(el.getparent(), root, cache, memo, headline_holders))
    return memo[el]


def _prose_blocks(root):
    """(characters of prose, block, its text) of the blocks holding a sentence mark, in document order,
    outside links, footers and skipped tags."""
    seen: set = set()
    hidden: dict = {}
    # One C-level XPath call for the text nodes, then a regex: walking every element of a
    # portal page in Python, or asking XPath for the marks, costs about twice as much.
    for node in _text_nodes()(root):
        if not _SENTENCE_MARK.search(node):
            continue
        el = node.getparent()
        if el is not None and node.is_tail:
            el = el.getparent()
        while el is not None and el is not root and el.tag not in BLOCK_TAGS:
            el = el.getparent()
        if el is None or el in seen:
            continue
        seen.add(el)
        if _hidden(el, root, hidden):
            continue
        text = _own_text(el)
        chars = _is_prose(text)
        if chars and not _NOTICE.search(text) and not _comment_box(text) and not _site_notice(text):
            yield chars, el, text


# A control whose whole text is a shop's buy button: a product page, not an article (an
# article about shopping says these words inside a sentence).
_SHOP_LABELS = frozenset(("加入购物车", "加入購物車", "立即购买", "立即購買", "加入购物袋", "放入购物车"))
# Text nodes that may be one (XPath's contains() at C speed, the exact match in Python).
_SHOP_TEXT = "//text()[" + " or ".join(f"contains(., '{word}')" for word in ("购物", "購物", "立即购买", "立即購買")) + "]"


def _shop_button(tree, html: str | None) -> bool:
    """A buy button's label as an element's whole text. With the page's markup at hand, a
    substring test rules most pages out before any XPath runs."""
    # Every word holds 购 or 購: one character is found at memchr speed, a two-character word
    # in a long CJK string takes several times as long.
    if html is not None and "购" not in html and "購" not in html:
        return False
    return any(text.strip() in _SHOP_LABELS for text in xpath(_SHOP_TEXT)(tree))



def _prints_headline(root, title: str | None) -> bool:
    """The page prints its title's headline in its text, outside links and menus (a brief's
    headline in a table cell, with no heading element)."""
    if not title or text_chars(title) < MIN_PRINTED_HEADLINE:
        return False
    return bool(xpath(_PRINTED_HEADLINE)(root, headline=title.strip()))


_PRINTED_HEADLINE = (f".//text()[contains(., $headline) and not(ancestor::a) and not(ancestor::option) "
                     f"and not(ancestor::title) and {_VISIBLE}]")


def _paragraphs_together(prose: list[tuple[int, object, str]]) -> int:
    """The most prose that sibling blocks hold together: a brief of three short paragraphs
    (中国6月服务业PMI为51.8，前值53.5。/ 综合PMI为50.6。/ …) is one block of prose
    in three elements."""
    by_parent: dict = {}
    for chars, block, _ in prose:
        parent = block.getparent()
        by_parent[parent] = by_parent.get(parent, 0) + chars
    return max(by_parent.values(), default=0)


@dataclass(slots=True)
class PageKind:
    """What the page's structure says: why it is not an article (None if it is one); its
    longest block of prose outside lists and footers, which the extraction must contain
    (its own text, and longest_text with its links' text);
    and the element holding the article (see main_container), None for the whole page, with
    the characters of prose in it."""

    not_article: str | None
    longest_prose: str = ""
    container: object | None = None
    container_prose: int = 0
    longest_text: str = ""


def judge_page(tree, headline, html: str | None = None, title: str | None = None, url: str | None = None) -> PageKind:
    """What the page's structure says (see the module's docstring); html, the page's
    markup, only saves work. title: the page's headline as its metadata gives it, which
    counts as the headline where the page prints it as plain text (no heading element).
    url: where the page was fetched; a web address below the site's root outweighs a
    template's og:url naming the root on every page."""
    body = tree.find(".//body")
    root = body if body is not None else tree
    if headline is not None and next(headline.iterancestors("a"), None) is not None:
        headline = None  # a headline inside a link is a teaser's (a home page's carousel)
    cache: dict = {}
    in_list: dict = {}
    # Prose in a list item is a snippet under a headline: a search result, a teaser.
    holders = frozenset((headline, *headline.iterancestors())) if headline is not None else frozenset()
    prose = [(chars, block, text) for chars, block, text in _prose_blocks(root)
             if not _in_list(block, root, cache, in_list, holders)]
    longest, block, text = max(prose, key=lambda found: found[0], default=(0, None, ""))
    if not prose and _shows_notice(root):
        # (whatever its type: an error page may keep its site's template, og:type and all)
        return PageKind("not an article: the site's notice in place of a story (an expired or deleted link, "
                        "an anti-bot check)")
    if _names_site_root(tree) and not _below_root(url):
        # A home page (some sites type every page an article) whose prose is a featured
        # story's teaser; a story page whose canonical link wrongly names the root still
        # holds its whole story.
        if _paragraphs_together(prose) < MIN_ROOT_PAGE_PROSE:
            return PageKind("not an article: the site's home page (its address is the site's root), "
                            "with no story of its own")
    elif not typed_as_article(tree) or (headline is None and names_a_section(title)):
        # (a template may type every page an article: a channel page's title names no story)
        if _shop_button(tree, html):
            return PageKind("not an article: a shop's product page (it has a buy button)")
        # Teasers cut short (…我和同事特意准...) are other stories' snippets, not this page's prose.
        whole = [found for found in prose if not _cut_short(found[0], found[2])]
        prose_chars = max((chars for chars, _, _ in whole), default=0)
        prose_chars = max(prose_chars, _paragraphs_together(whole))
        if prose_chars < MIN_BLOCK_UNDER_HEADLINE or (prose_chars < MIN_PAGE_BLOCK and headline is None
                                                      and not _prints_headline(root, title)):
            story = _marked_up_story(root, headline) if not prose else None
            if story is None:
                return PageKind(NO_PROSE)
            return PageKind(None, container=story)
    container, container_prose = main_container(root, prose, block) if block is not None else (None, 0)
    if container is None and headline is None and names_a_section(title) and not typed_as_article(tree):
        # A section's page (论坛, 要闻_某某网) whose bits of prose (a promotion, a notice) are
        # scattered over it: no story's block holds them, and no headline heads one. (With a
        # headline, even a short one that ends like a site's name, 其实他原本是新郭社, the page
        # may be a story; a blog's home under its name in an h1 stays one.)
        return PageKind("not an article: a section's page (its title names a section, and no block holds "
                        "its prose under a headline)")
    return PageKind(None, text, container, container_prose, _own_text(block, links=True) if block is not None else "")


def _shows_notice(root) -> bool:
    """The page shows a site's notice (_NOTICE: an expired link, an anti-bot check) as text."""
    return any(_NOTICE.search(node) for node in xpath(f".//text()[{_VISIBLE}]")(root))


def _marked_up_story(root, headline):
    """A page with no sentence at all may still be one story, when its markup says so: under
    its headline, the page's only <article> element holds words outside links (a blog post
    whose body is a contact line, a photo under its caption). That element is the story."""
    if headline is None:
        return None
    articles = root.findall(".//article")
    if len(articles) != 1:
        return None
    story = articles[0]
    if story not in headline.iterancestors() and not any(node is story for node, _ in following(headline)):
        return None
    if _hidden(story, root, {}) or _in_list(story, root, {}, {}):
        return None
    words = "".join(text for text in story.xpath(f".//text()[not(ancestor::a) and {_VISIBLE}]"))
    return story if text_chars(words) >= MIN_PROSE_CHARS else None


# The article's container holds at least this share of the page's prose (outside lists and
# footers): the body and its subheadings, not the sidebar's teasers.
CONTAINER_SHARE = 0.85


# Two or three dots, or one ellipsis character, at a block's end (perhaps before a time): a
# snippet. A writer's trailing ……… or ....... is no cut.
_CUT_SHORT = re.compile(r"(?:(?<![.．])[.．]{2,3}|(?<!…)…)\s*(?:[(（][\d\s:：/\-]+[)）])?\s*$")
# A snippet is at most this long: a longer block ending in dots is a post that trails off
# (a tieba how-to's 重新检出,成功...).
MAX_SNIPPET_CHARS = 300


def _cut_short(chars: int, text: str) -> bool:
    return chars <= MAX_SNIPPET_CHARS and bool(_CUT_SHORT.search(text))


def main_container(root, prose: list[tuple[int, object, str]], longest) -> tuple[object | None, int]:
    """The lowest ancestor of the longest prose block that holds CONTAINER_SHARE of the
    page's prose, or None when that is the whole page, with the characters of prose it
    holds. Extraction inside it cannot pick up the navigation, related lists and footers
    around it."""
    # A teaser's snippet cut short (而..., 高等法院1.. (15:11)) is another story's: the
    # story's container need not hold it.
    prose = [(chars, block, text) for chars, block, text in prose if block is longest or not _cut_short(chars, text)]
    total = sum(chars for chars, _, _ in prose)
    within: dict = {}
    for chars, block, _ in prose:
        for el in (block, *block.iterancestors()):
            within[el] = within.get(el, 0) + chars
    for el in (longest, *longest.iterancestors()):
        if el is root:
            return None, 0
        if within.get(el, 0) >= CONTAINER_SHARE * total:
            if el.tag == "p" and el.getparent() is not None and el.getparent() is not root:
                # one paragraph holds the page's prose (a notice of one sentence): its sibling
                # lines (contacts, an attachment, the signing body) are the story's too
                el = el.getparent()
            return el, within.get(el, 0)
    return None, 0

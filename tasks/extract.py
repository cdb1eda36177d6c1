"""Stage 3, extract: main text and metadata from HTML with trafilatura.

A .txt input is already extracted text and passes through. Title, date, source and author
come from tasks/metadata.py (the headline, meta tags, the date line, the URL), not from
trafilatura's guesses. Pages that are no article (section fronts, lists, search results,
anti-bot pages) are rejected here, by their structure (tasks/pagekind.py). trafilatura
reads the element that holds the article's prose, not the whole page, so navigation and
related lists around it cannot come in.
"""
from __future__ import annotations

import re
from copy import deepcopy
from functools import lru_cache

from tasks.metadata import SCRIPT_DATE, date_under, headline_above, html_metadata, looks_like_site_suffix, xpath
from tasks.pagekind import BLOCK_TAGS, NO_PROSE, judge_page, text_chars
from tasks.models import DecodedPage, ExtractedPage, Rejection, StageResult

STAGE = "extract"
# An inline element next to an image counts as its caption up to this length.
MAX_CAPTION_CHARS = 120
# A table cell with line breaks and this much text is a page's layout, not data (a short
# story in a layout cell is 100-300 Chinese characters).
LAYOUT_CELL_CHARS = 100
# libxml2 stops building the tree at 256 levels, and content below that is lost. Runs of at
# least this many tags with nothing between them (a broken generator, a hostile page) are
# then collapsed to one tag and the page parsed again; no real layout nests so many.
WRAPPER_RUN = 32
_START_TAG_RUN = re.compile(r"(?:<[A-Za-z][^<>]*>\s*){%d,}" % WRAPPER_RUN)
_END_TAG_RUN = re.compile(r"(?:</[A-Za-z][^<>]*>\s*){%d,}" % WRAPPER_RUN)


def collapse_wrapper_runs(html: str) -> str | None:
    """The page with each run of WRAPPER_RUN or more start (end) tags with nothing between
    them cut to its last (first) tag, or None if it has no such run. The parser tolerates
    the unbalanced end tags this leaves."""
    collapsed = _START_TAG_RUN.sub(lambda m: m.group(0)[m.group(0).rstrip().rindex("<"):], html)
    collapsed = _END_TAG_RUN.sub(lambda m: m.group(0)[:m.group(0).index(">") + 1], collapsed)
    return collapsed if collapsed != html else None


def parse_html(html: str):
    """trafilatura's parse of the page, parsed again with its wrapper runs collapsed if the
    parser stopped at its depth limit (it says so in its error log, at no cost to other
    pages: scanning every page for tag runs would cost ~3 ms, 12% of an extraction)."""
    from trafilatura import utils

    tree = utils.load_html(html)
    parser = getattr(utils, "HTML_PARSER", None)
    if tree is not None and parser is not None and any(
            error.type_name == "ERR_RESOURCE_LIMIT" for error in parser.error_log):
        collapsed = collapse_wrapper_runs(html)
        if collapsed is not None:
            tree = utils.load_html(collapsed)
    return tree


# An alt text may run over lines and hold escaped brackets (a comment emoji's ![\[赞\]](…)); a
# URL in <…> (trafilatura writes one with spaces so) too.
_IMAGE = re.compile(r"!\[(?:\\.|[^\]\\])*\]\((?:\s*<[^>]*>\s*|[^)\n]*)\)")

# Below this many characters trafilatura takes its extraction as failed and tries rescues,
# among them a baseline that joins an <article>'s text into one line (every paragraph,
# related list and app prompt on it, which line-based cleaning cannot take apart). Its
# default, 250, is tuned for alphabetic text; 250 Chinese characters are a whole brief.
MIN_EXTRACTED_CHARS = 100


@lru_cache(maxsize=1)
def trafilatura_config():
    from trafilatura.settings import use_config

    config = use_config()
    config.set("DEFAULT", "MIN_EXTRACTED_SIZE", str(MIN_EXTRACTED_CHARS))
    return config


_CELL_SEPARATOR = re.compile(r"(?<!\\)\|")


def table_cells_as_lines(text: str) -> str:
    """trafilatura writes tables as `| cell | cell |` rows. Old templates lay the whole page
    out in tables (menu, headline, date line and body in cells of one row), so each cell
    becomes its own line: the cleaning rules work on lines."""
    if "|" not in text:
        return text
    lines = []
    for line in text.split("\n"):
        stripped = line.strip()
        if stripped.startswith("|") and stripped.endswith("|") and len(stripped) > 1:
            cells = [cell.strip().replace("\\|", "|") for cell in _CELL_SEPARATOR.split(stripped[1:-1])]
            if all(set(cell) <= set("-: ") for cell in cells):
                continue  # the |---|---| line under a header row
            lines.extend(cell for cell in cells if cell)
        else:
            lines.append(line)
    return "\n".join(lines)


def keep_captions(tree) -> None:
    """Photo captions are article text (editors keep them), but trafilatura drops <figure>
    and <figcaption>: make them plain blocks it keeps. The image itself goes."""
    for el in tree.iter("figure", "figcaption"):
        el.tag = "div" if el.tag == "figure" else "p"
    # <img><span class="img_descr">caption</span>: a short inline element right after an
    # image is its caption; trafilatura skips inline text there unless it is a paragraph.
    for img in list(tree.iter("img")):
        caption = img.getnext()
        while caption is not None and caption.tag == "br":
            caption = caption.getnext()
        # Not when the paragraph goes on after it: an inline photo note in a sentence
        # (…護理師李瑋珍<img><span>（右圖）</span>表示…) is the sentence's, and a block there
        # would cut the sentence in two.
        if (caption is not None and caption.tag in ("span", "div", "em", "font", "i", "small", "strong")
                and len(caption) == 0 and 0 < len((caption.text or "").strip()) <= MAX_CAPTION_CHARS
                and not (caption.tail or "").strip()):
            caption.tag = "p"


# A subheading link is a headline: this many characters at least, and at most.
SUBHEADING_CHARS = (6, 40)
_SENTENCE_END = re.compile(r"[。！？!?]")


def _link_only(p) -> bool:
    """The paragraph is one link and nothing else (bold or spans around it aside)."""
    links = p.findall(".//a")
    return len(links) == 1 and "".join(links[0].itertext()).strip() == "".join(p.itertext()).strip()


def keep_linked_subheadings(container) -> None:
    """In the article's container, a paragraph that is one link of headline length, right
    after a paragraph that is not one and right before a paragraph of prose, is the story's
    subheading (a briefing's digest links each item's headline to its own page).
    trafilatura drops all-link paragraphs as boilerplate, so the link becomes its text; a
    run of link paragraphs (a related list) stays links."""
    for p in list(container.iter("p")):
        if not _link_only(p):
            continue
        heading = "".join(p.itertext()).strip()
        before, after = p.getprevious(), p.getnext()
        if not SUBHEADING_CHARS[0] <= len(heading) <= SUBHEADING_CHARS[1] or _SENTENCE_END.search(heading):
            continue
        if after is None or after.tag != "p" or before is not None and before.tag == "p" and _link_only(before):
            continue
        following = "".join(after.itertext()).strip()
        linked = sum(len("".join(a.itertext())) for a in after.iter("a"))
        if len(following) >= 2 * len(heading) and _SENTENCE_END.search(following) and linked < 0.3 * len(following):
            p.find(".//a").drop_tag()


# An author's own list number before a link: 1、 2. （3）
_LIST_NUMBER = re.compile(r"^\s*(?:\d{1,2}|[一二三四五六七八九十]{1,3})\s*[、.．]\s*$|^\s*[(（]\d{1,2}[)）]\s*$")


def keep_numbered_link_items(container) -> None:
    """A paragraph that is an author's list number and one link (1、<a>某某资源合集</a>) is an
    item of a list the article gives (resources, documents): trafilatura keeps some such
    paragraphs and drops others as link lists, so the link becomes its text. Related lists
    come as <li> items, numbered by the list itself, not by the author in a <p>."""
    for p in list(container.iter("p")):
        links = p.findall(".//a")
        if (len(links) == 1 and _LIST_NUMBER.match(p.text or "") and not (links[0].tail or "").strip()
                and links[0].getparent() is p and len(p) == 1 and "".join(links[0].itertext()).strip()):
            links[0].drop_tag()


# A document file a notice attaches (附件：某某名单.xlsx), by its link's address or its name.
_ATTACHMENT = re.compile(r"\.(?:pdf|docx?|xlsx?|pptx?|wps|et|zip|rar|7z|txt|csv)$", re.I)


def keep_attachment_links(container) -> None:
    """A link to a file the page attaches (a notice's 附件：某某名单.xlsx) names part of the
    document: trafilatura drops a short paragraph that is mostly such a link as a link list,
    so the link becomes its text."""
    for link in list(container.iter("a")):
        name = "".join(link.itertext()).strip()
        address = (link.get("href") or "").split("?")[0].split("#")[0].strip()
        if name and (_ATTACHMENT.search(name) or _ATTACHMENT.search(address)):
            link.drop_tag()


# An ad unit is at most this long (its label, a headline, an advertiser's name).
AD_UNIT_MAX_CHARS = 120
# The elements whose whole text is an ad's label, found by XPath at C speed.
_AD_LABELS = ".//*[" + " or ".join(f"normalize-space(.)='{word}'" for word in ("广告", "廣告", "推广", "推廣")) + "]"


def drop_ad_units(container) -> None:
    """An ad inside the story's container is a link carrying its label (广告, as China's
    advertising law requires, or 推广) in an element of its own: <a><i>广告</i><span>38岁女
    领导的生活日记曝光…</span></a>, or <div><span>广告</span><a>…</a></div>. That short unit
    goes; the story around it stays, and so does a sentence that says 广告 in bold."""
    for label in xpath(_AD_LABELS)(container):
        link = next(label.iterancestors("a"), None)
        parent = label.getparent()
        if link is not None and text_chars(link.text_content()) <= AD_UNIT_MAX_CHARS:
            unit = link
        elif (parent is not None and parent is not container and text_chars(parent.text_content()) <= AD_UNIT_MAX_CHARS
              and parent.find(".//a") is not None and not _SENTENCE_END.search(parent.text_content())):
            unit = parent
        else:
            continue
        if unit.getparent() is not None:
            unit.drop_tree()  # its tail, the story going on, stays


# What a template labels an embedded teaser of another story with, in an attribute:
# NetEase's <pre datatype="specialtag" datavalue="推荐" title="推荐"><p><a>…</a></p><p>…</p></pre>.
_TEASER_LABELS = ("推荐", "推薦", "相关推荐", "相關推薦", "推荐阅读", "推薦閱讀", "相关阅读", "相關閱讀", "延伸阅读", "延伸閱讀",
                  "相关新闻", "相關新聞")
_TEASER_UNITS = ".//*[" + " or ".join(f"@{name}='{word}'" for name in ("title", "datavalue", "data-title")
                                      for word in _TEASER_LABELS) + "][.//a]"
# A teaser is a headline and a sentence or two.
TEASER_MAX_CHARS = 400


def drop_embedded_teasers(container) -> None:
    """Another story's teaser the template embeds in the story (a link and its summary in
    an element labelled 推荐 by its attributes) goes; the story around it stays."""
    for unit in xpath(_TEASER_UNITS)(container):
        if unit is not container and unit.getparent() is not None and text_chars(unit.text_content()) <= TEASER_MAX_CHARS:
            unit.drop_tree()


# A related list's section label (证券要闻, 行业动态) is a word or two.
LIST_LABEL_CHARS = 8


def _all_links(el) -> bool:
    """Every character of the element's text is in its links (spaces aside)."""
    text = "".join("".join(el.itertext()).split())
    linked = sum(len("".join("".join(a.itertext()).split())) for a in el.iter("a"))
    return bool(text) and linked >= len(text)


def drop_link_list_labels(container) -> None:
    """A short label paragraph right above a paragraph of links only (<p><b>证券要闻</b></p>
    <p><a>…</a> <a>…</a></p>) titles a section of a related list inside the article's
    container: trafilatura drops the links as a link list and keeps the label, which then
    trails the story. A subheading over prose stays."""
    for p in list(container.iter("p")):
        following = p.getnext()
        if following is None or following.tag != "p" or following.find(".//a") is None or p.find(".//a") is not None:
            continue  # (the cheap tests first: most paragraphs are not followed by links)
        label = "".join("".join(p.itertext()).split())
        if label and len(label) <= LIST_LABEL_CHARS and not _SENTENCE_END.search(label) and _all_links(following):
            p.drop_tree()


# A paragraph of the story's prose: its own words (outside links) hold a sentence of this length.
PROSE_PARAGRAPH_CHARS = 10


def _has_prose(p) -> bool:
    own = "".join([p.text or "", *("".join(child.itertext()) + (child.tail or "") if child.tag != "a" else child.tail or ""
                                  for child in p if isinstance(child.tag, str))])
    own = "".join(own.split())
    return len(own) >= PROSE_PARAGRAPH_CHARS and bool(_SENTENCE_END.search(own))


def drop_trailing_link_paragraphs(container) -> None:
    """Paragraphs of links only after the story's last paragraph of prose are a related
    list inside the article's container (沪指3周重挫近30% / 证监会又出五大招救市 …): under a
    brief, trafilatura keeps them as text. Linked subheadings sit between prose and stay."""
    trailing = []
    for p in reversed(list(container.iter("p"))):  # from the end, back to the last prose
        if _has_prose(p):
            for links in trailing:
                if links.getparent() is not None:
                    links.drop_tree()
            return
        if _all_links(p):
            trailing.append(p)


def drop_link_row_paragraphs(container) -> None:
    """A paragraph of two links or more of headline length and nothing else is a row of
    promotions or related stories (sina finance's 新浪港股大赛火热招募… 新浪财经Level2… above
    the story), never the story's prose, wherever it sits in the container."""
    for p in list(container.iter("p")):
        links = p.findall(".//a")
        if (len(links) >= MIN_TRAILING_LINKS and _all_links(p)
                and sum(len("".join("".join(a.itertext()).split())) >= SUBHEADING_CHARS[0] for a in links) >= MIN_TRAILING_LINKS):
            p.drop_tree()


# Inline elements that wrap a related link's headline (<b><a><font>…</font></a></b>).
_LINK_WRAPPERS = frozenset(("a", "b", "strong", "font", "span", "em", "i"))


def _link_line(el) -> bool:
    """el is a headline link alone, maybe wrapped in bold or font tags, with nothing after it."""
    if el.tag not in _LINK_WRAPPERS or (el.tail or "").strip():
        return False
    links = [el] if el.tag == "a" else el.findall(".//a")
    text = "".join("".join(el.itertext()).split())
    return (len(links) == 1 and text == "".join("".join(links[0].itertext()).split())
            and SUBHEADING_CHARS[0] <= len(text) <= SUBHEADING_CHARS[1] * 2)


def drop_trailing_link_lines(container) -> None:
    """Links of headline length that end the story's block after its last paragraph, one a
    line between <br>s (people.com.cn's 2009 pages list related stories so, with no heading):
    a related list, which trafilatura would keep as lines of text."""
    prose = [p for p in container.iter("p") if _has_prose(p)]
    if not prose:
        return
    links = []
    for el in prose[-1].itersiblings():
        if not isinstance(el.tag, str) or el.tag in ("br", "img"):  # (or a comment)
            if (el.tail or "").strip():
                return  # text between the lines: the story goes on
            continue
        if not _link_line(el):
            return
        links.append(el)
    if len(links) >= MIN_TRAILING_LINKS:
        for el in links:
            el.drop_tree()


# Two links or more make a related list; one is the story's own last word (a source's link).
MIN_TRAILING_LINKS = 2


# A keyword link inside a sentence (中国6月<a>汇丰</a>服务业PMI为51.8): a word or a name, not a
# headline.
KEYWORD_LINK_CHARS = 12


def unlink_keywords(container) -> None:
    """Short links inside a sentence are keywords the site links to its tag pages: their
    text is the sentence's. trafilatura breaks a short paragraph at such links (a brief's
    中国6月 / 汇丰 / 为51.8… came out as three lines), so the links go and their text stays.
    A run of adjacent links (<a>期指</a><a>恶意做空</a>成…) counts as one keyword: inside a
    sentence when a word or a letter comes right before it (or it opens the paragraph) and
    a word, a letter or sentence punctuation right after it. Links between separators
    (标签：<a>汇丰</a>、<a>PMI</a>, A | B) are a list's and stay links."""
    for parent in list(container.iter("p", "span", "strong", "b", "font")):
        run: list = []
        for child in list(parent):
            keyword = (child.tag == "a" and not len(child)
                       and 0 < len(child.text_content().strip()) <= KEYWORD_LINK_CHARS)
            if keyword and (not run or not (run[-1].tail or "").strip()):
                run.append(child)  # the first link, or one right after the last
            else:
                _unlink_in_sentence(parent, run)
                run = [child] if keyword else []
        _unlink_in_sentence(parent, run)


def _unlink_in_sentence(parent, run: list) -> None:
    if not run:
        return
    before = run[0].getprevious()
    text_before = (before.tail if before is not None else parent.text) or ""
    opens = before is None and not text_before.strip()
    text_after = (run[-1].tail or "").lstrip()
    if text_after and (opens or text_before[-1:].isalnum()) and (text_after[0].isalnum() or text_after[0] in _IN_SENTENCE):
        for link in run:
            link.drop_tag()


# What may follow a keyword inside a sentence: its punctuation, not a list's separators (、 | /)
# or a label's colon (相关阅读：).
_IN_SENTENCE = "，。！？；,.!?;”’」』）)"


def lines_as_paragraphs(container) -> None:
    """A <div> of text and no blocks is a paragraph when it holds text lines split by <br>
    (a poem, a notice: trafilatura loses such a div's text before its first <br> in some
    trees), or text beside MIN_DIV_PARAGRAPHS such divs holding a sentence (guokr's story, a
    run of <div>这十几年来，…</div> paragraphs, which trafilatura drops beside the story's
    <p>s; a lone caption or lead in a <div> is left as it is)."""
    plain = [div for div in container.iter("div")
             if (div.text or "").strip() and not any(isinstance(child.tag, str) and child.tag in BLOCK_TAGS for child in div)]
    prose = [div for div in plain if div.find("br") is None and _prose_paragraph(div)]
    runs: dict = {}
    for div in prose:
        runs[div.getparent()] = runs.get(div.getparent(), 0) + 1
    for div in plain:  # every text <div> of a run: a paragraph ending in —— is one too
        if div.find("br") is not None or runs.get(div.getparent(), 0) >= MIN_DIV_PARAGRAPHS:
            div.tag = "p"


# Sibling <div>s holding a sentence each, in a run this long, are the story's paragraphs.
MIN_DIV_PARAGRAPHS = 3


def _prose_paragraph(div) -> bool:
    """The element's text is a sentence of its own words (not its links')."""
    text = div.text_content()
    linked = sum(len(a.text_content()) for a in div.iter("a"))
    return text_chars(text) >= MIN_LOOSE_TEXT and bool(_SENTENCE_END.search(text)) and linked < len(text) / 2


# Text between two blocks, in no element of its own, is a paragraph when it is this long.
MIN_LOOSE_TEXT = 20


def loose_text_as_paragraphs(container) -> None:
    """Text between two blocks of the container, in no element of its own (<div>…</div>
    会议在…的大背景下，…<p>…</p>), becomes a paragraph: trafilatura drops it. Blank lines in
    it part paragraphs: a BBS post's preformatted text (PTT's), which trafilatura would
    run into one line."""
    from lxml.html import Element

    for block in list(container.iterdescendants(*_LOOSE_TEXT_AFTER)):
        if len("".join((block.tail or "").split())) >= MIN_LOOSE_TEXT:
            place = block
            for chunk in _BLANK_LINE.split(block.tail):
                if chunk.strip():
                    paragraph = Element("p")
                    paragraph.text = chunk.strip()
                    place.addnext(paragraph)
                    place = paragraph
            block.tail = None


_BLANK_LINE = re.compile(r"\n[ \t\r\f\v\u3000]*\n")


_LOOSE_TEXT_AFTER = ("div", "p", "table", "ul", "ol", "blockquote", "section", "h2", "h3", "h4", "h5", "h6", "figure")


# A link that only says "more" (to a section's own page) is navigation, never text.
_MORE_LINK = re.compile(r"^[\s>»›【\[（(]*(?:更多|查看更多|阅读更多|更多内容|more|MORE|More)[\s>»›】\]）)…\.]*$")


def drop_more_links(container) -> None:
    """trafilatura drops a short section (a heading, one paragraph) whose heading sits beside
    a "更多" link, taking it for a link list; the link itself is navigation, so it goes first."""
    for link in list(container.iter("a")):
        label = link.text_content() or ""
        parent = link.getparent()
        # Alone in its element (a "more" span or line), never a word of a sentence.
        if (len(link) == 0 and _MORE_LINK.match(label) and parent is not None
                and parent.text_content().strip() == label.strip()):
            link.drop_tree()


def drop_empty_anchors(container) -> None:
    """An <a> with no text and nothing inside it is no link a reader sees: a name anchor
    (`<a name="ref_13"> </a>` after each citation mark of an encyclopedia) or a link whose
    text the site took out. trafilatura counts it in a paragraph's link density and drops
    paragraphs with a few of them as link lists. (An empty <a> with neither href nor name
    is a script's placeholder, filled in later: it stays.)"""
    for anchor in list(container.iter("a")):
        if ((anchor.get("href") is not None or anchor.get("name") or anchor.get("id"))
                and len(anchor) == 0 and not (anchor.text or "").strip()):
            anchor.drop_tree()  # its tail (the sentence going on) stays


def drop_headline_prefixes(container, headline: str | None) -> None:
    """A section heading that opens with the page's headline in an element of its own
    (<h3><span class="title-prefix">蔡健雅</span>早年经历</h3>) carries it for search
    engines: readers see 早年经历, so the element goes."""
    if not headline:
        return
    name = "".join(headline.split())
    for heading in container.iter("h2", "h3", "h4", "h5", "h6"):
        prefix = heading[0] if len(heading) else None
        if (prefix is not None and isinstance(prefix.tag, str) and not (heading.text or "").strip()
                and "".join(prefix.text_content().split()) == name
                and "".join(heading.text_content().split()) != name):
            prefix.drop_tree()  # the section's name (its tail) stays


# A paragraph's indentation (two ideographic spaces) opens it: a short phrase before it,
# the same on several paragraphs, was put there (a spam site's name over a hacked template).
_BEFORE_INDENT = re.compile(r"^\s*([^\s\u3000。！？，、,.!?:：]{2,20})\u3000{2}")
INJECTED_PREFIX_REPEATS = 2


def drop_injected_prefixes(container) -> None:
    """The phrase before the indentation of INJECTED_PREFIX_REPEATS or more paragraphs goes
    (a chapter heading, 第一章　　总则, has its own number each time)."""
    found: dict[str, list] = {}
    for block in container.iter("p", "div"):
        prefix = _BEFORE_INDENT.match(block.text or "")
        if prefix:
            found.setdefault(prefix.group(1), []).append(block)
    for phrase, blocks in found.items():
        if len(blocks) >= INJECTED_PREFIX_REPEATS:
            for block in blocks:
                block.text = block.text.replace(phrase, "", 1)


def unwrap_layout_tables(tree) -> None:
    """Old templates lay out the page with tables: the article is a cell holding paragraphs
    (<p> or <br>).
    trafilatura renders a table cell as one line, so such tables become plain blocks and
    their paragraphs stay paragraphs. Data tables (cells without paragraphs) stay tables."""
    for table in list(tree.iter("table")):
        if not any(len(cell.findall(".//p")) >= 2 or len(cell.findall(".//br")) >= 2
                   and len("".join(cell.itertext())) > LAYOUT_CELL_CHARS for cell in table.iter("td", "th")):
            continue
        for el in table.iter("table", "tbody", "thead", "tfoot", "tr", "td", "th"):
            el.tag = "div"


def run_trafilatura(tree, url: str, fast: bool):
    """trafilatura's main text with zhnews' settings (it reads the tree, never changes it)."""
    import trafilatura

    # favor_recall: no article sentence may be lost (the clean stage removes the extra noise
    # it lets through); tables are article content on many news sites; with images on,
    # trafilatura keeps photo captions (the image markup itself is dropped below).
    return trafilatura.bare_extraction(
        tree, url=url, with_metadata=False, include_comments=False,
        include_tables=True, favor_recall=True, include_images=True, include_links=False, deduplicate=False,
        fast=fast, config=trafilatura_config(),
    )


# The names trafilatura gives a comment section (its xpaths' _COMMENTS_ID and _COMMENTS_CLASS).
_COMMENT_NAME = re.compile(r"comment(?!ary)|comol|disqus|dsq-comments", re.I)
# A container holding this many elements so named is a thread of posts or reviews (one
# long reader's comment under a blog post is not: the post is found elsewhere).
MIN_COMMENT_POSTS = 3


def _comment_named(el) -> bool:
    return bool(_COMMENT_NAME.search(f"{el.get('class') or ''} {el.get('id') or ''}"))


def is_thread(container) -> bool:
    """The container is a list of comments: several elements below it are named so."""
    return sum(1 for el in container.iterdescendants() if isinstance(el.tag, str) and _comment_named(el)) >= MIN_COMMENT_POSTS


def within(container, whole: bool = False, comments: bool = False):
    """A page of the container alone: trafilatura's XPaths search the whole document, so
    the container is copied into a document of its own. whole: the container is marked as
    the article's body, which trafilatura's first body XPath takes before any block inside
    it (a nested <article>, a scroll box). comments: the container's elements lose the
    class and id that would make trafilatura drop them as a comment section."""
    from lxml.html import Element

    html = Element("html")
    body = Element("body")
    html.append(body)
    copy = deepcopy(container)
    copy.tail = None  # the text after the container is not in it
    if comments:
        for el in copy.iter():
            for name in ("class", "id"):
                if _COMMENT_NAME.search(el.get(name) or ""):
                    del el.attrib[name]
    if whole:
        copy.tag = "div"
        copy.set("itemprop", "articleBody")
    body.append(copy)
    return html


# trafilatura's text inside the container holds at least this share of the container's
# prose, or it took an <article> inside it and the container is read whole.
MIN_CONTAINER_SHARE = 0.5


def _text_chars(doc) -> int:
    return sum(len(part) for part in (doc.text or "").split()) if doc is not None else 0


def missing_subheadings(container, doc) -> bool:
    """A heading of the container (h2-h6) is not in the text, though the paragraph right
    after it is (or the quote, list or block of paragraphs: a CSDN post's <h2> over a
    <blockquote>): trafilatura kept the section and dropped its heading."""
    text = "".join((doc.text or "").split()) if doc is not None else ""
    for heading in container.iter("h2", "h3", "h4", "h5", "h6"):
        words = "".join(heading.text_content().split())
        following = heading.getnext()
        if len(words) < 4 or words in text or following is None or following.tag not in _SECTION_BODY:
            continue
        section = "".join(following.text_content().split())
        if _SENTENCE_END.search(section) and (following.tag == "p" or section[:SECTION_PROBE_CHARS] in text):
            return True
    return False


# The start of a section that must be in the text for its heading's absence to count.
SECTION_PROBE_CHARS = 20


# What follows a subheading in its section.
_SECTION_BODY = frozenset(("p", "blockquote", "div", "section", "ul", "ol"))


def holds(doc, prose: str) -> bool:
    """The extracted text holds the start of this paragraph (spaces aside)."""
    text = "".join((doc.text or "").split()) if doc is not None else ""
    return "".join(prose.split())[:24] in text


# A string literal of an inline script (single or double quoted, with its escapes).
_JS_STRING = re.compile(r"'((?:[^'\\\n]|\\.){200,})'" + r'|"((?:[^"\\\n]|\\.){200,})"')
_JS_ESCAPE = re.compile(r"\\(u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|.)")
_PARAGRAPH_TAG = re.compile(r"<p[\s>]", re.I)
# A story a script holds: this many paragraphs, this much Chinese prose in them.
MIN_SCRIPT_PARAGRAPHS, MIN_SCRIPT_PROSE = 3, 200


def _js_unescape(text: str) -> str:
    def one(match: re.Match) -> str:
        code = match.group(1)
        if code[0] in "ux" and len(code) > 1:
            return chr(int(code[1:], 16))
        return {"n": "\n", "t": "\t", "r": ""}.get(code, code)
    return _JS_ESCAPE.sub(one, text)


def story_in_script(tree) -> tuple[str, str | None] | None:
    """(the story's markup, a date the same script gives) when the page's markup holds no
    story but an inline script does, as a string of (maybe escaped) HTML paragraphs:
    toutiao.com's articles are an empty <div id="app"> and the story in BASE_DATA's
    content: '&lt;div&gt;&lt;p&gt;…'. None when no script holds one."""
    import html as html_entities

    candidates = []  # (length, markup, its script)
    for script in xpath("//script[not(@src)]/text()")(tree):
        if "&lt;p" not in script and "<p" not in script and "\\u003cp" not in script.lower():
            continue
        for found in _JS_STRING.finditer(script):
            markup = _js_unescape(found.group(1) or found.group(2))
            if "&lt;" in markup:
                markup = html_entities.unescape(markup)
            if len(_PARAGRAPH_TAG.findall(markup)) >= MIN_SCRIPT_PARAGRAPHS:
                candidates.append((len(markup), markup, script))
    best, best_prose, best_date = None, 0, None
    # the longest few only: a page's scripts may hold many snippets of markup (templates)
    for _, markup, script in sorted(candidates, key=lambda found: found[0], reverse=True)[:MAX_SCRIPT_CANDIDATES]:
        body = parse_html(f"<html><body>{markup}</body></html>")
        prose = text_chars("".join(body.xpath("//p//text()"))) if body is not None else 0
        if prose >= MIN_SCRIPT_PROSE and prose > best_prose:
            dated = SCRIPT_DATE.search(script)
            best, best_prose, best_date = markup, prose, dated.group(1) if dated else None
    return (best, best_date) if best is not None else None


MAX_SCRIPT_CANDIDATES = 5


def _page_of_script_story(page: DecodedPage, tree, title: str | None, published_at: str | None) -> DecodedPage | None:
    """The page again, its story taken out of its script into its body, under its headline
    and its date (the page's own, else the script's); the page's meta tags come along."""
    from html import escape

    from lxml.html import tostring

    held = story_in_script(tree)
    if held is None:
        return None
    markup, date = held
    if published_at and not (date and re.sub(r"[/.]", "-", date).startswith(published_at[:10])):
        date = published_at  # the page's own date, unless the script's is the same day's, with its time
    metas = "".join(tostring(el, encoding="unicode") for el in tree.iter("meta", "link") if el.tag == "meta"
                    or (el.get("rel") or "").strip().lower() == "canonical")
    head = (f"<title>{escape(title)}</title>" if title else "") + metas
    headline = f"<h1>{escape(title)}</h1>" if title else ""
    dateline = f"<div class='date'>{escape(date)}</div>" if date else ""
    content = f"<html><head>{head}</head><body>{headline}{dateline}<div class='article'>{markup}</div></body></html>"
    return DecodedPage(url=page.url, kind=page.kind, content=content, encoding=page.encoding,
                       replacement_chars=page.replacement_chars, input_hash=page.input_hash)


def extract_html(page: DecodedPage, from_script: bool = False) -> ExtractedPage | Rejection:
    import trafilatura  # heavy import (~1 s): only where HTML is extracted

    tree = parse_html(page.content)
    if tree is None:
        return Rejection(page.url, STAGE, "not parseable as HTML", page.input_hash)
    # Title, date, source and author are ours (tasks/metadata.py), read before trafilatura
    # changes the tree: its title keeps the site suffix, its date may come from a related
    # list, and its metadata search costs several times the extraction (with_metadata off).
    found = html_metadata(tree, page.url)
    kind = judge_page(tree, found.headline_element, page.content, found.title, page.url)
    if kind.not_article:
        if not from_script and kind.not_article == NO_PROSE:
            # an app's shell whose story a script holds (toutiao.com): that story is the page's
            held = _page_of_script_story(page, tree, found.title, found.published_at)
            if held is not None:
                return extract_html(held, from_script=True)
        return Rejection(page.url, STAGE, kind.not_article, page.input_hash, retires=True)
    if found.headline_element is None and kind.container is not None:
        # the title came from the page title: maybe the site's, or nothing
        above = headline_above(kind.container, found.title,
                               untitled=not found.title or looks_like_site_suffix(found.title))
        if above is not None:
            found.headline_element, found.title = above
            found.published_at = found.published_at or date_under(found.headline_element)
    keep_captions(tree)
    unwrap_layout_tables(tree)
    drop_injected_prefixes(kind.container if kind.container is not None else tree)
    if kind.container is not None:
        drop_embedded_teasers(kind.container)  # before their links become subheadings
        keep_linked_subheadings(kind.container)
        keep_numbered_link_items(kind.container)
        keep_attachment_links(kind.container)
        drop_ad_units(kind.container)
        unlink_keywords(kind.container)
        drop_link_list_labels(kind.container)
        drop_trailing_link_paragraphs(kind.container)
        drop_trailing_link_lines(kind.container)
        drop_link_row_paragraphs(kind.container)
        lines_as_paragraphs(kind.container)
        loose_text_as_paragraphs(kind.container)
        drop_more_links(kind.container)
        drop_empty_anchors(kind.container)
        drop_headline_prefixes(kind.container, found.title)
    doc = run_trafilatura(within(kind.container) if kind.container is not None else tree, page.url, fast=True)
    if kind.container is not None and missing_subheadings(kind.container, doc):
        # trafilatura dropped subheadings of the container (udn's <h2 class="content_title_1">
        # between paragraphs) that it keeps when the container is read as the article's body
        whole = run_trafilatura(within(kind.container, whole=True), page.url, fast=True)
        if not missing_subheadings(kind.container, whole):
            doc = whole
    if (kind.container is not None and kind.container.find(".//article") is not None
            and _text_chars(doc) < MIN_CONTAINER_SHARE * kind.container_prose):
        # trafilatura took an <article> inside the article's container (around one boxed
        # section of a WeChat post), which its body XPaths prefer: the container is the article
        doc = run_trafilatura(within(kind.container, whole=True), page.url, fast=True)
    if kind.longest_prose and not (holds(doc, kind.longest_prose) or holds(doc, kind.longest_text)):
        # The page's longest paragraph (its own words, or with its links' text) is not in
        # the text: trafilatura took the wrong block. If it took one block of the container
        # (an encyclopedia's sections, not the summary above them), the container read whole
        # holds the paragraph; otherwise its fallbacks (its readability and jusText ports)
        # get a second look.
        whole = (run_trafilatura(within(kind.container, whole=True), page.url, fast=True)
                 if kind.container is not None and not holds(doc, kind.longest_text) else None)
        doc = whole if holds(whole, kind.longest_text) else run_trafilatura(tree, page.url, fast=False)
        if (kind.container is not None and not holds(doc, kind.longest_text) and is_thread(kind.container)
                and _text_chars(doc) < kind.container_prose):
            # The page's prose sits in elements trafilatura drops as a comment section, and
            # nothing else on the page says as much (a blog post above its readers'
            # comments would): a forum thread, a page of reviews. The posts are the page.
            thread = run_trafilatura(within(kind.container, whole=True, comments=True), page.url, fast=True)
            doc = thread if holds(thread, kind.longest_text) else doc
    if doc is None or not (doc.text or "").strip():
        return Rejection(page.url, STAGE, "not an article: no main text found", page.input_hash, retires=True)
    return ExtractedPage(
        url=page.url, kind=page.kind, text=table_cells_as_lines(_IMAGE.sub("", doc.text)), title=found.title,
        published_at=found.published_at, source=found.source, author=found.author, encoding=page.encoding,
        input_hash=page.input_hash,
    )


def extract_text(page: DecodedPage) -> ExtractedPage:
    return ExtractedPage(
        url=page.url, kind=page.kind, text=page.content, title=None, published_at=None,
        source=None, author=None, encoding=page.encoding, input_hash=page.input_hash,
    )


def extract_one(page: DecodedPage) -> ExtractedPage | Rejection:
    if page.kind == "text":
        return extract_text(page)
    try:
        return extract_html(page)
    except Exception as exc:  # a page that breaks the extractor costs only that page
        return Rejection(page.url, STAGE, f"extractor crashed: {type(exc).__name__}: {exc}",
                         page.input_hash)


def extract_pages(pages: list[DecodedPage]) -> StageResult[ExtractedPage]:
    result: StageResult[ExtractedPage] = StageResult()
    for page in pages:
        outcome = extract_one(page)
        if isinstance(outcome, Rejection):
            result.rejections.append(outcome)
        else:
            result.items.append(outcome)
    return result

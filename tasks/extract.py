"""Stage 3, extract: main text and metadata from HTML with trafilatura.

A .txt input is already extracted text and passes through. Title, date, source and author
come from tasks/metadata.py (the headline, meta tags, the date line, the URL), not from
trafilatura's guesses. Pages that are mostly links
(section fronts, indexes, lists) are rejected here: they are not articles.
"""
from __future__ import annotations

import re
from functools import lru_cache

from tasks.metadata import html_metadata, xpath
from tasks.models import DecodedPage, ExtractedPage, Rejection, StageResult

STAGE = "extract"
# Above this share of body text inside <a>, a page is an index or list of links.
MAX_LINK_TEXT_SHARE = 0.5
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


def link_text_share(tree) -> float:
    body = tree.find(".//body")
    root = body if body is not None else tree
    # The same text nodes as itertext(), gathered by one C-level XPath call each instead of
    # a Python walk over every node of a 30-150 KB page.
    total = sum(len(t.strip()) for t in xpath(".//text()")(root))
    if total == 0:
        return 0.0
    linked = sum(len(t.strip()) for t in xpath(".//a//text()")(root))
    return linked / total


_IMAGE = re.compile(r"!\[[^\]\n]*\]\([^)\n]*\)")

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
        if (caption is not None and caption.tag in ("span", "div", "em", "font", "i", "small", "strong")
                and len(caption) == 0 and 0 < len((caption.text or "").strip()) <= MAX_CAPTION_CHARS):
            caption.tag = "p"


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


def extract_html(page: DecodedPage) -> ExtractedPage | Rejection:
    import trafilatura  # heavy import (~1 s): only where HTML is extracted

    tree = parse_html(page.content)
    if tree is None:
        return Rejection(page.url, STAGE, "not parseable as HTML", page.input_hash)
    share = link_text_share(tree)
    if share > MAX_LINK_TEXT_SHARE:
        return Rejection(page.url, STAGE,
                         f"not an article: index or list page ({share:.0%} of its text is links)",
                         page.input_hash, retires=True)
    # Title, date, source and author are ours (tasks/metadata.py), read before trafilatura
    # changes the tree: its title keeps the site suffix, its date may come from a related
    # list, and its metadata search costs several times the extraction (with_metadata off).
    found = html_metadata(tree, page.url)
    keep_captions(tree)
    unwrap_layout_tables(tree)
    # favor_recall: no article sentence may be lost (the clean stage removes the extra noise
    # it lets through); tables are article content on many news sites; with images on,
    # trafilatura keeps photo captions (the image markup itself is dropped below).
    doc = trafilatura.bare_extraction(
        tree, url=page.url, with_metadata=False, include_comments=False, include_tables=True,
        favor_recall=True, include_images=True, include_links=False, deduplicate=False, fast=True,
        config=trafilatura_config(),
    )
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

"""Markup and annotations left inside lines: HTML tags and entities, caption arrows,
pinyin readings, an injected site name with a scrambled domain. Inline rules."""
from __future__ import annotations

import html
import re

from tasks.chinese import CJK, INVISIBLE, INVISIBLE_CHAR
from tasks.cleaning.rule import CleanContext, Rule, rx

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


CAPTION_MARKER = Rule("caption_marker", "inline", "arrows and bullets that open photo captions (▲修缮后的骑楼街…)",
                      re.compile(r"^[▲△▼▽↑↓◤◥]\s*"), requires="▲△▼▽↑↓◤◥")

HTML_TAG = Rule("html_tag", "inline",
                "raw HTML tags left in text, also a tag whose '<' was lost to mojibake",
                rx(r"</?[a-z][a-z0-9]*(?:\s[^<>]*)?/?>|<!--.*?-->"
                   r"|\b[a-z][a-z0-9]*(?:\s+[a-z-]+\s*=\s*(?:\"[^\"<>]*\"|'[^'<>]*'))+\s*/?>"), requires=">")

HTML_ENTITY = Rule("html_entity", "inline", "HTML entities left in text (&nbsp; &ldquo; &#8220;)",
                   re.compile(r"&(?:[a-zA-Z]{2,8}|#\d{2,7}|#[xX][0-9a-fA-F]{2,6});"), _unescape, requires="&")

# Invisible characters split a word for search and make two copies of a text differ for
# exact dedup.
INVISIBLE_CHAR = Rule("invisible_char", "inline",
                      "invisible characters inside the text: zero-width space, word joiner, BOM, soft hyphen",
                      INVISIBLE_CHAR, requires=INVISIBLE)

PINYIN_ANNOTATION = Rule("pinyin_annotation", "inline", "pinyin readings inserted after characters: 發(fā)揮",
                         rx(rf"(?<=[{CJK}])[(（]{PINYIN_SYLLABLE}[)）]"), requires="(（")

SPAM_DOMAIN = Rule("spam_domain", "inline",
                   "injected spam: a site name and an irregular-case domain (某某 - Www.xxxx.coM)",
                   apply=_remove_spam_domains)


# Encyclopedias and wikis mark a sentence's sources with [13], [14-15] in a <sup>; the
# extractor may give the mark, and the punctuation after it, lines of their own.
_CITATION_MARKS = re.compile(r"^(?:[\[［]\d{1,3}(?:\s*[-–,，]\s*\d{1,3})*[\]］]\s*)+$")
# Punctuation that ends or continues a clause: no paragraph opens with it.
_CONTINUATION = re.compile(r"^[，。；：、！？）」』”’》】]")


def join_split_sentences(lines: list[str], context: CleanContext) -> list[str]:
    """A line that is only citation marks, or that opens with closing punctuation, goes on
    the line before (…自学吉他并尝试写歌 / [13] / 。 -> …自学吉他并尝试写歌[13]。)."""
    joined: list[str] = []
    for line in lines:
        if joined and (_CITATION_MARKS.match(line) or _CONTINUATION.match(line)):
            joined[-1] += line
        else:
            joined.append(line)
    return joined


SPLIT_SENTENCE = Rule("split_sentence", "block",
                      "a sentence split over lines at a citation mark: a line of marks only ([13], [14-15]) or one "
                      "opening with closing punctuation (；12月发行…) joins the line before",
                      apply=join_split_sentences)

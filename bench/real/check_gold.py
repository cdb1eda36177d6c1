"""Check bench/real's gold files: their format, and that every text line, optional line
and noise string occurs in the decoded page.

    .venv/bin/python bench/real/check_gold.py            # every gold file
    .venv/bin/python bench/real/check_gold.py ID ...     # these pages only

A line "occurs" when, after NFKC, HTML entities resolved and all whitespace removed, it
is a substring of the page's text with its tags removed (scripts included: some pages
carry the article in a script). Exits 1 when any check fails.
"""
from __future__ import annotations

import gzip
import html
import json
import re
import sys
import unicodedata
from pathlib import Path

HERE = Path(__file__).resolve().parent
GOLD = HERE / "gold"
PAGES = HERE / "pages"

ARTICLE_KINDS = {"news", "government", "blog", "wechat", "forum", "encyclopedia", "other-article"}
OTHER_KINDS = {"home", "list", "forum-list", "search", "expired", "antibot", "other"}
FIELDS = {"id", "origin", "encoding", "script", "kind", "is_article", "title", "published",
          "source", "author", "text", "optional", "noise", "gold_origin", "notes"}
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}( \d{2}:\d{2}(:\d{2})?)?$")
TAG = re.compile(r"<[^>]*>")


def squash(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", html.unescape(text)))


def page_text(gold: dict) -> str:
    raw = gzip.decompress((PAGES / f"{gold['id']}.html.gz").read_bytes())
    decoded = raw.decode(gold["encoding"], errors="replace")
    # Entities first, then tags: text like `&lt;b&gt;` in the body is text, not a tag.
    return squash(TAG.sub(" ", decoded)) + squash(TAG.sub(" ", html.unescape(decoded)))


def problems(gold: dict) -> list[str]:
    found = []
    missing = FIELDS - gold.keys()
    if missing:
        found.append(f"missing fields: {sorted(missing)}")
        return found
    if not re.fullmatch(r"[a-z0-9-]+--[a-z0-9-]+", gold["id"]):
        found.append(f"id {gold['id']!r} is not REPO-SHORT--STEM")
    origin = gold["origin"]
    for key in ("repo", "commit", "path", "licence"):
        if not origin.get(key):
            found.append(f"origin.{key} is empty")
    if origin.get("commit") and not re.fullmatch(r"[0-9a-f]{40}", origin["commit"]):
        found.append("origin.commit is not 40 hex digits")
    if gold["script"] not in ("hans", "hant"):
        found.append(f"script {gold['script']!r}")
    kinds = ARTICLE_KINDS if gold["is_article"] else OTHER_KINDS
    if gold["kind"] not in kinds:
        found.append(f"kind {gold['kind']!r} for is_article={gold['is_article']}")
    if gold["published"] and not DATE.match(gold["published"]):
        found.append(f"published {gold['published']!r} is not YYYY-MM-DD[ HH:MM[:SS]]")
    if gold["is_article"]:
        if not gold["title"] or not gold["text"].strip():
            found.append("an article needs a title and text")
        if not 3 <= len(gold["noise"]) <= 6:
            found.append(f"{len(gold['noise'])} noise strings (3-6)")
    try:
        text = page_text(gold)
    except (OSError, LookupError) as error:
        return [*found, f"page unreadable: {error}"]
    body = squash(gold["text"])
    for line in gold["text"].split("\n"):
        if line.strip() and squash(line) not in text:
            found.append(f"text line not in page: {line[:60]!r}")
    for line in gold["optional"]:
        if squash(line) not in text:
            found.append(f"optional line not in page: {line[:60]!r}")
    for noise in gold["noise"]:
        if squash(noise) not in text:
            found.append(f"noise not in page: {noise!r}")
        elif squash(noise) in body:
            found.append(f"noise is inside the gold text: {noise!r}")
    if gold["title"] and squash(gold["title"]) not in text:
        found.append(f"title not in page: {gold['title']!r}")
    return found


def main(argv: list[str]) -> int:
    files = [GOLD / f"{name}.json" for name in argv] or sorted(GOLD.glob("*.json"))
    bad = 0
    for path in files:
        gold = json.loads(path.read_text(encoding="utf-8"))
        if gold.get("id") != path.stem:
            print(f"{path.name}: id {gold.get('id')!r} differs from the file name")
            bad += 1
            continue
        found = problems(gold)
        for problem in found:
            print(f"{path.stem}: {problem}")
        bad += bool(found)
    print(f"{len(files)} gold files, {len(files) - bad} ok, {bad} with problems")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""Stage 6, deduplicate: link each article to the one it repeats.

Exact duplicates share a content hash: the text in Simplified, NFKC, with whitespace and
punctuation removed, so a Traditional repost or a re-spaced copy hashes the same.
"""
from __future__ import annotations

import hashlib
import unicodedata
from typing import Protocol
from urllib.parse import urlsplit, urlunsplit

from tasks.models import Article, DedupedArticle, StageResult
from tasks.normalise import to_simplified

STAGE = "dedup"


def canonical_url(url: str) -> str:
    parts = urlsplit(url.strip())
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), parts.path or "/", parts.query, ""))


def article_id_for(url: str) -> str:
    return hashlib.sha1(canonical_url(url).encode()).hexdigest()[:16]


def dedup_key(text: str) -> str:
    """Text reduced to what makes two copies the same story."""
    text = unicodedata.normalize("NFKC", to_simplified(text))
    return "".join(c for c in text if unicodedata.category(c)[0] in "LN")


def content_hash(text: str) -> str:
    return hashlib.sha1(dedup_key(text).encode()).hexdigest()


class KnownArticles(Protocol):
    """What dedup needs from the warehouse: kept articles with given content hashes."""

    def kept_by_hash(self, hashes: list[str], exclude_ids: list[str]) -> dict[str, str]: ...


def deduplicate(articles: list[Article], known: KnownArticles) -> StageResult[DedupedArticle]:
    result: StageResult[DedupedArticle] = StageResult()
    rows = [(a, article_id_for(a.url), content_hash(a.text)) for a in articles]
    earlier = known.kept_by_hash([h for _, _, h in rows], [i for _, i, _ in rows])
    first_in_batch: dict[str, str] = {}
    for article, article_id, digest in rows:
        original = earlier.get(digest) or first_in_batch.get(digest)
        if original == article_id:
            original = None
        if original is None:
            first_in_batch.setdefault(digest, article_id)
        result.items.append(DedupedArticle(article, article_id, digest, original))
    return result

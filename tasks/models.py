"""What crosses stages: small dataclasses with named fields."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Generic, Literal, TypeVar

InputKind = Literal["html", "text"]
SourceScript = Literal["hans", "hant", "mixed"]

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class InputRef:
    """One input to ingest: a local file (url is its file:// URI) or an HTTP URL."""

    url: str
    path: str | None = None  # local path, when the input is a file


@dataclass(slots=True)
class RawPage:
    """Bytes as read or fetched, before any decoding."""

    url: str
    body: bytes
    kind: InputKind
    input_hash: str  # sha1 of the body: a re-run skips inputs it already finished
    declared_charset: str | None = None  # from the HTTP Content-Type header
    final_url: str | None = None
    fetched_at: str | None = None


@dataclass(slots=True)
class DecodedPage:
    url: str
    kind: InputKind
    content: str  # HTML markup or plain text
    encoding: str
    replacement_chars: int
    input_hash: str


@dataclass(slots=True)
class ExtractedPage:
    """Main text and metadata as the extractor found them, not yet cleaned."""

    url: str
    kind: InputKind
    text: str
    title: str | None
    published_at: str | None
    source: str | None
    author: str | None
    encoding: str
    input_hash: str


@dataclass(slots=True)
class Article:
    """A cleaned article; after normalise, text is in the target script."""

    url: str
    text: str
    title: str | None
    published_at: str | None
    source: str | None
    author: str | None
    encoding: str
    input_hash: str
    source_script: SourceScript | None = None
    removed: dict[str, int] = field(default_factory=dict)  # rule name -> chars removed


@dataclass(slots=True)
class DedupedArticle:
    article: Article
    article_id: str
    content_hash: str
    duplicate_of: str | None


@dataclass(frozen=True, slots=True)
class Rejection:
    """An input that yields no article, with a reason a user can act on."""

    url: str
    stage: str
    reason: str
    input_hash: str | None = None


@dataclass(slots=True)
class StageResult(Generic[T]):
    """A stage's output over a batch: what goes on, and what was rejected."""

    items: list[T] = field(default_factory=list)
    rejections: list[Rejection] = field(default_factory=list)

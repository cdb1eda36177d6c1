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
    fetched_at: str | None = None  # ISO 8601, UTC
    # Pages fetched over HTTP or taken from WARC records also carry their response, and are
    # kept in raw_pages (with the codec decode chose) so `zhnews reprocess` needs no re-fetch.
    origin: Literal["http", "warc"] | None = None
    status: int | None = None
    headers: dict[str, str] | None = None  # final response's headers, names lower-cased
    encoding: str | None = None  # set after decode, for raw_pages


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
    simplified: bool = False  # text (and title...) already in Simplified: normalised to hans
    removed: dict[str, int] = field(default_factory=dict)  # rule name -> chars removed


@dataclass(slots=True)
class DedupSketch:
    """What dedup stores for an article so later runs find its near duplicates without
    reading its text back: MinHash slots, their LSH band hashes, and its paragraphs'
    hashes (paragraphs its site repeats on other stories are template, not content)."""

    site: str | None  # registrable domain of the canonical URL (sina.com.cn); None for local files
    signature: bytes | None  # uint32 MinHash slots, little-endian; None when too short
    band_hashes: list[int] = field(default_factory=list)  # one per band
    line_hashes: list[int] = field(default_factory=list)
    template_hashes: list[int] = field(default_factory=list)  # those left out of the signature


@dataclass(slots=True)
class DedupedArticle:
    article: Article
    article_id: str
    content_hash: str
    duplicate_of: str | None
    canonical_url: str | None = None
    sketch: DedupSketch | None = None
    # Kept articles of earlier runs whose clusters join this article's cluster (its kept
    # article was published earlier): they and their duplicates re-point to this article's
    # kept article (duplicate_of, or itself), as DedupWrites.cluster_moves says.
    replaces: list[str] = field(default_factory=list)


@dataclass(slots=True)
class DedupWrites:
    """What dedup decided for the warehouse beyond each article's own row and sketch; the
    loader writes it in the batch's transaction, as given."""

    # Stored articles sketched again (their site's template grew): (article_id,
    # content_hash, sketch), replacing their dedup rows.
    resketched: list[tuple[str, str, DedupSketch]] = field(default_factory=list)
    # dedup_site_lines rows to insert: (site, line_hash, article_id, content_hash, template).
    new_site_lines: list[tuple[str, int, str, str, bool]] = field(default_factory=list)
    # dedup_site_lines rows that change: (site, line_hash, template, content_hash).
    changed_site_lines: list[tuple[str, int, bool, str]] = field(default_factory=list)
    # Clusters that re-point: (kept article that lost its place or became a duplicate,
    # the kept article it and its duplicates point at now).
    cluster_moves: list[tuple[str, str]] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Rejection:
    """An input that yields no article, with a reason a user can act on."""

    url: str
    stage: str
    reason: str
    input_hash: str | None = None
    # A definite answer that the input no longer holds an article (404/410 from the URL
    # itself, its file gone, the page now not an article): the stored article of this same
    # URL is retired. Any other rejection (a timeout, a 5xx, an extractor crash) leaves a
    # stored article as it is, with the failure beside it (articles.last_error).
    retires: bool = False


@dataclass(slots=True)
class RuleHits:
    """What one cleaning rule removed over a batch (stored per run in rule_hits)."""

    chars: int = 0  # characters removed
    pages: int = 0  # pages it removed any characters from

    def add(self, other: "RuleHits") -> None:
        self.chars += other.chars
        self.pages += other.pages


@dataclass(slots=True)
class StageResult(Generic[T]):
    """A stage's output over a batch: what goes on, and what was rejected."""

    items: list[T] = field(default_factory=list)
    rejections: list[Rejection] = field(default_factory=list)
    # For the run's log, each naming its page. A stage may run in a worker process, whose
    # own log reaches no one: the flow's process logs these.
    warnings: list[str] = field(default_factory=list)
    # clean: what each rule removed over the batch, rejected pages included (rule -> hits)
    rule_hits: dict[str, RuleHits] = field(default_factory=dict)


@dataclass(slots=True)
class DedupResult(StageResult[DedupedArticle]):
    """Deduplicated articles, and the rest of what dedup decided (DedupWrites)."""

    writes: DedupWrites = field(default_factory=DedupWrites)


@dataclass(frozen=True, slots=True)
class Validators:
    """What a server sent to identify a page's version: sent back on a re-fetch so an
    unchanged page costs a 304 instead of a download."""

    etag: str | None
    last_modified: str | None


@dataclass(slots=True)
class FetchResult(StageResult[RawPage]):
    """Fetched pages and rejections, plus URLs the server answered 304 Not Modified:
    unchanged since the stored copy, so neither an article nor a rejection."""

    not_modified: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class DiscoveredLink:
    """A candidate article URL found by the crawler, and where it was found."""

    url: str
    via: Literal["anchor", "feed", "sitemap"]
    anchor: str | None = None
    lastmod: str | None = None  # from a sitemap or feed, when given

"""Stage 6, deduplicate: link each article to the kept copy of its story.

- Exact: articles share a content hash of the text in Simplified, NFKC, letters and digits
  only, so a Traditional repost or a re-punctuated copy hashes the same.
- Near: MinHash over character 5-grams of that same Simplified key (tasks/minhash.py), LSH
  bands to find candidates, and every candidate verified before it is linked: a stored
  article by its estimated Jaccard similarity, an article of the same batch by the true
  similarity when the estimate is too close to the threshold to tell. Signatures and band
  hashes of every article are stored (tables dedup_signatures, dedup_bands), so a run finds
  duplicates of earlier runs' articles without their texts, and duplicates within its own
  batch.
- Templates: paragraphs a site also printed on another story (headers, footers, notices)
  are left out of the shingles, so two stories in one site template are not similar.
- The kept article of a cluster is the earliest published (ties: first ingested); every
  other member has duplicate_of = its article_id. A newly seen, earlier article takes over.
"""
from __future__ import annotations

import functools
import hashlib
import math
import re
import unicodedata
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, NamedTuple, Protocol
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import courlan
import numpy as np

from tasks import minhash
from tasks.errors import ZhnewsError
from tasks.models import Article, DedupedArticle, DedupResult, DedupSketch, DedupWrites, Rejection
from tasks.normalise import to_simplified
from tasks.settings import Settings

if TYPE_CHECKING:
    import tldextract

STAGE = "dedup"

# Paragraphs shorter than this (key characters) are not tracked as possible template:
# short lines ("责任编辑：王某") carry too little to tell two stories apart anyway.
MIN_LINE_CHARS = 10
# When less than this is left after removing template paragraphs, the whole text is the
# content (the article is made of paragraphs seen elsewhere on its site: a copy).
MIN_CONTENT_CHARS = 20

# Query parameters that track a visit rather than name a page; dropped from canonical URLs.
# Ours, not courlan's: courlan's pattern also drops names that name pages on Chinese sites
# (cid=, gallery=, keyword=, anything starting ga/gl/ref/source) and bare queries (?12345),
# which would merge different articles into one article_id. Its unambiguous ad-click
# names are included here.
TRACKING_PARAMS = frozenset({
    "spm", "from", "share", "share_from", "shareid", "share_token", "sharer_shareid",
    "sharer_sharetime", "sharesource", "share_source", "isappinstalled", "scene", "srcid",
    "clicktime", "enterid", "wfr", "fr", "ref", "refer", "referer", "source_from", "tt_from",
    "fbclid", "gclid", "dclid", "msclkid", "yclid", "igshid", "mc_cid", "mc_eid", "_hsenc",
    "_hsmi", "chksm", "mpshare", "xtrack", "timestamp", "ts", "_t", "t",
    "twclid", "ysclid", "gbraid", "wbraid",
})
TRACKING_PREFIXES = ("utm_", "share_", "wx_", "__", "pk_", "hmsr", "hmpl", "hmcu", "hmkw", "hmci",
                     "mtm_", "mc_", "itm_", "oly_", "vero_")


def is_tracking_param(name: str) -> bool:
    name = name.lower()
    return name in TRACKING_PARAMS or name.startswith(TRACKING_PREFIXES)


def canonical_url(url: str) -> str:
    """The URL that names the page: courlan's normal form of scheme, host and path (lower
    case, no default port, punycode hosts in Unicode, one form of percent-encoding, no
    doubled slashes), no user info, no fragment, no tracking parameters; the other
    parameters (id=, page=, a bare ?12345) kept, sorted."""
    parts = urlsplit(url.strip())
    netloc = parts.netloc.rpartition("@")[2]  # credentials never name the page
    query = sorted((k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
                   if not is_tracking_param(k))
    # A SplitResult, not a string: given a string, courlan unescapes HTML entities first.
    page = courlan.normalize_url(parts._replace(netloc=netloc, path=parts.path or "/", query="", fragment=""))
    return urlunsplit((*urlsplit(page)[:3], urlencode(query), ""))


def article_id_for(url: str) -> str:
    return hashlib.sha1(canonical_url(url).encode()).hexdigest()[:16]


@functools.cache
def _registrable_domains() -> tldextract.TLDExtract:
    """The Public Suffix List bundled with tldextract, private suffixes (github.io,
    blogspot.com) included: no download at run time and no cache file to write."""
    import tldextract  # 0.3 s with requests, 0.15 s to read the list: only runs with web pages pay it

    return tldextract.TLDExtract(cache_dir=None, suffix_list_urls=(), include_psl_private_domains=True)


def site_of(url: str) -> str | None:
    """The site whose template an article may share: the registrable domain of the web
    host (news.sina.com.cn and finance.sina.com.cn are sina.com.cn; each a.github.io is its
    own), the host itself for an IP address or a name outside the suffix list; None for
    local files, whose directory says nothing about which site printed them."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    host = parts.hostname.lower()
    return _registrable_domains().extract_str(host).top_domain_under_public_suffix or host


# Everything but letters and digits (str.isalnum): whitespace, punctuation, symbols.
_NOT_ALNUM = re.compile(r"[\W_]+")


def strip_to_key(simplified: str) -> str:
    # Strip before NFKC too: full-width punctuation (，：！) sends NFKC down its slow path
    # (0.5 ms for 2,000 characters); NFKC then folds full-width letters and digits.
    return _NOT_ALNUM.sub("", unicodedata.normalize("NFKC", _NOT_ALNUM.sub("", simplified)))


def dedup_key(text: str) -> str:
    """Text reduced to what makes two copies the same story: Simplified, NFKC, letters
    and digits only."""
    return strip_to_key(to_simplified(text))


def content_hash(text: str) -> str:
    return hashlib.sha1(dedup_key(text).encode()).hexdigest()


# What line_owners answers for a paragraph already printed by two stories of its site.
TEMPLATE_OWNERS = frozenset({"template"})

# Candidate pairs compared per NumPy pass (x 128 slots x 4 bytes x 2: ~16 MB).
PAIRS_PER_PASS = 16_384

# Earliest published first; no date sorts last; ties go to the first ingested.
Order = tuple[str, str]
NO_DATE = "9999"


class ClusterInfo(NamedTuple):
    """An article already in the warehouse: the kept article of its cluster and its order."""

    root: str
    root_order: Order


class StoredCandidate(NamedTuple):
    article_id: str
    cluster: ClusterInfo


class BandSharers(NamedTuple):
    """Distinct (batch row, stored article) pairs that share at least one LSH band, ordered
    by stored article."""

    rows: np.ndarray  # int: index of the batch row
    article_ids: np.ndarray  # object: the stored article


class StoredLine(NamedTuple):
    """A site paragraph's row: the first article and story that printed it, and whether
    another story of the site printed it too (then it is template)."""

    article_id: str
    content_hash: str
    template: bool


class StoredSketch(NamedTuple):
    """A stored article to sketch again, with the paragraphs of it that are template."""

    article_id: str
    content_hash: str
    text: str
    site: str | None
    template: set[int]


class KnownArticles(Protocol):
    """Dedup's index of what is stored (tasks/dedup_index.py WarehouseIndex implements it
    on the warehouse)."""

    def kept_by_hash(self, hashes: list[str], exclude_ids: list[str]) -> dict[str, str]: ...

    def clusters_of(self, ids: list[str]) -> dict[str, ClusterInfo]: ...

    def band_sharers(self, rows: np.ndarray, bands: np.ndarray, band_hashes: np.ndarray,
                     exclude_ids: list[str]) -> BandSharers: ...

    def signatures_of(self, ids: list[str]) -> tuple[np.ndarray, np.ndarray]: ...

    def site_lines(self, sites: list[str], line_hashes: list[int]) -> dict[tuple[str, int], StoredLine]: ...

    def stale_sketches(self, lines: list[tuple[str, int]], exclude_ids: list[str]) -> list[StoredSketch]: ...

    def stored_urls(self, ids: list[str]) -> dict[str, str]: ...


@dataclass(frozen=True, slots=True)
class DedupConfig:
    # Jaccard of 5-gram sets at and above which texts are one story; defaults as in Settings.
    threshold: float = Settings.model_fields["dedup_threshold"].default
    num_perm: int = Settings.model_fields["dedup_num_perm"].default

    def __post_init__(self) -> None:
        if not 0.0 < self.threshold <= 1.0:
            raise ZhnewsError(f"dedup threshold {self.threshold} is not a Jaccard similarity in (0, 1]",
                              stage=STAGE)
        if self.num_perm < 1 or self.num_perm & (self.num_perm - 1):
            raise ZhnewsError(f"dedup num_perm {self.num_perm} is not a power of two", stage=STAGE)

    @property
    def banding(self) -> minhash.Banding:
        return minhash.banding_for(self.threshold, self.num_perm)

    @property
    def margin(self) -> float:
        """How far from the threshold an estimate must be to decide alone: 2.5 standard
        deviations of a num_perm-slot estimate at the threshold (0.11 for 0.4 and 128)."""
        return 2.5 * math.sqrt(self.threshold * (1 - self.threshold) / self.num_perm)

    def verdict(self, estimate: float) -> bool | None:
        """True or False when the estimated similarity decides; None: compute the true one."""
        if estimate >= self.threshold + self.margin:
            return True
        if estimate < self.threshold - self.margin:
            return False
        return None


@dataclass(slots=True)
class _Row:
    """One batch article while it is being resolved."""

    article: Article
    article_id: str
    canonical: str
    digest: str
    key: str
    site: str | None
    lines: list[tuple[int, str]]  # (hash, key) of each non-empty paragraph
    order: Order
    template: set[int] = field(default_factory=set)
    shingles: np.ndarray | None = None  # 5-gram hashes of the content key
    signature: np.ndarray | None = None
    bands: list[int] = field(default_factory=list)
    duplicate_of: str | None = None
    replaces: list[str] = field(default_factory=list)


def paragraph_keys(simplified: str) -> list[tuple[int, str]]:
    """(hash, key) of each non-empty paragraph of an already simplified text."""
    keys = (strip_to_key(line) for line in simplified.split("\n"))
    return [(minhash.hash64(k), k) for k in keys if k]


def keyed_paragraphs(text: str, simplified: bool = False) -> tuple[list[tuple[int, str]], str]:
    """(paragraph keys, the whole text's key) of a text in any script (say `simplified` when
    it is Simplified already: converting it again would cost ~1 ms an article);
    the whole key is the paragraphs' keys joined (= strip_to_key of the text, in one pass)."""
    lines = paragraph_keys(text if simplified else to_simplified(text))
    return lines, "".join(k for _, k in lines)


def tracked(lines: list[tuple[int, str]]) -> list[int]:
    """Hashes of the paragraphs long enough to be tracked as possible template."""
    return [h for h, k in lines if len(k) >= MIN_LINE_CHARS]


def content_key(key: str, lines: list[tuple[int, str]], template: set[int]) -> str:
    """The key without the site's template paragraphs (the whole key if little is left)."""
    if not template:
        return key
    kept = "".join(k for h, k in lines if h not in template)
    return kept if len(kept) >= MIN_CONTENT_CHARS else key


def template_lines(rows: list[_Row], stored: dict[tuple[str, int], set[str]]) -> list[set[int]]:
    """Per row, the hashes of its paragraphs that its site printed on another story (a text
    with another content hash), in this batch or an earlier run."""
    owners: dict[tuple[str, int], set[str]] = {k: set(v) for k, v in stored.items()}
    for row in rows:
        if row.site is not None:
            for h in tracked(row.lines):
                owners.setdefault((row.site, h), set()).add(row.digest)
    return [{h for h in tracked(row.lines) if row.site is not None and owners[(row.site, h)] - {row.digest}}
            for row in rows]


def sketch_rows(rows: list[_Row], known: KnownArticles, config: DedupConfig) -> dict[tuple[str, int], StoredLine]:
    """Signatures and band hashes of each row's content key. Returns the stored rows of
    the batch's site paragraphs."""
    site_lines = [(row.site, h) for row in rows if row.site is not None for h in tracked(row.lines)]
    stored = known.site_lines([s for s, _ in site_lines], [h for _, h in site_lines]) if site_lines else {}
    # Owners of each paragraph: the first story's content hash, or TEMPLATE_OWNERS once two
    # stories had it. A batch article's own stored row (seen again) is no other story.
    ids = {row.article_id for row in rows}
    owners = {key: TEMPLATE_OWNERS if line.template else {line.content_hash}
              for key, line in stored.items() if line.template or line.article_id not in ids}
    for row, template in zip(rows, template_lines(rows, owners)):
        row.template = template
        row.shingles = minhash.shingle_hashes(content_key(row.key, row.lines, template))
        row.signature = minhash.signature(row.shingles, config.num_perm)
    sketched = [row for row in rows if row.signature is not None]
    if sketched:
        bands = minhash.band_hashes(np.stack([row.signature for row in sketched]), config.banding)
        for row, hashes in zip(sketched, bands):
            row.bands = hashes.tolist()
    return stored


def stored_matches(rows: list[_Row], known: KnownArticles,
                   config: DedupConfig) -> dict[str, list[StoredCandidate]]:
    """Per batch article, the stored articles it shares an LSH band with and whose
    estimated similarity reaches the threshold. No stored text is read: fetching texts by
    id scans the articles table, which would make every batch cost as much as the warehouse
    is large. At low thresholds LSH makes many candidates (with 2-row bands, 1 in 4 pairs
    at a Jaccard of 0.1), so the pairs come from DuckDB as arrays, each stored signature
    once, and are all compared in one NumPy pass; clusters are looked up for matches only."""
    sketched = [row for row in rows if row.bands]
    if not sketched:
        return {}
    per_row = len(sketched[0].bands)
    found = known.band_sharers(np.repeat(np.arange(len(sketched)), per_row), np.tile(np.arange(per_row), len(sketched)),
                               np.array([h for row in sketched for h in row.bands], dtype=np.int64),
                               [row.article_id for row in rows])
    if not len(found.rows):
        return {}
    # Pairs come ordered by stored article: each new id starts the next row of `stored`.
    starts = np.empty(len(found.article_ids), dtype=bool)
    starts[0] = True
    np.not_equal(found.article_ids[1:], found.article_ids[:-1], out=starts[1:])
    which = np.cumsum(starts) - 1
    ids = found.article_ids[starts].tolist()
    stored, signed = known.signatures_of(ids)
    batch = np.stack([row.signature for row in sketched])
    estimates = np.empty(len(found.rows))
    for start in range(0, len(found.rows), PAIRS_PER_PASS):  # bounded memory: pairs x slots
        part = slice(start, start + PAIRS_PER_PASS)
        estimates[part] = minhash.similarities(batch[found.rows[part]], stored[which[part]])
    keep = (estimates >= config.threshold) & signed[which]  # (an index may name a gone article)
    clusters = known.clusters_of([ids[i] for i in np.unique(which[keep]).tolist()])
    matches: dict[str, list[StoredCandidate]] = {}
    for row_index, id_index in zip(found.rows[keep].tolist(), which[keep].tolist()):
        article_id = ids[id_index]
        if article_id in clusters:  # (its article row is there: sketches go with it)
            matches.setdefault(sketched[row_index].article_id, []).append(
                StoredCandidate(article_id, clusters[article_id]))
    return matches


def same_story(row: _Row, other: _Row, config: DedupConfig) -> bool:
    """Two batch articles sharing a band: verified by the estimate, or by the true
    similarity of their content keys when the estimate is too close to the threshold."""
    verdict = config.verdict(minhash.similarity(row.signature, other.signature))
    if verdict is None:
        return minhash.true_jaccard(row.shingles, other.shingles) >= config.threshold
    return verdict


def resketch(text: str, site: str | None, template: set[int], num_perm: int,
             banding: minhash.Banding) -> DedupSketch:
    """The sketch of a stored article once more of its site's template is known
    (planned_writes sketches a site's first articles again so: their template was not yet
    known when they were sketched)."""
    lines, key = keyed_paragraphs(text)
    signature = minhash.signature(minhash.shingle_hashes(content_key(key, lines, template)), num_perm)
    bands = [] if signature is None else minhash.band_hashes(signature[None, :], banding)[0].tolist()
    return DedupSketch(site, None if signature is None else signature.tobytes(), bands,
                       tracked(lines), [h for h in tracked(lines) if h in template])


def deduplicate(articles: list[Article], known: KnownArticles,
                config: DedupConfig = DedupConfig()) -> DedupResult:
    """Link each article of the batch to the kept article of its story, if any, and decide
    what else changes in the index and the clusters (DedupWrites)."""
    rows = []
    result = DedupResult()
    latest, result.rejections = one_input_per_page(articles, known)
    for position, article in enumerate(latest.values()):
        canonical = canonical_url(article.url)
        lines, key = keyed_paragraphs(article.text, article.simplified)
        # Batch articles were ingested after everything stored ('~' sorts after timestamps).
        order = (article.published_at or NO_DATE, f"~{position:08d}")
        rows.append(_Row(article, article_id_for(article.url), canonical, hashlib.sha1(key.encode()).hexdigest(),
                         key, site_of(canonical), lines, order))
    ids = [row.article_id for row in rows]
    stored_lines = sketch_rows(rows, known, config)

    exact = known.kept_by_hash([row.digest for row in rows], ids)
    stored = stored_matches(rows, known, config)
    resolver = _Resolver(rows, known.clusters_of(list(exact.values())))
    for row in rows:
        matches = {exact[row.digest]} if row.digest in exact else set()
        matches |= {other.article_id for other in resolver.batch_exact.get(row.digest, [])}
        for candidate in stored.get(row.article_id, []):
            resolver.clusters.setdefault(candidate.article_id, candidate.cluster)
            matches.add(candidate.article_id)
        if row.signature is not None:
            in_batch = {o.article_id: o for band, h in enumerate(row.bands)
                        for o in resolver.batch_bands.get((band, h), [])}
            matches |= {other_id for other_id, other in in_batch.items() if same_story(row, other, config)}
        resolver.link(row, matches - {row.article_id})
        resolver.index(row)
    resolver.finish()

    for row in rows:
        sketch = DedupSketch(row.site, row.signature.tobytes() if row.signature is not None else None,
                             row.bands, tracked(row.lines), [h for h in tracked(row.lines) if h in row.template])
        result.items.append(DedupedArticle(row.article, row.article_id, row.digest, row.duplicate_of,
                                           row.canonical, sketch, row.replaces))
    result.writes = planned_writes(result.items, stored_lines, known, config)
    return result


def planned_writes(items: list[DedupedArticle], stored_lines: dict[tuple[str, int], StoredLine],
                   known: KnownArticles, config: DedupConfig) -> DedupWrites:
    """The batch's changes beyond its own rows: its paragraphs merged into the site
    paragraphs (one row each, however many articles print it: template once a second
    story of the site has it), the stored articles sketched again because a paragraph of
    theirs just became template (typically a site's first article, sketched before its
    template was known), and the clusters that re-point."""
    writes = DedupWrites()
    batch: dict[tuple[str, int], tuple[str, str, str]] = {}  # least article_id, least and greatest content hash
    for a in items:
        if a.sketch is None or a.sketch.site is None:
            continue
        for h in a.sketch.line_hashes:
            first, low, high = batch.get((a.sketch.site, h), (a.article_id, a.content_hash, a.content_hash))
            batch[(a.sketch.site, h)] = (min(first, a.article_id), min(low, a.content_hash), max(high, a.content_hash))
    newly_template = []
    for (site, h), (article_id, low, high) in batch.items():
        template = low != high  # two stories of the batch print it
        line = stored_lines.get((site, h))
        if line is None:
            writes.new_site_lines.append((site, h, article_id, low, template))
            if template:
                newly_template.append((site, h))
            continue
        # Template once another story has it (another content hash under another article:
        # the same article with changed text is not another story); its content hash
        # follows its own article.
        now_template = line.template or template or (low != line.content_hash and article_id != line.article_id)
        content = low if article_id == line.article_id else line.content_hash
        if now_template != line.template or content != line.content_hash:
            writes.changed_site_lines.append((site, h, now_template, content))
        if now_template and not line.template:
            newly_template.append((site, h))
    if newly_template:
        newly = set(newly_template)
        banding = config.banding
        for stale in known.stale_sketches(newly_template, [a.article_id for a in items]):
            lines = tracked(keyed_paragraphs(stale.text)[0])
            template = stale.template | {h for h in lines if (stale.site, h) in newly}
            writes.resketched.append((stale.article_id, stale.content_hash,
                                      resketch(stale.text, stale.site, template, config.num_perm, banding)))
    # A stored kept article that lost its place: it and its duplicates point at the new kept
    # article. A batch article that is a duplicate now (a kept article seen again with
    # changed text): its cluster follows it, so duplicate_of always names a kept article.
    writes.cluster_moves = [(old, a.duplicate_of or a.article_id) for a in items for old in a.replaces]
    writes.cluster_moves += [(a.article_id, a.duplicate_of) for a in items if a.duplicate_of]
    return writes


def one_input_per_page(articles: list[Article], known: KnownArticles) -> tuple[dict[str, Article], list[Rejection]]:
    """article_id -> the one input that stands for that page, and a rejection ("same page
    as <url>") for each other input of it: URLs differing only by tracking parameters
    (utm_*, spm, from, share...) name one page. The input stored for the page before keeps
    it, so a re-run changes nothing; otherwise the batch's first. The same URL twice in a
    batch (a page archived twice) is one input: its later copy wins."""
    by_url = {a.url: a for a in articles}
    groups: dict[str, list[Article]] = {}
    for article in by_url.values():
        groups.setdefault(article_id_for(article.url), []).append(article)
    stored = known.stored_urls(list(groups)) if groups else {}
    chosen: dict[str, Article] = {}
    rejections = []
    for article_id, group in groups.items():
        owner = stored.get(article_id)
        winner = next((a for a in group if a.url == owner), None if owner else group[0])
        if winner is not None:
            chosen[article_id] = winner
        for article in group:
            if article is not winner:
                rejections.append(Rejection(article.url, STAGE, f"same page as {owner or winner.url}",
                                            article.input_hash))
    return chosen, rejections


class _Resolver:
    """Keeps every cluster pointing at its earliest article while a batch is linked."""

    def __init__(self, rows: list[_Row], clusters: dict[str, ClusterInfo]):
        self.by_id = {row.article_id: row for row in rows}
        self.clusters = dict(clusters)  # stored article -> its kept article
        self.moved: dict[str, str] = {}  # stored kept article -> the kept article that took over
        self.batch_bands: dict[tuple[int, int], list[_Row]] = {}
        self.batch_exact: dict[str, list[_Row]] = {}

    def root(self, article_id: str) -> tuple[str, Order]:
        """The current kept article of article_id's cluster, and its order."""
        row = self.by_id.get(article_id)
        if row is not None:
            return (article_id, row.order) if row.duplicate_of is None else self.root(row.duplicate_of)
        if article_id in self.moved:
            return self.root(self.moved[article_id])
        info = self.clusters.get(article_id)
        if info is None:
            return article_id, (NO_DATE, "")
        if info.root != article_id and (info.root in self.by_id or info.root in self.moved):
            return self.root(info.root)
        return info.root, info.root_order

    def link(self, row: _Row, matches: set[str]) -> None:
        """row repeats every article in matches: their clusters and row's become one, kept
        by the earliest of their kept articles (ties: the first ingested)."""
        roots = {r for r in map(self.root, matches) if r[0] != row.article_id}
        if not roots:
            return
        kept, _ = min(roots | {(row.article_id, row.order)}, key=lambda r: (r[1], r[0]))
        for loser, _ in roots | {(row.article_id, row.order)}:
            if loser == kept:
                continue
            if loser in self.by_id:
                self.by_id[loser].duplicate_of = kept
            else:
                self.moved[loser] = kept

    def finish(self) -> None:
        """Point every batch article at its cluster's final kept article, and hand each
        stored kept article that lost its place to a batch article of the cluster that
        won (planned_writes re-points that cluster there)."""
        for row in self.by_id.values():
            kept, _ = self.root(row.article_id)
            row.duplicate_of = None if kept == row.article_id else kept
        for loser in self.moved:
            kept, _ = self.root(loser)
            carrier = self.by_id.get(kept) or next(r for r in self.by_id.values() if r.duplicate_of == kept)
            carrier.replaces.append(loser)

    def index(self, row: _Row) -> None:
        self.batch_exact.setdefault(row.digest, []).append(row)
        for band, h in enumerate(row.bands):
            self.batch_bands.setdefault((band, h), []).append(row)

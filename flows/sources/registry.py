"""Every input kind zhnews reads, in one place. A new source is a module in flows/sources/
with a `SOURCE` (see base.py) and one line here; a source that reads files named to
`zhnews ingest` gives a `claim`, and PATH_SOURCES lists it."""
from __future__ import annotations

from pathlib import Path

from flows.sources import crawl, files, jsonl, raw_pages, urls, warc
from flows.sources.base import Source

SOURCES: dict[str, Source] = {source.name: source for source in (
    files.SOURCE,      # local .html/.htm/.txt files and directories
    urls.SOURCE,       # a URL list, fetched
    crawl.SOURCE,      # seed pages and the article links found from them, fetched
    warc.SOURCE,       # WARC files
    raw_pages.SOURCE,  # pages stored by earlier runs (reprocess)
    jsonl.SOURCE,      # JSON Lines of already-extracted articles
)}
# The sources that take files of theirs out of `zhnews ingest PATHS`, in the order they
# are read (after the local files); the local-files source reads the rest.
PATH_SOURCES = [source for source in SOURCES.values() if source.claim]


def sources_for_paths(paths: list[Path]) -> list[tuple[Source, list[Path]]]:
    """Which source reads which of the given paths: the local files first, then each
    claiming source's files."""
    claimed: list[tuple[Source, list[Path]]] = []
    rest = list(paths)
    for source in PATH_SOURCES:
        assert source.claim is not None, f"{source.name} claims no paths"
        mine, rest = source.claim(rest)
        if mine:
            claimed.append((source, mine))
    return [(SOURCES["files"], rest), *claimed] if rest or not claimed else claimed

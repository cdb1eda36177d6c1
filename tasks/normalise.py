"""Stage 5, normalise: detect the source script and convert to the target with OpenCC.

OpenCC converts by phrase (發揮 → 发挥, 乾燥 → 干燥), which a character table cannot.
Width: full-width ASCII letters and digits become half-width; Chinese punctuation stays.
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from tasks.models import Article, SourceScript, StageResult

STAGE = "normalise"
# Below this many script-specific characters a text is taken as the majority script.
MIXED_MIN_SHARE = 0.10

# Full-width ASCII letters and digits only (FF10-FF19, FF21-FF3A, FF41-FF5A).
_WIDTH = {cp: cp - 0xFEE0 for cp in [*range(0xFF10, 0xFF1A), *range(0xFF21, 0xFF3B), *range(0xFF41, 0xFF5B)]}
_WIDTH[0x3000] = 0x20  # ideographic space
_WIDE = re.compile("[" + "".join(map(chr, _WIDTH)) + "]")


@lru_cache(maxsize=None)
def converter(config: str):
    import opencc

    return opencc.OpenCC(f"{config}.json")


def release_converters() -> None:
    """Free the OpenCC converters (native objects) before the interpreter's teardown."""
    converter.cache_clear()


def to_simplified(text: str, script: SourceScript | None = None) -> str:
    """text in Simplified script; script: the text's own (detect_script's, when None).

    Traditional text goes through tw2s = t2s plus Taiwan's variants (沿著 → 沿着, 裡 → 里).
    Other text goes through t2s alone: in Simplified text 著 and 么 are standard (显著, 原著,
    发么), and Taiwan's variant table would make them 着 and 幺. hk2s then takes Hong Kong's
    forms (衞 → 卫), which t2s leaves: the output has no Traditional character left."""
    if script is None:
        script = detect_script(text)
    first = converter("tw2s" if script == "hant" else "t2s")
    return converter("hk2s").convert(first.convert(text))


def _char_to_simplified(char: str) -> str:
    """One character as Simplified text around it would have it (t2s, then hk2s)."""
    return converter("hk2s").convert(converter("t2s").convert(char))


def to_traditional(text: str) -> str:
    return converter("s2t").convert(text)


def detect_script(text: str) -> SourceScript:
    """hans, hant or mixed, from characters that only one script uses."""
    chars = set(text)  # C speed; the tables hold only U+4E00-U+9FFF, so no filter is needed
    traditional_only, simplified_only = script_only_chars()
    trad_only = len(chars & traditional_only)
    if trad_only == 0:
        return "hans"
    simp_only = len(chars & simplified_only)
    marked = trad_only + simp_only
    if trad_only / marked >= 1 - MIXED_MIN_SHARE:
        return "hant"
    if simp_only / marked >= 1 - MIXED_MIN_SHARE:
        return "hans"
    return "mixed"


# The characters of U+4E00-U+9FFF that OpenCC changes, one at a time, to the other script,
# stored: deriving them needs s2t's phrase dictionaries (~60 ms to load, for a Simplified
# target that never converts to Traditional) and ~0.3 s of conversions.
# tests/test_normalise.py checks the file against the installed OpenCC.
SCRIPT_CHARS = Path(__file__).with_name("script_chars.txt")


def script_chars_from_opencc() -> tuple[str, str]:
    """(Traditional-only, Simplified-only) characters, as OpenCC converts them now."""
    cjk = [chr(c) for c in range(0x4E00, 0xA000)]
    return ("".join(c for c in cjk if _char_to_simplified(c) != c), "".join(c for c in cjk if to_traditional(c) != c))


@lru_cache(maxsize=None)
def script_only_chars() -> tuple[frozenset[str], frozenset[str]]:
    traditional, simplified = SCRIPT_CHARS.read_text(encoding="utf-8").split("\n")[:2]
    return frozenset(traditional), frozenset(simplified)


def normalise_width(text: str) -> str:
    # translate() with a dict looks up every character; most texts have nothing to change.
    return text.translate(_WIDTH) if _WIDE.search(text) else text


def convert(text: str | None, target: str, script: SourceScript | None = None) -> str | None:
    """text in the target script; script: the script of the article it belongs to (a
    title is too short to tell on its own). Conversion is by phrase and leaves characters
    already in the target script alone, so mixed text needs no round trip (which would lose 乾/干)."""
    if text is None or target == "keep":
        return text
    return to_simplified(text, script) if target == "hans" else to_traditional(text)


def normalise_articles(articles: list[Article], target: str = "hans") -> StageResult[Article]:
    result: StageResult[Article] = StageResult()
    for article in articles:
        article.source_script = detect_script(article.text)
        for name in ("text", "title", "source", "author"):
            value = getattr(article, name)
            if value is not None:
                setattr(article, name, convert(normalise_width(value), target, article.source_script))
        article.simplified = target == "hans"
        result.items.append(article)
    return result


if __name__ == "__main__":  # python -m tasks.normalise: rewrite SCRIPT_CHARS after an OpenCC upgrade
    SCRIPT_CHARS.write_text("\n".join(script_chars_from_opencc()) + "\n", encoding="utf-8")

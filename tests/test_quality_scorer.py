"""The quality benchmark's yardstick: LCS/F1 against brute force, and a gold set that is
well-formed (every noise string is really on its page, every gold sentence really is the
page's text) and reproducible from its generator."""
from __future__ import annotations

import importlib.util
import json
import random
import re
import sys
from collections import Counter
from pathlib import Path

import lxml.html
import pytest

QUALITY = Path(__file__).resolve().parent.parent / "bench" / "quality"
sys.path.insert(0, str(QUALITY))  # make_pages imports its sibling articles.py


def load(name: str, file: str):
    spec = importlib.util.spec_from_file_location(name, QUALITY / file)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up while the class is built
    spec.loader.exec_module(module)
    return module


score = load("quality_score", "score.py")
make_pages = load("quality_make_pages", "make_pages.py")
GOLD = [json.loads(line) for line in (QUALITY / "gold.jsonl").read_text(encoding="utf-8").splitlines()]


def lcs_dp(a: str, b: str) -> int:
    """Textbook O(len(a)·len(b)) dynamic programme."""
    previous = [0] * (len(b) + 1)
    for x in a:
        current = [0]
        for j, y in enumerate(b):
            current.append(previous[j] + 1 if x == y else max(previous[j + 1], current[j]))
        previous = current
    return previous[-1]


@pytest.mark.parametrize("alphabet", ["ab", "abcd", "的一是了不在人有", "0123456789abcdefghij"])
def test_bit_parallel_lcs_equals_dynamic_programming(alphabet):
    rng = random.Random(alphabet)
    for _ in range(400):
        a = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 70)))
        b = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 70)))
        assert score.lcs_length(a, b) == lcs_dp(a, b), (a, b)


def test_lcs_across_word_boundaries_of_long_texts():
    # longer than 64 and 128 characters: the carries cross machine-word boundaries
    rng = random.Random(7)
    for _ in range(20):
        a = "".join(rng.choice("发展经济社会") for _ in range(rng.randint(100, 300)))
        b = "".join(rng.choice("发展经济社会人") for _ in range(rng.randint(100, 300)))
        assert score.lcs_length(a, b) == lcs_dp(a, b)


def test_text_score_matches_brute_force_f1_on_normalised_text():
    rng = random.Random(3)
    for _ in range(200):
        gold = "".join(rng.choice("甲乙丙丁 AＢ１\n") for _ in range(rng.randint(1, 40)))
        out = "".join(rng.choice("甲乙丙戊 ABｃ1\t") for _ in range(rng.randint(0, 40)))
        g, o = score.normalise(gold), score.normalise(out)
        common = lcs_dp(o, g)
        precision = common / len(o) if o else 0.0
        recall = common / len(g) if g else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        got = score.text_score(out, gold)
        assert (got.precision, got.recall) == pytest.approx((precision, recall))
        assert got.f1 == pytest.approx(f1)


def test_normalise_folds_width_and_drops_whitespace_but_keeps_chinese_punctuation():
    assert score.normalise("ＡＢＣ １２３\n中文，标点。\u3000") == "ABC123中文,标点。"


def test_normalise_drops_control_characters_a_reader_never_sees():
    # a site scatters them through its text against copying; the gold keeps the page's bytes
    assert score.normalise("截面經濟合理\x05\x08\x07\x08\x07,節省材料\x7f\x85") == "截面經濟合理,節省材料"


def decoded(record: dict) -> str:
    return (QUALITY / record["file"]).read_bytes().decode(record["encoding"])


def page_text_simplified(record: dict) -> str:
    """The page's visible text as the gold sees it: pinyin annotations out, mojibake runs
    repaired, back to Simplified with the inverse of the conversion that made the page."""
    text = lxml.html.fromstring(decoded(record)).text_content()
    text = make_pages.PINYIN_ANNOTATION.sub("", text)
    for garbled, original in record["mojibake"]:
        assert make_pages.gbk_one_byte_off(original) == garbled
        text = text.replace(garbled, original)
    return score.normalise(make_pages.convert(text, make_pages.inverse_config(record["opencc"])))


def test_gold_set_covers_sites_encodings_and_scripts():
    assert len(GOLD) >= 40
    assert len({r["site"] for r in GOLD}) >= 12
    assert {r["encoding"] for r in GOLD} >= {"utf-8", "gbk", "big5"}
    assert {r["script"] for r in GOLD} == {"hans", "hant", "mixed"}
    heads = {r["file"]: decoded(r)[:600].lower() for r in GOLD}
    gbk = [r for r in GOLD if r["encoding"] == "gbk"]
    assert any("charset=gb2312" in heads[r["file"]] for r in gbk)
    assert any("charset=gbk" in heads[r["file"]] for r in gbk)
    gb2312_only = [r for r in gbk if "charset=gb2312" in heads[r["file"]]]
    assert any(not _encodable(r["text"], "gb2312") for r in gb2312_only), "no GBK-only character under a gb2312 label"
    big5 = [r for r in GOLD if r["encoding"] == "big5"]
    assert any("charset" not in decoded(r).lower() for r in big5), "no undeclared Big5 page"
    assert any("charset" in heads[r["file"]] for r in big5), "no declared Big5 page"
    assert Counter(r["file"] for r in GOLD).most_common(1)[0][1] == 1
    assert any(r["mojibake"] for r in GOLD), "no page with GBK mojibake"


def _encodable(text: str, codec: str) -> bool:
    try:
        text.encode(codec)
        return True
    except UnicodeEncodeError:
        return False


@pytest.mark.parametrize("record", GOLD, ids=[r["file"] for r in GOLD])
def test_gold_record_is_well_formed(record):
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2}\+08:00)?", record["published_at"])
    assert record["title"] and record["text"] and record["noise"]
    markup = decoded(record)
    for noise in record["noise"]:
        assert noise in markup, f"noise {noise!r} is not on the page"
    page = page_text_simplified(record)
    for paragraph in record["text"].split("\n"):
        for sentence in re.split(r"(?<=[。!?;])", paragraph):
            if sentence.strip():
                assert score.normalise(sentence) in page, f"gold sentence not on the page: {sentence}"
    assert score.normalise(record["title"]) in page


def test_generator_reproduces_the_committed_pages_and_gold():
    pages = make_pages.build()
    assert [p.path for p in pages] == [r["file"] for r in GOLD]
    for page, record in zip(pages, GOLD):
        assert (QUALITY / page.path).read_bytes() == page.markup.encode(page.encoding), page.path
        assert (page.title, page.published_at, page.text, page.noise) == (
            record["title"], record["published_at"], record["text"], record["noise"])


def test_scoring_a_page_rewards_the_gold_and_penalises_the_raw_page():
    record = next(r for r in GOLD if r["site"] == "site01")
    perfect = score.score_page(record, score.Output(record["text"], record["title"], record["published_at"]), False)
    assert perfect.f1 == 1.0 and perfect.title_ok and perfect.date_ok and not perfect.noise_left
    raw_text = lxml.html.fromstring(decoded(record)).text_content()
    raw = score.score_page(record, score.Output(raw_text, None, "2000-01-01"), False)
    assert raw.recall == 1.0 and raw.precision < 0.8  # everything is there, with all the chrome
    assert set(raw.noise_left) == set(record["noise"])
    assert not raw.title_ok and not raw.date_ok


def test_paragraphs_kept_counts_whole_lines_only():
    gold = "第一段。\n第二段。\n第三段。"
    assert score.paragraphs_kept("第一段。\n第二段。\n第三段。", gold) == 1.0
    assert score.paragraphs_kept("第一段。 第二段。\n第三段。", gold) == pytest.approx(1 / 3)
    assert score.text_score("第一段。 第二段。\n第三段。", gold).f1 == 1.0  # F1 alone cannot see it

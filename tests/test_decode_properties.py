"""Properties of decode on any bytes (hypothesis): it never raises, every input ends as
exactly one page or one rejection, decoded text is storable Unicode (no NUL, no lone
surrogate), and text declared in its real encoding comes back unchanged."""
from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tasks.decode import decode_bytes, decode_pages
from tasks.models import RawPage
from tasks.read import body_hash

LABELS = ["utf-8", "gb2312", "gbk", "GB18030", "big5", "big5-hkscs", "iso-8859-1", "windows-1252", "utf-16",
          "shift_jis", "euc-kr", "x-user-defined", "rot13", "undefined", "utf-7", "base64", "", "  ", "\x00"]
labels = st.one_of(st.none(), st.sampled_from(LABELS), st.text(max_size=20))
# Bytes that look like pages: markup, declarations, BOMs and CJK bytes, mixed with noise.
fragments = st.sampled_from([
    b"<html>", b"<meta charset=gbk>", b'<meta charset="big5">', b"<meta charset=utf-8>", b"<?xml version='1.0' encoding='utf-16'?>",
    b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"\x00", b"\xed\xa0\x80", b"\xc4\xe3\xba\xc3", b"\xa7\x41\xa6\x6e",
    "新闻正文".encode(), "新聞".encode("big5"), b"<p>", b"</body>", b"\x89PNG", b"\x1f\x8b",
])
page_bytes = st.one_of(st.binary(max_size=4096),
                       st.lists(st.one_of(fragments, st.binary(max_size=64)), max_size=40).map(b"".join))


def storable(text: str) -> bool:
    try:
        text.encode("utf-8")  # fails on a lone surrogate
    except UnicodeEncodeError:
        return False
    return True


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(body=page_bytes, declared=labels)
def test_decode_bytes_never_raises_and_gives_storable_text(body: bytes, declared: str | None):
    text, codec, replacements = decode_bytes(body, declared)
    assert isinstance(text, str) and isinstance(codec, str) and replacements >= 0
    assert storable(text)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(bodies=st.lists(st.tuples(page_bytes, labels), min_size=1, max_size=8))
def test_every_input_ends_as_one_page_or_one_rejection(bodies: list[tuple[bytes, str | None]]):
    pages = [RawPage(url=f"file:///p{n}.html", body=body, kind="html", input_hash=body_hash(body),
                     declared_charset=declared) for n, (body, declared) in enumerate(bodies)]
    result = decode_pages(pages)
    urls = [p.url for p in result.items] + [r.url for r in result.rejections]
    assert sorted(urls) == sorted(p.url for p in pages)
    for page in result.items:
        assert "\x00" not in page.content and storable(page.content)
    for rejection in result.rejections:
        assert rejection.stage == "decode" and rejection.reason


# Text each encoding can carry: no controls (NUL is dropped by design), no surrogates.
cjk_text = st.text(alphabet=st.characters(blacklist_categories=("Cc", "Cs", "Co", "Cn")), min_size=1, max_size=200)
BIG5_ALPHABET = "".join(c for c in "新聞報導記者臺灣香港經濟體育文化天氣颱風今日發佈政府會議學校醫院市民表示指出"
                        "，。「」、！？：；（）0123456789abcdefABCDEF ")


@settings(max_examples=300, deadline=None)
@given(text=cjk_text, declared=st.sampled_from([("utf-8", "utf-8"), ("gb18030", "gb2312"), ("gb18030", "gbk")]))
def test_declared_text_comes_back_unchanged(text: str, declared: tuple[str, str]):
    codec, label = declared
    head = f'<html><head><meta charset="{label}"></head><body>'
    body = (head + text).encode(codec)
    decoded, _, replacements = decode_bytes(body, None)
    assert replacements == 0
    assert decoded == head + text


@settings(max_examples=200, deadline=None)
@given(text=st.text(alphabet=BIG5_ALPHABET, min_size=1, max_size=200), label=st.sampled_from(["big5", "BIG5", "cp950"]))
def test_big5_text_comes_back_unchanged(text: str, label: str):
    head = f'<html><head><meta charset="{label}"></head><body>'
    decoded, _, replacements = decode_bytes((head + text).encode("big5"), None)
    assert replacements == 0
    assert decoded == head + text


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(page_bytes)
def test_utf8_evidence_counts_valid_sequence_bytes_and_foreign_bytes(body):
    """The byte counts the mostly-UTF-8 test weighs, taken by the codecs, equal their
    definition: bytes of valid multi-byte UTF-8 sequences, and bytes escaped as not UTF-8."""
    import re

    from tasks.decode import _utf8_evidence

    text = body.decode("utf-8", "surrogateescape")
    invalid = len(re.findall(r"[\udc80-\udcff]", text))
    valid = sum(len(c.encode("utf-8")) for c in text if ord(c) >= 0x80 and not 0xDC80 <= ord(c) <= 0xDCFF)
    assert _utf8_evidence(text) == (valid, invalid)
    assert valid + invalid == sum(b >= 0x80 for b in body)

"""Charset choice: BOM, HTTP header, <meta>/XML declaration, then detection; labels to
their supersets; replacement characters counted exactly; never an exception."""
from __future__ import annotations

import codecs

import pytest

from tasks.decode import decode_bytes, decode_pages, normalise_label, parse_content_type
from tasks.models import RawPage
from tasks.read import body_hash

SIMPLIFIED = "国务院常务会议今天召开，会议部署了进一步做好春季农业生产的各项工作，要求各地稳定粮食播种面积。" * 4
TRADITIONAL = "行政院今天召開院會，通過多項法案，院長表示將全力推動經濟發展與社會福利政策，立法院各黨團表示歡迎。" * 4


def page(body_text: str, head: str = "") -> str:
    return f"<html><head>{head}<title>t</title></head><body><p>{body_text}</p></body></html>"


def test_gbk_declared_in_the_header_only():
    text, codec, bad = decode_bytes(page(SIMPLIFIED).encode("gbk"), "GBK")
    assert (codec, bad) == ("gb18030", 0) and SIMPLIFIED in text


def test_big5_with_no_declaration_is_detected():
    text, codec, bad = decode_bytes(page(TRADITIONAL).encode("big5"))
    assert (codec, bad) == ("big5hkscs", 0) and TRADITIONAL in text


def test_gb2312_label_with_gbk_only_characters():
    body = page("朱镕基和张喆出席了会议。" + SIMPLIFIED,
                '<meta http-equiv="Content-Type" content="text/html; charset=gb2312">').encode("gbk")
    with pytest.raises(UnicodeDecodeError):
        body.decode("gb2312")  # what a decoder that trusts the label would do
    text, codec, bad = decode_bytes(body)
    assert (codec, bad) == ("gb18030", 0) and "朱镕基和张喆" in text


def test_big5_label_decodes_hkscs_characters():
    body = page("香港特區政府發言人表示，" + "㗎" + TRADITIONAL).encode("big5hkscs")
    text, codec, bad = decode_bytes(body, "big5")
    assert (codec, bad) == ("big5hkscs", 0) and "㗎" in text


def test_bom_beats_header_and_meta():
    body = codecs.BOM_UTF8 + page(SIMPLIFIED, '<meta charset="gbk">').encode("utf-8")
    text, codec, bad = decode_bytes(body, "gbk")
    assert (codec, bad) == ("utf-8", 0) and text.startswith("<html>")


def test_utf16_with_bom():
    text, codec, _ = decode_bytes(codecs.BOM_UTF16_LE + page(SIMPLIFIED).encode("utf-16-le"))
    assert codec == "utf-16-le" and SIMPLIFIED in text


def test_header_beats_meta_but_a_wrong_label_loses_to_clean_utf8():
    body = page(SIMPLIFIED, '<meta charset="utf-8">').encode("gbk")
    assert decode_bytes(body, "gbk")[1] == "gb18030"
    utf8 = page(SIMPLIFIED).encode("utf-8")
    text, codec, bad = decode_bytes(utf8, "gbk")  # a server default that is wrong for this page
    assert (codec, bad) == ("utf-8", 0) and SIMPLIFIED in text


def test_servers_default_latin1_label_does_not_beat_the_page():
    body = page(SIMPLIFIED, '<meta charset="gb2312">').encode("gbk")
    assert decode_bytes(body, "ISO-8859-1")[1] == "gb18030"
    undeclared = page(SIMPLIFIED).encode("gbk")
    assert decode_bytes(undeclared, "iso-8859-1")[1] == "gb18030"
    assert decode_bytes(page("café au lait").encode("cp1252"), "iso-8859-1")[1] == "cp1252"


def test_xml_declaration():
    body = ('<?xml version="1.0" encoding="gbk"?>' + page(SIMPLIFIED)).encode("gbk")
    assert decode_bytes(body)[1] == "gb18030"


@pytest.mark.parametrize("label", ["rot13", "undefined", "base64", "hex", "zlib", "unicode_escape",
                                   "nonsense-charset", "", "utf-7\x00"])
def test_labels_that_name_no_text_encoding_are_ignored(label):
    body = page(SIMPLIFIED, f'<meta charset="{label}">').encode("utf-8")
    text, codec, bad = decode_bytes(body, label)
    assert codec == "utf-8" and bad == 0 and SIMPLIFIED in text


def test_replacements_are_counted_exactly():
    body = page(SIMPLIFIED).encode("utf-8")
    broken = body.replace("会议".encode("utf-8"), b"\xff\xfe", 3)
    text, codec, bad = decode_bytes(broken, "utf-8")
    assert codec == "utf-8" and bad == text.count("\ufffd") > 0
    # A U+FFFD the page really contains is not a decoding failure.
    text, _, bad = decode_bytes(page("\ufffd" + SIMPLIFIED).encode("utf-8"), "utf-8")
    assert bad == 0 and "\ufffd" in text


def test_utf8_cut_inside_the_last_character_is_still_utf8():
    body = page(SIMPLIFIED).encode("utf-8")[:-20] + "中".encode("utf-8")[:2]
    assert decode_bytes(body)[1] == "utf-8"


def test_labels():
    assert normalise_label("GB2312") == "gb18030"
    assert normalise_label("x-gbk") == "gb18030"
    assert normalise_label("Big5") == "big5hkscs"
    assert normalise_label("latin1") == "cp1252"
    assert normalise_label("rot13") is None
    assert parse_content_type('text/html; Charset="GBK"') == ("text/html", "GBK")
    assert parse_content_type(None) == ("", None)


def test_decode_pages_rejects_binary_and_records_the_codec():
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 100
    gbk = page(SIMPLIFIED).encode("gbk")
    result = decode_pages([RawPage("http://x/a.png", png, "html", body_hash(png)),
                           RawPage("http://x/b.html", gbk, "html", body_hash(gbk), declared_charset="gbk")])
    assert [r.reason for r in result.rejections] == ["binary content: a PNG image, not a text page"]
    [decoded] = result.items
    assert (decoded.encoding, decoded.replacement_chars) == ("gb18030", 0)


# Issue 14, item 7: decode per page, then repair.
ARTICLE_UTF8 = "国务院常务会议今天召开，会议部署了进一步做好春季农业生产的各项工作，要求各地稳定粮食播种面积。"
PASTED = "记者从市教育局获悉，今年全市将新建改扩建中小学和幼儿园三十所，新增学位两万个，缓解入学难问题。"
PASTED_BIG5 = "行政院今天召開院會，通過多項法案，院長表示將全力推動經濟發展與社會福利政策，立法院各黨團表示歡迎。"


def utf8_page_with(paragraph: bytes, repeat: int = 2, meta: str = "utf-8") -> bytes:
    head = f'<html><head><meta charset="{meta}"><title>t</title></head><body><p>{ARTICLE_UTF8 * repeat}</p><p>'
    return head.encode() + paragraph + f"</p><p>{ARTICLE_UTF8 * repeat}</p></body></html>".encode()


@pytest.mark.parametrize("repeat", [1, 3])
@pytest.mark.parametrize("meta, header", [("utf-8", None), ("utf-8", "utf-8"), ("gb2312", None)])
def test_a_gbk_paragraph_in_a_utf8_page_is_repaired_and_the_page_stays_utf8(repeat, meta, header):
    body = utf8_page_with(PASTED.encode("gbk"), repeat, meta)
    text, codec, bad = decode_bytes(body, header)
    assert (codec, bad) == ("utf-8", 0)
    assert ARTICLE_UTF8 * repeat in text and PASTED in text


def test_a_big5_paragraph_in_a_utf8_page_is_read_as_big5_not_as_gbk():
    text, codec, bad = decode_bytes(utf8_page_with(PASTED_BIG5.encode("big5")))
    assert (codec, bad) == ("utf-8", 0) and ARTICLE_UTF8 in text and PASTED_BIG5 in text


def test_foreign_bytes_that_are_no_chinese_text_are_replaced_and_counted_not_used_to_redecode():
    body = utf8_page_with(bytes(range(0x80, 0x100)))
    text, codec, bad = decode_bytes(body)
    assert codec == "utf-8" and ARTICLE_UTF8 in text
    assert bad == text.count("\ufffd") > 0



def test_a_big5_page_with_a_few_bytes_outside_big5_stays_big5():
    # GB18030 maps nearly every byte pair, so it decodes a Big5 page "cleanly" into
    # mojibake, and a detector may prefer it: four bad bytes in a real udn.com page
    # (bench/real) must not hand the page to it.
    import gzip
    from pathlib import Path

    body = gzip.decompress((Path(__file__).parent.parent / "bench/real/pages/twparser--udn-s1.html.gz").read_bytes())
    text, codec, bad = decode_bytes(body)
    assert codec == "big5hkscs" and "試乘券" in text and 0 < bad <= 8

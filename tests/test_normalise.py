"""Script detection and conversion with OpenCC (by phrase), width normalisation."""
from __future__ import annotations

from tasks.models import Article
from tasks.normalise import (SCRIPT_CHARS, convert, detect_script, normalise_articles, normalise_width,
                             script_chars_from_opencc, to_simplified)


def article(text: str, title: str, source: str | None = None, author: str | None = None) -> Article:
    return Article(url="file:///x.txt", text=text, title=title, published_at=None, source=source, author=author,
                   encoding="utf-8", input_hash="h")


def test_detect_script():
    assert detect_script("社区工作人员为居民配送生活物资。") == "hans"
    assert detect_script("社區工作人員為居民配送生活物資。") == "hant"
    assert detect_script("社區工作人員为居民配送生活物资，發揮作用，这里有很多人。") == "mixed"
    assert detect_script("Only Latin letters 123") == "hans"


def test_stored_script_characters_are_what_the_installed_opencc_converts():
    # After an OpenCC upgrade that changes them: python -m tasks.normalise rewrites the file.
    traditional, simplified = script_chars_from_opencc()
    assert SCRIPT_CHARS.read_text(encoding="utf-8").split("\n")[:2] == [traditional, simplified]
    assert {"發", "揮", "氣", "國"} <= set(traditional) and {"发", "挥", "气", "国"} <= set(simplified)


def test_conversion_is_by_phrase():
    assert to_simplified("充分發揮作用，天氣乾燥") == "充分发挥作用，天气干燥"
    assert to_simplified("沿著護城河走著，衞冕冠軍") == "沿着护城河走着，卫冕冠军"  # Taiwan and Hong Kong forms
    assert convert("头发很干燥", "hant") == "頭髮很乾燥"
    assert convert("混合的文字與繁體", "keep") == "混合的文字與繁體"


def test_simplified_text_keeps_what_only_taiwan_writes_differently():
    # Taiwan's variant table (tw2s) makes 么 幺 and 著 着: right for Taiwan's 看著, wrong for
    # Simplified text, where 么 and 著 are the standard characters (seen on a mainland page:
    # 底薪还会发么 had become 底薪还会发幺).
    simplified = "底薪还会发么？效果显著，他是当地土著，改编自原著。"
    assert detect_script(simplified) == "hans"
    assert to_simplified(simplified) == simplified
    assert normalise_articles([article(simplified, "要么赢，要么输")], target="hans").items[0].text == simplified
    assert to_simplified("他看著窗外，效果顯著。") == "他看着窗外，效果显著。"


def test_width_letters_and_digits_half_punctuation_full():
    assert normalise_width("ＡＢＣ１２３，ｘｙｚ。“引号”！") == "ABC123，xyz。“引号”！"


def test_articles_in_the_target_script_title_source_and_author_too():
    item = article("臺灣氣象局發布豪雨特報，ＡＱＩ指數１２０。", "梅雨鋒面明起報到", "寶島日報", "林佳慧")
    out = normalise_articles([item], target="hans").items[0]
    assert out.source_script == "hant"
    assert out.text == "台湾气象局发布豪雨特报，AQI指数120。"
    assert (out.title, out.source, out.author) == ("梅雨锋面明起报到", "宝岛日报", "林佳慧")
    back = normalise_articles([article("气象局发布豪雨特报。", "梅雨锋面明起报到")], target="hant").items[0]
    assert back.text == "氣象局發佈豪雨特報。" and back.title == "梅雨鋒面明起報到"


def test_dedup_keys_skip_a_second_conversion_of_simplified_text_and_agree_with_it():
    from tasks.dedup import keyed_paragraphs

    source = "充分發揮作用，天氣乾燥。\n沿著護城河走著，衞冕冠軍說：「要么贏，要么輸。」"
    for target, simplified in (("hans", True), ("hant", False), ("keep", False)):
        normalised = normalise_articles([article(source, "標題")], target=target).items[0]
        assert normalised.simplified is simplified
    hans = normalise_articles([article(source, "標題")], target="hans").items[0]
    hant = normalise_articles([article(source, "標題")], target="hant").items[0]
    # The same keys whether dedup converts again or not, and from either output script.
    assert keyed_paragraphs(hans.text, simplified=True) == keyed_paragraphs(hans.text) == keyed_paragraphs(hant.text)

"""The clean stage over pages: rules together, metadata into columns, titles of .txt
inputs, the >40% warning with the page URL, and rejection of what is not an article."""
from __future__ import annotations


# Imported here, not in a test: importing Prefect configures logging, which replaces the
# root handlers, pytest's caplog handler among them, if a test has already started.
from flows.artifacts import RunMetrics
from flows.stages import clean_task
from tasks.clean import clean_pages, derived_title
from tasks.cleaning.engine import clean_text, removals_by_rule
from tasks.models import ExtractedPage

STORY = ("记者4月20日从市港航管理局获悉，今年一季度，全市港口完成货物吞吐量1.42亿吨，同比增长8.6%。\n"
         "从货类结构看，外贸集装箱和新能源汽车出口成为拉动增长的主要力量，滚装码头出口汽车11.8万辆。\n"
         "港航管理局表示，下一步将加快推进铁水联运通道建设，力争年内新开行海铁联运班列三条。")


def page(text: str, kind: str = "html", title: str | None = None, published_at: str | None = None,
         url: str = "https://news.example.cn/2023/0421/a.html") -> ExtractedPage:
    return ExtractedPage(url=url, kind=kind, text=text, title=title, published_at=published_at, source=None,
                         author=None, encoding="utf-8", input_hash="h")


def test_noisy_page_becomes_the_story_with_metadata_in_columns():
    noisy = "\n".join([
        "一季度全市港口货物吞吐量同比增长8.6%", "2023-04-21 08:05 来源：海港财经网 作者：刘思远 浏览次数：2087",
        "分享到：", STORY, "(完)", "责任编辑：王丹", "相关新闻", "- 某某标题 2023-04-18", "版权所有 © 2001-2024 海港财经网"])
    result = clean_pages([page(noisy, title="一季度全市港口货物吞吐量同比增长8.6%")])
    article = result.items[0]
    assert article.text == STORY
    assert (article.published_at, article.source, article.author) == ("2023-04-21T08:05:00+08:00", "海港财经网", "刘思远")
    assert {"metadata_line", "share_widget", "editor_mark", "related_list", "title_repeated"} <= set(article.removed)


def test_page_metadata_wins_over_text_metadata():
    text = "2023-04-18 来源：江南日报\n" + STORY
    article = clean_pages([page(text, published_at="2023-04-21T08:05:00+08:00")]).items[0]
    assert article.published_at == "2023-04-21T08:05:00+08:00" and article.source == "江南日报"


def test_rule_removing_most_of_a_page_is_a_warning_with_its_url():
    url = "https://news.example.cn/2023/0421/repeated.html"
    repeated = STORY + "\n" + "\n".join([STORY] * 3)
    result = clean_pages([page(repeated, url=url)], warn_share=0.40)
    assert result.items[0].text == STORY
    assert any("repeated_line" in w and url in w for w in result.warnings), result.warnings
    assert not clean_pages([page(STORY, url=url)]).warnings
    # The stage's task hands them back (the stage itself may run in a worker process); the
    # run counts them by rule for its one line, not one line a page.
    assert clean_task.fn([page(repeated, url=url)], 1, min_chars=80, warn_share=0.40).warnings == result.warnings
    metrics = RunMetrics()
    assert metrics.cleaning_warnings(result.warnings * 2) == []
    assert metrics.heavy_cleaning_line(0.40) == (
        "heavy cleaning: 2 times a rule removed more than 40% of a page's text: repeated_line on 2 pages "
        f"(e.g. {url}, {url})")


def test_page_with_only_noise_is_rejected_with_a_reason():
    result = clean_pages([page("分享到：\n版权所有 © 2024 某某网\n返回顶部")])
    assert not result.items
    assert result.rejections[0].stage == "clean" and "not an article" in result.rejections[0].reason


def test_text_input_title_is_the_headline_line_or_a_derived_first_clause():
    article = clean_pages([page("- +1\n港口吞吐量增长8.6%\n" + STORY, kind="text")]).items[0]
    assert article.title == "港口吞吐量增长8.6%" and "港口吞吐量增长8.6%\n" not in article.text
    assert derived_title("交汇点讯 哪里有需要，哪里就有党员的身影。连日来，苏州各地充分发挥作用。") == \
        "哪里有需要，哪里就有党员的身影"
    derived = derived_title("记者4月20日从市港航管理局获悉，今年一季度，全市港口完成货物吞吐量1.42亿吨，同比增长。")
    assert derived and len(derived) <= 30 and STORY.startswith(derived.split("，")[0])
    # Without a headline line, the derived title is the text's own opening: it stays in the text.
    article = clean_pages([page(STORY, kind="text")]).items[0]
    assert article.text == STORY and article.title and STORY.startswith(article.title)
    # A repost's 原标题 line names the headline, and leaves the text.
    article = clean_pages([page("原标题：一季度港口吞吐量增长8.6%\n" + STORY, kind="text")]).items[0]
    assert article.title == "一季度港口吞吐量增长8.6%" and article.text == STORY


def test_clean_text_is_idempotent_and_keeps_clean_text():
    assert clean_text(STORY).text == STORY
    once = clean_text("分享到：\n" + STORY + "\n" + STORY.split("\n")[0] + "\n相关推荐\n某某")
    assert clean_text(once.text).text == once.text == STORY


def test_title_gets_the_inline_repairs():
    article = clean_pages([page(STORY, title="蘇州各地充分發(fā)揮作用&nbsp;&ldquo;微鏡頭&rdquo;")]).items[0]
    assert article.title == "蘇州各地充分發揮作用 “微鏡頭”"


NOISY_LINES = [
    "? 2014-2025 上海东方报业有限公司", "▲修缮后的骑楼街", "<span style=\"color:red\">發(fā)揮</span>作用",
    "span style=\"font-size:14px\">正文", "&ldquo;引号&rdquo;&nbsp;&#8220;", "各地發（fā）揮优势", "<!-- 注释 -->",
    "平常的一行，没有任何噪声。", "问题？2023年的答案", "A > B 且 C & D",
]


# Footers in the cases the bench pages rarely show (a lowercase copyright or ICP).
FOOTER_LINES = ["copyright © 2003-2024 某某网 all rights reserved", "京icp备05023456号-1", "CopyRight 2010 某某日报社"]


def real_lines_and_texts() -> tuple[list[str], list[str]]:
    """Lines to try the prefilters on: the noisy lines above, the seed texts, and bench/real's
    gold (each page's article lines and the noise strings read off it: footers, related
    lists, prompts); and texts made of them, each gold text with its page's noise after it."""
    import json
    from pathlib import Path

    root = Path(__file__).parent.parent
    texts = ["\n".join(NOISY_LINES + FOOTER_LINES)] + [file.read_text(encoding="utf-8")
                                        for file in sorted((root / "seeds" / "texts").glob("*.txt"))]
    for file in sorted((root / "bench" / "real" / "gold").glob("*.json")):
        gold = json.loads(file.read_text(encoding="utf-8"))
        texts.append("\n".join([gold.get("text") or "", *(gold.get("noise") or [])]))
    lines = [line.strip() for text in texts for line in text.split("\n") if line.strip()]
    return lines, texts


def test_a_rules_required_characters_or_words_are_in_every_line_it_matches():
    """`requires` lets lines without those characters (or words) skip the regex: it must be a
    necessary condition, or a rule would silently stop matching."""
    from tasks.cleaning.engine import holds_required
    from tasks.cleaning.order import RULES

    lines, _ = real_lines_and_texts()
    checked: dict[str, int] = {}
    for rule in RULES:
        if rule.kind not in ("inline", "line", "tail") or not rule.requires or rule.pattern is None:
            continue
        may_match = holds_required(rule.requires)
        for line in lines:
            if rule.pattern.search(line):
                assert may_match(line), (rule.name, line)
                if rule.kind == "inline":
                    for match in rule.pattern.finditer(line):
                        assert may_match(match.group(0)), (rule.name, line)
                checked[rule.name] = checked.get(rule.name, 0) + 1
    assert checked.get("footer", 0) >= 50  # the gold's footers exercise the word prefilter
    assert len(checked) >= 15


def test_cleaning_with_and_without_the_prefilters_is_the_same(monkeypatch):
    from dataclasses import replace

    import tasks.cleaning.engine as engine

    _, texts = real_lines_and_texts()
    with_prefilters = [clean_text(text) for text in texts]
    monkeypatch.setattr(engine, "RULES", [replace(rule, requires="") for rule in engine.RULES])
    without = [engine.clean_text(text) for text in texts]
    assert [(c.text, c.removed) for c in with_prefilters] == [(c.text, c.removed) for c in without]


def test_the_lines_a_rule_passed_are_skipped_in_later_passes_with_the_same_result(monkeypatch):
    """clean_text remembers, per rule, the lines it left alone and skips them in the passes
    after the first: the same text, removals and metadata as every rule on every line."""
    import tasks.cleaning.engine as engine

    _, texts = real_lines_and_texts()
    texts = [text + "\n" + text.split("\n")[0] for text in texts]  # a repeat: a second pass has work
    remembered = [clean_text(text, title=text.split("\n")[0][:20]) for text in texts]
    apply_rule = engine.apply_rule
    monkeypatch.setattr(engine, "apply_rule", lambda rule, lines, context, removed, passed=None:
                        apply_rule(rule, lines, context, removed))
    every_line = [engine.clean_text(text, title=text.split("\n")[0][:20]) for text in texts]
    assert [(c.text, c.removed, c.found) for c in remembered] == [(c.text, c.removed, c.found) for c in every_line]
    assert sum(c.text != text.strip() for c, text in zip(remembered, texts)) >= 100


def test_removals_by_rule_names_the_text_each_rule_took():
    noisy = "\n".join(["分享到：", STORY.replace("吞吐量1.42亿吨", "吞吐量&nbsp;1.42亿吨"), "责任编辑：王丹",
                       "相关新闻", "- 某某标题 2023-04-18", "版权所有 © 2001-2024 海港财经网"])
    pieces = removals_by_rule(noisy)
    assert pieces["share_widget"] == ["分享到："]
    assert pieces["editor_mark"] == ["责任编辑：王丹"]
    assert pieces["html_entity"] == ["&nbsp;"]  # replaced by a space: the entity is what went
    assert pieces["related_item"] == ["- 某某标题 2023-04-18"]
    assert pieces["footer"] == ["版权所有 © 2001-2024 海港财经网"]  # tail rules apply in order: the footer first
    assert pieces["related_list"] == ["相关新闻"]
    # the same characters clean_text counts (whole lines; the entity left a space behind)
    counted = clean_text(noisy).removed
    assert {name: sum(map(len, found)) for name, found in pieces.items() if name != "html_entity"} == {
        name: chars for name, chars in counted.items() if name != "html_entity"}
    assert removals_by_rule(STORY) == {}

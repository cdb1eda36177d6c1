"""The five seed texts (seeds/texts/, real pages): every noise named in DEVELOPERS.md is
gone after cleaning, and the article sentences around it remain."""
from __future__ import annotations

from pathlib import Path

import pytest

from tasks.clean import clean_page
from tasks.models import ExtractedPage
from tasks.normalise import to_simplified

SEEDS = Path(__file__).resolve().parent.parent / "seeds" / "texts"


def cleaned(prefix: str):
    path = next(SEEDS.glob(f"{prefix}_*.txt"))
    page = ExtractedPage(url=path.as_uri(), kind="text", text=path.read_text(encoding="utf-8"), title=None,
                         published_at=None, source=None, author=None, encoding="utf-8", input_hash="seed")
    result, title = clean_page(page)
    return result, title


def test_seed_000_share_widget_and_footer_gone_story_kept():
    result, title = cleaned("000")
    text = result.text
    assert title == "【暖心故事】——那曲抗疫 我身邊的感動(八)"
    for noise in ("- +1", "報料熱線", "報料郵箱", "許可證", "經營許可證", "2014-2025", "本文為澎湃號作者", "來源:那曲融媒"):
        assert noise not in text
    assert result.found.source == "那曲融媒"
    assert text.startswith("“那曲市退役軍人‘疫’前緊急集合列隊完畢”")
    assert text.endswith("凝聚起聯防聯控、群防群治的強大力量。")
    assert "黨員先鋒示范 微光聚成星之海" in text


def test_seed_001_repeated_title_and_share_tail_gone():
    result, title = cleaned("001")
    text = result.text
    assert title == "新疆兵團第十二師|基層黨員幹部舍小家為大家,奔赴戰“疫”一線"
    assert title not in text
    for noise in ("分享到", "相關文章", "(記者:馮曉玲)"):
        assert noise not in text
    assert result.found.author == "馮曉玲"
    assert text.startswith("“我志願加入中國共產黨")
    assert text.endswith("十二師基層黨員幹部你們都是好樣的!")
    assert "頭屯河農場大門院社區副書記" in text and "“疫情不止 我們不退 堅持到底!”" in text


def test_seed_002_spam_captions_and_navigation_tail_gone():
    result, title = cleaned("002")
    text = result.text
    assert title == "自治区应急管理厅下派干部助力乌鲁木齐疫情防控:工作好同事,抗疫“好战友”"
    for noise in ("休闲区蓝鸢梦想", "Www.slyday.coM", "slyday", "相关推荐", "友情链接", "PHPCMSX", "微信扫一扫",
                  "返回顶部", "忘记密码", "获取验证码", "显示", "Close", title):
        assert noise not in text
    # The captions stay, without the repeated title and the spam glued to them.
    assert "自治区应急管理厅部分下派干部。记者王畅彤 通讯员洪净摄" in text
    assert text.endswith("我们一定会取得疫情防控的胜利。”")
    assert "哪里有需要,我们就去哪里" in text


def test_seed_003_pinyin_tag_mojibake_and_hot_list_gone():
    result, title = cleaned("003")
    text = result.text
    assert title  # no headline line in this .txt: derived from the first sentence
    assert "(fā)" not in text and "(zhàn)" not in text and "(qū)" not in text
    assert "發揮基層黨組織戰斗堡壘作用" in text
    assert "<span" not in text and "span style" not in text
    assert "?!" not in text and "半m然" not in text and "薄昂L墓芗摇秉h員" not in text
    assert "民意收集。“雖然每天都很累" in text  # repaired from ?!半m然
    assert "生輝。”“海棠管家”黨員護衛隊負責人王玲這樣說。" in text  # repaired from ?!薄昂L墓芗摇秉h員
    assert "我覺得很開心。朱澤洲質樸的話語" in text  # unrecoverable byte: removed
    assert "熱點" not in text and "2022-02-22" not in text
    assert result.found.published_at is None  # the hot list's timestamps are not the article's date
    assert text.endswith("堅守崗位甘當“螺絲釘”、爭做“一面旗”。")


def test_seed_004_metadata_line_footer_and_repeated_body_gone():
    result, title = cleaned("004")
    text = result.text
    assert title == "化身“志愿红”,巴南应急人奋战抗疫一线"
    for noise in ("时间:", "阅读量", "Copyright", "公网安备", "ICP备", "举报电话", "在线投稿", "通讯员 张礴"):
        assert noise not in text
    assert (result.found.published_at, result.found.source, result.found.author) == ("2022-12-01", "重庆法治报", "张柳妞")
    # The body repeated after the footer is kept once.
    assert text.count("凌晨6点起床") == 1
    assert text.startswith("凌晨6点起床")
    assert text.endswith("值得人民群众托付。")


@pytest.mark.parametrize("prefix", ["000", "001", "002", "003", "004"])
def test_seed_cleaning_is_idempotent(prefix):
    result, title = cleaned(prefix)
    page = ExtractedPage(url="x", kind="text", text=result.text, title=title, published_at=None, source=None,
                         author=None, encoding="utf-8", input_hash="x")
    assert clean_page(page)[0].text == result.text
    assert to_simplified(result.text)  # converts without error

"""Properties of cleaning, by hypothesis: it never raises, and cleaning clean text changes
nothing (idempotent), on text built from article sentences, noise lines and random junk."""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from tasks.cleaning.engine import clean_text

SENTENCES = [
    "新冠肺炎疫情发生后，社区工作人员第一时间组织党员志愿者上门服务。",
    "連日來，蘇州各地充分發(fā)揮基層黨組織戰(zhàn)斗堡壘作用。",
    "民意收集?!半m然每天都很累,但是能幫小區居民解決困難。",
    "今年一季度，全市港口完成货物吞吐量1.42亿吨，同比增长8.6%。",
]
NOISE = [
    "- +1", "分享到:", "微信扫一扫", "(完)", "【纠错】", "责任编辑:张三", "- 熱點", "- 2022-02-22 17:33:03",
    "时间: 2022-12-01 来源: 重庆法治报 编辑: 万 先觉 阅读量:14958", "通讯员 张礴 记者 张柳妞",
    "? 2014-2025 上海东方报业有限公司", "渝ICP备15010797号", "友情链接:", "返回顶部", "相关推荐",
    "休闲区蓝鸢梦想 - Www.slyday.coM 图为现场", '<span style="margin: 0px;">', "&nbsp;&ldquo;", "本报讯 ",
    "首页 | 新闻 | 体育 | 娱乐", "您现在的位置: 首页 >> 正文", "?!?", "▲",
]
JUNK = st.text(alphabet=st.sampled_from(list("中文?!()（）<>&;:：-|>\n 　abcāé12©")), max_size=30)
PIECE = st.one_of(st.sampled_from(SENTENCES), st.sampled_from(NOISE), JUNK)
TEXT = st.lists(PIECE, max_size=25).map(lambda pieces: "\n".join(pieces))


@settings(max_examples=300, deadline=None)
@given(TEXT, st.one_of(st.none(), st.sampled_from(SENTENCES[:1] + ["港口吞吐量增长"])))
def test_cleaning_is_idempotent_and_never_raises(text, title):
    once = clean_text(text, title)
    assert clean_text(once.text, title).text == once.text


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_cleaning_any_unicode_never_raises(text):
    once = clean_text(text)
    assert clean_text(once.text).text == once.text

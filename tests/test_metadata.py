"""Title, date, source and author from HTML pages and metadata lines."""
from __future__ import annotations

import pytest
from lxml import html as lxml_html

from tasks.metadata import (date_from_url, html_metadata, iso_date, parse_metadata_line,
                            strip_site_suffix)


def page(head: str, body: str) -> object:
    return lxml_html.fromstring(f"<html><head>{head}</head><body>{body}</body></html>")


def title_of(head: str, body: str, url: str = "file:///page.html") -> str | None:
    return html_metadata(page(head, body), url).title


RELATED = ("<div class='related'><h3>相关新闻</h3><ul><li><a href='/a'>另一篇报道</a> 2023-05-30 08:00</li></ul></div>"
           "<div class='foot'>Copyright © 2001-2024 某某网 版权所有</div>")
STORY = "<p>记者从市港航管理局获悉，今年一季度全市港口完成货物吞吐量1.42亿吨。</p>"


def test_title_is_the_headline_not_the_page_title():
    tree = page("<title>一季度港口吞吐量增长8.6%_新闻中心_海港财经网</title>",
                "<h1 class='logo'>海港财经网</h1><h1>一季度港口吞吐量增长8.6%</h1>" + STORY)
    assert html_metadata(tree, "https://example.cn/a.html").title == "一季度港口吞吐量增长8.6%"


def test_title_without_h1_loses_the_site_suffix():
    for raw in ("城东启动老旧小区改造_新闻中心", "城东启动老旧小区改造 - 江南日报网", "城东启动老旧小区改造|江南网",
                "城东启动老旧小区改造_地方新闻_江南网", "城东启动老旧小区改造－江南网"):
        tree = page(f"<title>{raw}</title>", STORY)
        assert html_metadata(tree, "https://example.cn/a.html").title == "城东启动老旧小区改造", raw


@pytest.mark.parametrize(("title", "headline"), [
    # Hong Kong and Taiwan portals (newsdiff's test pages): 網頁 and 編輯部 name a site; a
    # section's short name follows the site's before the headline
    ("廉署貪污舉報今年跌11%- 星島日報網頁", "廉署貪污舉報今年跌11%"),
    ("支聯會六四活動倡「愛國愛民」惹爭議 | 熱血編輯部", "支聯會六四活動倡「愛國愛民」惹爭議"),
    ("無綫新聞 - 財經 - 市料美零售銷售與消費者信心續升 - tvb.com", "市料美零售銷售與消費者信心續升"),
    # a short first segment that names no site stays: it is the headline's
    ("习近平 - 同美国总统举行视频会晤", "习近平 - 同美国总统举行视频会晤"),
])
def test_a_site_and_a_section_before_the_headline_and_the_site_after_it_go(title: str, headline: str):
    assert strip_site_suffix(title) == headline


def test_a_headline_printed_a_character_at_a_time_is_joined():
    tree = page("<title> 一 名 休 班 警 涉 嫌 企 圖 車 內 盜 竊 被 捕 </title>", STORY)
    assert html_metadata(tree, "https://example.hk/a.htm").title == "一名休班警涉嫌企圖車內盜竊被捕"
    tree = page("<title>习近平 会见 美国 总统</title>", STORY)  # words, not characters: as written
    assert html_metadata(tree, "https://example.cn/a.htm").title == "习近平 会见 美国 总统"


def test_an_h1_that_is_the_sites_name_is_no_headline():
    # ETtoday's logo is an h1 holding og:site_name, as long as the headline in its h2
    body = "<h1>ETtoday 新聞雲</h1><h2>論壇</h2><h2 class='title'>如何推動區域經貿合作</h2>" + STORY
    title = "<title>如何推動區域經貿合作 | ETtoday論壇新聞 | ETtoday 新聞雲</title>"
    assert title_of(title + "<meta property='og:site_name' content='ETtoday 新聞雲'>", body) == "如何推動區域經貿合作"
    # without og:site_name: the page title's last segment names the site
    assert title_of(title, body) == "如何推動區域經貿合作"


def test_separator_inside_a_headline_stays():
    assert strip_site_suffix("新疆兵团第十二师|基层党员干部舍小家为大家,奔赴战“疫”一线") == \
        "新疆兵团第十二师|基层党员干部舍小家为大家,奔赴战“疫”一线"
    assert strip_site_suffix("某某网 - 城东启动老旧小区改造工程") == "城东启动老旧小区改造工程"


def test_date_from_meta_tag_with_its_offset():
    tree = page("<meta property='article:published_time' content='2023-05-25T14:20:00+08:00'>",
                "<h1>梅雨锋面明起报到</h1>" + STORY + RELATED)
    assert html_metadata(tree, "https://example.tw/x").published_at == "2023-05-25T14:20:00+08:00"
    tree = page("<meta name='pubdate' content='2023-05-25T06:20:00Z'>", "<h1>梅雨锋面明起报到</h1>" + STORY)
    assert html_metadata(tree, "https://example.tw/x").published_at == "2023-05-25T06:20:00+00:00"


def test_date_line_under_the_headline_in_beijing_time_never_the_related_list_or_footer():
    tree = page("<title>寒潮来袭_新闻中心</title>",
                "<h1>寒潮来袭</h1><div class='info'>2023年11月16日 16:40 来源：省气象台 作者：记者 刘畅</div>"
                + STORY + RELATED)
    found = html_metadata(tree, "https://example.cn/news/1.html")
    assert found.published_at == "2023-11-16T16:40:00+08:00"
    assert found.source == "省气象台" and found.author == "刘畅"
    # No date by the headline: the related list's and the copyright's dates are not used.
    tree = page("<title>寒潮来袭</title>", "<h1>寒潮来袭</h1>" + STORY + RELATED)
    assert html_metadata(tree, "https://example.cn/news/1.html").published_at is None


def test_headline_in_an_element_marked_as_a_title_gives_the_date_line():
    # No h1 or h2: <div class="h-title"> holds the headline, and the date line follows it.
    tree = page("<title>寒潮来袭 多地降温-某某网</title>",
                "<div class='nav'><a href='/'>首页</a></div><div class='h-title'>寒潮来袭 多地降温</div>"
                "<div class='h-info'><span>2024-11-20 10:15:32</span><span>来源： 省气象台</span></div>"
                + STORY + RELATED)
    found = html_metadata(tree, "https://example.cn/news/1.html")
    assert found.title == "寒潮来袭 多地降温"
    assert found.published_at == "2024-11-20T10:15:32+08:00" and found.source == "省气象台"
    # A title-marked element the page title does not contain (a list's "title") is not it.
    # (The date line under it is not read as the article's: only htmldate's last-resort
    # reading of the page's one date may give its day, without the line's time.)
    tree = page("<title>寒潮来袭 多地降温-某某网</title>",
                "<div class='list-title'>热门推荐</div><span>2023-05-30 08:00</span>" + STORY)
    found = html_metadata(tree, "https://example.cn/news/1.html")
    assert found.title != "热门推荐" and found.published_at in (None, "2023-05-30")


def test_source_meta_tag_without_its_key():
    tree = page("<title>小番茄红了致富路</title><meta name='source' content='来源：人民某某网'>", "<h1>小番茄红了致富路</h1>" + STORY)
    assert html_metadata(tree, "https://example.cn/a.html").source == "人民某某网"


def test_date_from_the_url_path():
    assert date_from_url("https://gov.example.cn/zwdt/202304/t20230411_507.html") == "2023-04-11"
    assert date_from_url("https://example.cn/2023/0512/c_1000.html") == "2023-05-12"
    assert date_from_url("https://example.cn/news/2023-10-22/doc-9.shtml") == "2023-10-22"
    assert date_from_url("https://example.cn/news/0008.html") is None
    tree = page("<title>某某</title>", "<h1>县级医院开通远程会诊</h1>" + STORY + RELATED)
    assert html_metadata(tree, "https://gov.example.cn/zwdt/202304/t20230411_507.html").published_at == "2023-04-11"


def test_a_year_last_date_counts_where_its_order_is_certain():
    # Passion Times (yookoala/newsdiffHK): /article/05-19-2013/3008/, and under the story
    # 熱血編輯部 @ 05-19-2013; the number over 12 is the day, in either order
    assert date_from_url("http://www.example.hk/article/05-19-2013/3008/") == "2013-05-19"
    assert date_from_url("http://www.example.hk/article/19-05-2013/3008/") == "2013-05-19"
    assert date_from_url("http://www.example.hk/article/05-06-2013/3008/") is None  # May 6 or 5 June
    tree = page("<title>某某</title>", "<h1>支聯會六四活動倡議惹爭議</h1><div>熱血編輯部 @ 05-19-2013 / 2 years ago</div>" + STORY)
    assert html_metadata(tree, "http://www.example.hk/a/3008").published_at == "2013-05-19"
    tree = page("<title>某某</title>", "<h1>支聯會六四活動倡議惹爭議</h1><div>熱血編輯部 @ 05-06-2013</div>" + STORY)
    assert html_metadata(tree, "http://www.example.hk/a/3008").published_at is None


def test_iso_date_full_width_digits_and_a_weekday_before_the_time():
    assert iso_date("２０２４年１１月２０日") == "2024-11-20"
    assert iso_date("２０２４－１１－２０　１０：０５") == "2024-11-20T10:05:00+08:00"
    assert iso_date("2024年11月20日 星期三 10:05") == "2024-11-20T10:05:00+08:00"


def test_media_markers_leave_the_headline():
    from tasks.metadata import strip_media_markers

    for title in ("某某县开展消防演练(图)", "某某县开展消防演练（组图）", "组图：某某县开展消防演练", "视频｜某某县开展消防演练"):
        assert strip_media_markers(title) == "某某县开展消防演练", title
    # A column label or a word in the headline is not a media marker.
    for title in ("【暖心故事】某某县开展消防演练", "一张老照片里的图书馆", "（视频）"):
        assert strip_media_markers(title) == title


def test_iso_date_forms():
    assert iso_date("2022-12-01") == "2022-12-01"
    assert iso_date("2022年12月1日 10:05") == "2022-12-01T10:05:00+08:00"
    assert iso_date("2022/02/22 17:33:03") == "2022-02-22T17:33:03+08:00"
    assert iso_date("2023-11-02T00:00:00+08:00") == "2023-11-02"  # a midnight placeholder: date only
    assert iso_date("2022-13-45") is None and iso_date("阅读量 14958") is None


def test_metadata_line_fills_columns_and_sentences_are_not_metadata():
    rest, found = parse_metadata_line("时间: 2022-12-01 来源: 重庆法治报 编辑: 万 先觉 阅读量:14958", head=True)
    assert rest is None and (found.published_at, found.source) == ("2022-12-01", "重庆法治报")
    rest, found = parse_metadata_line("发布时间：2023年04月06日 | 来源：石门乡融媒体中心 | 浏览次数：3521")
    assert rest is None and found.published_at == "2023-04-06" and found.source == "石门乡融媒体中心"
    for sentence in ("记者：你怎么看这个问题？", "时间：就是金钱，效率就是生命，这是当年的口号。", "图片：市民在公园散步"):
        assert parse_metadata_line(sentence) == (sentence, None)


def test_source_is_the_named_source_else_the_site_and_info_line_without_headline():
    tree = page("<title>夏粮收购进度过半 - 香江时报</title>", STORY)
    assert html_metadata(tree, "https://example.hk/a").source == "香江时报"
    tree = page("<title>寒潮来袭_齐鲁在线</title>",
                "<div class='info'>发布时间:2023-08-03&nbsp;&nbsp;作者:陈立&nbsp;&nbsp;来源:新华社</div>" + STORY)
    found = html_metadata(tree, "https://example.cn/a")
    assert (found.source, found.author, found.published_at) == ("新华社", "陈立", "2023-08-03")
    tree = page("<title>夜间急诊儿科扩容</title>",
                "<h1>夜间急诊儿科扩容</h1><div><span>原创</span> <span>记者 高洁</span> <span>晨报</span></div>" + STORY)
    assert html_metadata(tree, "https://mp.example.cn/s/1").author == "高洁"


def test_byline_by_the_headline_stops_at_its_block_and_verbs_are_not_names():
    tree = page("<title>城市书房24小时开放</title>",
                "<h1>城市书房24小时开放</h1><p class='meta'>2024-11-12 09:00 某某晚报 记者 钱多多</p>"
                "<div>晚上十点，位于老城区的一家城市书房依然灯火通明。</div>")
    assert html_metadata(tree, "https://example.cn/a.html").author == "钱多多"
    tree = page("<title>小区垃圾分类见实效</title>",
                "<h1>小区垃圾分类见实效</h1><div class='info'>来源：某某新闻客户端</div>"
                "<p>走进幸福里小区，记者看到，各个垃圾投放点都设置了四分类垃圾桶。</p>")
    assert html_metadata(tree, "https://example.cn/a.html").author is None


def test_a_wechat_articles_account_is_its_source():
    tree = page("<title>夜间急诊儿科扩容</title>",
                "<h1 class='rich_media_title'>夜间急诊儿科扩容</h1><div id='meta_content'>"
                "<a href='javascript:void(0);' id='js_name'>某某晨报</a> <em id='publish_time'>2023-02-16</em></div>" + STORY)
    assert html_metadata(tree, "https://mp.example.cn/s/41").source == "某某晨报"


def test_htmldate_is_the_last_resort_and_never_reads_a_related_list():
    # No meta tag, no date line, no date in the URL: htmldate finds the <time> element.
    tree = page("<title>寒潮来袭</title>",
                "<h1>寒潮来袭</h1><p>记者 王明</p><div class='art'><time datetime='2023-11-16'>十一月十六日</time>"
                + STORY + "</div>")
    assert html_metadata(tree, "https://example.cn/news/1.html").published_at == "2023-11-16"
    # Dates of other stories (related lists, rankings, sidebars) are not the article's.
    tree = page("<title>寒潮来袭</title>",
                "<h1>寒潮来袭</h1>" + STORY + "<div class='hot-news'><time datetime='2023-05-30'>5月30日</time>"
                "<a href='/b'>另一篇</a></div><ul class='related'><li><time datetime='2023-05-29'>5月29日</time></li></ul>")
    assert html_metadata(tree, "https://example.cn/news/1.html").published_at is None


def test_a_wechat_style_script_timestamp_and_the_pages_own_url_give_the_date():
    # WeChat prints 昨天 or a date its script fills in: the script's `var ct` is the time.
    tree = page("<title>绥德：33名退役军人被表彰</title>",
                "<h1>绥德：33名退役军人被表彰</h1><em id='publish_time'></em>" + STORY
                + '<script>var ct = "1659274471"; var msg_title = "x";</script>')
    assert html_metadata(tree, "file:///tmp/a.html").published_at == "2022-07-31T21:34:31+08:00"
    # A saved page read from disk: its canonical URL's path holds the date.
    tree = page("<title>诗歌</title><link rel='canonical' href='https://www.example.cn/c/2020-01-12/11803576.shtml'>",
                "<h1>诗歌</h1>" + STORY)
    assert html_metadata(tree, "file:///tmp/b.html").published_at == "2020-01-12"
    # A number that is no timestamp field is not read as one.
    tree = page("<title>诗歌</title>", "<h1>诗歌</h1>" + STORY + "<script>var account = 1659274471;</script>")
    assert html_metadata(tree, "file:///tmp/c.html").published_at is None


def test_a_headline_keeps_its_words_and_loses_a_glued_count_or_a_logo():
    # A count glued to the headline goes when the page title has the headline without it.
    tree = page("<title>第二章 失乡号的船长 _《深海余烬》小说在线阅读 - 起点中文网</title>",
                "<h1>第二章 失乡号的船长<span>241</span></h1>" + STORY)
    assert html_metadata(tree, "https://example.cn/1.html").title == "第二章 失乡号的船长"
    # The only h1 is the headline even when it ends in a word sites end their names with.
    tree = page("<title>-某某历史网</title>", "<h1>疫情一刀切政策怎么投诉举报</h1>" + STORY)
    assert html_metadata(tree, "https://example.cn/1.html").title == "疫情一刀切政策怎么投诉举报"
    # A headline whose last characters are digits of its own stays whole.
    tree = page("<title>国内机票100元起_某某网</title>", "<h1>国内机票100元起</h1>" + STORY)
    assert html_metadata(tree, "https://example.cn/1.html").title == "国内机票100元起"


def test_json_ld_published_date_beats_a_later_date_by_the_headline():
    # A "latest recommended article: <date>" line sits under the headline; the page's
    # JSON-LD gives the article's own date (a CSDN page of bench/real).
    tree = page("<title>为什么ChatGPT不火了</title><script type='application/ld+json'>"
                '{"@context":"https://ziyuan.baidu.com/contexts/cambrian.jsonld","pubDate":"2024-05-06T15:44:46"}</script>',
                "<h1>为什么ChatGPT不火了</h1><div class='up-time'>最新推荐文章于 2024-05-07 22:12:13 发布</div>" + STORY)
    assert html_metadata(tree, "https://example.cn/a.html").published_at.startswith("2024-05-06")


def test_a_date_inside_the_storys_first_sentence_is_not_the_date_line():
    tree = page("<title>蔡健雅</title>",
                "<h1>蔡健雅</h1><p>蔡健雅，华语流行乐女歌手、音乐制作人，1975年1月28日出生于新加坡，"
                "祖籍中国江苏省，现定居于台湾，2003年凭借专辑获得金曲奖最佳国语女演唱人奖。</p>")
    assert html_metadata(tree, "https://example.cn/a.html").published_at is None


def test_an_h3_headline_gives_the_date_line_under_it():
    # a poem page of bench/real (中国诗歌网): the headline is an h3, the date line under it
    tree = page("<title>静夜思•夜-中国诗歌网</title>",
                "<div class='nav'><a href='/sg/'>诗歌</a></div><div class='text-center'><h3>静夜思•夜</h3></div>"
                "<div class='row'><span>作者：涅阳城</span><span>2020年01月12日18:32</span> <span>浏览：272</span></div>"
                "<div id='content'><p>夜深了，窗外的灯一盏一盏熄灭，只有月光还照在旧书桌上。</p></div>" + RELATED)
    found = html_metadata(tree, "https://example.cn/a.html")
    assert found.title == "静夜思•夜" and found.published_at == "2020-01-12T18:32:00+08:00"


def test_a_date_with_its_lunar_date_is_a_birthday_not_the_date_line():
    # an encyclopedia entry's key facts under the headline (trafilatura's test page baike tanya)
    tree = page("<title>蔡健雅_百科</title><meta name='dateUpdate' content='2020-02-14 10:47:36'>",
                "<h1>蔡健雅</h1><ul><li>1975年1月28日（农历1974年腊月十七）</li><li>新加坡</li></ul>"
                "<p>蔡健雅，华语流行乐女歌手、音乐制作人，祖籍中国江苏省，现定居于台湾。</p>")
    assert html_metadata(tree, "https://example.cn/a.html").published_at != "1975-01-28"
    # a publication line without one is still read
    tree = page("<title>蔡健雅_百科</title>", "<h1>蔡健雅</h1><ul><li>2020年2月14日</li></ul>"
                "<p>蔡健雅，华语流行乐女歌手、音乐制作人，祖籍中国江苏省，现定居于台湾。</p>")
    assert html_metadata(tree, "https://example.cn/a.html").published_at == "2020-02-14"


def test_an_h1_linking_to_a_home_page_is_a_logo_not_the_headline():
    # a hacked template: a spam site's name in the only h1, linked to its home page; the
    # page title holds the story's headline
    tree = page("<title>H型钢的利用率是什么_公司新闻_某某金属制品有限公司</title>",
                "<h1><a href='http://spam.example.com/'>某某国际网址</a></h1>"
                "<div class='news_xiangxi'>H型钢的利用率是什么</div>" + STORY)
    assert html_metadata(tree, "https://example.cn/show.asp?id=1").title == "H型钢的利用率是什么"
    # the page title's SEO keywords after the section name are the site's too
    assert strip_site_suffix("H型钢的利用率是什么_公司新闻_H型钢_H型钢价格_热轧H型钢_某某金属制品有限公司") == "H型钢的利用率是什么"
    # a site's logo linked to its root, beside a headline not in the page title
    tree = page("<title>某某新闻网</title>", "<h1><a href='/'>某某新闻网欢迎您</a></h1>" + STORY)
    assert html_metadata(tree, "https://example.cn/a.html").title != "某某新闻网欢迎您"
    # an only h1 linking to the story's own page is the headline
    tree = page("<title>某某新闻网</title>", "<h1><a href='/news/2023/a.html'>城东启动老旧小区改造工程</a></h1>" + STORY)
    assert html_metadata(tree, "https://example.cn/news/2023/a.html").title == "城东启动老旧小区改造工程"


def test_a_calendar_badge_under_the_headline_is_the_date():
    from tasks.metadata import _date_line, BLOCK_BREAK

    assert _date_line(f"21 {BLOCK_BREAK} 2024年02月 {BLOCK_BREAK} 分享") == "2024-02-21"
    assert _date_line(f"2024-02 {BLOCK_BREAK} 21日") == "2024-02-21"
    # a count beside a month is no badge: 32 is no day, 13 no month
    assert _date_line(f"32 {BLOCK_BREAK} 2024年02月") is None
    assert _date_line(f"21 {BLOCK_BREAK} 2024年13月") is None


def test_a_date_line_under_a_summary_paragraph_is_the_date():
    # miniflux gb2312 (51cto.com): the headline, a summary paragraph, then the fields' line
    summary = ("<p>如今，我们的电子邮件中正潜伏着各种网络钓鱼骗局。即便是你现在没有发现，那么也许明天或者是后天……"
               "总之总有一天会发现。</p>")
    line = "<dl><dt><span>作者：小二郎</span><span>来源：<a href='/s'>4hou</a></span>|<em>2018-10-29 10:35</em></dt></dl>"
    tree = page("<title>警惕7大最常见的网络钓鱼主题行</title>", f"<h2>警惕7大最常见的网络钓鱼主题行</h2>{summary}{line}{STORY}")
    assert html_metadata(tree, "https://example.cn/art/1.htm").published_at == "2018-10-29T10:35:00+08:00"
    # a related list's dated item under a short story names no field: not the story's date
    tree = page("<title>寒潮来袭</title>", "<h1>寒潮来袭</h1>" + STORY + RELATED)
    assert html_metadata(tree, "https://example.cn/news/1.html").published_at is None


def test_a_segment_whose_words_recur_in_the_site_name_ends_where_it_ends():
    # the kept segment 湖北 recurs inside the cut 湖北日报网: none of the site's name comes back
    assert strip_site_suffix("暴雨来袭 武汉_湖北_湖北日报网") == "暴雨来袭 武汉_湖北"


def test_a_headline_printed_as_plain_text_gives_the_date_line_under_it():
    # dlde's ifeng.com page (2011): <div id="artical_topic"> holds the headline, no h1 and no
    # title class; the date line under it names no key.
    body = ("<div id='nav'><a href='/'>资讯</a> &gt; 正文</div><div id='artical_topic'>雷峰塔出土佛教文物在江西展出</div>"
            "<div id='artical_sth'><span>2011年01月01日 23:11</span><span><a href='/s'>中新网</a></span></div>" + STORY)
    tree = page("<title>雷峰塔出土佛教文物在江西展出_资讯频道_凤凰网</title>", body)
    assert html_metadata(tree, "file:///page.html").published_at == "2011-01-01T23:11:00+08:00"
    # a sentence that holds the headline's words is not where it is printed
    tree = page("<title>雷峰塔出土佛教文物在江西展出_资讯频道_凤凰网</title>",
                "<p>消息称雷峰塔出土佛教文物在江西展出，观众众多。</p><div>2011年01月01日 23:11</div>" + STORY)
    assert html_metadata(tree, "file:///page.html").published_at != "2011-01-01T23:11:00+08:00"


def test_a_bbs_posts_english_date_line():
    # PTT (go-ptt-web-craweler's test page): the post's 時間 line in C's ctime form
    tree = page("<title>[問卦] 有沒有聯俄抗中的八卦 - 看板 Gossiping - 批踢踢實業坊</title>",
                "<div id='main-content'><div class='article-metaline'><span>標題</span>"
                "<span class='article-meta-value'>[問卦] 有沒有聯俄抗中的八卦</span></div>"
                "<div class='article-metaline'><span>時間</span><span>Sun Jan  1 15:43:24 2017</span></div>"
                "如題，大家怎麼看這件事呢？</div>")
    assert html_metadata(tree, "file:///page.html").published_at == "2017-01-01T15:43:24+08:00"
    assert iso_date("Jan 1, 2017") is None  # iso_date reads numeric dates only; the date line reads these
    tree = page("<title>某某</title>", "<h1>支聯會六四活動倡議惹爭議</h1><div>Posted Mayday 3 2019</div>" + STORY)
    assert html_metadata(tree, "file:///page.html").published_at is None  # no month's name


def test_a_headline_with_a_byte_order_mark_or_a_deck_under_a_break():
    # hknews-backend's Headline Daily page: <h1>\ufeff災情未止…</h1>, and the section's <h2>
    # is in the page title too; Ming Pao (2013): the deck under <br><br> in the same <h1>
    assert title_of("<title>災情未止 小海嘯毁污水廠 - 港聞 - 日報新聞 - 頭條日報</title>",
                    "<h2>日報新聞</h2><h1>\ufeff災情未止 小海嘯毁污水廠</h1>" + STORY) == "災情未止 小海嘯毁污水廠"
    assert title_of("<title>美研究﹕中國米鉛超標百倍</title>",
                    "<h1>美研究﹕中國米鉛超標百倍<br><br>疑西方傾倒毒廢料所致 自食惡果</h1>" + STORY) == "美研究﹕中國米鉛超標百倍"


def test_an_author_box_holding_a_date_a_button_or_the_authors_articles_gives_no_author():
    # skypost (發佈時間 in class="author-box"), sina's author card (+关注, 作者文章 above a list)
    for box in ("<div class='author-box'>發佈時間: 2020/08/07</div>",
                "<div class='author-card'><a href='#'><i>+</i>关注</a></div>",
                "<div class='author-list'><div class='author-list-hd'>作者文章</div>"
                "<ul><li class='author-article-list-item'><h2><a href='/b'>世界第一井成功沉在地下</a></h2></li></ul></div>"):
        tree = page("<title>夜间急诊儿科扩容</title>", "<h1>夜间急诊儿科扩容</h1>" + box + STORY)
        assert html_metadata(tree, "https://example.cn/a").author is None, box
    tree = page("<title>夜间急诊儿科扩容</title>", "<h1>夜间急诊儿科扩容</h1><span class='author'>陈立</span>" + STORY)
    assert html_metadata(tree, "https://example.cn/a").author == "陈立"
    # a name with its date glued on (postlight's qdaily page: 谢若含2017-03-01 14:27:02)
    tree = page("<title>夜间急诊儿科扩容</title>",
                "<h1>夜间急诊儿科扩容</h1><div class='author'>谢若含2017-03-01 14:27:02</div>" + STORY)
    assert html_metadata(tree, "https://example.cn/a").author == "谢若含"


def test_keys_glued_to_the_value_before_them_with_a_full_width_colon():
    # rcy17/newsExtraction's NetEase page (an IT之家 story): 来源：IT之家作者：骑士责编：骑士
    assert parse_metadata_line("来源：IT之家作者：骑士责编：骑士", True) == (
        None, parse_metadata_line("来源：IT之家 作者：骑士 责编：骑士", True)[1])
    assert parse_metadata_line("来源：IT之家作者：骑士责编：骑士", True)[1].author == "骑士"
    sentence = "他是这部书的合作者：张三说的。"
    assert parse_metadata_line(sentence, True) == (sentence, None)


def test_an_institutions_name_after_the_headline_is_the_sites():
    # hcdd.cq.cn (a school's news): the school and its parent school after the headline
    tree = page("<title>厚植爱国情怀——我校举行红岩文化室揭牌仪式-重庆市合川广播电视大学-重庆广播电视大学</title>", STORY)
    assert html_metadata(tree, "file:///page.html").title == "厚植爱国情怀——我校举行红岩文化室揭牌仪式"


def test_a_date_line_whose_value_a_script_writes():
    # TRS sites (a county HR bureau's, found by a helper): 发布时间： then a script that
    # document.write()s the date; a script that writes no date adds nothing
    body = ("<div class='title'><h1>迎新年·送温暖</h1><div class='toolbar'>发布时间：<script type='text/javascript'>"
            "var  pubdata='2018年02月13日'; if(pubdata!=''){ document.write(pubdata); }</script> 字体：小 中 大"
            "<script>var wzly=''; if(wzly!=''){ document.write('文章来源：'+wzly); }</script></div></div>"
            "<p>2月12日，县人社局组织开展慰问退休老干部活动，为他们送去新春的祝福和节日的问候。</p>")
    found = html_metadata(page("<title>迎新年·送温暖</title>", body), "https://www.example.gov.cn/gzdt/ldhd/201802/t20180213_1.html")
    assert found.published_at == "2018-02-13"
    # (a date kept in a script that writes nothing is no text of the page)
    silent = body.replace("document.write(pubdata);", "console.log(pubdata);")
    assert html_metadata(page("<title>迎新年·送温暖</title>", silent), "file:///a.html").published_at is None


def test_a_long_dash_inside_a_headline_cuts_nothing():
    # a Sina blog post (sinablog-backup, found by a helper): ———— is the headline's own
    title = "《我牛逼的2011年大总结套餐》————【5400字，做好长篇阅读准备】"
    assert strip_site_suffix(title) == title
    assert strip_site_suffix("一季度港口吞吐量增长8.6%——海港财经网") == "一季度港口吞吐量增长8.6%"


def test_a_copy_of_the_page_title_beside_the_h1_is_no_headline():
    # SETN (NewsSentimentAnalyzer's setn-2023, found by a helper): a photo viewer's title bar
    # holds the whole page title, section and site name; the h1 holds the headline
    title = "拜習會生變！習近平不出席G20峰會\u3000中國外交部曝「代替人選」"
    tree = page(f"<title>{title} | 國際 | 三立新聞網  SETN.COM</title>",
                f"<div class='photo-full-title pull-left'>{title} | 國際 | 三立新聞網  SETN.COM</div><h1>{title}</h1>{STORY}")
    assert html_metadata(tree, "https://www.setn.com/News.aspx?NewsID=1").title == title.replace("\u3000", " ")


def test_an_author_meta_tag_giving_a_profiles_address_is_no_author():
    # ETtoday and Ming Pao (found by helpers): article:author holds a Facebook page's URL
    for value in ("https://www.facebook.com/ETtoday", "www.facebook.com/mingpaoinews"):
        tree = page(f"<title>某某新聞標題</title><meta property='article:author' content='{value}'>", f"<h1>某某新聞標題</h1>{STORY}")
        assert html_metadata(tree, "https://example.com/a.html").author is None
    tree = page("<title>某某新聞標題</title><meta name='author' content='林海'>", f"<h1>某某新聞標題</h1>{STORY}")
    assert html_metadata(tree, "https://example.com/a.html").author == "林海"

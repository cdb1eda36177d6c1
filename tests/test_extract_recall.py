"""What the extractor hands to cleaning: photo captions kept, layout-table paragraphs kept
as paragraphs, the page's own title and date (not trafilatura's), through extract_one."""
from __future__ import annotations

from tasks.extract import extract_one
from tasks.models import DecodedPage, ExtractedPage

PARAS = ["记者从市港航管理局获悉，今年一季度全市港口完成货物吞吐量1.42亿吨，同比增长8.6%，增速高于去年同期。",
         "从货类结构看，外贸集装箱和新能源汽车出口成为拉动增长的主要力量，滚装码头出口汽车11.8万辆。",
         "港航管理局表示，下一步将加快推进铁水联运通道建设，力争年内新开行海铁联运班列线路三条。"]
RELATED = "<div class='hot'><h3>热点新闻</h3><ul><li><a href='/1'>另一篇报道</a> 2023-05-30 08:00</li></ul></div>"


def extract(markup: str, url: str = "https://news.example.cn/2023/0421/a.html") -> ExtractedPage:
    outcome = extract_one(DecodedPage(url=url, kind="html", content=markup, encoding="utf-8",
                                      replacement_chars=0, input_hash="h"))
    assert isinstance(outcome, ExtractedPage), outcome
    return outcome


def test_captions_are_kept():
    markup = (f"<html><head><title>港口吞吐量增长8.6%_财经频道_海港财经网</title></head><body>"
              f"<h1>港口吞吐量增长8.6%</h1><div class='article'><p>{PARAS[0]}</p>"
              f"<figure><img src='/a.jpg'><figcaption>集装箱码头一派繁忙景象。</figcaption></figure>"
              f"<p>{PARAS[1]}</p><div class='img_wrapper'><img src='/b.jpg'><span class='img_descr'>滚装码头正在装船。</span></div>"
              f"<p class='image-caption'>新建的自动化码头。</p><p>{PARAS[2]}</p></div>{RELATED}</body></html>")
    page = extract(markup)
    for caption in ("集装箱码头一派繁忙景象。", "滚装码头正在装船。", "新建的自动化码头。"):
        assert caption in page.text
    assert "![" not in page.text
    assert page.title == "港口吞吐量增长8.6%"
    assert page.published_at == "2023-04-21"  # from the URL: the related list's date is not the article's


def test_layout_table_keeps_paragraphs_and_the_date_line():
    body = "".join(f"<p>{p}</p>" for p in PARAS)
    markup = (f"<html><head><title>港口吞吐量增长8.6% - 海港财经网</title></head><body><table>"
              f"<tr><td><a href='/'>首页</a> | <a href='/a'>财经</a> | <a href='/b'>港航</a></td></tr>"
              f"<tr><td class='biaoti'><h2>港口吞吐量增长8.6%</h2></td></tr>"
              f"<tr><td class='laiyuan'>2023年04月21日 08:05 来源：海港财经网</td></tr>"
              f"<tr><td class='zhengwen'>{body}</td></tr></table>{RELATED}</body></html>")
    page = extract(markup, url="https://news.example.cn/port/a.html")
    lines = page.text.split("\n")
    for paragraph in PARAS:
        assert paragraph in lines
    assert page.title == "港口吞吐量增长8.6%"
    assert page.published_at == "2023-04-21T08:05:00+08:00" and page.source == "海港财经网"


def test_content_nested_below_the_parsers_depth_limit_is_extracted():
    # libxml2 stops at 256 levels; mixed wrapper tags, 5,000 deep, with the headline above.
    wrappers = ["<div class='w'>", "<section>", "<span>", "<font size=2>"] * 1_250
    closers = ["</font>", "</span>", "</section>", "</div>"] * 1_250
    body = "".join(f"<p>{p}</p>" for p in PARAS)
    markup = (f"<html><head><title>港口吞吐量增长8.6%_海港财经网</title></head><body><h1>港口吞吐量增长8.6%</h1>"
              f"{''.join(wrappers)}\n{body}\n{''.join(closers)}</body></html>")
    page = extract(markup)
    assert page.text.split("\n") == PARAS
    assert page.title == "港口吞吐量增长8.6%"


def test_collapsing_wrapper_runs_leaves_ordinary_markup_alone():
    from tasks.extract import WRAPPER_RUN, collapse_wrapper_runs

    ordinary = f"<html><body><div><div><p>{PARAS[0]}</p></div></div></body></html>"
    assert collapse_wrapper_runs(ordinary) is None
    just_below = "<div>" * (WRAPPER_RUN - 1) + "x" + "</div>" * (WRAPPER_RUN - 1)
    assert collapse_wrapper_runs(just_below) is None
    assert collapse_wrapper_runs("<div>" * WRAPPER_RUN + "x" + "</div>" * WRAPPER_RUN) == "<div>x</div>"
    assert collapse_wrapper_runs("<b>" + "<i> " * WRAPPER_RUN + "x") == "<i> x"


def test_a_short_article_keeps_its_paragraphs():
    # trafilatura takes under 250 characters as a failed extraction and may fall back to an
    # <article>'s text joined into one line; a Chinese brief is that short.
    brief = ["气象台今天表示，受冷空气影响，明天起北部山区有局部大雨，请民众注意强降雨及落石。",
             "预报员指出，这波降雨将持续到周末，早晚温差大，外出请注意保暖。",
             "不用抽 不用抢 现在用APP看新闻 点我下载APP 按我看活动办法"]
    markup = (f"<html><head><title>北部山区防豪雨 - 某某时报</title></head><body><main><article>"
              f"<h1>北部山区防豪雨</h1><div class='text'>{''.join(f'<p>{p}</p>' for p in brief)}</div>"
              f"<div class='related'><h3>相关新闻</h3><ul><li><a href='/n1'>周末天气转凉</a></li></ul></div>"
              f"</article></main></body></html>")
    lines = extract(markup).text.split("\n")
    assert all(p in lines for p in brief)


def test_a_short_story_in_a_layout_cell_keeps_its_paragraphs():
    # An old template: the story is one table cell, its paragraphs separated by <br><br>.
    short = [p[:45] + "。" for p in PARAS]
    cell = "<br><br>".join(f"\u3000\u3000{p}" for p in short)
    markup = (f"<html><head><title>港口吞吐量增长 - 县政府网</title></head><body><table>"
              f"<tr><td><a href='/'>网站首页</a> | <a href='/zw'>政务公开</a></td></tr>"
              f"<tr><td class='content'>{cell}</td></tr></table></body></html>")
    lines = [line.strip() for line in extract(markup).text.split("\n")]
    assert all(p in lines for p in short)


def test_an_inline_photo_note_does_not_cut_its_sentence():
    # A photo and its note in the middle of a sentence: the sentence stays whole.
    sentence = ("她打电话到胸腔科询问父亲病情，接听的护理师李玮珍<img src='/n.jpg'><span>（右图）</span>"
                "表示基于病人隐私，不方便在电话中告知，请她到医院了解状况。")
    markup = (f"<html><head><title>港口吞吐量增长8.6%_海港财经网</title></head><body><h1>港口吞吐量增长8.6%</h1>"
              f"<div class='article'><p>{PARAS[0]}</p><p>{sentence}</p><p>{PARAS[1]}</p></div></body></html>")
    text = "".join(extract(markup).text.split())  # the image may leave a line break
    assert "接听的护理师李玮珍（右图）表示基于病人隐私，不方便在电话中告知，请她到医院了解状况。" in text


def test_an_article_element_inside_the_container_does_not_narrow_it():
    # a WeChat post of bench/real: one boxed section of the body sits in its own <article>,
    # which trafilatura's body XPaths prefer (and it holds the longest paragraph); the news
    # items after it are the post too
    items = [f"<h1>● {p}</h1>" for p in PARAS] * 2
    boxed = ("<section><article class='yead_editor'><section style='height:200px;overflow-y:auto'>"
             "<p>岁在戊戌，节届清明，桥山之阳，春和景明。华夏儿女以笃恭笃敬之心、八佾雅乐之仪，祭告轩辕黄帝曰：</p>"
             "<p>壮哉中华，乾坤朗朗；自信在胸，正道康庄。国力宏勃兮光灿寰宇，民心齐荟兮奋发图强。盛会十九大，砥砺前行初心不忘；"
             "开启新时代，思想引领伟业恒昌。宪法修立兮万众尊崇，纲纪整饬兮政风和畅。一带一路连五洲命运，精准脱贫惠华夏山乡。</p>"
             "</section></article></section>")
    markup = (f"<html><head><title>4月6日周五【新闻速览一分钟】</title></head><body><div id='js_article'>"
              f"<h2 id='activity-name'>4月6日周五【新闻速览一分钟】</h2><div id='js_content'>{boxed}"
              f"{''.join(items)}<p>以上新闻由本报记者综合整理，欢迎读者继续提供新闻线索。</p></div></div></body></html>")
    text = extract(markup).text
    assert "岁在戊戌" in text
    for paragraph in PARAS:
        assert paragraph in text


def test_a_linked_subheading_stays_and_a_related_list_goes():
    # cx-extractor page 33: a briefing's digest links each item's headline to its own page
    story = ["证监会新闻发言人张晓军3日表示，证监会一直在支持养老基金等各类长期资金入市。",
             "同时，记者从有关方面获悉，中央汇金已经入市操作。",
             "证监会新闻发言人张晓军3日介绍，已经查明6起案件的违法事实，并根据性质和情节，将有关机构和个人依法移送公安机关。",
             "中国证监会新闻发言人张晓军3日表示，下一步将会同公安机关严打造谣传谣行为。"]
    digest = (f"<p><a href='/15/0703/a.html'>证监会：继续推进长期资金入市</a></p><p>{story[0]}</p><p>{story[1]}</p>"
              f"<p><a href='/15/0703/b.html'>证监会已查明6起编造虚假信息案</a></p><p>{story[2]}</p><p>{story[3]}</p>")
    related = "<p><a href='/c.html'>另一篇报道的标题在这里</a></p><p><a href='/d.html'>第二篇报道的标题在这里</a></p>"
    markup = (f"<html><head><title>证监会：将相应减少IPO发行家数_网易财经</title></head><body>"
              f"<h1>证监会：将相应减少IPO发行家数</h1><div id='endText'>{''.join(f'<p>{p}</p>' for p in PARAS)}"
              f"{digest}{related}</div></body></html>")
    lines = extract(markup).text.split("\n")
    assert lines == [*PARAS, "证监会：继续推进长期资金入市", *story[:2], "证监会已查明6起编造虚假信息案", *story[2:]]


POEM = ["我有所念人，隔在远远乡。", "我有所感事，结在深深肠。", "乡远去不得，无日不瞻望。",
        "肠深解不得，无夕不思量。", "况此残灯夜，独宿在空堂。", "秋天殊未晓，风雨正苍苍。"]
SECTIONS = {  # heading -> its one paragraph (a poetry site's notes, each beside a "更多" link)
    "译文及注释": "我有着深深思念的人，却相隔在远远的异乡。我有所感怀的事情，深深的刻在心上。",
    "创作背景": "此诗写于元和六年，时年作者四十岁。从“独宿在空堂”可以看出，此诗是为一个与作者相爱的女子而写。",
    "赏析": ("这首诗不是唐代所流行的工整的今体诗，它共有七句话，前四句大量的重复用字，也并不合乎诗歌的习惯。"
             "意像的描写被放在了叙事之后，全诗没有比喻、没有用典，可以说是完全没有格律的羁绊，用最直白的语言，"
             "抒发了最真挚的情感。开头开门见山的写出了所要记叙的事情，好像是憋闷了许久的言语冲口而出，"
             "强烈的感情色彩也在无需意像的渲染的情况下，立刻展现在读者面前。四句话形式上两两相同，"
             "但情感上却是层层深入的，第一句提到了人的思念和远，都是平平的概述，点到为止。"),
}


def test_a_poem_in_br_lines_and_short_sections_beside_more_links_are_kept_whole():
    sections = "".join(
        f"<div class='shangxi'><h3>{heading}</h3><span class='more'><a href='/n/{n}'>更多</a></span>"
        f"<div style='clear:both;'><p>作者：佚名<br>{text}</p></div></div>"
        for n, (heading, text) in enumerate(SECTIONS.items()))
    markup = (
        "<html><head><title>夜雨_原文、翻译及赏析_读古诗词网</title></head><body>"
        "<div class='main-body'><div class='prose-left' itemscope itemtype='http://schema.org/Article'>"
        "<div class='section1'><span class='pinyin'>yè yǔ</span><h1 itemprop='name'>夜雨</h1></div>"
        "<div class='section2'><p class='sub'><span>朝代：</span><span>唐代</span></p>"
        "<p class='sub'><span>原文：</span></p>"
        f"<div itemprop='articleBody' class='content'>\n      {'<br>'.join(POEM)}\n    </div></div>"
        f"{sections}<div class='original_url'>转载请注明:原文链接</div></div>"
        "<div class='right'><div class='author'><h3>白居易</h3><p>白居易（772～846），字乐天，晚年又号称香山居士，"
        "是唐代伟大的现实主义诗人，他的诗歌题材广泛，形式多样，语言平易通俗，有“诗魔”和“诗王”之称。"
        "官至翰林学士、左赞善大夫。有《白氏长庆集》传世，代表诗作有《长恨歌》、《卖炭翁》、《琵琶行》等。</p></div>"
        "<ul>" + "".join(f"<li><a href='/p/{n}'>其他诗词第{n}首</a></li>" for n in range(12))
        + "</ul></div></div></body></html>")
    lines = [line.strip() for line in extract(markup, url="https://poems.example.cn/proses/1").text.split("\n")]
    for line in POEM + list(SECTIONS.values()):
        assert line in lines, line
    assert "更多" not in lines


def test_a_more_link_inside_a_sentence_stays():
    sentence = "市民可登录政务服务网查看更多办事指南，也可拨打热线咨询。"
    linked = sentence.replace("更多", "<a href='/guide'>更多</a>")
    markup = (f"<html><head><title>政务服务再提速</title></head><body><h1>政务服务再提速</h1>"
              f"<div class='article'><p>{PARAS[0]}</p><p>{linked}</p><p>{PARAS[1]}</p></div></body></html>")
    assert sentence in extract(markup).text.split("\n")


# An encyclopedia entry (Baidu Baike's markup): a citation mark, then a name anchor, in the
# sentences, and links whose text the site took out; the summary sits in the entry's
# header, above the sections' block; each heading opens with the entry's name in a span.
ENTRY_SUMMARY = ["蔡某（<i>Tanya</i>），1975年1月28日出生于新加坡，祖籍中国江苏省，现定居于台湾。<a href='/item//145065'></a>"
                 "华语流行乐女歌手、<a href='/item//122340'></a>音乐制作人、词曲创作人。",
                 "1997年在新加坡发行英语专辑《Bored》正式出道；1999年签约宝丽金"
                 "唱片推出同名国语专辑即入围第11届台湾金曲奖最佳新人奖；2003年将国语唱片签约于台湾华纳唱片，发行专辑《陌生人》；"
                 "2005年发行专辑《双栖动物》，凭借此专辑入围第17届台湾金曲奖三项提名，获得最佳国语女演唱人奖；2007年发行专辑，"
                 "凭借此专辑入围第19届台湾金曲奖5项提名，获得最佳专辑制作人奖和最佳国语女歌手奖；2011年发行中文专辑和英文专辑，"
                 "个人第三次获得台湾金曲奖最佳国语女歌手奖；2013年发行专辑；2014年和2015年作为导师参加综艺节目。"]
ENTRY_SECTIONS = {
    "早年经历": ["1975年出生于新加坡，家里有一个姐姐。中学毕业后考入新加坡理工学院研读工商管理。", "1994年成为新加坡一个乐团的主唱，经常在饭店演出，就此展开她的音乐生涯。"],
    "演艺经历": ["1999年将国语唱片签约于宝丽金唱片旗下，1月推出首张国语同名专辑，入围台湾金曲奖最佳新人奖。",
             "2002年，日本一家唱片公司挑选了她曾发行过的七首英文曲，发行专辑。同年入围最佳作曲人奖，并同时入围最佳国语演唱人奖。",
             "2003年将国语唱片签约于台湾华纳唱片旗下，并于6月6日发行专辑；7月6日在淡水渔人码头举办演唱会，并发行台压版。",
             "2004年首度担任制作人，替歌手制作专辑；同年入围台湾第15届金曲奖最佳国语女演唱人奖，入选年度十大专辑之一。"],
}


def _cited(paragraph: str, n: int) -> str:
    """The paragraph with a citation mark and its name anchor in each sentence."""
    return "".join(f"{part}<sup class='sup--normal'>\n[{n + i}]</sup><a class='sup-anchor' name='ref_{n + i}'>&nbsp;</a>\n。"
                   for i, part in enumerate(paragraph.rstrip("。").split("。")))


def test_an_encyclopedia_entry_keeps_its_summary_and_cited_paragraphs():
    sections = "".join(
        f"<div class='anchor-list'><a name='{heading}' class='lemma-anchor'></a></div>"
        f"<div class='para-title level-2'><h2 class='title-text'><span class='title-prefix'>蔡某</span>{heading}</h2></div>"
        + "".join(f"<div class='para'>{_cited(p, n * 10)}</div>" for n, p in enumerate(paragraphs))
        for heading, paragraphs in ENTRY_SECTIONS.items())
    markup = (
        "<html><head><title>蔡某_百科</title></head><body><div class='body-wrapper'>"
        "<div class='feature_poster'><div class='poster'><dl class='con'><dt class='title'></dt><dl class='lemmaTitle'>"
        "<dd class='lemmaTitle-title'><h1>蔡某</h1><a href='javascript:;' class='edit-lemma'>编辑</a></dd></dl>"
        "<dd class='desc'><div class='lemma-summary'>"
        + "".join(f"<div class='para'>{p}</div>" for p in ENTRY_SUMMARY)
        + "</div></dd></dl></div></div><div class='content-wrapper'><div class='content'><div class='main-content'>"
        f"{sections}</div></div></div></div></body></html>")
    page = extract(markup, url="https://baike.example.cn/item/a/1")
    text = "".join(page.text.split())
    assert "蔡某（Tanya），1975年1月28日出生于新加坡" in text
    # the entry's name before each section's heading is for search engines, not readers
    lines = [line.strip() for line in page.text.split("\n")]
    assert "早年经历" in lines and "演艺经历" in lines
    assert "1997年在新加坡发行英语专辑《Bored》正式出道" in text
    for paragraphs in ENTRY_SECTIONS.values():
        for paragraph in paragraphs:
            assert paragraph.split("。")[0] in text, paragraph


def test_a_phrase_put_before_the_indentation_of_paragraphs_goes():
    # a hacked template: a spam site's name before the indentation of some paragraphs
    spam = "某某国际网址"
    markup = (f"<html><head><title>港口吞吐量增长8.6%_海港财经网</title></head><body><h1>港口吞吐量增长8.6%</h1>"
              f"<div class='article'><p>{spam}\u3000\u3000{PARAS[0]}</p><p>\u3000\u3000{PARAS[1]}</p>"
              f"<p>{spam}\u3000\u3000{PARAS[2]}</p><p>第一章\u3000\u3000总则</p></div></body></html>")
    text = extract(markup).text
    assert spam not in text
    for paragraph in PARAS:
        assert paragraph in text
    assert "第一章" in text  # once: a heading of its own


def test_an_authors_numbered_list_of_links_is_kept_whole():
    # a resource post: the author numbers the items, each one link to another post; trafilatura
    # kept some of them and dropped others as a link list
    INTRO = ["一些电视台的直播源，做成了手机的捷径，添加捷径后直接打开，选择需要观看的频道即可跳转浏览器观看。",
             "直播源是m3u8链接，可以在任何支持该格式的播放器里打开，也可以导入电视盒子使用。"]
    items = ["IPTV直播源 国内网络直连 支持IPv4/IPv6双栈访问", "4K/8K超高清IPTV直播源在线地址综合汇总",
             "GitHub上一些m3u直播源集合", "某传媒3k直播源m3u 干净无广告", "某些直播源 m3u 看少点", "更多直播源资源集合"]
    numbered = "".join(f"<p>{n}、<a href='https://res.example.com/{n}/'>{item}</a></p>" for n, item in enumerate(items, 1))
    related = "".join(f"<li><a href='/r/{n}'>另一篇资源文章的标题第{n}篇</a></li>" for n in range(6))
    markup = (f"<html><head><title>直播源合集_某某资源站</title></head><body><h1>直播源合集</h1>"
              f"<div class='entry-content'>{''.join(f'<p>{p}</p>' for p in [*PARAS, *INTRO])}<h4>其他直播源资源工具</h4>{numbered}</div>"
              f"<div class='related'><h3>相关文章</h3><ul>{related}</ul></div></body></html>")
    lines = [line.strip() for line in extract(markup).text.split("\n")]
    for n, item in enumerate(items, 1):
        assert f"{n}、{item}" in lines, item
    assert not any("另一篇资源文章" in line for line in lines)


def test_a_heading_keeps_words_that_are_not_the_headline_in_an_element_of_their_own():
    from lxml import html as lxml_html

    from tasks.extract import drop_headline_prefixes

    box = lxml_html.fromstring("<div><h3><span>蔡某</span>早年经历</h3><h3><span>北京</span>交通</h3>"
                               "<h3><span>蔡某</span></h3><h3>蔡某<span>演艺经历</span></h3></div>")
    drop_headline_prefixes(box, "蔡某")
    assert [h.text_content() for h in box.iter("h3")] == ["早年经历", "北京交通", "蔡某", "蔡某演艺经历"]


def test_a_page_of_readers_comments_keeps_them():
    # The page is the comments (a thread, a page of short reviews) in elements named
    # "comment", which trafilatura drops as a comment section unless asked for them.
    reviews = ["我们的善良和恶毒都不够纯粹，所以痛苦。有人说现在还在拍这些困境，但是事实上依然被困住。",
               "细腻程度好评，两位女演员也有这样的好戏可演，是影视圈需要反思的一部作品。",
               "编剧能力惊人，车上那场戏写得不动声色，少写一点感受不出人物想争取什么，多写一点又会被骂。",
               "台词写得太好了，神奇的是二十多岁的我也感受到了共鸣，在讲糟糕的现实，观感却又很熨帖。"]
    items = "".join(f'<div class="comment-item"><div class="comment"><h3><a href="https://example.com/people/{i}/">'
                    f'读者{i}号</a><span class="comment-time">2024-04-07 13:1{i}</span></h3>'
                    f'<p class="comment-content"><span class="short">{text}</span></p></div></div>'
                    for i, text in enumerate(reviews))
    markup = (f"<html><head><title>不够善良的我们 短评</title></head><body><h1>不够善良的我们 短评</h1>"
              f"<div class='article'><div class='mod-bd' id='comments'>{items}</div></div>"
              f"<div class='aside'><p>导演: 某某</p><p>类型: 剧情</p></div>{RELATED}</body></html>")
    page = extract(markup, url="https://movie.example.com/subject/1/comments")
    assert set(reviews) <= set(page.text.split("\n")) and "导演: 某某" not in page.text


def _real_page(page_id: str) -> tuple[ExtractedPage, dict]:
    import gzip
    import json
    from pathlib import Path

    real = Path(__file__).resolve().parent.parent / "bench" / "real"
    gold = json.loads((real / "gold" / f"{page_id}.json").read_text(encoding="utf-8"))
    markup = gzip.decompress((real / "pages" / f"{page_id}.html.gz").read_bytes()).decode(gold["encoding"], "replace")
    return extract(markup, url="https://example.com/real.html"), gold


def test_a_real_page_of_short_reviews_keeps_every_review():
    page, gold = _real_page("magichtml--forum-b5bb37137a34")  # a Douban page of short reviews, no opening post
    text = "".join(page.text.split())
    assert all("".join(line.split()) in text for line in gold["text"].split("\n"))


def test_a_blog_post_stays_the_text_when_its_readers_comments_hold_more_prose():
    page, gold = _real_page("readability--pixnet")  # a PIXNET post, its lines without sentence marks, 40 comments
    lines = gold["text"].split("\n")
    assert lines[0] in page.text and lines[-1] in page.text
    assert "回覆" not in page.text  # the comments' reply lines


BRIEF = ["中国6月汇丰服务业PMI为51.8，为5个月以来最低水平，前值53.5。", "中国6月汇丰综合PMI为50.6，前值51.2。",
         "澳元/美元延续跌势，此前中国汇丰服务业PMI跌至五个月新低。"]


def test_a_brief_keeps_its_sentences_whole_and_its_comment_box_out():
    # Keyword links inside its sentences (中国6月<a>汇丰</a><a>服务业PMI</a>为…): trafilatura
    # broke a short paragraph at each. The comment box's disclaimer below the story, counted
    # as prose, pulled the container out to a ticker of headlines above it.
    first = ('<p>中国6月<a href="/keywords/1.html">汇丰</a><a href="/keywords/2.html">服务业PMI</a>'
             '为51.8，为5个月以来最低水平，前值53.5。</p>')
    ticker = "".join(f'<li><a href="/t/{i}.html">国务院欲果断强力救市第{i}条</a> | <a href="/u/{i}.html">直播</a></li>'
                     for i in range(3))
    markup = (f"<html><head><title>6月汇丰服务业PMI为51.8 跌至五个月最低_财经频道_某某网</title></head><body>"
              f"<div class='main'><ul class='ticker'>{ticker}</ul><h1>6月汇丰服务业PMI为51.8 跌至五个月最低</h1>"
              f"<div class='post_time'>2015-07-03 09:50:46 来源: 某某网</div>"
              f"<div id='endText'>{first}<p>{BRIEF[1]}</p><p>{BRIEF[2]}</p></div>"
              f"<div class='tie-post'><p class='tie-reminder'>网友评论仅供其表达个人看法，并不表明本站立场。</p></div>"
              f"</div>{RELATED}</body></html>")
    page = extract(markup, url="https://money.example.com/15/0703/09/a.html")
    lines = [line for line in page.text.split("\n") if line.strip()]
    assert lines[:3] == BRIEF
    assert "救市" not in page.text


def test_a_related_list_inside_the_story_container_goes_with_its_labels():
    # Inside the story's container, under the story: section labels (证券要闻) over
    # paragraphs of links. The longest paragraph opens with a keyword link: its own words
    # alone (without the link's) must not send the extraction to the whole page.
    story = [f"<p>{PARAS[0]}</p>",
             f'<p>证监会<a href="/keywords/zjh.html">新闻发言人</a>张晓军特别指出，近一段时间以来，市场走势波动较大，高度敏感，'
             f"一些不法分子乘机散布谣言，编造、传播虚假信息，扰乱市场秩序，证监会将依法从严从快查处。</p>",
             f"<p>{PARAS[2]}</p>"]
    related = "".join(f"<p><b>{label}</b></p>"
                      f'<p><a href="/15/0704/{i}1.html">沪指三周重挫近三成{i}</a> <a href="/15/0704/{i}2.html">券商齐聚{i}</a></p>'
                      f'<p><a href="/15/0704/{i}3.html">航空股迎来旺季{i}</a> <a href="/15/0704/{i}4.html">业绩向好{i}</a></p>'
                      for i, label in enumerate(["证券要闻", "行业动态", "公司新闻"]))
    markup = (f"<html><head><title>港口吞吐量增长8.6%_财经频道_海港财经网</title></head><body>"
              f"<h1>港口吞吐量增长8.6%</h1><div id='endText'>{''.join(story)}"
              f"<div class='biaoqian'><h1>重点推荐</h1></div><div>{related}</div></div>"
              f"<ul class='photos'><li><a href='/p/1.html'>北京销毁2800余辆黑摩的</a></li></ul>{RELATED}</body></html>")
    page = extract(markup)
    lines = [line for line in page.text.split("\n") if line.strip()]
    assert lines[0] == PARAS[0] and lines[-1] == PARAS[2] and len(lines) == 3, lines


def test_an_image_whose_alt_text_holds_brackets_leaves_no_markup():
    # A comment emoji's alt text ([赞]) comes out of trafilatura escaped: ![\[赞\] \[赞\]](…)
    markup = (f"<html><head><title>港口吞吐量增长8.6%_海港财经网</title></head><body><h1>港口吞吐量增长8.6%</h1>"
              f"<div class='article'><p>{PARAS[0]}</p><p>{PARAS[1]}<img src='https://example.com/emoji/face_60.png' "
              f"alt='[赞] [赞]'></p><p>{PARAS[2]}</p></div></body></html>")
    page = extract(markup)
    assert "![" not in page.text and "](" not in page.text
    assert all(paragraph in page.text for paragraph in PARAS)


def test_subheadings_between_paragraphs_are_kept():
    # udn.com (virus-warnning/twnews): <h2 class="content_title_1"> between the story's
    # paragraphs, which trafilatura dropped when it read the container without taking it as
    # the article's body
    page, gold = _real_page("twnews--udn")
    for heading in ("樓梯吵架 抱起妻往下拋", "她墜十公尺 落在護網上", "老公摔她身上 妻重傷", "陸裔美籍凶嫌：川普會救我"):
        assert heading in page.text


def test_the_headline_above_the_story_beats_a_page_title_that_names_the_site():
    # magic-html 83bd4dfc: <title>科普中国-辟谣文章</title>, no h1, the headline in a div
    body = "".join(f"<p>{p}</p>" for p in PARAS)
    sidebar = "<div class='box-title'>热门辟谣文章推荐</div><ul><li><a href='/r/1'>另一篇辟谣文章</a></li></ul>"
    markup = (f"<html><head><title>科普中国-辟谣文章</title></head><body>{sidebar}<div class='rumor-article'>"
              f"<div class='rumor-title'>港口吞吐量同比增长8.6%</div><div class='rumor-info'>来源： 科普中国</div>"
              f"<div class='clearfix'><div class='pull-left'><div class='rumor-content'><div>{body}</div></div></div></div>"
              f"</div></body></html>")
    assert extract(markup, url="https://piyao.example.cn/rumor/1").title == "港口吞吐量同比增长8.6%"
    # a page title that holds the headline keeps it (the element above adds its date line)
    holds_date = markup.replace("<title>科普中国-辟谣文章</title>", "<title>港口吞吐量同比增长8.6%</title>").replace(
        "港口吞吐量同比增长8.6%</div>", "港口吞吐量同比增长8.6% 来源：某某网 2023-12-01</div>")
    assert extract(holds_date, url="https://piyao.example.cn/rumor/1").title == "港口吞吐量同比增长8.6%"
    # no headline above the story: the sidebar's box title before it is none
    sidebar_only = markup.replace("<title>科普中国-辟谣文章</title>", "<title>港口吞吐量同比增长8.6%_财经频道_某某网</title>").replace(
        "<div class='rumor-title'>港口吞吐量同比增长8.6%</div>", "")
    assert extract(sidebar_only, url="https://piyao.example.cn/rumor/1").title == "港口吞吐量同比增长8.6%"


def test_a_line_of_plain_text_above_the_story_is_the_headline_when_the_page_title_gives_none():
    # BCC and PTS (ronnywang/newsdiff): the title is the site's name (or empty), the headline a
    # plain <div> or <td> above the story, its date line between them
    body = "".join(f"<p>{p}</p>" for p in PARAS)
    markup = (f"<html><head><title>{{title}}</title></head><body><div class='gd3'><a href='/'>官網首頁</a> &gt; 生活</div>"
              f"<div class='nsa3'><div class='tt26'>強烈大陸冷氣團明發威 愈晚愈冷</div>"
              f"<div class='tt27'>2014/12/11 18:58 報導</div><div class='ma7'>{body}</div></div></body></html>")
    for title in ("中國廣播公司全球資訊網", ""):
        page = extract(markup.replace("{title}", title), url="https://www.example.com.tw/newsView.2470299")
        assert page.title == "強烈大陸冷氣團明發威 愈晚愈冷", title
        assert page.published_at == "2014-12-11T18:58:00+08:00"
    # a page title that gives a headline keeps it: a plain line above is no heading then
    page = extract(markup.replace("{title}", "港口吞吐量同比增长8.6%_某某网"), url="https://www.example.com.tw/n/1")
    assert page.title == "港口吞吐量同比增长8.6%"


def test_a_headline_in_an_h5_that_opens_with_the_site_name_is_the_title():
    # MinerU-Webkit html-zh: <title> is the institute's name, the h5 above the story names it too
    body = "".join(f"<p>{p}</p>" for p in PARAS)
    markup = (f"<html><head><title>浙江省淡水水产研究所</title></head><body><div class='nav'><a href='/'>首页</a></div>"
              f"<div class='main'><h5>浙江省淡水水产研究所召开干部职工大会暨党风廉政建设大会</h5>"
              f"<div class='data'><div class='day'>21</div><div class='year'>2024年02月</div></div>"
              f"<div class='con'>{body}</div></div></body></html>")
    page = extract(markup, url="https://www.example.gov.cn/talent/detail/2174994673059649")
    assert page.title == "浙江省淡水水产研究所召开干部职工大会暨党风廉政建设大会"
    assert page.published_at == "2024-02-21"  # the calendar badge under it: 21 | 2024年02月


def test_keyword_links_inside_a_sentence_lose_their_link_and_a_tag_list_keeps_its():
    from lxml import html as lxml_html

    from tasks.extract import unlink_keywords

    sentences = ['<p>中国6月<a href="/k/1">汇丰</a><a href="/k/2">服务业PMI</a>为51.8，前值53.5。</p>',
                 # a run of keywords opening the paragraph (cx-extractor-python RawHtml/22.html)
                 '<p><a href="/k/3">期指</a><a href="/k/4">恶意做空</a>成<a href="/q">A股</a>大跌新的风暴点。</p>']
    lists = ['<p>标签：<a href="/t/1">汇丰</a>、<a href="/t/2">PMI</a>、<a href="/t/3">澳元</a></p>',
             '<p><a href="/c/1">新闻</a><a href="/c/2">财经</a></p>', '<p><a href="/r">相关阅读</a>：某某标题</p>']
    container = lxml_html.fromstring(f"<div>{''.join(sentences + lists)}</div>")
    unlink_keywords(container)
    paragraphs = container.findall("p")
    assert [p.text for p in paragraphs[:2]] == ["中国6月汇丰服务业PMI为51.8，前值53.5。", "期指恶意做空成A股大跌新的风暴点。"]
    assert [len(p.findall("a")) for p in paragraphs[2:]] == [3, 2, 1]


def test_an_ad_inside_the_story_goes_by_its_label_and_the_word_in_prose_stays():
    # magic-html 0eebc3ef (360kuai): <a><i>广告</i><div class="title isAd"><span>…</span></div></a>
    ad = ("<a class='yyconfig' href='https://ads.example.com/c?x=1'><i>广告</i><div class='title'>"
          "<span>38岁女领导的生活日记曝光，解密职场有多内涵，令人头皮发麻</span></div></a>")
    prose = "<p>市场监管局提醒，互联网<b>广告</b>应当具有可识别性，显著标明“广告”，使消费者能够辨明其为广告。</p>"
    markup = (f"<html><head><title>港口吞吐量增长8.6%_海港财经网</title></head><body><h1>港口吞吐量增长8.6%</h1>"
              f"<div class='article'><p>{PARAS[0]}</p>{ad}<p>{PARAS[1]}</p>{prose}<p>{PARAS[2]}</p></div></body></html>")
    text = extract(markup).text
    assert "女领导" not in text
    assert "市场监管局提醒，互联网广告应当具有可识别性" in text and all(p in text for p in PARAS)



def test_text_between_two_blocks_in_no_element_is_kept():
    # dlde's bit.edu.cn page: a paragraph as bare text after a <div>, before the next <p>
    loose = ("会议在“当今时代瞬息万变，社会结构在变”的大背景下，针对未来诸多变革所带来的不确定性和未知性，"
             "探讨设计师和设计教育者的应对之道。")
    html = ("<html><head><title>亚洲国际设计论坛在北理工开幕</title></head><body><div class='nav'><a href='/'>首页</a></div>"
            "<div class='title'>亚洲国际设计论坛在北理工开幕</div><div class='bt_content'><div style='text-align: left'>"
            "<font color='#ff0000'><br /></font>　　2012年7月8日至9日，亚洲国际设计论坛在北京理工大学国际教育交流中心举办，"
            "来自多国的专家出席了会议。<br /><br />&nbsp;</div>"
            f"　　{loose}<p style='text-align: center'><img alt='' src='a.jpg' /></p>"
            "<p>　　在开幕式上，北京理工大学副校长发表了致辞，对与会各国专家、学者表示了热烈欢迎。</p>"
            "<p>　　大会学术研讨环节在热烈的氛围下展开，多位专家学者分别围绕本次论坛的主题发表了演说。</p></div></body></html>")
    assert "探讨设计师和设计教育者的应对之道" in extract(html).text


def test_an_embedded_teaser_of_another_story_goes_and_the_story_stays():
    # zhhsx001/spider's news.163.com page (2019): NetEase labels the teaser 推荐 in attributes
    story = ["“王总”带着记者参观了主播的宿舍兼直播间，只有几个平米的宿舍中，一张铁架子双人床占据了大部分空间。",
             "下午5点多，一名主播刚刚起床，正穿着紧身短裙化妆，显得十分疲惫，她说一个月能挣好几万。",
             "“她现在一个月就能挣好几万。等你在这里挣到了钱，可以先给自己买个小车。”“王总”再次为记者勾画美好的未来。"]
    teaser = ("<pre datatype='specialtag' datavalue='推荐' title='推荐'><p><a href='https://c.m.163.com/news/a/1.html'>"
              "网红回应不粘锅直播翻车:没按说明书操作</a></p><p>因为一场不粘锅直播出现“翻车”，网红回应：是因为没有经过“开锅”过程导致。</p></pre>")
    html = ("<html><head><title>暗访网红制造工厂_网易新闻</title></head><body><h1>暗访网红制造工厂</h1>"
            "<div id='endText'>" + "".join(f"<p>{line}</p>" for line in story[:2]) + teaser + f"<p>{story[2]}</p></div>"
            "</body></html>")
    text = extract(html).text
    assert all(line[:20] in text for line in story)
    assert "不粘锅" not in text


# reorx/readability's test/cases/guokr.html (2013), cut down to what loses the text in a
# trafilatura 2.3 run: the story's paragraphs in <div>s, then a <div> holding a subheading,
# loose text and a <p>.
GUOKR_DIVS = '<html><head><title>知识图谱：让搜索通往答案本身 | 果壳网</title></head><body><div class="content">\n<div class="content-txt" id="articleContent">\n<div class="document">\n<div><div>这十几年来，随着以谷歌为代表的互联网搜索巨头的出现，“搜索”这个概念已经发生了翻天覆地的变化，被改变的不仅仅是困惑时寻找答案的方式，连“迷路”等状况也渐渐地淡出了人们的生活。思考的方式在变，与朋友联系的方式在变，获取信息的方式在变，甚至于搜索的方式也在改变——用语言向计算机提问，不再需要输入框。</div>\n<div>接受采访时，辛格尔从口袋中掏出自己的安卓手机，对着手机问道：“伦敦有多少人口？”手机答：“2011年的数据显示，伦敦人口为817.4万。”他接着问：“贾斯汀·比伯（Justin Bieber）身高几何？”手机答：“贾斯汀·比伯身高5英尺7英寸。”声音落下，辛格尔露出了孩子般的笑容：“如果我二十年前睡着了今天才起床，看到这一切后，我肯定会激动地问：‘快告诉我，去哪里搭乘星际航班？’”</div>\n<div>在一些看似简单的场景背后，蕴含着极其丰富的信息，就比如说手机回答了贾斯汀·比伯的身高。手机得明白，贾斯汀·比伯是一个人，还得明白身高一词代表着怎样的含义。“计算机已经能够跨越语义学上的障碍，但这远远不够。在简单的语句背后是一大堆无结构的文本信息，只有明白了究竟问得是什么问题，才能给出适合的答案。”</div>\n<div>\n<h2><strong>理解用户的需求</strong></h2>\n知识的精度与广度并不是谷歌唯一的追求，辛格尔希望搜索的结果能够与用户的需求相一致。“当你搜索马丁·路德·金（Martin Luther King）那篇著名的演讲《我有一个梦想》时，”辛格尔说：“你可能想找演讲文本，可能想找相关图片，但我们猜，你真正想要到的是当时现场的视频，所以这段视频出现在知识图谱的最上方。”这就是知识图谱，谷歌希望它不仅能提供信息，还要能理解人的需求。\n<p>正如辛格尔父亲的经历，便捷的搜索简化了我们的生活，辛格尔还在继续努力让这种便捷继续前进。如今知识图谱会显示出它认为你最需要的信息，但未来它可能可以模拟我们的思维过程。辛格尔如今醉心于对行为心理学的研究，他成为了心理学家丹尼尔·卡尼曼（Daniel Kahneman）的拥趸。“我喜欢他对于人类面对选择和决定时心态的细致研究。比如当有人拿出32条巧克力要你选择时，你为什么想逃；为什么当那人拿出只一只巧克力让你无从选择时，你会感到心满意足。”</p>\n</div></div>\n</div>\n</div>\n</div>\n</body></html>'


def test_a_run_of_div_paragraphs_beside_p_paragraphs_is_kept():
    text = "".join(extract(GUOKR_DIVS).text.split())
    for start in ("这十几年来，随着以谷歌为代表", "接受采访时，辛格尔从口袋中", "在一些看似简单的场景背后"):
        assert start in text


# A PTT post (go-ptt-web-craweler's test pages): metadata lines, then the post as
# preformatted loose text, its few sentences above a pasted TV schedule, paragraphs parted by
# blank lines; the title's runs of Chinese are all shorter than four characters.
SCHEDULE = "\n".join(f"01-{day:02d} 11:00(三)  Warner TVCH 65  閃電俠S1({day})【普】" for day in range(18, 48))
PTT_POST = (
    "<html><head><title>[情報] 『The Flash』（閃電俠） on Warner TV。 - 看板 SuperHeroes - 批踢踢實業坊</title></head><body>"
    "<div id='main-content' class='bbs-screen bbs-content'>"
    "<div class='article-metaline'><span class='article-meta-tag'>作者</span><span class='article-meta-value'>roujuu (老中)</span></div>"
    "<div class='article-metaline'><span class='article-meta-tag'>標題</span>"
    "<span class='article-meta-value'>[情報] 『The Flash』（閃電俠） on Warner TV。</span></div>"
    "<div class='article-metaline'><span class='article-meta-tag'>時間</span>"
    "<span class='article-meta-value'>Wed Jan 18 20:25:40 2017</span></div>\n"
    "Warner TV 開始重播閃電俠（The Flash）了。\n\n閃電俠（The Flash）目前在 Warner TV 已經播到第一季的第二集了，\n\n"
    f"播出時間如下\n\n{SCHEDULE}\n\n--\n</div></body></html>")


def test_a_bbs_posts_few_sentences_above_a_pasted_schedule_are_its_story():
    post = extract(PTT_POST, url="https://www.ptt.cc/bbs/SuperHeroes/M.1484742352.A.8CE.html")
    assert isinstance(post, ExtractedPage), post
    lines = post.text.splitlines()
    # each paragraph a line of its own, not all run into one
    assert "Warner TV 開始重播閃電俠（The Flash）了。" in lines
    assert "閃電俠（The Flash）目前在 Warner TV 已經播到第一季的第二集了，" in lines
    # the date of the 時間 line under the headline printed as plain text
    assert post.published_at == "2017-01-18T20:25:40+08:00"


def test_related_links_between_brs_after_the_story_go():
    # people.com.cn's 2009 pages (cx-extractor-python's people-2009): bold links, one a line
    # between <br>s, after the last paragraph, no heading over them
    links = "".join(f"<br><br>\u3000\u3000<b><a href='/GB/{i}.html'><font color='#0000ff'>{headline}</font></a></b>"
                    for i, headline in enumerate(["“计件反腐”是指标思维下的政绩阴谋", "刷爆举报网站的反腐热情需要引导与保护",
                                                  "“网络反腐”进党建词典具风向标意义"]))
    body = "".join(f"<P>\u3000\u3000{p}</P>" for p in PARAS)
    page = extract(f"<html><head><title>港口吞吐量增长8.6%--人民网</title></head><body><h1>港口吞吐量增长8.6%</h1>"
                   f"<div id='p_content'>{body}{links}<br><br></div></body></html>")
    assert page.text.splitlines()[-1] == PARAS[2] and "反腐" not in page.text
    # one link after the story is its own (the source's page); text after the links goes on
    one = links.split("<br><br>")[1]
    page = extract(f"<html><head><title>港口吞吐量增长8.6%--人民网</title></head><body><h1>港口吞吐量增长8.6%</h1>"
                   f"<div id='p_content'>{body}<br><br>{one}<br><br></div></body></html>")
    assert "“计件反腐”是指标思维下的政绩阴谋" in page.text
    page = extract(f"<html><head><title>港口吞吐量增长8.6%--人民网</title></head><body><h1>港口吞吐量增长8.6%</h1>"
                   f"<div id='p_content'>{body}{links}<br>（完）本报记者将继续关注港口吞吐量的变化。</div></body></html>")
    assert "刷爆举报网站的反腐热情需要引导与保护" in page.text


def test_a_row_of_promotion_links_is_no_paragraph():
    # finance.sina.com.cn 2016 (Htmlspider's sina-finance): two promotions a paragraph above
    # the story; a paragraph with one link, or with words of its own, stays
    row = ("<p><img src='/a.png'><a href='/ggds'><span> 新浪港股大赛火热招募：30万奖金等你来</span></a>&nbsp; "
           "<img src='/b.png'><a href='/lv2'><span>新浪财经Level2：A股极速看盘</span></a></p>")
    own = "<p>据<a href='/a'>证券时报网</a>报道，两融余额连续五个交易日下降，<a href='/b'>融资余额</a>跌破万亿元。</p>"
    body = "".join(f"<p>{p}</p>" for p in PARAS)
    page = extract(f"<html><head><title>两融余额跌破万亿_新浪财经</title></head><body><h1>两融余额跌破万亿</h1>"
                   f"<div class='article'>{row}{own}{body}</div></body></html>")
    assert "港股大赛" not in page.text and "Level2" not in page.text
    assert "据证券时报网报道，两融余额连续五个交易日下降，融资余额跌破万亿元。" in page.text and PARAS[2] in page.text


def test_a_one_sentence_notice_keeps_the_lines_after_it():
    # a county bureau's public notice (found by a helper: gzdzhrss.com): its one sentence is
    # the page's only prose, and the contact lines and the attachment are its paragraphs too
    notice = ("根据省人社厅、省财政厅有关通知精神，拟向下列符合条件的企业拨付稳岗补贴，现面向社会公示，"
              "公示期为2019年8月5日至8月10日，如有异议的，请在公示期内书面或电话反映。")
    body = (f"<div class='content'><p><span>{notice}</span></p><p><span>联系电话：25782065（县人社局）</span></p>"
            "<p><span>23130085</span><span>（县社保局）</span></p>"
            "<p>附件：<a href='javascript:;'>2019年度申领失业稳岗补贴单位公示.xlsx</a></p></div>")
    page = extract(f"<html><head><title>稳岗补贴发放企业名单公示</title></head><body><h1>稳岗补贴发放企业名单公示</h1>"
                   f"{body}<ul>{''.join(f'<li><a href=/n/{i}>第{i}条通知公告的标题在这里</a></li>' for i in range(30))}</ul></body></html>")
    for line in (notice, "联系电话：25782065（县人社局）", "23130085（县社保局）"):
        assert line in page.text
    assert "2019年度申领失业稳岗补贴单位公示.xlsx" in page.text


def test_headings_over_quoted_sections_are_kept():
    # a CSDN post (rootwords-uni's csdn-affixes, found by a helper): a table of contents of
    # links, then each <h2> over a <blockquote>; trafilatura keeps the quotes, drops the headings
    headings = ["一：什么是词根词缀？", "二：学词根词缀有必要吗？", "三：常用英语词根记忆法"]
    toc = "".join(f"<p id='t{i}-toc'><a href='#t{i}'>{h}</a></p>" for i, h in enumerate(headings))
    sections = "".join(f"<h2 id='t{i}'><span style='color:#f33b45;'>{h}</span></h2><blockquote><p>{PARAS[i]}</p></blockquote>"
                       for i, h in enumerate(headings))
    page = extract(f"<html><head><title>252个核心词根总结大全_CSDN博客</title></head><body><h1>252个核心词根总结大全</h1>"
                   f"<div id='content_views'><p>目录</p>{toc}{sections}</div></body></html>",
                   url="https://blog.csdn.net/u/article/details/104567")
    lines = page.text.splitlines()
    for i, heading in enumerate(headings):
        assert heading in lines and PARAS[i] in lines
        assert lines.index(heading) == lines.index(PARAS[i]) - 1  # over its own section


def _escaped(markup: str) -> str:
    return markup.replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;").replace("=", "&#x3D;")


def test_an_apps_shell_whose_story_a_script_holds():
    # toutiao.com 2018 (Infomation's toutiao-article, found by a helper): an empty <div id=app>
    # and the story as escaped HTML in BASE_DATA's content, its time beside it
    paras = [*PARAS, "另据了解，今年以来全市港口新开辟外贸航线五条，集装箱航线总数达到七十二条，覆盖全球主要港口。",
             "业内人士认为，随着区域全面经济伙伴关系协定的深入实施，港口吞吐量有望继续保持较快增长态势。"]
    story = "<div>" + "".join(f"<p>{p}</p>" for p in paras) + "<div class=\"pgc-img\"><img src=\"/a.jpg\"></div></div>"
    script = (f"var BASE_DATA = {{ articleInfo: {{ title: '港口吞吐量增长8.6%', content: '{_escaped(story)}', "
              f"subInfo: {{ source: '海港财经', time: '2018-11-22 16:41:47' }} }} }};")
    shell = (f"<html><head><title>港口吞吐量增长8.6%</title></head><body><div id='app'></div>"
             f"<script>{script}</script></body></html>")
    page = extract(shell, url="https://www.toutiao.com/a6626602421458043396/")
    assert page.text.splitlines() == paras
    assert page.title == "港口吞吐量增长8.6%" and page.published_at == "2018-11-22T16:41:47+08:00"
    # the same story in a JSON string (\\u003cp\\u003e) too
    json_story = story.replace("<", "\\u003c").replace(">", "\\u003e").replace('"', '\\"')
    page = extract(shell.replace(script, f'window.__DATA__ = {{"content": "{json_story}"}};'))
    assert page.text.splitlines() == paras
    # a home page's shell whose script holds a feed of abstracts is no story
    feed = ", ".join(f"{{title: '第{i}条新闻标题', abstract: '{PARAS[i % 3]}'}}" for i in range(20))
    home = f"<html><head><title>今日头条</title></head><body><div id='app'></div><script>var feed = [{feed}];</script></body></html>"
    outcome = extract_one(DecodedPage(url="https://www.toutiao.com/", kind="html", content=home, encoding="utf-8",
                                      replacement_chars=0, input_hash="h"))
    assert not isinstance(outcome, ExtractedPage)

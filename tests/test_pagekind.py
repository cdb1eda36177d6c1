"""Article or not, decided from structure: briefs beside link lists stay, lists, search
results, footers-only and anti-bot pages go. Real pages from bench/real, and small pages
built here for each structure."""
from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from tasks.extract import parse_html
from tasks.metadata import html_metadata
from tasks.pagekind import judge_page

REAL = Path(__file__).resolve().parent.parent / "bench" / "real"

SIDEBAR = "".join(f'<li><a href="/n/{i}.html">第{i}条相关新闻标题在这里显示出来</a><span>2024-05-{i % 28 + 1:02d}</span></li>'
                  for i in range(150))
FOOTER = '<div class="footer"><p>市场有风险，投资需谨慎。本网站所有信息仅供参考，以本公司相关公告为准。</p></div>'


def verdict(html: str) -> str | None:
    """Why the page is not an article (None if it is one), judged as extraction judges it."""
    tree = parse_html(html)
    found = html_metadata(tree, "http://example.com/a.html")
    return judge_page(tree, found.headline_element, html, found.title).not_article


def page(title: str, body: str) -> str:
    return f"<html><head><title>{title}_某某网</title></head><body>{body}</body></html>"


@pytest.mark.parametrize(("headline", "brief"), [
    # one paragraph beside 150 links
    ("4月份规模以上工业增加值增长6.7%", "<p>新华社北京5月20日电 国家统计局20日发布数据，4月份全国规模以上工业增加值同比增长6.7%，"
                              "比上月加快2.2个百分点。</p>"),
    # three paragraphs, each shorter than a block of prose must be: together they are the story
    ("6月服务业PMI为51.8 跌至五个月最低", "<div class='end-text'><p>中国6月服务业PMI为51.8，为5个月以来最低水平，前值53.5。</p>"
                                "<p>中国6月综合PMI为50.6，前值51.2。</p><p>澳元/美元延续跌势，此前服务业PMI跌至五个月新低。</p></div>"),
])
def test_a_brief_beside_150_links_is_an_article(headline: str, brief: str):
    assert verdict(page(headline, f"<h1>{headline}</h1>{brief}<ul>{SIDEBAR}</ul>{FOOTER}")) is None


def test_a_list_of_headlines_with_dates_is_not_an_article():
    html = page("滚动新闻", f"<h1>滚动新闻</h1><ul>{SIDEBAR}</ul>{FOOTER}")
    reason = verdict(html)
    assert reason and reason.startswith("not an article")


def test_search_results_with_snippets_are_not_an_article():
    results = "".join(
        f'<li><h3><a href="/s/{i}">高考成绩查询入口开通第{i}条</a></h3>'
        f"<p>6月22日开始，全国各省的高考成绩陆续发布，考生可通过官方渠道查询成绩，请勿轻信来历不明的链接。</p>"
        f"<span>某某公众号 2017-6-{i % 28 + 1}</span></li>" for i in range(10))
    html = page("高考 - 搜索结果", f'<div class="results"><ul>{results}</ul></div>{FOOTER}')
    assert verdict(html) is not None


def test_a_page_whose_only_prose_is_its_footer_is_not_an_article():
    menu = "".join(f'<a href="/c/{i}">栏目{i}</a>' for i in range(30))
    assert verdict(page("信息披露", f"<div>{menu}</div><h2>信息披露</h2>{FOOTER}")) is not None


def test_an_anti_bot_check_is_not_an_article():
    html = page("搜狗搜索", "<div><p>用户您好，您的访问过于频繁，为确认本次访问为正常用户行为，需要您协助验证。</p></div>"
                "<div><input><a href='#'>提交</a></div>")
    assert verdict(html) is not None


def test_a_page_typed_as_an_article_is_one():
    html = ('<html><head><meta property="og:type" content="article"><title>国务院常务会议部署稳就业举措</title></head>'
            '<body><ul>' + SIDEBAR + '</ul></body></html>')
    assert verdict(html) is None
    # unless its title names only a section (短讯) and no headline stands on the page: then
    # its structure decides, and a list is a list
    assert verdict(html.replace("国务院常务会议部署稳就业举措", "短讯")) is not None


def test_prose_inside_links_does_not_make_an_article():
    teasers = "".join(f'<div class="item"><a href="/{i}">这是一段很长的导语文字，说明了新闻的主要内容，读者点击后可以阅读全文。</a></div>'
                      for i in range(12))
    assert verdict(page("首页", teasers)) is not None


POSTS = [
    "我们的善良和恶毒都不够纯粹，所以痛苦。有人说现在还在拍这些困境，但是事实上依然被困住。",
    "细腻程度好评，两位女演员也有这样的好戏可演，是影视圈需要反思的。",
    "编剧能力惊人，车上那场戏写得不动声色，少写一点感受不出人物想争取什么，多写一点又会被骂。",
    "台词写得太好了，神奇的是二十多岁的我也感受到了共鸣，在讲糟糕的现实，观感却又很熨帖。",
    "虽然这个类型我不喜欢，但还是由衷地祝福这部剧，看这势头，假以时日能百花齐放。",
]


def test_a_thread_of_posts_headed_by_their_authors_is_an_article():
    # Each post opens with its author's name, a link to the author's page: a person, not a
    # headline, so the posts are no list of stories.
    posts = "".join(f'<div class="comment-item"><h3><a href="https://example.com/people/{i}/">读者{i}号用户名称</a>'
                    f'<span>2024-04-0{i + 1}</span></h3><p><span class="short">{text}</span></p></div>'
                    for i, text in enumerate(POSTS))
    assert verdict(page("不够善良的我们 短评", f"<h1>不够善良的我们 短评</h1><div>{posts}</div>{FOOTER}")) is None


def test_a_thread_list_with_its_authors_links_is_not_an_article():
    threads = "".join(f'<tbody><tr><th><a href="thread-{i}-1-1.html">{text[:18]}</a><p>{text}</p></th>'
                      f'<td><a href="home.php?mod=space&amp;uid={i}">读者{i}号</a></td></tr></tbody>'
                      for i, text in enumerate(POSTS * 2))
    assert verdict(page("讨论区 - 论坛", f"<h1>讨论区</h1><table>{threads}</table>{FOOTER}")) is not None


def _real(page_id: str) -> tuple[str, dict]:
    gold = json.loads((REAL / "gold" / f"{page_id}.json").read_text(encoding="utf-8"))
    html = gzip.decompress((REAL / "pages" / f"{page_id}.html.gz").read_bytes()).decode(gold["encoding"], "replace")
    return html, gold


@pytest.mark.parametrize("page_id", ["gerapy--list-netease-rolling-news", "gerapy--list-hrfund-announcement",
                                     "wechatsogou--search-gaokao-gzh", "wechatsogou--wapindex-wap-0612-wap-8-0",
                                     "gerapy--list-zhihu-search-result", "magichtml--article-7fbc6805c3fb",
                                     "magichtml--article-39dd62c5ba88", "newspaper4k--chinese-article",
                                     "magichtml--article-19851fb2dac0",
                                     # threads whose posts open with their authors' links
                                     "magichtml--forum-6db2e2d672d8", "magichtml--forum-b5bb37137a34",
                                     "magichtml--forum-8cf0af42df35"])
def test_real_pages(page_id):
    html, gold = _real(page_id)
    assert (verdict(html) is None) == gold["is_article"]


def test_short_lines_under_a_list_of_links_make_no_article():
    # The same short sentences, one to a list item of a headline list, are snippets.
    items = "".join(f'<li><a href="/n/{i}.html">第{i}条新闻的标题在这里</a><p>中国6月综合PMI为50.6，前值51.2。</p></li>'
                    for i in range(8))
    assert verdict(page("滚动新闻", f"<h1>滚动新闻</h1><ul>{items}</ul>{FOOTER}")) is not None


PRODUCT = ("<h1>某某牌电热水壶 1.7升</h1><p>304不锈钢内胆，一键保温，三重防干烧保护，适合家庭和办公室使用。</p>"
           "<p>产品参数：容量1.7升，功率1800瓦，重量1.2千克，颜色白色，保修一年，全国联保，支持七天无理由退换。</p>")


@pytest.mark.parametrize("button", ["<button>加入购物车</button>", "<a class='buy'>&nbsp;立即購買 </a>",
                                    "<span>\n  放入购物车\n</span>"])
def test_a_page_with_a_buy_button_is_a_shops_product_page(button: str):
    html = page("某某牌电热水壶", f"{PRODUCT}<div>{button}</div>")
    tree = parse_html(html)
    headline = html_metadata(tree, "http://example.com/a.html").headline_element
    # with the markup (extraction's call: the cheap test first) and without it
    assert "product page" in (judge_page(tree, headline, html).not_article or "")
    assert "product page" in (judge_page(tree, headline).not_article or "")


def test_an_article_that_says_add_to_cart_in_a_sentence_is_an_article():
    story = ("<h1>网购节前夕消费者热情高涨</h1><p>记者走访发现，不少消费者提前把心仪商品加入购物车，等待促销开始后立即购买，"
             "商家也纷纷备货以应对订单高峰。</p><p>业内人士提醒，消费者应理性消费，注意比较价格和售后服务条款。</p>")
    html = page("网购节前夕消费者热情高涨", story)
    tree = parse_html(html)
    assert judge_page(tree, html_metadata(tree, "http://example.com/a.html").headline_element, html).not_article is None


TEASER = ("<div class='focus'><p>新北市一名34歲陳姓女子，3年多前與前夫離婚後，獨力扶養4個月大的幼子，為了貼補家用，"
          "陳女將住處出租給他人做為職業賭場使用。警方今天凌晨派員至現場查緝，當場查獲...</p></div>")
HEADLINES = "".join(f"<li><a href='/news/{i}'>第{i}則即時新聞的標題在這裡</a></li>" for i in range(40))


def test_a_home_page_typed_as_an_article_with_a_featured_teaser_is_not_one():
    # Liberty Times' home page (newsdiff's test pages): og:type article on every page, its
    # address the site's root, its one paragraph a featured story's teaser
    head = "<meta property='og:type' content='article'><meta property='og:url' content='http://news.example.com.tw'>"
    html = f"<html><head><title>某某電子報</title>{head}</head><body>{TEASER}<ul>{HEADLINES}</ul></body></html>"
    assert "home page" in (verdict(html) or "")
    # the same template on a story page (its address the story's) is the site's word
    story_head = head.replace("http://news.example.com.tw", "http://news.example.com.tw/news/1180585")
    html = f"<html><head><title>新北市查獲職業賭場</title>{story_head}</head><body>{TEASER}<ul>{HEADLINES}</ul></body></html>"
    assert verdict(html) is None
    # a story whose canonical link wrongly names the root still holds its whole story
    story = "".join(f"<p>{TEASER[23:120]}第{i}段。</p>" for i in range(4))
    html = f"<html><head><title>某某電子報</title>{head}</head><body><h1>某某新聞標題在這裡</h1>{story}</body></html>"
    assert verdict(html) is None


def test_a_page_fetched_below_the_root_is_no_home_page_whatever_its_og_url():
    # SBIR's notices (MichelleHS777/Boilerplate-Removal): the template names the root in
    # og:url on every page; fetched from a story's address, a short notice is judged as one
    head = "<meta property='og:url' content='https://www.example.org.tw/'>"
    notice = ("<div class='content'><p>藉由本說明會辦理，說明計畫申請資格、申請流程、補助內容、申請方式及計畫書撰寫技巧。</p>"
              "<p>二、辦理日期：110年12月15日(星期三)</p></div>")
    html = f"<html><head><title>某某創新研發計畫</title>{head}</head><body>{notice}<ul>{HEADLINES}</ul></body></html>"
    tree = parse_html(html)
    found = html_metadata(tree, "https://www.example.org.tw/News/Detail/3041")
    judged = lambda url: judge_page(parse_html(html), None, html, found.title, url).not_article or ""
    assert "home page" in judged(None) and "home page" in judged("/data/pages/0019.html")
    assert "home page" in judged("https://www.example.org.tw/")
    assert "home page" not in judged("https://www.example.org.tw/News/Detail/3041")


def test_teasers_led_by_their_time_are_list_items():
    # TVB's news list: each item's time comes before its headline's link, its snippet after
    rows = "".join(f"<div class='listRow'><div class='news_time'>17:{i:02d}</div><a href='/n/{i}'>第{i}則新聞標題在這裡顯示</a>"
                   f"<div class='news_desc'>印尼中爪哇暴雨引發山泥傾瀉，一條村落最少十一人死亡，超過一百人失蹤。"
                   f"中爪哇連日暴雨，觸發近日第二次山泥傾瀉，當局出動數百名救援人員搜索失蹤者，附近數百名村民已經撤離到安全地方，第{i}則...</div></div>"
                   for i in range(8))
    assert verdict(page("無綫新聞 - 頭版", f"<div class='list'>{rows}</div>")) is not None


def test_a_brief_under_a_headline_printed_as_plain_text_is_an_article():
    # Sing Tao's brief: the headline is a table cell's text (no heading element), the story
    # one 79-character paragraph, beside a menu of other headlines
    menu = "".join(f"<option>第{i}則其他新聞的標題 2014-12-17</option>" for i in range(30))
    brief = ("聯交所股權披露顯示，新地(00016)副主席兼非執行董事李兆基，於12月11日，再增持2.5萬股公司股份，"
             "每股平均價113.18元，持股達1.23%。")
    body = (f"<table><tr><td><select>{menu}</select>【16】李兆基續增持新地2.5萬股 (經濟) 2014-12-17</td></tr>"
            f"<tr><td class='bodytext'>{brief}</td></tr></table>")
    html = f"<html><head><title>【16】李兆基續增持新地2.5萬股- 星島日報網頁</title></head><body>{body}</body></html>"
    assert verdict(html) is None
    # without the headline in the page, the paragraph alone is too short to be a page's story
    html = f"<html><head><title>星島日報網頁</title></head><body>{body.replace('李兆基續增持新地', '')}</body></html>"
    assert verdict(html) is not None


def test_the_storys_container_leaves_out_teasers_cut_short_around_it():
    # SET News (newsdiff's test pages): the story beside a box of other stories' teasers,
    # each a paragraph cut short with dots, together a fifth of the page's prose
    story = "".join(f"<p>翻開財報發現，康師傅滿手現金高達465.9億，負債比只有53.39%，但味全的帳上現金只有35億，第{i}段。</p>"
                    for i in range(5))
    teasers = "".join(f"<h4><a href='/n/{i}'>第{i}則其他新聞的標題</a></h4><p>台灣國防近期可說是處多事之秋，日前驚爆共諜疑雲，"
                      f"今日更傳出國防部副部長夜宴表弟，第{i}則而...</p>" for i in range(4))
    html = page("味全負債258億", f"<div id='main'><h1>味全負債258億</h1><div id='story'>{story}</div>"
                                 f"<div id='more'>{teasers}</div></div>")
    tree = parse_html(html)
    found = html_metadata(tree, "http://example.com/a.html")
    kind = judge_page(tree, found.headline_element, html, found.title)
    assert kind.not_article is None and kind.container.get("id") == "story"
    # a writer's own trailing dots (……, .......) are prose like any other
    html = html.replace("而...", "而……")
    tree = parse_html(html)
    assert judge_page(tree, html_metadata(tree, "http://example.com/a.html").headline_element, html).container.get("id") == "main"


def test_a_sites_notice_in_a_footer_its_class_does_not_name_is_no_prose():
    # BCC (newsdiff's test pages): the footer's class is tt8, its notice has sentence marks;
    # counted as prose it pulled the story's container out to the whole page
    story = ("<div id='story'><p>受強烈大陸冷氣團影響，明天白天北部低溫約只有13、14度，南部約17到19度，明晚溫度將持續下降。</p>"
             "<p>中央氣象局表示，明天強烈大陸冷氣團影響，中部以北及東北部氣溫較低，預計到十四號的白天才有稍微回升的趨勢。</p></div>")
    footer = ("<div class='tt8'>本網站內容屬於中國廣播公司全球資訊網所有，非經允許，不得轉載 All Rights Reserved. "
              "台北市中山區松江路375號 廣告業務聯絡 客服信箱 關於中廣 TEL：886-2-25019688</div>")
    html = page("強烈大陸冷氣團明發威", f"<div id='page'><div id='main'>{story}</div><div id='bottom'>{footer}</div></div>")
    tree = parse_html(html)
    found = html_metadata(tree, "http://example.com/a.html")
    kind = judge_page(tree, found.headline_element, html, found.title)
    assert kind.not_article is None and kind.container.get("id") == "story"


def test_answers_headed_by_their_authors_in_a_heading_are_the_pages_prose():
    # zhihu's question page (7sDream/zhihu-py3's test pages): each answer's author link sits
    # in an h3, which made short answers list items, and the page only its question
    question = "<div id='detail'><p>从小长辈都教我们得到别人帮助时要说谢谢，但男朋友不喜欢我这样，怎么办？</p></div>"
    answers = "".join(
        f"<div class='answer'><h3><a href='/people/user{i}'>用户{i}</a>，签名</h3>"
        f"<div class='content'><p>第{i}个回答：谢谢是对对方的尊重，亲密关系之间也需要表达感激，只是方式可以更轻松自然一些。</p></div>"
        "<div class='actions'><a href='javascript:;'>添加评论</a><a href='#'>分享</a><a href='#'>收藏</a></div></div>"
        for i in range(6))
    html = page("关系亲密的人之间要说谢谢吗？", f"<h2>关系亲密的人之间要说谢谢吗？</h2>{question}<div id='answers'>{answers}</div>")
    tree = parse_html(html)
    found = html_metadata(tree, "http://example.com/question/1")
    kind = judge_page(tree, found.headline_element, html, found.title)
    assert kind.not_article is None and kind.container_prose >= 6 * 40
    # a list whose items' headings link to stories stays a list
    items = "".join(f"<div class='item'><h3><a href='/news/{i}'>第{i}条新闻的标题在这里</a></h3><p>第{i}条新闻的摘要，写了一句话。</p></div>"
                    for i in range(6))
    assert verdict(page("新闻列表", f"<div id='list'>{items}</div>")) is not None


def test_a_channel_page_typed_as_an_article_is_judged_by_its_structure():
    # TVB's news list (newsdiffHK): og:type article, the title a site's and a section's name,
    # teasers in list items, a weather box the only prose outside them
    rows = "".join(f"<div class='listRow'><div class='news_time'>17:{i:02d}</div><a href='/n/{i}'>第{i}則新聞標題在這裡顯示</a>"
                   f"<div class='news_desc'>印尼中爪哇暴雨引發山泥傾瀉，一條村落最少十一人死亡，第{i}則...</div></div>"
                   for i in range(8))
    weather = "<div class='weather'><div>天晴，天氣乾燥。明早天氣相當清涼，市區最低氣溫約14度，新界再低幾度。</div></div>"
    head = "<meta property='og:type' content='article'>"
    html = f"<html><head><title>無綫新聞 - 頭版</title>{head}</head><body>{weather}<div>{rows}</div></body></html>"
    assert verdict(html) is not None
    # the same template around a story: its title names the story, the type is the site's word
    story = html.replace("無綫新聞 - 頭版", "市料美零售銷售與消費者信心續升 - 無綫新聞")
    assert verdict(story) is None


def test_teasers_cut_short_are_no_pages_prose():
    # Jianshu's home page (lushantingyue/jianshuCrawler): each story's abstract, cut short
    # with dots, in an item the list test does not recognise (its thumbnail comes first)
    teaser = ("因为经常在后台收到很多人关于工作的抱怨：不喜欢现在的工作，又不知道该干嘛；是不是该辞职；"
              "工作没有成就感，一辈子就这样了吗；压力好大，撑不下去。我和同事特意准第{}篇...")
    items = "".join(f"<div class='note-{i}'><a href='/p/{i}'><img src='/i/{i}.jpg'></a><p class='abstract'>"
                    f"{teaser.format(i)}</p></div>" for i in range(5))
    assert verdict(page("创作你的创作", items)) is not None
    # the same paragraphs ending their sentences are a page's prose
    assert verdict(page("创作你的创作", items.replace("篇...", "篇。"))) is None


def test_a_forum_index_with_a_promotion_and_a_notice_is_not_an_article():
    # crawer's ChinaUnix page: <title>论坛</title>, boards in table rows, a sponsor's promotion
    # and a thank-you notice apart from each other
    boards = "".join(f"<tr><td><a href='/f/{i}'>运维板块{i}</a> (0)</td><td>主题: {258 + i}</td><td>帖数: {1253 + i}</td>"
                     f"<td>最后发表: 08-29 21:44 by user{i}</td></tr>" for i in range(12))
    promotion = ("<div class='ad'><p>如何利用Splunk收集、分析和解锁？<br>IT运维、安全案例分享<br>为IT运营提供新的可见性和分析！<br>"
                 "由Splunk中国发起的SplunkLive将于九月分别在上海、深圳、北京举办。<br>现在就报名，一起体验Splunk的神奇魔法！</p></div>")
    notice = "<table><tr><td>感谢曾经的版主，因为你们的参与，而使论坛更强大!</td></tr></table>"
    html = f"<html><head><title>论坛</title></head><body>{promotion}<table>{boards}</table>{notice}</body></html>"
    assert (verdict(html) or "").startswith("not an article: a section's page")


def test_a_story_among_its_columns_sharing_a_layout_class_is_an_article():
    # cx-extractor's yule.sohu.com page (2009): the story's <div class="text clear"> beside
    # toolbars and link boxes that share only the clearfix, in a column of <div class="area">
    # rows like the link boxes around it
    boxes = lambda name: (f"<div class='{name} clear'><a href='/a'>布兰妮澳洲忙排练 工作状态一流(图)</a> "
                          f"<a href='/b'>布兰妮复出巡演疑假唱</a></div>")
    story = ("<div class='text clear'><p>小甜甜布兰妮因为在周五的澳大利亚珀斯站演唱会上对口型假唱让现场的歌迷非常不满，"
             "数以百计歌迷当场离开。</p><p>“我们是真正的布兰妮的粉丝，但是她实在令我们失望。”一名叫乔什-布利的歌迷说。</p>"
             "<p>澳大利亚政府已经参与到这项争端中，新南威尔士州公平贸易部长正在考虑要求布兰妮在售票的时候提示自己是不能唱现场的。</p></div>")
    column = (f"<div class='area'><div class='left'><h1>布兰妮在澳大利亚演唱会假唱</h1><div class='sourceTime'>2009年11月08日12:49</div>"
              f"{boxes('function')}{story}{boxes('function')}{boxes('baiList')}{boxes('sogouSearch')}{boxes('muNew')}</div></div>")
    rows = "".join(f"<div class='area'><a href='/r{i}'>搜狐娱乐频道第{i}条推荐新闻标题</a></div>" for i in range(6))
    html = f"<html><head><title>布兰妮在澳大利亚演唱会假唱-搜狐娱乐</title></head><body>{rows}{column}{rows}</body></html>"
    assert verdict(html) is None


def test_a_home_page_whose_headline_is_a_carousels_link_and_whose_summaries_are_folded():
    # selenium_slider's huxiu.com home page: the h1 is inside the carousel's link, and the
    # feed's items fold their summaries in <p class="story-detail-hide">
    feed = "".join(f"<li><a href='/m/{i}'>华为稳不稳第{i}条</a><span>16分钟前</span>"
                   f"<p class='story-detail-hide hour-detail-hide'>山东下线万余家网络餐饮服务商，行政约谈美团、饿了么。为确保网络订餐安全，"
                   f"山东自4月26日起，在全省开展净化网络订餐专项整治行动，截至6月1日已下线{i}万家。</p></li>" for i in range(3))
    body = ("<div class='big-pic'><a href='/article/1.html'><div><h1>拿了冠军，却没有一个队友祝福：中国让球往事</h1></div></a></div>"
            f"<ul class='box-list'>{feed}</ul><div class='report-explain'>全年30+篇 案例分析，复盘有代表性的创新公司，还原商业成功背后的魔鬼细节。</div>")
    html = f"<html><head><title>拿了冠军，却没有一个队友祝福：中国让球往事-虎嗅网</title></head><body>{body}</body></html>"
    assert (verdict(html) or "").startswith("not an article")
    # the same story page, its headline no link and its text shown, is an article
    story = ("<h1>拿了冠军，却没有一个队友祝福：中国让球往事</h1><div class='article'><p>那一年的世界杯决赛之后，更衣室里一片沉默，"
             "没有人上前祝贺这位刚刚拿下冠军的队员。</p><p>多年以后他回忆说，那是他一生中最孤独的夜晚，奖杯就放在他的脚边。</p></div>")
    assert verdict(f"<html><head><title>拿了冠军，却没有一个队友祝福：中国让球往事-虎嗅网</title></head><body>{story}</body></html>") is None


def test_a_story_in_a_box_that_clips_its_overflow_is_shown():
    # overflow-hidden (Tailwind) and hidden-xs (Bootstrap: hidden on a phone only) leave the
    # text in view; a class that folds its element (story-detail-hide) does not
    story = ("<p>那一年的世界杯决赛之后，更衣室里一片沉默，没有人上前祝贺这位刚刚拿下冠军的队员。</p>"
             "<p>多年以后他回忆说，那是他一生中最孤独的夜晚，奖杯就放在他的脚边，而他一直看着窗外。</p>")
    for box in ("overflow-hidden rounded", "hidden-xs col-md-8"):
        html = page("旧事一则", f"<div class='{box}'>{story}</div>")
        assert verdict(html) is None, box
    assert verdict(page("旧事一则", f"<div class='story-detail-hide'>{story}</div>")) is not None


def extracted(html: str, url: str = "https://blog.example.com/u/article/details/1"):
    from tasks.extract import extract_one
    from tasks.models import DecodedPage

    return extract_one(DecodedPage(url, "html", html, "utf-8", 0, "hash"))


PAY_DIALOG = ("<div class='pay-code'><div class='pay-money'>实付元</div><div class='bt-close'></div>"
              "<div class='pay-balance'>抵扣说明：1.余额是钱包充值的虚拟货币，按照1:1的比例进行支付金额的抵扣。"
              "2.余额无法直接购买下载，可以购买VIP、付费专栏及课程。</div></div>")
COOKIE_BAR = ("<div role='dialog' class='cc-window'><span>本站使用 cookie 数据以确保网站正常运行，并帮助我们为您提供最佳用户体验。"
              "点击“同意”即表示您同意。</span></div>")


def test_a_pop_ups_sentences_are_no_story():
    # a CSDN post (magic-html's benchmark): its only sentences are a payment dialog's, a box
    # with a close button of its own that CSS hides; a cookie bar is a dialog by its role
    for popup in (PAY_DIALOG, COOKIE_BAR):
        html = page("SolVES模型的生态系统社会价值评估代做", f"<div class='main'><ul>{SIDEBAR}</ul></div>{popup}")
        assert (verdict(html) or "").startswith("not an article: no block of prose"), popup
    # the same sentences in the page's column, with a "关闭窗口" link that shows its words
    column = ("<div class='content'><p>抵扣说明：余额是钱包充值的虚拟货币，按照一比一的比例进行支付金额的抵扣，无法直接购买下载。</p>"
              "<a class='close' href='javascript:window.close()'>关闭窗口</a></div>")
    assert verdict(page("余额使用说明", f"<h1>余额使用说明</h1>{column}")) is None


def test_a_post_whose_body_is_one_line_is_its_only_article_element():
    # its body (a contact line) has no sentence, but the page's markup says where the post is
    post = ("<article class='baidu_pl'><div id='article_content'><p><img src='/a.png'><br> SolVES模型的生态系统社会价值评估代做"
            "<br> 1107436458 某鹅 说明来处</p></div></article>")
    header = "<div class='article-header'><h1 class='title-article'>SolVES模型的生态系统社会价值评估代做</h1></div>"
    html = page("SolVES模型的生态系统社会价值评估代做", f"{header}<div class='main'>{post}<ul>{SIDEBAR}</ul></div>{PAY_DIALOG}")
    assert verdict(html) is None
    article = extracted(html)
    assert "1107436458 某鹅 说明来处" in article.text and "余额" not in article.text
    # two <article> elements (teasers), or the post above the headline: no story is marked up
    teasers = post + post.replace("1107436458", "2207436458")
    assert verdict(page("SolVES", f"{header}<div class='main'>{teasers}</div>")) is not None
    assert verdict(page("SolVES", f"{post}{header}")) is not None
    # and with no headline at all, nothing says the line is a story
    assert verdict(page("SolVES", post)) is not None


def test_an_expired_page_keeping_its_sites_article_type_is_the_notice():
    html = ("<html><head><meta property='og:type' content='article'><title>页面不存在 - 某某新闻网</title></head><body>"
            "<div class='nav'><a href='/'>首页</a></div><h1>页面不存在</h1>"
            "<p>抱歉，您访问的页面不存在或已被删除，请返回首页继续浏览其他内容。</p></body></html>")
    assert (verdict(html) or "").startswith("not an article: the site's notice")
    # a story typed so, with the notice in a box beside its prose, is a story
    story = html.replace("<p>抱歉", "<p>记者今天走访了市区的多个社区，居民们对新建的公园普遍表示满意，希望尽快开放。</p><p>抱歉")
    assert verdict(story) is None


def test_a_post_of_br_lines_that_trails_off_is_no_teaser():
    # a one-post tieba thread (login-baidu's tieba-thread, found by a helper): commands and
    # error lines between its Chinese sentences, parted by <br>, its last line ending 成功...
    lines = ["在使用idea 从svn checkout 项目的时候出现错误,大概如下:", "svn: E230001: Server SSL certificate verification failed......",
             "svn服务器的SSL证书验证失败，该主机不是被信任的主机", "解决方案：安装一个svn服务器的证书，并且添加信任。",
             "网上找到的一个解决方案(osx 或者 linux ,windows同理)", "1.打开终端,并切换到一个临时目录：", "cd /tmp",
             "2.执行svn命令检出项目", "3.弹出提示,安装证书,有三个选项,我们输入p回车",
             "注:对于你访问的svn地址生成的证书，可以有三种选择：", "1.reject 拒绝", "2.accept temporary 暂时的接受",
             "3.accept permanently 永久的接受 （我们选择该种）", "svn co https://192.168.1.19/svn/pro/cyfm", "(R) eject, accept (T)emporary or (P)ermanently",
             "svn: E230001: Server SSL certificate verification failed: issuer is not trusted",
             "现在回到idea重新检出,成功..."]
    post = f"<div class='d_post_content'>{'<br>'.join(lines)}</div>"
    html = page("svn: E230001: Server SSL certificate verification failed",
                f"<h3 class='core_title_txt'>svn: E230001: Server SSL certificate verification failed</h3>{post}<ul>{SIDEBAR}</ul>")
    assert verdict(html) is None
    # a teaser's snippet cut short is still no prose of the page's
    teaser = "<div class='summary'>在使用idea 从svn checkout 项目的时候出现错误，大概如下，网上找到的一个解决方案...</div>"
    assert verdict(page("svn 问题汇总", f"{teaser}<ul>{SIDEBAR}</ul>")) is not None


def test_an_answer_in_a_rich_text_box_named_for_its_copyright_is_no_footer():
    # Zhihu's answers (ArticleSpider's zhihu-question-a, found by a helper) sit in
    # <span class="RichText ztext CopyrightRichText-richText">; a footer named copyright is one
    answer = ("<p>作为一个自驾游到全国的人来说，我是有经验的。这个问题首先你要确认你目的，你要赶时间，肯定高速；"
              "你要是为了省费用，那就是国道了。</p>")
    html = page("1000公里路程，开车走国道和高速哪个省钱？", "<h1>1000公里路程，开车走国道和高速哪个省钱？</h1>"
                f"<div class='AnswerItem'><span class='RichText ztext CopyrightRichText-richText'>{answer}</span></div>")
    assert verdict(html) is None
    assert verdict(html.replace("RichText ztext CopyrightRichText-richText", "site-copyright")) is not None

"""Over-cleaning: real article prose that uses a rule's trigger words must come through the
cleaner unchanged. Recall is what over-cleaning destroys, so every rule in tasks/cleaning/ has
real sentences here (test_every_rule_has_real_prose keeps it that way).

The sentences are copied verbatim from real pages under /work/shared/realpages/ (the source
is named beside each). Where no local page uses a trigger in ordinary prose (许可证12张,
版权所有人, YouTube.com, a 最新进展 subheading: cases found by reading the rules), the line is
marked "written here"; the prose around it is still real."""
from __future__ import annotations

import pytest

from tasks.cleaning.engine import clean_text, removals_by_rule
from tasks.cleaning.order import RULES

# Two real paragraphs that open every test text: tail rules only act after article text.
LEAD = [
    # chrislinan/cx-extractor-python RawHtml/41.html
    "公开资料显示，作为中国股市造富的神话，刘益谦曾被冠以“法人股大王”、“定增大王”的称号。2010年底开始慢慢淡出二级市场。"
    "相比之下，近些年，刘益谦在艺术品收藏领域的名声更大，更广为人知。",
    # chrislinan/cx-extractor-python RawHtml/20.html
    "华夏保险7月2日上午在其官网发表声明称，该公司坚定看好中国经济增长，坚定看好中国保险行业，坚定看好中国证券市场，为此，"
    "坚决支持金融监管机关新近推出的一系列稳定证券市场的新政策、新举措，已在近期大举逢低建仓并将持续加仓入市。",
]

# Real sentences by the rule whose trigger words they use. Each must survive whole.
REAL_PROSE: dict[str, list[str]] = {
    "mojibake_gbk_shift": [
        # mozilla/readability test-pages/gmw: a '?' standing for a middle dot in a name
        "NASA发言人斯蒂芬妮?席尔霍尔茨(Stephanie Schierhol）表示：“我们研究了太空中宇航员身体的各种变化，包括微生物层面的。"
        "我们有一个营养计划，以确保他们的身体获得保持健康所需要的营养。”",
    ],
    "mojibake_copyright": [
        # opendatalab/magic-html article gold 2338d64a: a question mark before more prose
        "有关疫情一刀切的防疫政策也是疫情期间民众最为关注的，对于部分地区疫情一刀切民众都在咨询相关的解决办法。疫情一刀切政策怎么投诉举报？"
        "疫情一刀切给民众出行带来诸多影响，而对于这类情况的举报方法却有很多人不清楚，下面来看下疫情一刀切政策投诉举报方法介绍。",
        # adbar/htmldate tests/eval/sohu.com-Likeqiang: a year after a clause
        "李克强同志因突发心脏病，经全力抢救无效，于2023年10月27日0时10分在上海逝世，享年68岁。",
    ],
    "split_sentence": [
        # lines that open with a quote, a title mark or a bracket start their own paragraph
        # (cx-extractor-python 45, twnews cna, twparser china-times s1, magic-html article b931df70657c)
        "《中国经营报》记者分别致函大连市委宣传部及太平湾临港经济区管委会，提出采访请求，截至发稿上述两方均未予回复。",
        "（中央社記者邱俊欽桃園19日電）桃園市平鎮區一家輪胎行今天清晨發生大火，7人從火場中疏散；由於火勢延燒猛烈，一名62歲女子逃生不及，命喪火窟。",
        "「春盈號」是去年12月從高雄港出港捕撈鮪魚，船上有台籍船長許聰德、輪機長陳奶妹以及大副夏德龍，另外有21名菲律賓籍和4名印尼漁工。",
        "“国家蒙辱、人民蒙难、文明蒙尘”[2]是对这一时期中国被迫卷入西方主导的现代化浪潮的深刻总结。",
    ],
    "caption_marker": [
        # chrislinan/cx-extractor-python RawHtml/29.html
        "而素有“债券之王”之称的葛罗斯，本周也再次警示中国所蕴含的风险。",
    ],
    "html_tag": [
        # opendatalab/magic-html forum gold (a quoted line in a post)
        "> ns-manage（南生运营）是南生系列最最最基础的系统，南生系列下的所有系统**共用**南生运营的用户/角色/权限等基础功能（数据）。",
    ],
    "html_entity": [
        # chrislinan/cx-extractor-python RawHtml/26.html
        "Cowen& Co的销售和交易部门主管David Seaburg表示，中国股市的波动性不会持续很久。中国政府可能推出更多措施来终结股市大跌。",
        # adbar/trafilatura tests/eval/baike.baidu.com.tanya
        "同年10月，和台湾华纳约满，结束合作关系；并于同月9日结束与 Music & Movement 的经纪合约。",
    ],
    "invisible_char": [
        # written here: a family photo's caption with an emoji sequence (zero-width joiners)
        "春节期间，一家三口在老家门前拍下全家福👨\u200d👩\u200d👧，照片在朋友圈收获了上百个点赞。",
    ],
    "pinyin_annotation": [
        # mozilla/readability test-pages/gmw
        "然而，2007年，美国宇航局(NASA)成立了一个负责调查宇航员健康状况的独立小组，称历史上该机构至少有两名宇航员在即将飞行前喝了大量的酒，"
        "但仍然被允许飞行。",
    ],
    "end_mark": [
        # lulalala/taiwanese_news_parser spec pages
        "「鐵拳II」預賽，中華隊分A、B兩組，戰績都是1勝1敗，30日將繼續完成初賽。",
    ],
    "spam_domain": [
        # opendatalab/magic-html forum page df28ea9a: a Java name with capitals inside
        "Consider defining a bean of type 'pub.developers.forum.portal.support.TestRe' in your configuration.",
        # written here: a real site's name, capitals inside (the old rule deleted the words before it)
        "他把视频上传到YouTube.com，一周内播放量超过了十万次。",
    ],
    "title_repeated": [
        # Gerapy/GerapyAutoExtractor netease_news1 (the title's words inside a sentence)
        "根据约翰斯·霍普金斯大学的最新数据统计，截至美东时间7月3日16时33分，美国新冠肺炎确诊病例超过278万例，为2780916例，"
        "死亡病例为129227例。新增确诊病例数较当日9时33分公布的数据增长了40563例。",
    ],
    "share_widget": [
        # chrislinan/cx-extractor-python RawHtml/41.html, 60.html
        "新京报记者就此采访具体投资情况，刘益谦在微信上回复，该说的在朋友圈都说了。",
        "美术老师陈超雄说，孩子们的作品将在学校展出。",
        "■记者从市教育局获悉，今年新增学位3000个。",
        "随着首批试点的5家民营银行陆续开业，6月22日，国务院办公厅转发《促进民营银行发展指导意见》，民营资本进入银行业门槛相继明确。",
        # written here: a share prompt's words opening a sentence of the story
        "欢迎分享到朋友圈的参观照片都将参加年度影展评选，主办方将在下月公布入选名单。",
    ],
    "closing_mark": [
        # lulalala/taiwanese_news_parser spec pages
        "「鐵拳II」預賽，中華隊分A、B兩組，戰績都是1勝1敗，30日將繼續完成初賽。",
    ],
    "agency_mark": [
        # chrislinan/cx-extractor-python RawHtml/21.html (a bracket after a company)
        "7月2日，兖州煤业（600188.SH）发布了2015年度跟踪评级报告。",
    ],
    "repost_note": [
        # opendatalab/magic-html article gold 66211fc4
        "前言：本文会以多个实际的线上例子，分享自己对于Docker和Podman的一点使用经验及踩过的坑，希望对读者有一点帮助。",
    ],
    "original_title": [
        # opendatalab/magic-html article gold 9af148c8 ("原" and a colon in ordinary use)
        "3、销售渠道是上海迪士尼度假区官方手机应用程序(App)、上海迪士尼度假区官方网站、上海迪士尼度假区官方微信公众号、"
        "上海迪士尼度假区预订服务中心（电话：400-180-0000或86-21-31580000）；具体购票须知及乐园须知请参考度假区官方网站。",
    ],
    "original_title_note": [
        # chrislinan/cx-extractor-python RawHtml/29.html (a bracket after a sentence)
        "而素有“债券之王”之称的葛罗斯，本周也再次警示中国所蕴含的风险。葛罗斯在周二(6月30日)的投资展望报告中表示，中国是可能引发美国“新”",
    ],
    "editor_mark": [
        # adbar/trafilatura tests/eval/banyuetan.org (编辑 as a verb)
        "数字化农业的甜头，小农户在销售产品中感受更深。在“益村”售卖平台上，村民只需拍几张照片，编辑小段文字，就可把家里种的稻谷，"
        "养的鸡鸭鱼，做的手工粉等产品挂上网卖钱。“在‘益村’上，每天都有好多人向我订货。”安化县乐安镇大禾村村民陈福香说。",
        # opendatalab/magic-html article gold 2338d64a (审核-like words, a numbered step)
        "2、通过国家政务服务平台进行举报。在浏览器找到【国家政务服务平台】，在此平台【首页】找到【我要投诉】，输入用户ID和密码登录后，"
        "根据界面提示填写投诉内容就完成了。",
    ],
    "editor_credit": [
        # adbar/trafilatura tests/eval/archive.org.he.xinhuanet.com (a bracket at a sentence's end)
        "《约定无期限》的成功演出，离不开编剧和全体演职人员的辛苦付出。“果树93(01)班毕业生们的典型事迹，为人们的心灵注入了温暖与感动。"
        "作为一名文艺工作者，通过艺术形式来弘扬这份人间真情是我义不容辞的责任。”编剧张晓阳介绍说，为了提高该剧的思想性、艺术性，"
        "剧组坚持演出不息、创作不止的原则，对作品“精雕细琢”。",
    ],
    "edition_line": [
        # opendatalab/magic-html article gold (a reference to a newspaper page)
        "[4] 王治东：《新中国70年发展成就具有世界历史意义》，《光明日报》2019年10月16日，第6版。",
    ],
    "ui_form": [
        # adbar/trafilatura tests/eval/banyuetan.org; chrislinan/cx-extractor-python RawHtml/45.html
        "益阳城市社区同样安全感满满。小区居民登录手机APP，就可实时查看广场、公园、游乐园的环境。",
        "《中国经营报》记者搜索大连市、辽宁省、国家三级发改委网站，没有任何与“大连太平湾”相关联的申请或审批公告。",
    ],
    "ui_more_link": [
        # chrislinan/cx-extractor-python RawHtml/1.html, RawHtml/25.html
        "目前，国家层面的互联网+行动计划正由发改委牵头制定中，地方已明确要制定互联网+行动计划的省份有福建、江西、江苏、广东、四川、湖南、"
        "河南等，而以福建、重庆、上海等为代表，与互联网企业“联姻”的省份则更多。",
        "近两周来大盘下跌，不少上市公司不甘沉沦，纷纷展开自救。其中，TCL集团(000100)昨日公告了回购计划；而6月15日以来，A股已有超百家公司增持自家股票。",
    ],
    "ui_comment_link": [
        # opendatalab/magic-html article 2338d64a; chrislinan/cx-extractor-python RawHtml/3.html
        "5、在中国政府网举报。在搜索引擎搜索【中国政府网】平台，转至【首页】后，点击【互动】板块，随后选择页面中的【我要留言】选项，"
        "阅读完《留言须知》后，补充个人信息与投诉诉求即可。",
        "搞笑的是今年618赶上股市连日大跌，朋友圈内都在讨论股市问题，京东基本被忽略了，很少有看到讨论618电商大战话题的，哦，不对，"
        "还是看到了一句特别应景的评论，“今年618，打折力度最猛的是A股”。不知各位的朋友圈内是否看到很多人讨论京东618的话题？",
    ],
    "ui_app_link": [
        # adbar/trafilatura tests/eval/banyuetan.org
        "益阳城市社区同样安全感满满。小区居民登录手机APP，就可实时查看广场、公园、游乐园的环境。一遇突发事件或紧急情况，一键报警即可寻求援助。",
    ],
    "ui_pager": [
        "翻到下一页，读者会看到这座城市四十年前的老照片。",  # written here
    ],
    "ui_label": [
        # opendatalab/magic-html article 0eebc3ef; fundus people 2024-04-24
        "尽管事业曲折，但丁俊晖的生活可谓后院生火。有别于大多数选手依赖赛事奖金维生，丁俊晖早已通过广告代言等赚得盆满钵满。",
        "中国探月工程始终秉持“平等互利、和平利用、合作共赢”的原则，未来将继续面向包括拉美和加勒比国家在内的国际社会开放合作机遇，"
        "共同实现更多重大原创性科学发现。",
    ],
    "ui_player_control": [
        # AndyTheFactory/newspaper4k chinese_article (BBC): 播放
        "历时1.5小时的答问大会在进入中段之际，泛民主派人民力量的直选议员黄毓民、陈伟业和社会民主连线的梁国雄先后因播放录音、叫嚣，"
        "和向梁振英扔掷文件而被议长驱逐。",
    ],
    "ui_post_info": [
        # chrislinan/cx-extractor-python RawHtml/31.html
        "随着移动互联网时代全面到来，手机浏览器开始大行其道，尽管几乎所有的浏览器软件都推出了相应的移动app版本，但用户与信息之间的纯浏览关系却未能改变。",
    ],
    "ui_reward": [
        # opendatalab/magic-html article gold 5c427eeb (as for wechat_reward)
        "“我们去瞧瞧这个世界，”米洛斯说，虽然帕利既害羞又害怕，他却十分赞赏他的朋友的意见。在春天来临之前，当土地仍然被雪覆盖，他们出发了。",
    ],
    "ui_symbols": [
        # chrislinan/cx-extractor-python RawHtml/13.html
        "股市下挫，阴谋论泛起。从国家队接筹码、外资做空到大资金利用股指期货杀配资盘，事实上，这个市场只有两个痼疾——融资圈钱不退市，信息不透明不准确。",
    ],
    "photo_credit": [
        # Gerapy/GerapyAutoExtractor ifeng_news1
        "战争结束了，侵略者摇身一变成了游客。一位外国“摄影师”拍下了当年的紫禁城，并在日记里写到，“里面就像垃圾场一样”。",
    ],
    "tags_line": [
        # Gerapy/GerapyAutoExtractor zhihu_search_result
        "在第一步处理后，网页上的标签，会被划分分若干类，需要判断标签的类型，是否是标题，正文，广告，导航之类。",
    ],
    "navigation_menu": [
        # opendatalab/magic-html forum gold (a pipe inside a title)
        "阜阳市人民政府新闻办公室通报，5月13日上午，中国慈善家杂志微信公众号发布《调查|20只东北虎之死》一文。",
    ],
    "breadcrumb": [
        # opendatalab/magic-html article gold 665b6857
        "其次是地理位置偏。",
        "> ns-manage（南生运营）是南生系列最最最基础的系统，南生系列下的所有系统**共用**南生运营的用户/角色/权限等基础功能（数据）。",
    ],
    "promotion_more_news": [
        # opendatalab/magic-html article gold 97a2a5818c (更多…都在 in prose)
        "Jenny担心，国外客户在观望红海局势的同时，或许也在寻找更加划算的海外供应商。“客户都是追求稳定的产品，”Jenny说，“一旦客户转移到其他国家的供应商，"
        "第一次合作得不错，以后可能都在那里买。”",
        # chrislinan/cx-extractor-python RawHtml/31.html
        "随着原生App的层出不穷，H5技术的深入开发，娱乐资讯互动体系的构建，关于手机浏览器的地位、作用、功能、用户体验等方面的讨论热度猛增。",
    ],
    "promotion_follow_more": [
        "追踪更多线索后，警方锁定了嫌疑人。",  # written here
        "记者关注到，该频道的订阅数已超过十万：相关数据可在https://example.cn/stats查到。",  # written here
    ],
    "promotion_click_follow": [
        # Gerapy/GerapyAutoExtractor zhihu_search_result
        "下载网页功能的开发工作，会涉及IP限制，验证码等问题，这样问题都是可以预期的。",
        "点击上方“订阅”按钮后，系统会每天推送一份天气简报。",  # written here
    ],
    "promotion_fan_page": [
        # opendatalab/magic-html article gold
        "1. 下载安装ArcGIS软件，建议使用ArcGIS 10.5版本及以上。",
        "去年他加入了学校的摄影俱乐部频道，每周分享自己拍摄的作品。",  # written here
    ],
    "promotion_latest_news": [
        "通过这个平台，居民可以随时获取最新消息和办事指南。",  # written here
    ],
    "app_prompt": [
        # adbar/trafilatura tests/eval/banyuetan.org; Gerapy zhihu_search_result; opendatalab/magic-html gold
        "益阳城市社区同样安全感满满。小区居民登录手机APP，就可实时查看广场、公园、游乐园的环境。",
        "下载网页功能的开发工作，会涉及IP限制，验证码等问题，这样问题都是可以预期的。",
        "1. 下载安装ArcGIS软件，建议使用ArcGIS 10.5版本及以上。",
    ],
    "app_store_link": [
        # opendatalab/magic-html article gold fd0a94a0; adbar/htmldate 1728970162
        "苹果公司否认了政府关于 iPhone 让消费者锁定这些设备的说法。",
        "苹果在给法官的信中表示，司法部依赖的是一种新的尚未得到法院认可的反垄断责任理论。",
        "安卓用户可在应用商店下载更新，iOS用户需等待下周上线。",  # written here
    ],
    "account_prompt": [
        # opendatalab/magic-html article gold 9af148c8; forum gold (阜阳)
        "3、销售渠道是上海迪士尼度假区官方手机应用程序(App)、上海迪士尼度假区官方网站、上海迪士尼度假区官方微信公众号、"
        "上海迪士尼度假区预订服务中心（电话：400-180-0000或86-21-31580000）；具体购票须知及乐园须知请参考度假区官方网站。",
        "阜阳市人民政府新闻办公室通报，5月13日上午，中国慈善家杂志微信公众号发布《调查|20只东北虎之死》一文。",
        # chrislinan/cx-extractor-python RawHtml/40.html
        "五是利用“远观今盘”从事证券投资咨询活动案。经查，北京某文化传媒和资产管理公司在合作经营某省卫视股评节目《远观今盘》的过程中，"
        "在未取得证券投资咨询业务资格的情况下，利用《远观今盘》官方微博向投资者推介荐股服务，并以短信方式向付费投资者推荐股票，"
        "获取非法收入270余万元。",
    ],
    "comment_box": [
        # adbar/htmldate tests/test_set/1728970162; chrislinan/cx-extractor-python RawHtml/5.html
        "索尼發言人表示，公司一向遵守所有法規，不評論與個別客戶的業務往來。",
        "随着数据时代和智能化时代到来，爬虫作为重要的数据来源，自身需要一些技术提升来适应时代的要求，这也就对爬虫工程师提出更高的要求。"
        "成文粗陋，权且当做抛砖引玉，欢迎大家留言讨论。",
    ],
    "reading_prompt": [
        # chyroc/WechatSogou article_detail_qqmusic; mozilla/readability test-pages/pixnet
        "这个时期最喜欢的还是周杰伦，他开创的中国风歌曲是我的最爱。",
        "更是最大值,看到ＦＢ有朋友分享..美的驚豔！",
    ],
    "follow_us": [
        "欢迎关注本次大会的代表们提交的议案，欢迎读者来信讨论。",  # written here
        # opendatalab/magic-html article gold 665b6857; mozilla/readability youth; cx-extractor 51.html
        "近日，珠海市政府发布一则通知，准备拆除这条有轨电车，随即引来多方关注。",
        "不少学子时刻关注着国内动态，寻找回国发展的契机，而两会正是一个提供最新最全面信息的窗口。",
        "昨晚，证监会新闻发布会又出四大招，其中，减少IPO家数、筹资额引关注。",
    ],
    "timestamp_line": [
        # chrislinan/cx-extractor-python RawHtml/67.html; adbar/htmldate sohu.com-Likeqiang
        "2015年7月4日，21家证券公司召开会议，一致表示坚决维护股票市场稳定发展，并作出了相关决定，证券业协会对此表示高度赞赏和坚决支持，"
        "同时向全体证券公司发出以下倡议：",
        "李克强同志因突发心脏病，经全力抢救无效，于2023年10月27日0时10分在上海逝世，享年68岁。",
    ],
    "list_label": [
        # opendatalab/magic-html article gold 665b6857 (热门-like list words in prose)
        "23座投运了现代有轨电车的城市，有的如沈阳、大连、南京等，将其作为城轨交通的补充，覆盖中心城区的轨道空白区；有的如北京、广州等，"
        "发挥它观光旅游的功能。",
    ],
    "related_item": [
        # lulalala/taiwanese_news_parser apple-daily-s3 gold: a timeline's bulleted items with dates
        "●1993/08 就任日本首相，剛上台就承認日本在二戰期間傷害亞洲各國",
        "●1994/04 因與佐川急便公司金錢牽扯不清，宣布辭去首相職務",
    ],
    "metadata_line": [
        # adbar/htmldate tests/test_set/1728970162; Gerapy zhihu_search_result
        "前身為東芝記憶體的鎧俠，也將因美國對華為的制裁而遭受打擊，該公司銷售額的40％來源於智慧手機記憶體晶片，其中華為產品佔有不小的比例。",
        # opendatalab/magic-html article 06586406: a photo caption that opens with a date
        "2020年12月27日投入使用的雄安站",
    ],
    "dateline": [
        # chrislinan/cx-extractor-python RawHtml/31.html (资讯 in prose)
        "随着原生App的层出不穷，H5技术的深入开发，娱乐资讯互动体系的构建，关于手机浏览器的地位、作用、功能、用户体验等方面的讨论热度猛增。",
        # A dateline opening the story stays with it (every source's own text keeps it).
        # opendatalab/magic-html article 39ab22e7
        "新华社深圳5月12日电（记者戴小河、印朋）由我国自主设计建造的亚洲首艘圆筒型“海上油气加工厂”——“海葵一号”12日从中国海油青岛"
        "国际化高端装备制造基地离港启运，为我国首个深水油田二次开发项目年内投产奠定基础。“海葵一号”启运后将前往距离青岛超过1200海里的"
        "珠江口盆地进行回接安装。",
        # lulalala/taiwanese_news_parser spec cna_s2
        "（中央社記者楊思瑞台南4日電）台南市虱目魚養殖協會今天舉辦銷陸虱目魚契作戶抽籤，理事長王文宗表示，服貿對台利大於弊，協會站在支持立場。",
    ],
    "byline": [
        # opendatalab/magic-html article 45fcfa7d: a byline after the dateline stays with it
        "本报讯（记者叶婉）近日，“心成长”青少年心理健康服务项目在北京市青年宫正式启动。北京青年报记者了解到，“心成长”青少年心理健康服务项目，"
        "将以基层社区、学校、企事业单位等为重点服务领域，以社工、团干部、青年教师等为对象，分成心理素质提升课程、专场心理体验活动、"
        "心理活动实践指导三个板块，并计划打造形成“5+5+50+X”的工作体系，帮助更多首都青年提升心理素质和意志品质水平，促进身心和谐发展，"
        "助力城乡基层治理。",
        # chrislinan/cx-extractor-python RawHtml/45.html, 41.html
        "《中国经营报》记者搜索大连市、辽宁省、国家三级发改委网站，没有任何与“大连太平湾”相关联的申请或审批公告。",
        "新京报记者就此采访具体投资情况，刘益谦在微信上回复，该说的在朋友圈都说了。",
        "美术老师陈超雄说，孩子们的作品将在学校展出。",
        "■记者从市教育局获悉，今年新增学位3000个。",
    ],
    "trailing_credit": [
        # chrislinan/cx-extractor-python RawHtml/21.html
        "7月2日，兖州煤业（600188.SH）发布了2015年度跟踪评级报告，虽然中诚信国际信用评级有限责任公司（下称“中诚信国际”）维持了兖州煤业主体信用等级",
    ],
    "footer": [
        "他在声明中说：这些图片来自网络，并非本人拍摄，已向当事人道歉。",  # written here
        # adbar/htmldate tests/test_set/1728970162 (許可證 in a story)
        "中美關係近期持續緊張，華府對華為實施制裁，限制企業與華為有貿易往來，但美國的晶片巨頭AMD和英特爾已經獲得許可證，繼續向華為供貨。",
        # opendatalab/magic-html article gold 2338d64a (hotlines and 举报电话 in a story)
        "6、致电中纪委举报热线进行举报。拨打【12388】全国纪检监察机关举报电话，进行检举控告。市民可通过此热线举报党员及领导干部、"
        "国家公务员违规违纪的行为，或提出对反腐败工作方面的意见建议。拨打时，需要加拨对应的长途电话区号。",
        # chrislinan/cx-extractor-python RawHtml/45.html
        "针对大连市未经批准已经开工建设两年半的事实，交通部上述人士表示，“未批先建”自然要受到处罚，处罚对象为项目单位和交通主管部门。",
        # written here: a licence count and a copyright holder inside sentences
        "今年以来，全市共发放食品经营许可证12张，办理变更手续30余件。",
        "法院审理认为，该作品的版权所有人是原告，被告未经许可使用构成侵权。",
    ],
    "citation_list": [
        # mozilla/readability test-pages/pixnet: a caret inside a line
        "吃得快精光之際...才想到忘了拍合照...(哇哩咧 ^&*()",
        # written here: an emoticon opening a line, with a full stop
        "^_^ 今天终于拿到了录取通知书，第一时间告诉了家里人.",
    ],
    "navigation_tail": [
        # opendatalab/magic-html article gold (a novel chapter)
        "转动把手，之后只要把门向里面推开，他就会看到一道灰黑色的浓雾，穿过浓雾，他便会返回自己那间住了许多年的单身公寓。",
        # written here: previous/next words opening a sentence
        "上一篇文章中，我们介绍了如何在服务器上安装数据库，这一篇讲怎样备份。",
    ],
    "repost_notice": [
        # opendatalab/magic-html article gold 06586406 (授权 in prose); lulalala/taiwanese_news_parser now-news (未經)
        "2017年4月1日，中共河北省委、省政府成立雄安新区筹备工作委员会及临时党委（以下简称“两委”）[18]。两委是雄安新区筹办工作的过渡性机构，"
        "经中共河北省委、省政府授权，负责“组织领导、统筹协调雄安新区开发建设管理全面工作，对雄安新区范围内政治、经济文化、社会、生态文明和党的建设，"
        "行使组建、协调、督导、服务职能”[19]。由于雄安新区行政架构尚未建立，雄安两委实际承担起雄安新区筹办和日常行政工作。",
        "對此，總統府高層說，相關傳言未經證實，卻已經引起社會不安，學生和媒體不應再以訛傳訛。",
        # written here: a law a story quotes; a company's rule a story reports
        "法规规定，未经著作权人许可，不得转载他人作品。",
        "公司规定，员工未经允许不得使用公章，违者将被严肃处理。",
    ],
    "permalink_line": [
        # written here: the words in sentences
        "本文链接的论文已于去年发表，引起学界广泛关注。",
        "原文地址：北京市朝阳区某某路1号，现已改建为社区图书馆。",
    ],
    "ui_gallery_link": [
        # written here: a gallery in the story
        "展览共展出照片120张，观众可以在现场查看大图并扫码收听讲解。",
    ],
    "contribution_prompt": [
        # written here: contributions and having a say, reported
        "他有话要说：当年投稿的那篇文章，改变了他的一生。",
        "这位老人几十年来坚持向报社投稿，记录乡村的变化。",
    ],
    "dangling_heading": [
        "参考资料显示，这座古桥始建于明代，距今已有四百多年历史。",  # written here
    ],
    "related_list": [
        # chyroc/WechatSogou article_detail_backgroud-image
        "“相关报道涉及的港珠澳大桥人工岛岛头位置防波堤为特殊设计，报道为不实报道。”",
        # Gerapy/GerapyAutoExtractor netease_news1 (最新 in prose)
        "根据约翰斯·霍普金斯大学的最新数据统计，截至美东时间7月3日16时33分，美国新冠肺炎确诊病例超过278万例，为2780916例，"
        "死亡病例为129227例。新增确诊病例数较当日9时33分公布的数据增长了40563例。",
        # adbar/trafilatura tests/eval/archive.org.he.xinhuanet.com (精彩 in prose)
        "动人的故事、无价的真情、精彩的演出，让每一位观众得到了精神的洗礼、道德的升华。",
    ],
    "wechat_tail": [
        # chrislinan/cx-extractor-python RawHtml/41.html
        "事实上，从刘益谦的朋友圈看，6月30日上午9点，刘益谦在微信朋友圈已透露正式回归二级市场，甚至走进交易室亲自督阵。",
    ],
    "portal_return": [
        # lulalala/taiwanese_news_parser udn; opendatalab/magic-html article gold acce09a6
        "國光客運今天也發出2500份價值1200元的福袋，內含住宿折價券、試吃品與2張50元乘車抵用券等。因為採隨機發放，有民眾從宜蘭返回台北幸運拿到福袋，"
        "但也有人沒領到，質疑國光作法有問題。",
        "据中国科学院上海技术物理研究所研究员郑伟波介绍，目前，航天员成功开展了两次水样样品采集和1次鱼食盒更换操作，发现了斑马鱼在微重力环境下"
        "表现出腹背颠倒游泳、旋转运动、转圈等定向行为异常现象。后续科学家将利用返回的回收水样、鱼卵等样品，结合相关视频开展空间环境对脊椎动物"
        "生长发育与行为的影响研究，同时为空间密闭生态系统物质循环研究提供支撑。",
    ],
    "suicide_notice": [
        # virus-warnning/twnews chinatimes, ettoday: stories of a suicide
        "北市士林區葫蘆街一處民宅，16日下午1時48分驚傳一對97歲母親和75歲的兒子，在陽台儲物間以童軍繩綁在樑柱上吊自殺，消防局據報派出人車趕往，"
        "發現都已無呼吸心跳，但在家屬要求還是送往新光醫院及馬偕醫院急救。",
        "案經永康分局報請台南地檢署檢察官，率法醫至市立殯儀館相驗，認定死者係屬自殺行為，死者家屬並無異見，屍體由檢察官發回家屬處理。",
    ],
    "discussion_prompt": [
        # flairNLP/fundus people 2024-04-24; opendatalab/magic-html article gold 06586406
        "拉美和加勒比地区是航天领域的重要力量，中国与拉美和加勒比国家已开展长期、全面、务实的合作，涵盖了空间基础设施、深空探测与空间科学、"
        "航天产业链、外空全球治理和人才培养等多个方面。不少与会的拉美和加勒比国家代表认为，此次论坛将为促进拉中航天合作、助力拉美和加勒比地区"
        "航天发展、赓续拉中合作友谊作出积极贡献。",
        "中国环保部环境规划院副院长兼总工王金南在2017年4月23日举行的第六期钱学森论坛上表示，新区所在的白洋淀流域不仅水资源严重短缺，"
        "而且入淀河流的水污染非常严重。雄安新区的大气环境污染也十分严重。他认为环境问题是雄安新区发展所面临的最大挑战。",
    ],
    "video_player": [
        # adbar/trafilatura tests/eval/banyuetan.org; opendatalab/magic-html forum gold ad412ab2
        "“村里装了高清摄像头，小偷都不敢上门了。”南县南洲镇长胜村治安主任袁永红说，这多亏了“雪亮乡村”建设，6个摄像头就让全村关键区域治安防控无盲点。",
        "5.访客生成的短链接有效时长为24小时，如需生成长期有效短链接可以登录后生成。",
    ],
    "wechat_reward": [
        # opendatalab/magic-html article gold 5c427eeb, fd0a94a0
        "“我们去瞧瞧这个世界，”米洛斯说，虽然帕利既害羞又害怕，他却十分赞赏他的朋友的意见。在春天来临之前，当土地仍然被雪覆盖，他们出发了。",
        "苹果公司否认了政府关于 iPhone 让消费者锁定这些设备的说法。",
    ],
    "paywall_prompt": [
        # chrislinan/cx-extractor-python 37; rssant woshipm-web; PulsarRPA html-example-3; twparser cna-s2
        "公司于2013 年6 月获批准成为中国证券投资基金业协会特别会员，并于2014 年5 月4 日正式登记为私募投资基金管理人。",
        "比如用户分享报告之后可以得到优惠券、限时会员等等。",
        "按照污染者付费原则，完善垃圾处理收费制度。",
        "剩下50萬台斤提供給協會會員抽籤，中籤戶可獲得1萬5000台斤的契作收購配額。",
    ],
    "bare_number": [],  # a data table: test_data_table_keeps_its_numbers
    "injected_line": [],  # a data table: test_data_table_keeps_its_numbers
    "repeated_line": [],  # a data table: test_data_table_keeps_its_numbers
}
# Block rules over a data table are tested on a real table below.
TABLE_RULES = {"bare_number", "injected_line", "repeated_line"}


def cleaned_lines(lines: list[str], title: str | None = None) -> list[str]:
    return clean_text("\n".join(lines), title).text.split("\n")


def test_every_rule_has_real_prose():
    missing = [rule.name for rule in RULES if not REAL_PROSE.get(rule.name) and rule.name not in TABLE_RULES]
    assert not missing, f"rules without real prose that must survive them: {missing}"


CASES = [(name, sentence) for name, sentences in REAL_PROSE.items() for sentence in sentences]


@pytest.mark.parametrize(("rule", "sentence"), CASES, ids=[f"{name}-{i}" for i, (name, _) in enumerate(CASES)])
def test_real_prose_survives_every_rule(rule: str, sentence: str):
    # at the end of the text (where tail rules cut) and between two paragraphs (line rules)
    assert cleaned_lines([*LEAD, sentence])[-1] == sentence
    assert sentence in cleaned_lines([LEAD[0], sentence, LEAD[1]])
    assert not removals_by_rule("\n".join([*LEAD, sentence]))


# A data table from a real page (opendatalab/magic-html article 06586406, 雄安新区), one cell per
# line as extraction gives it: every number, and the repeated name, are article text.
XIONGAN_TABLE = ["行政区划", "面积 （平方公里）", "人口 （万人）", "生产总值 （亿人民币）[69][70]", "雄安新区", "1770", "120.54",
                 "218.36", "保定市", "安新县[71]", "724", "45.37", "57.82", "雄县[72]", "513", "47.86", "101.14", "容城县[73]",
                 "314", "27.32", "59.4"]


def test_data_table_keeps_its_numbers():
    lines = cleaned_lines([*LEAD, *XIONGAN_TABLE, LEAD[0][:40] + "。"])
    assert lines[2:2 + len(XIONGAN_TABLE)] == XIONGAN_TABLE
    # a value repeated in many rows is a table's, not an injected line
    rows = ["城市", "达标", "天数", "甲市", "是", "300", "乙市", "是", "310", "丙市", "是", "295"]
    assert cleaned_lines([*LEAD, *rows]) == [*LEAD, *rows]
    # a counter alone between paragraphs still goes
    assert cleaned_lines([LEAD[0], "12", LEAD[1]]) == LEAD


# An economic calendar from a real page (ccprocessor MinerU-webkit's html-text page), one cell per line:
# the time column, repeated countries and rows, and row labels longer than a short cell.
CALENDAR_TABLE = ["时间", "国家", "事件", "完成值", "预测值", "前值",
                  "22:00", "美国", "美国营运库存月率(%)(月度)(八月)", "0.3%", "-5.5%", "0.4%",
                  "20:30", "加拿大", "加拿大海外投资者净买入加拿大证券(加元)(八月)", "15.50B", "-8.49B",
                  *["01:00", "巴西", "巴西中央银行经济活动指数(IBC-Br)(%)(八月)", "1.06%", "2.15%", "1.60%"] * 3,
                  "00:00", "欧元区", "欧洲央行行长拉加德(ChristineLagarde)讲话"]


def test_a_calendar_table_keeps_its_times_and_repeated_rows():
    assert cleaned_lines([*LEAD, *CALENDAR_TABLE]) == [*LEAD, *CALENDAR_TABLE]
    # a related list's headlines with their dates and times are no table
    related = ["中共中央政治局召开会议审议报告-2020年10月16日新闻联播", "2020-10-16", "22:15",
               "美国四周期国债拍卖-2020年10月15日全球经济日历", "2020-10-15", "21:00"]
    lines = cleaned_lines([*LEAD, *related])
    assert not {"2020-10-16", "22:15", "2020-10-15", "21:00"} & set(lines)


# opendatalab/magic-html article 66211fc4 (a technical post): numbered section headings and
# the lines of its shell scripts recur in every section, and are all article text.
DOCKER_POST = ["一、部署Apollo", "1、docker脚本", "docker run -p 28080:8080 \\", "--init \\",
               "-v /etc/localtime:/etc/localtime:ro \\", "-e ENV=dev \\", "sleep 30s",
               "docker run -p 28090:8090 \\", "--init \\", "-v /etc/localtime:/etc/localtime:ro \\", "-e ENV=dev \\",
               "sleep 30s", "2、podman脚本", "-v /etc/localtime:/etc/localtime:ro \\", "-e ENV=dev \\", "sleep 30s",
               "二、部署kafka", "1、docker脚本", "sleep 5s", "2、podman脚本", "sleep 5s", "三、部署prometheus", "1、docker脚本"]


def test_code_lines_and_numbered_headings_that_recur_stay():
    assert cleaned_lines([*LEAD, *DOCKER_POST]) == [*LEAD, *DOCKER_POST]
    # a caption repeated after its photo still goes once, a slogan after every photo always
    caption = "捷途汽车直播出现不雅画面。"
    assert cleaned_lines([LEAD[0], caption, LEAD[1], caption]) == [LEAD[0], caption, LEAD[1]]
    slogan = "更多精彩请关注本站"
    assert cleaned_lines([LEAD[0], slogan, LEAD[1], slogan, LEAD[0][:30] + "。", slogan]) == [
        LEAD[0], LEAD[1], LEAD[0][:30] + "。"]


def test_qr_code_and_account_mentions_in_the_story_stay():
    story = ["阜阳市人民政府新闻办公室通报，5月13日上午，中国慈善家杂志微信公众号发布《调查|20只东北虎之死》一文。",  # magic-html
             # written here: a scan reported, not asked for
             "市民可通过扫描二维码举报有关设施的案件。", "记者扫描二维码后发现，页面跳转到了一个仿冒的网站。"]
    assert cleaned_lines([*LEAD, *story]) == [*LEAD, *story]
    # the page's own prompts after the story go (chyroc/WechatSogou, chrislinan RawHtml/3.html),
    # and WeChat's notice about its reward button (bench/real's gold lists it as noise)
    prompts = ["如你觉得文章不错，请识别图中二维码关注，并推荐给你的朋友，感谢你的分享，2018年请给自己一份惊喜。",
               "受苹果公司新规定影响，微信 iOS 版的赞赏功能被关闭，可通过二维码转账支持公众号。",
               "- 在这读懂中国商业 扫描左侧二维码即可添加网易商业易信公众号，更多资讯。"]
    assert cleaned_lines([*LEAD, *story, *prompts]) == [*LEAD, *story]


@pytest.mark.parametrize("heading", ["最新进展", "精彩瞬间", "今日议程", "四、相关命令汇总", "相关报道"])
def test_a_subheading_does_not_cut_the_article(heading: str):
    # chyroc/WechatSogou article_detail_mpvoice: 今日议程 over the day's agenda
    after = ("十三届全国人大一次会议举行第七次全体会议，决定国务院副总理、国务委员、各部部长、各委员会主任、中国人民银行行长、审计长、秘书长的人选。")
    assert cleaned_lines([*LEAD, heading, after]) == [*LEAD, heading, after]
    # a list heading followed by headlines still ends the article
    headlines = ["普高投档线出现错误，娄底教育局凌晨致歉", "特朗普威胁封杀微信后美民众去下载QQ了"]
    assert cleaned_lines([*LEAD, "相关新闻", *headlines]) == LEAD


def test_licence_and_copyright_words_inside_sentences_do_not_cut_the_tail():
    sentences = REAL_PROSE["footer"]
    assert cleaned_lines([*LEAD, *sentences]) == [*LEAD, *sentences]
    # the footer itself still goes (AndyTheFactory/newspaper4k chinese_article_001, adbar/htmldate 1564888577)
    footer = ["互联网新闻信息服务许可证10120170006", "版權所有 不得轉載 © 2020 The Liberty Times. All Rights Reserved."]
    assert cleaned_lines([*LEAD, *sentences, *footer]) == [*LEAD, *sentences]


def test_a_camel_case_domain_keeps_the_words_before_it():
    line = "他把视频上传到YouTube.com，一周内播放量超过了十万次。"  # written here
    assert cleaned_lines([*LEAD, line])[-1] == line
    assert cleaned_lines([*LEAD, "休闲区蓝鸢梦想 - Www.slyday.coM 自治区应急管理厅部分下派干部。"])[-1] == "自治区应急管理厅部分下派干部。"


# A 1,100-character article beside 150 navigation links: the article is the page's, not an index.
ARTICLE_PARAGRAPHS = [*LEAD, *REAL_PROSE["footer"][:3], *REAL_PROSE["timestamp_line"], *REAL_PROSE["follow_us"],
                      *REAL_PROSE["account_prompt"], REAL_PROSE["promotion_click_follow"][0],
                      REAL_PROSE["promotion_fan_page"][0], *REAL_PROSE["promotion_more_news"][::-1]]


def _article_beside_navigation() -> str:
    body = "".join(f"<p>{paragraph}</p>" for paragraph in ARTICLE_PARAGRAPHS)
    links = "".join(f'<li><a href="/channel/{i}.html">频道导航{i:03d}栏目</a></li>' for i in range(150))
    return (f"<html><head><title>示例</title></head><body><ul>{links}</ul>"
            f"<div class=\"article\"><h1>示例标题</h1>{body}</div></body></html>")


def test_an_article_beside_many_navigation_links_is_not_an_index_page():
    from tasks.extract import extract_one
    from tasks.models import DecodedPage, ExtractedPage

    assert 1100 <= sum(map(len, ARTICLE_PARAGRAPHS)) <= 1400
    page = DecodedPage("file:///article.html", "html", _article_beside_navigation(), "utf-8", 0, "h")
    result = extract_one(page)
    assert isinstance(result, ExtractedPage), getattr(result, "reason", result)

"""One test per cleaning rule, named test_rule_<rule name>: each shows the noise going and
the article text around it staying. test_every_rule_has_a_test keeps it that way."""
from __future__ import annotations

from tasks.cleaning.engine import apply_rule
from tasks.cleaning.order import RULES
from tasks.cleaning.rule import CleanContext

# Article sentences the rules must leave alone (a miss here costs recall).
PROSE = "新冠肺炎疫情发生后，社区工作人员第一时间组织党员志愿者上门服务，为居民配送生活物资。"
PROSE_2 = "截至目前，全区已完成42个老旧小区改造，惠及居民1.3万户，群众满意度达到百分之九十五。"


def run_rule(name: str, text: str, title: str | None = None) -> tuple[str, dict[str, int], CleanContext]:
    rule = next(r for r in RULES if r.name == name)
    context = CleanContext(title=title)
    removed: dict[str, int] = {}
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    return "\n".join(apply_rule(rule, lines, context, removed)), removed, context


def test_every_rule_has_a_test():
    missing = [rule.name for rule in RULES if f"test_rule_{rule.name}" not in globals()]
    assert not missing, f"rules without a test: {missing}"


def gbk_read_one_byte_off(original: str, at: str) -> str:
    """What a GBK decoder shows when the lead byte of `at` is lost."""
    data = original.encode("gbk")
    index = data.index(at.encode("gbk"))
    return data[:index].decode("gbk") + "?" + data[index + 1:].decode("gbk", errors="replace").replace("\ufffd", "?")


def test_rule_mojibake_gbk_shift():
    original = "大家都說。“雖然辛苦，但很值得。”他笑著說。"
    garbled = gbk_read_one_byte_off(original, "。“")
    assert garbled != original and "?" in garbled
    text, removed, _ = run_rule("mojibake_gbk_shift", garbled)
    assert text == original
    assert removed["mojibake_gbk_shift"] > 0
    # The seed's two forms: width already narrowed (！→!, Ｌ→L), resynced by a lone letter.
    assert run_rule("mojibake_gbk_shift", "民意收集?!半m然每天都很累")[0] == "民意收集。“雖然每天都很累"
    assert run_rule("mojibake_gbk_shift", "熠熠生輝?!薄昂L墓芗摇秉h員護衛隊")[0] == "熠熠生輝。”“海棠管家”黨員護衛隊"
    # Bytes that do not line up: the broken run goes (and is counted), the rest stays.
    text, removed, _ = run_rule("mojibake_gbk_shift", "我覺得很開心?!?朱澤洲說")
    assert text == "我覺得很開心。朱澤洲說" and removed["mojibake_gbk_shift"] == 2  # 3 garbled, 1 restored
    # A real question mark is left alone.
    for clean in ("誰可以來?”“我可以”", "你好吗?我是A级学生", PROSE):
        assert run_rule("mojibake_gbk_shift", clean)[0] == clean


def test_rule_mojibake_copyright():
    assert run_rule("mojibake_copyright", "? 2014-2025 上海东方报业有限公司")[0] == "© 2014-2025 上海东方报业有限公司"
    assert run_rule("mojibake_copyright", "为什么?2014年他离开了")[0] == "为什么?2014年他离开了"


def test_rule_html_tag():
    text = run_rule("html_tag", '他说。<span style="margin: 0px; text-indent: 32px;">朱澤洲質樸的話語</span><br/>')[0]
    assert text == "他说。朱澤洲質樸的話語"
    # The '<' lost to mojibake: the rest of the tag still goes.
    assert run_rule("html_tag", '很開心。span style="margin: 0px;">朱澤洲')[0] == "很開心。朱澤洲"
    assert run_rule("html_tag", "气温<30度时，a>b")[0] == "气温<30度时，a>b"


def test_rule_html_entity():
    assert run_rule("html_entity", "&ldquo;你好&rdquo;&nbsp;世界&#12290;")[0] == "“你好” 世界。"
    assert run_rule("html_entity", "A&B公司")[0] == "A&B公司"


def test_rule_invisible_char():
    # twparser liberty-times-news-s2 and newspaper4k's chinese article carry BOMs in the text;
    # newsdiff's TVBS headline opens with a zero-width space
    text, removed, _ = run_rule("invisible_char", "\u200b《食尚玩家》前進南美\ufeff印加帝國，秘\u2060魯五部\u00ad曲。")
    assert text == "《食尚玩家》前進南美印加帝國，秘魯五部曲。" and removed["invisible_char"] == 4
    # a zero-width joiner holds an emoji sequence together: it stays
    assert run_rule("invisible_char", "全家福👨\u200d👩\u200d👧合影。")[0] == "全家福👨\u200d👩\u200d👧合影。"


def test_rule_pinyin_annotation():
    text, removed, _ = run_rule("pinyin_annotation", "充分發(fā)揮基層黨組織戰(zhàn)斗堡壘作用，社區(qū)防控")
    assert text == "充分發揮基層黨組織戰斗堡壘作用，社區防控"
    assert removed["pinyin_annotation"] == len("(fā)(zhàn)(qū)")
    for clean in ("使用全球定位系统(GPS)导航", "中国(China)", "（完）"):
        assert run_rule("pinyin_annotation", clean)[0] == clean


def test_rule_spam_domain():
    line = "休闲区蓝鸢梦想 - Www.slyday.coM 自治区应急管理厅部分下派干部。"
    assert run_rule("spam_domain", line)[0] == "自治区应急管理厅部分下派干部。"
    assert run_rule("spam_domain", "“好战友”某某资讯站 - wWw.AbcNews.cOm 图为现场")[0] == "“好战友”图为现场"
    for clean in ("详情请登录www.gov.cn查询。", "访问Baidu.com搜索", "网址为https://www.people.com.cn/"):
        assert run_rule("spam_domain", clean)[0] == clean


def test_rule_share_widget():
    noise = ["- +1", "分享到:", "分享到： 微信 微博 QQ空间", "微信扫一扫", "【字号 大 中 小】", "点赞 12 收藏 转发", "[打印] [关闭]",
             "举报/反馈", "点击右上角“...”分享到朋友圈", "转播到腾讯微博", "分享至：", "欢迎分享到朋友圈~"]
    text, removed, _ = run_rule("share_widget", "\n".join([PROSE, *noise, PROSE_2]))
    assert text == f"{PROSE}\n{PROSE_2}"
    assert removed["share_widget"] == sum(map(len, noise))
    assert run_rule("share_widget", "大家纷纷点赞，收藏并转发了这条视频。")[0] == "大家纷纷点赞，收藏并转发了这条视频。"
    keep = "转播到全国的信号中断了三分钟。"  # a sentence that opens with the verb
    assert run_rule("share_widget", keep)[0] == keep


def test_rule_closing_mark():
    noise = ["(完)", "（完）", "【纠错】", "【糾錯】 【責任編輯:王丹】", "- END -"]
    assert run_rule("closing_mark", "\n".join([PROSE, *noise]))[0] == PROSE
    for keep in ("完成了全部任务。", "纠错机制不断完善"):
        assert run_rule("closing_mark", keep)[0] == keep


def test_rule_agency_mark():
    assert run_rule("agency_mark", f"{PROSE}\n（中央社）\n（央视新闻客户端）\n（中安在线）")[0] == PROSE
    keep = "（中央社记者王小明台北3日电）行政院今天通过预算案。"
    assert run_rule("agency_mark", keep)[0] == keep


def test_rule_repost_note():
    assert run_rule("repost_note", f"{PROSE}\n（本文来自澎湃新闻）")[0] == PROSE
    keep = "（本文来自澎湃新闻）后面的话，他说得很清楚。我们要相信群众。"
    assert run_rule("repost_note", f"{PROSE}\n{keep}")[0] == f"{PROSE}\n{keep}"


def test_rule_original_title():
    noise = ["原标题：城东启动老旧小区改造", "（原标题：美国新冠肺炎确诊病例超过278万例）", "原题为：某某标题", "【原標題：某某標題】"]
    assert run_rule("original_title", "\n".join([PROSE, *noise]))[0] == PROSE
    keep = "原标题为《城东启动改造》的报道发表后，引起了读者的广泛讨论。"
    assert run_rule("original_title", keep)[0] == keep


def test_rule_original_title_note():
    assert run_rule("original_title_note", f"{PROSE}（原标题：城东启动老旧小区改造）")[0] == PROSE
    assert run_rule("original_title_note", f"{PROSE}(原题为：城东启动改造)")[0] == PROSE
    keep = "他说（原标题是他起的），这篇稿子改了三遍。"
    assert run_rule("original_title_note", keep)[0] == keep


def test_rule_editor_mark():
    noise = ["责任编辑:张三", "（责任编辑：李四）", "校对 王五", "本版责编:程远   版式设计:孟可", "编辑 孙七", "文字：赵六",
             "海报：周八", "剪辑 孙七", "【責任編輯:王丹】", "责编 | 刘某某", "编辑丨张三", "审核：李四、王五",
             "编辑 周褶褶 ｜ 排版 魏蔚", "责任编辑：", "校对:陈一 审核:刘二 签发:张三", "编辑/倪家宁",
             # a credit block: roles and names spaced to align (opendatalab/magic-html article 8f8e788c)
             "总监制：邹 明", "监 制：高明勇", "审 读：崔向升",
             # in brackets with the editor's contacts (21cn-highway.com)
             "【编辑：王珏 QQ：1485994861；TEL：13810405128/010-84990788—1369】",
             # a contributor, a photographer and an editor on one line (dlde's bit.edu.cn page)
             "供稿：设计艺术学院 张帆\u3000摄影：郑泽铭 编辑：新闻中心 段炼",
             # bars between roles and names, several credits on a line (chyroc/WechatSogou mpvoice)
             "编辑|张维纳 语音|徐佳 剪辑|李春 制图|张莉 校读|刘永杰",
             # a programme's credit, names joined by a space after ︱ (mozilla/readability gmw)
             "出品︱网易科学人栏目组 胖胖",
             # who gave the material (python3_spider's csdn-news-article)
             "素材提供 | 华为", "图片提供：受访者",
             # a photo-and-text credit (ETtoday, found by a helper)
             "圖文／CTWANT"]
    text = run_rule("editor_mark", "\n".join([PROSE, *noise]))[0]
    assert text == PROSE
    for keep in ("审核通过后即可办理", "校对工作十分繁重", "文字和图片记录了这座城市的变迁。", "编辑部的同事们都很高兴。",
                 "审核 通过率达到百分之九十。", "语音识别技术已经相当成熟。", "监制这部电影花了他整整三年。",
                 "总监制是整部片子的灵魂人物，他说。", "素材提供方式由双方另行约定。",
                 "图文并茂的报道更受读者欢迎。"):
        assert run_rule("editor_mark", keep)[0] == keep


def test_rule_editor_credit():
    assert run_rule("editor_credit", f"{PROSE}（编辑：张三）")[0] == PROSE
    # a dispatch code after the credit (中央社: ROC year, month, day) goes with it
    assert run_rule("editor_credit", "農委會要盡全力解決問題。（編輯：蘇龍麒）1120221")[0] == "農委會要盡全力解決問題。"
    keep = "他说（编辑：我们再核实一下），稿子明天发。"
    assert run_rule("editor_credit", keep)[0] == keep


def run_rules(names: list[str], text: str) -> str:
    """Several rules in their declared order."""
    context, removed = CleanContext(), {}
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    for rule in RULES:
        if rule.name in names:
            lines = apply_rule(rule, lines, context, removed)
    return "\n".join(lines)


UI_CONTROLS = [rule.name for rule in RULES if rule.name.startswith("ui_")]
UI_KEEP = ("登录人数创新高。", "新闻发布会上，他介绍了推广新能源汽车的具体措施。", "活动时间为每天9:00至17:00。")


def test_ui_controls_together():
    noise = ["显示", "忘记密码?", "获取验证码", "Close", "登录", "请输入手机号", "加载更多", "原创", "发表于江苏", "IP属地：北京",
             "返回搜狐，查看更多", "▍", "只看该作者", "客户端下载", "本文共1234字，阅读约需3分钟", "阅读 5177", "在看",
             "00:00 / 03:21", "播放", "（广告）", "推广"]
    assert run_rules(UI_CONTROLS, "\n".join([PROSE, *noise])) == PROSE
    for keep in UI_KEEP:
        assert run_rules(UI_CONTROLS, keep) == keep


def check_ui_control(name: str, noise: list[str]) -> None:
    text, removed, _ = run_rule(name, "\n".join([PROSE, *noise, PROSE_2]))
    assert text == f"{PROSE}\n{PROSE_2}" and removed[name] == sum(map(len, noise))
    for keep in UI_KEEP:
        assert run_rule(name, keep)[0] == keep


def test_rule_ui_form():
    check_ui_control("ui_form", ["显示", "忘记密码?", "获取验证码", "Close", "登录", "请输入手机号"])


def test_rule_ui_more_link():
    check_ui_control("ui_more_link", ["加载更多", "返回搜狐，查看更多"])


def test_rule_ui_comment_link():
    check_ui_control("ui_comment_link", ["在看", "我要留言", "12条评论"])


def test_rule_ui_app_link():
    check_ui_control("ui_app_link", ["客户端下载", "手机版"])


def test_rule_ui_gallery_link():
    # rcy17/newsExtraction NetEase pages
    check_ui_control("ui_gallery_link", ["详情请戳下方图集", "1119张高清大图|查看车型配置", "点击查看大图"])


def test_rule_ui_pager():
    check_ui_control("ui_pager", ["上一页", "1 2 3 下一页", "本页共3页"])


def test_rule_ui_label():
    check_ui_control("ui_label", ["原创", "（广告）", "推广"])


def test_rule_ui_player_control():
    check_ui_control("ui_player_control", ["00:00 / 03:21", "播放"])


def test_rule_ui_post_info():
    check_ui_control("ui_post_info", ["发表于江苏", "IP属地：北京", "只看该作者", "本文共1234字，阅读约需3分钟", "阅读 5177"])


def test_rule_ui_reward():
    # Zhihu answers' reward box (opendatalab/magic-html forum a4c329f2)
    check_ui_control("ui_reward", ["真诚赞赏，手留余香", "还没有人赞赏，快来当第一个赞赏的人吧！", "赞赏支持", "12 人已赞赏"])


def test_rule_ui_symbols():
    check_ui_control("ui_symbols", ["▍", ">>"])


def test_rule_timestamp_line():
    noise = ["- 2022-02-22 17:33:03", "2022年2月22日", "(2023-04-18)"]
    assert run_rule("timestamp_line", "\n".join([PROSE, *noise]))[0] == PROSE
    keep = "2022年2月22日，会议在北京召开。"
    assert run_rule("timestamp_line", keep)[0] == keep
    # a notice's date under the body that issued it is the document's
    signed = f"{PROSE}\n某某市新冠肺炎疫情防控总指挥部\n2022年9月16日"
    assert run_rule("timestamp_line", signed)[0] == signed
    # a time that is a cell of a data table (a timetable's first column) is the table's
    timetable = f"{PROSE}\n" + "\n".join(["时间", "车次", "到站", "08:30", "G101", "上海虹桥", "09:15", "G103", "南京南", "10:00", "G105", "杭州东"])
    assert run_rule("timestamp_line", timetable)[0] == timetable


def test_rule_list_label():
    assert run_rule("list_label", f"{PROSE}\n- 熱點\n- 视频\n【热门】")[0] == PROSE
    assert run_rule("list_label", "熱點新聞很多。")[0] == "熱點新聞很多。"


def test_rule_related_item():
    noise = ["- 五一假期高速免费通行时间公布 2023-04-18", "• 全市港口吞吐量创新高 [2023-04-21 08:05]", "- 梅雨季到来 05-25",
             "- 证监会：将相应减少IPO发行家数及筹资金额 评论8032条"]
    assert run_rule("related_item", "\n".join([PROSE, *noise]))[0] == PROSE
    for keep in ("- 完成改造42个小区，惠及居民1.3万户", "- 报名截止时间：2024年5月20日", "- 活动时间为2024年5月1日至2024年5月5日"):
        assert run_rule("related_item", keep)[0] == keep


def test_rule_metadata_line():
    text, removed, context = run_rule(
        "metadata_line", f"时间: 2022-12-01 来源: 重庆法治报 编辑: 万 先觉 阅读量:14958\n{PROSE}")
    assert text == PROSE
    assert context.found.published_at == "2022-12-01" and context.found.source == "重庆法治报"
    text, _, context = run_rule(
        "metadata_line", f"2023-04-18 10:25:13 来源：江南日报 作者：记者 王喆 通讯员 李堃 字号：大 中 小\n{PROSE}")
    assert text == PROSE
    assert context.found.published_at == "2023-04-18T10:25:13+08:00"
    assert context.found.source == "江南日报" and context.found.author == "王喆"
    # An update time under the headline (virus-warnning/twnews cna); the words in a sentence stay.
    text, _, context = run_rule("metadata_line", f"最新更新：2016/03/19 10:48\n{PROSE}")
    assert text == PROSE and context.found.published_at == "2016-03-19T10:48:00+08:00"
    assert run_rule("metadata_line", "最新更新的数据显示，全市新增就业岗位1.2万个。")[0] == "最新更新的数据显示，全市新增就业岗位1.2万个。"
    # A bare date far from the headline (a related list) leaves the text but not as the date.
    _, _, context = run_rule("metadata_line", "\n".join([PROSE] * 7 + ["2022-02-22 17:33:03"]))
    assert context.found.published_at is None
    for keep in ("记者：你怎么看这个问题？", "来源于群众的智慧，也要回到群众中去，这是我们一贯的做法。"):
        assert run_rule("metadata_line", keep)[0] == keep
    # a photo caption that opens with a date is article text, by the headline too
    # (opendatalab/magic-html article 06586406)
    caption = "2020年12月27日投入使用的雄安站"
    assert run_rule("metadata_line", f"{caption}\n{PROSE}")[0] == f"{caption}\n{PROSE}"
    # a bar glued to the source or author key (chyroc/WechatSogou mpvoice, mozilla/readability gmw)
    text, _, context = run_rule("metadata_line", f"{PROSE}\n来源|长江日报及新华社、人民日报、央视新闻等\n作者︱春春")
    assert text == PROSE
    assert context.found.source == "长江日报及新华社、人民日报、央视新闻等" and context.found.author == "春春"
    # ... but not to other keys, which open column headings
    for keep in ("评论丨城市更新不能一刀切", "设计丨城市"):
        assert run_rule("metadata_line", keep)[0] == keep
    # a notice's signing date under the body that issued it is the notice's text; under
    # anything else a bare date far from the headline goes
    signed = "\n".join([PROSE] * 7 + ["某某市人民政府办公室", "2023年5月10日"])
    assert run_rule("metadata_line", signed)[0] == signed
    assert run_rule("metadata_line", "\n".join([PROSE] * 7 + ["相关新闻", "2023年5月10日"]))[0].endswith("相关新闻")


def test_rule_dateline_is_no_related_lists_heading():
    # 【某某日报专讯】 is a dateline; 【相关报道】 heads a related list (Htmlspider's 163.com page)
    assert run_rule("dateline", f"{PROSE}\n【相关报道】\n某某标题")[0] == f"{PROSE}\n【相关报道】\n某某标题"


def test_rule_byline():
    text, _, context = run_rule("byline", f"{PROSE}\n通讯员 张礴 记者 张柳妞")
    assert text == PROSE and context.found.author == "张柳妞"
    text, _, context = run_rule("byline", "(記者:馮曉玲)“我志願加入中國共產黨。”這不是口號")
    assert text == "“我志願加入中國共產黨。”這不是口號" and context.found.author == "馮曉玲"
    text, _, context = run_rule("byline", f"{PROSE}\n整理 交匯點記者 林元沁")
    assert text == PROSE and context.found.author == "林元沁"
    text, _, context = run_rule("byline", f"文丨政能亮特约评论员 韩涵\n{PROSE}")  # opendatalab/magic-html 8f8e788c
    assert text == PROSE and context.found.author == "韩涵"
    text, _, context = run_rule("byline", f"{PROSE}\n作者︱春春")
    assert text == PROSE and context.found.author == "春春"
    # Hong Kong papers' end credits (a bullet, the ︰ colon, the page's designer), a desk with a
    # Latin acronym (hknews' appledaily and skypost pages, cnbetarss' 搜狐IT story)
    for credit, author in (("■记者蔡少玲", "蔡少玲"), ("记者︰脱芷晴", "脱芷晴"), ("美术：陈超雄", "陈超雄"), ("文/搜狐IT", "搜狐IT")):
        text, _, context = run_rule("byline", f"{PROSE}\n{credit}")
        assert text == PROSE and context.found.author == author, credit
    # after a dateline the byline is part of it and stays (the author is still read)
    keep = "本报讯（记者叶婉）近日，“心成长”青少年心理健康服务项目在北京市青年宫正式启动。"
    text, _, context = run_rule("byline", keep)
    assert text == keep and context.found.author == "叶婉"
    keep = "记者了解到，该项目已经完工。"
    assert run_rule("byline", keep)[0] == keep
    keep = "评论员认为，这一政策将惠及更多中小企业。"
    assert run_rule("byline", keep)[0] == keep


def test_rule_footer():
    footer = ["- 報料熱線: 021-962866", "互聯網新聞信息服務許可證:31120170006", "? 2014-2025 上海東方報業有限公司",
              "渝公网安备50011202500163号 渝ICP备15010797号", "Broadcasting Corporation of China. All Rights Reserved."]
    text, removed, _ = run_rule("footer", "\n".join([PROSE, PROSE_2, *footer]))
    assert text == f"{PROSE}\n{PROSE_2}"
    assert removed["footer"] == sum(map(len, footer))
    # A disclaimer line in the middle, with article text after it: only that line goes.
    # Hotlines and licences an article mentions are not its footer.
    for prose in ("居民发现电梯存在安全隐患，可拨打市场监管部门的举报电话12315反映。",
                  "这家餐馆去年取得了食品经营许可证，如今生意红火。", "他说：“这仅代表我个人的观点。”"):
        assert run_rule("footer", "\n".join([PROSE, PROSE_2, prose]))[0] == "\n".join([PROSE, PROSE_2, prose])
    for notice in ("特别提示：如内容、图片有任何版权问题，请联系我们删除。", "投稿邮箱：news@example.cn", "新闻热线：0551-12345678",
                   # omnivore-app/omnivore ahhhhfs.com, as a list item
                   "- 本站所有资源文章出自互联网收集整理，本站不参与制作，如果侵犯了您的合法权益，请联系本站我们会及时删除。",
                   # htmlgtmk's Sina page (a Qutoutiao post)
                   "注：文章内容真实性已证实，图片来自网络，我爱趣头条！",
                   # a PTT post's signature, its readers' replies after it (go-ptt-web-craweler)
                   "※ 發信站: 批踢踢實業坊(ptt.cc), 來自: 223.137.155.254"):
        assert run_rule("footer", "\n".join([PROSE, PROSE_2, notice]))[0] == f"{PROSE}\n{PROSE_2}", notice
    statement = "特别声明：以上内容为自媒体平台用户上传并发布，本平台仅提供信息存储服务。"
    assert run_rule("footer", "\n".join([PROSE, PROSE_2, statement]))[0] == f"{PROSE}\n{PROSE_2}"
    # A site's own statement about what it reposts goes; a statement the news reports stays.
    reposted = "某某网声明：此消息系转载自合作媒体，本网登载此文出于传递更多信息之目的，并不意味着赞同其观点。"
    assert run_rule("footer", "\n".join([PROSE, PROSE_2, reposted]))[0] == f"{PROSE}\n{PROSE_2}"
    # an event's organisers are the article's; a site's sponsor line with its other items is the footer
    organisers = ["主办单位：某某市文化和旅游局", "承办单位：某某市图书馆"]
    assert run_rule("footer", "\n".join([PROSE, PROSE_2, *organisers]))[0] == "\n".join([PROSE, PROSE_2, *organisers])
    sponsor = "主办：某某市人民政府办公室 承办：某某市大数据中心 地址：某某路1号"
    assert run_rule("footer", "\n".join([PROSE, PROSE_2, sponsor]))[0] == f"{PROSE}\n{PROSE_2}"
    reported = "外交部声明：中方对此表示强烈不满，已向有关方面提出严正交涉。"
    assert run_rule("footer", "\n".join([PROSE, PROSE_2, reported]))[0] == "\n".join([PROSE, PROSE_2, reported])
    disclaimer = "本文仅代表作者观点，不代表本站立场。"
    after = [PROSE_2 + "又", PROSE + "再", PROSE_2 + "三", PROSE + "四"]
    text = run_rule("footer", "\n".join([PROSE, PROSE_2, disclaimer, *after]))[0]
    assert disclaimer not in text and PROSE_2 in text and PROSE + "再" in text


def test_rule_navigation_tail():
    tail = ["上一篇：全市港口吞吐量创新高", "下一篇：梅雨季到来", "友情链接:", "PHPCMSX", "返回顶部"]
    assert run_rule("navigation_tail", "\n".join([PROSE, PROSE_2, *tail]))[0] == f"{PROSE}\n{PROSE_2}"
    # every form of previous/next (adbar/htmldate 1500260110, mozilla/readability pixnet)
    for marker in ("上一則：騎馬這麼久……其實你的鞍子可能都放錯位置了", "下一则：奔波180里后仅得15+13！詹姆斯29连胜被终结",
                   "【上一条】某某标题", "上一篇文章與下一篇文章", "下一條 某某标题"):
        assert run_rule("navigation_tail", "\n".join([PROSE, PROSE_2, marker, "某某标题"]))[0] == f"{PROSE}\n{PROSE_2}", marker
    # prose that opens with the words, without a separator, stays
    for keep in ("上一篇文章中，我们介绍了如何在服务器上安装数据库。", "下一条地铁线路将于明年年底开通运营。"):
        assert run_rule("navigation_tail", "\n".join([PROSE, PROSE_2, keep]))[0] == f"{PROSE}\n{PROSE_2}\n{keep}"
    # Before any article text a marker does not cut (a page may start with navigation).
    text = run_rule("navigation_tail", "\n".join(["返回首页", PROSE]))[0]
    assert PROSE in text


def test_rule_dangling_heading():
    # a blog post's references, its links dropped (moeyua.github.io): the heading heads nothing
    assert run_rule("dangling_heading", "\n".join([PROSE, PROSE_2, "参考资料"]))[0] == f"{PROSE}\n{PROSE_2}"
    # with its items under it (a Jianshu post's 参考文献), it stays
    cited = "\n".join([PROSE, "参考文献", "[1] Baron Scbwartz等 著；高性能MySQL；电子工业出版社，2010"])
    assert run_rule("dangling_heading", cited)[0] == cited


def test_rule_related_list():
    tail = ["相关推荐", "五一假期高速免费通行时间公布", "全市港口吞吐量创新高"]
    assert run_rule("related_list", "\n".join([PROSE, PROSE_2, *tail]))[0] == f"{PROSE}\n{PROSE_2}"
    # items with a summary each (Htmlspider's money.163.com page): headline, paragraph, …
    items = ["【相关报道】", "统计局局长：GDP增长6.9%已不低 全世界名列前茅",
             "王保安在回答关于GDP增速回落的问题时称，2015年的6.9%，首先，判断这个速度的表现要全面看，是在什么样的情况下取得的。",
             "12月规模工业增加值同比增5.9% 去年全年增6.1%",
             "2015年12月份，规模以上工业增加值同比实际增长5.9%，比11月份回落0.3个百分点，全年增长6.1%。",
             "2015年，全国固定资产投资551590亿元，比上年名义增长10%，扣除价格因素，实际增长12%。"]
    assert run_rule("related_list", "\n".join([PROSE, PROSE_2, *items]))[0] == f"{PROSE}\n{PROSE_2}"
    # the article's own text under such a heading runs on in paragraphs: only the heading goes
    own = ["相关新闻", "市场反应",
           "消息公布后，沪深两市高开高走，成交额较前一交易日放大两成，券商、基建和消费板块领涨，北向资金全天净买入超过六十亿元。",
           "分析人士认为，数据好于预期，短期内市场情绪有望继续回暖，但仍需关注海外市场的波动和国内政策的落实节奏，不宜过度乐观。",
           "另据报道，有关部门表示将继续跟进政策落实情况，适时出台稳增长的配套措施，确保全年经济社会发展目标任务顺利完成。"]
    assert run_rule("related_list", "\n".join([PROSE, PROSE_2, *own]))[0].endswith(own[-1])
    for heading in ("相關文章:", "【热点推荐】", "猜你喜欢", "24小时热文", "【相关阅读】某某标题", "重点推荐", "48小时评论排行",
                    "【熱門點閱】", "热门问答 更多>>", "作者的其他文章", "关于作者", "※你可能還想看：", "你可能也想看",
                    # a named author's recent posts (rssant haibaomanhua-web, a Douban diary)
                    "王xx的最新日记 · · · · · · ( 全部 )", "李四的最新作品（全部）"):
        assert run_rule("related_list", "\n".join([PROSE, PROSE_2, heading, "某某标题"]))[0] == f"{PROSE}\n{PROSE_2}"
    keep = "相关部门表示，将加快推进铁水联运通道建设。"
    assert keep in run_rule("related_list", "\n".join([PROSE, PROSE_2, keep]))[0]
    keep = "他的最新文章发表在《人民日报》上，引起了广泛讨论。"
    assert keep in run_rule("related_list", "\n".join([PROSE, PROSE_2, keep]))[0]
    # a list's heading under a story of one short line still heads a list (the Douban diary
    # itself: 新年快乐呀大家！ over 王xx的最新日记 and its items)
    items = ["- 海牛漫画｜何德何能 (53人喜欢)", "- 海豹漫画｜跨年夜生活 (67人喜欢)"]
    assert run_rule("related_list", "\n".join(["新年快乐呀大家！", "王xx的最新日记 · · · · · · ( 全部 )", *items]))[0] == "新年快乐呀大家！"
    # but over a paragraph it is the short story's subheading, and above everything it stays
    short = ["今日快讯", "相关新闻", "消息公布后，沪深两市高开高走，成交额较前一交易日放大两成，券商、基建和消费板块领涨。"]
    assert run_rule("related_list", "\n".join(short))[0] == "\n".join(short)
    assert run_rule("related_list", "\n".join(["相关新闻", *items]))[0] == "\n".join(["相关新闻", *items])


def test_rule_title_repeated():
    title = "自治区应急管理厅下派干部助力乌鲁木齐疫情防控:工作好同事,抗疫“好战友”"
    text, removed, _ = run_rule("title_repeated", "\n".join([
        title, PROSE, f"{title}古丽娜孜在社区参与疫情防控工作。", title, PROSE_2]), title=title)
    assert text == f"{PROSE}\n古丽娜孜在社区参与疫情防控工作。\n{PROSE_2}"
    assert removed["title_repeated"] == 3 * len(title)
    # No title known: nothing to do.
    assert run_rule("title_repeated", f"{title}\n{PROSE}")[0] == f"{title}\n{PROSE}"
    # The title with a media marker (某某(图)) is the title.
    assert run_rule("title_repeated", f"城东启动老旧小区改造(组图)\n{PROSE}", title="城东启动老旧小区改造")[0] == PROSE
    # A sentence that opens with the title's words is the article's, whole.
    lede = "市政府召开新闻发布会，宣布全市老旧小区改造工程全面启动。"
    assert run_rule("title_repeated", f"{lede}\n{PROSE}", title="市政府召开新闻发布会")[0] == f"{lede}\n{PROSE}"
    # A few words after the title are a subheading of its own (omnivore-app/omnivore ahhhhfs.com).
    heading = "CCTV中央电视台直播源地址"
    assert run_rule("title_repeated", f"{PROSE}\n{heading}\n{PROSE_2}", title="CCTV中央电视台直播源")[0] == \
        f"{PROSE}\n{heading}\n{PROSE_2}"


def test_rule_repeated_line():
    caption = "新疆兵团第十二师|基层党员干部舍小家为大家"
    body = [PROSE, caption, PROSE_2, caption]
    text, removed, _ = run_rule("repeated_line", "\n".join([*body, "某某网", PROSE, PROSE_2]))
    assert text == "\n".join([PROSE, caption, PROSE_2, "某某网"])
    assert removed["repeated_line"] == len(caption) + len(PROSE) + len(PROSE_2)
    # a table of contents repeats the headings: the copies over their sections stay
    # (rootwords-uni's CSDN post, found by a helper)
    toc = ["目录", "一：什么是词根词缀？", "二：怎么学"]
    sections = ["一：什么是词根词缀？", PROSE, "二：怎么学", PROSE_2]
    assert run_rule("repeated_line", "\n".join([*toc, *sections]))[0] == "\n".join(["目录", *sections])
    # a listing's fields repeat by nature (thepaper's weekly lectures): 时间：… under each event
    events = ["上海│日本的女性摄影师们", "时间：9月9日（周六）14:00-16:00", "北京│有理想的人如何运用老庄的智慧",
              "时间：9月9日（周六）14:00-16:00"]
    assert run_rule("repeated_line", "\n".join(events))[0] == "\n".join(events)


def test_rule_end_mark():
    assert run_rule("end_mark", "他说，旺季时每月能增收三四千元。(完)")[0] == "他说，旺季时每月能增收三四千元。"
    assert run_rule("end_mark", "“路修好了。” （完）")[0] == "“路修好了。”"
    for keep in ("这项工程(完)成后将惠及三万户。", PROSE):
        assert run_rule("end_mark", keep)[0] == keep


def test_rule_split_sentence():
    split = ["期间因受到乐团成员打击自学吉他并尝试写歌", "[13]", "。", "2000年发行国语专辑《I Do Believe》", "[16] [17]",
             "；12月发行国语新歌精选辑《默契》", "[14-15]", "。"]
    assert run_rule("split_sentence", "\n".join(split))[0] == (
        "期间因受到乐团成员打击自学吉他并尝试写歌[13]。\n2000年发行国语专辑《I Do Believe》[16] [17]；12月发行国语新歌精选辑《默契》[14-15]。")
    # a reference list's items, an outline's items and a heading stay lines of their own
    keep = "\n".join([PROSE, "[1] 李明. 城市更新研究[J]. 城市规划, 2020.", "（一）总体要求", PROSE_2])
    assert run_rule("split_sentence", keep)[0] == keep


def test_rule_caption_marker():
    assert run_rule("caption_marker", "▲修缮后的骑楼街吸引不少市民前来拍照。")[0] == "修缮后的骑楼街吸引不少市民前来拍照。"
    assert run_rule("caption_marker", "温度上升▲5度")[0] == "温度上升▲5度"


def test_rule_navigation_menu():
    noise = ["首页 | 山东新闻 | 国内 | 国际 | 体育", "主頁｜港聞｜中國｜國際"]
    assert run_rule("navigation_menu", "\n".join([*noise, PROSE]))[0] == PROSE
    keep = "甲方 | 乙方合同，已经签订完毕。"
    assert run_rule("navigation_menu", keep)[0] == keep


def test_rule_breadcrumb():
    noise = ["您现在的位置: 齐鲁在线 >> 新闻中心 >> 正文", "新闻中心 > 正文", "首页 > 港航 > 正文"]
    assert run_rule("breadcrumb", "\n".join([*noise, PROSE]))[0] == PROSE
    keep = "气温>30度，湿度>80%。"
    assert run_rule("breadcrumb", keep)[0] == keep
    # A shell line in a technical article (magic-html 66211fc) is code, not a breadcrumb.
    code = "if which docker >/dev/null 2>&1; then"
    assert run_rule("breadcrumb", code)[0] == code


APP_PROMPT_KEEP = ("不少老人学会了用手机APP挂号，看病方便多了。", "他问：怎么下载这个APP？",
                   "你知道吗？很多老人学会了用手机APP挂号，看病方便多了",
                   "市民可通过某某APP查询，也可拨打热线电话，中奖名单将在官网公布。",
                   "下载APP后，他发现账户里的钱不见了。警方提醒市民提高警惕。")


PROMOTIONS = [rule.name for rule in RULES if rule.name.startswith("promotion_")]
PROMOTION_KEEP = ("更多的年轻人都在城市里打拼", "追踪更多线索后，警方锁定了嫌疑人。", "更多详情可访问www.gov.cn查询。",
                  "更多市民选择在夜间前往城市书房阅读。", "居民可以通过平台获取最新消息。记者了解到，平台已上线。")


def test_promotions_together():
    noise = ["☆更多宝岛日报报导☆", "按讚加入南島新聞網粉絲團,掌握最新消息", "分享让更多人看到", "点击上方蓝字 关注我们",
             # lulalala/taiwanese_news_parser, virus-warnning/twnews, opendatalab/magic-html 2338d64a
             "【更多精彩新聞，都在《蘋果余艾苔》粉絲團】", "更多文章，都在【蘋論陣線】", ">>加入蘋果日報粉絲團94即時94狂！",
             "◆ 追蹤更多華視影音及圖文新聞：", "1.用Plurk追蹤華視影音及圖文新聞：追蹤", "2.用Twitter追蹤華視影音及圖文新聞：追蹤",
             "更多“疫情一刀切政策怎么投诉举报”的相关经验资讯请关注www.qushijing.com"]
    assert run_rules(PROMOTIONS, "\n".join([PROSE, *noise])) == PROSE
    for keep in (*PROMOTION_KEEP, *APP_PROMPT_KEEP):
        assert run_rules(PROMOTIONS, keep) == keep


def check_promotion(name: str, noise: list[str]) -> None:
    text, removed, _ = run_rule(name, "\n".join([PROSE, *noise, PROSE_2]))
    assert text == f"{PROSE}\n{PROSE_2}" and removed[name] == sum(map(len, noise))
    for keep in (*PROMOTION_KEEP, *APP_PROMPT_KEEP):
        assert run_rule(name, keep)[0] == keep


def test_rule_promotion_more_news():
    check_promotion("promotion_more_news", ["☆更多宝岛日报报导☆", "【更多精彩新聞，都在《蘋果余艾苔》粉絲團】", "更多文章，都在【蘋論陣線】",
                                            "更多“疫情一刀切政策怎么投诉举报”的相关经验资讯请关注www.qushijing.com"])


def test_rule_promotion_follow_more():
    check_promotion("promotion_follow_more", ["◆ 追蹤更多華視影音及圖文新聞：", "1.用Plurk追蹤華視影音及圖文新聞：追蹤",
                                              "2.用Twitter追蹤華視影音及圖文新聞：追蹤",
                                              # hknews' hket.com page
                                              "订阅Telegram最新🍴✈️🎁优惠及送礼情报：https://bit.ly/3bebLM"])


def test_rule_promotion_click_follow():
    check_promotion("promotion_click_follow", ["点击上方蓝字 关注我们", "点我订阅"])


def test_rule_promotion_fan_page():
    check_promotion("promotion_fan_page", [">>加入蘋果日報粉絲團94即時94狂！", "按讚加入南島新聞網粉絲團,掌握最新消息"])


def test_rule_promotion_latest_news():
    check_promotion("promotion_latest_news", ["分享让更多人看到", "追踪某某，掌握最新消息"])


def test_rule_app_prompt():
    noise = ["下载港澳新闻网App，随时随地掌握最新消息", "打开新华社客户端 查看更多", "海量资讯、精准解读，尽在新浪财经APP",
             "點我下載APP", "不想错过？请下载某某新闻APP", "-  光明日报客户端", "想看更多？打开某某客户端",
             "不用抽 不用搶 現在用APP看新聞 保證天天中獎 點我下載APP 按我看活動辦法",
             # virus-warnning/twnews ltn
             "還想看更多新聞嗎？歡迎下載自由時報APP，現在看新聞還能抽獎，共9萬個中獎機會等著你："]
    assert run_rule("app_prompt", "\n".join([PROSE, *noise]))[0] == PROSE
    for keep in ("更多市民选择在夜间前往城市书房阅读。", *APP_PROMPT_KEEP):
        assert run_rule("app_prompt", keep)[0] == keep


def test_rule_app_store_link():
    # virus-warnning/twnews ltn; the others written here
    noise = ["iOS載點 https://bit.ly/ltn_appstore", "Android載點 https://bit.ly/ltn_googleplay", "安卓版下载：",
             "App Store: https://apps.apple.com/app/id1", "- Google Play：https://play.google.com/store/apps/x"]
    text, removed, _ = run_rule("app_store_link", "\n".join([PROSE, *noise, PROSE_2]))
    assert text == f"{PROSE}\n{PROSE_2}" and removed["app_store_link"] == sum(map(len, noise))
    for keep in ("苹果下载量最高的应用是一款外卖软件。", "安卓用户可在应用商店下载更新，iOS用户需等待下周上线。",
                 "Android下载量同比增长三成，iOS下载量持平。", *APP_PROMPT_KEEP):
        assert run_rule("app_store_link", keep)[0] == keep


def test_rule_account_prompt():
    noise = ["关注官方公众号", "新浪财经公众号", "更多粉丝福利扫描二维码关注（sinafinance）", "扫描二维码关注我们", "长按识别二维码",
             "欢迎关注微信公众号：某某，第一时间掌握最新资讯！", "扫描左侧二维码即可添加某某公众号，更多资讯。",
             "如你觉得文章不错，请识别图中二维码关注，并推荐给你的朋友。", "扫码关注某某视频号"]
    assert run_rule("account_prompt", "\n".join([PROSE, *noise]))[0] == PROSE
    for keep in ("市民可通过扫描二维码举报有关设施的案件。", "记者扫描二维码后发现，页面跳转到了一个仿冒的网站。",
                 "扫描二维码后，页面跳转到一个虚假网站。", "关注公众号的读者已经超过十万人，其中大部分是年轻人。",
                 "警方提醒，请勿扫描来历不明的二维码。"):
        assert run_rule("account_prompt", keep)[0] == keep


def test_rule_comment_box():
    noise = ["网友评论仅供其表达个人看法，并不表明网易立场。", "暂无热门评论", "还没有评论，快来抢沙发吧！", "热门评论（12）", "共3条评论",
             "查看全部评论>>", "文明上网，理性发言", "抢沙发", "人参与", "暂无回复"]
    assert run_rule("comment_box", "\n".join([PROSE, *noise]))[0] == PROSE
    for keep in ("网友评论称，这一做法值得推广。", "目前没有评论认为该政策存在问题，专家普遍表示支持，但也提出了改进建议。",
                 "热门评论区里，不少网友分享了自己的经历。"):
        assert run_rule("comment_box", keep)[0] == keep


def test_rule_reading_prompt():
    noise = ["阅读原文", "点个在看", "分享 点赞 在看", "赞赏", "写留言", "继续滑动看下一个", "分享 收藏 12 在看"]
    assert run_rule("reading_prompt", "\n".join([PROSE, *noise]))[0] == PROSE
    for keep in ("在看守所里，他写了很多信。", "分享是一种美德。", "12", "喜欢读书的孩子越来越多。"):
        assert run_rule("reading_prompt", keep)[0] == keep


def test_rule_follow_us():
    noise = ["关注我们", "关注新华网", "- 关注", "欢迎关注", "Follow us on Facebook",
             '如果您喜歡"史蒂文的家"圖文分享 邀請您到 FB 粉絲團 按個"讚"!',
             "欢迎关注电大小微"]  # a school's account (tztvu.com.cn)
    assert run_rule("follow_us", "\n".join([PROSE, *noise]))[0] == PROSE
    for keep in ("关注民生，是政府工作的重点。", "关注社区养老服务体系建设"):
        assert run_rule("follow_us", keep)[0] == keep


def test_rule_bare_number():
    text, removed, _ = run_rule("bare_number", "\n".join([PROSE, "12", "SN226", PROSE_2]))
    assert text == f"{PROSE}\n{PROSE_2}" and removed["bare_number"] == len("12SN226")
    # a data table, one cell per line: its numbers are article text
    table = ["城市", "人口", "面积", "北京", "2185", "16410", "上海", "2487", "6340"]
    text = "\n".join([PROSE, *table, PROSE_2])
    assert run_rule("bare_number", text)[0] == text


def test_rule_wechat_tail():
    tail = ["预览时标签不可点", "微信扫一扫关注该公众号", "知道了", "某某日报", "轻点两下取消赞"]
    assert run_rule("wechat_tail", "\n".join([PROSE, PROSE_2, *tail]))[0] == f"{PROSE}\n{PROSE_2}"
    keep = "微信扫一扫功能上线以后，老人们也学会了用手机付款。"
    assert keep in run_rule("wechat_tail", "\n".join([PROSE, PROSE_2, keep]))[0]


def test_rule_dateline():
    # A dateline opening the story stays in it (every source's own text keeps it); its byline
    # gives the author. A dateline alone on its line goes.
    for line in ("本报讯 省气象台今天下午发布寒潮蓝色预警。", "交匯點訊 哪里有需要,哪里就有黨員的身影。",
                 "【香江日報專訊】港鐵公司昨日表示，新綫預計明年通車。"):
        assert run_rule("dateline", line)[0] == line
    for line, author in (("中华新闻社成都3月14日电（记者 冯婷）在古城墙东段修缮施工中。", "冯婷"),
                         ("某某网南昌11月20日消息（记者王晓明）经过三个月的改造，市场重新开业。", "王晓明"),
                         ("〔記者王小明／台北報導〕氣象局今天表示，梅雨鋒面明天起影響台灣。", "王小明"),
                         ("【环球网报道 记者 张三】据外媒报道，会议将于下周举行。", "张三")):
        text, _, context = run_rule("dateline", line)
        assert text == line and context.found.author == author
    assert run_rule("dateline", f"新华社北京3月14日电\n{PROSE}")[0] == PROSE
    for keep in ("移动通讯行业发展迅速。", "通讯录里存着很多号码。"):
        assert run_rule("dateline", keep)[0] == keep


def test_rule_trailing_credit():
    text, _, context = run_rule("trailing_credit", f"{PROSE}（本文来源：经济日报 作者：张三）")
    assert text == PROSE and (context.found.source, context.found.author) == ("经济日报", "张三")
    text, _, context = run_rule("trailing_credit", f"{PROSE_2}(来源：县融媒体中心)")
    assert text == PROSE_2 and context.found.source == "县融媒体中心"
    # Brackets inside a sentence, or not a credit, stay.
    for keep in ("据了解（来源：市统计局），全市工业增加值增长5%。", f"{PROSE}（图为改造后的小区）"):
        assert run_rule("trailing_credit", keep)[0] == keep


def test_rule_photo_credit():
    noise = ["图片来源：视觉中国", "图/视觉中国", "摄影 / 吴九", "（图片：新华社）"]
    assert run_rule("photo_credit", "\n".join([PROSE, *noise, PROSE_2]))[0] == f"{PROSE}\n{PROSE_2}"
    for keep in ("图为市民在步道上健步走。", "图：市民在步道上健步走"):  # captions are article text
        assert run_rule("photo_credit", keep)[0] == keep


def test_rule_tags_line():
    noise = ["关键词：改造 小区 居民", "標籤：颱風 豪雨", "Tags: 港口, 吞吐量"]
    assert run_rule("tags_line", "\n".join([PROSE, *noise]))[0] == PROSE
    keep = "标签化管理让居民办事更方便。"
    assert run_rule("tags_line", keep)[0] == keep


def test_rule_edition_line():
    noise = ["江城日报数字报   2023年04月19日 星期三", "《江城日报》(2023年04月19日 第05版)"]
    assert run_rule("edition_line", "\n".join([*noise, PROSE]))[0] == PROSE
    keep = "这篇报道刊登在第5版后，引起了读者的广泛讨论。"
    assert run_rule("edition_line", keep)[0] == keep


def test_rule_injected_line():
    spam = "休闲区蓝鸢梦想 欢迎访问"
    caption = "周祎在社区参与疫情防控工作。"
    text, removed, _ = run_rule("injected_line", "\n".join([PROSE, caption, spam, PROSE_2, spam, caption, spam]))
    assert text == "\n".join([PROSE, caption, PROSE_2, caption])  # repeated_line keeps one caption
    assert removed["injected_line"] == 3 * len(spam)
    twice = "\n".join([PROSE, spam, PROSE_2, spam])
    assert run_rule("injected_line", twice)[0] == twice
    # code repeated in a technical post (opendatalab/magic-html article 66211fc4) is the post's
    code = "\n".join([PROSE, "-e ENV=dev \\", PROSE_2, "-e ENV=dev \\", PROSE, "-e ENV=dev \\"])
    assert run_rule("injected_line", code)[0] == code
    # so do a listing's fields (时间：9月9日（周六）15:00-17:00 under three events)
    fields = "\n".join([PROSE, "时间：9月9日（周六）15:00-17:00", PROSE_2, "时间：9月9日（周六）15:00-17:00", PROSE,
                        "时间：9月9日（周六）15:00-17:00"])
    assert run_rule("injected_line", fields)[0] == fields


def test_rule_portal_return():
    # adbar/htmldate sohu.com-Likeqiang: the link glued to the last sentence
    last = "李克强同志生前友好和家乡代表也前往送别。"
    assert run_rule("portal_return", f"{PROSE}\n{last}返回搜狐，查看更多")[0] == f"{PROSE}\n{last}"
    assert run_rule("portal_return", f"{PROSE}\n返回网易首页，查看更多>>")[0] == PROSE
    for keep in ("他返回公司，查看更多资料后才作出决定。", "返回搜狐的用户，可以查看更多的内容"):
        assert run_rule("portal_return", keep)[0] == keep


def test_rule_suicide_notice():
    # virus-warnning/twnews chinatimes, ettoday, appledaily: the notice in both scripts
    noise = ["★中時電子報關心您：再給自己一次機會", "自殺諮詢專線：0800-788995（24小時）", "生命線：1995", "張老師專線：1980",
             "●《ETNEWS新聞雲》提醒您，請給自己機會：", "自殺防治諮詢安心專線：0800-788995；", "生命線協談專線：1995",
             "自殺解決不了問題，卻留給家人無比悲痛。請珍惜生命。", "再給自己一次機會", "《蘋果》關心你",
             "自杀防治咨询安心专线：0800-788995", "某某新闻关心您：再给自己一次机会", "自杀解决不了问题，却留给家人无比悲痛。请珍惜生命。"]
    text, removed, _ = run_rule("suicide_notice", "\n".join([PROSE, *noise, PROSE_2]))
    assert text == f"{PROSE}\n{PROSE_2}" and removed["suicide_notice"] == sum(map(len, noise))
    for keep in ("警方調查後認定死者係屬自殺行為，家屬並無異見。", "衛福部自殺防治中心表示，去年撥打安心專線的人數增加了兩成。",
                 "生命線協會今天舉行記者會，呼籲民眾關心身邊的親友。", "市民服务热线：12345"):
        assert run_rule("suicide_notice", keep)[0] == keep


def test_rule_discussion_prompt():
    noise = ["进入【新浪财经股吧】讨论", "到某某论坛发帖", "点击进入《某某社区》>>"]  # opendatalab/magic-html 42076fe0
    assert run_rule("discussion_prompt", "\n".join([PROSE, *noise, PROSE_2]))[0] == f"{PROSE}\n{PROSE_2}"
    for keep in ("进入论坛的第二天，各国代表就航天合作达成了共识。", "到社区报到的党员已经超过三百人。"):
        assert run_rule("discussion_prompt", keep)[0] == keep


def test_rule_video_player():
    # opendatalab/magic-html article 3e863fa9: a player's menus and messages, one per line
    noise = ["时长：01:45 来源：电影网", "正在为您切换到高清 480P,请稍候...", "播放速度：2X", "倍速", "- 2.0X", "- 1.75X",
             "- 超清", "- 标清", "循环播放", "跳过片头", "很抱歉，当前视频播放失败", "错误代码：QVS.4100", "时长：01:45建议WIFI下打开"]
    text, removed, _ = run_rule("video_player", "\n".join([PROSE, *noise, PROSE_2]))
    assert text == f"{PROSE}\n{PROSE_2}" and removed["video_player"] == sum(map(len, noise))
    for keep in ("他说视频播放失败了好几次。", "访客生成的短链接有效时长为24小时。", "建议在WiFi环境下观看高清视频，以免耗费流量。",
                 "高清摄像头让小偷不敢上门。"):
        assert run_rule("video_player", keep)[0] == keep


def test_rule_wechat_reward():
    notice = "受苹果公司新规定影响，微信 iOS 版的赞赏功能被关闭，可通过二维码转账支持公众号。"  # chyroc/WechatSogou
    assert run_rule("wechat_reward", f"{PROSE}\n{notice}\n{PROSE_2}")[0] == f"{PROSE}\n{PROSE_2}"
    for keep in ("苹果公司否认了政府关于 iPhone 让消费者锁定这些设备的说法。", "他却十分赞赏他的朋友的意见。"):
        assert run_rule("wechat_reward", keep)[0] == keep


def test_rule_paywall_prompt():
    notices = ["您所瀏覽的新聞已過查詢時效。建議您加入中央社付費會員找尋您要的新聞。",  # twnews cna
               "订阅后即可阅读全文", "剩余80%内容需付费阅读", "请开通VIP会员后继续阅读"]
    for notice in notices:
        assert run_rule("paywall_prompt", f"{PROSE}\n{notice}\n{PROSE_2}")[0] == f"{PROSE}\n{PROSE_2}", notice
    for keep in ("该报去年起要求读者成为付费会员，订户已超过十万。", "他说，新闻的时效性决定了它的价值。",
                 "剩余的内容将在下期刊出。"):
        assert run_rule("paywall_prompt", keep)[0] == keep


def test_rule_repost_notice():
    # goose3 test_schema_list (中央社), opendatalab/magic-html 0987b0ff, 83bd4dfc, adbar/trafilatura baike.baidu.com
    for notice in ("本網站之文字、圖片及影音，非經授權，不得轉載、公開播送或公開傳輸及利用。", "39健康网(www.39.net)专稿，未经书面授权请勿转载。",
                   "本作品为“科普中国-科学原理一点通”原创，转载时务请注明出处。", "转载时务请注明出处。", "【未经授权，禁止转载】",
                   # ronnywang/newsdiff bcc.com.tw
                   "本網站內容屬於中國廣播公司全球資訊網所有，非經允許，不得轉載",
                   # a huanqiu.com story (chuanky's test page): the site named with its address
                   "版权作品，未经环球网 huanqiu.com 书面授权，严禁转载，违者将被追究法律责任。",
                   "百度百科内容由网友共同编辑，如您发现自己的词条内容不准确或不完善，欢迎使用本人词条编辑服务（免费）参与修正。立即前往>>"):
        text = run_rule("repost_notice", "\n".join([PROSE, PROSE_2, notice, "健康资讯推荐", "某某标题"]))[0]
        assert text == f"{PROSE}\n{PROSE_2}", notice
    # a law or a fact a story reports stays
    # Above the story it goes alone (rcy17/newsExtraction NetEase); as a list item too (omnivore-app/omnivore).
    notice = "版权声明：本文版权为网易汽车所有，转载请注明出处。"
    assert run_rule("repost_notice", "\n".join([notice, PROSE, PROSE_2]))[0] == f"{PROSE}\n{PROSE_2}"
    assert run_rule("repost_notice", "\n".join([PROSE, PROSE_2, "- 转载请保留原文链接谢谢！", "- 某某"]))[0] == f"{PROSE}\n{PROSE_2}"
    # A first paragraph that mentions the words is longer than a notice: it stays.
    lede = ("记者从市版权局获悉，今年以来，全市查处未经授权不得转载的网络侵权案件12起，涉及多家自媒体平台，"
            "相关平台已被责令整改，转载须注明出处并取得授权。")
    assert run_rule("repost_notice", "\n".join([lede, PROSE]))[0] == f"{lede}\n{PROSE}"
    for keep in ("法规规定，未经著作权人许可，不得转载他人作品。", "该文章被多家媒体转载，并注明了出处。",
                 "相關傳言未經證實，卻已經引起社會不安，學生和媒體不應再以訛傳訛。"):
        assert run_rule("repost_notice", "\n".join([PROSE, PROSE_2, keep]))[0] == f"{PROSE}\n{PROSE_2}\n{keep}"


def test_rule_permalink_line():
    # omnivore-app/omnivore ahhhhfs.com; the second written here
    noise = ["本文链接：https://www.ahhhhfs.com/37715/", "- 原文地址: https://news.example.cn/a.html"]
    text, removed, _ = run_rule("permalink_line", "\n".join([PROSE, *noise, PROSE_2]))
    assert text == f"{PROSE}\n{PROSE_2}" and removed["permalink_line"] == sum(map(len, noise))
    for keep in ("本文链接的论文已于去年发表。", "原文地址：北京市朝阳区某某路1号", "文章链接了多个政府网站的数据。"):
        assert run_rule("permalink_line", keep)[0] == keep


def test_rule_contribution_prompt():
    # lulalala/taiwanese_news_parser apple daily, chyroc/WechatSogou mpvoice
    for prompt in (["有話要說 投稿「即時論壇」", "onlineopinions@appledaily.com.tw"], ["投稿|cjrb027@qq.com  合作|whcjrb027(微信)"],
                   ["欢迎投稿：news@example.cn"], ["游戏专栏投稿信箱：otaku@vip.163.com"]):
        assert run_rule("contribution_prompt", "\n".join([PROSE, PROSE_2, *prompt]))[0] == f"{PROSE}\n{PROSE_2}", prompt
    keep = "他有话要说：当年投稿的那篇文章，改变了他的一生。"
    assert run_rule("contribution_prompt", "\n".join([PROSE, PROSE_2, keep]))[0] == f"{PROSE}\n{PROSE_2}\n{keep}"


def test_rule_citation_list():
    # zh.wikipedia as saved by opendatalab/magic-html (article 06586406): the references
    references = ["- ^ 容城历史文化简介 - 走进容城 - 容城县人民政府. www.hbrc.gov.cn. [2017-04-01].",
                  "- ^ 跳转到： 22.0 22.1 河北雄安新区管理机构获中央编办批复. 参考消息网. 2017-06-22 [2018-09-14].",
                  "- 王新慧. 全文发布 :《河北雄安新区规划纲要》（附图） (PDF)."]
    assert run_rule("citation_list", "\n".join([PROSE, PROSE_2, *references]))[0] == f"{PROSE}\n{PROSE_2}"
    # an emoticon or a caret inside a line is no citation
    for keep in ("^_^ 今天终于拿到了录取通知书.", "吃得快精光之際...才想到忘了拍合照...(哇哩咧 ^&*()"):
        assert run_rule("citation_list", "\n".join([PROSE, PROSE_2, keep]))[0] == f"{PROSE}\n{PROSE_2}\n{keep}"

"""The page's tail after the story: footer (copyright, ICP, licences, disclaimers), notices
about reposting, calls for contributions, navigation, related lists, a WeChat post's end.
Tail rules: the marker line and everything after it go unless new article prose follows."""
from __future__ import annotations

import re

from tasks.chinese import HANZI
from tasks.cleaning.rule import BULLET, Rule, rx

RELATED_PREFIX = (r"(?:相关|相關|热点|熱點|热门|熱門|推荐|推薦|延伸|精彩|猜你|为您|為您|编辑|編輯|小编|小編|今日|往期|更多|最新"
                  r"|重点|重點|本周|本週|\d{1,3}小时|\d{1,3}小時|点击|點擊|阅读|閱讀|图片|圖片|视频|視頻)")
RELATED_SUFFIX = (r"(?:推荐|推薦|阅读|閱讀|文章|新闻|新聞|报道|報道|链接|鏈接|连结|連結|喜欢|喜歡|排行榜|排行|热文|熱文"
                  r"|回顾|回顧|资讯|資訊|专题|專題|热点|熱點|点阅|點閱|话题|話題)")
# Headings that are a list without a list word (相关, 更多精彩), and the author's or editor's
# other articles under an author box (作者的其他文章, TA的文章, 关于作者).
RELATED_BARE = (r"(?:相关|相關|更多精彩|看了又看|你(?:也)?可能(?:还|還|也)?(?:会|會)?(?:喜欢|喜歡|感兴趣|感興趣|想看|想讀|想读)"
                r"|(?:该|該|此)?(?:作者|编辑|編輯|TA|他|她)的?(?:其他|其它|更多|最新|最近|热门|熱門)?(?:文章|作品|帖子|报道|報道)"
                r"|(?:关于|關於)(?:作者|编辑|編輯)|喜欢此内容的人还喜欢|喜歡此內容的人還喜歡)")
RELATED_HEADING = rf"(?:{RELATED_PREFIX}\S{{0,4}}?{RELATED_SUFFIX}|{RELATED_BARE})"
# A sidebar box's heading: a short label with a 更多 (more) link (热门问答 更多>>, 健康视频更多)
MORE_HEADING = r"[\[【]?[^\s。，！？,!?：:]{2,8}[\]】]?\s*(?:更多|more)\s*[>»›]*"

# Footer markers that do not occur in article prose.
FOOTER_STRONG = (
    r"(?:版权所有|版權所有)(?![人者权權])|copyright|all rights reserved|©\s*(?:19|20)\d{2}|ICP\s*[备備证證]"
    r"|[京沪滬津渝粤粵浙苏蘇鲁魯川鄂湘闽閩皖豫冀晋晉辽遼吉黑陕陝甘青琼瓊云雲贵貴桂藏宁寧新蒙]ICP"
    # a licence number is long (许可证：31120170006, 许可证0108263号, 许可证：京B2-20090059), not 许可证12张
    rf"|公网安备|公網安備|(?:许可证|許可證)\s*(?:[编編][号號])?\s*[:：]?\s*[（(]?[{HANZI}A-Za-z0-9]{{0,4}}-?\d{{5,}}"
    r"|未经(?:授权|許可|许可|书面).{0,12}(?:禁止|不得).{0,4}(?:转载|轉載|复制|複製|使用|摘编|摘編|建立镜像)"
    r"|未經(?:授權|許可|書面).{0,12}(?:禁止|不得).{0,4}(?:轉載|複製|使用|摘編|建立鏡像)"
    r"|^[(（【\[]?\s*(?:声明|聲明|注|免责|免責|本文|本站|本网|本網|文章)[^。]{0,60}(?:仅代表|僅代表|不代表)"
    r"|如有侵权|如有侵權|版权归原作者|版權歸原作者|转载请注明|轉載請註明|^\s*[【\[]?(?:免责声明|免責聲明)"
    # a BBS post's signature: where it was posted from (PTT, 水木: ※ 發信站: 批踢踢實業坊(ptt.cc), 來自: …)
    r"|^\s*(?:--\s*)?※\s*(?:发信站|發信站|来源|來源|修改|文章网址|文章網址)\s*[:：]"
    # a note that the pictures are from the web (注：…，图片来自网络，…)
    r"|^[(（【\[]?\s*(?:注|声明|聲明|说明|說明)\s*[:：][^。]{0,40}?(?:图片|圖片|配图|配圖)(?:来自|來自|来源于|來源於)"
    r"(?:网络|網絡|網路|互联网|互聯網)"
    r"|(?:版权|版權)(?:问题|問題).{0,30}(?:删除|刪除)"
    # a takedown notice in the site's own voice: …如果侵犯了您的合法权益，请联系本站我们会及时删除
    # (anchored: a lookahead over the rest of the line at every position costs quadratic time)
    r"|^(?=.*(?:本站|本网|本網|我们|我們|小编|小編)).{0,60}?(?:如|若|如果|倘若)(?:有|涉及|存在)?(?:侵权|侵權|侵犯)"
    r".{0,30}(?:联系|聯繫|聯絡|告知|通知).{0,20}(?:删除|刪除)"
    r"|^\s*(?:联系我们|聯繫我們|關於我們|关于我们|广告服务|廣告服務|网站地图|網站地圖|招聘信息|法律声明|隐私政策|隱私政策)"
    r"|^\s*在线投稿|^\s*在線投稿|^\s*[(（【\[]?\s*(?:特别|特別)?(?:声明|聲明)\s*[:：]|(?:仅|僅)提供信息(?:存储|存儲|发布|發布)"
    # a site's or platform's own statement about what it reposts (某某声明：此消息系转载自…)
    r"|^\s*[(（【\[]?\s*[^\s，。,:：]{0,8}(?:声明|聲明)\s*[:：](?=.*(?:转载|轉載|仅代表|僅代表|不代表|仅供参考|僅供參考"
    r"|不构成|不構成|登载|登載|侵权|侵權|信息存储|信息存儲))"
)
# Markers an article may also mention (举报电话12315, 主办单位, 经营许可证): footer only on
# a short line without sentence punctuation.
FOOTER_WEAK = (
    r"^(?=[^。！？!?]{0,80}$).*?(?:(?:举报|舉報|报料|報料|爆料|投诉|投訴|投稿|新闻|新聞)(?:电话|電話|热线|熱線|邮箱|郵箱)"
    r"|违法和不良信息|違法和不良信息|经营许可证|經營許可證"
    # a site's sponsor line, not an event's organisers: with another footer item on the line
    r"|(?:主办|主辦|承办|承辦)(?:单位|單位)?\s*[:：][^。]{0,40}(?:承办|承辦|协办|協辦|技术支持|技術支持|地址|电话|電話|邮编|郵編"
    r"|维护|維護|版权|版權|ICP)|(?:本站|本网|本網|网站|網站)(?:主办|主辦)\s*[:：])"
)

# A site's notice about copying its text: what it forbids without permission, or asks of who
# reposts (the permission's giver may be named with its address: 未经环球网 huanqiu.com 书面授权).
# Its subject is the site's own work, or it opens the line (a bare notice); a law a story quotes
# (未经著作权人许可，不得…) names neither.
REPOST_SUBJECT = (r"(?:本网站|本網站|本站|本网|本網|本文|本作品|本刊|本报|本報|本平台|本号|本號|本公众号|本公眾號|专稿|專稿"
                  r"|原创|原創|版权|版權|稿件)")
REPOST_FORBIDDEN = (r"(?:未经|未經|非经|非經)[^。！？]{0,24}?(?:授权|授權|许可|許可|允许|允許|同意)[^。！？]{0,8}?"
                    r"(?:不得|禁止|严禁|嚴禁|请勿|請勿|谢绝|謝絕|勿)[^。！？]{0,6}?"
                    r"(?:转载|轉載|转贴|轉貼|复制|複製|使用|摘编|摘編|重制|重製|公开|公開|镜像|鏡像|刊登|引用)")
REPOST_REQUEST = (r"(?:转载|轉載|转发|轉發|引用)[^。！？]{0,8}?(?:请|請|务请|務請|须|須|务必|務必|必须|必須|烦请|煩請)"
                  r"[^。！？]{0,6}?(?:注明|註明|标明|標明|保留|联系|聯繫|获得|獲得)")

# A link to the previous or next story: 上一篇, 下一則, 前一条, 上一篇文章. Followed by words
# without a separator it is prose (上一篇文章中，我们…).
PREV_NEXT = r"(?:上一|下一|前一|后一|後一)(?:篇|则|則|条|條)(?:文章|新闻|新聞)?"

# A word of each of the footer's alternatives, at least one of which a footer line holds: the
# pattern (dozens of alternatives, case-insensitive) is then tried on a few lines in ten.
# copyright and ICP in any case: their first letter in both cases.
FOOTER_WORDS = ("版权", "版權", "©", "c", "C", "i", "I", "公网安备", "公網安備", "许可证", "許可證", "未经", "未經",
                "代表", "侵权", "侵權", "侵犯", "转载请注明", "轉載請註明", "声明", "聲明", "联系我们", "聯繫我們",
                "關於我們", "关于我们", "广告服务", "廣告服務", "网站地图", "網站地圖", "招聘信息", "隐私政策",
                "隱私政策", "在线投稿", "在線投稿", "提供信息", "电话", "電話", "热线", "熱線", "邮箱", "郵箱",
                "不良信息", "主办", "主辦", "承办", "承辦", "来自网", "來自網", "来自互", "來自互", "来源于", "來源於", "※")

FOOTER = Rule("footer", "tail", "site footer: copyright, licences, ICP, 公网安备, hotlines, disclaimers",
              rx(FOOTER_STRONG + "|" + FOOTER_WEAK), requires=FOOTER_WORDS)

REPOST_NOTICE = Rule("repost_notice", "tail",
                     "a notice about copying the site's text, in any form: 本網站之文字、圖片及影音，非經授權，不得轉載; "
                     "某某网(www.example.net)专稿，未经书面授权请勿转载; 本作品为某某原创，转载时务请注明出处; 转载请注明出处; "
                     "a wiki's own note (百科内容由网友共同编辑…); a law a story quotes stays",
                     re.compile(rf"^(?=.{{0,120}}$)(?:[^。！？]*{REPOST_SUBJECT}[^。！？]*?(?:{REPOST_FORBIDDEN}|{REPOST_REQUEST})"
                                rf"|[\s(（【\[]*(?:{REPOST_FORBIDDEN}|{REPOST_REQUEST}))"
                                r"|^(?=.{0,160}$)[^。！？]{0,10}(?:内容|內容)由(?:网友|網友|用户|用戶|读者|讀者)(?:共同|自行)?(?:编辑|編輯|上传|上傳|提供)"),
                     requires="未非转轉引内內")

CONTRIBUTION_PROMPT = Rule("contribution_prompt", "tail",
                           "a call for readers' contributions after the story: 有話要說 投稿「即時論壇」, 投稿|someone@example.com",
                           re.compile(rf"^(?=[^。]{{0,40}}$)\s*{BULLET}?\s*(?:有话要说|有話要說|有话想说|有話想說|我有话说|我有話說)[^。]*"
                                      r"(?:投稿|来稿|來稿|投书|投書)"
                                      # 游戏专栏投稿信箱：someone@example.com: a column's name may lead
                                      rf"|^(?=[^。]{{0,80}}$)\s*{BULLET}?\s*[^。，,！？!?\s:：]{{0,8}}?(?:欢迎|歡迎)?"
                                      r"(?:投稿|来稿|來稿|投书|投書|爆料|报料|報料)"
                                      r"(?:邮箱|郵箱|信箱|地址|方式)?\s*[:：|｜丨︱]\s*[\w.+-]+@[\w-]+(?:\.[\w-]+)+"),
                           requires="话話投来來爆报報")

PERMALINK_LINE = Rule("permalink_line", "line", "the story's own address on a line: 本文链接：https://…, 原文地址: https://…",
                      re.compile(rf"^\s*{BULLET}?\s*(?:本文|原文|文章|永久|本页|本頁)(?:链接|鏈接|地址|网址|網址|连结|連結)"
                                 r"\s*[:：]\s*https?://\S+\s*$"), requires="文久页頁")

NAVIGATION_TAIL = Rule("navigation_tail", "tail",
                       "navigation tails: friend links, back to top, previous/next (上一篇：…, 下一則：…, 【上一条】)",
                       rx(rf"^\s*{BULLET}?\s*(?:友情链接|友情鏈接|返回顶部|返回頂部|返回首页|返回首頁|返回列表"
                          rf"|[\[【]{PREV_NEXT}[\]】]|{PREV_NEXT}(?=\s|[:：>»與与和及、/|｜]|$)"
                          r"|网站导航|網站導航|关注我们|關注我們"
                          # the fold of a page's body: what follows it is the page's, unless the story goes on
                          r"|阅读剩余全文|閱讀剩餘全文|展开剩余|展開剩餘)"))

RELATED_LIST = Rule("related_list", "tail",
                    "headings of related-article, hot and recommended lists and of an author's other articles "
                    "(相关新闻, 推荐阅读, 猜你喜欢, 作者的其他文章, ※你可能還想看：); a heading followed by article prose is a subheading "
                    "and stays",
                    rx(rf"^\s*{BULLET}?\s*[\[【]?\s*{RELATED_HEADING}\s*[\]】]?\s*[:：>»]*\s*(?:更多.{{0,6}})?$"
                       # or a list word in brackets with any ending, alone on its line: 【熱門點閱】, 【最新消息】
                       rf"|^\s*{BULLET}?\s*[\[【]\s*{RELATED_PREFIX}[^\]】\s]{{0,4}}\s*[\]】]\s*$"
                       rf"|^\s*{BULLET}?\s*{MORE_HEADING}\s*$"
                       # or the heading and its first item on one line, not a sentence: 相关新闻: ·标题一 ·标题二
                       rf"|^(?=[^。！？!?]*$)\s*{BULLET}?\s*[\[【]?\s*{RELATED_HEADING}\s*[\]】]?\s*[:：\s]\s*\S"
                       # or bracketed, its first item right after: 【相关阅读】某某标题
                       rf"|^(?=[^。！？!?]*$)\s*{BULLET}?\s*[\[【]\s*{RELATED_HEADING}\s*[\]】]"
                       # or a named author's recent posts, with dots and a link to all: 王某的最新日记 · · · (全部)
                       rf"|^\s*{BULLET}?\s*[^\s。，！？,!?]{{1,12}}的(?:最新|最近|其他|其它|更多|热门|熱門)"
                       r"(?:日记|日記|文章|作品|帖子|动态|動態|报道|報道|回答|相册|相冊)\s*[·.…\s]*(?:[(（]\s*全部\s*[)）])?\s*$"),
                    heading=True, requires="相關热熱推延精猜为為编編小今往更最重本点點阅閱图圖视視作TtA他她关關喜看你Mm")

# A heading of references or links (参考资料, 相关链接) as the text's last line: the extractor
# dropped its items (links), so it heads nothing. With its items under it, it stays.
_REFERENCES_HEADING = re.compile(r"^\s*[\[【]?\s*(?:参考资料|參考資料|参考文献|參考文獻|参考链接|參考連結|相关链接|相關連結"
                                 r"|延伸阅读|延伸閱讀|References)\s*[\]】]?\s*[:：]?\s*$", re.I)


def _drop_dangling_heading(lines: list[str], context) -> list[str]:
    return lines[:-1] if lines and _REFERENCES_HEADING.match(lines[-1]) else lines


DANGLING_HEADING = Rule("dangling_heading", "block",
                        "a heading of references or links left as the text's last line, its items dropped "
                        "(参考资料, 相关链接); with its items under it, it stays",
                        _REFERENCES_HEADING, apply=_drop_dangling_heading)

WECHAT_TAIL = Rule("wechat_tail", "tail",
                   "the end of a WeChat post: the account's profile and its prompts (预览时标签不可点, 微信扫一扫关注该公众号, "
                   "继续滑动看下一个)",
                   re.compile(r"^\s*(?:预览时标签不可点|預覽時標籤不可點|微信扫一扫\s*(?:关注|使用)|微信掃一掃\s*(?:關注|使用)"
                              r"|继续滑动看下一个|繼續滑動看下一個|向上滑动看下一个|向上滑動看下一個|轻点两下取消赞|輕點兩下取消讚"
                              r"|轻点两下取消在看|輕點兩下取消在看|Scan to Follow|Scan with Weixin)"),
                   requires="预預微继繼向轻輕S")

CITATION_LIST = Rule("citation_list", "tail",
                     "an encyclopedia's list of references, each item opening with the caret that links back to "
                     "the citing sentence (- ^ 某某报道. 新华网. 2017-06-22; ^ 跳转到： 22.0 22.1 某某.)",
                     # the caret, a space, then a citation with its full stops (not an emoticon: ^_^, ^ ^)
                     re.compile(rf"^\s*{BULLET}?\s*\^\s+(?:跳转到|跳轉到|Jump up to)?[:：]?\s*(?!\^)\S.*[.．]"),
                     requires="^")

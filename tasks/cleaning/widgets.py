"""A page's widgets and controls that extraction leaves in the text: share bars, login,
pager and player controls, comment boxes, WeChat's reading bar. Line rules."""
from __future__ import annotations

import re

from tasks.chinese import HANZI
from tasks.cleaning.rule import BULLET, Rule, rx

WIDGET_WORDS = (
    r"分享到|分享|点赞|點贊|赞|讚|收藏|转发|轉發|转载|評論|评论|打印|打印本页|打印本頁|关闭|關閉"
    r"|关闭窗口|關閉窗口|复制链接|複製鏈接|微信|微博|新浪微博|腾讯微博|騰訊微博|QQ空间|QQ空間|QQ好友|QQ"
    r"|朋友圈|豆瓣|人人网|facebook|twitter|line|weibo|wechat|E-?mail|纠错|糾錯|举报|舉報|反馈|反饋"
    r"|(?:微信|手机|手機)?(?:扫一扫|掃一掃)|字号|字號|大|中|小|默认|默認|A\+|A-|[+＋]\d+"
)
WIDGET_LINE = rx(rf"^(?:[\s\[\]【】()（）|｜/:：,，\d+＋-]*(?:{WIDGET_WORDS}))+[\s\[\]【】()（）|｜/:：,，\d+＋-]*$")
READING_PROMPT_WORDS = (r"阅读原文|閱讀原文|轻触阅读原文|輕觸閱讀原文|点个在看|點個在看|点亮在看|點亮在看|点在看|點在看"
                        r"|在看|点赞|點讚|点个赞|點個讚|分享|转发|轉發|收藏|喜欢|喜歡|赞赏|讚賞|\d*人赞赏|写留言|寫留言|留言"
                        r"|向上滑动看下一个|向上滑動看下一個|继续滑动看下一个|繼續滑動看下一個|向上滑动阅览|向上滑動閱覽"
                        r"|知道了|听过|聽過|赞|讚|\d+")

SHARE_WIDGET = Rule("share_widget", "line",
                    "share, like and font-size widgets (分享到, 转播到腾讯微博, - +1, 扫一扫, 欢迎分享到朋友圈, 字号 大 中 小)",
                    re.compile(rf"^\s*{BULLET}?\s*(?:(?:分享到|分享至|转播到|轉播到|推荐到|推薦到)[^。！？]{{0,40}}|(?:(?:微信|手机|手機)?(?:扫一扫|掃一掃|扫码|掃碼).{{0,30}}))$"
                               r"|^.{0,30}(?:扫一扫|掃一掃).{0,30}(?:分享|朋友圈).{0,12}$"
                               r"|^.{0,20}(?:点击|點擊)(?:右上角|右上方|右下角|下方).{0,20}(?:分享|朋友圈|轉發|转发).{0,12}$"
                               r"|^\s*(?:欢迎|歡迎)(?:分享|转发|轉發)(?:到|至|给|給)?(?:朋友圈|好友|朋友|更多人)[^。！？]{0,6}$"
                               rf"|{WIDGET_LINE.pattern}", re.I))

# Controls of a page's interface, each alone on a line (an optional ?, :, > after it), by
# what they belong to. Words, not sentences: 登录人数创新高。 is prose.
UI_CONTROL_WORDS: dict[str, tuple[str, list[str]]] = {
    "ui_form": ("login, captcha and search forms and their buttons: 忘记密码?, 获取验证码, 请输入手机号, 登录, 确定", [
        r"显示|顯示|隐藏|隱藏|忘记密码|忘記密碼|获取验证码|獲取驗證碼|验证码|驗證碼|用户名|用戶名|密码|密碼",
        r"请输入.{0,12}|請輸入.{0,12}|close|登录|登錄|注册|註冊|立即登录|退出|提交|取消|确定|確定|搜索|首页|首頁",
        r"请?登录后.{0,12}|請?登錄後.{0,12}"]),
    "ui_more_link": ("links that unfold or load more: 加载更多, 展开全文, 查看更多, 返回搜狐，查看更多, 加载中...", [
        r"加载更多|加載更多|点击加载更多|查看更多|更多|更多>+|展开全文|展開全文|阅读全文|閱讀全文",
        r"(?:点击)?(?:收起|展开)(?:全文)?|更多\S{1,4}|.{0,12}查看更多|加载中\.*|加載中\.*"]),
    "ui_comment_link": ("links to a comment box: 发表评论, 我要留言, 123条评论, 已有5人参与, 写留言, 在看, 收藏本文", [
        r"发表评论|發表評論|我要评论|我要評論|网友评论|網友評論|评论区|評論區|已有\d+人(?:评论|參與|参与)",
        r"匿名发表|匿名發表|我要留言|\d+条评论|\d+條評論|写留言|寫留言|在看|收藏本文"]),
    "ui_app_link": ("links to the site's app or other versions: 客户端下载, 手机版, 打开APP, 手机看新闻", [
        r"下载客户端|下載客戶端|客户端下载|客戶端下載|手机版|手機版|电脑版|電腦版|打开APP.{0,6}|打開APP.{0,6}",
        r"手机看新闻|手機看新聞|微信编辑器"]),
    "ui_gallery_link": ("links to a photo gallery: 详情请戳下方图集, 点击查看大图, 1119张高清大图|查看车型配置", [
        r"(?:详情|詳情)?(?:请|請)?(?:戳|点击|點擊|点|點|查看|看){1,2}(?:下方|下面|以下|这里|這裡)?(?:的)?"
        r"(?:图集|圖集|组图|組圖|高清大图|高清大圖|大图|大圖|原图|原圖)",
        r"\d+\s*(?:张|張)(?:高清)?(?:大图|大圖|图片|圖片)(?:\s*[|｜]\s*查看\S{0,8})?"]),
    "ui_pager": ("a pager: 上一页, 1 2 3 下一页, 本页共3页", [
        r"[\d\s/]*下一页|上一页|[上下]一頁|上一页[\d\s]*下一页|上一頁[\d\s]*下一頁|本页共\d+页|本頁共\d+頁|共\d+页"]),
    "ui_label": ("labels on a story or a slot: 原创, 广告, （广告）, 推广, 大家都在看, All Rights Reserved", [
        r"大家都在看|广告|廣告|[(（【\[]\s*(?:广告|廣告|推广|推廣)\s*[)）】\]]|推广|推廣|All Rights Reserved\.?|原创|原創"]),
    "ui_player_control": ("a media player's buttons and clock: 播放, 暂停, 全屏, 00:00 / 03:21", [
        r"播放|暂停|暫停|重播|全屏|\d{1,2}:\d{2}\s*/\s*\d{1,2}:\d{2}"]),
    "ui_post_info": ("a post's place, reading time and counts: 发表于江苏, IP属地：北京, 本文共1234字…, 阅读 5177, 只看该作者", [
        r"(?:发表于|發表於|IP属地|IP屬地)[:：]?\s*\S{2,8}|只看(?:该|該)?(?:作者|楼主|樓主)|本文共\d+字.{0,20}",
        r"(?:阅读|閱讀|浏览|瀏覽|点击|點擊)\s*\d+"]),
    "ui_reward": ("a reward (tip) box's prompts: 真诚赞赏，手留余香, 还没有人赞赏，快来当第一个赞赏的人吧！, 赞赏支持", [
        r"(?:真诚|真誠)(?:赞赏|讚賞)[，,]?\s*手留余香|(?:还没有|還沒有)人(?:赞赏|讚賞)[，,]?\s*快来当第一个(?:赞赏|讚賞)的人吧[!！]?",
        r"(?:赞赏|讚賞)(?:支持|作者)|喜欢作者|喜歡作者|\d+\s*人已(?:赞赏|讚賞)"]),
    "ui_symbols": ("a line of one to ten symbols and no word: ▍, >>, ···", [r"[\W_]{1,10}"]),
}


def ui_control_line(words: list[str]) -> re.Pattern[str]:
    """A line that is only one of the words (case-insensitive), with at most a ?, : or >."""
    return rx(r"^\s*(?:" + "|".join(words) + r")\s*[?？:：>»]*\s*$")


UI_CONTROLS = [Rule(name, "line", description, ui_control_line(words))
               for name, (description, words) in UI_CONTROL_WORDS.items()]

COMMENT_BOX = Rule("comment_box", "line",
                   "a portal's comment box: its disclaimer (网友评论仅供其表达个人看法…), 暂无热门评论, 还没有评论, "
                   "抢沙发, 热门评论 (12), 文明上网理性发言",
                   re.compile(r"^(?=.{0,90}$)[^。]{0,16}(?:网友|網友|读者|讀者|用户|用戶|会员|會員)?(?:评论|評論|留言|跟帖)[^。]{0,4}"
                              r"(?:仅供|僅供|仅代表|僅代表|只代表|不代表|并不代表|並不代表).*$"
                              r"|^(?=.{0,24}$)\s*(?:暂无|暫無|还没有|還沒有|目前没有|目前沒有|尚无|尚無|没有|沒有)(?:任何)?(?:人)?"
                              r"(?:热门|熱門|最新|相关|相關)?(?:评论|評論|留言|跟帖|回复|回覆)\s*(?:[，,。!！~～]\s*(?:快来|快來)[^。]{0,10})?"
                              r"[。!！~～]*$"
                              r"|^(?=.{0,30}$)[^。]{0,8}(?:抢沙发|搶沙發|来说两句|來說兩句|发表你的看法|發表你的看法).*$"
                              r"|^\s*(?:热门|熱門|最新|全部|精彩|网友|網友)(?:评论|評論|跟帖|留言|回复|回覆)\s*[(（]?\s*\d*\s*[)）]?\s*$"
                              r"|^\s*(?:共|已有)?\s*\d*\s*(?:条|條|人)?(?:评论|評論|跟帖|留言|参与|參與)\s*$"
                              r"|^\s*(?:查看|显示|顯示|展开|展開)(?:全部|更多)?\s*\d*\s*(?:条|條)?(?:评论|評論|跟帖|回复|回覆)\s*[>»]*\s*$"
                              r"|^(?=.{0,40}$)\s*(?:文明上网|文明上網|理性发言|理性發言)[^。]*$"), requires="评評论論留言帖回沙说說表看文理参參")

READING_PROMPT = Rule("reading_prompt", "line",
                      "WeChat's reading prompts and bars under a post: 阅读原文, 点个在看, 分享 点赞 在看, 向上滑动看下一个",
                      re.compile(rf"^(?=.*[{HANZI}])\s*(?:{READING_PROMPT_WORDS})(?:[\s|｜/，,、]*(?:{READING_PROMPT_WORDS}))*\s*[!！>»]*\s*$"))

VIDEO_PLAYER = Rule("video_player", "line",
                    "a video player's leftovers: 很抱歉，当前视频播放失败, 时长：01:45 建议WIFI下打开, 正在为您切换到高清480P，请稍候..., "
                    "播放速度：2X, 倍速 and quality menus (- 1.5X, 超清), 循环播放, 跳过片头, 错误代码：…",
                    re.compile(r"^(?=.{0,40}$)[^。]*(?:视频|視頻|影片|播放器)[^。]{0,4}(?:播放|加载|加載|载入|載入)(?:失败|失敗|出错|出錯|异常|異常)[^。]*$"
                               r"|^\s*(?:时长|時長)\s*[:：]\s*\d{1,2}:\d{2}(?::\d{2})?[^。！？]{0,24}$"
                               r"|^(?=[^。！？]{0,50}$).*(?:建议|建議)\s*(?:在)?\s*(?:WIFI|wifi|Wi-?Fi|WiFi|WLAN)\s*(?:下|环境下|環境下)?\s*(?:打开|打開|观看|觀看|播放)"
                               r"|^(?=.{0,50}$)\s*正在(?:为您|為您)?(?:切换|切換|加载|加載|缓冲|緩衝)[^。]*(?:请稍候|請稍候|请稍等|請稍等|\.{3}|…)\s*$"
                               r"|^\s*(?:播放速度|倍速|清晰度|画质|畫質)\s*[:：]?\s*(?:\d(?:\.\d{1,2})?\s*[Xx倍])?\s*$"
                               r"|^\s*[-•]?\s*\d(?:\.\d{1,2})?\s*[Xx]\s*$"
                               r"|^\s*[-•]?\s*(?:超清|高清|标清|標清|流畅|流暢|蓝光|藍光)(?:\s*\d{3,4}[Pp])?\s*$"
                               r"|^\s*(?:循环播放|循環播放|跳过片头|跳過片頭|跳过片尾|跳過片尾|设置成功|設置成功)\s*$"
                               r"|^\s*(?:错误代码|錯誤代碼)\s*[:：]\s*[\w.-]{1,20}\s*$"),
                    requires="视視影播时時建正倍清画畫XxP流蓝藍循跳设設错錯")

WECHAT_REWARD = Rule("wechat_reward", "line",
                     "WeChat's notice under a post that its iOS reward (赞赏) button is off: 受苹果公司新规定影响，微信 iOS 版的赞赏功能被关闭…",
                     re.compile(r"^(?=.{0,80}$).*(?:苹果|蘋果|iOS|IOS|ios)[^。]{0,24}(?:赞赏|讚賞)功能[^。]{0,6}(?:关闭|關閉|暂停|暫停|下线|下線)"),
                     requires="赞讚")

PAYWALL_PROMPT = Rule("paywall_prompt", "line",
                      "a paywall's or an expired story's prompt to the reader: 您所浏览的新闻已过查询时效, "
                      "建议您加入某某付费会员…, 订阅后阅读全文, 剩余内容需付费; a story about members and fees stays",
                      re.compile(r"^(?=.{0,80}$).*(?:"
                                 r"(?:新闻|新聞|文章|内容|內容|页面|頁面|报道|報導)[^。！？]{0,6}已(?:过|過|超过|超過)[^。！？]{0,4}"
                                 r"(?:时效|時效|期限)"
                                 r"|(?:您|你|请|請)[^。！？]{0,6}(?:加入|成为|成為|开通|開通|升级|升級)[^。！？]{0,12}(?:会员|會員|VIP)"
                                 r"|(?:订阅|訂閱|付费|付費|购买|購買|登录|登錄|登入)(?:后|後)\s*(?:即可|可|才能|方可)?\s*"
                                 r"(?:阅读|閱讀|查看|收看|解锁|解鎖)\s*(?:全文|完整|全部|剩余|剩餘|更多)"
                                 r"|(?:剩余|剩餘|余下|餘下)[^。！？]{0,10}(?:内容|內容|全文)[^。！？]{0,6}"
                                 r"(?:付费|付費|订阅|訂閱|登录|登錄|会员|會員))", re.I),
                      requires="闻聞章容面道導您你请請订訂付购購登剩余餘")

"""What a site asks of its reader: follow us, download the app, scan the code, join the
fan page, read more of ours, discuss it in our forum; and the notices it appends to certain
stories (the suicide-prevention hotline). Line rules."""
from __future__ import annotations

import re

from tasks.chinese import HANZI
from tasks.cleaning.rule import BULLET, Rule

# QR-code and account prompts: an (optional) polite lead, a verb, what to scan or follow,
# and what the reader gets by it.
PROMPT_LEAD = r"(?:欢迎|歡迎|请|請|敬请|敬請|记得|記得|赶快|趕快|快来|快來|可以|可)"
PROMPT_VERB = (r"(?:扫描|掃描|扫码|掃碼|扫一扫|掃一掃|长按|長按|识别|識別|关注|關注|订阅|訂閱|添加|加入|戳|点击|點擊"
               r"|搜索|搜尋)")
PROMPT_TARGET = (r"(?:二维码|二維碼|公众号|公眾號|微信号|微信號|视频号|視頻號|服务号|服務號|小程序|官方微博|官方微信"
                 r"|抖音号|抖音號|我们|我們|本号|本號)")
PROMPT_GAIN = (r"(?:我们|我們|本号|本號|本站|本网|本網|小编|小編|更多|获取|獲取|第一时间|第一時間|福利|领取|領取"
               r"|不迷路|精彩|最新)")
# A prompt is one line of at most one sentence (after a short hook: 不想错过？): nothing ends
# a sentence after its first 12 characters but before its end.
ONE_PROMPT = r"(?!.{12,}?[。！？!?].)"

# Promotion lines: a line of its own that is one prompt (ONE_PROMPT), between optional
# stars and bullets (☆…☆), by what it promotes.
PROMOTION_PROMPTS: dict[str, tuple[str, list[str]]] = {
    "promotion_more_news": ("more of the site's news: ☆更多宝岛日报报导☆, 【更多精彩新闻，都在《某某》粉丝团】, "
                            "更多…资讯请关注www.example.com", [
        r"更多.{0,12}(?:报导|報導|报道|報道|新闻|新聞|资讯|資訊|内容|內容|精彩)"
        r"(?:\s*[，,]?\s*(?:请|請)?(?:看这里|看這裡|点这里|點這裡|戳这里|戳這裡|点击这里|點擊這裡|在这里|在這裡))?",
        # 【更多精彩新聞，都在《某某》粉絲團】, 更多文章，都在【某某】
        r"[【\[]?\s*更多[^。！？]{0,12}?[，,\s]*(?:都在|尽在|盡在|就在)\s*[《【「\[][^。！？]{1,24}?[】\]]?",
        # 更多“某某”的相关资讯请关注www.example.com
        r"更多[^。！？]{0,40}?(?:请|請)?(?:关注|關注|访问|訪問|登录|登錄|浏览|瀏覽)\s*(?:https?://)?(?:www\.)?[\w-]+(?:\.[\w-]+)+/?"]),
    "promotion_follow_more": ("following the site elsewhere: 追踪更多某某新闻：, 1.用Plurk追踪某某：追踪, "
                              "订阅某某频道：https://…", [
        r"(?:追蹤|追踪|关注|關注|订阅|訂閱)更多[^。！？]{0,20}(?:[:：]|新闻|新聞|资讯|資訊|消息|内容|內容|报导|報導|动态|動態)",
        rf"(?:\d{{1,2}}\s*[.、．]\s*)?用\s*[A-Za-z{HANZI}]{{1,12}}?\s*(?:追蹤|追踪|关注|關注|订阅|訂閱)[^。！？]{{0,20}}[:：]"
        r"\s*(?:追蹤|追踪|关注|關注|订阅|訂閱)?",
        # a channel to subscribe to by its link: 订阅Telegram最新🍴✈️🎁优惠及送礼情报：https://bit.ly/…
        r"(?:订阅|訂閱|关注|關注|追蹤|追踪|加入)[^。！？]{0,30}?[:：]\s*https?://[!-~]+"]),  # the link in ASCII
    "promotion_click_follow": ("an account's click prompt: 点击上方蓝字 关注我们, 点我订阅", [
        r"(?:点击|點擊|戳|轻触|輕觸)(?:上方|上面|下方|标题下|標題下).{0,12}(?:关注|關注|订阅|訂閱|星标|星標).{0,12}",
        r"(?:点我|點我|按我|点击|點擊)(?:看|查看|订阅|訂閱).{0,12}"]),
    "promotion_fan_page": ("joining a fan page or group: >>加入某某粉丝团, 按讚加入某某粉絲團", [
        r"(?:按讚|按赞|点赞|點讚|点击|點擊)?加入.{0,16}(?:粉丝团|粉絲團|粉丝页|粉絲頁|好友|官方帐号|官方帳號|官方账号"
        r"|频道|頻道|群组|群組).{0,20}"]),
    "promotion_latest_news": ("the latest news by following or sharing: …，掌握最新消息, 分享让更多人看到", [
        r".{0,30}(?:掌握|获取|獲取|获得|獲得)(?:最新|第一手)(?:消息|资讯|資訊|新闻|新聞|动态|動態)",
        r"分享让更多人看到|分享給更多人"]),
}


def promotion_line(alternatives: list[str]) -> re.Pattern[str]:
    return re.compile(rf"^{ONE_PROMPT}[-•·☆★※◆>»\s]*(?:" + "|".join(alternatives) + r")[☆★※◆\s]*$")


PROMOTIONS = [Rule(name, "line", description, promotion_line(alternatives))
              for name, (description, alternatives) in PROMOTION_PROMPTS.items()]

APP_PROMPT = Rule("app_prompt", "line",
                  "app prompts: 下载某某App, 打开某某客户端 查看更多, 尽在某某APP, 點我下載APP, a bar of them, an app's name alone",
                  re.compile(rf"^{ONE_PROMPT}[-•·☆★※◆\s]*(?:"
                             r"下载.{0,12}(?:App|APP|app|客户端|客戶端).{0,30}|下載.{0,12}(?:App|APP|app|客戶端).{0,30}"
                             # 打开某某客户端 查看更多, 尽在某某APP, 點我下載APP, or after a short hook: 不想错过？请下载某某APP
                             r"|(?=[^。！？!?]*$).{0,24}(?:下载|下載|打开|打開|尽在|盡在|用|点我|點我|按我|点击|點擊).{0,12}(?:APP|App|app|客户端|客戶端)"
                             r".{0,24}|[^。！？!?]{1,12}[？！?!]\s*(?:请|請|欢迎|歡迎|快|立即|马上|馬上)?"
                             r"(?:下载|下載|打开|打開|安装|安裝)[^。！？!?]{0,12}"
                             # …, what the app gives: 現在看新聞還能抽獎，共9萬個中獎機會等著你：
                             r"(?:APP|App|app|客户端|客戶端)[^。！？!?]{0,40}"
                             r"|(?:点我|點我|按我|点击|點擊)(?:下载|下載).{0,12}"
                             # a bar of app prompts: no sentence or clause punctuation, two prompt words or more
                             r"|(?=[^。！？!?，,；;]*$)(?=(?:.*?(?:APP|App|app|客户端|客戶端|点我|點我|按我|活动办法|活動辦法"
                             r"|中奖|中獎|抽奖|抽獎)){2}).{0,60}"
                             # an app's name alone on a line: 某某日报客户端
                             r"|[^。，,！？!?\s]{2,10}(?:客户端|客戶端|APP|App))"
                             r"[☆★※◆\s]*$"), requires="载載开開尽盡用点點按客中抽APap")

APP_STORE_LINK = Rule("app_store_link", "line",
                      "an app store's download line: iOS載點 https://…, Android下载：, App Store: https://…",
                      re.compile(r"^[-•·\s]*(?:iOS|IOS|iPhone|iPad|Android|安卓|苹果|蘋果|App\s?Store|Google\s?Play)\s*"
                                 r"(?:版|用户|用戶|手机|手機)?\s*(?:(?:载点|載點|下载点|下載點|下载|下載|下载链接|下載連結"
                                 r"|下载地址|下載地址)\s*[:：]?\s*(?:https?://\S+)?|[:：]?\s*https?://\S+)\s*$"))

ACCOUNT_PROMPT = Rule("account_prompt", "line",
                      "QR-code and account prompts: 扫描二维码关注我们, 长按识别二维码, 欢迎关注微信公众号：某某, "
                      "请识别图中二维码关注, a bare 某某公众号 label; a sentence that reports scanning a code stays",
                      re.compile(
                          # the prompt opens the line (after at most a short hook without punctuation) ...
                          rf"^[^。，,！？!?；;]{{0,12}}?(?:{PROMPT_LEAD})?{PROMPT_VERB}[^。！？!?]{{0,16}}?{PROMPT_TARGET}"
                          # ... and is not a sentence, or says what the reader gets by following
                          rf"(?:[^。！？!?]*$|(?=.*{PROMPT_GAIN}).{{0,60}}$)"
                          # or the page asks for it anywhere in a short line: 请识别图中二维码关注
                          rf"|^(?=.{{0,80}}$).*(?:请|請|欢迎|歡迎|敬请|敬請){PROMPT_VERB}[^。！？!?]{{0,10}}?{PROMPT_TARGET}"
                          # or the account's name alone: 新浪财经公众号
                          r"|^[^。，,！？!?\s]{0,10}(?:微信)?(?:公众号|公眾號|视频号|視頻號|服务号|服務號)\s*$"), requires="码碼号號们們序博信")

FOLLOW_US = Rule("follow_us", "line", "a site's follow-us line: 关注我们, 关注新华网, 欢迎关注, Follow us",
                 re.compile(r"^\s*[-•·]?\s*(?:欢迎|歡迎|请|請)?(?:关注|關注|追踪|追蹤|订阅|訂閱)\s*(?:我们|我們|本站|本网|本網|本号|本號)?"
                            r"\s*[:：]?\s*(?:[^\s，。！？,!?]{1,12}?(?:网|網|报|報|号|號|频道|頻道|微博|APP|App|客户端|客戶端|新闻|新聞|TV))?"
                            r"\s*[!！]?\s*$|^\s*follow\s+us\b.{0,40}$"
                            # 欢迎关注 and an account's name, nothing else: 欢迎关注电大小微
                            r"|^\s*(?:欢迎|歡迎)(?:关注|關注)\s*[^\s，。！？,!?：:]{2,12}\s*[!！~～]?\s*$"
                            # an invitation to a social page: 邀請您到 FB 粉絲團 按個"讚"
                            r"|^(?=.{0,60}$).*(?:粉丝团|粉絲團|粉丝页|粉絲頁|粉专|粉專)[^。]{0,12}(?:讚|赞|加入|追踪|追蹤|关注|關注)[^。]{0,6}$"
                            r"|^(?=.{0,60}$).*(?:按讚|按赞|按個|加入|追踪|追蹤|关注|關注)[^。]{0,12}(?:粉丝团|粉絲團|粉丝页|粉絲頁|粉专|粉專)[^。]{0,6}$",
                            re.I), requires="关關追订訂粉oO")

DISCUSSION_PROMPT = Rule("discussion_prompt", "line",
                         "a prompt to discuss the story elsewhere: 进入【新浪财经股吧】讨论, 到某某论坛发帖",
                         re.compile(rf"^\s*{BULLET}?\s*(?:点击|點擊)?(?:进入|進入|去|到|来|來)\s*[【\[《「]?[^】\]》」。！？]{{0,16}}?"
                                    r"(?:股吧|论坛|論壇|社区|社區|贴吧|貼吧|讨论区|討論區|留言板)[】\]》」]?\s*"
                                    r"(?:讨论|討論|交流|发帖|發帖|参与讨论|參與討論|聊聊|看看)?\s*[>»]*\s*$"),
                         requires="进進去到来來")

SUICIDE_NOTICE = Rule("suicide_notice", "line",
                      "the suicide-prevention notice Taiwanese sites append to stories of suicide: 自殺防治諮詢安心專線：0800-788995, "
                      "生命線：1995, 某某關心您：再給自己一次機會, 自殺解決不了問題，卻留給家人無比悲痛。請珍惜生命。",
                      re.compile(
                          # a hotline: a suicide or crisis line's name and its number, nothing else
                          r"^[-•·*●★◆※\s]*(?=[^。！？]{0,40}$)[^。！？]{0,16}?(?:自殺|自杀|輕生|轻生|生命線|生命线|張老師|张老师|安心專線|安心专线"
                          r"|協談|协谈)[^。！？:：]{0,12}\s*[:：]\s*\d[\d\s-]{2,14}\s*(?:[(（]\s*24\s*(?:小時|小时|h|H)\s*[)）])?\s*[；;,，。]?\s*$"
                          # the site's care line: 某某關心您：再給自己一次機會, 某某提醒您，請給自己機會：
                          r"|^[-•·*●★◆※\s]*(?=[^。]{0,40}$)[^。]{0,24}?(?:關心您|关心您|關心你|关心你|提醒您|提醒你)[:：，,\s]*(?:請|请)?(?:再)?"
                          r"(?:給|给)自己(?:一次)?(?:機會|机会)[:：。！!]?\s*$"
                          r"|^[-•·*●★◆※\s]*[^。，,\s]{1,12}(?:關心您|关心您|關心你|关心你)[:：]?\s*$"
                          r"|^\s*(?:再給自己一次機會|再给自己一次机会)[。！!]?\s*$"
                          r"|^(?=.{0,60}$)\s*(?:自殺|自杀|輕生|轻生)(?:解決不了|解决不了|不能解決|不能解决|無法解決|无法解决)(?:任何)?(?:問題|问题)"
                          r".*(?:珍惜生命|珍愛生命|珍爱生命|悲痛)"), requires="殺杀輕轻生師师安協协機机關关")

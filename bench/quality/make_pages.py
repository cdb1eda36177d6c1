"""Write the quality gold set: bench/quality/pages/<site>/... and bench/quality/gold.jsonl.

Twenty site templates × the gold articles in articles.py, deterministic. Each template
imitates a different kind of Chinese news site (portal, provincial daily, county site,
Taiwan and Hong Kong papers, government portal, self-media mirror, sports portal, ...)
with its own markup, class names, date line, title suffix, footer, encoding and script,
and the noise such sites put around the article. The gold record says what a careful
editor would keep: the headline without the site suffix, the article's own date, the
source, the author, and the article prose in Simplified script.

    python bench/quality/make_pages.py
"""
from __future__ import annotations

import html
import json
import re
import shutil
import unicodedata
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Callable

from articles import ARTICLES, GoldArticle

HERE = Path(__file__).resolve().parent
PAGES = HERE / "pages"
GOLD = HERE / "gold.jsonl"

# Headlines for hot lists: never part of any article.
HOT = [
    "五一假期高速免费通行时间公布", "本周末气温回升 最高可达28摄氏度", "中考体育考试项目调整",
    "油价下周或迎下调", "这些新规下月起施行", "赏花季来了 周边这些地方值得去",
    "医保个人账户改革答问", "全市新增3条定制公交线路", "公积金贷款额度上调",
    "春运火车票今起开售", "夜间经济地图发布", "明起部分路段临时交通管制",
]

# Headlines for related lists, prev/next links and the like: other articles' titles, from
# a fixed pool so that adding articles leaves the earlier pages byte for byte the same.
RELATED_POOL = ARTICLES[:41]

# Pinyin that reprint sites insert after characters with several Traditional forms.
PINYIN = {"發": "fā", "戰": "zhàn", "區": "qū", "協": "xié", "內": "nèi", "經": "jīng",
          "產": "chǎn", "應": "yīng", "擔": "dān", "學": "xué", "創": "chuàng", "轉": "zhuǎn"}
PINYIN_ANNOTATION = re.compile(r"\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]+\)")


@lru_cache(maxsize=None)
def opencc_converter(config: str):
    import opencc

    return opencc.OpenCC(f"{config}.json")


def convert(text: str, config: str | None) -> str:
    return opencc_converter(config).convert(text) if config else text


def esc(text: str) -> str:
    return html.escape(text, quote=False)


def attr(text: str) -> str:
    return html.escape(text, quote=True)


def normalise(text: str) -> str:
    """How the scorer compares text: NFKC, no whitespace."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


@dataclass
class Page:
    """One rendered page and its gold record."""

    path: str  # relative to bench/quality
    markup: str
    encoding: str  # codec the bytes are written in
    script: str  # hans, hant or mixed: the article's script on the page
    opencc: str | None  # config that made the page text from the Simplified gold
    title: str
    published_at: str
    source: str | None
    author: str | None
    text: str
    noise: list[str] = field(default_factory=list)
    # (garbled run on the page, the text it garbles): GBK bytes read one byte off
    mojibake: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class Ctx:
    """What a template needs to render article number n."""

    article: GoldArticle
    n: int  # index in ARTICLES
    site: str
    opencc: str | None = None

    def t(self, text: str) -> str:
        """Text as this site shows it (its script)."""
        return convert(text, self.opencc)

    @property
    def day(self) -> date:
        return date.fromisoformat(self.article.date)

    def ymd(self, sep: str = "-", pad: bool = True) -> str:
        d = self.day
        return sep.join([f"{d.year}", f"{d.month:02d}" if pad else str(d.month),
                         f"{d.day:02d}" if pad else str(d.day)])

    def cn_date(self, pad: bool = True) -> str:
        d = self.day
        return f"{d.year}年{d.month:02d}月{d.day:02d}日" if pad else f"{d.year}年{d.month}月{d.day}日"

    def published(self, with_time: bool) -> str:
        """Gold published_at: a datetime when the page gives the time, else the date."""
        if with_time and self.article.time:
            return f"{self.article.date}T{self.article.time}:00+08:00"
        return self.article.date

    def related(self, count: int = 4) -> list[tuple[str, date, str]]:
        """Other articles' headlines with their own dates, some after this article's
        date (a sidebar is newer than the page), none equal to it."""
        items = []
        for k, offset in zip(range(1, count + 1), [-9, 2, -3, 5, -16, 1]):
            other = RELATED_POOL[(self.n + 7 * k) % len(RELATED_POOL)]
            clock = f"{(8 + 3 * k + self.n) % 24:02d}:{(17 * k + self.n) % 60:02d}"
            items.append((other.title, self.day + timedelta(days=offset), clock))
        return items

    def hot(self, count: int = 4) -> list[str]:
        return [HOT[(self.n + k) % len(HOT)] for k in range(count)]

    def paragraphs(self) -> list[str]:
        return [self.t(p) for p in self.article.paragraphs]


def gbk_one_byte_off(run: str) -> str:
    """`run` as a GBK page shows it after a copy that lost the run's first byte: the
    orphaned byte becomes '?', the rest pairs up wrongly until an ASCII byte resyncs it
    (。“雖然 → ?！半m然, as in the seeds)."""
    return "?" + run.encode("gbk")[1:].decode("gbk", errors="replace").replace("\ufffd", "?")


def gold_text(article: GoldArticle, caption_kept: bool) -> str:
    """The article prose; a real photo caption once, where the page first shows it
    (after the first paragraph in every template that shows one)."""
    paras = list(article.paragraphs)
    if caption_kept and article.caption:
        paras.insert(1, article.caption)
    return "\n".join(paras)


def with_caption(paras: list[str], caption_html: str | None) -> list[str]:
    """Body chunks (already HTML) with the photo block after the first paragraph."""
    if caption_html is None:
        return paras
    return paras[:1] + [caption_html] + paras[1:]


# ---------------------------------------------------------------------------------------
# Templates. Each returns a Page; noise lists only strings present in its markup.
# ---------------------------------------------------------------------------------------

def site01_portal(c: Ctx) -> Page:
    """National portal, UTF-8, og/article meta, date in URL path, 分享到, 责任编辑."""
    a = c.article
    d = c.day
    path = f"pages/site01/{d.year}/{d.month:02d}{d.day:02d}/c_{1000 + c.n}.html"
    when = f"{c.ymd()} {a.time}:00" if a.time else c.ymd()
    meta_time = f"{a.date}T{a.time}:00+08:00" if a.time else a.date
    body = [f"<p>{esc(p)}</p>" for p in c.paragraphs()]
    if a.byline:  # the credit again at the end, in brackets
        body.append(f"<p>({esc(a.byline)})</p>")
    caption = (f'<p style="text-align:center"><img src="/img/{d:%Y%m}/{c.n}.jpg" alt="{attr(a.caption)}"></p>\n'
               f'    <p class="pictext" style="text-align:center">{esc(a.caption)}</p>') if a.caption else None
    rel = c.related()
    byline = f'<span class="author">作者:{esc(a.byline)}</span>' if a.byline else ""
    editor = "陈思远"
    markup = f"""<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<title>{esc(a.title)}_新闻中心_华夏新闻网</title>
<meta name="keywords" content="{attr(a.title[:6])},新闻">
<meta name="description" content="{attr(a.paragraphs[0][:60])}">
<meta property="og:type" content="article">
<meta property="og:title" content="{attr(a.title)}">
<meta property="og:site_name" content="华夏新闻网">
<meta property="article:published_time" content="{meta_time}">
<link rel="stylesheet" href="//static.hxnews.example.cn/css/article-2021.css">
<script>window.__PAGE__={{channel:"news",id:"c_{1000 + c.n}"}};</script>
</head>
<body>
<div class="top-bar"><div class="w1200"><a href="/">华夏新闻网首页</a><a href="/m/">手机版</a><a href="/app/">客户端</a><span class="login"><a href="/passport/login">登录</a> <a href="/passport/reg">注册</a></span></div></div>
<div class="header w1200"><a class="logo" href="/"><img src="/img/logo.png" alt="华夏新闻网"></a>
<ul class="nav"><li><a href="/">首页</a></li><li><a href="/china/">国内</a></li><li><a href="/world/">国际</a></li><li><a href="/society/">社会</a></li><li><a href="/finance/">财经</a></li><li><a href="/tech/">科技</a></li><li><a href="/sports/">体育</a></li><li><a href="/culture/">文化</a></li></ul></div>
<div class="crumb w1200"><a href="/">首页</a> &gt; <a href="/society/">社会</a> &gt; 正文</div>
<div class="main w1200">
 <div class="article">
  <h1 class="main-title">{esc(a.title)}</h1>
  <div class="info"><span class="time">{when}</span> <span class="source">来源:{esc(a.source)}</span> {byline}</div>
  <div class="share-bar">分享到:<a class="weixin" href="javascript:;">微信</a><a class="weibo" href="javascript:;">微博</a><a class="qzone" href="javascript:;">QQ空间</a></div>
  <div class="article-content" id="articleText">
{chr(10).join(with_caption(body, caption))}
    <p class="editor">责任编辑:{editor}</p>
  </div>
  <div class="related"><h3>相关新闻</h3><ul>
{chr(10).join(f'   <li><a href="/society/{r[1]:%Y%m%d}/{i}.html">{esc(r[0])}</a><span>{r[1].isoformat()} {r[2]}</span></li>' for i, r in enumerate(rel))}
  </ul></div>
 </div>
 <div class="side"><h3>热门排行</h3><ol>{''.join(f'<li><a href="/hot/{i}.html">{esc(h)}</a></li>' for i, h in enumerate(c.hot()))}</ol></div>
</div>
<div class="footer">
 <p><a href="/about/">关于我们</a> | <a href="/contact/">联系我们</a> | <a href="/ads/">广告服务</a> | <a href="/legal/">免责声明</a> | <a href="/sitemap/">网站地图</a></p>
 <p>Copyright &copy; 2000-{d.year + 1} 华夏新闻网 版权所有</p>
 <p>互联网新闻信息服务许可证:10120170033 &nbsp; 京ICP备11042345号-3 &nbsp; 京公网安备11010502033221号</p>
 <p>违法和不良信息举报电话:010-56781234 &nbsp; 举报邮箱:jubao@hxnews.example.cn</p>
</div>
<a class="gotop" href="#">返回顶部</a>
</body>
</html>
"""
    return Page(path, markup, "utf-8", "hans", None, a.title, c.published(True), a.source, a.author,
                gold_text(a, True),
                ["分享到", "责任编辑", "京ICP备11042345号-3", "京公网安备11010502033221号", "版权所有",
                 "违法和不良信息举报电话", "返回顶部", rel[0][0], c.hot()[0]])


def site02_provincial_gbk(c: Ctx) -> Page:
    """Provincial daily, GBK declared via http-equiv, table layout, mojibake ? for ©."""
    a = c.article
    when = f"{c.cn_date()} {a.time}" if a.time else c.cn_date()
    rel = c.related(3)
    caption = (f'<table align="center"><tr><td><img src="/pic/{c.n}.jpg" border="0"></td></tr>'
               f'<tr><td class="pic_title">{esc(a.caption)}</td></tr></table>') if a.caption else None
    paras = c.paragraphs()
    # the paper's own lead-in credit opens the first paragraph; gold drops it (a byline)
    lead = f"本报讯(记者 {a.author})" if a.author else "本报讯 "
    paras[0] = lead + paras[0]
    # an old CMS: paragraphs are <br> runs inside one cell, not <p>s
    body = "<br>\n<br>\n".join(with_caption([f"　　{esc(p)}" for p in paras], caption))
    byline = f"&nbsp;&nbsp;作者:{esc(a.byline)}" if a.byline else ""
    markup = f"""<html>
<head>
<meta http-equiv="Content-Type" content="text/html; charset=gbk">
<title>{esc(a.title)} - 齐鲁在线</title>
<meta name="keywords" content="齐鲁在线,新闻">
<link href="/css/style.css" rel="stylesheet" type="text/css">
<script language="javascript" src="/js/common.js"></script>
</head>
<body topmargin="0" leftmargin="0">
<table width="960" border="0" align="center" cellpadding="0" cellspacing="0" class="head">
<tr><td><img src="/images/top_logo.gif" width="300" height="80"></td><td align="right"><a href="/">首页</a> | <a href="/sd/">山东新闻</a> | <a href="/gn/">国内</a> | <a href="/gj/">国际</a> | <a href="/ty/">体育</a> | <a href="/yl/">娱乐</a> | <a href="/bbs/">论坛</a></td></tr>
</table>
<table width="960" border="0" align="center" cellpadding="0" cellspacing="0">
<tr><td class="weizhi">您现在的位置: <a href="/">齐鲁在线</a> &gt;&gt; <a href="/sd/">新闻中心</a> &gt;&gt; 正文</td></tr>
<tr><td align="center" class="biaoti"><h2>{esc(a.title)}</h2></td></tr>
<tr><td align="center" class="laiyuan">{when}&nbsp;&nbsp;来源:{esc(a.source)}{byline}&nbsp;&nbsp;【字号 <a href="#">大</a> <a href="#">中</a> <a href="#">小</a>】【<a href="javascript:window.print()">打印</a>】【<a href="javascript:window.close()">关闭</a>】</td></tr>
<tr><td class="zhengwen" id="zoom">
{body}
</td></tr>
<tr><td class="xgxw"><b>相关新闻:</b><br>
{'<br>'.join(f'·<a href="/sd/{r[1]:%Y%m}/{c.n}{i}.html">{esc(r[0])}</a> ({r[1]:%Y-%m-%d})' for i, r in enumerate(rel))}
</td></tr>
</table>
<table width="960" align="center" class="links"><tr><td>友情链接:<a href="http://www.example-sd.cn/">山东某某网</a> | <a href="http://www.example-jn.cn/">济南某某网</a> | <a href="http://www.example-qd.cn/">青岛某某网</a></td></tr></table>
<table width="960" align="center" class="foot"><tr><td align="center">
<a href="/about.html">关于我们</a> | <a href="/lianxi.html">联系我们</a> | <a href="/guanggao.html">广告服务</a><br>
Copyright ? 2001-{c.day.year} 齐鲁在线 版权所有 鲁ICP备05001234号<br>
未经授权禁止复制或建立镜像 举报电话:0531-8888 6666
</td></tr></table>
</body>
</html>
"""
    return Page(f"pages/site02/{c.day:%Y%m}/t{c.day:%Y%m%d}_{c.n:04d}.html", markup, "gbk", "hans", None,
                a.title, c.published(True), a.source, a.author, gold_text(a, True),
                ["本报讯", "【字号", "友情链接", "Copyright ? 2001", "鲁ICP备05001234号", "举报电话", rel[1][0]])


def site03_county_gb2312(c: Ctx) -> Page:
    """County news site: gb2312 label on GBK bytes, info line with 浏览次数, an escaped
    <span style> in the text, 【关闭窗口】."""
    a = c.article
    paras = c.paragraphs()
    # an editor pasted from Word: the tag arrived escaped, so it shows as text
    paras_html = [esc(p) for p in paras]
    paras_html[-1] = ("&lt;span style=&quot;font-family: 宋体; font-size: 12pt;&quot;&gt;"
                      + paras_html[-1] + "&lt;/span&gt;")
    caption = (f'<p align="center"><img src="/uploadfiles/{c.day:%Y%m}/{c.n}.jpg" width="600"></p>'
               f'<p align="center">{esc(a.caption)}</p>') if a.caption else None
    body = with_caption([f"<p>{p}</p>" for p in paras_html], caption)
    author = f"作者:{esc(a.author)}&nbsp;&nbsp;" if a.author else ""
    markup = f"""<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.01 Transitional//EN">
<html>
<head>
<meta http-equiv="Content-Type" content="text/html; charset=gb2312">
<title>{esc(a.title)}_清溪新闻网</title>
<style type="text/css">body{{font-size:12px}} .con{{font-size:14px;line-height:26px}}</style>
</head>
<body>
<div id="top"><img src="/images/banner.jpg" alt="清溪新闻网"></div>
<div id="menu"><a href="/">网站首页</a> <a href="/qxyw/">清溪要闻</a> <a href="/xzdt/">乡镇动态</a> <a href="/bmdt/">部门动态</a> <a href="/tzgg/">通知公告</a> <a href="/zfxxgk/">政府信息公开</a></div>
<div class="location">当前位置:<a href="/">首页</a> &gt;&gt; <a href="/qxyw/">清溪要闻</a></div>
<div class="article">
 <div class="tit">{esc(a.title)}</div>
 <div class="info">发布时间:{c.ymd()}&nbsp;&nbsp;{author}来源:{esc(a.source)}&nbsp;&nbsp;浏览次数:{300 + 37 * c.n}</div>
 <div class="con">
{chr(10).join(body)}
 </div>
 <div class="close">【<a href="javascript:window.print();">打印本页</a>】&nbsp;【<a href="javascript:window.close();">关闭窗口</a>】</div>
</div>
<div id="footer">
主办:中共清溪县委宣传部 &nbsp; 承办:清溪县融媒体中心<br>
版权所有:清溪新闻网 &nbsp; 备案号:赣ICP备09004567号 &nbsp; 赣公网安备36072302000111号<br>
联系电话:0797-5551234 &nbsp; 建议使用1024*768分辨率浏览
</div>
</body>
</html>
"""
    return Page(f"pages/site03/{c.day:%Y%m}/{c.n:05d}.htm", markup, "gbk", "hans", None, a.title,
                c.published(False), a.source, a.author, gold_text(a, True),
                ["浏览次数", "span style", "关闭窗口", "赣ICP备09004567号", "赣公网安备36072302000111号",
                 "建议使用1024*768分辨率浏览"])


def site04_taiwan_big5(c: Ctx) -> Page:
    """Taiwan daily, Big5 declared, 記者X/台北報導 byline, 延伸閱讀 with dates."""
    a = c.article
    t = c.t
    when = f"{c.ymd('/')} {a.time}" if a.time else c.ymd("/")
    rel = c.related(3)
    reporter = f"記者{t(a.author)}/台北報導" if a.author else "綜合報導"
    caption = (f'<div class="photo"><img src="/photo/{c.day:%Y%m%d}/{c.n}.jpg"><span>▲{esc(t(a.caption))}</span></div>'
               if a.caption else None)
    more = [t(RELATED_POOL[(c.n + k) % len(RELATED_POOL)].title) for k in (11, 13)]
    body = with_caption([f"<p>{esc(p)}</p>" for p in c.paragraphs()], caption) + [
        "<p>☆更多寶島日報報導☆</p>"] + [f'<p><a href="/life/{k}.html">{esc(m)}</a></p>' for k, m in enumerate(more)]
    markup = f"""<!DOCTYPE html>
<html>
<head>
<meta charset="big5">
<title>{esc(t(a.title))} | 寶島日報</title>
<meta property="og:title" content="{attr(t(a.title))}">
<meta property="og:site_name" content="寶島日報">
<link rel="stylesheet" href="/css/news.css">
</head>
<body>
<div id="header"><a href="/"><img src="/img/logo.gif" alt="寶島日報"></a>
<ul class="menu"><li><a href="/">首頁</a></li><li><a href="/politics/">政治</a></li><li><a href="/society/">社會</a></li><li><a href="/life/">生活</a></li><li><a href="/world/">國際</a></li><li><a href="/sports/">體育</a></li></ul>
<form action="/search"><input type="text" name="q"><input type="submit" value="搜尋"></form></div>
<div class="breadcrumb"><a href="/">首頁</a> &gt; <a href="/life/">生活</a></div>
<div id="story">
<h1>{esc(t(a.title))}</h1>
<div class="byline"><span class="date">{when}</span> {reporter}</div>
<div class="sharebar"><a href="#">分享</a> <a href="#">Facebook</a> <a href="#">LINE</a> <a href="#">列印</a> <a href="#">A+</a></div>
<div class="text">
{chr(10).join(body)}
</div>
</div>
<div class="related"><h3>延伸閱讀</h3><ul>
{chr(10).join(f'<li><a href="/life/{r[1]:%Y%m%d}/{c.n}{i}.html">{esc(t(r[0]))}</a> {r[1]:%Y/%m/%d} {r[2]}</li>' for i, r in enumerate(rel))}
</ul></div>
<div id="footer">
<p><a href="/about">關於我們</a> | <a href="/privacy">隱私權政策</a> | <a href="/contact">聯絡我們</a></p>
<p>本網站所刊載之內容,未經同意不得轉載。</p>
<p>Copyright &copy; {c.day.year} 寶島日報 版權所有</p>
</div>
<a href="#top" class="gotop">回到頂端</a>
</body>
</html>
"""
    return Page(f"pages/site04/{c.day:%Y%m%d}-{c.n}.html", markup, "big5", "hant", c.opencc, a.title,
                c.published(True), "寶島日報", a.author, gold_text(a, True),
                ["更多寶島日報報導", more[0], "Facebook", "隱私權政策", "未經同意不得轉載", "版權所有", "回到頂端", t(rel[0][0])])


def site05_hk_old_big5_undeclared(c: Ctx) -> Page:
    """Old Hong Kong paper: Big5 with no charset anywhere, table layout, no <h1>, site
    name before the title in <title>, date only as text, caption shown twice."""
    a = c.article
    t = c.t
    weekday = "一二三四五六日"[c.day.weekday()]
    caption = (f'<table align="center"><tr><td><img src="/photo/{c.n}.jpg" alt="{attr(t(a.caption))}"></td></tr>'
               f'<tr><td class="caption">{esc(t(a.caption))}</td></tr></table>'
               f'<p class="caption2">{esc(t(a.caption))}</p>') if a.caption else None
    body = ["<br><br>\n".join(with_caption([esc(p) for p in c.paragraphs()], caption))]
    hot = c.hot(3)
    markup = f"""<html>
<head>
<title>香江時報 - {esc(t(a.title))}</title>
<link rel="stylesheet" href="/css/main.css" type="text/css">
</head>
<body bgcolor="#FFFFFF">
<table width="780" border="0" cellspacing="0" cellpadding="0" align="center">
<tr><td><img src="/images/masthead.gif" alt="香江時報"></td></tr>
<tr><td class="menu"><a href="/">主頁</a> | <a href="/news/">港聞</a> | <a href="/china/">中國</a> | <a href="/world/">國際</a> | <a href="/finance/">經濟</a> | <a href="/sport/">體育</a> | <a href="/archive/">舊聞</a></td></tr>
<tr><td class="date">{c.cn_date(pad=False)} 星期{weekday}</td></tr>
<tr><td class="headline"><font size="+2"><b>{esc(t(a.title))}</b></font></td></tr>
<tr><td class="content">
{chr(10).join(body)}
</td></tr>
<tr><td class="nav"><a href="/news/prev.html">上一篇</a> | <a href="/news/next.html">下一篇</a> | <a href="/news/">返回港聞</a></td></tr>
<tr><td class="hot"><b>熱門新聞</b><br>{'<br>'.join(f'<a href="/hot/{i}.html">{esc(t(h))}</a>' for i, h in enumerate(hot))}</td></tr>
<tr><td class="footer">香江時報 版權所有 不得轉載 &nbsp; <a href="/privacy.html">私隱政策</a> &nbsp; <a href="/disclaimer.html">免責聲明</a></td></tr>
</table>
</body>
</html>
"""
    return Page(f"pages/site05/{c.day:%Y%m%d}/{c.n:03d}.htm", markup, "big5", "hant", c.opencc, a.title,
                c.published(False), "香江時報", None, gold_text(a, True),
                ["上一篇", "返回港聞", "版權所有", "私隱政策", "免責聲明", t(hot[0])])


def site06_hk_modern(c: Ctx) -> Page:
    """Modern Hong Kong site: UTF-8 Traditional (HK forms), JSON-LD date, <time>, og:title
    carrying the site suffix too."""
    a = c.article
    t = c.t
    iso = f"{a.date}T{a.time}:00+08:00" if a.time else f"{a.date}T00:00:00+08:00"
    shown = f"{c.cn_date(pad=False)} {a.time}" if a.time else c.cn_date(pad=False)
    caption = (f'<figure><img src="/img/{c.n}.jpg" alt=""><figcaption>{esc(t(a.caption))}</figcaption></figure>'
               if a.caption else None)
    body = with_caption([f"<p>{esc(p)}</p>" for p in c.paragraphs()], caption)
    body.insert(3, '<div class="ad-inline"><span>廣告</span><div id="div-gpt-ad-1"></div></div>')
    body.append("<p><strong>下載港澳新聞網App,隨時隨地掌握最新消息</strong></p>")
    author = f'<span class="author">撰文:{esc(t(a.author))}</span>' if a.author else ""
    rel = c.related(3)
    ld = json.dumps({"@context": "https://schema.org", "@type": "NewsArticle", "headline": t(a.title),
                     "datePublished": iso, "publisher": {"@type": "Organization", "name": "港澳新聞網"}},
                    ensure_ascii=False)
    markup = f"""<!doctype html>
<html lang="zh-HK">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{esc(t(a.title))} | 港澳新聞網</title>
<meta property="og:title" content="{attr(t(a.title))} | 港澳新聞網">
<meta property="og:site_name" content="港澳新聞網">
<script type="application/ld+json">{ld}</script>
<style>.article-body p{{margin:0 0 1.2em}}</style>
</head>
<body class="article-page">
<header class="site-header"><a class="brand" href="/">港澳新聞網</a>
<nav><a href="/news">港聞</a><a href="/china">兩岸</a><a href="/intl">國際</a><a href="/finance">財經</a><a href="/life">生活</a><a href="/sport">體育</a></nav>
<a class="subscribe" href="/subscribe">訂閱</a> <a class="login" href="/login">登入</a></header>
<main><article>
<ol class="breadcrumbs"><li><a href="/">主頁</a></li><li><a href="/news">港聞</a></li></ol>
<h1 class="headline">{esc(t(a.title))}</h1>
<div class="meta">{author} <time datetime="{iso}">{shown}</time></div>
<div class="share-tools"><button>分享</button><button>WhatsApp</button><button>Facebook</button><button>複製連結</button></div>
<div class="article-body">
{chr(10).join(body)}
</div>
<section class="more"><h2>相關新聞</h2><ul>
{chr(10).join(f'<li><a href="/news/{r[1]:%Y%m%d}/{i}">{esc(t(r[0]))}</a><time>{r[1].isoformat()}</time></li>' for i, r in enumerate(rel))}
</ul></section>
</article>
<aside class="most-read"><h2>最多人閱讀</h2><ol>{''.join(f'<li><a href="/hot/{i}">{esc(t(h))}</a></li>' for i, h in enumerate(c.hot(3)))}</ol></aside>
</main>
<footer class="site-footer"><p><a href="/about">關於我們</a> · <a href="/terms">使用條款</a> · <a href="/privacy">私隱政策</a></p>
<p>© {c.day.year} 港澳新聞網 版權所有,不得轉載。</p></footer>
</body>
</html>
"""
    return Page(f"pages/site06/news/{c.day:%Y%m%d}/a{c.n:04d}.html", markup, "utf-8", "hant", c.opencc,
                a.title, c.published(True), "港澳新聞網", a.author, gold_text(a, True),
                ["下載港澳新聞網App", "WhatsApp", "複製連結", "訂閱", "使用條款", "版權所有", t(rel[0][0])])


def site07_reprint_pinyin(c: Ctx) -> Page:
    """Reprint site: Simplified chrome, article in Traditional with pinyin annotations
    after ambiguous characters (發(fā)揮), 熱點 list with times; date in the URL path."""
    a = c.article
    t = c.t

    def annotate(text: str) -> str:
        return "".join(ch + f"({PINYIN[ch]})" if ch in PINYIN else ch for ch in text)

    paras = [annotate(p) for p in c.paragraphs()]
    caption = f'<p class="pic"><img src="/pic/{c.n}.jpg"></p><p class="pic-desc">{esc(annotate(t(a.caption)))}</p>' \
        if a.caption else None
    body = with_caption([f"<p>{esc(p)}</p>" for p in paras], caption)
    when = f"{c.ymd()} {a.time}:03" if a.time else c.ymd()
    rel = c.related(4)
    present = [f"({p})" for ch, p in PINYIN.items() if any(ch in x for x in paras)]
    markup = f"""<!DOCTYPE html>
<html>
<head>
<meta charset="UTF-8">
<title>{esc(t(a.title))}_江淮交汇网</title>
<link rel="stylesheet" href="/static/css/detail.css">
</head>
<body>
<div class="head"><a href="/" class="logo">江淮交汇网</a><div class="nav"><a href="/">首页</a><a href="/js/">江苏</a><a href="/ah/">安徽</a><a href="/sh/">社会</a><a href="/wh/">文化</a></div></div>
<div class="detail">
<h1>{esc(t(a.title))}</h1>
<div class="detail-info">{when} | 来源:{esc(t(a.source))}</div>
<div class="detail-content">
{chr(10).join(body)}
</div>
<div class="hot-list"><ul>
{chr(10).join(f'<li><span class="tag">熱點</span><a href="/sh/{i}.html">{esc(t(r[0]))}</a><span class="time">{r[1].isoformat()} {r[2]}:{11 * i:02d}</span></li>' for i, r in enumerate(rel))}
</ul></div>
</div>
<div class="foot">江淮交汇网 版权所有 &copy; 2016-{c.day.year} &nbsp; 苏ICP备16011223号-2 &nbsp; 未经授权禁止转载</div>
</body>
</html>
"""
    d = c.day
    return Page(f"pages/site07/{d.year}/{d.month:02d}{d.day:02d}/c_{80 + c.n}.html", markup, "utf-8", "mixed",
                c.opencc, a.title, c.published(True), a.source, None, gold_text(a, True),
                present[:2] + ["熱點", "苏ICP备16011223号-2", "版权所有", t(rel[0][0])])


def site08_gov_portal(c: Ctx) -> Page:
    """Municipal government portal: metadata line inside the content (时间 来源 编辑
    阅读量), (完), 【纠错】【打印】 inside the article box, 网站标识码 footer."""
    a = c.article
    editor = ["万先觉", "李晓东", "周敏慧"][c.n % 3]
    meta_line = (f"时间: {c.ymd()} 来源: {esc(a.source)} 编辑: {editor[0]} {editor[1:]} "
                 f"阅读量:{14000 + 311 * c.n}")
    body = [f"<p>{meta_line}</p>"] + [f"<p>　　{esc(p)}</p>" for p in c.paragraphs()]
    markup = f"""<!DOCTYPE html>
<html>
<head>
<meta charset="utf-8">
<title>{esc(a.title)}-政务动态-临江市人民政府</title>
<meta name="SiteName" content="临江市人民政府">
<meta name="ColumnName" content="政务动态">
<meta name="ArticleTitle" content="{attr(a.title)}">
<meta name="PubDate" content="{c.ymd()}">
<meta name="ContentSource" content="{attr(a.source)}">
<link rel="stylesheet" href="/images/gov.css">
</head>
<body>
<div class="gov-top"><span>无障碍浏览</span> <span>长者模式</span> <a href="/english/">English</a></div>
<div class="gov-head"><img src="/images/gov_logo.png" alt="临江市人民政府"></div>
<div class="gov-nav"><a href="/">首页</a><a href="/zwgk/">政务公开</a><a href="/zwfw/">政务服务</a><a href="/hdjl/">互动交流</a><a href="/zjlj/">走进临江</a></div>
<div class="gov-pos">当前位置: 首页 &gt; 政务公开 &gt; 政务动态</div>
<div class="gov-article">
 <h2 class="title">{esc(a.title)}</h2>
 <div class="TRS_Editor">
{chr(10).join(body)}
<p style="text-align:right">(完)</p>
 </div>
 <div class="tools">【<a href="/jiucuo/">纠错</a>】【<a href="javascript:window.print()">打印</a>】【<a href="javascript:window.close()">关闭</a>】</div>
</div>
<div class="gov-foot">
<p><a href="/wzdt/">网站地图</a> | <a href="/lxwm/">联系我们</a> | <a href="/smsm/">使用帮助</a></p>
<p>主办:临江市人民政府办公室 &nbsp; 网站标识码:5101000012 &nbsp; 蜀ICP备05001122号-1 &nbsp; 川公网安备51010402000345号</p>
</div>
</body>
</html>
"""
    return Page(f"pages/site08/zwdt/{c.day:%Y%m}/t{c.day:%Y%m%d}_{500 + c.n}.html", markup, "utf-8", "hans",
                None, a.title, c.published(False), a.source, None, gold_text(a, False),
                ["阅读量", "(完)", "纠错", "网站标识码", "蜀ICP备05001122号-1", "川公网安备51010402000345号",
                 "无障碍浏览"])


SPAM = ["悠然小站 - WwW.YouRanZhan.CoM", "梦里水乡 - wWw.MengLiSX66.Com", "清风阁影视 - Www.QingFengGe.NeT",
        "星河书屋 - wwW.XingHeShuWu.cC"]


def site09_selfmedia_mirror(c: Ctx) -> Page:
    """Self-media mirror: the title repeated in the body and under photos, captions with an
    injected spam line, login/captcha prompts and 扫一扫 at the end."""
    a = c.article
    spam = SPAM[c.n % len(SPAM)]
    paras = [f"<p>{esc(p)}</p>" for p in c.paragraphs()]
    real = f" {esc(a.caption)}" if a.caption else ""
    photo = f'<p><img src="/uploads/{c.n}a.jpg"></p><p>{esc(a.title)}{esc(spam)}{real}</p>'
    body = [f"<p>{esc(a.title)}</p>", f"<p>{esc(a.title)}</p>"] + paras[:1] + [photo] + paras[1:3] + \
        [f'<p><img src="/uploads/{c.n}b.jpg"></p><p>{esc(a.title)}{esc(spam)}</p>'] + paras[3:] + \
        ["<p>声明:本文转载自网络,版权归原作者所有,如有侵权请联系删除。</p>"]
    when = f"{c.ymd()} {a.time}" if a.time else c.ymd()
    rel = c.related(3)
    writer = f'<span class="writer">{esc(a.byline)}</span>' if a.byline else ""
    markup = f"""<!DOCTYPE html>
<html>
<head>
<meta charset="utf-8">
<title>{esc(a.title)}|云端阅读网</title>
<meta name="keywords" content="{attr(a.title)}">
<link rel="stylesheet" href="/template/default/css/show.css">
</head>
<body>
<div class="header"><div class="logo"><a href="/">云端阅读网</a></div><div class="search"><input placeholder="搜索"></div></div>
<div class="menu"><a href="/">首页</a><a href="/news/">资讯</a><a href="/life/">生活</a><a href="/tech/">科技</a><a href="/edu/">教育</a></div>
<div class="show-main">
<h1>{esc(a.title)}</h1>
<div class="show-info"><span class="tag">原创</span> <span>{when}</span> {writer}</div>
<div class="show-body">
{chr(10).join(body)}
</div>
<div class="xiangguan"><h3>相关推荐</h3><ul>
{chr(10).join(f'<li><a href="/news/{c.n}{i}.html">{esc(r[0])}</a></li>' for i, r in enumerate(rel))}
</ul></div>
<ul class="footer-links"><li>友情链接:</li><li><a href="#">PHPCMS</a></li><li><a href="#">智慧景区</a></li><li>微信扫一扫</li></ul>
<div class="side-tools"><a href="#">微信扫一扫</a> <a href="#top">返回顶部</a></div>
<div class="login-box"><p>忘记密码?</p><p>获取验证码</p><p>Close</p></div>
</div>
</body>
</html>
"""
    return Page(f"pages/site09/news/{c.n:04d}.html", markup, "utf-8", "hans", None, a.title,
                c.published(True), "云端阅读网", a.author, gold_text(a, True),
                [spam, "如有侵权请联系删除", "微信扫一扫", "友情链接", "返回顶部", "忘记密码", "获取验证码", rel[0][0]])


def site10_sports_portal(c: Ctx) -> Page:
    """Entertainment/sports portal: '- +1' widget, comment box with a login prompt and
    timestamped comments, 24小时排行, 责任编辑 at the end of the body."""
    a = c.article
    when = f"{c.cn_date()} {a.time}" if a.time else c.cn_date()
    author = f'<span class="author">{esc(a.byline)}</span>' if a.byline else ""
    caption = (f'<div class="img_wrapper"><img src="//n.bhw.example.cn/{c.n}.jpg" alt="{attr(a.caption)}">'
               f'<span class="img_descr">{esc(a.caption)}</span></div>') if a.caption else None
    rel = c.related(3)
    body = with_caption([f"<p>{esc(p)}</p>" for p in c.paragraphs()], caption)
    body.insert(0, f'<div class="video-box"><video src="//v.bhw.example.cn/{c.n}.mp4" controls>您的浏览器不支持视频播放</video></div>')
    body.insert(4, f'<div class="in-related"><strong>延伸阅读:</strong><a href="/news/{c.n}9.html">{esc(rel[2][0])}</a></div>')
    later = c.day + timedelta(days=1)
    markup = f"""<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="UTF-8">
<title>{esc(a.title)} - 滨海网</title>
<meta property="og:title" content="{attr(a.title)}">
<meta name="description" content="{attr(a.paragraphs[0][:50])}">
<link rel="stylesheet" href="//static.bhw.example.cn/detail.css">
</head>
<body>
<div class="top-nav"><a href="/">滨海网首页</a><a href="/news/">新闻</a><a href="/sports/">体育</a><a href="/ent/">娱乐</a><a href="/auto/">汽车</a>
<div class="user"><a href="/passport/login">登录</a><a href="/passport/register">免费注册</a></div></div>
<div class="path"><a href="/news/">新闻中心</a> &gt; 正文</div>
<div class="article-main">
<h1 id="artibodyTitle">{esc(a.title)}</h1>
<div class="date-source"><span class="date">{when}</span> <span class="source">{esc(a.source)}</span> {author}</div>
<div class="article-tools"><span>评论({40 + c.n})</span> <a href="javascript:void(0)">- +1</a> <a href="javascript:void(0)">微博</a> <a href="javascript:void(0)">微信</a></div>
<div id="artibody" class="article">
{chr(10).join(body)}
<p class="article-editor">责任编辑:吴子健</p>
</div>
<div class="comment-box"><h3>我要评论</h3><textarea placeholder="文明上网,理性发言"></textarea>
<div class="login-tip">登录后才能发表评论 <a href="/passport/login">立即登录</a></div>
<div class="comment"><span class="nick">网友海边听风</span>:支持,希望越办越好!<span class="time">{later.isoformat()} 08:02</span></div></div>
<div class="related"><h3>相关阅读</h3><ul>
{chr(10).join(f'<li><a href="/news/{c.n}{i}.html">{esc(r[0])}</a><em>{r[1]:%m-%d} {r[2]}</em></li>' for i, r in enumerate(rel))}
</ul></div>
</div>
<div class="sidebar"><h3>24小时排行</h3><ol>{''.join(f'<li><a href="/hot/{i}.html">{esc(h)}</a></li>' for i, h in enumerate(c.hot()))}</ol></div>
<div class="footer"><p>Copyright © 1999-{c.day.year} 滨海网络传媒有限公司 All Rights Reserved 版权所有</p>
<p>闽ICP备09088123号 增值电信业务经营许可证:闽B2-20090123 闽公网安备 35010502010678号</p></div>
</body>
</html>
"""
    return Page(f"pages/site10/{c.day:%Y-%m-%d}/doc-{c.n:05d}.shtml", markup, "utf-8", "hans", None, a.title,
                c.published(True), a.source, a.author, gold_text(a, True),
                ["您的浏览器不支持视频播放", "延伸阅读", rel[2][0], "- +1", "文明上网", "登录后才能发表评论", "支持,希望越办越好", "责任编辑", "闽ICP备09088123号",
                 "增值电信业务经营许可证", c.hot()[1]])


def site11_hotline_gb2312(c: Ctx) -> Page:
    """Regional hotline site: gb2312 label on GBK bytes, platform disclaimer, 报料热线,
    licences, ? for ©, and on some pages the whole article repeated after the footer
    (a mobile-view block)."""
    a = c.article
    paras = c.paragraphs()
    when = f"{c.ymd()} {a.time}" if a.time else c.ymd()
    author = f"作者:{esc(a.author)}" if a.author else ""
    caption = f'<p class="pic"><img src="/pic/{c.n}.jpg"></p><p class="pic-note">{esc(a.caption)}</p>' \
        if a.caption else None
    first = "&lt;span style=&quot;font-size: 16px;&quot;&gt;" + esc(paras[0])
    body = with_caption([f"<p>{first}</p>"] + [f"<p>{esc(p)}</p>" for p in paras[1:]], caption)
    repeated = ""
    if c.n % 3 == 0:
        repeated = ('<div class="m-article">\n<h3>' + esc(a.title) + "</h3>\n"
                    + "\n".join(f"<p>{esc(p)}</p>" for p in paras) + "\n</div>")
    markup = f"""<html>
<head>
<meta http-equiv="Content-Type" content="text/html; charset=gb2312" />
<title>{esc(a.title)}-东方热线</title>
<link type="text/css" rel="stylesheet" href="/css/news.css" />
</head>
<body>
<div class="hd"><a href="/">东方热线</a> <a href="/news/">新闻</a> <a href="/baoliao/">报料</a> <a href="/wenzheng/">问政</a> <a href="/app/">下载APP</a></div>
<div class="news_box">
<h1>{esc(a.title)}</h1>
<div class="news_about"><p>时间:{when}</p><p>来源:{esc(a.source)}</p><p>{author}</p></div>
<div class="news_txt">
{chr(10).join(body)}
</div>
<div class="disclaimer">本文为东方号作者或机构在东方热线上传并发布,仅代表该作者或机构观点,不代表东方热线的观点或立场,东方热线仅提供信息发布平台。</div>
</div>
<div class="ft">
<ul><li>报料热线: 0571-96068</li><li>报料邮箱: baoliao@dfrx.example.cn</li></ul>
<p>互联网新闻信息服务许可证:33120170009 &nbsp; 增值电信业务经营许可证:浙B2-2017116</p>
<p>? 2012-{c.day.year} 东方热线网络有限公司 浙ICP备12012345号</p>
</div>
{repeated}
</body>
</html>
"""
    return Page(f"pages/site11/{c.day:%Y%m%d}/n{c.n:04d}.html", markup, "gbk", "hans", None, a.title,
                c.published(True), a.source, a.author, gold_text(a, True),
                ["仅代表该作者或机构观点", "报料热线", "报料邮箱", "互联网新闻信息服务许可证", "浙ICP备12012345号",
                 "span style"])


def site12_mixed_convert(c: Ctx) -> Page:
    """Regional media account: Traditional text left with Simplified characters by a bad
    converter (後 → 后) and a Simplified closing paragraph; '- +1' first; 來源 at the end;
    platform footer in Traditional."""
    a = c.article
    t = c.t
    paras = [t(p).replace("後", "后") for p in a.paragraphs[:-1]] + [a.paragraphs[-1]]
    # the text went through a GBK copy that slipped one byte after the first full stop
    stop = paras[1].index("。")
    run = paras[1][stop:stop + 4]
    garbled = gbk_one_byte_off(run)
    paras[1] = paras[1][:stop] + garbled + paras[1][stop + 4:]
    caption = f'<p class="image"><img src="/img/{c.n}.jpg"></p><p class="image-caption">{esc(t(a.caption))}</p>' \
        if a.caption else None
    body = with_caption([f"<p>{esc(p)}</p>" for p in paras], caption)
    when = f"{c.ymd()} {a.time}" if a.time else c.ymd()
    markup = f"""<!DOCTYPE html>
<html>
<head>
<meta charset="utf-8">
<title>{esc(t(a.title))}_高原之聲</title>
<meta name="description" content="{attr(t(a.paragraphs[0][:40]))}">
</head>
<body>
<div class="news_video_title_box"><div class="news_keyword">- +1</div></div>
<div class="newscontent">
<h1 class="news_title">{esc(t(a.title))}</h1>
<div class="news_about"><span>{when}</span> <span>高原之聲號</span></div>
<div class="news_txt">
{chr(10).join(body)}
<p>來源:{esc(t(a.source))}</p>
</div>
<div class="news_declare">本文為高原號作者或機構在高原之聲上傳并發布,僅代表該作者或機構觀點,不代表高原之聲的觀點或立場。申請高原號請用電腦訪問。</div>
</div>
<div class="foot"><ul><li>報料熱線: 0891-6866666</li><li>報料郵箱: news@gyzs.example.cn</li></ul>
<p>互聯網新聞信息服務許可證:54120170002</p><p>? 2015-{c.day.year} 高原之聲傳媒有限公司</p></div>
</body>
</html>
"""
    return Page(f"pages/site12/newsDetail_forward_{2100000 + c.n}.html", markup, "utf-8", "mixed", c.opencc,
                a.title, c.published(True), a.source, None, gold_text(a, True),
                ["- +1", "僅代表該作者或機構觀點", "申請高原號請用電腦訪問", "報料熱線", "互聯網新聞信息服務許可證",
                 "高原之聲號", garbled], mojibake=[(garbled, run)])


def site13_finance_meta_date(c: Ctx) -> Page:
    """Finance site: the date only in meta tags and the URL path (nothing visible), a
    source/author line without a date, a newer-dated related list, a share widget."""
    a = c.article
    iso = f"{a.date}T{a.time}:00+08:00" if a.time else a.date
    caption = (f'<div class="pic"><img src="/pic/{c.n}.jpg"><p class="pic-title">{esc(a.caption)}</p></div>'
               if a.caption else None)
    body = with_caption([f"<p>{esc(p)}</p>" for p in c.paragraphs()], caption)
    author = f"<span>作者:{esc(a.author)}</span>" if a.author else ""
    rel = c.related(4)
    d = c.day
    markup = f"""<!DOCTYPE html>
<html>
<head>
<meta charset="utf-8">
<title>{esc(a.title)}|财经观察网</title>
<meta property="og:title" content="{attr(a.title)}">
<meta property="og:type" content="article">
<meta property="article:published_time" content="{iso}">
<meta name="publishdate" content="{a.date}">
<link rel="stylesheet" href="/assets/article.css">
</head>
<body>
<header><a class="logo" href="/">财经观察网</a><nav><a href="/">首页</a><a href="/macro/">宏观</a><a href="/industry/">产业</a><a href="/market/">市场</a><a href="/company/">公司</a></nav></header>
<section class="article-wrap">
<h1>{esc(a.title)}</h1>
<div class="article-source"><span>来源:{esc(a.source)}</span> {author}</div>
<div class="article-text">
{chr(10).join(body)}
</div>
<div class="share">分享到:<a href="#">微信</a><a href="#">微博</a> <span>扫一扫,手机阅读</span></div>
<div class="latest"><h3>相关阅读</h3><ul>
{chr(10).join(f'<li><span>{r[1].isoformat()}</span><a href="/a/{c.n}{i}.html">{esc(r[0])}</a></li>' for i, r in enumerate(rel))}
</ul></div>
</section>
<footer><p><a href="/about/">关于我们</a> <a href="/statement/">免责声明</a> <a href="/contact/">联系我们</a></p>
<p>Copyright &copy; {d.year} 财经观察网 版权所有 &nbsp; 沪ICP备13021234号 &nbsp; 沪公网安备31010402005678号</p></footer>
</body>
</html>
"""
    return Page(f"pages/site13/{d.year}/{d.month:02d}{d.day:02d}/a_{300 + c.n}.html", markup, "utf-8", "hans",
                None, a.title, c.published(True), a.source, a.author, gold_text(a, True),
                ["分享到", "扫一扫", "免责声明", "沪ICP备13021234号", "版权所有", rel[1][0]])


def site14_agency(c: Ctx) -> Page:
    """News agency style: date and source above the body in one line, body ending with
    (完) and 【编辑:x】, 【纠错】 link, 上一篇/下一篇, copyright line with a year range."""
    a = c.article
    when = f"{c.cn_date()} {a.time}" if a.time else c.cn_date()
    caption = (f'<div class="left_ph"><img src="/2023/{c.n}.jpg"></div><p class="left_pt">{esc(a.caption)}</p>'
               if a.caption else None)
    paras = c.paragraphs()
    city = ["北京", "上海", "广州", "成都", "武汉"][c.n % 5]
    d = c.day
    dateline = f"中华新闻社{city}{d.month}月{d.day}日电" + (f" (记者 {a.author})" if a.author else " ")
    paras[0] = dateline + paras[0]
    body = with_caption([f"<p>　　{esc(p)}</p>" for p in paras], caption)
    prev_title = RELATED_POOL[(c.n + 3) % len(RELATED_POOL)].title
    next_title = RELATED_POOL[(c.n + 5) % len(RELATED_POOL)].title
    markup = f"""<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml">
<head>
<meta http-equiv="Content-Type" content="text/html; charset=utf-8" />
<title>{esc(a.title)}-中华新闻社</title>
<meta name="keywords" content="{attr(a.title[:8])}" />
<meta name="filetype" content="0" />
<meta name="publishedtype" content="1" />
</head>
<body>
<div class="topnav"><a href="/">首页</a> <a href="/gn/">国内</a> <a href="/gj/">国际</a> <a href="/sh/">社会</a> <a href="/cj/">财经</a> <a href="/ty/">体育</a> <a href="/shipin/">视频</a></div>
<div class="content_maincontent_more">
<h1>{esc(a.title)}</h1>
<div class="left-t">{when}　来源:{esc(a.source)}　参与互动</div>
<div class="left_zw">
{chr(10).join(body)}
<p>　　(完)</p>
</div>
<div class="adEditor"><div class="left_name">【编辑:{["张燕玲", "黄钰涵", "刘欢"][c.n % 3]}】</div></div>
<div class="jiucuo"><a href="/jiucuo.shtml">【纠错】</a></div>
<div class="prevnext"><p>上一篇:<a href="/p.shtml">{esc(prev_title)}</a></p><p>下一篇:<a href="/n.shtml">{esc(next_title)}</a></p></div>
</div>
<div class="bottom">
<p><a href="/about/">关于我们</a> | <a href="/contact/">联系我们</a> | <a href="/ads/">广告服务</a> | <a href="/legal/">法律顾问</a></p>
<p>Copyright &copy;1999-{c.day.year + 1} 中华新闻社 版权所有 &nbsp; 未经授权禁止转载、摘编、复制及建立镜像</p>
<p>[网上传播视听节目许可证(0106168)] [京ICP证040655号] [京公网安备:110102003042-1]</p>
</div>
</body>
</html>
"""
    return Page(f"pages/site14/gn/{c.day:%Y}/{c.day:%m-%d}/{9900000 + c.n}.shtml", markup, "utf-8", "hans",
                None, a.title, c.published(True), a.source, None, gold_text(a, True),
                [f"中华新闻社{city}", "(完)", "【编辑:", "【纠错】", "参与互动", "京ICP证040655号", "版权所有", prev_title])


def site15_wechat_mirror(c: Ctx) -> Page:
    """Official-account article: text in <section><span> blocks, no <p>; 原创 / account name /
    time meta row; 编辑|审核 credits, 往期推荐, 阅读原文, 在看, QR prompt after the text."""
    a = c.article
    when = f"{a.date} {a.time}" if a.time else a.date
    sections = [f'<section style="margin-bottom: 16px;"><span style="font-size: 15px; letter-spacing: 1px; '
                f'color: rgb(62, 62, 62);">{esc(p)}</span></section>' for p in c.paragraphs()]
    older = [RELATED_POOL[(c.n + k) % len(RELATED_POOL)].title for k in (4, 9)]
    byline = f'<span class="rich_media_meta rich_media_meta_text">{esc(a.byline)}</span>' if a.byline else ""
    markup = f"""<!DOCTYPE html>
<html>
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1.0,maximum-scale=1.0,user-scalable=0,viewport-fit=cover">
<title>{esc(a.title)}</title>
<meta property="og:title" content="{attr(a.title)}">
<meta property="og:description" content="{attr(a.paragraphs[0][:40])}">
<script>var nickname = "{a.source}"; var ct = "{c.n * 3600 + 1676425200}"; var user_name = "gh_{c.n:04d}ab12cd";</script>
</head>
<body id="activity-detail" class="zh_CN">
<div class="rich_media_area_primary">
<div id="js_article" class="rich_media">
<h1 class="rich_media_title" id="activity-name">{esc(a.title)}</h1>
<div id="meta_content" class="rich_media_meta_list">
<span class="rich_media_meta rich_media_meta_text">原创</span> {byline}
<span class="rich_media_meta rich_media_meta_nickname" id="profileBt"><a id="js_name">{esc(a.source)}</a></span>
<em id="publish_time" class="rich_media_meta rich_media_meta_text">{when}</em> <span id="js_ip_wording">发表于江苏</span>
</div>
<div class="rich_media_content" id="js_content" style="visibility: visible;">
{chr(10).join(sections)}
<section style="text-align: center;"><span style="color: rgb(136, 136, 136); font-size: 12px;">编辑 | 苏小禾&nbsp;&nbsp;审核 | 陆明</span></section>
<section><span style="color: rgb(171, 25, 66);">往期推荐</span></section>
{chr(10).join(f'<section><a href="https://mp.example.cn/s/{c.n}{k}"><span>{esc(t)}</span></a></section>' for k, t in enumerate(older))}
</div>
<div class="rich_media_tool"><a id="js_view_source" href="#">阅读原文</a> <span>阅读 {1200 + 97 * c.n}</span> <span>赞</span> <span>在看</span> <span>分享</span></div>
<div id="js_pc_qr_code"><p>微信扫一扫<br>关注该公众号</p></div>
<div class="weui-dialog"><p>预览时标签不可点</p></div>
</div></div>
</body>
</html>
"""
    return Page(f"pages/site15/s/{c.day:%Y%m%d}_{c.n}.html", markup, "utf-8", "hans", None, a.title,
                c.published(True), a.source, a.author, gold_text(a, False),
                ["审核 | 陆明", "往期推荐", "阅读原文", "关注该公众号", "预览时标签不可点", older[0]])


def site16_taiwan_modern(c: Ctx) -> Page:
    """Modern Taiwan news site, UTF-8 Traditional: 〔記者X/綜合報導〕 lead-in inside the first
    paragraph, ► in-body links, app and fan-page promos, og:title with the suffix."""
    a = c.article
    t = c.t
    iso = f"{a.date}T{a.time}:00+08:00" if a.time else f"{a.date}T06:00:00+08:00"
    shown = f"{c.ymd('/')} {a.time}" if a.time else f"{c.ymd('/')} 06:00"
    paras = c.paragraphs()
    lead = f"〔記者{t(a.author)}/綜合報導〕" if a.author else "〔南島新聞網/綜合報導〕"
    paras[0] = lead + paras[0]
    link = t(RELATED_POOL[(c.n + 6) % len(RELATED_POOL)].title)
    body = [f"<p>{esc(p)}</p>" for p in paras]
    body.insert(2, f'<p class="before_ir">►<a href="/news/life/{c.n}6">{esc(link)}</a></p>')
    markup = f"""<!DOCTYPE html>
<html lang="zh-Hant-TW">
<head>
<meta charset="utf-8">
<title>{esc(t(a.title))} - 南島新聞網</title>
<meta property="og:title" content="{attr(t(a.title))} - 南島新聞網">
<meta name="pubdate" content="{iso}">
<meta property="article:published_time" content="{iso}">
<meta name="author" content="南島新聞網">
</head>
<body>
<nav class="menu"><a href="/">首頁</a><a href="/list/breakingnews">即時</a><a href="/list/politics">政治</a><a href="/list/society">社會</a><a href="/list/life">生活</a><a href="/list/world">國際</a><a href="/list/business">財經</a><a href="/list/sports">體育</a></nav>
<div class="whitecon article" itemprop="articleBody">
<h1>{esc(t(a.title))}</h1>
<div class="text boxTitle"><span class="time">{shown}</span></div>
<div class="text">
{chr(10).join(body)}
<p class="appE1121"><a href="/app">點我下載南島新聞網APP</a></p>
<p>按讚加入南島新聞網粉絲團,掌握最新消息</p>
</div>
</div>
<div class="suggest"><h4>熱門推播</h4><ul>{''.join(f'<li><a href="/hot/{i}">{esc(t(h))}</a></li>' for i, h in enumerate(c.hot(3)))}</ul></div>
<footer><p>南島新聞網 版權所有 不得轉載 &copy; {c.day.year} The South Island News</p></footer>
</body>
</html>
"""
    return Page(f"pages/site16/news/life/breakingnews/{4200000 + c.n}.html", markup, "utf-8", "hant", c.opencc,
                a.title, c.published(bool(a.time)), "南島新聞網", a.author, gold_text(a, False),
                ["綜合報導", "點我下載南島新聞網APP", "按讚加入南島新聞網粉絲團", "熱門推播", link, "版權所有"])


def site17_legacy_gb18030(c: Ctx) -> Page:
    """Legacy CMS declaring GB18030: <font> wrapper, &nbsp; indents, 发稿时间 with seconds,
    点击查看大图, 推荐给朋友 / 打印本文 links, a '--' title suffix."""
    a = c.article
    when = f"{c.ymd()} {a.time}:21" if a.time else c.ymd()
    body = [f"<p>&nbsp;&nbsp;&nbsp;&nbsp;{esc(p)}</p>" for p in c.paragraphs()]
    body.insert(1, f'<p align="center"><a href="/pic/{c.n}_b.jpg"><img src="/pic/{c.n}.jpg" border="0"></a><br>点击查看大图</p>')
    rel = c.related(3)
    markup = f"""<html>
<head>
<meta http-equiv="Content-Type" content="text/html; charset=GB18030">
<title>{esc(a.title)}--南国在线</title>
<link rel="stylesheet" href="/style/2008/main.css" type="text/css">
</head>
<body>
<div id="nav"><a href="/">南国在线</a> | <a href="/news/">新闻中心</a> | <a href="/finance/">财经</a> | <a href="/house/">房产</a> | <a href="/bbs/">南国论坛</a> | <a href="/blog/">博客</a></div>
<div id="position">南国在线 &gt; 新闻中心 &gt; 本地新闻</div>
<div id="article">
<div class="title"><b>{esc(a.title)}</b></div>
<div class="from">发稿时间:{when} &nbsp; 稿件来源:{esc(a.source)}</div>
<div id="endtext"><font id="zoom" style="font-size:14px">
{chr(10).join(body)}
</font></div>
<div class="tool">[ <a href="/tj.php">推荐给朋友</a> ] [ <a href="javascript:window.print()">打印本文</a> ] [ <a href="javascript:window.close()">关闭</a> ]</div>
<div class="comment">本文共有评论 0 条 [<a href="/c.php">查看评论</a>] [<a href="/p.php">发表评论</a>]</div>
<div class="xg"><b>相关稿件</b>
{chr(10).join(f'<br>·<a href="/news/{c.n}{i}.html">{esc(r[0])}</a> <font color="#999999">{r[1].isoformat()}</font>' for i, r in enumerate(rel))}
</div>
</div>
<div id="foot">关于我们 | 广告服务 | 联系方式 | 网站声明<br>南国在线 版权所有 Copyright(C) 2004-{c.day.year} 粤ICP备04012345号</div>
</body>
</html>
"""
    return Page(f"pages/site17/news/local/{c.day:%Y%m}/{c.day:%Y%m%d}{c.n:03d}.htm", markup, "gb18030", "hans",
                None, a.title, c.published(True), a.source, None, gold_text(a, False),
                ["点击查看大图", "推荐给朋友", "发表评论", "稿件来源", "粤ICP备04012345号", rel[0][0]])


def site18_mobile(c: Ctx) -> Page:
    """Mobile page: the visible time has no year (MM-DD HH:MM); the full date only in
    itemprop meta; 展开全文, 打开APP阅读 and 热门评论 around the text."""
    a = c.article
    clock = a.time or "08:00"
    iso = f"{a.date}T{clock}:00+08:00"
    body = [f"<p>{esc(p)}</p>" for p in c.paragraphs()]
    markup = f"""<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1,user-scalable=no">
<title>{esc(a.title)}_手机南方网</title>
<meta itemprop="name" content="{attr(a.title)}">
<meta itemprop="datePublished" content="{iso}">
<link rel="canonical" href="https://www.nfw.example.cn/a/{c.day:%Y%m%d}/{c.n}.html">
</head>
<body>
<header class="m-head"><a class="back" href="javascript:history.back()">返回</a><span class="logo">南方网</span><a class="open-app" href="#">APP内打开</a></header>
<article class="m-article">
<h1 class="m-title">{esc(a.title)}</h1>
<div class="m-info"><span class="src">{esc(a.source)}</span> <span class="time">{c.day:%m-%d} {clock}</span></div>
<section class="art-content" style="max-height: 800px; overflow: hidden;">
{chr(10).join(body)}
</section>
<div class="unfold"><span>展开全文</span></div>
<div class="app-guide">打开APP阅读更多精彩内容</div>
</article>
<section class="m-comments"><h3>热门评论</h3><div class="c-item"><b>南方网友</b><p>家门口的变化看得见,点赞!</p><span>{(c.day + timedelta(days=2)).isoformat()}</span></div></section>
<footer class="m-foot">南方网 版权所有 &copy;{c.day.year} 粤ICP备05070829号</footer>
</body>
</html>
"""
    return Page(f"pages/site18/m/{c.day:%Y%m%d}/{c.n}.html", markup, "utf-8", "hans", None, a.title,
                c.published(bool(a.time)) if a.time else a.date, a.source, None, gold_text(a, False),
                ["APP内打开", "展开全文", "打开APP阅读更多精彩内容", "家门口的变化看得见", "粤ICP备05070829号"])


def site19_epaper(c: Ctx) -> Page:
    """A newspaper's digital edition: kicker and subtitle around the headline, the print
    line 《报名》(date 第05版) as the only date, 本报记者 line opening the text, page nav."""
    a = c.article
    kicker = ["聚焦民生实事", "一线观察", "身边的变化"][c.n % 3]
    subtitle = ["记者蹲点采访见闻", "各方协力推进", "群众得实惠"][c.n % 3]
    credit = f"<p>本报记者 {esc(a.author)}</p>" if a.author else "<p>本报讯</p>"
    body = [credit] + [f"<p>　　{esc(p)}</p>" for p in c.paragraphs()]
    same_page = [RELATED_POOL[(c.n + k) % len(RELATED_POOL)].title for k in (2, 8, 15)]
    markup = f"""<!DOCTYPE html>
<html>
<head>
<meta charset="utf-8">
<title>江城日报-{esc(a.title)}</title>
<link rel="stylesheet" href="../../../style/epaper.css">
</head>
<body>
<div class="paper-top">江城日报数字报 &nbsp; {c.cn_date()} 星期{"一二三四五六日"[c.day.weekday()]}</div>
<div class="paper-nav">第05版:要闻 <a href="node_4.htm">上一版</a> <a href="node_6.htm">下一版</a> <a href="../../../index.htm">返回目录</a> <a href="pdf.htm">PDF下载</a></div>
<div class="article">
<h3>{kicker}</h3>
<h1>{esc(a.title)}</h1>
<h2>——{subtitle}</h2>
<div class="print-line">《江城日报》({c.cn_date()} 第05版)</div>
<founder-content>
{chr(10).join(body)}
</founder-content>
<div class="paper-editor">本版责编:程远 &nbsp; 版式设计:孟可</div>
</div>
<ul class="same-page"><li>本版其他文章</li>{''.join(f'<li><a href="content_{c.n}{i}.htm">{esc(h)}</a></li>' for i, h in enumerate(same_page))}</ul>
<div class="paper-foot">江城日报社 版权所有 未经书面授权不得复制或建立镜像 鄂ICP备06002233号</div>
</body>
</html>
"""
    return Page(f"pages/site19/html/{c.day:%Y-%m}/{c.day:%d}/content_{c.n}.htm", markup, "utf-8", "hans", None,
                a.title, a.date, a.source, a.author, gold_text(a, False),
                ["返回目录", "PDF下载", "本版责编", "本版其他文章", same_page[0], kicker, subtitle, "鄂ICP备06002233号"])


def site20_cross_strait_gbk(c: Ctx) -> Page:
    """Cross-strait news site in GBK: Simplified report quoting Traditional paragraphs as
    the original source printed them; 责编 in the date line, 点击排行, [我要纠错]."""
    a = c.article
    paras = [c.t(p) if i % 2 == 1 else p for i, p in enumerate(a.paragraphs)]
    body = [f"<p>{esc(p)}</p>" for p in paras]
    when = f"{c.ymd()} {a.time}" if a.time else c.ymd()
    rank = c.hot(4)
    markup = f"""<!DOCTYPE html>
<html>
<head>
<meta http-equiv="Content-Type" content="text/html; charset=GBK">
<title>{esc(a.title)} | 两岸快讯</title>
<meta name="description" content="{attr(a.paragraphs[0][:50])}">
</head>
<body>
<div class="topnav"><a href="/">两岸快讯</a> <a href="/tw/">台湾</a> <a href="/hk/">港澳</a> <a href="/sh/">社会</a> <a href="/jj/">经济</a></div>
<div class="conL">
<h1>{esc(a.title)}</h1>
<div class="conText_info">{when} &nbsp; 来源:{esc(a.source)} &nbsp; 责编:林子涵</div>
<div class="conText">
{chr(10).join(body)}
</div>
<div class="jc"><a href="/jiucuo/">[我要纠错]</a></div>
</div>
<div class="conR"><h3>点击排行</h3><ol>{''.join(f'<li><a href="/r/{i}.html">{esc(h)}</a></li>' for i, h in enumerate(rank))}</ol></div>
<div class="footer">Copyright &copy; 2009-{c.day.year} 两岸快讯 All Rights Reserved &nbsp; 闽ICP备09011223号</div>
</body>
</html>
"""
    return Page(f"pages/site20/{c.day:%Y}/{c.day:%m%d}/{c.n:06d}.html", markup, "gbk", "mixed", c.opencc,
                a.title, c.published(True), a.source, None, gold_text(a, False),
                ["责编:林子涵", "我要纠错", "点击排行", rank[0], "闽ICP备09011223号"])


@dataclass(frozen=True)
class Site:
    render: Callable[[Ctx], Page]
    opencc: str | None = None  # how the site turns the Simplified gold into its script


SITES: dict[str, Site] = {
    "site01": Site(site01_portal),
    "site02": Site(site02_provincial_gbk),
    "site03": Site(site03_county_gb2312),
    "site04": Site(site04_taiwan_big5, "s2tw"),
    "site05": Site(site05_hk_old_big5_undeclared, "s2tw"),  # old HK Big5 pages use Taiwan glyph forms
    "site06": Site(site06_hk_modern, "s2hk"),
    "site07": Site(site07_reprint_pinyin, "s2t"),
    "site08": Site(site08_gov_portal),
    "site09": Site(site09_selfmedia_mirror),
    "site10": Site(site10_sports_portal),
    "site11": Site(site11_hotline_gb2312),
    "site12": Site(site12_mixed_convert, "s2t"),
    "site13": Site(site13_finance_meta_date),
    "site14": Site(site14_agency),
}
# Sites added after the first round, each with two articles of its own: their rules were
# not written yet when zhnews' cleaning was first tuned, so they show how it generalises.
LATER_SITES: dict[str, Site] = {
    "site15": Site(site15_wechat_mirror),
    "site16": Site(site16_taiwan_modern, "s2tw"),
    "site17": Site(site17_legacy_gb18030),
    "site18": Site(site18_mobile),
    "site19": Site(site19_epaper),
    "site20": Site(site20_cross_strait_gbk, "s2t"),
}
FIRST_ROUND_ARTICLES = 41
# The last four articles carry GBK-only characters in names (喆 堃 镕 祎 犇 珺 玥 垚):
# they go to the sites that label GBK bytes as gb2312.
GBK_ONLY_ARTICLES = {37: "site03", 38: "site03", 39: "site11", 40: "site11"}


def assignment() -> list[tuple[int, str]]:
    """(article, site): the first round's articles round-robin over its sites, then two
    articles for each later site."""
    keys = list(SITES)
    plain = [n for n in range(FIRST_ROUND_ARTICLES) if n not in GBK_ONLY_ARTICLES]
    first = [(n, keys[i % len(keys)]) for i, n in enumerate(plain)] + list(GBK_ONLY_ARTICLES.items())
    later = [(FIRST_ROUND_ARTICLES + i, key) for i, key in enumerate(k for k in LATER_SITES for _ in range(2))]
    return sorted(first + later)


def inverse_config(config: str | None) -> str:
    return {"s2t": "t2s", "s2tw": "tw2s", "s2hk": "hk2s", None: "t2s"}[config]


def check(page: Page) -> None:
    """The gold must be reachable and the noise must be real: fail loudly otherwise."""
    back = inverse_config(page.opencc)
    gold = normalise(page.text)
    for noise in page.noise:
        assert esc(noise) in page.markup, f"{page.path}: noise {noise!r} not in the page"
        for form in {normalise(noise), normalise(convert(noise, back))}:
            assert form not in gold, f"{page.path}: noise {noise!r} is part of the gold text"
    traditional = [ch for ch in set(page.text + page.title) if convert(ch, "t2s") != ch]
    assert not traditional, f"{page.path}: gold has characters t2s changes: {traditional}"
    assert page.markup.encode(page.encoding)  # strict: every character fits the encoding


def build() -> list[Page]:
    pages = []
    for n, key in assignment():
        site = SITES.get(key) or LATER_SITES[key]
        page = site.render(Ctx(ARTICLES[n], n, key, site.opencc))
        check(page)
        pages.append(page)
    return pages


def main() -> None:
    if PAGES.exists():
        shutil.rmtree(PAGES)
    pages = build()
    with GOLD.open("w", encoding="utf-8") as gold:
        for page in pages:
            target = HERE / page.path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(page.markup.encode(page.encoding))
            gold.write(json.dumps({
                "file": page.path, "site": page.path.split("/")[1], "encoding": page.encoding,
                "script": page.script, "opencc": page.opencc, "title": page.title,
                "published_at": page.published_at, "source": page.source, "author": page.author,
                "text": page.text, "noise": page.noise, "mojibake": page.mojibake,
            }, ensure_ascii=False) + "\n")
    sites = {p.path.split("/")[1] for p in pages}
    print(f"wrote {len(pages)} pages from {len(sites)} site templates and {GOLD.name}")


if __name__ == "__main__":
    main()

"""Realistic synthetic Chinese news pages for the benchmarks, cheap and deterministic.

Each page is 30-150 KB like a real portal page: most of the bytes are navigation, inline
scripts and styles, HTML comments, share widgets, related-article lists, comment threads
and footers; the article itself is a few KB. Sentences come from seeds/texts, so the text
is real Chinese news prose. Pages vary by site template, encoding (UTF-8, GBK labelled
gb2312, Big5 with and without a label) and script (Simplified, Traditional); about 5% repeat
another page's story under a different site's template (the duplicates dedup must find).
"""
from __future__ import annotations

import random
import re
from dataclasses import dataclass
from pathlib import Path

SEED_TEXTS = Path(__file__).resolve().parent.parent / "seeds" / "texts"
CATEGORIES = ["首页", "新闻", "国内", "国际", "财经", "体育", "娱乐", "科技", "汽车", "房产", "教育", "健康",
              "旅游", "文化", "军事", "社会", "评论", "图片", "视频", "专题", "地方", "法治", "时尚", "读书"]
SOURCES = ["新华社", "中新网", "人民网", "本报讯", "央视新闻", "澎湃新闻", "经济日报", "环球时报"]
ENCODINGS = [("utf-8", "utf-8", "hans")] * 11 + [("gbk", "gb2312", "hans")] * 5 + \
    [("big5", "big5", "hant"), ("big5", None, "hant"), ("utf-8", "utf-8", "hant"), ("utf-8", "utf-8", "hant")]


@dataclass(frozen=True)
class Site:
    name: str
    host: str
    nav_links: int
    wrapper: str  # class name of the article container
    script_kb: int
    style_kb: int


def sentences() -> list[str]:
    found: list[str] = []
    for file in sorted(SEED_TEXTS.glob("*.txt")):
        text = file.read_text(encoding="utf-8")
        found += [s.strip() + "。" for s in re.split(r"[。！？\n]", text) if 15 <= len(s.strip()) <= 120]
    return found


def make_sites(rng: random.Random, count: int = 20) -> list[Site]:
    return [Site(name=f"{rng.choice(['江南', '海港', '云岭', '滨江', '北方', '东海', '西部', '中原'])}{rng.choice(['日报', '晚报', '新闻网', '在线', '时报'])}",
                 host=f"news{n}.example.cn", nav_links=rng.randint(60, 220),
                 wrapper=rng.choice(["article", "content", "main-text", "TRS_Editor", "news_txt", "left_zw"]),
                 script_kb=rng.randint(8, 60), style_kb=rng.randint(4, 30)) for n in range(count)]


def js_blob(rng: random.Random, kb: int) -> str:
    parts, size = [], 0
    while size < kb * 1024:
        name = "".join(rng.choices("abcdefghijklmnopqrstuvwxyz", k=8))
        chunk = (f"function {name}(e,t){{var n=document.getElementById('{name}');if(!n)return;"
                 f"n.setAttribute('data-x',{rng.randint(0, 99999)});for(var i=0;i<e.length;i++){{"
                 f"t.push(e[i]*{rng.randint(2, 9)})}};window._hmt=window._hmt||[];_hmt.push(['_trackEvent','{name}']);}}\n"
                 f"var cfg_{name}={{\"id\":{rng.randint(1, 10**6)},\"channel\":\"{rng.choice(CATEGORIES)}\",\"ad\":true}};\n")
        parts.append(chunk)
        size += len(chunk)
    return "".join(parts)


def css_blob(rng: random.Random, kb: int) -> str:
    parts, size = [], 0
    while size < kb * 1024:
        cls = "".join(rng.choices("abcdefghijklmnopqrstuvwxyz-", k=10))
        chunk = (f".{cls}{{margin:{rng.randint(0, 20)}px auto;padding:0 {rng.randint(0, 30)}px;"
                 f"color:#{rng.randint(0, 0xFFFFFF):06x};font:{rng.randint(12, 18)}px/1.6 'Microsoft YaHei'}}\n")
        parts.append(chunk)
        size += len(chunk)
    return "".join(parts)


def link_list(rng: random.Random, site: Site, count: int, texts: list[str], dated: bool) -> str:
    items = []
    for _ in range(count):
        title = rng.choice(texts)[:rng.randint(8, 24)]
        date = f"<span>{rng.randint(2019, 2025)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}</span>" if dated else ""
        items.append(f'<li><a href="https://{site.host}/{rng.randint(10**5, 10**6)}.html" target="_blank">{title}</a>{date}</li>')
    return "<ul>" + "".join(items) + "</ul>"


def story(rng: random.Random, pool: list[str]) -> tuple[str, list[str]]:
    title = rng.choice(pool)[:rng.randint(10, 28)].rstrip("。，")
    paragraphs = ["".join(rng.choices(pool, k=rng.randint(2, 5))) for _ in range(rng.randint(5, 18))]
    return title, paragraphs


def page_html(rng: random.Random, site: Site, title: str, paragraphs: list[str], label: str | None,
              pool: list[str], target_kb: int) -> str:
    nav = "".join(f'<li class="nav-item"><a href="https://{site.host}/{c}/">{c}</a></li>'
                  for c in rng.choices(CATEGORIES, k=site.nav_links))
    published = f"{rng.randint(2019, 2025)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d} {rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}"
    body = "".join(f"<p>{p}</p>" + (f'<p class="pic"><img src="https://img.{site.host}/{rng.randint(1, 10**6)}.jpg"></p>'
                                    f'<p class="caption">{p[:20]}</p>' if rng.random() < 0.15 else "")
                   for p in paragraphs)
    comments = "".join(f'<div class="comment"><span class="user">网友{rng.randint(1000, 99999)}</span>'
                       f'<p>{rng.choice(pool)[:40]}</p><span class="time">{published}</span></div>'
                       for _ in range(rng.randint(3, 15)))
    meta = f'<meta charset="{label}">' if label else ""
    head = (f"<!DOCTYPE html><html><head>{meta}<title>{title}_{site.name}</title>"
            f'<meta name="keywords" content="{",".join(rng.choices(CATEGORIES, k=6))}">'
            f'<meta name="description" content="{paragraphs[0][:60]}">'
            f'<meta property="og:title" content="{title}"><meta name="publishdate" content="{published}">'
            f"<style>{css_blob(rng, site.style_kb)}</style><script>{js_blob(rng, site.script_kb)}</script></head>")
    page = (f'{head}<body><!-- header start --><div class="top"><div class="login">登录 | 注册</div>'
            f'<ul class="nav">{nav}</ul></div><div class="crumb"><a href="/">首页</a> &gt; '
            f'<a href="/news/">{rng.choice(CATEGORIES)}</a> &gt; 正文</div>'
            f'<div class="{site.wrapper}"><h1>{title}</h1><div class="info">时间：{published} 来源：'
            f'{rng.choice(SOURCES)} 编辑：{rng.choice(["王", "李", "张", "刘"])}{rng.choice(["明", "华", "洁"])}</div>'
            f'<div class="share">分享到：<a>微信</a><a>微博</a><a>QQ空间</a></div>'
            f'<div class="text">{body}</div></div><!-- article end -->'
            f'<div class="related"><h3>相关新闻</h3>{link_list(rng, site, rng.randint(8, 30), pool, True)}</div>'
            f'<div class="hot"><h3>热点推荐</h3>{link_list(rng, site, rng.randint(10, 40), pool, False)}</div>'
            f'<div class="comments"><h3>网友评论</h3>{comments}</div>')
    # Real portals pad the rest with ad and tracking scripts; fill up to the page's size.
    filler = max(0, target_kb * 1024 - len(page.encode("utf-8")) - 2048)
    page += (f'<script type="text/javascript">{js_blob(rng, filler // 1024)}</script>'
             f'<div class="footer"><a href="/about/">关于我们</a> | <a href="/ad/">广告服务</a> | '
             f"<p>版权所有 © {site.name} 未经授权禁止转载</p><p>京ICP备{rng.randint(10**7, 10**8)}号 "
             f"京公网安备{rng.randint(10**13, 10**14)}号</p><p>违法和不良信息举报电话：010-{rng.randint(10**7, 10**8)}</p>"
             f"</div><!-- footer end --></body></html>")
    return page


def generate(out: Path, count: int, seed: int = 8) -> list[Path]:
    """Write `count` pages under `out` (100 per sub-directory); returns their paths."""
    import opencc

    to_traditional = opencc.OpenCC("s2t.json").convert
    rng = random.Random(seed)
    pool = sentences()
    sites = make_sites(rng)
    stories: list[tuple[str, list[str]]] = []
    paths = []
    for n in range(count):
        if stories and rng.random() < 0.05:
            title, paragraphs = rng.choice(stories)  # the same story on another site
        else:
            title, paragraphs = story(rng, pool)
            stories.append((title, paragraphs))
            if len(stories) > 200:
                stories.pop(0)
        codec, label, script = rng.choice(ENCODINGS)
        html = page_html(rng, rng.choice(sites), title, paragraphs, label, pool, rng.randint(30, 150))
        if script == "hant":
            html = to_traditional(html)
        path = out / f"{n // 100:04d}" / f"page_{n:06d}.html"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(html.encode(codec, errors="xmlcharrefreplace"))
        paths.append(path)
    return paths


if __name__ == "__main__":  # python bench/pages.py OUT_DIR COUNT: pages to profile or try by hand
    import sys

    written = generate(Path(sys.argv[1]), int(sys.argv[2]))
    print(f"{len(written)} pages under {sys.argv[1]}")

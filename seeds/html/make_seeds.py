"""Write the bundled sample HTML pages in seeds/html/, byte for byte.

The pages imitate what Chinese news sites actually serve: full chrome around the article
(nav, breadcrumbs, share widgets, related and hot lists with timestamps, friend links,
footers with ICP numbers) and the encodings they really use. A script writes them so the
bytes are exact: a GBK page labelled gb2312 with GBK-only characters (喆 镕 堃), and a Big5
page with no charset declaration at all. Run it from anywhere:

    python seeds/html/make_seeds.py
"""
from __future__ import annotations

from pathlib import Path

HERE = Path(__file__).resolve().parent


def paragraphs(text: str, indent: str = "") -> str:
    """One <p> per non-empty line of the body prose."""
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    return "\n".join(f"{indent}<p>{line}</p>" for line in lines)


# --- 1. GBK bytes labelled gb2312, Simplified, local government --------------------------

GBK_BODY = """
4月17日上午,城东区住房和城乡建设局召开新闻发布会,公布2023年老旧小区改造计划。今年全区将对建成于2000年以前的42个小区实施综合改造,涉及楼栋316幢、居民1.3万户,总投资约4.6亿元,计划于11月底前全部完工。
据区住建局副局长钱镕介绍,今年的改造内容分为基础类、完善类和提升类三项。基础类重点解决雨污管网混接、屋面渗漏、外墙脱落等安全问题;完善类包括加装电梯、增设非机动车充电车棚、改造小区出入口;提升类则根据居民意愿,配建托育点、助餐点和口袋公园。
“改什么、怎么改,先听居民的。”钱镕说,每个小区在方案设计前都要开展入户调查,方案公示时间不少于10天,居民同意率达到三分之二以上才能开工。去年改造的桃园新村,最初方案里没有停车位调整,居民在议事会上提出意见后,设计单位重新规划了内部道路,新增停车位87个。
记者在已完成改造的柳营小区看到,楼道里新装了声控灯和扶手,原先堆满杂物的空地变成了铺着塑胶的健身场地。72岁的居民陈喆明老人告诉记者,以前一下雨,单元门口就积水,老伴出门买菜都得穿雨靴,“现在排水管换了,路面也平了,下再大的雨也不怕”。
负责柳营小区施工的项目经理刘堃表示,改造期间施工队实行错峰作业,中午和晚上不进行高噪声施工,材料堆放点每天收工前清理一遍,尽量减少对居民生活的影响。
针对加装电梯中常见的低层住户意见分歧问题,城东区今年将推行“一梯一议”协商机制,由社区、物业和居民代表共同商定费用分摊比例,区财政对每部电梯给予最高20万元补贴。区住建局还将聘请第三方机构对施工质量进行全过程监督,并在每个小区设立意见箱和投诉电话,接受居民监督。
"""

GBK_PAGE = f"""<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml">
<head>
<meta charset="gb2312" />
<title>城东区今年启动42个老旧小区改造 惠及居民1.3万户_江南日报网</title>
<meta name="keywords" content="老旧小区改造,城东区,加装电梯" />
<meta name="description" content="城东区今年将对42个老旧小区实施综合改造,涉及居民1.3万户。" />
<meta name="publishdate" content="2023-04-18" />
<link rel="stylesheet" type="text/css" href="/css/article_2019.css" />
<script type="text/javascript" src="/js/jquery-1.8.3.min.js"></script>
<style type="text/css">.topbar{{height:30px;background:#f5f5f5}} .art_con p{{text-indent:2em;line-height:1.9}}</style>
</head>
<body>
<!-- 顶部导航 start -->
<div class="topbar"><div class="w1000">
  <span class="fl">欢迎访问江南日报网!今天是2023年4月18日 星期二</span>
  <span class="fr"><a href="/login.html">登录</a> | <a href="/reg.html">注册</a> | <a href="/m/">手机版</a></span>
</div></div>
<div class="header w1000"><a href="/" class="logo"><img src="/images/logo.png" alt="江南日报网" /></a></div>
<div class="nav w1000"><ul>
  <li><a href="/">首页</a></li><li><a href="/news/">要闻</a></li><li><a href="/local/">本地</a></li>
  <li><a href="/gov/">政务</a></li><li><a href="/house/">房产</a></li><li><a href="/edu/">教育</a></li>
  <li><a href="/video/">视频</a></li><li><a href="/epaper/">数字报</a></li>
</ul></div>
<!-- 顶部导航 end -->
<div class="w1000 crumbs">当前位置:<a href="/">首页</a> &gt; <a href="/local/">本地新闻</a> &gt; 正文</div>
<div class="w1000 main">
 <div class="left660">
  <h1 class="art_title">城东区今年启动42个老旧小区改造 惠及居民1.3万户</h1>
  <div class="art_info">2023-04-18 10:25:13 &nbsp; 来源:江南日报 &nbsp; 作者:记者 王喆 通讯员 李堃 &nbsp; 字号:<a href="javascript:;">大</a> <a href="javascript:;">中</a> <a href="javascript:;">小</a></div>
  <div class="art_con">
{paragraphs(GBK_BODY, "   ")}
   <p style="text-align:center"><img src="/upload/2023/04/18/liuying.jpg" alt="" /></p>
   <p class="pic_txt" style="text-align:center">改造后的柳营小区健身场地。</p>
  </div>
  <div class="art_editor">(责任编辑:周晓敏)</div>
  <div class="share">分享到:<a class="wx" href="javascript:;">微信</a><a class="wb" href="javascript:;">微博</a><a class="qq" href="javascript:;">QQ空间</a></div>
  <div class="prev_next"><p>上一篇:<a href="/local/2023/0417/188201.html">城东区春季植树活动启动</a></p><p>下一篇:<a href="/local/2023/0418/188263.html">我市新增3条公交线路</a></p></div>
  <div class="related"><h3>相关新闻</h3><ul>
   <li><a href="/local/2022/1130/176522.html">去年我区完成38个老旧小区改造</a><span>2022-11-30</span></li>
   <li><a href="/local/2023/0309/185120.html">加装电梯补贴政策再调整</a><span>2023-03-09</span></li>
   <li><a href="/local/2023/0402/187310.html">桃园新村居民议事会选出新一届代表</a><span>2023-04-02</span></li>
  </ul></div>
 </div>
 <div class="right320">
  <div class="hot"><h3>热点排行</h3><ol>
   <li><a href="/news/2023/0418/188250.html">五一假期高速免费通行时间公布</a></li>
   <li><a href="/news/2023/0417/188190.html">本周末气温回升 最高可达28℃</a></li>
   <li><a href="/edu/2023/0416/188120.html">中考体育考试项目调整</a></li>
  </ol></div>
 </div>
</div>
<div class="links w1000">友情链接:<a href="http://www.example-news.cn/">某某新闻网</a> <a href="http://www.example-gov.cn/">城东区人民政府</a></div>
<div class="footer">
 <p><a href="/about/">关于我们</a> | <a href="/contact/">联系我们</a> | <a href="/ad/">广告服务</a> | <a href="/law/">免责声明</a></p>
 <p>江南日报社版权所有 Copyright &copy; 2006-2023 All Rights Reserved</p>
 <p>互联网新闻信息服务许可证:33120180012 &nbsp; <a href="https://beian.miit.gov.cn/">浙ICP备05012345号-1</a> &nbsp; 浙公网安备 33010202000123号</p>
 <p>违法和不良信息举报电话:0571-87654321 举报邮箱:jubao@jnrb.example.cn</p>
</div>
<div id="gotop"><a href="#">返回顶部</a></div>
<script type="text/javascript">var _hmt = _hmt || []; (function(){{ var hm = document.createElement("script"); hm.src = "//hm.example.com/hm.js?abc"; document.body.appendChild(hm); }})();</script>
</body>
</html>
"""

# --- 2. Big5 bytes, no charset declaration anywhere, Traditional, weather ---------------

BIG5_BODY = """
氣象局今天表示,今年第二波梅雨鋒面預計明天起影響台灣,週六至下週一是降雨最明顯的時段,中南部山區累積雨量可能超過300毫米,民眾應留意豪雨特報並避免前往山區及溪邊活動。
氣象局預報員指出,鋒面明天下午先抵達北部海面,午後北部及宜蘭地區將出現短暫陣雨或雷雨;隨著鋒面南移,週六清晨起西南氣流增強,中南部地區將有局部大雨或豪雨發生的機率,雨勢可能集中在午後至夜間。
今年春季降雨偏少,南部主要水庫蓄水率目前僅約三成。水利署官員表示,這波鋒面若能帶來足夠雨量,對緩解南部用水吃緊會有相當幫助,但仍提醒農民做好排水準備,尤其是正值採收期的芒果與荔枝果園,應提早採收已成熟果實,以減少落果損失。
交通部公路局也已要求各工務段加強巡查易坍方路段,南橫公路及阿里山公路山區路段,若雨量達到預警值將實施預警性封路。公路局提醒,用路人出發前可透過即時路況網站查詢最新資訊。
氣象局指出,鋒面過後下週二起天氣將轉為穩定,各地氣溫回升,高溫可達33度,白天紫外線指數偏高,外出應注意防曬及補充水分。
"""

BIG5_PAGE = f"""<html>
<head>
<title>梅雨鋒面明起報到 中南部山區嚴防豪雨 - 寶島新聞網</title>
<meta name="description" content="今年第二波梅雨鋒面預計明天起影響台灣,中南部山區嚴防豪雨。">
<meta property="og:title" content="梅雨鋒面明起報到 中南部山區嚴防豪雨">
<meta property="article:published_time" content="2023-05-25T14:20:00+08:00">
<link rel="stylesheet" href="/css/news.css">
</head>
<body>
<div id="header"><a href="/"><img src="/img/logo.gif" alt="寶島新聞網"></a>
<ul class="menu"><li><a href="/">首頁</a></li><li><a href="/politics/">政治</a></li><li><a href="/life/">生活</a></li><li><a href="/weather/">氣象</a></li><li><a href="/sports/">體育</a></li><li><a href="/ent/">娛樂</a></li></ul>
<form action="/search"><input type="text" name="q" value="請輸入關鍵字"><input type="submit" value="搜尋"></form>
</div>
<div class="breadcrumb"><a href="/">首頁</a> &gt; <a href="/life/">生活</a> &gt; <a href="/weather/">氣象</a></div>
<div id="story">
<h1>梅雨鋒面明起報到 中南部山區嚴防豪雨</h1>
<div class="byline">2023/05/25 14:20 &nbsp; 記者林佳慧/台北報導</div>
<div class="sharebar"><a href="#">分享</a> <a href="#">Facebook</a> <a href="#">LINE</a> <a href="#">列印</a> <a href="#">A+</a> <a href="#">A-</a></div>
<div class="photo"><img src="/photo/20230525/rain.jpg"><p class="caption">氣象局預估週末中南部山區累積雨量可能超過300毫米。(資料照)</p></div>
<div class="text">
{paragraphs(BIG5_BODY)}
</div>
<div class="tags">相關標籤:<a href="/tag/梅雨">梅雨</a> <a href="/tag/豪雨">豪雨</a> <a href="/tag/氣象局">氣象局</a></div>
</div>
<div class="related"><h3>延伸閱讀</h3><ul>
<li><a href="/weather/20230518/1021.html">上週鋒面雨量不如預期 南部水情仍吃緊</a> 2023/05/18 09:12</li>
<li><a href="/weather/20230510/0988.html">五月首波梅雨報到 北部低溫探21度</a> 2023/05/10 16:45</li>
<li><a href="/life/20230522/1044.html">芒果產季提前 果農搶收避雨</a> 2023/05/22 11:03</li>
</ul></div>
<div class="hot"><h3>熱門新聞</h3><ol>
<li><a href="/ent/20230525/1102.html">金曲獎入圍名單出爐</a></li>
<li><a href="/sports/20230525/1098.html">中職上半季冠軍爭奪白熱化</a></li>
</ol></div>
<div id="footer">
<p><a href="/about">關於我們</a> | <a href="/privacy">隱私權政策</a> | <a href="/contact">聯絡我們</a> | <a href="/ad">廣告刊登</a></p>
<p>本網站所刊載之內容,未經同意不得轉載。免責聲明:本站言論不代表本網立場。</p>
<p>Copyright &copy; 2023 寶島新聞網 版權所有</p>
</div>
<a href="#top" class="gotop">回到頂端</a>
<script>window.dataLayer = window.dataLayer || []; function gtag(){{dataLayer.push(arguments);}}</script>
</body>
</html>
"""

# --- 3. UTF-8, Traditional, culture (Hong Kong) ------------------------------------------

HANT_BODY = """
第三十四屆香港書展將於7月19日至25日在灣仔會議展覽中心舉行,主辦機構今日公布,今年展期七天,預計有超過六百家參展商,並以「城市文學」為年度主題,透過講座、展覽及導賞團,帶領讀者重新認識以香港為背景的文學作品。
主辦機構表示,年度主題展覽將展出多位本地作家的手稿、初版書及創作筆記,其中不少是首次公開展出。展覽亦特別設置一條「文學漫步」路線,讀者可按地圖走訪書中描寫過的街道、茶樓與碼頭,並透過手機收聽作家朗讀的片段。
今年書展共安排超過三百場文化活動,除了作家分享會外,還有為中小學生而設的寫作工作坊。主辦機構指出,近年年輕讀者對圖像小說及本地歷史題材的興趣明顯增加,因此今年特別擴大了相關展區的面積。
票價方面,成人門票維持二十五元,長者、殘疾人士及身高一米以下兒童可免費入場。為減少人潮聚集,書展會在週末延長開放時間至晚上十時,並在入口增設電子門票專用通道。
有出版業界人士表示,過去數年實體書銷售受到衝擊,書展仍是中小型出版社接觸讀者最重要的渠道。一家獨立書店負責人說,他們今年準備了四十多種新書,希望藉書展吸引更多讀者走進社區書店。
"""

HANT_PAGE = f"""<!doctype html>
<html lang="zh-HK">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>香港書展下月開幕 今年主題聚焦城市文學 | 港聞在線</title>
<meta property="og:type" content="article">
<meta property="og:title" content="香港書展下月開幕 今年主題聚焦城市文學">
<meta property="og:site_name" content="港聞在線">
<meta property="article:section" content="文化">
<script type="application/ld+json">{{"@context":"https://schema.org","@type":"NewsArticle","headline":"香港書展下月開幕 今年主題聚焦城市文學","datePublished":"2023-06-20T11:05:00+08:00","author":{{"@type":"Person","name":"陳嘉欣"}}}}</script>
<style>.article-body p{{margin:0 0 1.2em}} .ad-slot{{min-height:250px}}</style>
</head>
<body class="article-page">
<header class="site-header">
  <a class="brand" href="/">港聞在線</a>
  <nav><a href="/news">港聞</a><a href="/china">兩岸</a><a href="/intl">國際</a><a href="/finance">財經</a><a href="/culture" class="active">文化</a><a href="/sport">體育</a></nav>
  <a class="subscribe" href="/subscribe">訂閱</a> <a class="login" href="/login">登入</a>
</header>
<main>
<article>
  <ol class="breadcrumbs"><li><a href="/">主頁</a></li><li><a href="/culture">文化</a></li></ol>
  <h1 class="headline">香港書展下月開幕 今年主題聚焦城市文學</h1>
  <div class="meta"><span class="author">撰文:陳嘉欣</span> <time datetime="2023-06-20T11:05:00+08:00">2023年6月20日 上午11:05</time></div>
  <div class="share-tools"><button>分享</button><button>WhatsApp</button><button>Facebook</button><button>複製連結</button></div>
  <figure><img src="/img/2023/06/bookfair.jpg" alt="書展"><figcaption>今年書展以「城市文學」為年度主題。</figcaption></figure>
  <div class="article-body">
{paragraphs(HANT_BODY, "    ")}
  </div>
  <div class="ad-slot"><!-- 廣告 --></div>
  <section class="more"><h2>更多文化新聞</h2><ul>
    <li><a href="/culture/20230615/a1">西九新展覽館年底落成</a><time>2023-06-15</time></li>
    <li><a href="/culture/20230612/a2">本地樂團巡演加開兩場</a><time>2023-06-12</time></li>
    <li><a href="/culture/20230608/a3">舊區壁畫藝術節周末登場</a><time>2023-06-08</time></li>
  </ul></section>
</article>
<aside class="most-read"><h2>最多人閱讀</h2><ol><li><a href="/news/20230620/b1">天文台:下周初或有熱帶氣旋</a></li><li><a href="/finance/20230620/b2">港股半日升三百點</a></li></ol></aside>
</main>
<footer class="site-footer">
  <p><a href="/about">關於我們</a> · <a href="/terms">使用條款</a> · <a href="/privacy">私隱政策</a> · <a href="/contact">聯絡我們</a></p>
  <p>© 2023 港聞在線 版權所有,不得轉載。</p>
</footer>
<script src="/static/js/app.3f9c1.js" defer></script>
</body>
</html>
"""

# --- 4. UTF-8, mixed script (Simplified page quoting a Traditional reprint), farming -----

MIXED_BODY = """
清明前后,海拔1600米的石门乡高山茶园进入春茶采摘高峰。清晨六点多,山间雾气还没有散去,采茶工人已经背着竹篓走进茶垄,指尖翻飞间,一芽一叶的嫩梢被轻轻摘下。
石门乡党委书记介绍,全乡目前有茶园2.8万亩,去年茶叶综合产值达到3.1亿元。今年乡里与两家茶企签订了保底收购协议,鲜叶收购价比去年每斤高出两到三元,茶农人均增收预计超过三千元。
在村裡的初製廠,揉捻機和烘乾機晝夜不停地運轉。廠長說,今年新購置了兩條清潔化生產線,每天可加工鮮葉十二噸,比去年提高近一倍,「以前採下來的葉子來不及處理,只能低價賣給外地客商,現在全部可以就地加工」。
為了讓更多年輕人留在家鄉發(fā)展,鄉裡還開設了電商直播培訓班,已有四十多名返鄉青年在網上銷售茶葉。九零後茶農小楊去年開始直播,如今每月線上訂單穩定在兩千單左右,他說:「直播間裡的顧客最愛看採茶的場景,很多人看完就下單了。」
据了解,石门乡下一步将围绕茶旅融合,修建茶园观光步道和民宿集群,力争三年内把春茶采摘体验打造成为当地乡村旅游的新名片。
"""

MIXED_PAGE = f"""<!DOCTYPE html>
<html>
<head>
<meta http-equiv="Content-Type" content="text/html; charset=utf-8">
<title>高山茶园迎来春茶采摘季 茶农人均增收超三千元-云岭乡村网</title>
<meta name="keywords" content="春茶,茶园,乡村振兴">
<meta name="author" content="云岭乡村网">
<link href="/skin/default/css/style.css" rel="stylesheet">
</head>
<body>
<div class="top"><div class="wrap"><a href="/">云岭乡村网</a> <a href="/about/">关于我们</a> <a href="/app/">下载客户端</a></div></div>
<div class="menu wrap"><a href="/">首页</a><a href="/xw/">乡村新闻</a><a href="/cy/">特色产业</a><a href="/ly/">乡村旅游</a><a href="/zc/">政策解读</a><a href="/sp/">视频</a></div>
<div class="wrap position">您的位置:<a href="/">首页</a> &raquo; <a href="/cy/">特色产业</a> &raquo; 正文</div>
<div class="wrap content">
  <div class="title"><h1>高山茶园迎来春茶采摘季 茶农人均增收超三千元</h1></div>
  <div class="info"><span>发布时间:2023年04月06日</span><span>来源:石门乡融媒体中心</span><span>编辑:杨帆</span><span>阅读量:3521</span></div>
  <div class="bdsharebuttonbox"><a href="#" class="bds_more" data-cmd="more">分享到:</a><a href="#" class="bds_weixin" data-cmd="weixin" title="分享到微信"></a><a href="#" class="bds_tsina" data-cmd="tsina" title="分享到新浪微博"></a></div>
  <div class="article" id="article">
{paragraphs(MIXED_BODY, "    ")}
  </div>
  <div class="pagebreak"><a href="/cy/2023/0405/9321.html">上一篇:古镇油菜花海迎客</a> <a href="/cy/2023/0407/9340.html">下一篇:春耕备耕物资供应充足</a></div>
  <div class="xgxw"><h4>相关文章</h4><ul>
    <li><span>2023-03-28</span><a href="/cy/2023/0328/9200.html">茶叶初制所标准化改造全面完成</a></li>
    <li><span>2023-03-15</span><a href="/cy/2023/0315/9051.html">电商直播培训班开班</a></li>
    <li><span>2022-12-20</span><a href="/cy/2022/1220/8512.html">全乡茶叶产值突破3亿元</a></li>
  </ul></div>
</div>
<div class="foot wrap">
  <p>主办:云岭乡村网 &nbsp; 联系电话:0871-6666 8888 &nbsp; 投稿邮箱:tougao@ylxc.example.cn</p>
  <p>Copyright &copy; 2015-2023 云岭乡村网 版权所有 &nbsp; 滇ICP备15003322号 &nbsp; 滇公网安备 53010202000456号</p>
  <p>未经书面授权禁止转载 &nbsp; 违法和不良信息举报电话:0871-12377</p>
</div>
<div class="fix-right"><a href="#">微信扫一扫</a><img src="/images/qrcode.png"><a href="#top">返回顶部</a></div>
<script>window._bd_share_config={{"common":{{"bdSnsKey":{{}},"bdText":""}},"share":{{}}}};</script>
</body>
</html>
"""

# --- 5. UTF-8, an index/section page: a list of links, not an article -------------------

INDEX_HEADLINES = [
    "全市一季度地区生产总值同比增长5.2%", "城东区今年启动42个老旧小区改造", "地铁五号线南延段开始试运行",
    "本周末气温回升 最高可达28摄氏度", "市民中心新增夜间办事窗口", "中考体育考试项目调整方案公布",
    "滨江湿地公园二期对外开放", "全市新增3条定制公交线路", "春季森林防火进入关键期",
    "老字号美食节周末开幕", "市图书馆推出24小时自助借阅", "高新区新签约项目15个",
    "五一假期旅游预订量同比大增", "农村公路提档升级工程启动", "社区助餐点覆盖率达到八成",
    "市一医院新门诊楼投入使用", "全市中小学将统一配备饮水设备", "江滨路改造工程进入收尾阶段",
    "首批养老服务顾问上岗", "跨江大桥夜景灯光调试完成", "职业技能大赛决赛落幕",
    "一批老旧供水管网完成更新", "城市书房新增12家", "全市启动垃圾分类宣传月活动",
    "新能源汽车充电桩建设提速", "市青少年足球联赛开赛", "民营企业座谈会召开",
    "夏季防汛物资储备到位", "历史文化街区保护规划公示", "公共自行车系统完成升级",
    "全市举办春季招聘会提供岗位1.2万个", "市场监管部门开展食品安全抽检",
]

INDEX_ITEMS = "\n".join(
    f'    <li><a href="/local/2023/04{18 - i // 3:02d}/{188300 - i * 7}.html" target="_blank">{headline}</a>'
    f'<span class="date">2023-04-{18 - i // 3:02d}</span></li>'
    for i, headline in enumerate(INDEX_HEADLINES)
)

INDEX_PAGE = f"""<!DOCTYPE html>
<html>
<head>
<meta charset="utf-8">
<title>本地新闻_江南日报网</title>
<meta name="keywords" content="本地新闻,江南日报">
<link rel="stylesheet" href="/css/list.css">
</head>
<body>
<div class="header"><a href="/" class="logo">江南日报网</a>
<div class="nav"><a href="/">首页</a> <a href="/news/">要闻</a> <a href="/local/">本地</a> <a href="/gov/">政务</a> <a href="/house/">房产</a> <a href="/edu/">教育</a> <a href="/video/">视频</a> <a href="/epaper/">数字报</a></div>
<div class="subnav"><a href="/local/cd/">城东</a> <a href="/local/cx/">城西</a> <a href="/local/gx/">高新区</a> <a href="/local/bj/">滨江</a> <a href="/local/xq/">县区</a></div></div>
<div class="crumbs">当前位置:<a href="/">首页</a> &gt; 本地新闻</div>
<div class="list-main">
  <h2 class="column-title">本地新闻</h2>
  <ul class="news-list">
{INDEX_ITEMS}
  </ul>
  <div class="pages"><a href="index.html">首页</a> <a href="index_1.html">上一页</a> <span>1</span> <a href="index_2.html">2</a> <a href="index_3.html">3</a> <a href="index_2.html">下一页</a> <a href="index_52.html">尾页</a></div>
</div>
<div class="list-side">
  <h3>热点排行</h3>
  <ol>
    <li><a href="/news/2023/0418/188250.html">五一假期高速免费通行时间公布</a></li>
    <li><a href="/news/2023/0417/188190.html">地铁五号线南延段开始试运行</a></li>
    <li><a href="/edu/2023/0416/188120.html">中考体育考试项目调整方案公布</a></li>
    <li><a href="/local/2023/0415/188088.html">滨江湿地公园二期对外开放</a></li>
    <li><a href="/local/2023/0414/188051.html">市图书馆推出24小时自助借阅</a></li>
  </ol>
  <h3>专题</h3>
  <ul><li><a href="/zt/lhjj/">老旧小区改造进行时</a></li><li><a href="/zt/wmcj/">文明城市创建</a></li><li><a href="/zt/yshj/">优化营商环境</a></li></ul>
</div>
<div class="footer"><p>江南日报社版权所有 Copyright &copy; 2006-2023</p><p>浙ICP备05012345号-1 浙公网安备 33010202000123号</p></div>
</body>
</html>
"""

# --- 6. UTF-8, Simplified, sports, a portal template with a comment box -----------------

SPORTS_BODY = """
3月26日7时30分,2023滨江城市马拉松在市民广场鸣枪开跑。来自全国28个省区市以及9个国家和地区的两万名跑者参加了全程马拉松、半程马拉松和健康跑三个项目的比赛。
本届赛事全程赛道沿江岸布设,途经老码头、滨江湿地公园和新落成的跨江大桥,被不少跑者称为“最美江景赛道”。比赛当天气温在12至18摄氏度之间,微风,天气条件十分适宜。
经过激烈角逐,男子全程马拉松冠军由来自云南的选手杨成以2小时14分36秒获得,女子全程冠军由本地选手何雨萱以2小时31分08秒获得,两人的成绩均刷新了赛会纪录。何雨萱赛后说,家乡的赛道她训练时跑过很多遍,最后五公里顺风,她果断提速,“听到路边有人喊我的名字,一下子就有劲了”。
为保障赛事安全,组委会在沿途设置了22个补给站和16个医疗点,并首次启用“移动急救单元”,由骑行的急救员携带除颤仪跟随跑者。截至中午12时关门时间,全程赛事未发生严重伤病事件。
赛事期间,沿线多个社区组织了加油方阵,锣鼓队、舞龙队和合唱团在路边为跑者助威。组委会表示,今年赛事还与沿线商户联合推出“跑者优惠”,选手凭完赛奖牌可在指定餐饮和酒店享受折扣,带动周末消费。
"""

SPORTS_PAGE = f"""<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="UTF-8">
<meta name="renderer" content="webkit">
<title>2023滨江城市马拉松鸣枪 两万名跑者畅跑江岸 - 滨江网</title>
<meta property="og:title" content="2023滨江城市马拉松鸣枪 两万名跑者畅跑江岸">
<meta property="og:type" content="article">
<meta name="description" content="3月26日,2023滨江城市马拉松鸣枪开跑,两万名跑者参赛。">
<link rel="stylesheet" href="//static.example-bj.cn/sports/v3/detail.css">
<script>var ARTICLE_ID = "SP20230326001"; var CHANNEL = "sports";</script>
</head>
<body>
<div class="top-nav">
  <a href="/">滨江网首页</a><a href="/news/">新闻</a><a href="/sports/">体育</a><a href="/finance/">财经</a><a href="/auto/">汽车</a><a href="/travel/">旅游</a>
  <div class="user"><a href="/passport/login">登录</a><a href="/passport/register">免费注册</a></div>
</div>
<div class="path"><a href="/sports/">体育频道</a> &gt; <a href="/sports/run/">路跑</a> &gt; 正文</div>
<div class="container">
 <div class="article-main">
  <h1 id="artibodyTitle">2023滨江城市马拉松鸣枪 两万名跑者畅跑江岸</h1>
  <div class="date-source"><span class="date">2023年03月26日 12:48</span> <span class="source">滨江晚报</span> <span class="author">记者 周航</span></div>
  <div class="article-tools"><span>评论(126)</span> <a href="javascript:void(0)">微博</a> <a href="javascript:void(0)">微信</a> <a href="javascript:void(0)">- +1</a></div>
  <div id="artibody" class="article">
   <div class="img_wrapper"><img src="//n.example-bj.cn/sports/2023/0326/start.jpg" alt="起跑现场"><span class="img_descr">两万名跑者从市民广场出发。</span></div>
{paragraphs(SPORTS_BODY, "   ")}
   <p class="article-editor">责任编辑:吴子健</p>
  </div>
  <div class="keywords">文章关键词:<a href="/tag/马拉松">马拉松</a> <a href="/tag/路跑">路跑</a></div>
  <div class="comment-box"><h3>我要评论</h3><textarea placeholder="文明上网,理性发言"></textarea><div class="login-tip">登录后才能发表评论 <a href="/passport/login">立即登录</a></div>
   <div class="comment"><span class="nick">江边跑者</span>:赛道真的很美,明年还来!<span class="time">2023-03-26 13:02</span></div>
  </div>
  <div class="related"><h3>相关阅读</h3><ul>
   <li><a href="/sports/2023/0325/7712.html">马拉松明日开跑 这些道路临时管制</a><em>03-25 18:40</em></li>
   <li><a href="/sports/2023/0320/7650.html">滨江马拉松领物时间地点公布</a><em>03-20 10:15</em></li>
   <li><a href="/sports/2022/1106/6120.html">去年秋季半程马拉松回顾</a><em>2022-11-06 14:30</em></li>
  </ul></div>
 </div>
 <div class="sidebar"><div class="rank"><h3>24小时排行</h3><ol>
  <li><a href="/sports/2023/0326/7730.html">冠军何雨萱:最后五公里决定胜负</a></li>
  <li><a href="/finance/2023/0326/5521.html">油价下周或迎下调</a></li>
  <li><a href="/travel/2023/0325/3301.html">赏樱季来了 周边这些地方值得去</a></li>
 </ol></div></div>
</div>
<div class="footer">
 <p><a href="/about/">滨江网简介</a> | <a href="/ad/">广告服务</a> | <a href="/join/">招聘信息</a> | <a href="/contact/">联系我们</a> | <a href="/sitemap/">网站地图</a></p>
 <p>Copyright © 1999-2023 滨江网络传媒有限公司 All Rights Reserved 版权所有</p>
 <p>苏ICP备09088123号 &nbsp; 增值电信业务经营许可证:苏B2-20090123 &nbsp; 苏公网安备 32010502010678号</p>
 <p>违法和不良信息举报电话:025-12345678 &nbsp; 未成年人保护举报</p>
</div>
</body>
</html>
"""

# --- 7. UTF-8, Simplified, economy, a government-portal style template -------------------

ECONOMY_BODY = """
记者4月20日从市港航管理局获悉,今年一季度,全市港口完成货物吞吐量1.42亿吨,同比增长8.6%;集装箱吞吐量512万标准箱,同比增长6.3%,两项指标增速均高于去年同期。
从货类结构看,外贸集装箱和新能源汽车出口成为拉动增长的主要力量。一季度,全市港口滚装码头出口汽车11.8万辆,其中新能源汽车占比接近四成。港航管理局有关负责人表示,今年以来多条新开通的东南亚和中东航线陆续投入运营,每周航班密度较去年底增加了14个班次。
港口效率也在提升。今年2月,南港区自动化码头二期工程投入使用,岸桥远程操控比例达到90%以上,集装箱船平均在港时间缩短至21小时。码头运营公司一位调度员告诉记者,过去一名司机只能操控一台岸桥,现在在中控室里一人可以同时监控三台设备。
不过,业内人士也提醒,外需走势仍存在不确定性,散货运价近期有所回落。港航管理局表示,下一步将加快推进铁水联运通道建设,力争年内新开行海铁联运班列线路3条,进一步降低内陆货主的物流成本。
"""

ECONOMY_PAGE = f"""<!DOCTYPE html>
<html>
<head>
<meta charset="utf-8">
<meta http-equiv="X-UA-Compatible" content="IE=edge">
<title>一季度全市港口货物吞吐量同比增长8.6%|海港财经网</title>
<meta name="ArticleTitle" content="一季度全市港口货物吞吐量同比增长8.6%">
<meta name="PubDate" content="2023-04-21 08:05">
<meta name="ContentSource" content="海港财经网">
<link rel="stylesheet" href="/static/css/common.css">
</head>
<body>
<table width="100%" class="head"><tr><td><img src="/static/img/banner.jpg" alt="海港财经网"></td><td class="weather">今日:多云 16~23℃</td></tr></table>
<div class="nav"><a href="/">首页</a>|<a href="/macro/">宏观</a>|<a href="/port/">港航</a>|<a href="/stock/">证券</a>|<a href="/company/">公司</a>|<a href="/data/">数据</a></div>
<div class="bread">首页 / 港航 / 正文</div>
<div class="main clearfix">
 <div class="con">
  <h1>一季度全市港口货物吞吐量同比增长8.6%</h1>
  <div class="pages-date">2023-04-21 08:05 <span>来源:海港财经网</span> <span>作者:刘思远</span> <span>浏览次数:2087</span> <span class="font">【字体:<a href="#">大</a> <a href="#">中</a> <a href="#">小</a>】</span></div>
  <div class="pages_content" id="UCAP-CONTENT">
{paragraphs(ECONOMY_BODY, "   ")}
   <p style="text-align:right">(完)</p>
  </div>
  <div class="fx">【<a href="javascript:window.print()">打印本页</a>】【<a href="javascript:window.close()">关闭窗口</a>】【<a href="#">纠错</a>】</div>
  <div class="xg"><h3>相关链接</h3><ul>
   <li><a href="/port/2023/0115/3301.html">去年全市港口吞吐量创历史新高</a>(2023-01-15)</li>
   <li><a href="/port/2023/0302/3388.html">南港区自动化码头二期投用</a>(2023-03-02)</li>
   <li><a href="/macro/2023/0418/3501.html">一季度外贸进出口数据发布</a>(2023-04-18)</li>
  </ul></div>
 </div>
</div>
<div class="foot">
 <p><a href="/sitemap/">网站地图</a> | <a href="/contact/">联系我们</a> | <a href="/statement/">免责声明</a></p>
 <p>主办单位:海港财经传媒有限公司 &nbsp; 版权所有 &nbsp; Copyright&copy;2010-2023</p>
 <p>鲁ICP备10020304号-2 &nbsp; 鲁公网安备37020202000789号 &nbsp; 互联网新闻信息服务许可证编号:37120190003</p>
</div>
<div class="erweima"><img src="/static/img/wx.jpg"><p>微信扫一扫 关注我们</p></div>
</body>
</html>
"""

# (file name, page markup, encoding the bytes are written in)
PAGES: list[tuple[str, str, str]] = [
    ("jiangnan_gbk_gb2312_local.html", GBK_PAGE, "gbk"),
    ("baodao_big5_undeclared_weather.html", BIG5_PAGE, "big5"),
    ("ganwen_hant_utf8_culture.html", HANT_PAGE, "utf-8"),
    ("yunling_mixed_utf8_tea.html", MIXED_PAGE, "utf-8"),
    ("jiangnan_index_local.html", INDEX_PAGE, "utf-8"),
    ("binjiang_sports_marathon.html", SPORTS_PAGE, "utf-8"),
    ("haigang_economy_port.html", ECONOMY_PAGE, "utf-8"),
]


def main() -> None:
    for name, markup, encoding in PAGES:
        # strict: a character the target encoding cannot hold is a bug in this script
        (HERE / name).write_bytes(markup.encode(encoding))
    print(f"wrote {len(PAGES)} pages to {HERE}")


if __name__ == "__main__":
    main()

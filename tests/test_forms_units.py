"""Measure words, units and what is not a figure (issue 11, points 8 and 10).

Point 8: the measure words 间, 列, 尾, 口, 只, 席, 圈, 股 and 所 (before 学校); points scored (砍下30分) only
where a scoring verb governs 分; Latin s, ms, min, h and m2, m3, km2, ², ³ after digits; 度 as a
kilowatt-hour where the clause speaks of electricity; the 千 of 千瓦, 千米, 千克 kept with its unit after
万/亿 (六十一亿千瓦); 兆瓦时, 万千瓦时; degrees Fahrenheit; bits; a unit whose guard word is itself the
start of another word (提前7天才能: 7天).
Point 10: place names, idioms and slogans with a numeral and a measure word, 三次产业, 二套房, 5A级, 零点,
2024届, Republic-of-China years, a year or a list number opening a line, the items of an ordinal list;
and figures inside short quotations, which are figures.

Every expectation is written from the output contract (/work/shared/figures.md) and the unit factors of
rules/10-units.yaml (1 天 = 86400 s, 1 度 = 1 kWh = 1000 Wh, 8 bits = 1 B, K = (F − 32) × 5/9 + 273.15),
never from what factx returns. A figure case names a sentence and the figure's text: exactly one figure
overlaps that text, and it has that text, kind, value, unit (and for a count its classifier); values are
exact decimals, or a Fraction where the value does not terminate.
"""

from __future__ import annotations

from fractions import Fraction

import pytest
from figure_helpers import Exp, Expect, assert_not_a_figure, check_figure

DAY = 86400
YEAR = 365 * DAY  # the contract's calendar year


def fahrenheit(f: str) -> Fraction:
    """Kelvins of ``f`` degrees Fahrenheit, exactly."""
    return (Fraction(f) - 32) * Fraction(5, 9) + Fraction("273.15")


# Every case pins its classifier (None but on a count); the others are left open.
_EXPECT = Expect(classifier=None)
count, measure = _EXPECT.count, _EXPECT.measure


def _check(sentence: str, text: str, exp: Exp) -> None:
    check_figure(sentence, text, exp, whole=True)


# === 8. measure words =================================================================================

MEASURE_WORDS = [
    # Rooms, trains, fish, wells, seats, laps.
    pytest.param("该酒店共有客房120间，其中套房18间。", "120间", count("120", "间"), id="jian-rooms"),
    pytest.param("旅館去年新增35間客房，入住率逾八成。", "35間", count("35", "间"), id="trad-jian-rooms"),
    pytest.param("春运期间，铁路部门每日加开旅客列车32列。", "32列", count("32", "列"), id="lie-trains"),
    pytest.param("港鐵今年將引入新列車，首批共9列。", "9列", count("9", "列"), id="trad-lie-trains"),
    pytest.param("今年共向长江增殖放流鱼苗300万尾。", "300万尾", count("3000000", "尾"), id="wei-fish"),
    pytest.param("漁護署本年度放流魚苗12萬尾。", "12萬尾", count("120000", "尾"), id="trad-wei-fish"),
    pytest.param("为缓解旱情，当地今年已打井3口。", "3口", count("3", "口"), id="kou-wells"),
    pytest.param("油田全年新钻油井二十口，均已投产。", "二十口", count("20", "口"), id="kou-cjk-wells"),
    pytest.param("一家三口搬进了新房，村里共有5口水井。", "5口", count("5", "口"), id="kou-shuijing"),
    # 只: stocks and animals; 隻 in traditional script gives the same classifier.
    pytest.param("沪深两市共有100只股票涨停。", "100只", count("100", "只"), id="zhi-stocks"),
    pytest.param("该养殖场存栏蛋鸡5000只。", "5000只", count("5000", "只"), id="zhi-hens"),
    pytest.param("台北動物園新添兩隻熊貓幼仔。", "兩隻", count("2", "只"), id="trad-zhi"),
    # Seats: a parliament, Hong Kong's Legislative Council.
    pytest.param("该党在此次议会选举中赢得30席。", "30席", count("30", "席"), id="xi-seats"),
    pytest.param("立法會90席中，建制派佔89席。", "89席", count("89", "席"), id="trad-xi-seats"),
    pytest.param("运动员绕田径场跑了10圈。", "10圈", count("10", "圈"), id="quan-laps"),
    pytest.param("天宫空间站已绕地球飞行3万圈。", "3万圈", count("30000", "圈"), id="quan-wan"),
    # 股: shares counted.
    pytest.param("截至报告期末，他持有公司股票100股。", "100股", count("100", "股"), id="gu-hold"),
    pytest.param("公司拟回购股份不超过1000万股。", "1000万股", count("10000000", "股"), id="gu-wan"),
    pytest.param("該公司配售新股2億股，集資約30億港元。", "2億股", count("200000000", "股"), id="trad-gu"),
    # 所 before 学校, 学院, 大学.
    pytest.param("全市共有九百七十九所学校参加考试。", "九百七十九所", count("979", "所"), id="suo-schools"),
    pytest.param("新建3所学院和两所大学。", "3所", count("3", "所"), id="suo-colleges"),
    pytest.param("全港有五百所學校參與計劃。", "五百所", count("500", "所"), id="trad-suo-schools"),
]


@pytest.mark.parametrize(("sentence", "text", "exp"), MEASURE_WORDS)
def test_a_measure_word_counts(sentence: str, text: str, exp: Exp) -> None:
    _check(sentence, text, exp)


# (sentence, anchor, the fields no figure over the anchor may have all of; None: no figure at all)
NOT_MEASURE_WORDS = [
    # 口 after a number is no well in these words; 人口, 出口, 进口, 港口 never follow a number.
    pytest.param("统一口径后，两口子一口气说完了。", "两口", None, id="liangkouzi"),
    pytest.param("全市常住人口1200万人，同比增长1%。", "人口", None, id="renkou"),
    pytest.param("出口、进口和港口吞吐量均有增长。", "出口", None, id="chukou"),
    pytest.param("该市共设9口岸。", "9口", {"classifier": "口"}, id="kouan"),
    pytest.param("100万人口的城市。", "100万人口", {"classifier": "口"}, id="wan-renkou"),
    # 股 starts 股份, 股票, 股东, 股权; 一股劲 is a drive, 两股势力 two forces.
    pytest.param("他凭着一股劲把股份公司做大。", "一股劲", None, id="yigujin"),
    pytest.param("两股势力交汇，三股东入股。", "两股势力", None, id="gu-forces"),
    pytest.param("每10股派发现金红利3元。", "10股", None, id="gu-per-ten"),
    # 所学 is what one learned; 只 is the adverb "only".
    pytest.param("他把十年所学都用上了。", "所学", None, id="suo-xue"),
    pytest.param("这三只能算是特例。", "三只", None, id="zhi-only"),
    # 间隔, 列车, 尾数, 席卷, 圈子.
    pytest.param("两车间隔3间隔一站。", "3间隔", None, id="jiange"),
    pytest.param("号码三尾数为八。", "三尾", None, id="weishu"),
    pytest.param("一场风暴三席卷而来。", "三席", None, id="xijuan"),
]


@pytest.mark.parametrize(("sentence", "anchor", "forbidden"), NOT_MEASURE_WORDS)
def test_what_only_looks_like_a_measure_word(
    sentence: str, anchor: str, forbidden: dict[str, str] | None
) -> None:
    assert_not_a_figure(sentence, anchor, forbidden)


# === 8. points scored =================================================================================

POINTS = [
    pytest.param("詹姆斯全场砍下30分、8个篮板和6次助攻。", "30分", count("30", "分"), id="kanxia"),
    pytest.param("东契奇上半场就拿下24分。", "24分", count("24", "分"), id="naxia"),
    pytest.param("他在比赛中得了20分。", "20分", count("20", "分"), id="de-le"),
    pytest.param("全队得20分，对手仅得15分。", "15分", count("15", "分"), id="de-bare"),
    pytest.param("他上一场也得到12分。", "12分", count("12", "分"), id="dedao"),
    pytest.param("客队赢得3分，升至第二。", "3分", count("3", "分"), id="yingde"),
    pytest.param("本赛季他场均贡献18.5分。", "18.5分", count("18.5", "分"), id="gongxian-decimal"),
    pytest.param("該球員上半場獨得22分。", "22分", count("22", "分"), id="trad-dude"),
    pytest.param("湖人隊中鋒轟下三十分。", "三十分", count("30", "分"), id="trad-hongxia-cjk"),
]


@pytest.mark.parametrize(("sentence", "text", "exp"), POINTS)
def test_points_scored_are_a_count(sentence: str, text: str, exp: Exp) -> None:
    _check(sentence, text, exp)


NOT_POINTS = [
    # Minutes, cents, a fraction: no scoring verb, and the word is longer.
    pytest.param("比赛进行到第30分钟时，主队领先。", "30分钟", {"kind": "count"}, id="minutes"),
    pytest.param("他花了5分钱买了一张报纸。", "5分", None, id="cents"),
    pytest.param("这使得5分钟的节目更紧凑。", "5分钟", {"kind": "count"}, id="shide-minutes"),
    pytest.param("得分率约占三分之一。", "三分之一", {"kind": "count"}, id="fraction"),
    # Ratings no scoring verb governs.
    pytest.param("这次考试满分100分。", "100分", None, id="manfen"),
    pytest.param("评委打分80分，观众打出9分。", "80分", None, id="dafen"),
    pytest.param("他觉得5分不够。", "5分", None, id="juede"),
]


@pytest.mark.parametrize(("sentence", "anchor", "forbidden"), NOT_POINTS)
def test_fen_is_no_point_without_a_scoring_verb(
    sentence: str, anchor: str, forbidden: dict[str, str] | None
) -> None:
    assert_not_a_figure(sentence, anchor, forbidden)


# === 8. units =========================================================================================

UNITS = [
    # Latin symbols of time after digits, with or without a space.
    pytest.param("冷启动耗时5 s，热启动仅需0.8s。", "5 s", measure("5", "s"), id="s-spaced"),
    pytest.param("冷启动耗时5 s，热启动仅需0.8s。", "0.8s", measure("0.8", "s"), id="s"),
    pytest.param("新版本把端到端时延降至446.1ms。", "446.1ms", measure("0.4461", "s"), id="ms"),
    pytest.param("伺服器回應時間縮短至 12 ms。", "12 ms", measure("0.012", "s"), id="trad-ms-spaced"),
    pytest.param("快充模式下充满电仅需30min。", "30min", measure("1800", "s"), id="min"),
    pytest.param("笔记本电脑续航长达10h。", "10h", measure("36000", "s"), id="h"),
    pytest.param("客服热线提供7×24h服务。", "24h", measure("86400", "s"), id="h-7x24"),
    # ASCII and superscript exponents.
    pytest.param("样板间建筑面积825m2，售价另议。", "825m2", measure("825", "m2"), id="m2"),
    pytest.param("该水库流域面积120km2。", "120km2", measure("120000000", "m2"), id="km2"),
    pytest.param("改造後單位面積達1,200 m²。", "1,200 m²", measure("1200", "m2"), id="trad-m-sup2"),
    pytest.param("日处理污水5 m³，蓄水池容积3m3。", "5 m³", measure("5", "m3"), id="m-sup3"),
    pytest.param("日处理污水5 m³，蓄水池容积3m3。", "3m3", measure("3", "m3"), id="m3"),
    # 度 is a kilowatt-hour where the clause speaks of electricity.
    pytest.param("该户居民11月用电量128.6度。", "128.6度", measure("128600", "Wh"), id="du-yongdian"),
    pytest.param("該電站全年發電1.8億度。", "1.8億度", measure("180000000000", "Wh"), id="trad-du-yi"),
    pytest.param("屋顶光伏板晴天每日发电约20度。", "20度", measure("20000", "Wh"), id="du-fadian"),
    pytest.param("一辆电动车充电一次耗电15度。", "15度", measure("15000", "Wh"), id="du-haodian"),
    pytest.param("全村日均用电10度左右。", "10度左右", measure("10000", "Wh"), id="du-qualified"),
    pytest.param("節約用電500度。", "500度", measure("500000", "Wh"), id="trad-du-jieyue"),
    # The 千 of 千瓦 stays with its unit after 万/亿.
    pytest.param("全国发电装机容量达六十一亿千瓦。", "六十一亿千瓦", measure("6.1e12", "W"), id="yi-qianwa"),
    pytest.param("建设百万千瓦级核电机组。", "百万千瓦", measure("1e9", "W"), id="baiwan-qianwa"),
    pytest.param("全年发电六十万千瓦时。", "六十万千瓦时", measure("6e8", "Wh"), id="wan-qianwashi"),
    pytest.param("新增装机容量30万千瓦。", "30万千瓦", measure("3e8", "W"), id="arabic-wan-qianwa"),
    pytest.param("風電場年發電量達2.5億千瓦時。", "2.5億千瓦時", measure("2.5e11", "Wh"), id="trad-yi-kwh"),
    pytest.param("储能电站年放电量2万兆瓦时。", "2万兆瓦时", measure("2e10", "Wh"), id="mwh"),
    pytest.param("全社会用电量9.2万亿千瓦时。", "9.2万亿千瓦时", measure("9.2e15", "Wh"), id="wanyi-kwh"),
    pytest.param("高铁累计运营里程三万千米。", "三万千米", measure("3e7", "m"), id="wan-qianmi"),
    pytest.param("今年收购粮食五万千克。", "五万千克", measure("50000", "kg"), id="wan-qianke"),
    # Fahrenheit, exactly: K = (F − 32) × 5/9 + 273.15.
    pytest.param("病人体温为华氏温度98.6度。", "华氏温度98.6度", measure("310.15", "K"), id="f-wendu"),
    pytest.param("紐約昨日氣溫高達華氏100度。", "華氏100度", measure(fahrenheit("100"), "K"), id="trad-f"),
    pytest.param("当地最低气温为32°F。", "32°F", measure("273.15", "K"), id="f-symbol"),
    pytest.param("实验室温度维持在68华氏度。", "68华氏度", measure("293.15", "K"), id="f-after"),
    # Bits: eight to a byte.
    pytest.param("每个数据包传输三千比特。", "三千比特", measure("375", "B"), id="bits-cjk"),
    pytest.param("该算法的密钥长度为256比特。", "256比特", measure("32", "B"), id="bits"),
    pytest.param("單次上傳限額64千比特。", "64千比特", measure("8000", "B"), id="kilobits"),
    pytest.param("文件大小为3兆比特。", "3兆比特", measure("375000", "B"), id="megabits"),
]


@pytest.mark.parametrize(("sentence", "text", "exp"), UNITS)
def test_a_unit_is_read_with_its_factor(sentence: str, text: str, exp: Exp) -> None:
    _check(sentence, text, exp)


NOT_UNITS = [
    # 度 of heat or of an angle, even near an electricity word, is no kilowatt-hour (heat is a
    # temperature: see TEMPERATURES).
    pytest.param("今天最高气温30度。", "30度", {"unit": "Wh"}, id="du-temperature"),
    pytest.param("光伏板倾斜角度为45度。", "45度", None, id="du-angle"),
    pytest.param("充电时电池温度不宜超过45度。", "45度", {"unit": "Wh"}, id="du-charging-temperature"),
    pytest.param("发电机转子偏转了15度。", "15度", None, id="du-generator"),
    # Model names and shops.
    pytest.param("他仍在使用iPhone 5s手机。", "5s", None, id="iphone-5s"),
    pytest.param("全市共有4s店120家。", "4s", None, id="4s-shop"),
    pytest.param("这种设计风格流行于1990s。", "1990s", None, id="decade"),
    # Bitcoin is a currency, not bits.
    pytest.param("比特币价格跌破3万比特币关口。", "3万比特", {"unit": "B"}, id="bitcoin"),
    # 华氏 as a name.
    pytest.param("华氏3兄弟经营老店。", "华氏3", None, id="hua-surname"),
    # 万千 with no unit after it: no kilowatts.
    pytest.param("气象万千，千万不要错过。", "万千", None, id="wanqian"),
]


@pytest.mark.parametrize(("sentence", "anchor", "forbidden"), NOT_UNITS)
def test_what_only_looks_like_a_unit(sentence: str, anchor: str, forbidden: dict[str, str] | None) -> None:
    assert_not_a_figure(sentence, anchor, forbidden)


# === 8. a unit whose guard word starts another word ===================================================

WORD_STARTS = [
    # 天才, 天下, 天然, 天使 are words, but so are 才能, 下来, 然后, 使用.
    pytest.param("春运火车票要提前7天才能抢到。", "7天", measure(str(7 * DAY), "s"), id="tian-caineng"),
    pytest.param("連續3天下來，只買到兩張票。", "3天", measure(str(3 * DAY), "s"), id="trad-tian-xialai"),
    pytest.param("展会为期5天然后闭馆。", "5天", measure(str(5 * DAY), "s"), id="tian-ranhou"),
    pytest.param("试用期内连续3天使用即可激活。", "3天", measure(str(3 * DAY), "s"), id="tian-shiyong"),
    pytest.param("活动持续7天线上线下同步进行。", "7天", measure(str(7 * DAY), "s"), id="tian-xianshang"),
    # 年中, 年初 are words, but 中国, 初步 start here.
    pytest.param("过去5年中国经济总量持续增长。", "5年", measure(str(5 * YEAR), "s"), id="nian-zhongguo"),
    pytest.param("用3年初步建成示范区。", "3年", measure(str(3 * YEAR), "s"), id="nian-chubu"),
    # 人工, 人家, 人事; 家电; 次会, 次要; 本书.
    pytest.param("该项目由5人工作组负责。", "5人", count("5", "人"), id="ren-gongzuo"),
    pytest.param("全村3人家庭占一半。", "3人", count("3", "人"), id="ren-jiating"),
    pytest.param("今年新增5家电商企业。", "5家", count("5", "家"), id="jia-dianshang"),
    pytest.param("兩家電視台聯合製作。", "兩家", count("2", "家"), id="trad-jia-dianshi"),
    pytest.param("常委会全年召开3次会议。", "3次", count("3", "次"), id="ci-huiyi"),
    pytest.param("他先后提出3次要求。", "3次", count("3", "次"), id="ci-yaoqiu"),
    pytest.param("图书馆今年新购2本书。", "2本", count("2", "本"), id="ben-shu"),
]


@pytest.mark.parametrize(("sentence", "text", "exp"), WORD_STARTS)
def test_a_unit_stands_where_its_guard_word_starts_another(sentence: str, text: str, exp: Exp) -> None:
    _check(sentence, text, exp)


NOT_WORD_STARTS = [
    # The guard words themselves still guard.
    pytest.param("统一天然气价格，一统天下。", "一天", None, id="tianranqi"),
    pytest.param("他是唯一天才。", "一天", None, id="tiancai"),
    pytest.param("上世纪90年代，当地人口外流。", "90年", None, id="niandai"),
    pytest.param("国美等十大家电品牌参展。", "十大", {"classifier": "家"}, id="jiadian"),
]


@pytest.mark.parametrize(("sentence", "anchor", "forbidden"), NOT_WORD_STARTS)
def test_a_guard_word_still_guards(sentence: str, anchor: str, forbidden: dict[str, str] | None) -> None:
    assert_not_a_figure(sentence, anchor, forbidden)


# === 10. what is not a figure =========================================================================

NOT_FIGURES = [
    # 沪深两市 of a market report are the two stock markets, not a count of cities.
    pytest.param("沪深两市成交额1.2万亿元。", "两市", None, id="liangshi-markets"),
    pytest.param("两市超4000只个股上涨。", "两市", None, id="liangshi-stocks"),
    # Place names with a numeral and a measure word.
    pytest.param("七台河市位于黑龙江省东部。", "七台", None, id="qitaihe"),
    pytest.param("三门峡市经济增长5.2%。", "三门", None, id="sanmenxia"),
    pytest.param("三元里人民抗英斗争。", "三元", None, id="sanyuanli"),
    pytest.param("五道口一带人流密集。", "五道", None, id="wudaokou"),
    pytest.param("五大連池風景區遊客增加。", "五大", None, id="trad-wudalianchi"),
    pytest.param("新北市五股區工業區更新。", "五股", None, id="trad-wugu"),
    pytest.param("山西五台山景区客流回升。", "五台", None, id="wutaishan"),
    # Idioms and set phrases.
    pytest.param("他三番五次上门催收。", "五次", None, id="sanfanwuci"),
    pytest.param("他三天两头往外跑。", "三天", None, id="santianliangtou"),
    pytest.param("學習不能三天打魚兩天曬網。", "兩天", None, id="trad-santiandayu"),
    pytest.param("他一天到晚忙个不停。", "一天", None, id="yitiandaowan"),
    pytest.param("这事一年半载办不完，两人半斤八两。", "八两", None, id="banjinbaliang"),
    pytest.param("这里一年四季游客不断。", "一年", None, id="yinian-siji"),
    # Slogans, sectors, materials, a second home.
    pytest.param("坚持四个革命、一个合作的能源安全新战略。", "四个", None, id="sige-geming"),
    pytest.param("做到两个维护，落实八项规定。", "八项", None, id="baxiang-guiding"),
    pytest.param("贯彻五大发展理念，读懂四大名著。", "五大", None, id="wuda-linian"),
    pytest.param("三次产业结构比例为7:38:55。", "三次", None, id="sanci-chanye"),
    pytest.param("二套房首付比例下调至25%。", "二套", None, id="ertaofang"),
    pytest.param("推动企业二次创业。", "二次", None, id="erci"),
    pytest.param("三元正极材料出货量增长。", "三元", None, id="sanyuan-material"),
    pytest.param("破除城乡二元结构。", "二元", None, id="eryuan-structure"),
    # A grade, midnight, a graduating class.
    pytest.param("该景区获评国家5A级旅游景区。", "5A", None, id="5a-grade"),
    pytest.param("全省新增4A景区8家。", "4A", None, id="4a-scenic"),
    pytest.param("新规自今晚零点起施行。", "零点", None, id="midnight"),
    pytest.param("新規將於零點生效。", "零點", None, id="trad-midnight"),
    pytest.param("2024届高校毕业生预计达1179万人。", "2024届", None, id="class-of-2024"),
    pytest.param("2025屆畢業生就業率上升。", "2025屆", None, id="trad-class-of-2025"),
    pytest.param("24届毕业生求职季开启。", "24届", None, id="class-of-24"),
    # Republic-of-China years.
    pytest.param("民國112年營收成長5%。", "112年", None, id="roc-year"),
    pytest.param("中華民國一一二年施政計畫。", "一一二年", None, id="roc-year-cjk"),
    pytest.param("民國一百零五年起施行。", "一百零五年", None, id="roc-year-cjk-places"),
    pytest.param("本法自112年3月1日起施行。", "112年", None, id="roc-year-month"),
    pytest.param("112年度預算編列完成。", "112年", None, id="roc-fiscal-year"),
    pytest.param("民國112至113年推動計畫。", "113年", None, id="roc-year-range"),
    pytest.param("113年第1季營收創新高。", "113年", None, id="roc-year-quarter"),
    # A year or a list number opening a line.
    pytest.param("1985 台電核三廠商轉\n1996 台電成立新部門", "1985 台", None, id="year-heading"),
    pytest.param("2　本公司本年度營業收入增長。", "2", None, id="list-ideographic-space"),
    pytest.param("前言\n3. 营收达5亿元。", "3.", None, id="list-dot"),
    pytest.param("　　4、本期共有子公司3家。", "4、", None, id="list-dun"),
    # The items of an ordinal list.
    pytest.param("依照第3，5，7条的规定办理。", "7条", None, id="ordinal-list"),
    pytest.param("見第2、4章及第3至5款。", "4章", None, id="trad-ordinal-list"),
    pytest.param("依照第3至5款办理。", "5款", None, id="ordinal-range"),
    # Names in short quotations.
    pytest.param("“十四五”规划顺利收官。", "十四五", None, id="quote-shisiwu"),
    pytest.param("比如“外资24条”一共有59项举措。", "24条", None, id="quote-policy"),
    pytest.param("数字贸易作为“三大支柱”之一。", "三大", None, id="quote-slogan"),
    pytest.param("全力打造「三個中心」。", "三個", None, id="trad-quote-slogan"),
]


@pytest.mark.parametrize(("sentence", "anchor", "forbidden"), NOT_FIGURES)
def test_what_is_not_a_figure(sentence: str, anchor: str, forbidden: dict[str, str] | None) -> None:
    assert_not_a_figure(sentence, anchor, forbidden)


STILL_FIGURES = [
    # The same measure words counting what they count.
    pytest.param("该市新增5台设备，投资3元。", "5台", count("5", "台"), id="tai-devices"),
    pytest.param("全年接待三个代表团。", "三个", count("3", "个"), id="sange-daibiaotuan"),
    pytest.param("购房者名下已有两套房。", "两套", count("2", "套"), id="liangtao"),
    pytest.param("全年召开十二次会议。", "十二次", count("12", "次"), id="shierci"),
    pytest.param("充电电流为5A。", "5A", measure("5", "A"), id="amperes"),
    pytest.param(
        "利率下调零点五个百分点。", "零点五个百分点", Exp("percentage_point", "0.5", "pp"), id="point-five"
    ),
    pytest.param("该展会已连续举办24届。", "24届", count("24", "届"), id="sessions"),
    pytest.param("這家老店已有112年歷史。", "112年", measure(str(112 * YEAR), "s"), id="trad-112-years"),
    pytest.param("全市共有 1985 台电梯。", "1985 台", count("1985", "台"), id="mid-line-count"),
    pytest.param("12家企业获奖，5本书出版。", "12家", count("12", "家"), id="line-start-count"),
    pytest.param("排名全国第3，5家企业入选。", "5家", count("5", "家"), id="after-ordinal-count"),
    # Figures quoted for emphasis.
    pytest.param("意向成交额达“620亿元”。", "620亿元", Exp("money", "62000000000", "CNY"), id="quote-money"),
    pytest.param("新增「4.2万平方米」展區。", "4.2万平方米", measure("42000", "m2"), id="quote-area"),
    pytest.param("全年引进“35家企业”。", "35家", count("35", "家"), id="quote-count"),
    pytest.param("签约项目“超3000家”。", "3000家", count("3000", "家"), id="quote-qualified"),
    pytest.param("市場佔有率提升至“15%”。", "15%", Exp("percent", "15", "%"), id="trad-quote-percent"),
]


@pytest.mark.parametrize(("sentence", "text", "exp"), STILL_FIGURES)
def test_a_figure_stays_a_figure(sentence: str, text: str, exp: Exp) -> None:
    _check(sentence, text, exp)


# === 度 of temperature =================================================================================

CELSIUS = Fraction("273.15")

TEMPERATURES = [
    pytest.param("明天最高气温30度。", "30度", measure(30 + CELSIUS, "K"), id="qiwen"),
    pytest.param("最低气温零下5度左右。", "零下5度左右", measure(-5 + CELSIUS, "K"), id="lingxia-qiwen"),
    pytest.param("北京今天零下3度。", "零下3度", measure(-3 + CELSIUS, "K"), id="lingxia-alone"),
    pytest.param("病人体温38.5度。", "38.5度", measure(Fraction("38.5") + CELSIUS, "K"), id="tiwen"),
    pytest.param("攝氏30度的高溫下。", "30度", measure(30 + CELSIUS, "K"), id="trad-sheshi"),
    pytest.param(
        "室内温度保持在18至22度。",
        "18至22度",
        measure(18 + CELSIUS, "K", value_high=22 + CELSIUS),
        id="range",
    ),
]


@pytest.mark.parametrize(("sentence", "text", "exp"), TEMPERATURES)
def test_du_is_a_degree_celsius_where_the_clause_speaks_of_temperature(
    sentence: str, text: str, exp: Exp
) -> None:
    _check(sentence, text, exp)


NOT_TEMPERATURES = [
    pytest.param("斜坡角度45度。", "45度", None, id="angle"),
    pytest.param("该市位于北纬30度。", "30度", None, id="latitude"),
    pytest.param("温度计的刻度，知名度三度提升。", "三度", None, id="times"),
    pytest.param("充电后用电量128.6度。", "128.6度", {"unit": "K"}, id="electricity"),
    pytest.param("把空调调到26度。", "26度", {"unit": "K"}, id="no-cue"),
]


@pytest.mark.parametrize(("sentence", "anchor", "forbidden"), NOT_TEMPERATURES)
def test_du_without_a_temperature_cue_is_no_temperature(
    sentence: str, anchor: str, forbidden: dict[str, str] | None
) -> None:
    assert_not_a_figure(sentence, anchor, forbidden)

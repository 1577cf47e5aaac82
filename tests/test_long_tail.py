"""The long tail of figures: rates, compound quantities, rarer units and currencies, traditional script,
signs and directions, thresholds — each with counter-examples.

Every expectation is written from the output contract (/work/shared/figures.md) and the unit factors in
rules/1?-*.yaml, never from what factx returns. A case names a sentence and an *anchor*: the part of
the sentence the figure must cover. Exactly one figure must overlap the anchor, cover it, and carry the
expected fields, `per` included (None for a figure that is not a rate).
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from figure_helpers import ANY, Exp, Expect, assert_not_a_figure, assert_same_records, check_figure

import factx

# Every case pins approx, change and per (None unless it says otherwise); value_high is left open.
_EXPECT = Expect(approx=None, change=None, per=None)
money, count, pct, pp, measure = _EXPECT.money, _EXPECT.count, _EXPECT.pct, _EXPECT.pp, _EXPECT.measure


MU = Fraction(10000, 15)  # m2 per 亩
PING = Fraction(400, 121)  # m2 per 坪
DAY = 86400
YEAR = 365 * DAY
MONTH = 30 * DAY
KMH = Fraction(1000, 3600)  # m/s per km/h
LIGHT_YEAR = 9460730472580800  # m


def _check(sentence: str, anchor: str, exp: Exp) -> factx.Figure:
    return check_figure(sentence, anchor, exp, whole=False)


# A case: (sentence, anchor, expected figure over the anchor).
FIGURES = [
    # === 1. rates: the numerator's kind, value and unit, the denominator in `per` ===
    pytest.param(
        "新建商品住宅成交均价1.85万元/平方米。",
        "1.85万元/平方米",
        money("18500", per="m2"),
        id="rate-wan-yuan-m2",
    ),
    pytest.param(
        "该企业人均培训投入3.2万元/人。",
        "3.2万元/人",
        money("32000", per="person"),
        id="rate-wan-yuan-person",
    ),
    pytest.param(
        "布伦特原油期货均价为80美元/桶。", "80美元/桶", money("80", "USD", per="barrel"), id="rate-usd-barrel"
    ),
    pytest.param("玉米收购价为2000元/吨。", "2000元/吨", money("2000", per="t"), id="rate-yuan-ton"),
    pytest.param(
        "全县水稻平均单产450公斤/亩。", "450公斤/亩", measure("450", "kg", per="mu"), id="rate-kg-mu"
    ),
    pytest.param(
        "今年小麦亩产380公斤，再创新高。", "380公斤", measure("380", "kg", per="mu"), id="rate-muchan"
    ),
    pytest.param("大气污染物按每吨80元征收环保税。", "80元", money("80", per="t"), id="rate-mei-dun"),
    pytest.param(
        "公司2023年基本每股收益0.56元。", "0.56元", money("0.56", per="share"), id="rate-eps-per-share"
    ),
    pytest.param(
        "全国火电厂平均供电标准煤耗300克/千瓦时。",
        "300克/千瓦时",
        measure("0.3", "kg", per="kWh"),
        id="rate-gram-kwh",
    ),
    pytest.param(
        "全市PM2.5平均浓度为35微克/立方米。",
        "35微克/立方米",
        measure("3.5e-8", "kg", per="m3"),
        id="rate-microgram-m3",
    ),
    # a plain amount is not a rate
    pytest.param("人均可支配收入3.2万元。", "3.2万元", money("32000"), id="rate-none-plain-money"),
    # speed and data rate: units of their own (m/s, B/s), not rates of another figure
    pytest.param(
        "京沪高铁最高运营速度为350公里/小时。",
        "350公里/小时",
        measure(350 * KMH, "m/s"),
        id="speed-km-per-hour",
    ),
    pytest.param("复兴号列车时速350公里。", "350公里", measure(350 * KMH, "m/s"), id="speed-shisu"),
    pytest.param("骨干网接入带宽达到10Gbps。", "10Gbps", measure("1.25e9", "B/s"), id="datarate-gbps"),
    pytest.param("固态硬盘顺序读取速度为500MB/s。", "500MB/s", measure("5e8", "B/s"), id="datarate-mb-per-s"),
    # ‰ and 基点
    pytest.param("全年人口出生率为7.1‰。", "7.1‰", pct("0.71"), id="permille"),
    pytest.param("存贷款利差收窄50个基点。", "50个基点", pp("0.5", change="decrease"), id="basis-points-ge"),
    pytest.param("美國聯儲局宣布加息25點子。", "25點子", pp("0.25", change=ANY), id="hk-dianzi"),
    # === 2. compound quantities: one figure ===
    pytest.param("该球员身高1米96，司职中锋。", "1米96", measure("1.96", "m"), id="compound-mi"),
    pytest.param(
        "他以2小时06分38秒的成绩夺得男子组冠军。", "2小时06分38秒", measure("7598", "s"), id="compound-hms"
    ),
    pytest.param("苏炳添以9秒98的成绩闯入决赛。", "9秒98", measure("9.98", "s"), id="compound-miao"),
    pytest.param("全县常住人口3万4000人。", "3万4000人", count("34000", "人"), id="compound-wan-digits"),
    pytest.param("这头公牛体重一吨半。", "一吨半", measure("1500", "kg"), id="compound-dun-ban"),
    pytest.param(
        "从市区到机场全程仅需两个半小时。", "两个半小时", measure("9000", "s"), id="compound-liangge-ban"
    ),
    pytest.param("项目建设周期一年半。", "一年半", measure(str(YEAR * 3 // 2), "s"), id="compound-nian-ban"),
    # === 3. units, each by its pack factor ===
    # area → m2
    pytest.param("全县建成高标准农田5.5万亩。", "5.5万亩", measure(55000 * MU, "m2"), id="area-mu"),
    pytest.param("全年完成造林1.2万公顷。", "1.2万公顷", measure("1.2e8", "m2"), id="area-gongqing"),
    pytest.param(
        "全国粮食播种面积118968千公顷。",
        "118968千公顷",
        measure("1189680000000", "m2"),
        id="area-qian-gongqing",
    ),
    pytest.param("新区规划面积12.7平方公里。", "12.7平方公里", measure("12700000", "m2"), id="area-km2"),
    pytest.param("這間公寓室內面積30坪。", "30坪", measure(30 * PING, "m2"), id="area-ping"),
    pytest.param("該單位實用面積450平方呎。", "450平方呎", measure("41.806368", "m2"), id="area-square-foot"),
    # mass → kg
    pytest.param("合作社今年共收购鲜茶叶3000斤。", "3000斤", measure("1500", "kg"), id="mass-jin"),
    pytest.param("店家给他称了三两茶叶。", "三两", measure("0.15", "kg"), id="mass-liang"),
    pytest.param("每袋大米重100公斤。", "100公斤", measure("100", "kg"), id="mass-gongjin"),
    pytest.param("港口当日装卸货物9100吨。", "9100吨", measure("9100000", "kg"), id="mass-dun"),
    pytest.param("全年粮食总产量69541万吨。", "69541万吨", measure("695410000000", "kg"), id="mass-wan-dun"),
    pytest.param(
        "全年能源消费总量57.2亿吨标准煤。",
        "57.2亿吨标准煤",
        measure("5720000000000", "kg"),
        id="mass-standard-coal",
    ),
    # power → W
    pytest.param("屋顶光伏装机容量500千瓦。", "500千瓦", measure("500000", "W"), id="power-kw"),
    pytest.param("新增风电装机2.9万千瓦。", "2.9万千瓦", measure("29000000", "W"), id="power-wan-kw"),
    pytest.param("该光伏电站装机容量200兆瓦。", "200兆瓦", measure("2e8", "W"), id="power-zhaowa-is-mega"),
    pytest.param(
        "全省新能源装机突破12吉瓦。", "12吉瓦", measure("1.2e10", "W", approx="over"), id="power-gw"
    ),
    # energy → Wh
    pytest.param("居民户均年用电量3500千瓦时。", "3500千瓦时", measure("3500000", "Wh"), id="energy-kwh"),
    pytest.param(
        "全社会用电量98521亿千瓦时。", "98521亿千瓦时", measure("9852100000000000", "Wh"), id="energy-yi-kwh"
    ),
    pytest.param("该项目累计节约200万度电。", "200万度电", measure("2e9", "Wh"), id="energy-du-dian"),
    # volume
    pytest.param("污水处理厂日处理能力10万立方米。", "10万立方米", measure("100000", "m3"), id="volume-m3"),
    pytest.param("这款车油箱容量50升。", "50升", measure("50", "L"), id="volume-liter"),
    # pressure → Pa, frequency → Hz
    pytest.param("储氢瓶工作压力35兆帕。", "35兆帕", measure("35000000", "Pa"), id="pressure-mpa"),
    pytest.param("新型钢材抗拉强度2.5吉帕。", "2.5吉帕", measure("2.5e9", "Pa"), id="pressure-gpa"),
    pytest.param("我国电网额定频率为50赫兹。", "50赫兹", measure("50", "Hz"), id="freq-hz"),
    pytest.param("运营商获得3500兆赫频段资源。", "3500兆赫", measure("3.5e9", "Hz"), id="freq-mhz"),
    pytest.param("处理器主频3.2GHz。", "3.2GHz", measure("3.2e9", "Hz"), id="freq-ghz"),
    pytest.param("实验设备工作频率0.3太赫兹。", "0.3太赫兹", measure("3e11", "Hz"), id="freq-thz"),
    # length → m
    pytest.param("公司已量产3纳米芯片。", "3纳米", measure("3e-9", "m"), id="length-nm"),
    pytest.param("滤膜孔径为5微米。", "5微米", measure("5e-6", "m"), id="length-um"),
    pytest.param("全市平均降水量为620毫米。", "620毫米", measure("0.62", "m"), id="length-mm"),
    pytest.param("新建高速公路1200公里。", "1200公里", measure("1200000", "m"), id="length-km"),
    pytest.param(
        "比邻星距离地球4.2光年。",
        "4.2光年",
        measure(str(Decimal("4.2") * LIGHT_YEAR), "m"),
        id="length-light-year",
    ),
    # time → s
    pytest.param("端到端时延为10毫秒。", "10毫秒", measure("0.01", "s"), id="time-ms"),
    pytest.param("飞船在轨飞行76秒后分离。", "76秒", measure("76", "s"), id="time-s"),
    pytest.param("会议时长为45分钟。", "45分钟", measure("2700", "s"), id="time-min"),
    pytest.param("平均审批时间压缩至1.64小时。", "1.64小时", measure("5904", "s"), id="time-hour"),
    pytest.param("航天员在轨驻留180天。", "180天", measure(str(180 * DAY), "s"), id="time-day"),
    pytest.param("本次集中整治为期2周。", "2周", measure(str(2 * 604800), "s"), id="time-week"),
    # 缩短 says which way the duration went: a fall of five months.
    pytest.param(
        "工程工期缩短了五个月。", "五个月", measure(str(5 * MONTH), "s", change="decrease"), id="time-month"
    ),
    pytest.param("项目建设期为5年。", "5年", measure(str(5 * YEAR), "s"), id="time-year"),
    # temperature → K
    pytest.param("当日最高气温35℃。", "35℃", measure("308.15", "K"), id="temp-celsius-sign"),
    pytest.param("全年平均气温为15.5摄氏度。", "15.5摄氏度", measure("288.65", "K"), id="temp-sheshidu"),
    pytest.param("北京今晨最低气温零下5℃。", "5℃", measure("268.15", "K"), id="temp-lingxia"),
    pytest.param("超导材料在4.2K的温度下工作。", "4.2K", measure("4.2", "K"), id="temp-kelvin"),
    pytest.param(
        "稀释制冷机可将样品冷却到10毫开尔文。", "10毫开尔文", measure("0.01", "K"), id="temp-millikelvin"
    ),
    # data → B (decimal prefixes)
    pytest.param("每个数据包大小为512B。", "512B", measure("512", "B"), id="data-b"),
    pytest.param("单页缓存上限为64KB。", "64KB", measure("64000", "B"), id="data-kb"),
    pytest.param("安装包大小约100MB。", "100MB", measure("1e8", "B", approx="about"), id="data-mb"),
    pytest.param("手机运行内存为16GB。", "16GB", measure("1.6e10", "B"), id="data-gb"),
    pytest.param("数据中心新增存储72TB。", "72TB", measure("7.2e13", "B"), id="data-tb"),
    pytest.param("平台数据总量为3PB。", "3PB", measure("3e15", "B"), id="data-pb"),
    # 兆 as a numeral (trillion) before a currency
    pytest.param("台灣明年度總預算規模為2兆元。", "2兆元", money("2e12"), id="zhao-numeral-yuan"),
    # === 4. currencies ===
    pytest.param("合同金额为人民币5000万元。", "5000万元", money("5e7"), id="cur-renminbi-before"),
    pytest.param("募集资金20.4亿元人民币。", "20.4亿元人民币", money("2.04e9"), id="cur-yuan-renminbi"),
    pytest.param("一碗牛肉面卖15块钱。", "15块钱", money("15"), id="cur-kuaiqian"),
    pytest.param("意向成交额942亿美元。", "942亿美元", money("9.42e10", "USD"), id="cur-usd"),
    pytest.param("该集团在华投资3亿欧元。", "3亿欧元", money("3e8", "EUR"), id="cur-eur"),
    pytest.param("丰田计划投资5000亿日元。", "5000亿日元", money("5e11", "JPY"), id="cur-jpy"),
    pytest.param("英国政府拨款20亿英镑。", "20亿英镑", money("2e9", "GBP"), id="cur-gbp"),
    pytest.param("公司計劃集資50億港元。", "50億港元", money("5e9", "HKD"), id="cur-hkd-gangyuan"),
    pytest.param("新职位月薪2万港币。", "2万港币", money("20000", "HKD"), id="cur-hkd-gangbi"),
    pytest.param("全職員工月薪3.2萬港幣。", "3.2萬港幣", money("32000", "HKD"), id="cur-hkd-trad"),
    pytest.param("台积电单季营收1200亿新台币。", "1200亿新台币", money("1.2e11", "TWD"), id="cur-twd"),
    pytest.param("該公司全年營收3000億新台幣。", "3000億新台幣", money("3e11", "TWD"), id="cur-twd-trad"),
    pytest.param("澳门本月博彩毛收入183亿澳门元。", "183亿澳门元", money("1.83e10", "MOP"), id="cur-mop"),
    pytest.param("三星电子追加投资5000亿韩元。", "5000亿韩元", money("5e11", "KRW"), id="cur-krw"),
    pytest.param("俄方拨款100亿卢布。", "100亿卢布", money("1e10", "RUB"), id="cur-rub"),
    pytest.param("公司完成US$5亿的融资。", "US$5亿", money("5e8", "USD"), id="cur-us-dollar-sign"),
    pytest.param("演唱會門票售價HK$300。", "HK$300", money("300", "HKD"), id="cur-hk-dollar-sign"),
    pytest.param("博物馆门票€45。", "€45", money("45", "EUR"), id="cur-euro-sign"),
    pytest.param("会员年费£120。", "£120", money("120", "GBP"), id="cur-pound-sign"),
    pytest.param("该款耳机单价￥120。", "￥120", money("120"), id="cur-yuan-sign-fullwidth"),
    # === 5. traditional script, single figures ===
    pytest.param("恒生指數按年下跌2.1%。", "2.1%", pct("2.1", change="decrease"), id="trad-anian-xiadie"),
    pytest.param(
        "公司營收3.5億元，按年上升12.5%。",
        "12.5%",
        pct("12.5", change="increase"),
        id="trad-anian-shangsheng",
    ),
    pytest.param("佔比增長0.3個百分點。", "0.3個百分點", pp("0.3", change="increase"), id="trad-pp-increase"),
    # === 6. signs and directions ===
    pytest.param("工业生产者出厂价格同比-2.1%。", "-2.1%", pct("-2.1", change=ANY), id="sign-minus-ascii"),
    pytest.param("液氮的沸点为−196℃。", "−196℃", measure("77.15", "K"), id="sign-minus-u2212"),
    pytest.param(
        "企业利润同比－３．２％。", "－３．２％", pct("-3.2", change=ANY), id="sign-minus-fullwidth"
    ),
    pytest.param(
        "哈尔滨最低气温零下25摄氏度。", "25摄氏度", measure("248.15", "K"), id="sign-lingxia-sheshidu"
    ),
    pytest.param("全市生产总值同比增长5.2%。", "5.2%", pct("5.2", change="increase"), id="dir-zengzhang"),
    pytest.param(
        "城镇就业人员比上年增加120万人。",
        "120万人",
        count("1200000", "人", change="increase"),
        id="dir-zengjia",
    ),
    pytest.param(
        "研发投入强度提高0.2个百分点。", "0.2个百分点", pp("0.2", change="increase"), id="dir-tigao"
    ),
    pytest.param("城镇调查失业率上升0.3%。", "0.3%", pct("0.3", change="increase"), id="dir-shangsheng"),
    pytest.param("居民消费价格上涨3.4%。", "3.4%", pct("3.4", change="increase"), id="dir-shangzhang"),
    pytest.param("全年货物出口下降9.9%。", "9.9%", pct("9.9", change="decrease"), id="dir-xiajiang"),
    pytest.param("亏损企业减少300家。", "300家", count("300", "家", change="decrease"), id="dir-jianshao"),
    pytest.param("制造业PMI回落0.4个百分点。", "0.4个百分点", pp("0.4", change="decrease"), id="dir-huiluo"),
    pytest.param("A股成交额下跌2.1%。", "2.1%", pct("2.1", change="decrease"), id="dir-xiadie"),
    pytest.param(
        "工业品价格降幅收窄1.2个百分点。", "1.2个百分点", pp("1.2", change="decrease"), id="dir-shouzhai"
    ),
    # a level reached is not a change
    pytest.param("青年失业率降至14.1%。", "14.1%", pct("14.1"), id="level-jiangzhi"),
    pytest.param("首付比例提高到20%。", "20%", pct("20"), id="level-tigaodao"),
    pytest.param("通胀率回落至2.9%。", "2.9%", pct("2.9"), id="level-huiluozhi"),
    # === 7. thresholds and open bounds ===
    pytest.param(
        "规模以上工业企业指年主营业务收入2000万元及以上的企业。",
        "2000万元",
        money("2e7", approx="over"),
        id="bound-jiyishang",
    ),
    pytest.param(
        "90平方米以下的住房契税减按1%征收。",
        "90平方米",
        measure("90", "m2", approx="under"),
        id="bound-yixia",
    ),
    pytest.param("资本充足率不低于3%。", "3%", pct("3", approx="over"), id="bound-budiyu"),
    pytest.param("参展企业不少于100家。", "100家", count("100", "家", approx="over"), id="bound-bushaoyu"),
    pytest.param("单一客户贷款比例不超过5%。", "5%", pct("5", approx="under"), id="bound-buchaoguo"),
    pytest.param(
        "学校周边3公里以内禁止设立网吧。", "3公里", measure("3000", "m", approx="under"), id="bound-yinei"
    ),
]


@pytest.mark.parametrize(("sentence", "anchor", "expected"), FIGURES)
def test_long_tail_figure(sentence: str, anchor: str, expected: Exp) -> None:
    _check(sentence, anchor, expected)


# A traditional sentence and its simplified twin give the same records (offsets aside).
TRAD_PAIRS = [
    pytest.param("公司營收3.5億元，按年上升12.5%。", "公司营收3.5亿元，按年上升12.5%。", id="pair-yingshou"),
    pytest.param("活動吸引兩萬個家庭參與。", "活动吸引两万个家庭参与。", id="pair-liangwan-ge"),
    pytest.param("失業率為十二點五%。", "失业率为十二点五%。", id="pair-shier-dian-wu"),
    pytest.param("佔比增長0.3個百分點。", "占比增长0.3个百分点。", id="pair-pp"),
    pytest.param("恒生指數按年下跌2.1%。", "恒生指数按年下跌2.1%。", id="pair-xiadie"),
    pytest.param("總投資逾500億港元。", "总投资逾500亿港元。", id="pair-yu-hkd"),
    pytest.param("出口額達到1.2萬億美元。", "出口额达到1.2万亿美元。", id="pair-wanyi-usd"),
    pytest.param("用電量減少3.5萬千瓦時。", "用电量减少3.5万千瓦时。", id="pair-kwh"),
]


def _record(f: factx.Figure) -> tuple[object, ...]:
    return (f.kind, f.value, f.unit, f.approx, f.change, f.classifier)


@pytest.mark.parametrize(("traditional", "simplified"), TRAD_PAIRS)
def test_traditional_equals_simplified(traditional: str, simplified: str) -> None:
    assert_same_records(traditional, simplified, _record)


# A counter-example: (sentence, anchor, what must not be there). With `None`, no figure may overlap
# the anchor; with a dict, no figure overlapping the anchor may have those fields (a str "value" is
# compared as Decimal).
NOT_FIGURES = [
    # --- dates, ordinals, identifiers near unit words ---
    pytest.param("2024年全市生产总值增长5%。", "2024年", None, id="year-date-not-duration"),
    pytest.param("2024年，全省粮食总产量达到1.2万吨。", "2024年", None, id="year-date-comma"),
    pytest.param("第二季度营业收入增长8%。", "第二季度", None, id="ordinal-quarter"),
    pytest.param("地铁3号线全线开通。", "3号线", None, id="metro-line"),
    pytest.param("详见https://x.com/a?b=50%25。", "50%", None, id="percent-in-url"),
    # --- 两 as "both", 成 in idioms, 时速 with no number ---
    # 两 meaning "both" (两岸, 两会) is not a count; 两国 (the two countries) is a count of two.
    pytest.param("推动两岸经贸合作，两会期间提出建议。", "两岸", None, id="liangan-both"),
    pytest.param("两岸经贸往来日益密切。", "两岸", None, id="liangan-both-alone"),
    pytest.param("推動兩岸經貿合作，兩會期間提出建議。", "兩岸", None, id="trad-liangan-both"),
    pytest.param("他过三两天就回来。", "三两天", {"unit": "kg"}, id="sanliang-tian-not-weight"),
    pytest.param("政策并非一成不变。", "一成", None, id="yicheng-bubian"),
    pytest.param("司机紧盯时速表。", "时速表", None, id="shisubiao"),
    # --- rates without a number ---
    pytest.param("房价统计单位为元/平方米。", "元/平方米", None, id="rate-unit-without-number"),
    pytest.param("各地要稳步提高亩产水平。", "亩产", None, id="muchan-without-number"),
    pytest.param("利率调整通常以基点计。", "基点", None, id="jidian-without-number"),
    # --- compounds must not glue across a break ---
    pytest.param("身高1米，体重96斤。", "1米", {"value": "1.96"}, id="mi-not-glued-across-comma"),
    # --- unit words in other senses ---
    pytest.param("庆祝建院10周年。", "10周年", {"unit": "s"}, id="zhounian-not-weeks"),
    pytest.param("矿井发生瓦斯爆炸。", "瓦斯", None, id="wasi"),
    pytest.param("美元指数小幅走弱。", "美元指数", None, id="usd-index-no-number"),
    # --- a direction word that states a level ---
    pytest.param("青年失业率降至14.1%。", "14.1%", {"change": "decrease"}, id="jiangzhi-no-change"),
    pytest.param("首付比例提高到20%。", "20%", {"change": "increase"}, id="tigaodao-no-change"),
    pytest.param("通胀率回落至2.9%。", "2.9%", {"change": "decrease"}, id="huiluozhi-no-change"),
    # --- 以下 / 以上 before a number list things, they do not bound it ---
    pytest.param("重点做好以下三个方面工作。", "三个", {"approx": "under"}, id="yixia-before-number"),
    pytest.param("以上5项措施自发布之日起施行。", "5项", {"approx": "over"}, id="yishang-before-number"),
]


@pytest.mark.parametrize(("sentence", "anchor", "forbidden"), NOT_FIGURES)
def test_long_tail_not_a_figure(sentence: str, anchor: str, forbidden: dict[str, str] | None) -> None:
    assert_not_a_figure(sentence, anchor, forbidden)

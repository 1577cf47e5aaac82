"""How numbers are written (issue 11, points 1-3): a lone 十, Arabic digits with places (6千8百), stacked
magnitudes (亿亿, 万万), full-width thousands separators, 负百分之/千分之/万分之; spaces between a
number and its multiplier or unit (693.7 亿元); a multiplier written once for a range or a list
(20至30亿元, 1,586、968和1,012万吨) — each with its counter-examples.

Every expectation is written from the output contract (/work/shared/figures.md) and the unit factors of
rules/1?-*.yaml (1 吨 = 1000 kg, 1 度 = 1 kWh = 1000 Wh), never from what factx returns. A figure case
names a sentence and the figure's text: exactly one figure overlaps that text, and it has that text,
kind, value, value_high and unit, compared as exact decimals. Long runs of each new form are read under
a hang guard, with the figures they hold.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from figure_helpers import (
    Exp,
    Expect,
    LongRun,
    assert_long_run,
    assert_not_a_figure,
    check_figure,
    overlapping,
    read_long_runs,
    show,
    span,
)

import factx

# Every case pins value_high (None but on a range); the classifier, approx, change and per are left open.
_EXPECT = Expect(value_high=None)
pct = _EXPECT.pct


def money(value: str, unit: str = "CNY", high: str | None = None) -> Exp:
    return _EXPECT.money(value, unit, value_high=high)


def count(value: str, high: str | None = None) -> Exp:
    return _EXPECT.of("count", value, "count", value_high=high)


def measure(value: str, unit: str, high: str | None = None) -> Exp:
    return _EXPECT.measure(value, unit, value_high=high)


def _check(sentence: str, text: str, exp: Exp) -> None:
    # The figure is ``text`` itself; values are exact decimals (Decimal("2e9") == Decimal("2000000000")).
    check_figure(sentence, text, exp, whole=True)


# === 1. numerals ======================================================================================

NUMERALS = [
    # A lone 十 is 一十: a numeral before a measure word, a multiplier or a unit.
    pytest.param("今年以来，全市新增上市公司十家，募集资金超百亿元。", "十家", count("10"), id="ten-jia"),
    pytest.param("预计全年新增城镇就业十万人以上。", "十万人以上", count("100000"), id="ten-wan-ren"),
    pytest.param(
        "该公司宣布完成新一轮融资十亿美元。", "十亿美元", money("1000000000", "USD"), id="ten-yi-usd"
    ),
    pytest.param("十年间，该市地区生产总值增长十倍。", "十倍", Exp("multiple", "10", "x"), id="ten-bei"),
    pytest.param(
        "城镇化率十年间提高了十个百分点。", "十个百分点", Exp("percentage_point", "10", "pp"), id="ten-pp"
    ),
    pytest.param("港府計劃於未來五年興建十萬個公營房屋單位。", "十萬個", count("100000"), id="trad-ten-wan"),
    pytest.param("該銀行去年在香港增設十家分行。", "十家", count("10"), id="trad-ten-jia"),
    # Arabic digits with places: every digit-place pair counts, not only the last one.
    pytest.param("该项目建成后可提供就业岗位6千8百个。", "6千8百个", count("6800"), id="6qian8bai"),
    pytest.param("今年一季度，该厂共生产挖掘机1千2百台。", "1千2百台", count("1200"), id="1qian2bai"),
    pytest.param("展会吸引专业观众3万4千人次。", "3万4千人次", count("34000"), id="3wan4qian"),
    pytest.param("一台高端机型售价1万2千5百元。", "1万2千5百元", money("12500"), id="1wan2qian5bai"),
    pytest.param("项目总投资3千5百万元。", "3千5百万元", money("35000000"), id="3qian5bai-wan"),
    pytest.param("这套一居室的房租2千5百元，押一付三。", "2千5百元", money("2500"), id="2qian5bai"),
    pytest.param("该店月销量突破2千5份。", "2千5份", count("2500"), id="2qian5-abbreviated"),
    pytest.param(
        "增速回落0.8百分点。", "0.8百分点", Exp("percentage_point", "0.8", "pp"), id="bai-of-baifendian"
    ),
    # Stacked magnitudes multiply: 亿亿 = 10¹⁶, 万万 = 亿.
    pytest.param(
        "该超级计算机的峰值运算速度达每秒1.25亿亿次。",
        "1.25亿亿次",
        count("12500000000000000"),
        id="yi-yi",
    ),
    pytest.param("改革惠及三万万人的生计。", "三万万人", count("300000000"), id="wan-wan"),
    pytest.param(
        "民国时期全国人口约五万万二千万人。", "五万万二千万人", count("520000000"), id="wan-wan-er-qian-wan"
    ),
    pytest.param("當年全國有四萬萬五千萬人。", "四萬萬五千萬人", count("450000000"), id="trad-wan-wan"),
    # A full-width comma between groups of three digits is a thousands separator.
    pytest.param(
        "本期实现营业收入４，３１６，４７２元。", "４，３１６，４７２元", money("4316472"), id="fw-comma"
    ),
    pytest.param(
        "截至年末，總資產１２，８５６萬元。", "１２，８５６萬元", money("128560000"), id="trad-fw-comma"
    ),
    pytest.param("全年接待游客1，200万人次。", "1，200万人次", count("12000000"), id="fw-comma-ascii-digits"),
    # 负 before 百分之; 千分之 and 万分之 as percents.
    pytest.param(
        "今年前两个月，该省出口增速为负百分之十点八。", "负百分之十点八", pct("-10.8"), id="fu-baifenzhi"
    ),
    pytest.param("本季度跌幅收窄至負百分之三點五。", "負百分之三點五", pct("-3.5"), id="trad-fu-baifenzhi"),
    pytest.param("交易佣金按成交金额千分之２．４收取。", "千分之２．４", pct("0.24"), id="qianfenzhi-fw"),
    pytest.param("今年人口自然增长率为千分之五。", "千分之五", pct("0.5"), id="qianfenzhi"),
    pytest.param("证券交易经手费为万分之五。", "万分之五", pct("0.05"), id="wanfenzhi"),
    pytest.param("逾期罰息為每日萬分之2.5。", "萬分之2.5", pct("0.025"), id="trad-wanfenzhi"),
]


@pytest.mark.parametrize(("sentence", "text", "exp"), NUMERALS)
def test_a_numeral_is_read_whole(sentence: str, text: str, exp: Exp) -> None:
    _check(sentence, text, exp)


# (sentence, anchor, the fields no figure over the anchor may have all of; None: no figure at all)
NOT_NUMERALS = [
    # 十 inside a word: very, full, perfect, a crossroads, a sport; a month; an ordinal.
    pytest.param("保护生态环境十分重要。", "十分", None, id="shifen-very"),
    pytest.param("新能源汽车的发展后劲十足。", "十足", None, id="shizu"),
    pytest.param("世上没有十全十美的方案。", "十全十美", None, id="shiquan-shimei"),
    pytest.param("车辆在十字路口等候信号灯。", "十字", None, id="shizi-lukou"),
    pytest.param("我国选手夺得男子十项全能金牌。", "十项", None, id="decathlon"),
    pytest.param("十月份以来，国内油价多次调整。", "十月", None, id="shiyue-month"),
    pytest.param("他在全国比赛中获得第十名。", "第十名", None, id="ordinal-dishi"),
    # 拾 alone is the verb "pick up", not a financial ten.
    pytest.param("他弯腰拾起地上的钱包，交给了民警。", "拾起", None, id="shiqi-pick-up"),
    # Place words alone stay idioms; 万万 alone is "absolutely".
    pytest.param("百家争鸣，千家万户。", "百家争鸣", None, id="baijia-idiom"),
    pytest.param("万万没想到，他成了亿万富翁。", "万万没想到", None, id="wanwan-adverb"),
    # A full-width comma between figures separates them: no 357 nor 58.
    pytest.param("根据第3，5，7条的规定办理。", "5，7条", {"value": "57"}, id="fw-comma-list"),
    pytest.param("利润增长5%，利润总额8亿元。", "5%，利润总额8", {"value": "58"}, id="fw-comma-clause"),
    pytest.param("分别排在第12，第345位。", "12，第345", {"value": "12345"}, id="fw-comma-not-group"),
    # ± is no minus.
    pytest.param("测量误差在正负百分之五以内。", "正负百分之五", {"value": "-5"}, id="zhengfu-baifenzhi"),
]


@pytest.mark.parametrize(("sentence", "anchor", "forbidden"), NOT_NUMERALS)
def test_what_only_looks_like_a_numeral(sentence: str, anchor: str, forbidden: dict[str, str] | None) -> None:
    assert_not_a_figure(sentence, anchor, forbidden)


# === 2. spaces ========================================================================================

SPACES = [
    pytest.param(
        "公司全年营收达 693.7 亿元，同比增长 12.3%。", "693.7 亿元", money("69370000000"), id="ascii"
    ),
    pytest.param(
        "澳洲分行錄得盈利 1,406 萬澳元。", "1,406 萬澳元", money("14060000", "AUD"), id="trad-wan-aud"
    ),
    pytest.param("全年發電量達 1.8 億度。", "1.8 億度", measure("180000000000", "Wh"), id="trad-yi-du"),
    pytest.param("今年粮食产量 38.9 万吨。", "38.9 万吨", measure("389000000", "kg"), id="wan-dun"),
    pytest.param(
        "营收 12.5\u00a0亿元，创历史新高。", "12.5\u00a0亿元", money("1250000000"), id="no-break-space"
    ),
    pytest.param(
        "计划投资\u30002.3\u3000亿元。", "2.3\u3000亿元", money("230000000"), id="ideographic-space"
    ),
    pytest.param("首期投资 5  亿元。", "5  亿元", money("500000000"), id="two-spaces"),
    pytest.param("营收达 693.7 亿 元。", "693.7 亿 元", money("69370000000"), id="space-before-unit-too"),
    pytest.param(
        "新增装机 1.2 万 kW。", "1.2 万 kW", measure("12000000", "W"), id="latin-unit-after-multiplier"
    ),
    pytest.param("存储容量达 72 TB。", "72 TB", measure("72000000000000", "B"), id="latin-unit"),
    # A Latin unit after a space is read whole (m2, not m) when no letter or digit follows it.
    pytest.param("样板间建筑面积825 m2。", "825 m2", measure("825", "m2"), id="latin-m2"),
    pytest.param("新增城市绿地 3 km2。", "3 km2", measure("3000000", "m2"), id="latin-km2"),
    pytest.param("接口平均响应时间为 446.1 ms。", "446.1 ms", measure("0.4461", "s"), id="latin-ms"),
    # A reading time is a duration: 3 min read is 3 minutes.
    pytest.param("本文约 3 min read。", "3 min", measure("180", "s"), id="latin-min-read"),
    pytest.param("上月出口 2.35 萬億元，按年上升。", "2.35 萬億元", money("2350000000000"), id="trad-wan-yi"),
    pytest.param(
        "预计投资 20 至 30 亿元。", "20 至 30 亿元", money("2000000000", high="3000000000"), id="range"
    ),
    # A multiplier with no unit after it is a count, as without the space.
    pytest.param("该应用月活跃用户达 3.5 亿，同比增长 12%。", "3.5 亿", count("350000000"), id="bare-count"),
]


@pytest.mark.parametrize(("sentence", "text", "exp"), SPACES)
def test_a_space_may_stand_before_a_multiplier_or_a_unit(sentence: str, text: str, exp: Exp) -> None:
    _check(sentence, text, exp)


NOT_SPACES = [
    # A year, an ordinal: the space changes nothing.
    pytest.param("2024 年，公司营收 5 亿元。", "2024 年", None, id="year"),
    pytest.param("详见第 3 章。", "第 3 章", None, id="chapter"),
    # A space never joins two numbers, nor a code to a name that starts with 万.
    pytest.param("两项分别为 3 5万元。", "3 5万元", {"value": "350000"}, id="two-numbers"),
    pytest.param("（股票代码：000002 万科A）", "000002 万科", None, id="code-and-name"),
    pytest.param("2024 万达广场开业。", "2024 万达", None, id="year-and-name"),
    # A Latin word is no unit: 5 mobile is not 5 metres.
    pytest.param("该应用支持 5 mobile 终端。", "5 mobile", None, id="latin-word"),
]


@pytest.mark.parametrize(("sentence", "anchor", "forbidden"), NOT_SPACES)
def test_a_space_does_not_join_what_is_apart(
    sentence: str, anchor: str, forbidden: dict[str, str] | None
) -> None:
    assert_not_a_figure(sentence, anchor, forbidden)


def test_a_space_separates_two_figures() -> None:
    sentence = "事故现场共出动 3 人 5 辆。"
    figs = factx.extract_text(sentence)
    assert [(f.text, f.value, f.unit) for f in figs] == [("3 人", 3, "count"), ("5 辆", 5, "count")], show(
        figs
    )


# === 3. a multiplier shared across a range or a list ==================================================

RANGES = [
    pytest.param("该项目总投资预计为20至30亿元。", "20至30亿元", money("2e9", high="3e9"), id="zhi-yi"),
    pytest.param("预计今年净利润46至68亿元。", "46至68亿元", money("4.6e9", high="6.8e9"), id="46-68-yi"),
    pytest.param("节假日期间日均客流3-5万人次。", "3-5万人次", count("3e4", high="5e4"), id="dash-wan"),
    pytest.param("預計可創造3～5萬個職位。", "3～5萬個", count("3e4", high="5e4"), id="trad-wave-wan"),
    pytest.param("港府預留20至30億元推動創科。", "20至30億元", money("2e9", high="3e9"), id="trad-yi"),
    pytest.param("预计融资US$3-5亿。", "US$3-5亿", money("3e8", "USD", high="5e8"), id="unit-before"),
    pytest.param("单价在1.5-2万元之间。", "1.5-2万元", money("15000", high="20000"), id="decimal-low"),
    pytest.param("年度预算五至六千万元。", "五至六千万元", money("5e7", high="6e7"), id="cjk-qian-wan"),
    pytest.param(
        "活动预计接待十至二十万人次。", "十至二十万人次", count("1e5", high="2e5"), id="cjk-ten-twenty"
    ),
    pytest.param(
        "单个项目补助3千至5千万元。", "3千至5千万元", money("3e7", high="5e7"), id="qian-to-qian-wan"
    ),
    pytest.param("预计可容纳3至5千人。", "3至5千人", count("3000", high="5000"), id="place-qian"),
    # The low end complete by itself keeps its value.
    pytest.param(
        "月薪在5000至1.2万元之间。", "5000至1.2万元", money("5000", high="12000"), id="complete-low"
    ),
    pytest.param("投资规模1亿至3亿元。", "1亿至3亿元", money("1e8", high="3e8"), id="own-multiplier"),
    pytest.param(
        "单价8千至1万元不等。", "8千至1万元", money("8000", high="10000"), id="own-smaller-multiplier"
    ),
    pytest.param(
        "捐款金额从8000至1亿元不等。", "8000至1亿元", money("8000", high="1e8"), id="would-pass-high-end"
    ),
    pytest.param(
        "项目工期为3至5年。", "3至5年", measure("94608000", "s", high="157680000"), id="no-multiplier"
    ),
]


@pytest.mark.parametrize(("sentence", "text", "exp"), RANGES)
def test_a_range_shares_its_high_ends_multiplier(sentence: str, text: str, exp: Exp) -> None:
    _check(sentence, text, exp)


# (sentence, the list as written, its figures in order as (text, value, unit))
LISTS = [
    pytest.param(
        "今年前三季度，三省粮食产量分别为1,586、968和1,012万吨。",
        "1,586、968和1,012万吨",
        [("1,586", "1.586e10", "kg"), ("968", "9.68e9", "kg"), ("1,012万吨", "1.012e10", "kg")],
        id="wan-dun",
    ),
    pytest.param(
        "兩間公司分別錄得盈利30、40億元。",
        "30、40億元",
        [("30", "3e9", "CNY"), ("40億元", "4e9", "CNY")],
        id="trad-yi-yuan",
    ),
    pytest.param(
        "三地外贸进出口分别为1.5、2.3及3.1万亿元。",
        "1.5、2.3及3.1万亿元",
        [("1.5", "1.5e12", "CNY"), ("2.3", "2.3e12", "CNY"), ("3.1万亿元", "3.1e12", "CNY")],
        id="wan-yi-ji",
    ),
    pytest.param(
        "两家银行分别放贷12与15亿元。",
        "12与15亿元",
        [("12", "1.2e9", "CNY"), ("15亿元", "1.5e9", "CNY")],
        id="yu",
    ),
    pytest.param(
        "两批分别招录6、7百人。", "6、7百人", [("6", "600", "count"), ("7百人", "700", "count")], id="bai"
    ),
    # Items complete by themselves, or with their own unit, keep their value.
    pytest.param(
        "三档奖金分别为5000、8000和1万元。",
        "5000、8000和1万元",
        [("5000", "5000", "CNY"), ("8000", "8000", "CNY"), ("1万元", "10000", "CNY")],
        id="complete-items",
    ),
    pytest.param(
        "共有3人、5亿元和20家企业参与。",
        "3人、5亿元和20家",
        [("3人", "3", "count"), ("5亿元", "5e8", "CNY"), ("20家", "20", "count")],
        id="own-units",
    ),
    pytest.param(
        "分别增长6.5和0.3个百分点。",
        "6.5和0.3个百分点",
        [("6.5", "6.5", "pp"), ("0.3个百分点", "0.3", "pp")],
        id="no-multiplier",
    ),
    # Months are no items: only the money is a figure.
    pytest.param(
        "2、3月份，销售额分别为5亿元和6亿元。",
        "2、3月份，销售额分别为5亿元和6亿元",
        [("5亿元", "5e8", "CNY"), ("6亿元", "6e8", "CNY")],
        id="months",
    ),
]


@pytest.mark.parametrize(("sentence", "written", "want"), LISTS)
def test_a_list_shares_its_last_items_multiplier_and_unit(
    sentence: str, written: str, want: list[tuple[str, str, str]]
) -> None:
    figs = overlapping(factx.extract_text(sentence), *span(sentence, written))
    got = [(f.text, f.value, f.unit) for f in figs]
    assert [(t, Decimal(v), u) for t, v, u in want] == got, show(figs)


def test_an_ordinal_is_no_list_item() -> None:
    # 第 makes 1 an ordinal: it takes neither 名 nor the 万 of the prize.
    assert_not_a_figure("第1、2名分获奖金5万元。", "第1", None)


# === the new forms on long hostile runs ===============================================================

# Each run made of one of the forms above, at a length where a linear scan takes a fraction of a second
# and a quadratic one minutes, with the figures it holds as (text, value).
# All run in one child process under a generous hang guard (a guard against a hang, not a timing).
HOSTILE = [
    LongRun("digit-place pairs", "", "1千8百", 25_000, "人", []),
    LongRun("full-width digit-place pairs", "", "１千", 25_000, "１人", []),
    LongRun("stacked magnitudes after a digit", "1", "亿", 50_000, "元", []),
    LongRun("spaced magnitudes", "", "1 万", 20_000, "元", [("1 万元", "10000")]),
    LongRun(
        "list items sharing a multiplier",
        "",
        "1、",
        10_000,
        "2万元",
        [("1", "10000")] * 10_000 + [("2万元", "20000")],
    ),
    LongRun("lone tens", "", "十", 50_000, "家", []),
    LongRun("十分 runs", "", "十分", 25_000, "", []),
    LongRun("signs before 百分之", "", "负", 50_000, "百分之五", [("负百分之五", "-5")]),
    LongRun("full-width commas between digits", "", "3，", 25_000, "7条", [("7条", "7")]),
]
HANG_GUARD_S = 120


def test_the_new_forms_are_read_in_linear_time_on_long_runs() -> None:
    got = read_long_runs(HOSTILE, HANG_GUARD_S, context=True)
    for run in HOSTILE:
        assert_long_run(run, got[run.name])


# === adjacent numerals: two neighbouring digits state a range =======================================

ADJACENT = [
    pytest.param("会上发言的只有五六个人。", "五六个", count("5", high="6"), id="wu-liu-ge"),
    pytest.param("门外还有三四十人在排队。", "三四十人", count("30", high="40"), id="san-si-shi"),
    pytest.param("菜市场里的猪肉十五六块钱一斤。", "十五六块钱", money("15", high="16"), id="shi-wu-liu"),
    pytest.param("这批设备价值二三百万元。", "二三百万元", money("2e6", high="3e6"), id="er-san-bai-wan"),
    pytest.param("快递一两天就能送到。", "一两天", measure("86400", "s", high="172800"), id="yi-liang-tian"),
    pytest.param("近七八成的受访者表示满意。", "七八成", pct("70", value_high="80"), id="qi-ba-cheng"),
    pytest.param("一百五六十名志愿者参加了活动。", "一百五六十名", count("150", high="160"), id="head-bai"),
    pytest.param(
        "他们用了两三年才还清贷款。", "两三年", measure("63072000", "s", high="94608000"), id="liang-san-nian"
    ),
    pytest.param("這間公司有七八百名員工。", "七八百名", count("700", high="800"), id="trad-qi-ba-bai"),
]


@pytest.mark.parametrize(("sentence", "text", "exp"), ADJACENT)
def test_adjacent_numerals_are_a_range(sentence: str, text: str, exp: Exp) -> None:
    _check(sentence, text, exp)


NOT_ADJACENT = [
    pytest.param("周末三五成群的游客来到湖边。", "三五成群", None, id="idiom-sanwu-chengqun"),
    pytest.param("这条街保留着五六十年代的风貌。", "五六十年代", None, id="decades"),
    pytest.param("每年七八月是旅游旺季。", "七八月", None, id="months"),
    pytest.param("八九年夏天他来过这里。", "八九年", None, id="year-shorthand"),
    pytest.param("“十四五”期间全市新建学校一批。", "十四五", None, id="five-year-plan"),
    pytest.param("纪念一二九运动九十周年。", "一二九", None, id="movement-date"),
    pytest.param("他在比赛中获得第三四名之间的成绩。", "三四名", None, id="ordinal"),
    pytest.param("屋里乱七八糟，没人收拾。", "七八", None, id="luanqibazao"),
    # 一两 before a thing that is no unit stays one tael, not one to two of anything.
    pytest.param("当时一两黄金值多少钱？", "一两", {"approx": "range"}, id="one-tael"),
]


@pytest.mark.parametrize(("sentence", "anchor", "forbidden"), NOT_ADJACENT)
def test_what_only_looks_like_adjacent_numerals(
    sentence: str, anchor: str, forbidden: dict[str, str] | None
) -> None:
    assert_not_a_figure(sentence, anchor, forbidden)


# === 个亿: a magnitude written with a measure word, as speech does ===================================

SPOKEN_MAGNITUDES = [
    pytest.param("这个项目前后投资了5个亿。", "5个亿", count("5e8"), id="5-ge-yi"),
    pytest.param("光是装修就花了两个亿。", "两个亿", count("2e8"), id="liang-ge-yi"),
    pytest.param("去年公司亏损十几个亿。", "十几个亿", count("1e9"), id="shi-ji-ge-yi"),
    pytest.param("预计总投资2.5个亿。", "2.5个亿", count("2.5e8"), id="decimal-ge-yi"),
    pytest.param("全年营收3个多亿元。", "3个多亿元", money("3e8"), id="ge-duo-yi-yuan"),
    pytest.param("這家公司一年賺兩個億。", "兩個億", count("2e8"), id="trad-liang-ge-yi"),
]


@pytest.mark.parametrize(("sentence", "text", "exp"), SPOKEN_MAGNITUDES)
def test_a_magnitude_may_be_written_with_a_measure_word(sentence: str, text: str, exp: Exp) -> None:
    _check(sentence, text, exp)


def test_ge_duo_yi_is_over() -> None:
    [figure] = factx.extract_text("总共投资3个多亿。")
    assert (figure.text, figure.value, figure.approx) == ("3个多亿", Decimal("3e8"), "over")


NOT_SPOKEN_MAGNITUDES = [
    # 个 before 亿万 counts billionaires; 个 alone stays a measure word.
    pytest.param("榜单上新增了5个亿万富翁。", "5个亿", {"value": "500000000"}, id="yi-wan-fu-weng"),
    pytest.param("这个亿万富翁捐了款。", "个亿", None, id="zhe-ge-yi-wan"),
    pytest.param("三个人分了五个苹果。", "三个人", {"value": "300000000"}, id="ge-alone"),
]


@pytest.mark.parametrize(("sentence", "anchor", "forbidden"), NOT_SPOKEN_MAGNITUDES)
def test_what_only_looks_like_a_spoken_magnitude(
    sentence: str, anchor: str, forbidden: dict[str, str] | None
) -> None:
    assert_not_a_figure(sentence, anchor, forbidden)

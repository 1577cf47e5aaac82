"""Figures written in several parts (issue 11, points 4, 5 and 9): money in 元/角/分 and cents, tenths (成)
and discounts (折), compound durations, speeds written with 每 — and their counter-examples.

Every expectation is written from the output contract (/work/shared/figures.md) and the unit factors
(1 角 = 0.1 元, 1 分 = 0.01 元, 1 美分 = 0.01 USD, 1 天 = 86400 s, 1 km/h = 1000/3600 m/s),
never from what factx returns. A discount is the price paid as a percent of the original price (八折 = 80 %),
with no change and no approximation of its own. A case names a sentence and an *anchor*, the part of the
sentence the figure must cover: exactly one figure overlaps it, covers it, and has the expected fields.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import Any

import pytest
from figure_helpers import (
    ANY,
    Exp,
    Expect,
    LongRun,
    assert_long_run,
    assert_not_a_figure,
    assert_same_records,
    check_figure,
    read_long_runs,
)

import factx

DAY = 86400
HOUR = 3600
KMH = Fraction(1000, 3600)  # m/s per km/h


# Every case pins approx, change, per and value_high (None unless it says otherwise); the classifier is
# left open.
_EXPECT = Expect(approx=None, change=None, per=None, value_high=None)
money, pct = _EXPECT.money, _EXPECT.pct


def seconds(value: str | int | Fraction, **kw: Any) -> Exp:
    return _EXPECT.measure(value if isinstance(value, Fraction) else str(value), "s", **kw)


def speed(value: Fraction | str, **kw: Any) -> Exp:
    return _EXPECT.measure(value, "m/s", **kw)


# A case: (sentence, anchor, the figure over the anchor).
FIGURES = [
    # === 4. money in 元/角/分, 块/毛, and cents ===
    pytest.param("这件衬衫原价67元6角7分。", "67元6角7分", money("67.67"), id="yuan-jiao-fen"),
    pytest.param("一枚纪念邮票面值3元5角。", "3元5角", money("3.5"), id="yuan-jiao"),
    pytest.param("他在超市结账时一共花了八十六块二毛。", "八十六块二毛", money("86.2"), id="kuai-mao-cjk"),
    pytest.param("烧饼涨价后一个卖一块五毛钱。", "一块五毛钱", money("1.5"), id="kuai-mao-qian"),
    pytest.param("兩塊五毛錢一瓶礦泉水。", "兩塊五毛錢", money("2.5"), id="trad-kuai-mao-qian"),
    pytest.param("早市上买菜花了两块五角。", "两块五角", money("2.5"), id="kuai-jiao"),
    pytest.param("一支圆珠笔3元5毛。", "3元5毛", money("3.5"), id="yuan-mao"),
    pytest.param("鸡蛋每斤四块二毛五。", "四块二毛五", money("4.25", per="jin"), id="kuai-mao-trailing-fen"),
    pytest.param(
        "報銷金額：壹仟肆佰肆拾貳元柒角壹分。",
        "壹仟肆佰肆拾貳元柒角壹分",
        money("1442.71"),
        id="trad-financial-numerals",
    ),
    pytest.param(
        "这张发票的金额为壹万贰仟叁佰元伍角整。",
        "壹万贰仟叁佰元伍角整",
        money("12300.5"),
        id="financial-numerals-zheng",
    ),
    pytest.param("菜市场的青菜每斤卖两元五角。", "两元五角", money("2.5", per="jin"), id="per-jin-before"),
    pytest.param("散装大米3元2角/斤。", "3元2角/斤", money("3.2", per="jin"), id="per-jin-after"),
    pytest.param(
        "1962年，一张电影票卖两美元又三美分。", "两美元又三美分", money("2.03", "USD"), id="usd-cents"
    ),
    pytest.param(
        "公司每股派息1港元20港仙。", "1港元20港仙", money("1.2", "HKD", per="share"), id="hkd-cents"
    ),
    pytest.param("纽约原油期货收涨5美分。", "5美分", money("0.05", "USD", change=ANY), id="lone-us-cent"),
    pytest.param(
        "德國汽油每升漲了20歐分。", "20歐分", money("0.2", "EUR", change=ANY, per="L"), id="lone-euro-cent"
    ),
    pytest.param("港鐵車費下調50港仙。", "50港仙", money("0.5", "HKD", change=ANY), id="lone-hk-cent"),
    pytest.param("西红柿每斤贵了三毛钱。", "三毛钱", money("0.3", per="jin"), id="lone-mao-qian"),
    # still as before: 块钱 is money, 块 alone a measure word
    pytest.param("一碗牛肉面卖五块钱。", "五块钱", money("5"), id="kuaiqian-unchanged"),
    # === 5. discounts (the price paid, as a percent of the original) and tenths ===
    pytest.param("双十一全场商品打八折。", "八折", pct("80"), id="da-ba-zhe"),
    pytest.param("部分新品7.5折销售。", "7.5折", pct("75"), id="decimal-zhe"),
    pytest.param("会员购物享受八八折优惠。", "八八折", pct("88"), id="two-digit-cjk-zhe"),
    pytest.param("店庆期间化妆品一律8.8折。", "8.8折", pct("88"), id="decimal-8-8-zhe"),
    pytest.param("老客户购车可享88折。", "88折", pct("88"), id="two-digit-arabic-zhe"),
    pytest.param("机票价格低至2.5折。", "2.5折", pct("25"), id="low-zhe"),
    pytest.param("二手车成交价约为新车的八折左右。", "八折左右", pct("80", approx="about"), id="zhe-zuoyou"),
    pytest.param("全場貨品低至七折，會員再享優惠。", "七折", pct("70"), id="trad-qi-zhe"),
    pytest.param("會員憑卡可享九五折。", "九五折", pct("95"), id="trad-jiu-wu-zhe"),
    pytest.param(
        "冬季服装5至7折清仓。", "5至7折", pct("50", approx="range", value_high="70"), id="range-zhe"
    ),
    pytest.param("受访企业中五成六计划今年加薪。", "五成六", pct("56"), id="wu-cheng-liu"),
    pytest.param("民調顯示，逾五成六市民支持方案。", "五成六", pct("56", approx="over"), id="trad-yu-cheng"),
    pytest.param("九成九的用户给出好评。", "九成九", pct("99"), id="jiu-cheng-jiu"),
    pytest.param("恒指今年有六點五成的交易日上漲。", "六點五成", pct("65"), id="trad-point-cheng"),
    pytest.param("这家小店的利润率只有半成。", "半成", pct("5"), id="ban-cheng"),
    pytest.param("他对夺冠有十成把握。", "十成", pct("100"), id="shi-cheng"),
    pytest.param("今年一季度出口增长三成。", "三成", pct("30", change="increase"), id="san-cheng"),
    # === 9. compound durations and speeds ===
    pytest.param("他以1分50秒的成绩获得第二名。", "1分50秒", seconds(110), id="fen-miao"),
    pytest.param(
        "中國選手以1分44秒65奪得金牌。", "1分44秒65", seconds("104.65"), id="trad-fen-miao-decimals"
    ),
    pytest.param("孙杨以3分40秒14的成绩夺冠。", "3分40秒14", seconds("220.14"), id="fen-miao-swim"),
    pytest.param("距离比赛结束还有一分五十秒。", "一分五十秒", seconds(110), id="fen-miao-cjk"),
    pytest.param("全程用时2小时30分。", "2小时30分", seconds(2 * HOUR + 30 * 60), id="hours-minutes"),
    pytest.param("救援队连续奋战3天2小时。", "3天2小时", seconds(3 * DAY + 2 * HOUR), id="days-hours"),
    pytest.param("全程耗时1天8小时30分。", "1天8小时30分", seconds(DAY + 8 * HOUR + 30 * 60), id="d-h-m"),
    pytest.param(
        "搜救持续了两天零五个小时。", "两天零五个小时", seconds(2 * DAY + 5 * HOUR), id="days-ling-hours"
    ),
    pytest.param("高速公路小客车限速每小时120公里。", "每小时120公里", speed(120 * KMH), id="per-hour-km"),
    pytest.param("列車每小時行駛300公里。", "每小時行駛300公里", speed(300 * KMH), id="trad-per-hour-km"),
    pytest.param("台风中心附近最大风速每秒45米。", "每秒45米", speed("45"), id="per-second-m"),
]


@pytest.mark.parametrize(("sentence", "anchor", "expected"), FIGURES)
def test_compound_figure(sentence: str, anchor: str, expected: Exp) -> None:
    check_figure(sentence, anchor, expected, whole=False)


def test_a_discount_is_found_by_its_own_rule() -> None:
    """The record's rule is what tells a discount (八折 = 80 %) from a share (八成 = 80 %)."""
    figs = factx.extract_text("全场打八折，八成顾客满意。")
    assert [(f.text, f.value, f.rule) for f in figs] == [
        ("八折", Decimal(80), "compound.discount"),
        ("八成", Decimal(80), "figure.unit"),
    ]


# A traditional sentence and its simplified twin give the same records (offsets aside).
TRAD_PAIRS = [
    pytest.param("兩塊五毛錢一瓶。", "两块五毛钱一瓶。", id="pair-kuai-mao"),
    pytest.param("金額壹仟肆佰肆拾貳元柒角壹分。", "金额壹仟肆佰肆拾贰元柒角壹分。", id="pair-financial"),
    pytest.param("全場貨品低至七折。", "全场货品低至七折。", id="pair-zhe"),
    pytest.param("民調顯示逾五成六市民支持。", "民调显示逾五成六市民支持。", id="pair-cheng"),
    pytest.param("中國選手以1分44秒65奪得金牌。", "中国选手以1分44秒65夺得金牌。", id="pair-fen-miao"),
    pytest.param("搜救持續了兩天零五個小時。", "搜救持续了两天零五个小时。", id="pair-days-hours"),
    pytest.param("列車每小時行駛300公里。", "列车每小时行驶300公里。", id="pair-speed"),
]


def _record(f: factx.Figure) -> tuple[object, ...]:
    return (len(f.text), f.kind, f.value, f.unit, f.approx, f.change, f.per)


@pytest.mark.parametrize(("traditional", "simplified"), TRAD_PAIRS)
def test_traditional_equals_simplified(traditional: str, simplified: str) -> None:
    assert_same_records(traditional, simplified, _record)


# A counter-example: (sentence, anchor, what must not be there). With None, no figure may overlap the
# anchor; with a dict, no figure overlapping the anchor may have all those fields.
NOT_FIGURES = [
    # --- 分, 角, 毛 that are no money ---
    pytest.param("他在比赛中得20分。", "20分", {"kind": "money"}, id="points-not-cents"),
    pytest.param("他在比赛中得20分。", "20分", {"unit": "s"}, id="points-not-minutes"),
    pytest.param("会议开了3分钟。", "3分钟", {"kind": "money"}, id="minutes-not-cents"),
    pytest.param("一张票10元，5分钟就卖光了。", "10元", {"value": "10.05"}, id="yuan-then-minutes"),
    pytest.param("这枚奖章是一个5角星。", "5角", None, id="five-pointed-star"),
    pytest.param("把布剪成三块三角形。", "三块", {"kind": "money"}, id="kuai-sanjiaoxing"),
    pytest.param("他买了3块屏幕。", "3块", {"kind": "money"}, id="kuai-measure-word"),
    pytest.param("在房间的一角放着一张桌子。", "一角", None, id="yijiao-corner"),
    pytest.param("牛排要七分熟。", "七分", None, id="qifen-shu"),
    pytest.param("只有九分之一的人报名。", "九分之一", {"kind": "money"}, id="fraction-not-cents"),
    pytest.param("这个问题十分重要。", "十分", None, id="shifen-very"),
    pytest.param("这事跟他没有一毛钱关系。", "一毛钱", None, id="yimaoqian-guanxi"),
    # --- 折 that is no discount ---
    pytest.param("货款折合人民币约20万元。", "折合", None, id="zhehe"),
    pytest.param("设备按十年折旧。", "折旧", None, id="zhejiu"),
    pytest.param("谈判过程一波三折。", "三折", None, id="yibo-sanzhe"),
    pytest.param("他们百折不挠。", "百折", None, id="baizhe-bunao"),
    pytest.param("这款三折叠屏手机很贵。", "三折", None, id="sanzhedie-trifold"),
    pytest.param("七折八扣算下来所剩无几。", "七折", None, id="qizhe-bakou"),
    pytest.param("他把纸对折后裁开。", "对折", None, id="duizhe-fold"),
    pytest.param("剧情几经转折。", "转折", None, id="zhuanzhe"),
    pytest.param("他不慎骨折。", "骨折", None, id="guzhe"),
    pytest.param("元杂剧一般是四折一楔子。", "四折", None, id="zaju-acts"),
    # --- 成 that is no share ---
    pytest.param("一季度全市完成投资5亿元。", "完成", None, id="wancheng"),
    pytest.param("新区建成5个产业园。", "建成", None, id="jiancheng"),
    pytest.param("二手市场上八成新的车很抢手。", "八成", None, id="bacheng-xin-condition"),
    pytest.param("这台相机七八成新，外观完好。", "七八成", None, id="qibacheng-xin"),
    pytest.param("政策并非一成不变。", "一成", None, id="yicheng-bubian"),
    pytest.param("工厂主要生产半成品。", "半成", None, id="banchengpin"),
    pytest.param("牛排要十成熟。", "十成", None, id="shicheng-shu"),
    pytest.param("支持率在五成六成之间。", "五成六成", {"value": "56"}, id="two-tenths-not-joined"),
    pytest.param("全校八成三年级学生近视。", "八成三年级", {"value": "83"}, id="tenths-then-grade"),
    # --- what only looks like a compound duration ---
    pytest.param("列车10点30分发车。", "10点30分", None, id="clock-time"),
    pytest.param("他全场只得了1分，50秒后被换下。", "1分", {"unit": "s"}, id="score-one-point"),
    pytest.param("2024年3月，球队只得了1分。", "2024年3月", None, id="date-year-month"),
    pytest.param("客服中心一周7天24小时在线。", "7天24小时", {"value": str(8 * DAY)}, id="round-the-clock"),
    pytest.param(
        "公司实行5天8小时工作制。", "5天8小时", {"value": str(5 * DAY + 8 * HOUR)}, id="work-schedule"
    ),
    pytest.param("每小时发一班车。", "每小时", None, id="per-hour-no-number"),
    pytest.param("水库泄洪流量达每秒3000立方米。", "3000立方米", {"unit": "m/s"}, id="flow-not-speed"),
]


@pytest.mark.parametrize(("sentence", "anchor", "forbidden"), NOT_FIGURES)
def test_not_a_compound_figure(sentence: str, anchor: str, forbidden: dict[str, str] | None) -> None:
    assert_not_a_figure(sentence, anchor, forbidden)


# Long runs built to make the compounds' patterns re-read or backtrack: each runs in a child process
# under a hang guard (a guard against a hang, not a speed assertion), and each states what it holds.
# The context stage is off: these runs are one sentence of thousands of figures, and it is the figure
# patterns that are tested here.
HANG_GUARD_S = 60


RUNS = [
    LongRun("minutes before seconds", "", "1分", 20_000, "50秒", [("1分50秒", "110")]),
    LongRun("CJK digits before 折", "", "八", 50_000, "折", []),
    LongRun("ranges before 折", "", "5至", 20_000, "7折", [("5至7折", "50")]),
    LongRun("tenths", "", "五成", 3_000, "六", [("五成", "50")] * 2_999 + [("五成六", "56")]),
    LongRun("halves before 成", "", "半", 50_000, "成", [("半成", "5")]),
    LongRun("yuan and jiao", "", "1元1角", 3_000, "", [("1元1角", "1.1")] * 3_000),
    LongRun("kuai and mao", "", "1块1毛，", 3_000, "", [("1块1毛", "1.1")] * 3_000),
    LongRun("kuai, mao and a digit", "", "1块1毛1，", 3_000, "", [("1块1毛1", "1.11")] * 3_000),
    LongRun(
        "days before hours", "", "3天", 3_000, "2小时", [("3天", "259200")] * 2_999 + [("3天2小时", "266400")]
    ),
    LongRun("words after 每小时", "每小时", "行", 50_000, "100公里", [("100公里", "100000")]),
    LongRun("denominators before an amount", "", "每斤卖，", 20_000, "每斤5元8角", [("每斤5元8角", "5.8")]),
]


@pytest.fixture(scope="module")
def run_results() -> dict[str, list[list[str]]]:
    """Every long run extracted in one child process, the context stage off."""
    return read_long_runs(RUNS, HANG_GUARD_S, context=False)


@pytest.mark.parametrize("case", RUNS, ids=[r.name for r in RUNS])
def test_a_long_run_is_read_in_linear_time(case: LongRun, run_results: dict[str, list[list[str]]]) -> None:
    assert_long_run(case, run_results[case.name])

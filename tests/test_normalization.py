"""Normalization of figures on real sentences: value, unit, kind, approx, change, classifier, ranges.

Every expectation is written from the output contract (/work/shared/figures.md) and the unit
factors it names, never from what factx returns. A case names the sentence and an *anchor*: the
part of the sentence the figure must cover (the number with its multiplier and unit; a qualifier
may stand inside or outside the span, so it is left out of the anchor when it is optional there).
Exactly one figure must overlap the anchor, cover it, and carry the expected fields.
"""

from __future__ import annotations

import json
import re
from decimal import Decimal
from fractions import Fraction

import pytest
from figure_helpers import Exp, Expect, assert_not_a_figure, check_figure, overlapping, show, span

import factx
from factx.output import figure_line

# Every case pins approx, change and value_high (None unless it says otherwise); per is left open.
_EXPECT = Expect(approx=None, change=None, value_high=None)
money, count, pct, pp, mult = _EXPECT.money, _EXPECT.count, _EXPECT.pct, _EXPECT.pp, _EXPECT.mult
measure = _EXPECT.measure


YEAR = 365 * 86400
MONTH = 30 * 86400


def _check(sentence: str, anchor: str, exp: Exp) -> factx.Figure:
    return check_figure(sentence, anchor, exp, whole=False)


# A case: (sentence, anchor, expected figure over the anchor).
FIGURES = [
    # --- Arabic digits with decimals ---
    pytest.param("公司全年实现营业收入1.57亿元。", "1.57亿元", money("157000000"), id="decimal-yi-yuan"),
    pytest.param(
        "全年国内生产总值1349084.5亿元。", "1349084.5亿元", money("134908450000000"), id="decimal-large-yi"
    ),
    pytest.param(
        "本届意向成交额达834.9亿美元。", "834.9亿美元", money("83490000000", "USD"), id="decimal-usd"
    ),
    # --- thousands separators ---
    pytest.param("项目合同金额为1,234.56万元。", "1,234.56万元", money("12345600"), id="sep-decimal-wan"),
    pytest.param("全市共有12,345家企业完成年报。", "12,345家", count("12345", "家"), id="sep-count"),
    pytest.param("累计发放贷款1,000,000元。", "1,000,000元", money("1000000"), id="sep-two-groups"),
    # --- full-width digits ---
    pytest.param("全市共有１２３家企业参展。", "１２３家", count("123", "家"), id="fullwidth-count"),
    pytest.param(
        "出口增长５．２％。", "５．２％", pct("5.2", change="increase"), id="fullwidth-decimal-percent"
    ),
    # --- CJK numerals ---
    pytest.param("全年投资规模达三千五百亿元。", "三千五百亿元", money("350000000000"), id="cjk-yi-yuan"),
    pytest.param("带动就业一百二十万人。", "一百二十万人", count("1200000", "人"), id="cjk-wan-ren"),
    pytest.param("占比为十二点五%。", "十二点五%", pct("12.5"), id="cjk-point-percent"),
    pytest.param("吸引两千余家企业入驻。", "两千余家", count("2000", "家", approx="over"), id="cjk-liang-yu"),
    pytest.param("共建设一百零五个示范点。", "一百零五个", count("105", "个"), id="cjk-ling"),
    pytest.param("共建成一千〇五个站点。", "一千〇五个", count("1005", "个"), id="cjk-circle-zero"),
    pytest.param("获得奖金六十四万元。", "六十四万元", money("640000"), id="cjk-wan-yuan"),
    # --- mixed Arabic and CJK ---
    pytest.param("公司投资3千万元建设新厂。", "3千万元", money("30000000"), id="mixed-qian-wan"),
    pytest.param("全年进出口总额1.2万亿元。", "1.2万亿元", money("1200000000000"), id="mixed-wan-yi"),
    pytest.param("惠及5百万人。", "5百万人", count("5000000", "人"), id="mixed-bai-wan"),
    pytest.param("全县常住人口3万4000人。", "3万4000人", count("34000", "人"), id="mixed-wan-then-digits"),
    pytest.param("每户补贴25万6千元。", "25万6千元", money("256000"), id="mixed-wan-then-qian"),
    pytest.param("人均年收入三万五千元。", "三万五千元", money("35000"), id="cjk-wan-qian"),
    pytest.param("月薪三万五元起。", "三万五元", money("35000"), id="cjk-wan-elided-qian"),
    # --- multipliers 百 千 万 亿 万亿 ---
    pytest.param(
        "全年社会消费品零售总额41.21万亿元。", "41.21万亿元", money("41210000000000"), id="mult-wan-yi"
    ),
    pytest.param("共认定2.5万项技术合同。", "2.5万项", count("25000", "项"), id="mult-wan"),
    pytest.param("招聘8千人。", "8千人", count("8000", "人"), id="mult-qian"),
    pytest.param("惠及14亿多人。", "14亿多人", count("1400000000", "人", approx="over"), id="mult-yi-duo"),
    pytest.param(
        "用户接近600万，覆盖全国。", "600万", count("6000000", None, approx="nearly"), id="mult-bare-wan"
    ),
    # --- traditional forms ---
    pytest.param("該公司去年盈利3.5億元。", "3.5億元", money("350000000"), id="trad-yi"),
    pytest.param("吸引兩萬人參加。", "兩萬人", count("20000", "人"), id="trad-liang-wan"),
    pytest.param("失業率為十二點五%。", "十二點五%", pct("12.5"), id="trad-point"),
    pytest.param("集資兩千萬港元。", "兩千萬港元", money("20000000", "HKD"), id="trad-hkd"),
    # --- approximations kept, not collapsed ---
    pytest.param(
        "每年吸引游客十几万人。", "十几万人", count("100000", "人", approx="over"), id="approx-shi-ji-wan"
    ),
    pytest.param(
        "总投资500多亿元。", "500多亿元", money("50000000000", approx="over"), id="approx-duo-infix-yi"
    ),
    pytest.param(
        "累计投入一千多万元。", "一千多万元", money("10000000", approx="over"), id="approx-cjk-duo-wan"
    ),
    pytest.param("新建数百个充电站。", "数百个", count("100", "个", approx="over"), id="approx-shu-bai"),
    pytest.param("建成百余个服务网点。", "百余个", count("100", "个", approx="over"), id="approx-bai-yu"),
    pytest.param("期间举办约30场配套活动。", "30场", count("30", "场", approx="about"), id="approx-yue"),
    pytest.param("新能源汽车渗透率近40%。", "40%", pct("40", approx="nearly"), id="approx-jin"),
    pytest.param(
        "进场观众超过137万人。", "137万人", count("1370000", "人", approx="over"), id="approx-chaoguo"
    ),
    pytest.param("不良率不到10%。", "10%", pct("10", approx="under"), id="approx-budao"),
    pytest.param("本地配套率在60%左右。", "60%", pct("60", approx="about"), id="approx-zuoyou"),
    pytest.param("覆盖90%以上电商平台。", "90%", pct("90", approx="over"), id="approx-yishang"),
    pytest.param("参展企业逾2000家。", "2000家", count("2000", "家", approx="over"), id="approx-yu"),
    pytest.param("交易额突破1000亿元。", "1000亿元", money("100000000000", approx="over"), id="approx-tupo"),
    pytest.param("单价不足5元。", "5元", money("5", approx="under"), id="approx-buzu"),
    pytest.param(
        "累计将近3000人次。", "3000人次", count("3000", "人次", approx="nearly"), id="approx-jiangjin"
    ),
    # counter-examples: words that only end like a qualifier
    pytest.param(
        "最近30天，销量持续走高。", "30天", measure(str(30 * 86400), "s"), id="approx-zuijin-is-not-nearly"
    ),
    pytest.param("打破3项世界纪录。", "3项", count("3", "项"), id="approx-dapo-is-not-over"),
    # --- ranges ---
    pytest.param(
        "项目工期为3至5年。",
        "3至5年",
        measure(str(3 * YEAR), "s", approx="range", value_high=str(5 * YEAR)),
        id="range-years",
    ),
    pytest.param(
        "利润率为10%-15%。", "10%-15%", pct("10", approx="range", value_high="15"), id="range-percent"
    ),
    pytest.param(
        "工期2天到72小时。",
        "2天到72小时",
        measure(str(2 * 86400), "s", approx="range", value_high=str(72 * 3600)),
        id="range-units-of-one-dimension",
    ),
    # Ends that are not in order once converted (8天 is 192 hours) are two figures, not a range.
    pytest.param("工期8天到72小时。", "8天", measure(str(8 * 86400), "s"), id="not-a-range-days-then-hours"),
    pytest.param(
        "工期8天到72小时。", "72小时", measure(str(72 * 3600), "s"), id="not-a-range-hours-after-days"
    ),
    pytest.param("相隔8天到5公里。", "5公里", measure("5000", "m"), id="not-a-range-two-dimensions"),
    pytest.param(
        "月薪1.2万—1.5万元。",
        "1.2万—1.5万元",
        money("12000", approx="range", value_high="15000"),
        id="range-dash-wan",
    ),
    pytest.param(
        "计划投资20亿至30亿元。",
        "20亿至30亿元",
        money("2000000000", approx="range", value_high="3000000000"),
        id="range-yi",
    ),
    pytest.param(
        "预计需要3到5个月。",
        "3到5个月",
        measure(str(3 * MONTH), "s", approx="range", value_high=str(5 * MONTH)),
        id="range-dao-months",
    ),
    # --- percent forms ---
    pytest.param("第三产业占比54.6%。", "54.6%", pct("54.6"), id="percent-ascii"),
    pytest.param("研发投入占比达６％。", "６％", pct("6"), id="percent-fullwidth-sign"),
    pytest.param("占比达到百分之三十五。", "百分之三十五", pct("35"), id="percent-baifenzhi-cjk"),
    pytest.param("占比达到百分之3.5。", "百分之3.5", pct("3.5"), id="percent-baifenzhi-arabic"),
    pytest.param("千分率为7.1‰。", "7.1‰", pct("0.71"), id="percent-permille"),
    # --- percentage points ---
    pytest.param(
        "比上年提高0.3个百分点。", "0.3个百分点", pp("0.3", change="increase"), id="pp-ge-baifendian"
    ),
    pytest.param("比重下降0.8百分点。", "0.8百分点", pp("0.8", change="decrease"), id="pp-baifendian"),
    # --- multiples ---
    pytest.param("出口额增长1.6倍。", "1.6倍", mult("1.6", change="increase"), id="multiple-increase"),
    pytest.param("产能是十年前的30倍。", "30倍", mult("30"), id="multiple-plain"),
    # --- 成 (tenths) ---
    pytest.param("销售额增长三成。", "三成", pct("30", change="increase"), id="cheng-increase"),
    pytest.param("外资企业占近两成。", "两成", pct("20", approx="nearly"), id="cheng-nearly"),
    # --- fractions ---
    pytest.param("粮食产量占全国的三分之一。", "三分之一", pct(Fraction(100, 3)), id="fraction-third"),
    pytest.param(
        "约占全国的三分之一。",
        "三分之一",
        pct(Fraction(100, 3), approx="about"),
        id="fraction-third-yue-zhan",
    ),
    pytest.param("出口占三分之二。", "三分之二", pct(Fraction(200, 3)), id="fraction-two-thirds"),
    pytest.param(
        "占国内生产总值的比重超过1/10。", "1/10", pct("10", approx="over"), id="fraction-arabic-over"
    ),
    pytest.param("均占全国的一半以上。", "一半", pct("50", approx="over"), id="half-over"),
    # --- money to ISO 4217 ---
    pytest.param("注册资本5000万元。", "5000万元", money("50000000"), id="money-yuan"),
    pytest.param("募集资金5000万人民币。", "5000万人民币", money("50000000"), id="money-renminbi-after"),
    pytest.param("合同总额20.4亿元人民币。", "20.4亿元人民币", money("2040000000"), id="money-yuan-renminbi"),
    pytest.param(
        "公司投资人民币3000万元建设新厂。", "3000万元", money("30000000"), id="money-renminbi-before"
    ),
    pytest.param("累计成交942亿美元。", "942亿美元", money("94200000000", "USD"), id="money-usd"),
    pytest.param("获得120亿欧元订单。", "120亿欧元", money("12000000000", "EUR"), id="money-eur"),
    pytest.param("日本追加预算1.5万亿日元。", "1.5万亿日元", money("1500000000000", "JPY"), id="money-jpy"),
    pytest.param("英国拨款30亿英镑。", "30亿英镑", money("3000000000", "GBP"), id="money-gbp"),
    pytest.param("香港特区发行50亿港元绿色债券。", "50亿港元", money("5000000000", "HKD"), id="money-hkd"),
    pytest.param(
        "台湾地区出口额达1200亿新台币。", "1200亿新台币", money("120000000000", "TWD"), id="money-twd"
    ),
    # --- counts: the measure word goes into classifier ---
    pytest.param("参展境外企业达到4108家。", "4108家", count("4108", "家"), id="count-jia"),
    pytest.param("共有155个国家和地区参与。", "155个", count("155", "个"), id="count-ge"),
    pytest.param("签约59项合作。", "59项", count("59", "项"), id="count-xiang"),
    pytest.param("现场观众3200人。", "3200人", count("3200", "人"), id="count-ren"),
    pytest.param("邀请30位专家评审。", "30位", count("30", "位"), id="count-wei"),
    pytest.param("录取1200名学生。", "1200名", count("1200", "名"), id="count-ming"),
    pytest.param("销售新能源汽车12.5万辆。", "12.5万辆", count("125000", "辆"), id="count-liang-vehicles"),
    pytest.param("出货工业机器人500台。", "500台", count("500", "台"), id="count-tai"),
    pytest.param("发布新品300款。", "300款", count("300", "款"), id="count-kuan"),
    pytest.param("举办发布会46场。", "46场", count("46", "场"), id="count-chang"),
    pytest.param("接待游客2.5亿人次。", "2.5亿人次", count("250000000", "人次"), id="count-renci"),
    pytest.param("保障航班1.2万架次。", "1.2万架次", count("12000", "架次"), id="count-jiaci"),
    # --- measures: area → m2 ---
    pytest.param("新增绿地43万平方米。", "43万平方米", measure("430000", "m2"), id="area-pingfangmi"),
    pytest.param("覆盖12.7平方公里。", "12.7平方公里", measure("12700000", "m2"), id="area-pingfanggongli"),
    pytest.param("新造林2.5公顷。", "2.5公顷", measure("25000", "m2"), id="area-gongqing"),
    pytest.param("流转耕地15亩。", "15亩", measure("10000", "m2"), id="area-mu-exact"),
    pytest.param("每户承包1亩土地。", "1亩", measure(Fraction(10000, 15), "m2"), id="area-mu-fraction"),
    # --- measures: mass → kg ---
    pytest.param("收获粮食9100吨。", "9100吨", measure("9100000", "kg"), id="mass-dun"),
    pytest.param("捐赠大米100公斤。", "100公斤", measure("100", "kg"), id="mass-gongjin"),
    pytest.param("每包净重500克。", "500克", measure("0.5", "kg"), id="mass-ke"),
    # --- measures: length → m ---
    pytest.param("涂层厚度仅0.3毫米。", "0.3毫米", measure("0.0003", "m"), id="length-haomi"),
    pytest.param("颗粒直径约5微米。", "5微米", measure("0.000005", "m", approx="about"), id="length-weimi"),
    pytest.param("芯片采用3纳米工艺。", "3纳米", measure("0.000000003", "m"), id="length-nami"),
    pytest.param("大楼高632米。", "632米", measure("632", "m"), id="length-mi"),
    pytest.param("全线长1318公里。", "1318公里", measure("1318000", "m"), id="length-gongli"),
    # --- measures: time → s ---
    pytest.param("单次充电仅需76秒。", "76秒", measure("76", "s"), id="time-miao"),
    pytest.param("通勤时间缩短至15分钟。", "15分钟", measure("900", "s"), id="time-fenzhong"),
    pytest.param("平均处理时长1.64小时。", "1.64小时", measure("5904", "s"), id="time-xiaoshi"),
    pytest.param("空间站已运行699天。", "699天", measure("60393600", "s"), id="time-tian"),
    pytest.param("合同期限5年。", "5年", measure(str(5 * YEAR), "s"), id="time-nian"),
    pytest.param("工期为五个月。", "五个月", measure(str(5 * MONTH), "s"), id="time-geyue"),
    # --- measures: data → B (decimal prefixes) ---
    pytest.param("单个附件最大512KB。", "512KB", measure("512000", "B"), id="data-kb"),
    pytest.param("缓存为256MB。", "256MB", measure("256000000", "B"), id="data-mb"),
    pytest.param("标配8GB内存。", "8GB", measure("8000000000", "B"), id="data-gb"),
    pytest.param("存储容量达72TB。", "72TB", measure("72000000000000", "B"), id="data-tb"),
    pytest.param("数据总量达1.5PB。", "1.5PB", measure("1500000000000000", "B"), id="data-pb"),
    # --- measures: power, energy, voltage, temperature ---
    pytest.param("单灯功率500瓦。", "500瓦", measure("500", "W"), id="power-wa"),
    pytest.param("充电功率30千瓦。", "30千瓦", measure("30000", "W"), id="power-qianwa"),
    pytest.param("装机容量2兆瓦。", "2兆瓦", measure("2000000", "W"), id="power-zhaowa-is-mega"),
    pytest.param("总装机1.2吉瓦。", "1.2吉瓦", measure("1200000000", "W"), id="power-jiwa"),
    pytest.param(
        "年发电量3.6亿千瓦时。", "3.6亿千瓦时", measure("360000000000", "Wh"), id="energy-qianwashi"
    ),
    pytest.param("额定电压220伏。", "220伏", measure("220", "V"), id="voltage-fu"),
    pytest.param("建成50万伏变电站。", "50万伏", measure("500000", "V"), id="voltage-wan-fu"),
    pytest.param("最高气温37℃。", "37℃", measure("310.15", "K"), id="temp-celsius"),
    pytest.param("临界温度为96K。", "96K", measure("96", "K"), id="temp-kelvin"),
    # --- change words ---
    pytest.param(
        "社会消费品零售总额增长5.2%。", "5.2%", pct("5.2", change="increase"), id="change-zengzhang"
    ),
    pytest.param("能耗强度下降9.9%。", "9.9%", pct("9.9", change="decrease"), id="change-xiajiang"),
    pytest.param("研发强度提高2个百分点。", "2个百分点", pp("2", change="increase"), id="change-tigao"),
    pytest.param("亏损企业减少300家。", "300家", count("300", "家", change="decrease"), id="change-jianshao"),
    pytest.param("失业率回落0.3个百分点。", "0.3个百分点", pp("0.3", change="decrease"), id="change-huiluo"),
    pytest.param(
        "营业收入同比增长了12.5%。", "12.5%", pct("12.5", change="increase"), id="change-with-filler"
    ),
    pytest.param(
        "中间价较前一交易日调升56个基点。", "56个基点", pp("0.56", change="increase"), id="change-tiaosheng"
    ),
    pytest.param(
        "该行将贷款利率调降25个基点。", "25个基点", pp("0.25", change="decrease"), id="change-tiaojiang"
    ),
    pytest.param(
        "早稻减产1.5万吨。", "1.5万吨", measure("15000000", "kg", change="decrease"), id="change-jianchan"
    ),
    pytest.param("农民人均增收1200元。", "1200元", money("1200", change="increase"), id="change-zengshou"),
    pytest.param("人民币对美元升值2.3%。", "2.3%", pct("2.3", change="increase"), id="change-shengzhi"),
    pytest.param("日元兑美元贬值5%。", "5%", pct("5", change="decrease"), id="change-bianzhi"),
    pytest.param("贷款利率上浮10%。", "10%", pct("10", change="increase"), id="change-shangfu"),
    pytest.param("股价盘中下挫3.2%。", "3.2%", pct("3.2", change="decrease"), id="change-xiacuo"),
    pytest.param("股价涨停，涨幅10%。", "10%", pct("10", change="increase"), id="change-zhangfu"),
    pytest.param("该地区降水量较常年偏多2成。", "2成", pct("20", change="increase"), id="change-pianduo"),
    # a run's length is no change; 缩短/延长 are
    pytest.param("该市二手房价格连跌8个月。", "8个月", measure("20736000", "s"), id="streak-lian"),
    pytest.param("出口连续增长5年。", "5年", measure("157680000", "s"), id="streak-lianxu"),
    pytest.param("出口连续下降3.5%。", "3.5%", pct("3.5", change="decrease"), id="streak-not-duration"),
    pytest.param("工期缩短了30天。", "30天", measure("2592000", "s", change="decrease"), id="change-suoduan"),
    # a comparison says which way when no change word does
    pytest.param(
        "增速比全国高0.5个百分点。", "0.5个百分点", pp("0.5", change="increase"), id="comparative-gao"
    ),
    pytest.param(
        "失业率比上月低0.2个百分点。", "0.2个百分点", pp("0.2", change="decrease"), id="comparative-di"
    ),
    pytest.param(
        "就业人数比去年同期少3.5万人。",
        "3.5万人",
        count("35000", "人", change="decrease"),
        id="comparative-shao",
    ),
    pytest.param(
        "北方气温比南方低5℃。", "5℃", measure("5", "K", change="decrease"), id="comparative-temperature"
    ),
    pytest.param("工业比重高达30%。", "30%", pct("30", approx="over"), id="not-comparative-bizhong"),
    pytest.param(
        "平均气温较常年偏低1.2℃。", "1.2℃", measure("1.2", "K", change="decrease"), id="change-piandi"
    ),
    # a change word inside a rate's span, before its number
    pytest.param(
        "今夏每亩增产5.5公斤。", "5.5公斤", measure("5.5", "kg", change="increase"), id="change-in-rate"
    ),
    pytest.param("每股收益下降0.5元。", "0.5元", money("0.5", change="decrease"), id="change-in-rate-money"),
    # a change of temperature is a difference: the offset of ℃ is a level's alone
    pytest.param(
        "受冷空气影响，气温下降8℃。", "8℃", measure("8", "K", change="decrease"), id="temperature-drop"
    ),
    pytest.param("昼夜温差达15℃。", "15℃", measure("15", "K"), id="temperature-difference"),
    pytest.param("最高气温升至35℃。", "35℃", measure("308.15", "K"), id="temperature-level"),
    # a growth that is negative is a fall; the value stays as written
    pytest.param(
        "工业产值同比增长-2.1%。", "-2.1%", pct("-2.1", change="decrease"), id="change-negative-growth"
    ),
    pytest.param(
        "全年人口自然增长率为-0.99‰。", "-0.99‰", pct("-0.099", change="decrease"), id="change-negative-rate"
    ),
    pytest.param(
        "全年人口自然增长率为0.6‰。", "0.6‰", pct("0.06", change="increase"), id="change-positive-rate"
    ),
    pytest.param(
        "利润比上年下降-0.5%。", "-0.5%", pct("-0.5", change="decrease"), id="change-fall-as-written"
    ),
    # counter-examples: a level reached is not a change
    pytest.param("城镇调查失业率降至14.1%。", "14.1%", pct("14.1"), id="level-jiangzhi"),
    pytest.param("研发投入强度提高到3.5%。", "3.5%", pct("3.5"), id="level-tigaodao"),
    pytest.param("会员企业增至2000家。", "2000家", count("2000", "家"), id="level-zengzhi"),
    pytest.param(
        "全年国内生产总值134.9万亿元，比上年增长5.0%。",
        "134.9万亿元",
        money("134900000000000"),
        id="change-not-before-word",
    ),
    # --- change shared across joined figures ---
    pytest.param(
        "出口同比增长6.2%、0.2%。", "6.2%", pct("6.2", change="increase"), id="joined-first-increase"
    ),
    pytest.param(
        "出口同比增长6.2%、0.2%。", "0.2%", pct("0.2", change="increase"), id="joined-second-increase"
    ),
    pytest.param("进出口同比分别增长5.7%和1.7%。", "5.7%", pct("5.7", change="increase"), id="fenbie-first"),
    pytest.param("进出口同比分别增长5.7%和1.7%。", "1.7%", pct("1.7", change="increase"), id="fenbie-second"),
    pytest.param(
        "利润和收入分别下降3.1%和2.4%。", "2.4%", pct("2.4", change="decrease"), id="fenbie-decrease-second"
    ),
    # --- a unit shared with the next number ---
    pytest.param(
        "增速分别增长6.5个和0.3个百分点。", "6.5个", pp("6.5", change="increase"), id="shared-ge-pp-first"
    ),
    pytest.param(
        "增速分别增长6.5个和0.3个百分点。",
        "0.3个百分点",
        pp("0.3", change="increase"),
        id="shared-ge-pp-second",
    ),
    pytest.param(
        "分别增长6.5和0.3个百分点。", "6.5", pp("6.5", change="increase"), id="shared-bare-pp-first"
    ),
    pytest.param(
        "分别增长6.5和0.3个百分点。", "0.3个百分点", pp("0.3", change="increase"), id="shared-bare-pp-second"
    ),
    pytest.param(
        "进口和出口分别为24.46万亿元、16.75万亿元。",
        "24.46万亿元",
        money("24460000000000"),
        id="shared-enum-first",
    ),
    pytest.param(
        "进口和出口分别为24.46万亿元、16.75万亿元。",
        "16.75万亿元",
        money("16750000000000"),
        id="shared-enum-second",
    ),
    pytest.param("两市分别有12和15家企业入选。", "12", count("12", "家"), id="shared-bare-count"),
    pytest.param("两地分别投资1.2万和1.5万元。", "1.2万", money("12000"), id="shared-wan-money"),
    # --- failure classes of other tools ---
    pytest.param("两国元首举行会谈。", "两国", count("2", "国"), id="liang-guo-is-two"),
    pytest.param("新购两台设备。", "两台", count("2", "台"), id="liang-tai-is-two"),
    pytest.param("他称了三两茶叶。", "三两", measure("0.15", "kg"), id="liang-weight"),
]


@pytest.mark.parametrize(("sentence", "anchor", "expected"), FIGURES)
def test_figure_is_normalized(sentence: str, anchor: str, expected: Exp) -> None:
    _check(sentence, anchor, expected)


# A counter-example: (sentence, anchor, what must not be there). With `None`, no figure may overlap
# the anchor; with a dict, no figure overlapping the anchor may have those fields (str values compared
# as Decimal for "value").
NOT_FIGURES = [
    # --- Arabic digits, separators, full-width ---
    pytest.param("本届展会在1.1号馆举办。", "1.1号馆", None, id="decimal-in-hall-number"),
    pytest.param("乘坐地铁1,2号线均可到达。", "1,2号线", None, id="comma-list-not-separator"),
    pytest.param("报价12,3456元。", "12,3456元", {"value": "123456"}, id="sep-needs-groups-of-three"),
    pytest.param("沿Ｇ６０高速前行。", "Ｇ６０", None, id="fullwidth-code"),
    pytest.param("２０２５年１１月１０日开幕。", "２０２５年１１月１０日", None, id="fullwidth-date"),
    # --- CJK numerals and multipliers inside words ---
    pytest.param("千家万户受益。", "千家万户", None, id="qianjia-wanhu"),
    pytest.param("全心全意、一心一意为人民服务。", "一心一意", None, id="yixin-yiyi"),
    pytest.param("千万不要忘记，万万没想到。", "千万不要忘记，万万没想到", None, id="qianwan-adverb"),
    pytest.param("万一出现问题，要及时上报。", "万一", None, id="wanyi"),
    pytest.param(
        "新增岗位3万个，4000人已上岗。", "3万个，4000人", {"value": "34000"}, id="wan-digits-across-comma"
    ),
    pytest.param("兩岸同胞交流日益密切。", "兩岸", None, id="trad-liangan"),
    # --- approximations ---
    pytest.param("多家银行下调存款利率。", "多家", None, id="duo-without-number"),
    # --- ranges ---
    pytest.param("2020—2024年累计完成投资。", "2020—2024年", None, id="year-range"),
    pytest.param("会议于2024-11-21召开。", "2024-11-21", None, id="iso-date"),
    # --- percent, multiple, 成, fractions ---
    # 百分之百 (as in 百分之百的努力) is written as 100 % and read as one, like 100%的努力 would be;
    # "百分之" with no number after it is not a figure.
    pytest.param("以百分之几的幅度波动。", "百分之几", None, id="baifenzhi-no-number"),
    pytest.param("详见https://example.com/report?share=50%25&page=2。", "50%", None, id="percent-in-url"),
    pytest.param(
        "增速分别增长6.5个和0.3个百分点。", "6.5个", {"kind": "count"}, id="ge-before-pp-is-not-count"
    ),
    pytest.param("所选数必须是3的倍数。", "3的倍数", None, id="beishu"),
    pytest.param("物价一成不变。", "一成", None, id="yicheng-bubian"),
    pytest.param("牛排要五成熟。", "五成", None, id="wucheng-shu"),
    pytest.param("会议定于11/12召开。", "11/12", None, id="slash-date-not-fraction"),
    pytest.param("他和另一半一起来。", "另一半", None, id="ling-yiban"),
    # --- money ---
    pytest.param("李四人民币存款不多。", "李四人民币", {"kind": "money"}, id="name-before-renminbi"),
    pytest.param("1月1日元旦假期出行人数大增。", "1日元旦", {"kind": "money"}, id="ri-yuandan-not-jpy"),
    pytest.param("正月十五元宵节。", "十五元宵", None, id="yuanxiao"),
    # --- counts ---
    pytest.param("这是一个重要的时刻。", "一个", None, id="article-yige"),
    pytest.param("第一台50万伏超高压变压器下线。", "第一台", None, id="ordinal-diyitai"),
    pytest.param("两组评分分别为6.5和7.3。", "6.5和7.3", None, id="shared-without-any-unit"),
    # --- measures ---
    pytest.param("三年级学生参加体检。", "三年级", None, id="nianji"),
    pytest.param("80年代出生的一代人。", "80年代", None, id="niandai"),
    pytest.param("推出8K超高清电视。", "8K", None, id="display-8k"),
    pytest.param("建成5G基站。", "5G", None, id="5g"),
    pytest.param("装机容量2兆瓦。", "2兆瓦", {"value": "2000000000000"}, id="zhao-is-not-trillion-before-wa"),
    # --- dates and times ---
    pytest.param("2025年11月10日，第八届进博会在上海收官。", "2025年11月10日", None, id="full-date"),
    pytest.param("7月18日，展会开幕。", "7月18日", None, id="month-day"),
    pytest.param("会议于下午3点开始。", "下午3点", None, id="time-of-day"),
    pytest.param("列车14:30发车。", "14:30", None, id="clock-colon"),
    # --- ordinals ---
    pytest.param("2025年11月10日，第八届进博会在上海收官。", "第八届", None, id="ordinal-jie"),
    pytest.param("刊登于第36期。", "第36期", None, id="ordinal-qi"),
    # --- identifiers and codes ---
    pytest.param("国内统一连续出版物号CN 11—0237。", "CN 11—0237", None, id="cn-serial"),
    pytest.param("咨询电话(010)68667266。", "(010)68667266", None, id="phone"),
    pytest.param("G60科创走廊建设提速。", "G60", None, id="g60"),
    pytest.param("E20星云平台发布。", "E20", None, id="e20"),
    # --- names with numerals ---
    pytest.param("十四五规划收官之年。", "十四五", None, id="shisiwu"),
    pytest.param("党的二十届四中全会胜利召开。", "四中全会", None, id="sizhong-quanhui"),
    pytest.param("共建一带一路倡议。", "一带一路", None, id="yidai-yilu"),
    pytest.param("国家会展中心四叶草灯火通明。", "四叶草", None, id="siyecao"),
    # --- scores ---
    pytest.param("主队以8比1大胜。", "8比1", None, id="score"),
    # --- single characters inside ordinary words ---
    pytest.param("全国实行统一零售价。", "统一零售价", None, id="tongyi-lingshou"),
    pytest.param("把西瓜切两半。", "切两半", None, id="qie-liangban"),
    pytest.param("全国两会期间。", "两会", None, id="lianghui"),
]


@pytest.mark.parametrize(("sentence", "anchor", "forbidden"), NOT_FIGURES)
def test_not_a_figure(sentence: str, anchor: str, forbidden: dict[str, str] | None) -> None:
    assert_not_a_figure(sentence, anchor, forbidden)


# --- offsets index the original string (full-width digits, nothing normalized first) ---
def test_fullwidth_offsets_point_into_original() -> None:
    doc = "第一行。\n据统计，全市共有１２３家企业，同比增长５．２％。"
    figs = factx.extract_text(doc)
    for f in figs:
        assert f.text == doc[f.start : f.end]
    by_text = {f.text: f for f in figs}
    assert "１２３家" in by_text, show(figs)
    f = by_text["１２３家"]
    assert (f.start, f.end) == (doc.index("１２３家"), doc.index("１２３家") + 4)
    assert (f.line, f.column) == (2, doc.index("１２３家") - doc.index("\n"))
    assert (f.kind, f.value, f.unit, f.classifier) == ("count", Decimal(123), "count", "家")
    pct_fig = [g for g in figs if g.start <= doc.index("５．２％") < g.end]
    assert len(pct_fig) == 1, show(figs)
    assert (pct_fig[0].value, pct_fig[0].unit, pct_fig[0].change) == (Decimal("5.2"), "%", "increase")


# --- floats must not leak: exact Decimal in Python, plain number in JSON ---
EXACT_JSON = [
    pytest.param("公司全年实现营业收入1.57亿元。", "1.57亿元", "157000000", id="yi-1.57"),
    pytest.param("涂层厚度仅0.3毫米。", "0.3毫米", "0.0003", id="haomi-0.3"),
    pytest.param("净利润1.1亿元。", "1.1亿元", "110000000", id="yi-1.1"),
    pytest.param("全年社会消费品零售总额41.21万亿元。", "41.21万亿元", "41210000000000", id="wanyi-41.21"),
    pytest.param("年发电量3.6亿千瓦时。", "3.6亿千瓦时", "360000000000", id="qianwashi-3.6yi"),
    pytest.param("平均处理时长1.64小时。", "1.64小时", "5904", id="xiaoshi-1.64"),
    pytest.param("覆盖12.7平方公里。", "12.7平方公里", "12700000", id="pingfanggongli-12.7"),
    pytest.param("出口增长4.4%。", "4.4%", "4.4", id="percent-4.4"),
]


@pytest.mark.parametrize(("sentence", "anchor", "number"), EXACT_JSON)
def test_value_is_exact_in_python_and_json(sentence: str, anchor: str, number: str) -> None:
    start, end = span(sentence, anchor)
    hits = overlapping(factx.extract_text(sentence), start, end)
    assert len(hits) == 1, show(hits)
    fig = hits[0]
    assert isinstance(fig.value, Decimal)
    assert fig.value == Decimal(number)
    line = figure_line(fig)
    assert isinstance(line, bytes)
    text = line.decode("utf-8")
    assert re.search(r'"value":' + re.escape(number) + r"[,}]", text), text
    assert json.loads(text)["value"] == json.loads(number)


# --- long runs: no exception, no timeout, and not figures (their speed is measured by make bench) ---
LONG_RUNS = [
    pytest.param("编号", "7" * 5000, "个。", id="digits-then-measure-word"),
    pytest.param("金额", "1" * 5000, "元。", id="digits-then-currency"),
    pytest.param("", "9" * 5000, "", id="digits-alone"),
    pytest.param("", "一" * 1000, "", id="yi-run-alone"),
    pytest.param("共", "一" * 1000, "家企业。", id="yi-run-then-measure-word"),
]


@pytest.mark.parametrize(("before", "run", "after"), LONG_RUNS)
def test_long_run_is_not_a_figure(before: str, run: str, after: str) -> None:
    text = before + run + after
    result = factx.extract_document(text)
    assert result.problems == []
    start, end = len(before), len(before) + len(run)
    assert overlapping(result.figures, start, end) == [], show(result.figures)

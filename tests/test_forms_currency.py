"""Every currency, and the document's own (issue 11, points 6 and 7).

- The currency table (rules/11-currencies.yaml): every form of every currency reads as money in that
  currency after a multiplier, a thousands-separated number and a CJK numeral (before them for prefix
  forms); no form is defined twice; every code is a current ISO 4217 code, and every current code is
  in the table or left out for a reason stated here. Forms that start other words are guarded.
- The document's currency: a currency written with a figure always decides (人民幣…億元 stays CNY in
  a Hong Kong text); a bare 元 (億元, 萬元, 塊錢) takes the document's currency: CNY by default, set by
  ``--currency CODE`` or a pack's ``currency.document``, or decided per document by ``--currency auto``
  from the packs' cues. Each money record says ``currency_from``: text or document.

Expectations come from the output contract (money in ISO 4217, the amount in that currency) and from
what the documents are: a Hong Kong budget speech's 億元 are Hong Kong dollars, a Taiwan budget's are
New Taiwan dollars, never from what factx returns.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml
from figure_helpers import show
from typer.testing import CliRunner

import factx
from factx.cli import app
from factx.extract import CONTEXT_CHARS, DocumentInfo, DocumentScan, ScanOptions
from factx.normalize.currency import AUTO_CHARS, check_currency, currency_scores, decide_currency, text_script
from factx.packs import PackError, load_ruleset
from factx.run import ReadOptions, run_extract

REPO = Path(__file__).resolve().parent.parent
TABLE_PATH = REPO / "rules" / "11-currencies.yaml"
TABLE = yaml.safe_load(TABLE_PATH.read_text(encoding="utf-8"))
MONEY_UNITS: list[dict[str, Any]] = [u for u in TABLE["units"] if u["kind"] == "money"]

runner = CliRunner()


@pytest.fixture(autouse=True)
def _no_env_packs(monkeypatch: pytest.MonkeyPatch) -> None:
    """Packs named by FACTX_RULES in the caller's environment must not change what is tested."""
    monkeypatch.delenv("FACTX_RULES", raising=False)


# --- ISO 4217 ------------------------------------------------------------------------------------

# ISO 4217 list one, the codes in current use (after the 2024 changes: ZWG for ZWL, SLE for SLL;
# XCG from 2025 beside ANG, which it replaces).
ISO_4217 = {
    "AED", "AFN", "ALL", "AMD", "ANG", "AOA", "ARS", "AUD", "AWG", "AZN", "BAM", "BBD", "BDT", "BGN",
    "BHD", "BIF", "BMD", "BND", "BOB", "BOV", "BRL", "BSD", "BTN", "BWP", "BYN", "BZD", "CAD", "CDF",
    "CHE", "CHF", "CHW", "CLF", "CLP", "CNY", "COP", "COU", "CRC", "CUP", "CVE", "CZK", "DJF", "DKK",
    "DOP", "DZD", "EGP", "ERN", "ETB", "EUR", "FJD", "FKP", "GBP", "GEL", "GHS", "GIP", "GMD", "GNF",
    "GTQ", "GYD", "HKD", "HNL", "HTG", "HUF", "IDR", "ILS", "INR", "IQD", "IRR", "ISK", "JMD", "JOD",
    "JPY", "KES", "KGS", "KHR", "KMF", "KPW", "KRW", "KWD", "KYD", "KZT", "LAK", "LBP", "LKR", "LRD",
    "LSL", "LYD", "MAD", "MDL", "MGA", "MKD", "MMK", "MNT", "MOP", "MRU", "MUR", "MVR", "MWK", "MXN",
    "MXV", "MYR", "MZN", "NAD", "NGN", "NIO", "NOK", "NPR", "NZD", "OMR", "PAB", "PEN", "PGK", "PHP",
    "PKR", "PLN", "PYG", "QAR", "RON", "RSD", "RUB", "RWF", "SAR", "SBD", "SCR", "SDG", "SEK", "SGD",
    "SHP", "SLE", "SOS", "SRD", "SSP", "STN", "SVC", "SYP", "SZL", "THB", "TJS", "TMT", "TND", "TOP",
    "TRY", "TTD", "TWD", "TZS", "UAH", "UGX", "USD", "USN", "UYI", "UYU", "UYW", "UZS", "VED", "VES",
    "VND", "VUV", "WST", "XAF", "XAG", "XAU", "XBA", "XBB", "XBC", "XBD", "XCD", "XCG", "XDR", "XOF",
    "XPD", "XPF", "XPT", "XSU", "XTS", "XUA", "XXX", "YER", "ZAR", "ZMW", "ZWG",
}  # fmt: skip
# Codes in the list that are no currency a text states an amount in.
NOT_IN_THE_TABLE = {
    # funds codes and units of account: a bond's or an index's unit, not money a text counts in
    "BOV", "CHE", "CHW", "CLF", "COU", "MXV", "USN", "UYI", "UYW",
    # precious metals (troy ounces), the bond-market units, the SUCRE and the ADB unit of account
    "XAG", "XAU", "XPD", "XPT", "XBA", "XBB", "XBC", "XBD", "XSU", "XUA",
    # testing and "no currency"
    "XTS", "XXX",
    # Venezuela's digital bolívar: Chinese text writes 玻利瓦尔 for the bolívar soberano (VES)
    "VED",
}  # fmt: skip


def test_every_code_of_the_table_is_a_current_iso_4217_code() -> None:
    codes = {u["unit"] for u in MONEY_UNITS}
    assert sorted(codes - ISO_4217) == []


def test_every_current_currency_is_in_the_table() -> None:
    codes = {u["unit"] for u in MONEY_UNITS}
    assert sorted(ISO_4217 - NOT_IN_THE_TABLE - codes) == []
    assert len(codes) >= 155


def test_no_form_is_defined_twice() -> None:
    seen: dict[tuple[str, str], str] = {}
    for unit in TABLE["units"]:
        position = unit.get("position", "after")
        for form in unit["forms"]:
            key = (position, form)
            assert key not in seen, f"{form!r} ({position}) is both {seen[key]} and {unit['unit']}"
            seen[key] = unit["unit"]


def test_every_currency_has_a_chinese_name_and_the_common_ones_both_scripts() -> None:
    by_code: dict[str, set[str]] = {}
    for unit in MONEY_UNITS:
        if unit.get("position", "after") == "after":
            by_code.setdefault(unit["unit"], set()).update(unit["forms"])
    assert all(any("\u4e00" <= ch <= "\u9fff" for form in forms for ch in form) for forms in by_code.values())
    for code, traditional in {
        "EUR": "歐元", "GBP": "英鎊", "TWD": "新臺幣", "HKD": "港幣", "MOP": "澳門元", "KRW": "韓元",
        "RUB": "盧布", "THB": "泰銖", "DKK": "丹麥克朗", "KZT": "哈薩克斯坦堅戈", "NZD": "紐元",
        "AUD": "澳幣", "ILS": "以色列新謝克爾", "EGP": "埃及鎊", "PHP": "菲律賓比索", "CNY": "人民幣",
    }.items():  # fmt: skip
        assert traditional in by_code[code], f"{code} has no traditional form {traditional}"


# --- a figure in every currency ------------------------------------------------------------------

# Each number is written three ways: after a multiplier (a rare currency after 亿 used to fall back to
# a plain count), with thousands separators, and in CJK numerals.
NUMBERS = [("3.5亿", Decimal("350000000")), ("1,250", Decimal(1250)), ("四千", Decimal(4000))]


def _factor(unit: dict[str, Any]) -> Decimal:
    return Decimal(str(unit.get("factor", 1)))


@pytest.mark.parametrize("unit", MONEY_UNITS, ids=lambda u: f"{u['unit']}-{u['forms'][0]}")
def test_a_figure_in_every_form_of_every_currency(unit: dict[str, Any]) -> None:
    before = unit.get("position", "after") == "before"
    failures = []
    for form in unit["forms"]:
        for number, value in NUMBERS:
            written = f"{form}{number}" if before else f"{number}{form}"
            sentence = f"该项目合同金额为{written}，已全部到位。"
            figs = factx.extract_text(sentence)
            want = (written, "money", value * _factor(unit), unit["unit"])
            if [(f.text, f.kind, f.value, f.unit) for f in figs] != [want]:
                failures.append(f"{sentence}: {show(figs)}")
    assert failures == []


@pytest.mark.parametrize(
    ("sentence", "text", "value", "unit"),
    [
        # after 万/亿: a rare currency is money in it, not a count
        ("哈萨克斯坦央行投放2万亿哈萨克斯坦坚戈稳定汇市。", "2万亿哈萨克斯坦坚戈", "2000000000000", "KZT"),
        ("挪威主权基金上半年亏损1.2万亿挪威克朗。", "1.2万亿挪威克朗", "1200000000000", "NOK"),
        ("墨西哥比索兑美元汇率走低，央行抛售120亿墨西哥比索。", "120亿墨西哥比索", "12000000000", "MXN"),
        ("南非电力公司获得2540亿南非兰特救助。", "2540亿南非兰特", "254000000000", "ZAR"),
        ("土耳其通胀高企，最低工资上调至17002土耳其里拉。", "17002土耳其里拉", "17002", "TRY"),
        ("阿联酋迪拜世博会带动消费超过400亿阿联酋迪拉姆。", "400亿阿联酋迪拉姆", "40000000000", "AED"),
        ("埃及政府发行了30亿埃及镑国债。", "30亿埃及镑", "3000000000", "EGP"),
        ("尼日利亚中央银行注资7500亿奈拉。", "7500亿奈拉", "750000000000", "NGN"),
        ("瑞典克朗升值，出口企业损失约80亿瑞典克朗。", "80亿瑞典克朗", "8000000000", "SEK"),
        ("菲律宾央行报告称，侨汇达1.9万亿菲律宾比索。", "1.9万亿菲律宾比索", "1900000000000", "PHP"),
        ("以色列国防预算增加至1180亿以色列新谢克尔。", "1180亿以色列新谢克尔", "118000000000", "ILS"),
        ("阿根廷政府为低收入家庭发放6万阿根廷比索补贴。", "6万阿根廷比索", "60000", "ARS"),
        ("印尼盾贬值，政府拨款300万亿印度尼西亚盾。", "300万亿印度尼西亚盾", "300000000000000", "IDR"),
        ("世行向孟加拉提供50亿塔卡贷款。", "50亿塔卡", "5000000000", "BDT"),
        ("基金组织分配了6500亿特别提款权。", "6500亿特别提款权", "650000000000", "XDR"),
        # traditional script
        ("丹麥央行干預匯市，賣出250億丹麥克朗。", "250億丹麥克朗", "25000000000", "DKK"),
        ("歐洲央行宣布購債規模增至1.85萬億歐元。", "1.85萬億歐元", "1850000000000", "EUR"),
        ("他在澳洲工作，年薪9萬澳幣。", "9萬澳幣", "90000", "AUD"),
        ("紐西蘭政府撥款12億紐元重建基建。", "12億紐元", "1200000000", "NZD"),
        ("該公司第三季營收為新臺幣2,581億元。", "新臺幣2,581億元", "258100000000", "TWD"),
        ("俄羅斯央行預計今年盧布計價赤字達3.3萬億盧布。", "3.3萬億盧布", "3300000000000", "RUB"),
        ("韓國政府編列656兆韓圜預算。", "656兆韓圜", "656000000000000", "KRW"),
        # forms of everyday text
        ("他说这次出差花了两千美金。", "两千美金", "2000", "USD"),
        ("每份套餐售价88美圆。", "88美圆", "88", "USD"),
        ("這杯咖啡賣45蚊。", "45蚊", "45", "HKD"),
        ("汇率跌到1欧元兑1.08美元。", "1欧元", "1", "EUR"),
        # subunits
        ("油价每加仑上涨了12美分。", "12美分", "0.12", "USD"),
        ("该股收于85歐分。", "85歐分", "0.85", "EUR"),
        ("巴士車費加價30港仙。", "30港仙", "0.3", "HKD"),
        ("邮票面值为68便士。", "68便士", "0.68", "GBP"),
        # symbols before the number
        ("首尔一套公寓售价₩12亿。", "₩12亿", "1200000000", "KRW"),
        ("该公司在澳洲融资A$3.5亿。", "A$3.5亿", "350000000", "AUD"),
    ],
)
def test_a_currency_read_in_a_sentence(sentence: str, text: str, value: str, unit: str) -> None:
    figs = [f for f in factx.extract_text(sentence) if f.text == text]
    assert [(f.kind, f.value, f.unit, f.currency_from) for f in figs] == [
        ("money", Decimal(value), unit, "text")
    ], show(factx.extract_text(sentence))


@pytest.mark.parametrize(
    ("sentence", "word"),
    [
        # the start of a name, not a currency after a number (a year, a count before it)
        ("1895卢布尔雅那大地震后城市重建。", "卢布尔雅那"),
        ("2019基普乔格在维也纳跑进两小时。", "基普乔格"),
        ("1775列克星敦的枪声拉开了战争序幕。", "列克星敦"),
        ("2024雷亚尔马德里再夺欧冠。", "雷亚尔马德里"),
        ("2026卢比奥访华的消息传出。", "卢比奥"),
        ("2023腾格里沙漠治理工程启动。", "腾格里"),
        ("9月5日元旦假期的安排公布了。", "元旦"),
        # names that are short forms of several currencies are not read as any of them
        ("央行抛售了5亿比索。", "比索"),
        ("出口收入达80亿克朗。", "克朗"),
        ("他兑换了300第纳尔。", "第纳尔"),
    ],
)
def test_a_word_that_starts_like_a_currency_is_no_money(sentence: str, word: str) -> None:
    start = sentence.index(word)
    figs = [f for f in factx.extract_text(sentence) if f.kind == "money" and f.end > start]
    assert figs == [], show(figs)


# --- the document's currency ---------------------------------------------------------------------

HK_BUDGET = (
    "財政司司長今日在立法會發表新年度財政預算案。政府預計綜合赤字為872億元，財政儲備將減至6,473億元。"
    "特區政府會向每名合資格市民發放2,000元電子消費券，並預留200億元支持香港創科發展。"
    "另外，政府今年發行人民幣債券共45億元人民幣，以及總值550億港元的基建債券。"
)
HK_RELEASE_SIMPLIFIED = (
    "香港特区政府今日公布，立法会财务委员会批准拨款120亿元，用于兴建公屋。财政司司长表示，"
    "政府亦会为强积金账户供款，每人最多3,000元。"
)
TW_NEWS = (
    "行政院今天通過明年度總預算案，歲出規模達2兆8,881億元，較今年增加1,027億元。"
    "主計總處表示，臺灣經濟成長率預估為3.1%，政府將發放每人6,000元普發現金，"
    "另編列美金5億元採購疫苗。"
)
TW_COLLOQUIAL = "台北夜市的滷肉飯一碗賣40塊錢，比去年漲了5塊錢。"
MACAU_NEWS = (
    "澳門特區政府公布，上半年博彩毛收入為1,064億元，按年上升。經濟財政司表示，"
    "將向每名永久居民發放10,000元現金分享，路氹城新項目投資約30億元。"
)
MAINLAND_NEWS = (
    "国家统计局今天发布，前三季度全国居民人均可支配收入30,941元，同比增长5.3%。"
    "社会消费品零售总额35.4万亿元，其中对香港出口额按港元计约合1200亿港元。"
)
MAINLAND_MARKET = (
    "周四沪指收涨0.8%，沪深两市成交额1.12万亿元。港股方面，香港恒指收涨1.2%，"
    "南向资金净买入56亿港元，腾讯控股成交额达80亿元。"
)
TRADITIONAL_NO_CUE = "這家公司去年營收達到120億元，淨利為15億元，每股配發現金股利3元。"
NEUTRAL = "收入5000元。"


def money(
    text: str, currency: str | None = None, rules: list[Path] | None = None
) -> list[tuple[str, str, str]]:
    """The money figures of ``text`` scanned with document currency ``currency``: text, unit, from."""
    rs = load_ruleset(rules) if rules else None
    figs = factx.extract_text(text, ruleset=rs, options=ScanOptions(currency=currency))
    return [(f.text, f.unit, f.currency_from or "") for f in figs if f.kind == "money"]


# The budget's money as Hong Kong dollars: what auto decides and what --currency HKD sets alike.
HK_BUDGET_AS_HKD = [
    ("872億元", "HKD", "document"),
    ("6,473億元", "HKD", "document"),
    ("2,000元", "HKD", "document"),
    ("200億元", "HKD", "document"),
    ("45億元人民幣", "CNY", "text"),
    ("550億港元", "HKD", "text"),
]


@pytest.mark.parametrize(
    ("text", "option", "expected"),
    [
        # Hong Kong: the budget's 億元 are Hong Kong dollars; the currencies written keep their own
        pytest.param(
            HK_BUDGET,
            "auto",
            HK_BUDGET_AS_HKD,
            id="hong-kong-budget-auto",
        ),
        pytest.param(
            HK_BUDGET,
            "HKD",
            HK_BUDGET_AS_HKD,
            id="hong-kong-budget-hkd",
        ),
        # the same budget read as CNY (the default): only the written currencies differ from it
        pytest.param(
            HK_BUDGET,
            None,
            [
                ("872億元", "CNY", "document"),
                ("6,473億元", "CNY", "document"),
                ("2,000元", "CNY", "document"),
                ("200億元", "CNY", "document"),
                ("45億元人民幣", "CNY", "text"),
                ("550億港元", "HKD", "text"),
            ],
            id="hong-kong-budget-default",
        ),
        # a Hong Kong government release in simplified script: the cues outweigh the script
        pytest.param(
            HK_RELEASE_SIMPLIFIED,
            "auto",
            [("120亿元", "HKD", "document"), ("每人最多3,000元", "HKD", "document")],
            id="hong-kong-simplified-auto",
        ),
        # Taiwan: 億元 and 兆 are New Taiwan dollars; 美金 written before the number decides
        pytest.param(
            TW_NEWS,
            "auto",
            [
                ("2兆8,881億元", "TWD", "document"),
                ("1,027億元", "TWD", "document"),
                ("每人6,000元", "TWD", "document"),
                ("美金5億元", "USD", "text"),
            ],
            id="taiwan-news-auto",
        ),
        # 块 with 毛 after it is money (a measure word alone): the local dollar too
        pytest.param(
            "這碗牛肉麵漲到一百二十塊五毛，臺北市民抱怨連連。",
            "auto",
            [("一百二十塊五毛", "TWD", "document")],
            id="taiwan-kuai-mao-auto",
        ),
        pytest.param(
            TW_COLLOQUIAL,
            "auto",
            [("40塊錢", "TWD", "document"), ("5塊錢", "TWD", "document")],
            id="taiwan-kuai-auto",
        ),
        pytest.param(
            MACAU_NEWS,
            "auto",
            [
                ("1,064億元", "MOP", "document"),
                ("10,000元", "MOP", "document"),
                ("30億元", "MOP", "document"),
            ],
            id="macau-auto",
        ),
        # the mainland: a text that quotes 港元 (and names 香港) among its bare 元 stays CNY
        pytest.param(
            MAINLAND_NEWS,
            "auto",
            [
                ("30,941元", "CNY", "document"),
                ("35.4万亿元", "CNY", "document"),
                ("1200亿港元", "HKD", "text"),
            ],
            id="mainland-quoting-hkd-auto",
        ),
        pytest.param(
            MAINLAND_MARKET,
            "auto",
            [("1.12万亿元", "CNY", "document"), ("56亿港元", "HKD", "text"), ("80亿元", "CNY", "document")],
            id="mainland-market-wrap-auto",
        ),
        # --currency sets every bare 元, whatever the text: 人民币 written stays CNY
        pytest.param(
            "公司以人民币3.6亿元收购该项目，另支付1.2亿元。",
            "TWD",
            [("人民币3.6亿元", "CNY", "text"), ("1.2亿元", "TWD", "document")],
            id="mainland-text-told-twd",
        ),
        # traditional script with no cue at all: most such text is from Taiwan (the first listed)
        pytest.param(
            TRADITIONAL_NO_CUE,
            "auto",
            [("120億元", "TWD", "document"), ("15億元", "TWD", "document"), ("3元", "TWD", "document")],
            id="traditional-no-cue-auto",
        ),
        # nothing to go by: the local forms' own unit
        pytest.param(NEUTRAL, "auto", [("5000元", "CNY", "document")], id="no-cue-auto"),
    ],
)
def test_the_document_currency(text: str, option: str | None, expected: list[tuple[str, str, str]]) -> None:
    assert money(text, option) == expected


@pytest.mark.parametrize(
    ("text", "script"),
    [
        (HK_BUDGET, "traditional"),
        (TW_NEWS, "traditional"),
        (MAINLAND_NEWS, "simplified"),
        (HK_RELEASE_SIMPLIFIED, "simplified"),
        ("5000元", None),
    ],
)
def test_the_script_of_a_text(text: str, script: str | None) -> None:
    assert text_script(text, load_ruleset()) == script


def test_a_quoted_currency_is_one_cue_however_often_it_is_written() -> None:
    rs = load_ruleset()
    once = MAINLAND_NEWS
    often = MAINLAND_NEWS + "折合1200亿港元。" * 20 + "港币汇率稳定。"
    assert currency_scores(often, rs) == currency_scores(once, rs)
    assert decide_currency(often, rs) == "CNY"


def test_non_money_figures_have_no_currency_from() -> None:
    figs = factx.extract_text("全年新增就业1256万人，增长5.3%，收入30,941元。")
    assert [(f.kind, f.currency_from) for f in figs] == [
        ("count", None),
        ("percent", None),
        ("money", "document"),
    ]


def test_a_currency_code_is_checked_and_written_in_capitals() -> None:
    rs = load_ruleset()
    assert check_currency("hkd", rs) == "HKD"
    assert check_currency("AUTO", rs) == "auto"
    with pytest.raises(ValueError, match="not 'XYZ'"):
        check_currency("XYZ", rs)
    with pytest.raises(ValueError):
        factx.extract_text("收入5000元。", options=ScanOptions(currency="元"))


def test_run_extract_refuses_an_unknown_currency_before_reading(tmp_path: Path) -> None:
    doc = tmp_path / "a.txt"
    doc.write_text("收入5000元。", encoding="utf-8")
    with pytest.raises(ValueError, match="--currency"):
        run_extract([doc], tmp_path / "out.jsonl", options=ReadOptions(scan=ScanOptions(currency="ZZZ")))
    assert not (tmp_path / "out.jsonl").exists()


# --- a long document: decided once, from its first piece -------------------------------------------


def scan(text: str, piece_chars: int, slice_chars: int, currency: str = "auto") -> list[dict[str, Any]]:
    # Without the context stage: what it finds across pieces is test_run's to check, the currency ours.
    options = ScanOptions(context=False, currency=currency)
    scanner = DocumentScan(DocumentInfo("doc.txt", "doc.txt"), piece_chars=piece_chars, options=options)
    out = []
    for i in range(0, len(text), slice_chars):
        out.extend(scanner.feed(text[i : i + slice_chars]))
    out.extend(scanner.finish())
    return [json.loads(f.model_dump_json()) for f in out]


FILLER = "會議討論了多項議題，與會者交換了意見。"
PIECE = 4 * CONTEXT_CHARS  # the smallest piece a scan takes


def test_auto_decides_once_and_the_later_pieces_keep_to_it() -> None:
    # Hong Kong cues only at the start; bare 元 figures in every later piece.
    text = HK_BUDGET + "".join(FILLER * 20 + f"第{i}項撥款{i * 10}億元。" for i in range(1, 30))
    assert len(text) > 5 * PIECE
    whole = scan(text, piece_chars=10**9, slice_chars=len(text))
    later = [(r["unit"], r["currency_from"]) for r in whole if r["sentence"].startswith("第")]
    assert len(later) == 29
    assert set(later) == {("HKD", "document")}
    for piece_chars, slice_chars in [(PIECE, 777), (PIECE + 501, 4096), (3 * PIECE, 97)]:
        assert scan(text, piece_chars, slice_chars) == whole


def test_auto_reads_only_the_start_of_the_first_piece() -> None:
    # The Hong Kong cues stand after the part auto reads: the document stays with the default,
    # though read whole it would be Hong Kong's.
    filler = "会议讨论了多项议题，与会者交换了意见。"
    text = "收入5000元。" + filler * (AUTO_CHARS // len(filler) + 1) + HK_BUDGET
    assert decide_currency(text, load_ruleset()) == "HKD"
    assert [r["unit"] for r in scan(text, 10**9, len(text)) if r["text"] == "5000元"] == ["CNY"]


# --- the pack setting ---------------------------------------------------------------------------


def write_pack(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "local.yaml"
    path.write_text(body, encoding="utf-8")
    return path


def test_a_pack_sets_the_document_currency_and_the_option_overrides_it(tmp_path: Path) -> None:
    pack = write_pack(tmp_path, "pack: taipei\ncurrency:\n  document: TWD\n")
    text = "公司以人民幣3.6億元收購該項目，另支付1.2億元。"
    assert money(text, rules=[pack]) == [("人民幣3.6億元", "CNY", "text"), ("1.2億元", "TWD", "document")]
    assert money(text, "HKD", rules=[pack])[1] == ("1.2億元", "HKD", "document")


def test_a_pack_adds_a_local_form_and_a_cue(tmp_path: Path) -> None:
    pack = write_pack(
        tmp_path,
        """pack: colloquial
units:
  - {forms: [箍], kind: money, unit: CNY}
currency:
  local_forms: [箍]
  auto:
    TWD: {script: traditional, cues: [夜市]}
""",
    )
    assert money("逛夜市花了300箍。", "auto", rules=[pack]) == [("300箍", "TWD", "document")]
    # the pack's TWD replaces the built-in entry, in its place: 夜市 is its only cue word now
    scores = currency_scores("臺北市政府", load_ruleset([pack]))
    assert list(scores) == ["CNY", "TWD", "HKD", "MOP"]
    assert scores["TWD"] == 3  # the script alone; 臺北 no longer counts


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            "currency:\n  document: XYZ\n",
            "currency.document: 'XYZ' is neither auto nor the unit of a money unit",
        ),
        ("currency:\n  local_forms: [蚊子]\n", "currency.local_forms: '蚊子' is not the form of a unit"),
        (
            "currency:\n  auto:\n    HDK: {cues: [香港]}\n",
            "currency.auto: 'HDK' is not the unit of a money unit",
        ),
        ("currency:\n  auto:\n    HKD: {script: cantonese}\n", "script"),
    ],
)
def test_a_bad_currency_section_is_a_pack_error(tmp_path: Path, body: str, message: str) -> None:
    pack = write_pack(tmp_path, "pack: bad\n" + body)
    with pytest.raises(PackError) as caught:
        load_ruleset([pack])
    assert message in str(caught.value)
    assert "local.yaml:" in str(caught.value)


# --- the command line ------------------------------------------------------------------------------


@pytest.fixture
def docs(tmp_path: Path) -> Path:
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "hk.txt").write_text(HK_BUDGET, encoding="utf-8")
    (folder / "cn.txt").write_text(MAINLAND_NEWS, encoding="utf-8")
    return folder


def cli_money(args: list[str]) -> list[tuple[str, str, str, str]]:
    result = runner.invoke(app, ["extract", "-q", "--jobs", "1", *args])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    return [
        (Path(r["doc"]).name, r["text"], r["unit"], r["currency_from"]) for r in rows if r["kind"] == "money"
    ]


def test_cli_currency_code(docs: Path) -> None:
    got = cli_money(["--currency", "hkd", str(docs)])
    assert ("cn.txt", "35.4万亿元", "HKD", "document") in got
    assert ("hk.txt", "872億元", "HKD", "document") in got
    assert ("hk.txt", "45億元人民幣", "CNY", "text") in got


def test_cli_currency_auto_decides_per_document(docs: Path) -> None:
    got = cli_money(["--currency", "auto", str(docs)])
    assert ("cn.txt", "35.4万亿元", "CNY", "document") in got
    assert ("hk.txt", "872億元", "HKD", "document") in got


def test_cli_default_is_cny(docs: Path) -> None:
    got = cli_money([str(docs)])
    assert {unit for _, text, unit, source in got if source == "document"} == {"CNY"}


@pytest.mark.parametrize("bad", ["XYZ", "元", "hk", ""])
def test_cli_bad_currency_is_a_usage_error(docs: Path, bad: str) -> None:
    result = runner.invoke(app, ["extract", "-q", "--currency", bad, str(docs)])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "--currency must be auto or the ISO 4217 code" in result.stderr
    assert "Traceback" not in result.output

"""Offsets hold on any text: every figure of ``extract_text`` slices back out of the document as is.

Documents are random concatenations of noise (Chinese, ASCII, full-width, traditional characters,
newlines, emoji, combining marks), numbers (Arabic and CJK), multipliers, units and qualifiers, so
figures sit next to each other and next to everything that could shift an offset.
"""

from __future__ import annotations

from decimal import Decimal

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import factx
from factx.context.sentences import count_line_breaks
from factx.records import Figure

FULL_WIDTH = str.maketrans("0123456789.,", "０１２３４５６７８９．，")
CN_DIGITS = "零一二三四五六七八九"
CN_DIGITS_TRAD = "零壹貳參肆伍陸柒捌玖"

NOISE = [
    "的", "我们", "经济", "同比", "增长", "下降", "今年", "全市", "企业", "国家", "其中",
    "億", "萬", "兩", "點", "貳", "經濟", "與",
    "１２３", "４５．６", "ＡＢＣ", "，", "。", "！", "？", "；", "：", "（", "）",
    "“", "”", "、", "《", "》",
    "\n", "\n\n", "\r\n", "\u3000", " ", "\t", "\u00a0",
    "😀", "👍🏽", "🇨🇳", "👨‍👩‍👧", "e\u0301", "\u0301", "\u0308", "\u200b", "\ufeff",
    "abc", "GDP", "G60", "5G", "CN 11—0237", "2024-11-21", "14:30", "第", "届", "年", "月", "日", "号",
    "-", ".", ",", "/", "%", "+", "=", "#", "@", "·", "…", "—",
]  # fmt: skip
MULTIPLIERS = ["万", "亿", "万亿", "千", "百", "十", "萬", "億", "兆", "千万", "百万"]
UNITS = [
    "元", "美元", "欧元", "港元", "人民币", "元人民币", "块钱", "%", "％", "‰", "个百分点", "个", "基点",
    "家", "个", "項", "项", "人", "人次", "倍", "平方公里", "平方米", "公里", "米", "毫米", "微米", "吨",
    "公斤", "千克", "小时", "天", "秒", "分钟", "年", "个月", "TB", "GB", "兆瓦", "千瓦时", "亩",
    "万元/平方米", "美元/桶", "公斤/亩",
]  # fmt: skip
PREFIX_UNITS = ["US$", "HK$", "￥", "¥", "€", "£", "人民币"]
QUALIFIERS = [
    "约", "大约", "超过", "超", "逾", "突破", "近", "将近", "接近", "不到", "不足", "多", "余", "以上",
    "以下", "左右", "至", "到", "-", "～", "~", "—", "和", "、", "或",
]  # fmt: skip


def cjk_section(n: int, digits: str = CN_DIGITS) -> str:
    """0 < n < 10⁴ in CJK numerals: 十二 is 一十二 here, both are written."""
    out = ""
    zero = False
    for value, place in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        d, n = divmod(n, value)
        if d:
            out += (digits[0] if zero else "") + digits[d] + place
            zero = False
        elif out:
            zero = True
    return out


def cjk(n: int, digits: str = CN_DIGITS) -> str:
    """A CJK numeral for 0 ≤ n < 10⁸ (一百零五, 三万四千, 一万零五), in simplified or financial digits."""
    if n == 0:
        return digits[0]
    high, low = divmod(n, 10_000)
    out = cjk_section(high, digits) + "万" if high else ""
    if low:
        out += (digits[0] if high and low < 1000 else "") + cjk_section(low, digits)
    return out


@st.composite
def arabic(draw: st.DrawFn) -> str:
    whole = draw(st.integers(0, 10**13))
    style = draw(st.sampled_from(["plain", "comma", "decimal", "lead0"]))
    if style == "comma":
        text = f"{whole:,}"
    elif style == "decimal":
        text = f"{whole % 100_000}.{draw(st.integers(0, 9999))}"
    elif style == "lead0":
        text = f"0{whole % 1000}"
    else:
        text = str(whole % draw(st.sampled_from([10, 100, 10_000, 10**13])))
    if draw(st.booleans()) and draw(st.booleans()):
        text = text.translate(FULL_WIDTH)
    return text


@st.composite
def chinese(draw: st.DrawFn) -> str:
    n = draw(st.integers(0, 99_999_999))
    text = cjk(n, draw(st.sampled_from([CN_DIGITS, CN_DIGITS_TRAD])))
    variant = draw(st.sampled_from(["as is", "two", "point", "placeholder"]))
    if variant == "two":
        text = text.replace("二", "两", 1)
    elif variant == "point":
        text += draw(st.sampled_from(["点", "點"])) + cjk(draw(st.integers(0, 9)))
    elif variant == "placeholder":
        text = draw(st.sampled_from(["几", "数", "幾"])) + draw(st.sampled_from(["十", "百", "千", "万"]))
    return text


numbers = st.one_of(arabic(), chinese())
multipliers = st.sampled_from(MULTIPLIERS)
units = st.sampled_from(UNITS)
qualifiers = st.sampled_from(QUALIFIERS)
noise = st.one_of(
    st.sampled_from(NOISE),
    st.text(st.sampled_from("".join(NOISE) + "１２３０．，億萬兩點一二十百千万亿"), max_size=6),
)


@st.composite
def figure_like(draw: st.DrawFn) -> str:
    """Something shaped like a figure: [qualifier] [prefix] number [multiplier] [unit] [qualifier]."""
    parts = []
    if draw(st.booleans()):
        parts.append(draw(qualifiers))
    if draw(st.integers(0, 5)) == 0:
        parts.append(draw(st.sampled_from(PREFIX_UNITS)))
    parts.append(draw(numbers))
    if draw(st.booleans()):
        parts.append(draw(multipliers))
    if draw(st.integers(0, 4)):
        parts.append(draw(units))
    if draw(st.booleans()):
        parts.append(draw(qualifiers))
    return "".join(parts)


documents = st.lists(
    st.one_of(noise, numbers, multipliers, units, qualifiers, figure_like(), figure_like()),
    max_size=40,
).map("".join)


def check(doc: str, figures: list[Figure]) -> None:
    previous: Figure | None = None
    for f in figures:
        assert f.start < f.end, f
        assert f.start >= 0 and f.end <= len(doc), f
        assert doc[f.start : f.end] == f.text, f
        assert 0 <= f.sentence_start <= f.sentence_end <= len(doc), f
        assert doc[f.sentence_start : f.sentence_end] == f.sentence, f
        # a line ends at LF, CRLF or a lone CR
        assert f.line == count_line_breaks(doc, 0, f.start) + 1, f
        line_start = max(doc.rfind("\n", 0, f.start), doc.rfind("\r", 0, f.start)) + 1
        assert f.column == f.start - line_start + 1, f
        assert isinstance(f.value, Decimal) and f.value.is_finite(), f
        if f.value_high is not None:
            assert isinstance(f.value_high, Decimal) and f.value_high.is_finite(), f
        assert f.kind and f.unit, f
        if previous is not None:
            assert previous.start < f.start, (previous, f)  # sorted
            assert previous.end <= f.start, (previous, f)  # non-overlapping
        previous = f


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents)
@example("出口2.35万亿元，同比增长5.7%。")
@example("１２３万元和兩億元，約三點五萬噸")
@example("😀5%👍🏽 e\u0301 4108家\u0301 约60%左右")
@example("增长6.5个和0.3个百分点，24.46万亿元、16.75万亿元\r\n3至5年")
@example("\ufeff共有155个\n\n国家，10\n\n个城市")
def test_every_figure_slices_back_out_of_the_document(doc: str) -> None:
    check(doc, factx.extract_text(doc))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents)
@example("出口2.35万亿元，同比增长5.7%。")
def test_every_figure_lies_inside_its_sentence(doc: str) -> None:
    for f in factx.extract_text(doc):
        assert f.sentence_start <= f.start and f.end <= f.sentence_end, (f.text, f.sentence)


def test_the_generator_makes_documents_with_figures() -> None:
    """The property above is not vacuous: these building blocks do make figures."""
    found = [f.text for f in factx.extract_text("约" + cjk(3_400_000) + "元，" + "１２．５" + "亿" + "美元")]
    assert found == ["三百四十万元", "１２．５亿美元"]
    assert cjk(105) == "一百零五" and cjk(34_000) == "三万四千" and cjk(10_005) == "一万零五"

"""Long and hostile inputs: text without sentence ends, and runs built to make a regex re-read or backtrack.

The hostile runs (thousands separators, magnitudes between digits, magnitudes after a compound unit …)
each made a built-in rule quadratic, cubic or exponential once. They run here at a size where linear
extraction takes a fraction of a second and the old behaviour would take minutes or forever, all in one
child process under a generous hang guard: a guard against a hang, not a speed assertion. Each case also
states what the text holds, so a fix that stops the hang by finding nothing would fail.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

import pytest
from figure_helpers import run_guarded_child, value_ok

import factx
from factx.context.sentences import MAX_REACH

HANG_GUARD_S = 60  # the whole batch; linear extraction of it takes a few seconds on a loaded machine

Results = dict[str, dict[str, Any]]  # case name → its figures as [text, value] and whether spans match


@dataclass(frozen=True)
class Hostile:
    """``head + run * times + tail`` and the figures it holds, as (text, value) in document order; a
    value that is no short decimal is a Fraction, compared within a relative 1e-9."""

    name: str
    run: str
    times: int
    figures: list[tuple[str, str | Fraction]]
    head: str = ""
    tail: str = ""


HOSTILE = [
    # Thousands separators: every group after a comma was a fresh start that re-read the rest.
    Hostile("comma groups, a unit after the last", "123,", 50_000, [("5亿元", "500000000")], "收入", "5亿元"),
    Hostile("comma groups, no unit", "123,", 25_000, []),
    # After a head that is no group (1234,), the first group starts a number; the ones after it do not.
    Hostile("comma groups after a four-digit head", "567,", 50_000, [("8个", "8")], "1234,", "8个"),
    # One well-formed number of 150,000 digits is an identifier, not a quantity; nor is any part of it.
    Hostile("one grouped number too long to count", "234,", 50_000, [], "1,", "567元"),
    Hostile("full-width comma groups", "123，", 12_500, [("5亿元", "500000000")], "", "5亿元"),
    Hostile("space-separated groups", "123 ", 12_500, [("5亿元", "500000000")], "", "5亿元"),
    Hostile("dotted groups", "1.", 25_000, []),
    # An Arabic number reads on across magnitudes (3万4000): each digit after 万 re-read the rest.
    Hostile("magnitudes between digits", "1万", 30_000, [], "", "1"),
    Hostile("places and magnitudes between digits", "1千万", 30_000, [], "", "1"),
    Hostile("magnitudes and 多 between digits", "1万多", 20_000, [], "", "1"),
    # After 小时 the minutes may be CJK: a run of 万 had 2ⁿ readings before failing.
    Hostile("magnitudes after hours", "万", 20_000, [("1小时", "3600")], "1小时一"),
    # A fraction's denominator over a run of 万 failed in cubic time.
    Hostile("magnitudes before 分之", "万", 20_000, [], "三", "分之X"),
    # CJK decimals were gathered by adding to a string, a copy per digit: quadratic (13 s here).
    Hostile(
        "CJK decimals",
        "五",
        1_000_000,
        [("一点" + "五" * 1_000_000 + "亿元", Fraction(14, 9) * 10**8)],
        "规模达一点",
        "亿元",
    ),
    # 三分之三 is read first (and refused, a fraction above one): an odd count leaves 三分之一 at the end.
    Hostile("fractions", "三分之", 10_001, [("三分之一", "33.3333333333333")], "", "一"),
    # Runs a number may not start in, or that are no number.
    Hostile("digits then a unit", "7", 200_000, [], "", "个"),
    Hostile("digits", "1", 50_000, []),
    Hostile("full-width digits", "１", 200_000, [], "", "元"),
    Hostile("CJK digits", "一", 50_000, [], "", "家"),
    Hostile("places and magnitudes", "十百千万亿", 10_000, [], "", "元"),
    Hostile("magnitudes", "万", 50_000, [], "", "元"),
    Hostile("pairs", "两", 50_000, [], "", "人"),
    Hostile("minus signs", "-", 50_000, [], "", "5%"),
    Hostile("ordinal prefixes", "第", 50_000, [], "", "5名"),
    Hostile("years", "2024年", 10_000, []),
    # Runs of words around one figure.
    # Between a change word and its figure only fillers may stand; 达到 reads as 达到 or as 达 and 到,
    # and trying the readings one by one took 2ⁿ steps before the 的 said no (a clause reaches 256
    # characters back, so each clause holds its own change word).
    Hostile("level words before a figure", "增长" + "达到" * 40 + "的5%，", 2_000, [("5%", "5")] * 2_000),
    Hostile("range connectors", "1至", 25_000, [("1至2元", "1")], "", "2元"),
    Hostile("qualifiers", "约", 200_000, [("5元", "5")], "", "5元"),
    Hostile("percent signs", "%", 200_000, [("5%", "5")], "5"),
    Hostile("halves", "半", 200_000, [("一吨半", "1500")], "一吨"),
]

_CHILD = """
import json, sys
import factx
for case in json.loads(sys.stdin.read()):
    print(case["name"], file=sys.stderr, flush=True)  # the case running, should the guard stop us
    doc = case["head"] + case["run"] * case["times"] + case["tail"]
    figs = factx.extract_text(doc)
    result = {
        "figures": [[f.text, str(f.value)] for f in figs],
        "spans_match": all(doc[f.start : f.end] == f.text for f in figs),
    }
    print(json.dumps({case["name"]: result}), flush=True)
"""


@pytest.fixture(scope="module")
def hostile_results() -> Results:
    """Every hostile case extracted in one child process (one start-up, one hang guard)."""
    texts = [
        {key: getattr(case, key) for key in ("name", "head", "run", "times", "tail")} for case in HOSTILE
    ]
    results: Results = {}
    for line in run_guarded_child(_CHILD, texts, HANG_GUARD_S):
        results.update(line)
    return results


@pytest.mark.parametrize("case", HOSTILE, ids=[case.name for case in HOSTILE])
def test_a_hostile_run_is_read_in_linear_time(case: Hostile, hostile_results: Results) -> None:
    result = hostile_results[case.name]
    assert result["spans_match"], "a figure's text is not the document's text at its offsets"
    got = result["figures"]
    assert [text for text, _ in got] == [text for text, _ in case.figures]
    for (_, value), (text, want) in zip(got, case.figures, strict=True):
        assert value_ok(Decimal(value), want), f"{text[:20]}: {value} is not {want}"


def test_a_sentence_is_cut_near_its_figure_when_the_text_has_no_sentence_end() -> None:
    text = "，".join(["产量12万吨"] * 3000)  # one 'sentence' of 20,000+ characters
    figures = factx.extract_text(text)
    assert len(figures) == 3000
    for f in figures:
        assert text[f.sentence_start : f.sentence_end] == f.sentence
        assert f.sentence_start <= f.start and f.end <= f.sentence_end
        assert len(f.sentence) <= 2 * MAX_REACH + len(f.text)
    assert len({f.id for f in figures}) == 3000


def test_a_real_sentence_is_kept_whole() -> None:
    sentence = "前11个月，我国出口和进口分别达到24.46万亿元、16.75万亿元，同比增长6.2%、0.2%。"
    figures = factx.extract_text("标题\n" + sentence + "下一句。")
    assert {f.sentence for f in figures} == {sentence}

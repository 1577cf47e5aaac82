"""The context stage's work grows linearly with the figures of a sentence, whatever their number.

A sentence of thousands of figures (a table flattened into one line, a list joined by 、) once made
each figure search its whole clause for periods, comparisons and subject patterns, and read back
over every figure before it: 3,000 figures took over a second, 12,000 a minute. Time is not
asserted here (the machine's load would make that flaky): the work is counted instead, as the
Python lines the stage runs plus the characters its pattern searches cover, and a sentence four
times as long must cost about four times as much, not sixteen.
"""

from __future__ import annotations

import random
import re
import sys
from dataclasses import replace
from pathlib import Path
from types import FrameType
from typing import Any

import pytest

from factx.context import cues as cue_module
from factx.context.cues import CueLexicon
from factx.context.layout import Layout
from factx.context.reading import SentenceReading
from factx.context.sentences import TextIndex
from factx.extract import default_ruleset
from factx.matching.scanner import scan
from factx.packs.context_models import fast_pattern

CONTEXT_DIR = str(Path(cue_module.__file__).parent)

# Clauses of bulletin sentences, each with a figure and what the stage looks for around one: a
# period, a comparison (同比, 比上年), a ratio's reference (是去年的), a 从…的 span, a subject
# pattern (对东盟), a listed name (我国, 北京市), a count, a list joined by 、.
PIECES = [
    "2024年我国出口同比增长5.1%",
    "比上年提高3个百分点",
    "北京市营收达834.9亿元",
    "前11个月进口2万吨",
    "是去年的5倍",
    "155个国家",
    "从2020年的39.1万亿元提升到45万亿元",
    "对东盟进出口6.99万亿元",
    "出口和进口分别达到24.46万亿元、16.75万亿元",
]


class _Counted:
    """A compiled pattern that adds the characters each search covers to a counter (a match at one
    place counts one: it is one attempt, however long its range)."""

    def __init__(self, pattern: Any, work: list[int]) -> None:
        self._pattern, self._work = pattern, work

    def __getattr__(self, name: str) -> Any:
        return getattr(self._pattern, name)

    def _span(self, text: str, pos: int, endpos: int | None) -> int:
        return (len(text) if endpos is None else endpos) - pos

    def search(self, text: str, pos: int = 0, endpos: int | None = None) -> Any:
        self._work[0] += self._span(text, pos, endpos)
        return self._pattern.search(text, pos, len(text) if endpos is None else endpos)

    def finditer(self, text: str, pos: int = 0, endpos: int | None = None) -> Any:
        self._work[0] += self._span(text, pos, endpos)
        return self._pattern.finditer(text, pos, len(text) if endpos is None else endpos)

    def match(self, text: str, pos: int = 0, endpos: int | None = None) -> Any:
        self._work[0] += 1
        return self._pattern.match(text, pos, len(text) if endpos is None else endpos)


def _counting_lexicon(work: list[int]) -> CueLexicon:
    """The built-in rule set's cue lexicon with every pattern the stage searches counted."""
    rs = default_ruleset()
    lex = CueLexicon(rs)
    cues = lex.cues
    lex.cues = replace(
        cues,
        **{
            name: _Counted(getattr(cues, name), work)
            for name in (
                "periods",
                "not_periods",
                "bases",
                "ratio_bases",
                "bound_periods",
                "subject_patterns",
                "clause_marks",
            )
        },
    )
    for name in ("names", "suffix_search", "ratio_trigger", "subject_trigger", "openers"):
        if getattr(lex, name) is not None:
            setattr(lex, name, _Counted(getattr(lex, name), work))
    return lex


def _work(n: int, separator: str) -> tuple[int, int]:
    """(work, figures) of reading one sentence of ``n`` pieces joined by ``separator``."""
    rs = default_ruleset()
    text = separator.join(PIECES[i % len(PIECES)] for i in range(n)) + "。"
    drafts = scan(text, rs)
    work = [0]
    lex = _counting_lexicon(work)
    layout = Layout(text, TextIndex(text, rs), lex)

    def trace(frame: FrameType, event: str, arg: object) -> Any:
        if not frame.f_code.co_filename.startswith(CONTEXT_DIR):
            return None
        work[0] += event == "line"
        return trace

    sys.settrace(trace)
    try:
        SentenceReading(text, 0, len(text), drafts, layout, lex).read()
    finally:
        sys.settrace(None)
    return work[0], len(drafts)


@pytest.mark.parametrize(
    "separator",
    ["、", "，", ""],
    ids=["one clause joined by 、", "clauses joined by ，", "one clause without marks"],
)
def test_a_sentence_of_many_figures_is_read_in_linear_work(separator: str) -> None:
    small, small_figures = _work(150, separator)
    large, large_figures = _work(600, separator)
    assert large_figures >= 4 * small_figures - 4  # the sentence holds four times the figures
    # Linear: about 4 times the work (a little more for bisections); quadratic would be 16.
    assert large / small < 5, f"{large / small:.1f} times the work for 4 times the figures"


def _ending(matches: Any, end: int) -> tuple[int, int] | None:
    found = [m.span() for m in matches if m.end() == end]
    return found[-1] if found else None


@pytest.mark.parametrize(
    "text",
    [
        "对东盟进出口6.99万亿元，对欧盟出口增长、与美国贸易额下降，同中亚五国双向投资规模扩大",
        "对" * 40 + "东盟进出口" + "与同对" * 20 + "美国贸易额",
        "与日本和韩国的双向投资、对非洲出口额、对拉美进口、" * 6,
    ],
    ids=["clauses", "runs of pattern starts", "a long list"],
)
def test_the_matches_ending_at_each_offset_are_those_of_a_search_up_to_it(text: str) -> None:
    """EndingMatches reuses one scan of a clause for every figure's end: at every end it finds
    the match a search of the clause up to that end finds, for the built-in subject patterns."""
    lex = CueLexicon(default_ruleset())
    pattern = lex.cues.subject_patterns
    assert lex.subject_width is not None  # the built-in patterns are bounded: the scan is reused
    for low in (0, 3):
        scan = cue_module.EndingMatches(pattern, text, low, len(text), lex.subject_width)
        for end in range(low, len(text) + 1):
            want = _ending(pattern.finditer(text, low, end), end)
            assert _ending(scan.ending_at(end), end) == want, (low, end)


@pytest.mark.parametrize(
    ("text", "figure", "ref"),
    [
        ("出口额是去年的5倍", "5倍", "去年"),
        ("收益跑赢沪深300指数约\n3个百分点", "3个百分点", "沪深300指数"),  # a line break before it
        ("产量达到5倍", "5倍", None),
    ],
)
def test_a_ratio_reference_is_matched_once_where_the_figure_starts(
    text: str, figure: str, ref: str | None
) -> None:
    """match_before (one attempt at the figure's start) finds what a backward search finds."""
    pattern = CueLexicon(default_ruleset()).cues.ratio_bases
    end = text.index(figure)
    found = cue_module.match_before(pattern, text, 0, end)
    searched = pattern.search(text, 0, end)
    assert (found and found.span()) == (searched and searched.span())
    assert (found.group("ref") if found else None) == ref


@pytest.mark.parametrize(
    "body",
    [
        r"(?:截至|截止)?(?:(?:1[89]|20)[0-9]{2}年|[一二三四五六七八九十]月|今年|上半年)",
        r"1[0-2]月|0?[1-9]月|十[一二]?月",
        r"(?<![0-9])20[0-9]{2}(?![0-9])年?",
        r"(?:截至)?(?:前[0-9]{1,2}个月|自[^，。]{1,8}?以来|首届|本届)",
        r"(?:今)?x\s?y|同比|按年",
        r"(?:ab)*c|a?b",
    ],
)
def test_a_pattern_led_by_its_first_two_characters_finds_what_it_found(body: str) -> None:
    """fast_pattern leads a pattern with the characters its matches can start with and, where
    the pattern spells them out, follow with: every match stays (the lookahead only skips places
    where no match can start), on text made of the pattern's own characters in every order."""
    alphabet = sorted({ch for ch in body if ch.isalnum()} | set("年月个 ，"))
    rng = random.Random(13)
    text = "".join(rng.choice(alphabet) for _ in range(20_000))
    text += "截至2024年，前11个月，自2019年以来，上半年，十一月，首届x y同比"
    plain = re.compile(body)
    assert fast_pattern(body).pattern.startswith("(?=[")  # led by a lookahead
    assert [m.span() for m in fast_pattern(body).finditer(text)] == [m.span() for m in plain.finditer(text)]

"""Text without sentence ends (table dumps, single-line files): each figure keeps a bounded sentence."""

from __future__ import annotations

import factx
from factx.context.sentences import MAX_REACH


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

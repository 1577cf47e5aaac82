"""Sentence spans and line/column positions of the offsets figures stand at.

Only offsets where figures are get looked up, in document order, so the index works lazily: a
reverse search finds the last sentence (or clause) end before an offset, a forward one the next,
and line numbers are counted from the previous lookup. Nothing is computed for text without figures.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from factx.packs.ruleset import RuleSet

_SPACE = " \t\r\n\u3000\u00a0"
# A sentence reaches at most this far from its figure on either side. Text with no sentence end
# (a table dump, a 300 MB single line) would otherwise make every figure carry, hash and print
# the whole text: quadratic time and output.
MAX_REACH = 256


class TextIndex:
    """Where an offset of a text falls: its sentence, its clause start, its line and column."""

    def __init__(self, text: str, rs: RuleSet, line_at: tuple[int, int, int] = (0, 1, 0)) -> None:
        """``text`` may be one piece of a longer document: ``line_at`` is a known position in it,
        (offset, its 1-based line in the whole document, the offset where that line begins, which
        may lie before ``text``), so that lines and columns stay those of the whole document."""
        self.text = text
        self._sentence_end = rs.patterns.sentence_end
        self._sentence_end_rev = rs.patterns.sentence_end_rev
        self._clause_end_rev = rs.patterns.clause_end_rev
        self._sentence: tuple[int, int, int, int] | None = None  # raw start, raw end, trimmed start, end
        self._origin = line_at
        self._line_at = line_at  # offset, its line, that line's start

    def sentence(self, offset: int, end: int | None = None) -> tuple[int, int]:
        """The sentence around ``offset``: [start, end), its terminator kept, surrounding space trimmed.

        With ``end`` (the figure's end) the sentence runs at least that far: a figure broken over a
        line (10\n\n个, in text taken from PDF) belongs to one sentence, not two. Without a sentence
        end nearby, the sentence is cut MAX_REACH characters from the figure.
        """
        reach = offset if end is None else max(offset, end - 1)
        cached = self._sentence
        if cached is not None and cached[0] <= offset and reach < cached[1]:
            return cached[2], cached[3]
        text = self.text
        low = max(0, offset - MAX_REACH)
        before = self._sentence_end_rev.search(text, low, offset)
        raw_start = before.end() if before else low
        high = min(len(text), reach + MAX_REACH)
        after = self._sentence_end.search(text, reach, high)
        raw_end = after.end() if after else high
        start, end = raw_start, raw_end
        while start < offset and text[start] in _SPACE:
            start += 1
        while end > start and text[end - 1] in _SPACE:
            end -= 1
        self._sentence = (raw_start, raw_end, start, end)
        return start, end

    def clause_start(self, offset: int) -> int:
        """Where the clause that ``offset`` stands in begins (after the last comma, stop, colon …)."""
        low = max(0, offset - MAX_REACH)
        before = self._clause_end_rev.search(self.text, low, offset)
        return before.end() if before else low

    def line_column(self, offset: int) -> tuple[int, int]:
        """1-based line and column (in code points) of ``offset`` in the whole document.

        A line ends at LF, CRLF or a lone CR (files from old Mac software): CRLF counts once.
        """
        last, line, line_start = self._line_at
        if offset < last:
            last, line, line_start = self._origin
        line += count_line_breaks(self.text, last, offset)
        if last < offset:
            # A CRLF cut by ``last`` was counted at its CR; its LF must not count again.
            if self.text[last] == "\n" and last > 0 and self.text[last - 1] == "\r":
                line -= 1
            found = max(self.text.rfind("\n", last, offset), self.text.rfind("\r", last, offset))
            if found >= 0:
                line_start = found + 1
        self._line_at = (offset, line, line_start)
        return line, offset - line_start + 1


def count_line_breaks(text: str, start: int = 0, end: int | None = None) -> int:
    """Line breaks in ``text[start:end]``: LF, CRLF (once) and lone CR."""
    stop = len(text) if end is None else end
    return text.count("\n", start, stop) + text.count("\r", start, stop) - text.count("\r\n", start, stop)

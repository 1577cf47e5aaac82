"""Sentence spans and line/column positions, computed once per document and looked up by bisection."""

from __future__ import annotations

from bisect import bisect_right

import regex

_SPACE = " \t\r\n\u3000\u00a0"


class TextIndex:
    """Where each offset of a text falls: its sentence, its clause start, its line and column."""

    def __init__(self, text: str, sentence_end: regex.Pattern[str], clause_end: regex.Pattern[str]) -> None:
        self.text = text
        self._sentence_ends = [m.end() for m in sentence_end.finditer(text)]
        self._clause_ends = [m.end() for m in clause_end.finditer(text)]
        self._line_starts = [0, *(m.end() for m in regex.finditer("\n", text))]

    def sentence(self, offset: int) -> tuple[int, int]:
        """The sentence around ``offset``: [start, end), the terminator kept and surrounding space trimmed."""
        i = bisect_right(self._sentence_ends, offset)
        start = self._sentence_ends[i - 1] if i > 0 else 0
        end = self._sentence_ends[i] if i < len(self._sentence_ends) else len(self.text)
        text = self.text
        while start < offset and text[start] in _SPACE:
            start += 1
        while end > start and text[end - 1] in _SPACE:
            end -= 1
        return start, end

    def clause_start(self, offset: int) -> int:
        """Where the clause that ``offset`` stands in begins (after the last comma, stop, colon …)."""
        i = bisect_right(self._clause_ends, offset)
        return self._clause_ends[i - 1] if i > 0 else 0

    def line_column(self, offset: int) -> tuple[int, int]:
        """1-based line and column (in code points) of ``offset``."""
        i = bisect_right(self._line_starts, offset)
        return i, offset - self._line_starts[i - 1] + 1

"""Sentences, clauses and paragraphs as the context stage reads them.

In: a text, a sentence index over it and the context cues. Out: the sentence a figure's context is
read in, and where its paragraph begins (its clauses are found by the reading of the sentence).

A record's ``sentence`` ends at every line break. Text taken from PDFs and web pages is often wrapped
mid-sentence (…年均贡献率\\n\\n达到60%左右), so here a line break ends a sentence only when the line
before it is complete: it ends as the pack's ``line_ends`` says (。, ！, a closing quote …), is a
heading (#), holds no clause punctuation (a title, a byline), or the next line is indented. Such a
"hard" break also ends the paragraph, the reach of a period carried from sentence to sentence.
"""

from __future__ import annotations

import re
from bisect import bisect_right

from factx.context.cues import CueLexicon
from factx.context.sentences import MAX_REACH, TextIndex

_SPACE = " \t\u3000\u00a0"
_BREAKS = "\r\n"
_WHITE = _SPACE + _BREAKS
# A wrapped line is running text: it holds clause punctuation. A title or a byline does not.
_RUNNING = "，,、；;"
PARAGRAPH_REACH = 2 * MAX_REACH  # how far back a paragraph's start is looked for
_TAIL = 16  # how much of a line's end is read to tell whether the line is complete
_WHITE_RUN = re.compile("[ \t\u3000\u00a0\r\n]*")


class Layout:
    """Sentence and paragraph bounds in one text (a piece of a document with its look-back)."""

    __slots__ = ("_cr", "_paragraph", "_soft", "cues", "document_start", "index", "lex", "text")

    def __init__(self, text: str, index: TextIndex, lex: CueLexicon, document_start: bool = True) -> None:
        """``document_start``: ``text`` begins where the document does (no look-back before it)."""
        self.text = text
        self.document_start = document_start
        self.index = index
        self.lex = lex
        self.cues = lex.cues
        self._soft: dict[int, bool] = {}
        self._cr = "\r" in text
        self._paragraph: tuple[int, int | None] = (-1, None)  # the last sentence start asked, its answer

    def soft_break(self, at: int) -> bool:
        """Whether the line break(s) around ``at`` (a CR or LF) only wrap a line of running text."""
        found = self._soft.get(at)
        if found is None:
            found = self._soft[at] = self._soft_break(at)
        return found

    def _line_break_before(self, pos: int, low: int) -> int:
        """The offset of the last LF or CR in [low, pos), or -1 (CRs are looked for only in a text
        that has any: a search through a paragraph for none is what this saves)."""
        found = self.text.rfind("\n", low, pos)
        return max(found, self.text.rfind("\r", low, pos)) if self._cr else found

    def _soft_break(self, at: int) -> bool:
        text = self.text
        m = _WHITE_RUN.match(text, at)
        after = m.end() if m is not None else at
        line_end = len(text[max(0, at - _TAIL) : at].rstrip(_WHITE)) + max(0, at - _TAIL)
        if after >= len(text) or line_end <= max(0, at - _TAIL):
            return False  # the end of the text, or a blank stretch longer than a line's tail
        # A line that ends as a complete one (。, a closing quote …): the common case, told at once.
        ends = self.lex.line_end_chars
        if ends is not None and text[line_end - 1] in ends:
            return False
        # The next line is indented: a new paragraph (web pages indent with ideographic spaces).
        if text[after - 1] not in _BREAKS:
            return False
        line_start = self._line_break_before(line_end, 0) + 1
        line = text[line_start:line_end]
        if line.lstrip(_SPACE).startswith("#") or not any(ch in line for ch in _RUNNING):
            return False
        # Only the line's end matters: a long paragraph is not searched through.
        return self.cues.line_ends.search(line[-_TAIL:]) is None

    def sentence(self, start: int, end: int) -> tuple[int, int]:
        """The sentence of a figure at [start, end), joined over soft line breaks on either side."""
        s, e = self._bounds(start, end)
        text = self.text
        low = max(0, start - MAX_REACH)
        while s > low and text[s - 1] in _WHITE:
            j = s
            while j > low and text[j - 1] in _WHITE:
                j -= 1
            run = text[j:s]
            if ("\n" not in run and "\r" not in run) or not self.soft_break(s - 1):
                break
            found = self._bounds(j - 1, j)[0]
            if found >= s:
                break
            s = found
        high = min(len(text), end + MAX_REACH)
        while e < high and text[e] in _WHITE:
            j = e
            while j < high and text[j] in _WHITE:
                j += 1
            run = text[e:j]
            if j >= high or ("\n" not in run and "\r" not in run) or not self.soft_break(e):
                break
            found = self._bounds(j, j + 1)[1]
            if found <= e:
                break
            e = found
        return s, e

    def _bounds(self, start: int, end: int) -> tuple[int, int]:
        """The sentence around [start, end) as a record's is (its terminator kept, space trimmed),
        found by the lexicon's own search when the sentence ends are a set of characters (the
        record's index keeps one sentence cached, and the records are made after this stage)."""
        back = self.lex.sentence_end_back
        if back is None:
            return self.index.sentence(start, end)
        text = self.text
        reach = end - 1 if end - 1 > start else start
        low = start - MAX_REACH if start > MAX_REACH else 0
        # The last sentence end before the figure (a set of characters: the match is one).
        before = back.search(text, low, start)
        raw_start = before.end() if before is not None else low
        high = min(len(text), reach + MAX_REACH)
        after = self.lex.sentence_end.search(text, reach, high)
        s, e = raw_start, after.end() if after else high
        while s < start and text[s] in _SPACE:
            s += 1
        while e > s and text[e - 1] in _SPACE:
            e -= 1
        return s, e

    def paragraph_start(self, sentence_start: int) -> int | None:
        """Where the paragraph of a sentence begins: after the last hard line break before it; None
        when there is none within reach (the paragraph began in an earlier piece of the document, or
        is longer than PARAGRAPH_REACH): it goes on."""
        last, paragraph = self._paragraph
        text = self.text
        # Sentences come in order: with no line break since the last one, the paragraph is the same.
        if (
            0 <= last <= sentence_start
            and text.find("\n", last, sentence_start) < 0
            and (not self._cr or text.find("\r", last, sentence_start) < 0)
        ):
            return paragraph
        paragraph = self._paragraph_start(sentence_start)
        self._paragraph = (sentence_start, paragraph)
        return paragraph

    def _paragraph_start(self, sentence_start: int) -> int | None:
        text = self.text
        low = max(0, sentence_start - PARAGRAPH_REACH)
        unknown = None if low > 0 or not self.document_start else 0
        pos = sentence_start
        while pos > low:
            brk = self._line_break_before(pos, low)
            if brk < 0:
                return unknown
            if not self.soft_break(brk):
                return brk + 1
            pos = brk
            while pos > low and text[pos - 1] in _WHITE:
                pos -= 1
        return unknown


def clause_of(starts: list[int], offset: int, end: int) -> tuple[int, int]:
    """The clause [start, end) that ``offset`` falls in, given the clause starts of its sentence."""
    i = bisect_right(starts, offset) - 1
    low = starts[max(i, 0)]
    high = starts[i + 1] - 1 if i + 1 < len(starts) else end
    return low, high

"""Periods: the time a figure refers to (前11个月, 2024年, 本届, 截至10月末).

In: a text range and the compiled cues. Out: the periods in it, each marked strong or weak.

A period that opens its clause (前11个月，我国…; 2024年，…; 全年国内生产总值…), or follows only the
clause's subject (浙江省全年实现…), is *strong*: it sets the time of what follows, in its sentence and
in the later sentences of its paragraph. One after a verb or a preposition (西门子在以往7届进博会上…,
当日是第八届进博会…) is *weak*: it serves its own sentence only. A figure takes the
nearest strong period before it in its sentence, else the nearest weak one, else the last strong
period of an earlier sentence of the paragraph (``PeriodCarry``, which lives as long as the document).
"""

from __future__ import annotations

from bisect import bisect_right
from typing import TYPE_CHECKING, NamedTuple

from factx.context.cues import SKIPPED
from factx.packs.context_cues import CompiledCues, Pattern

if TYPE_CHECKING:
    from factx.context.cues import CueLexicon

# What may stand between a clause mark and a strong period: space and opening quotes.
_LEAD = " \t\u3000\u00a0“\"‘'「『《"
_OPENERS = "，,；;：:。！？!?\r\n"
_LEAD_OR_SPACE = _LEAD + "\r\n"


class Period(NamedTuple):
    """A period's span in the text and whether it opens its clause (a named tuple: one is made
    for every period of every sentence with figures, and a tuple is made in one step)."""

    start: int
    end: int
    strong: bool


def find_periods(
    text: str, start: int, end: int, cues: CompiledCues, lex: CueLexicon, line_start: int = 0
) -> list[Period]:
    """The periods in ``text[start:end]``, in order, without those inside a day's date (11月10日).

    ``lex`` gives the cue words (a verb before a period makes it weak); ``line_start`` is where
    the range's first clause may begin: a period there is strong as well.
    """
    found: list[Period] = []
    mask_starts: list[int] | None = None
    mask_ends: list[int] = []
    for m in cues.periods.finditer(text, start, end):
        if mask_starts is None:
            mask_starts = []
            last = lex.not_period_ends
            if last is None or last.search(text, start, end) is not None:
                spans = [n.span() for n in cues.not_periods.finditer(text, start, end)]
                mask_starts, mask_ends = [a for a, _ in spans], [b for _, b in spans]
        s, e = m.span()
        if mask_starts:
            # Masks do not overlap (one search's matches): only the last one starting at or before
            # the period can hold it.
            k = bisect_right(mask_starts, s) - 1
            if k >= 0 and e <= mask_ends[k]:
                continue
        found.append(Period(s, e, _sets_time(text, s, line_start, lex)))
    return found


_SUBJECT_REACH = 16  # how long a subject before a strong period may be


def _sets_time(text: str, pos: int, floor: int, lex: CueLexicon) -> bool:
    """Whether a period at ``pos`` opens its clause, past at most a subject without verbs."""
    low = pos - _SUBJECT_REACH if pos - _SUBJECT_REACH > floor else floor
    while pos > floor:
        ch = text[pos - 1]
        if ch in _OPENERS:
            return True
        if ch not in _LEAD:
            if pos <= low:
                return False
            word = lex.ending_at(text, pos, low)  # the longest cue word ending here
            if word is not None and word[1] in SKIPPED:
                return False
        pos -= 1
    return True


def opening_periods(text: str, start: int, end: int, cues: CompiledCues, openers: Pattern) -> list[Period]:
    """The periods that open a clause in ``text[start:end]``: all that a stretch of text without
    figures passes on to the sentences after it (one attempt per clause, not a search of the text)."""
    found = []
    starts = [start]
    starts.extend(m.end() for m in openers.finditer(text, start, end))
    for pos in starts:
        while pos < end and text[pos] in _LEAD_OR_SPACE:
            pos += 1
        m = cues.periods.match(text, pos, end)
        if m is None:
            continue
        mask = cues.not_periods.match(text, pos, end)
        if mask is None or mask.end() < m.end():
            found.append(Period(m.start(), m.end(), True))
    return found


class PeriodCarry:
    """The last strong period of a paragraph, carried to its later sentences (and across pieces).

    Offsets are the document's, so that a period set near the end of one piece reaches the first
    sentences of the next when they share a paragraph.
    """

    def __init__(self) -> None:
        self.paragraph = -1  # document offset where the current paragraph starts
        self.scanned = -1  # document offset up to which the paragraph has been read
        self.period: tuple[str, int, int] | None = None  # the last strong period: text, document span

    def before(
        self,
        text: str,
        origin: int,
        paragraph: int | None,
        sentence: int,
        cues: CompiledCues,
        lex: CueLexicon,
    ) -> tuple[str, int, int] | None:
        """The period carried to a sentence starting at ``sentence`` (text offsets) of the paragraph
        starting at ``paragraph`` (None: the paragraph read so far goes on): the last strong period
        between them."""
        if paragraph is not None and origin + paragraph != self.paragraph:
            para_doc = origin + paragraph
            self.paragraph, self.scanned, self.period = para_doc, para_doc, None
        low = max(self.scanned - origin, 0 if paragraph is None else paragraph, 0)
        if low < sentence:
            self.note(text, opening_periods(text, low, sentence, cues, lex.openers), origin)
            self.scanned = origin + sentence
        return self.period

    def note(self, text: str, periods: list[Period], origin: int, upto: int | None = None) -> None:
        """Take the last strong period of ``periods`` as the one to carry; ``upto`` marks the text
        read so far (document offset), so that it is not read again."""
        for p in reversed(periods):
            if p.strong:
                self.period = (text[p.start : p.end], origin + p.start, origin + p.end)
                break
        if upto is not None:
            self.scanned = max(self.scanned, upto)

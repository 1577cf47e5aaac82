"""The context of each figure: what it measures (metric), about whom (subject), for when (period),
compared with what (basis), each a verbatim span of the document or None.

In: a piece of text, its figures (drafts, in order) and the sentence index; the rule set's
``context_cues`` (from the packs' ``context_fields`` sections). Out: one :class:`FigureContext`
per figure. A :class:`ContextFinder` lives as long as its document, so a period set by an earlier
sentence of a paragraph reaches the figures after it even across the pieces of a long document.

The work is done sentence by sentence (:mod:`factx.context.reading`): each sentence that holds
figures is read once, and each figure looks only at its clause and the figures before it.
"""

from __future__ import annotations

from typing import NamedTuple

from factx.context.cues import lexicon
from factx.context.layout import Layout
from factx.context.period import PeriodCarry
from factx.context.reading import SentenceReading
from factx.context.sentences import TextIndex
from factx.matching.scanner import Draft
from factx.packs.ruleset import RuleSet


class Span(NamedTuple):
    """A verbatim span of the document: ``text == document[start:end]`` (offsets of the scanned text).

    A named tuple: one is made per field of every figure, and a tuple is made in one step."""

    text: str
    start: int
    end: int


class FigureContext(NamedTuple):
    """The four context fields of one figure; None where the text does not say.

    A named tuple: one is made per figure, and a record takes its fields by iterating it."""

    metric: Span | None = None
    subject: Span | None = None
    period: Span | None = None
    basis: Span | None = None


FIELDS: tuple[str, ...] = FigureContext._fields  # metric, subject, period, basis: a record's order


class ContextFinder:
    """Finds the context fields of a document's figures, piece by piece, in document order."""

    def __init__(self, rs: RuleSet) -> None:
        self.rs = rs
        self.lex = lexicon(rs)
        self.carry = PeriodCarry()

    def find(self, text: str, origin: int, drafts: list[Draft], index: TextIndex) -> list[FigureContext]:
        """One :class:`FigureContext` per draft, in order. Drafts' offsets index ``text``; the spans
        returned are document offsets (``origin + offset in text``)."""
        lex, carry = self.lex, self.carry
        layout = Layout(text, index, lex, document_start=origin == 0)
        out: list[FigureContext] = []
        append, new = out.append, tuple.__new__
        # (tuple.__new__ makes a Span or a FigureContext without the named tuple's own __new__ frame)
        i, n = 0, len(drafts)
        while i < n:
            start, end = layout.sentence(drafts[i].start, drafts[i].end)
            j = i + 1
            while j < n and drafts[j].start < end:
                j += 1
            reading = SentenceReading(text, start, end, drafts[i:j], layout, lex)
            found = reading.read()
            # What the paragraph set before this sentence: read even when every figure has its own
            # period, so that the carry stays the paragraph's latest.
            carried = carry.before(text, origin, layout.paragraph_start(start), start, lex.cues, lex)
            carry.note(text, reading.periods, origin, origin + end)
            for f in found:
                # Text spans as document spans with their text (written out: this runs per figure).
                m, s, p, b = f.metric, f.subject, f.period, f.basis
                append(
                    new(
                        FigureContext,
                        (
                            new(Span, (text[m[0] : m[1]], origin + m[0], origin + m[1]))
                            if m is not None and m[1] > m[0]
                            else None,
                            new(Span, (text[s[0] : s[1]], origin + s[0], origin + s[1]))
                            if s is not None and s[1] > s[0]
                            else None,
                            new(Span, (text[p[0] : p[1]], origin + p[0], origin + p[1]))
                            if p is not None and p[1] > p[0]
                            else (new(Span, carried) if carried is not None else None),
                            new(Span, (text[b[0] : b[1]], origin + b[0], origin + b[1]))
                            if b is not None and b[1] > b[0]
                            else None,
                        ),
                    )
                )
            i = j
        return out

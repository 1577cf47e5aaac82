"""The context of each figure: what it measures (metric), about whom (subject), for when (period),
compared with what (basis), each a verbatim span of the document or None.

In: a piece of text, its figures (drafts, in order) and the sentence index; the rule set's
``context_cues`` (from the packs' ``context_fields`` sections). Out: one :class:`FigureContext`
per figure. A :class:`ContextFinder` lives as long as its document, so a period set by an earlier
sentence of a paragraph reaches the figures after it even across the pieces of a long document.
(Skeleton: finds nothing yet.)
"""

from __future__ import annotations

from dataclasses import dataclass

from factx.context.sentences import TextIndex
from factx.matching.scanner import Draft
from factx.packs.ruleset import RuleSet

FIELDS = ("metric", "subject", "period", "basis")


@dataclass(frozen=True, slots=True)
class Span:
    """A verbatim span of the document: ``text == document[start:end]`` (offsets of the scanned text)."""

    text: str
    start: int
    end: int


@dataclass(slots=True)
class FigureContext:
    """The four context fields of one figure; None where the text does not say."""

    metric: Span | None = None
    subject: Span | None = None
    period: Span | None = None
    basis: Span | None = None


class ContextFinder:
    """Finds the context fields of a document's figures, piece by piece, in document order."""

    def __init__(self, rs: RuleSet) -> None:
        self.rs = rs

    def find(self, text: str, origin: int, drafts: list[Draft], index: TextIndex) -> list[FigureContext]:
        """One :class:`FigureContext` per draft, in order. Drafts' offsets index ``text``; the spans
        returned are document offsets (``origin + offset in text``)."""
        return [FigureContext() for _ in drafts]

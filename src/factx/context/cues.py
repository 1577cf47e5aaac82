"""What the context stage searches with, beside the rule set's cue lexicon: a pattern matched to end
where a figure starts, and the matches of one clause that can end at each figure's words.

In: a :class:`~factx.packs.ruleset.RuleSet` and the text of a document. Out: the rule set's
:class:`CueLexicon` (:func:`lexicon`: each cue word's class by its first or last characters, built
when the packs were compiled, :mod:`factx.packs.cue_lexicon`), :func:`match_before` and
:class:`EndingMatches`.
"""

from __future__ import annotations

from bisect import bisect_right
from typing import Any

import regex

from factx.packs.context_cues import Pattern
from factx.packs.cue_lexicon import CHANGE, LEVEL, QUAL, SKIPPED, CueLexicon, max_width
from factx.packs.ruleset import RuleSet

__all__ = [
    "CHANGE",
    "LEVEL",
    "QUAL",
    "SKIPPED",
    "CueLexicon",
    "EndingMatches",
    "lexicon",
    "match_before",
    "max_width",
]


def match_before(pattern: Pattern, text: str, low: int, end: int) -> Any:
    """The match of a pattern compiled to end where a figure starts (``(?:…)$`` matched backwards,
    packs.context_models) in ``text[low:end]``: one attempt at ``end``, the same match as a search
    back through ``[low, end)`` without the search (whose other attempts fail at ``$``). As ``$``
    also matches before a final line break, and anywhere in multi-line mode, those cases search."""
    m = pattern.match(text, low, end)
    if m is None and end > low and (text[end - 1] == "\n" or pattern.flags & regex.MULTILINE):
        m = pattern.search(text, low, end)
    return m


class EndingMatches:
    """The matches of ``pattern.finditer(text, low, end)`` that can end at ``end``, for many ``end``
    of one clause start ``low``: what a search of each figure's clause up to its words finds, in time
    that does not grow with the figures before it.

    A search from ``low`` up to ``end`` tries positions left to right; a match attempt at ``p`` of a
    pattern at most ``width`` long that reads nothing past its match goes the same whatever the
    search's end, as long as ``p + width <= end``. So one scan of the clause (to ``high``) gives
    every match that starts by ``end - width``, and only the last ``width`` characters are
    searched again with the figure's own end. Near the clause's start, or with no width (an
    unbounded pattern), the search is made as it is asked for.
    """

    def __init__(
        self, pattern: Pattern, text: str, low: int, high: int, width: int | None, first: int = -1
    ) -> None:
        """``first``: where the first character a match can start with stands (the search begins
        there: a match attempt before it fails and consumes nothing)."""
        self.pattern, self.text, self.high, self.width = pattern, text, high, width
        self.first = low if first < 0 else first
        self._found: list[Any] | None = None
        self._starts: list[int] = []

    def ending_at(self, end: int) -> list[Any]:
        """Matches of the search up to ``end``: every one that may end at ``end`` is among them."""
        width, pattern, text = self.width, self.pattern, self.text
        if width is None or end - width < self.first or end > self.high:
            return list(pattern.finditer(text, self.first, end))
        if self._found is None:
            self._found = list(pattern.finditer(text, self.first, self.high))
            self._starts = [m.start() for m in self._found]
        cut = end - width  # attempts at or before ``cut`` cannot see where the search ends
        k = bisect_right(self._starts, cut) - 1
        if k < 0:
            return list(pattern.finditer(text, cut + 1, end))
        last = self._found[k]
        resume = max(last.end(), cut + 1)
        return [last, *pattern.finditer(text, resume, end)] if resume < end else [last]


def lexicon(rs: RuleSet) -> CueLexicon:
    """The cue lexicon of ``rs``: the one its packs were compiled with (read back with it from the
    cache), or, for a rule set put together otherwise, one built now and kept with it."""
    found = rs.patterns.cue_lexicon
    if found is None:
        found = rs.patterns.cue_lexicon = CueLexicon(rs)
    return found

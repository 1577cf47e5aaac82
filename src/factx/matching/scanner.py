"""Scanning a text with every rule and resolving overlapping matches into figure drafts.

In: a text and a compiled ruleset. Out: :class:`~factx.normalize.figure.Draft` figures in document
order, not yet joined to their neighbours (``factx.context.neighbours`` does that). This module only
scans: it runs the exclusions and the rules (a rule with `needs` only in the sentences that hold one
of its words), hands each match to :func:`~factx.normalize.figure.build_figure`, and keeps the
longest of overlapping drafts.
"""

from __future__ import annotations

import time
from bisect import bisect_right
from collections.abc import Iterator

import regex

from factx.normalize.figure import Draft, build_figure
from factx.packs.ruleset import CompiledRule, RuleSet

__all__ = ["Draft", "ScanTimeout", "pattern_passes", "resolve", "scan", "time_budget"]


class ScanTimeout(Exception):
    """A rule's pattern ran past the time limit on a document."""

    def __init__(self, rule_ids: list[str], drafts: list[Draft]) -> None:
        self.rule_ids = rule_ids
        self.drafts = drafts  # what the other rules found, kept
        super().__init__(f"pattern timed out: {', '.join(rule_ids)}")


_FULL_STOP = regex.compile(r"[。！？!?]")
_FULL_STOP_REV = regex.compile(r"[。！？!?]", regex.REVERSE)


class _Budget:
    """The seconds a rule has left on a text, shared by all the windows it is tried in."""

    __slots__ = ("_deadline",)

    def __init__(self, seconds: float | None) -> None:
        self._deadline = None if seconds is None else time.perf_counter() + seconds

    def left(self) -> float | None:
        if self._deadline is None:
            return None
        left = self._deadline - time.perf_counter()
        if left <= 0:
            raise TimeoutError
        return left


def _windows(rule: CompiledRule, text: str, pos: int) -> list[tuple[int, int]]:
    """The stretches of ``text`` (from ``pos``) a rule is tried in: all of it, or, for a rule with
    `needs`, the sentences that hold one of its words, each with its sentence end.

    A sentence here runs from just after one full stop (。！？!?) to just after the next: a line break
    does not end it, as text from a PDF may wrap inside a figure. The windows are in order and never
    overlap, so that scanning them one by one gives the matches a scan of the whole text would (a
    match of such a rule stays inside its sentence).
    """
    if rule.needs is None:
        return [(pos, len(text))]
    windows: list[tuple[int, int]] = []
    floor = pos  # where the last window ended: no sentence end is looked for before it
    for m in rule.needs.finditer(text, pos):
        if m.start() < floor:
            continue  # a second word in a sentence already taken
        before = _FULL_STOP_REV.search(text, floor, m.start())
        start = before.end() if before is not None else floor
        after = _FULL_STOP.search(text, m.end())
        end = after.end() if after is not None else len(text)
        windows.append((start, end))
        floor = end
    return windows


def _matches(rule: CompiledRule, text: str, pos: int, timeout: float | None) -> Iterator[regex.Match[str]]:
    """A rule's non-empty matches from ``pos``, window by window (:func:`_windows`), under one time
    budget for the whole text (none for a built-in rule); TimeoutError when it runs out."""
    limits = _Budget(None if rule.builtin else timeout)
    for start, end in _windows(rule, text, pos):
        for m in rule.pattern.finditer(text, start, end, timeout=limits.left()):
            if m.end() > m.start():
                yield m


def _excluded_spans(
    text: str, rs: RuleSet, timeout: float | None, timed_out: list[str], pos: int = 0
) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    for rule in rs.exclusions:
        try:
            spans.extend(m.span() for m in _matches(rule, text, pos, timeout))
        except TimeoutError:
            timed_out.append(rule.id)
    spans.sort()
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start < merged[-1][1]:
            if end > merged[-1][1]:
                merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


def _overlaps(spans: list[tuple[int, int]], starts: list[int], start: int, end: int) -> bool:
    i = bisect_right(starts, end - 1) - 1
    return i >= 0 and spans[i][1] > start


def resolve(drafts: list[Draft]) -> list[Draft]:
    """Of overlapping drafts keep the longest (then the higher priority, then the earlier rule)."""
    drafts.sort(key=lambda d: (d.start, -d.length, -d.rule.priority, d.rule_index))
    chosen: list[Draft] = []
    for draft in drafts:
        if not chosen or draft.start >= chosen[-1].end:
            chosen.append(draft)
            continue
        last = chosen[-1]
        if draft.length > last.length or (
            draft.length == last.length and draft.rule.priority > last.rule.priority
        ):
            chosen[-1] = draft
    return chosen


def time_budget(timeout: float | None, text: str) -> float | None:
    """Seconds one rule may spend on ``text``: ``timeout`` up to a megabyte, proportionally more beyond."""
    if timeout is None:
        return None
    return timeout * max(1.0, len(text) / 1_000_000)


def pattern_passes(text: str, rs: RuleSet) -> int:
    """The regex work of :func:`scan` alone: every exclusion and rule pattern run over ``text`` in its
    windows, as scan runs them, with no figure built. Returns the number of matches.

    What it costs is the most this design can be asked for: the benchmark reports it as the ceiling of
    any Python work on top of these patterns in the ``regex`` module.
    """
    return sum(1 for rule in (*rs.exclusions, *rs.rules) for _ in _matches(rule, text, 0, None))


def scan(text: str, rs: RuleSet, timeout: float | None = None, pos: int = 0) -> list[Draft]:
    """All figure drafts of ``text``, resolved, in document order.

    With ``timeout`` (seconds per rule on a document of up to a megabyte), a rule whose pattern
    runs too long is stopped; after the other rules have run, :class:`ScanTimeout` carries their
    drafts (and the stopped rule's drafts up to that point) and the rule ids. Built-in rules, which
    the benchmarks keep linear, run without the timeout's cost.

    With ``pos``, matches start at ``pos`` or later, while lookbehinds and qualifiers still see the
    text before it: a long document is scanned in pieces, each with some text of the one before.
    """
    budget = time_budget(timeout, text)
    timed_out: list[str] = []
    excluded = _excluded_spans(text, rs, budget, timed_out, pos)
    starts = [s for s, _ in excluded]
    drafts: list[Draft] = []
    for index, rule in enumerate(rs.rules):
        try:
            for m in _matches(rule, text, pos, budget):
                if excluded and _overlaps(excluded, starts, m.start(), m.end()):
                    continue
                drafts.extend(build_figure(m, rule, index, text, rs))
        except TimeoutError:
            timed_out.append(rule.id)
    chosen = resolve(drafts)
    if timed_out:
        raise ScanTimeout(timed_out, chosen)
    return chosen

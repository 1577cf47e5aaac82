"""One sentence read for the context of its figures: metric, subject, period, basis.

In: the text, the sentence's span, its figures (drafts, in order) and the cues. Out: for each figure,
the four fields as text spans (or None). The sentence's periods, comparisons and clauses are found
once; each figure then looks only at its clause and the figures before it in the sentence. What
several figures ask (a clause's subject, the metric carried from clauses before, the comparisons
and names before a place) is kept or found by bisection, so that a sentence of thousands of
figures costs in proportion to them (tests/test_context_speed.py counts the work).

The rules, in the order they are tried (docs/context.md has the reasons):

- metric: a count's noun right after it (155个|国家); else the noun phrase before the words that
  lead to the figure (意向成交额|达); the numerator of a share (X|占Y|比重为); items listed before
  分别 (出口和进口分别达到…) go with the figures in order; a phrase that only names a rate (增速) or
  a subject (股份制企业增长6.1%) takes the metric of the figures before it, position by position
  for a list (同比分别增长5.7%和1.7% → 出口, 进口); a growth with nothing before it in its sentence
  takes the noun phrase that heads the previous clause.
- subject: the place, organisation or entity type that opens the metric's phrase or stands right
  before it; a trade partner (对东盟进出口); the subject of the figure's clause, else of the
  sentence's first clause; else the nearest listed name before the figure. Never from another sentence.
- period: see :mod:`factx.context.period`.
- basis: for changes and ratios only: a ratio's reference (是去年的5倍 → 去年), else the last
  comparison before the figure in its clause (同比分别增长), else a comparison that is a clause of
  its own right before (与上月相比，增速分别加快…).
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from typing import TypeAlias

import regex

from factx.context import cues as cue_classes
from factx.context.cues import CueLexicon, EndingMatches, match_before
from factx.context.layout import Layout
from factx.context.period import Period, find_periods
from factx.context.phrases import BASIS, FIGURE, IN_PHRASE, PERIOD, PhraseReader, Walk, in_phrase
from factx.matching.scanner import Draft
from factx.packs import context_cues as cm

Span = tuple[int, int]
Match: TypeAlias = "re.Match[str] | regex.Match[str]"
RATIO_KINDS = frozenset({"percent", "percentage_point", "multiple"})
_TRIM = " \t\u3000\u00a0\r\n"
_PARTS = "；;"  # what parts a sentence into parts with periods of their own
_ASPECT = "了着过"
_MAX_ACTOR = 8  # the longest name read as the actor of a clause without a cue saying so
_MAX_TOPIC = 16  # how far a clause's opening phrase is read for a subject
BOUND = "bound"
_TRIM_QUOTE = _TRIM + '“"'
_ONE_JOINER = (1, cm.JOINER)
_HEAD_ENDS = (cm.VERB, cue_classes.CHANGE)  # what ends the noun phrase heading a clause
_OPENING_WORDS = (cm.FUNCTION, cue_classes.QUAL)  # words passed before a clause's subject


class FigureFields:
    """The four fields of one figure as text spans."""

    __slots__ = ("basis", "metric", "period", "subject")

    def __init__(self) -> None:
        self.metric: Span | None = None
        self.subject: Span | None = None
        self.period: Span | None = None
        self.basis: Span | None = None


class SentenceReading:
    """A sentence [start, end) of ``text`` and its figures, read once for all of them."""

    # Slots: one is made per sentence with figures, and its many fields are read in every loop
    # (an instance's dict of this many keys would lose the interpreter's fast attribute reads).
    __slots__ = (
        "_base_ends",
        "_before_clause",
        "_free",
        "_free_ends",
        "_last_subject",
        "_name_ends",
        "_names",
        "_opening",
        "_opening_clause",
        "_own_topics",
        "_parts",
        "_prev_basis",
        "_reach",
        "_strong_upto",
        "_subject_scans",
        "_topics",
        "_valid_name",
        "_with_metric",
        "bases",
        "bound",
        "clause_ends",
        "clause_starts",
        "end",
        "fig_clause",
        "fig_part",
        "fig_starts",
        "figures",
        "groups",
        "lex",
        "members",
        "periods",
        "ratios",
        "reader",
        "start",
        "text",
    )

    def __init__(
        self, text: str, start: int, end: int, figures: list[Draft], layout: Layout, lex: CueLexicon
    ) -> None:
        self.text = text
        self.start = start
        self.end = end
        self.figures = figures
        self.lex = lex
        cues = lex.cues
        n = len(figures)
        # Figures are the first spans marked (of equal offsets the first is kept, as by mark); each
        # figure's group (figures joined by 、, 和 … with nothing else between: 24.46万亿元、16.75万亿元)
        # is named by its first figure.
        ends: dict[int, tuple[str, int]] = {}
        starts_: dict[int, tuple[str, int]] = {}
        counts: set[int] = set()
        fig_starts: list[int] = []
        groups: list[int] = []
        members: dict[int, list[int]] = {}  # a group's first figure → the figures of the group
        joiners = lex.joiners
        last_end = -1
        for i, f in enumerate(figures):
            s, e = f.start, f.end
            fig_starts.append(s)
            if e not in ends:
                ends[e] = (FIGURE, s)
            if s not in starts_:
                starts_[s] = (FIGURE, e)
            if f.kind == "count":
                counts.add(s)
            if i and text[last_end:s].strip(_TRIM) in joiners:
                lead = groups[i - 1]
                groups.append(lead)
                members[lead].append(i)
            else:
                groups.append(i)
                members[i] = [i]
            last_end = e
        self.fig_starts = fig_starts
        self.groups = groups
        self.members = members
        self.reader = reader = PhraseReader(text, lex, layout.soft_break, start, end, ends, starts_, counts)
        # Only what stands before a figure can be its period or its comparison.
        reach = fig_starts[-1]
        periods = find_periods(text, start, reach, cues, lex, start)
        self.bases: list[Span] = [m.span() for m in cues.bases.finditer(text, start, reach)]
        for s, e in self.bases:
            if e not in ends:
                ends[e] = (BASIS, s)
            if s not in starts_:
                starts_[s] = (BASIS, e)
        # The clauses, each as [start, end) (its end: where the next one's mark stands), and each
        # figure's; the parts of the sentence (between ；) and each figure's.
        marks = [m.end() for m in cues.clause_marks.finditer(text, start, end)]
        while marks and marks[-1] >= end:
            marks.pop()  # a mark that ends the sentence opens no clause (Layout.clause_starts)
        self.clause_starts = clause_starts = [start, *marks]
        self.clause_ends = clause_ends = [k - 1 for k in marks]
        clause_ends.append(end)
        if not marks:
            self.fig_clause = fig_clause = [(start, end)] * n
        else:
            self.fig_clause = fig_clause = []
            for at in fig_starts:
                k = bisect_right(clause_starts, at) - 1
                fig_clause.append((clause_starts[k], clause_ends[k]))
        self._parts = parts = self._part_starts()
        if len(parts) == 1:
            self.fig_part = [start] * n
        else:
            self.fig_part = [parts[bisect_right(parts, at) - 1] for at in fig_starts]
        # A ratio's reference (是去年的|5倍, 跑赢沪深300指数约|3个百分点), per figure, and marked so that
        # the metric is read before it; a 从…的 before a figure: the span whose periods are its own.
        self.ratios: dict[int, Match] = {}
        bound: dict[int, Span] = {}
        trigger, bound_ends = lex.ratio_trigger, cues.bound_ends
        first_trigger: dict[int, int] = {}  # clause start → where its first ratio trigger is
        for i, f in enumerate(figures):
            fs = f.start
            if f.kind in RATIO_KINDS and groups[i] == i:
                low, high = fig_clause[i]
                at = -1
                if trigger is not None:
                    at = first_trigger.get(low, -1)
                    if at < 0:
                        found = trigger.search(text, low, high)
                        at = first_trigger[low] = found.start() if found is not None else high
                if at < fs:
                    m = match_before(cues.ratio_bases, text, low, fs)
                    if m is not None and m.group("ref"):
                        self.ratios[i] = m
                        reader.mark(BASIS, m.start(), m.end())
            if bound_ends is None or (fs > 0 and text[fs - 1] in bound_ends):
                span = self._bound_period(fig_clause[i][0], fs)
                if span is not None:
                    bound[i] = span
        # A period inside a comparison (比上年, 与上月相比, 是2013年的) is the comparison's.
        if periods and (self.bases or self.ratios):
            compared = self.bases + [m.span() for m in self.ratios.values()]
            periods = _outside(periods, compared)
        self.periods: list[Period] = periods
        for p in periods:
            if p.end not in ends:
                ends[p.end] = (PERIOD, p.start)
            if p.start not in starts_:
                starts_[p.start] = (PERIOD, p.end)
        self.bound = bound
        for s, e in bound.values():
            reader.mark(BOUND, s, e)
        self._free: list[Period] | None = None
        self._free_ends: list[int] | None = None
        self._strong_upto: list[int] = []
        self._base_ends: list[int] | None = None
        self._opening: Period | None = None
        self._topics: dict[int, Span | None] = {}
        self._own_topics: dict[int, Span | None] = {}
        self._last_subject: dict[tuple[int, int], Span] = {}
        self._opening_clause: int | None = None
        self._names: list[Span] | None = None
        self._name_ends: list[int] = []
        self._valid_name: list[int] = []  # per name, the last name up to it not in a comparison nor after 占
        self._reach: dict[int, int] = {}  # clause start → where its first word stands (_opens)
        self._prev_basis: dict[int, Span | None] = {}  # clause start → the clause before as a comparison
        self._with_metric: list[int] = []  # per figure read, the last figure up to it with a metric
        self._before_clause: dict[int, tuple[Span, Span | None] | None] = {}  # clause → _carried back
        self._subject_scans: dict[int, EndingMatches | None] = {}  # clause start → subject patterns

    # -- structure ---------------------------------------------------------------------------------

    def clause(self, offset: int) -> Span:
        """The clause [start, end) of the sentence that ``offset`` stands in."""
        i = bisect_right(self.clause_starts, offset) - 1
        if i < 0:
            i = 0
        return self.clause_starts[i], self.clause_ends[i]

    # -- the fields ------------------------------------------------------------------------------

    def read(self) -> list[FigureFields]:
        """The fields of every figure of the sentence, in order."""
        figures, bound = self.figures, self.bound
        out = [FigureFields() for _ in figures]
        periods = bool(self.periods)  # none before the figures: none is theirs (nor is a basis
        bases = bool(self.bases or self.ratios)  # without a comparison, unless a clause is one)
        for i in range(len(figures)):
            fields = out[i]
            if periods:
                fields.period = self._period(i, bound)
            if bases:
                fields.basis = self._basis(i)
            self._metric_subject(i, out)
        return out

    def _bound_period(self, low: int, at: int) -> Span | None:
        """The 从…的 span that ends where a figure starts at ``at``, when it holds no figure: its
        periods are that figure's alone (one that holds another figure, 从2020年的39.1万亿元提升到
        2024年的, belongs to that one)."""
        m = match_before(self.lex.cues.bound_periods, self.text, low, at)
        if m is None:
            return None
        # Whether a figure starts inside the span: the first starting at or after its start.
        k = bisect_left(self.fig_starts, m.start())
        return m.span() if k == len(self.fig_starts) or self.fig_starts[k] >= m.end() else None

    def _period(self, i: int, bound: dict[int, Span]) -> Span | None:
        f = self.figures[i]
        span = bound.get(i)
        if span is not None:
            for p in self.periods:
                if span[0] <= p.start and p.end <= span[1]:
                    return p.start, p.end
        if self._free is None:
            self._prepare_periods()
        free, ends = self._free, self._free_ends
        assert free is not None and ends is not None
        # A period set in a part of the sentence (between ；) serves that part; the first one set in
        # the sentence's first part reaches all of it (全年出生人口…；死亡人口…). The nearest strong
        # one in the part wins, else the nearest weak one.
        part = self.fig_part[i]
        weak: Period | None = None
        k = bisect_right(ends, f.start) - 1
        if k >= 0 and free[k].start >= part:
            p = free[k]
            if p.strong:
                return p.start, p.end
            weak = p
            k = self._strong_upto[k]
            if k >= 0 and free[k].start >= part:
                return free[k].start, free[k].end
        chosen = weak or self._opening
        return (chosen.start, chosen.end) if chosen is not None and chosen.end <= f.start else None

    def _prepare_periods(self) -> None:
        """The periods no 从…的 binds to one figure, and the first strong one of the first part."""
        free = _outside(self.periods, list(self.bound.values())) if self.bound else self.periods
        self._free = free
        self._free_ends = [p.end for p in free]
        # Per free period, the last strong one up to it (or -1); the first strong one that stands
        # in the sentence's first part (before its first ；) opens the sentence.
        parts = self._parts
        first_part_end = parts[1] if len(parts) > 1 else self.end + 1
        strong, last = [], -1
        for k, p in enumerate(free):
            if p.strong:
                last = k
                if self._opening is None and p.start < first_part_end:
                    self._opening = p
            strong.append(last)
        self._strong_upto = strong

    def _part_starts(self) -> list[int]:
        """Where the parts of the sentence (between ；) begin, in order."""
        text, parts, start, end = self.text, [self.start], self.start, self.end
        for mark in _PARTS:
            found = text.find(mark, start, end)
            while found >= 0:
                parts.append(found + 1)
                found = text.find(mark, found + 1, end)
        return sorted(parts) if len(parts) > 2 else parts

    def _basis(self, i: int) -> Span | None:
        f = self.figures[i]
        ratio = f.kind in RATIO_KINDS
        if not ratio and f.change is None:
            return None
        low = self.fig_clause[i][0]
        lead = self.figures[self.groups[i]]
        if ratio:
            m = self.ratios.get(self.groups[i])
            if m is not None:
                return m.span("ref")
        bases = self.bases
        if not bases:
            return None
        # The last comparison in the clause before the figure's group (comparisons do not overlap:
        # their ends come in order as their starts do).
        if self._base_ends is None:
            self._base_ends = [e for _, e in bases]
        k = bisect_right(self._base_ends, lead.start) - 1
        if k >= 0 and bases[k][0] >= low:
            return bases[k]
        # A comparison standing as a clause of its own governs the next clause (与上月相比，…).
        if low <= self.start:
            return None
        if low not in self._prev_basis:
            self._prev_basis[low] = self._clause_basis(low)
        return self._prev_basis[low]

    def _clause_basis(self, low: int) -> Span | None:
        """The comparison that is the whole clause before the one starting at ``low``, if one is."""
        prev_low, prev_high = self.clause(low - 1)
        clause_text = self.text[prev_low:prev_high].strip(_TRIM)
        bases = self.bases
        for k in range(bisect_left(bases, (prev_low,)), len(bases)):
            s, e = bases[k]
            if e > prev_high:
                break
            if self.text[s:e] == clause_text:
                return s, e
        return None

    def _metric_subject(self, i: int, out: list[FigureFields]) -> None:
        f = self.figures[i]
        fields = out[i]
        lead_index = self.groups[i]
        if lead_index != i:
            self._from_group(i, lead_index, out)
            return
        text, reader = self.text, self.reader
        low, high = self.fig_clause[i]
        group = self.members[i]
        last = self.figures[group[-1]]
        right: Span | None = None
        # A noun after the figure is read only where one can be its metric (not after a change).
        if (f.kind == "count" or (f.change is None and len(group) == 1)) and (
            last.end < high and in_phrase(text[last.end])
        ):
            after = reader.phrase_after(last.end, high)
            if not after.empty and self._is_metric(after.start, after.end):
                right = after.start, after.end
        adjacent = right is not None and text[last.end] != "的"
        # A count's noun follows it (4108家境外企业); so does a share's (100%税目产品).
        if (
            right is not None
            and len(group) == 1
            and (f.kind == "count" or (f.kind == "percent" and adjacent and f.change is None))
        ):
            fields.metric = right
            # 秘鲁200多个家庭: a name right before a count is whose the counted things are.
            fields.subject = self._name_before(f.start, low) or self._subject_around(i, low, right)
            return
        walk = reader.walk_left(f.start, low)
        metric, subject, items = self._phrase_at(walk, low, f.kind == "count")
        if items is not None and len(items) == len(group):
            for j, item in zip(group, items, strict=True):
                out[j].metric, out[j].subject = item[0], item[1] or subject
            if all(out[j].metric is None for j in group):
                self._inherit_list(group, low, out)
            return
        if items is not None and metric is None and len(items) > 1 and items[0][1] is None:
            # A list that does not match the figures one to one is one phrase (国家、地区和国际组织).
            whole = (items[0][0] or (0, 0))[0], (items[-1][0] or (0, 0))[1]
            metric = whole if whole[1] > whole[0] else None
        if metric is None and walk.figure:
            carried = self._carried(i, low, out)  # 从8天缩短到|72小时: the same quantity
            if carried is not None:
                metric, subject = carried[0], subject or carried[1]
        if (
            right is not None
            and f.change is None
            and len(group) == 1
            and self._prefers_right(f, walk, metric)
        ):
            metric = right
        lead = self._leading_words(f)
        if lead:
            # 基本|每股收益1.25元: the rate's own words (its denominator) end the metric.
            adjacent = metric is not None and walk.end == f.start and metric[1] == f.start
            metric = (metric[0] if metric is not None and adjacent else f.start), f.start + lead
        if metric is None:
            if len(group) > 1:
                self._inherit_list(group, low, out)
                if subject is not None:
                    for j in group:
                        out[j].subject = subject
                return
            carried = self._carried(i, low, out)
            if carried is not None:
                metric, carried_subject = carried
                subject = subject or carried_subject
        fields.metric = metric
        fields.subject = subject or self._subject_around(i, low, metric)

    def _leading_words(self, f: Draft) -> int:
        """How many characters of words open a rate's own text (每股收益 in 每股收益1.25元): they
        name what it measures. 0 for a figure that starts with its number."""
        if f.per is None:
            return 0
        text, n = self.text, 0
        while f.start + n < f.end and text[f.start + n].isalpha() and not text[f.start + n].isnumeric():
            n += 1
        return n if n >= 2 else 0

    def _prefers_right(self, f: Draft, walk: Walk, metric: Span | None) -> bool:
        """Whether a noun after the figure, rather than the phrase before it, is what it measures:
        when nothing stands before it; when it stands right before the noun as an attribute
        (50万伏超高压变压器, 2兆瓦液氦燃料…实验堆) and no verb makes it a predicate; when 的 stands
        before it (位于甘肃民勤的2兆瓦…); or when 的 follows it and the phrase before is long."""
        if metric is None:
            return True
        text = self.text
        before = f.start - 1
        while before > self.start and text[before] in _TRIM:
            before -= 1
        if text[before] == "的":
            return True
        if text[f.end] == "的":
            return metric[1] - metric[0] > 6
        return not walk.verb

    def _from_group(self, i: int, lead: int, out: list[FigureFields]) -> None:
        """A figure joined to the one before it shares its phrase (set when the lead was read)."""
        fields, first = out[i], out[lead]
        if fields.metric is None and fields.subject is None:
            fields.metric, fields.subject = first.metric, first.subject

    def _inherit_list(self, group: list[int], low: int, out: list[FigureFields]) -> None:
        """A list of figures without its own metric takes those of the figures before it, position
        by position when there are as many (同比分别增长5.7%和1.7% after 出口…，进口…)."""
        lead = group[0]
        n = len(group)
        if lead >= n and all(out[lead - n + k].metric is not None for k in range(n)):
            for k, j in enumerate(group):
                src = out[lead - n + k]
                out[j].metric = src.metric
                out[j].subject = out[j].subject or src.subject
            return
        carried = self._carried(lead, low, out)
        if carried is not None:
            for j in group:
                out[j].metric = carried[0]
                out[j].subject = out[j].subject or carried[1]

    def _carried(self, i: int, low: int, out: list[FigureFields]) -> tuple[Span, Span | None] | None:
        """The metric a figure with no phrase of its own continues: that of the figure before it in
        its clause (从8天缩短到72小时); else, clause by clause back, the last figure's of a clause, or
        the noun phrase heading a clause without figures (服务贸易规模稳居全球第二，去年首次超过1万亿美元)."""
        k = self._last_with_metric(i - 1, out)
        if k >= 0 and self.figures[k].start >= low:
            return out[k].metric, out[k].subject  # type: ignore[return-value]
        found = self._before_clause.get(low, self)
        if found is self:
            found = self._carried_before(low, out)
        return found  # type: ignore[return-value]

    def _last_with_metric(self, j: int, out: list[FigureFields]) -> int:
        """The last figure up to ``j`` that has a metric, or -1. Figures before the one being read
        are final, so the answer for each is kept: a long list of figures is not read back each time."""
        known = self._with_metric
        while len(known) <= j:
            n = len(known)
            known.append(n if out[n].metric is not None else (known[n - 1] if n else -1))
        return known[j] if j >= 0 else -1

    def _carried_before(self, low: int, out: list[FigureFields]) -> tuple[Span, Span | None] | None:
        """What ``_carried`` finds in the clauses before the one at ``low``, back to the sentence's
        start (kept for every clause passed: each answer holds for the clauses after it as well)."""
        passed: list[int] = []
        found: tuple[Span, Span | None] | None = None
        starts = self.fig_starts
        j = bisect_left(starts, low) - 1  # the last figure before the clause
        clause_low = low
        while clause_low > self.start:
            known = self._before_clause.get(clause_low, self)
            if known is not self:
                found = known  # type: ignore[assignment]
                break
            passed.append(clause_low)
            prev_low, prev_high = self.clause(clause_low - 1)
            first = bisect_left(starts, prev_low, 0, j + 1)  # the clause's figures: first … j
            if first <= j:
                k = self._last_with_metric(j, out)
                if k >= first:
                    found = out[k].metric, out[k].subject  # type: ignore[assignment]
                    break
                j = first - 1
            else:
                head = self._head_of_clause(prev_low, prev_high)
                if head is not None:
                    found = head, None
                    break
            clause_low = prev_low
        for c in passed:
            self._before_clause[c] = found
        return found

    # -- phrases ---------------------------------------------------------------------------------

    def _share_verb_before(self, pos: int, low: int) -> int | None:
        """Where a 占 begins that stands before ``pos`` with only names and periods between
        (占同期我国|出口总值的60.9%): the phrase at ``pos`` is then a denominator."""
        text, ends = self.text, self.reader.ends
        share_ends = self.lex.share_verb_ends
        if share_ends is None or share_ends.search(text, low, pos) is None:
            return None  # no share verb ends in the stretch
        while pos > low:
            if text[pos - 1] in _TRIM:
                pos -= 1
                continue
            mark = ends.get(pos)
            if mark is not None and mark[0] == PERIOD:
                pos = mark[1]
                continue
            word = self.lex.ending_at(self.text, pos, low)
            if word is None:
                return None
            if word[1] == cm.SHARE_VERB:
                return pos - word[0]
            if word[1] != cm.SUBJECT:
                return None
            pos -= word[0]
        return None

    def _phrase_at(
        self, walk: Walk, low: int, count: bool = False
    ) -> tuple[Span | None, Span | None, list[tuple[Span | None, Span | None]] | None]:
        """The metric and subject of the phrase a walk left stopped at, and, after 分别 or for a list,
        the listed items as (metric, subject) pairs."""
        reader, text, lex = self.reader, self.text, self.lex
        phrase = reader.phrase_before(walk.end, low)
        # The phrase between 占 and the figure is the denominator: the numerator stands before 占.
        for _ in range(2):
            share = self._share_verb_before(phrase.start, low)
            if share is None:
                break
            walk = reader.walk_left(share, low)
            phrase = reader.phrase_before(walk.end, low)
        start, end = _trim(text, phrase.start, phrase.end)
        ones = lex.ones
        while (
            start < end
            and ones.get(text[start]) == _ONE_JOINER
            and lex.starting_at(text, start, end) == _ONE_JOINER
        ):
            start += 1
        subject: Span | None = None
        chain: list[Span] = []
        if phrase.stop == "subject":
            subject = self._subject_chain(phrase.stop_start, phrase.stop_end, low, chain)
            # 北京|市地区生产总值: the name's own ending belongs to it.
            if text.startswith(lex.suffixes, start):
                for suffix in lex.suffixes:
                    if text.startswith(suffix, start) and end - start - len(suffix) >= 2:
                        subject = (subject[0], start + len(suffix))
                        start += len(suffix)
                        break
        elif phrase.stop == FIGURE and start < end:
            # 43个交易团、注册观众约45万人: the first listed noun is the earlier figure's.
            word = self._first_joiner(start, end)
            if word is not None:
                start = word
        pattern = self._subject_pattern(low, walk.end)
        if pattern is not None:
            subjects, shared = pattern
            if len(subjects) > 1:
                return shared, None, [(shared, s) for s in subjects]
            return shared, subjects[0], None
        if len(chain) > 1 and walk.distributive:
            listed = self._metric_of(start, end, count)[0] if end > start else None
            return listed, subject, [(listed, name) for name in chain]
        if end <= start:
            return None, subject, None
        items = self._items(start, end) if walk.distributive or self._joined_list(start, end) else None
        if items is not None:
            return None, subject, items
        if text[start:end] in lex.rate_words:
            # 对外投资年均增速超过5%: a rate word names the rate of the phrase before it.
            before = reader.walk_left(start, low)
            if before.end < start:
                inner = reader.phrase_before(before.end, low)
                s, e = _trim(text, inner.start, inner.end)
                if e > s:
                    return (*self._metric_of(s, e, count), None)
            return None, subject, None
        metric, own_subject = self._metric_of(start, end, count)
        if subject is not None and own_subject is not None and own_subject[0] == start:
            own_subject = subject[0], own_subject[1]  # 海南|自由贸易港: one name
        return metric, own_subject or subject, None

    def _first_joiner(self, start: int, end: int) -> int | None:
        """Where the text after the first joiner in [start, end) begins."""
        for pos in range(start, end):
            word = self.lex.starting_at(self.text, pos, end)
            if word is not None and word[1] == cm.JOINER:
                return pos + word[0]
        return None

    def _metric_of(self, start: int, end: int, count: bool = False) -> tuple[Span | None, Span | None]:
        """A phrase as (metric, subject): 的 cut, a subject split off, a bare rate word dropped.

        A whole phrase that names a subject is the subject (股份制企业增长6.1%), except for a count,
        whose phrase is what is counted (人工智能企业突破2400家)."""
        text, lex = self.text, self.lex
        de = text.rfind("的", start, end)
        if de >= 0 and end - de - 1 >= 2 and text[de + 1 : end] not in lex.not_metrics:
            start = de + 1
        phrase = text[start:end]
        if phrase.startswith(lex.references):
            for ref in lex.references:
                if phrase.startswith(ref) and len(phrase) - len(ref) >= 2:
                    start += len(ref)  # 该行|资产总额: a bare reference is nobody's name
                    phrase = text[start:end]
                    break
        if lex.is_subject(phrase) and not (count and phrase not in lex.subject_names):
            return None, (start, end)
        subject: Span | None = None
        cut = self.reader.split_subject(start, end)
        if cut is not None:
            subject, start = (start, cut), cut
            phrase = text[start:end]
        if not self._is_metric(start, end):
            return None, subject
        if phrase.endswith(lex.rate_tuple):
            for n in range(min(lex.max_rate, len(phrase) - 2), 1, -1):
                if phrase[-n:] in lex.rate_words:
                    end -= n  # 出口增速 → 出口: a rate takes the metric of what changes
                    break
        return (start, end), subject

    def _items(self, start: int, end: int) -> list[tuple[Span | None, Span | None]] | None:
        """Items listed in [start, end), split at the joiners, as (metric, subject) pairs. When the
        last item is longer than the others (出口、进口国际市场份额), its extra is a shared tail."""
        text, lex = self.text, self.lex
        items: list[Span] = []
        pos = item = start
        while pos < end:
            word = self.lex.starting_at(self.text, pos, end)
            if word is not None and word[1] == cm.JOINER:
                items.append((item, pos))
                pos += word[0]
                item = pos
                continue
            if word is not None and word[1] == cm.NOUN:
                pos += word[0]
                continue
            pos += 1
        items.append((item, end))
        items = [_trim(text, s, e) for s, e in items]
        if len(items) < 2 or any(e <= s for s, e in items):
            return None
        lengths = {e - s for s, e in items[:-1]}
        last_s, last_e = items[-1]
        tail: Span | None = None
        if len(lengths) == 1:
            head = lengths.pop()
            if last_e - last_s >= head + 2:
                items[-1] = (last_s, last_s + head)
                tail = (last_s + head, last_e)
        if all(lex.is_subject(text[s:e]) for s, e in items):
            metric = self._metric_of(tail[0], tail[1])[0] if tail is not None else None
            return [(metric, s) for s in items]
        return [(s, None) for s in items]

    def _joined_list(self, start: int, end: int) -> bool:
        return self.text.find("、", start, end) >= 0

    def _is_metric(self, start: int, end: int) -> bool:
        """A metric names something: two characters at least, not a pronoun, not a bare number."""
        if end - start < 2:
            return False
        phrase = self.text[start:end]
        if phrase in self.lex.not_metrics:
            return False
        first = phrase[0]  # mostly a Han character: the phrase names something at once
        return (first.isalnum() and not first.isdigit()) or any(
            c.isalnum() and not c.isdigit() for c in phrase
        )

    def _subject_chain(self, start: int, end: int, low: int, names: list[Span]) -> Span:
        """A subject name with the names joined to it before (中国内地和中国香港); ``names`` gets each."""
        names.append((start, end))
        while start > low:
            joiner = self.lex.ending_at(self.text, start, low)
            if joiner is None or joiner[1] != cm.JOINER:
                break
            name = self.lex.ending_at(self.text, start - joiner[0], low)
            if name is None or name[1] != cm.SUBJECT:
                break
            start = start - joiner[0] - name[0]
            names.insert(0, (start, start + name[0]))
        return start, end

    def _subject_pattern(self, low: int, end: int) -> tuple[list[Span], Span] | None:
        """A subject pattern (对东盟进出口) whose metric ends where the words to the figure begin."""
        ends = self.lex.subject_ends
        if ends is not None and (end <= low or self.text[end - 1] not in ends):
            return None  # no match can end here
        scan = self._subject_scans.get(low, self)
        if scan is self:
            scan = self._subject_scans[low] = self._subject_scan(low)
        if scan is None or scan.first >= end:  # type: ignore[union-attr]
            return None  # no pattern's first character before ``end``
        found = None
        for m in scan.ending_at(end):  # type: ignore[union-attr]
            if m.end() == end and m.group("metric") is not None:
                found = m
        if found is None:
            return None
        s, e = found.span("subject")
        subjects = self._items(s, e)
        spans = [sub for _, sub in subjects if sub is not None] if subjects else []
        if not spans or (subjects and len(spans) != len(subjects)):
            spans = [(s, e)]
        return spans, found.span("metric")

    def _subject_scan(self, low: int) -> EndingMatches | None:
        """The subject patterns' matches in the clause at ``low`` (None: it holds no character a
        match can start with); ``first`` is where the first such character is."""
        text, lex = self.text, self.lex
        high = self.clause(low)[1]
        trigger = lex.subject_trigger
        first = low
        if trigger is not None:
            at = trigger.search(text, low, high)
            if at is None:
                return None
            first = at.start()
        return EndingMatches(lex.cues.subject_patterns, text, low, high, lex.subject_width, first)

    def _subject_around(self, i: int, low: int, metric: Span | None) -> Span | None:
        """The subject of a figure whose phrase named none: who or what its clause is about (飞利浦
        已在中国建立起五大创新中心); else the nearest earlier clause of the sentence that opens with a
        name, a place or an organisation; else the nearest listed name in its part of the sentence."""
        f = self.figures[i]
        part = self.fig_part[i]
        # Figures of one clause mostly share a subject: the last one found serves the next.
        known = self._last_subject.get((low, part))
        if known is not None and known[1] <= f.start and not _overlaps(known, metric):
            return known
        found = self._find_subject(f, low, part, metric)
        if found is not None:
            self._last_subject[(low, part)] = found
        return found

    def _find_subject(self, f: Draft, low: int, part: int, metric: Span | None) -> Span | None:
        # A metric that opens the clause is what the clause is about: no one else opens it.
        if metric is None or not self._opens(low, metric[0]):
            # Reading stops at the clause's first figure, so every figure of a clause gets one answer.
            if low not in self._own_topics:
                self._own_topics[low] = self._topic(low, f.start, relaxed=True)
            topic = self._own_topics[low]
            if topic is not None and not _overlaps(topic, metric):
                return topic
        # The clause before and the sentence's first one: who acts in a sentence is named early.
        i = bisect_right(self.clause_starts, low) - 1
        for k in (i - 1, 0) if i > 1 else (0,) if i == 1 else ():
            topic = self._clause_topic(self.clause_starts[k])
            if topic is not None and not _overlaps(topic, metric):
                return topic
        return self._nearest_name(part, f.start) or self._opening_topic(low)

    def _clause_topic(self, low: int) -> Span | None:
        """The strict topic of an earlier clause (cached: every figure after it asks), None for a
        clause that names a speaker."""
        if low not in self._topics:
            self._topics[low] = None if self._reports(low) else self._topic(low, self.end)
        return self._topics[low]

    def _name_before(self, pos: int, low: int) -> Span | None:
        """A listed name that ends where the words before a figure begin (全国|建成|3.5万多家)."""
        end = self.reader.walk_left(pos, low).end
        word = self.lex.ending_at(self.text, end, low)
        if word is None or word[1] != cm.SUBJECT:
            return None
        return end - word[0], end

    def _opens(self, low: int, pos: int) -> bool:
        """Whether only space, quotes and periods stand between a clause start and ``pos``."""
        reach = self._reach.get(low)
        if reach is None:
            # Where the clause's first word stands, past space, quotes and periods: kept per clause.
            text, starts, end = self.text, self.reader.starts, self.end
            reach = low
            while reach < end:
                mark = starts.get(reach)
                if mark is not None and mark[0] == PERIOD:
                    reach = mark[1]
                elif text[reach] in _TRIM or text[reach] in '“"':
                    reach += 1
                else:
                    break
            self._reach[low] = reach
        return pos <= reach

    def _opening_topic(self, before: int) -> Span | None:
        """The subject that opens the sentence: that of its first clause with more than a period,
        past a clause that names a speaker (…凌激介绍，截至今年6月底，“十四五”期间我国…)."""
        if self._opening_clause is None:
            self._opening_clause = self.end
            for low in self.clause_starts:
                if not self._reports(low) and not self._opens(low, self.clause(low)[1]):
                    self._opening_clause = low  # not a speaker's clause, nor a period alone
                    break
        low = self._opening_clause
        return self._clause_topic(low) if low < before else None

    def _reports(self, low: int) -> bool:
        """Whether the clause at ``low`` names a speaker (商务部副部长盛秋平说，…)."""
        _, high = self.clause(low)
        return self.text[low:high].rstrip(_TRIM).endswith(self.lex.reporting)

    def _topic(self, low: int, limit: int, relaxed: bool = False) -> Span | None:
        """The subject that opens the clause at ``low``: past its periods and adverbs, the phrase
        before its first verb, when it names a place, an organisation or an entity type, or, when
        ``relaxed``, anyone at all that a verb follows (西门子|在…, 李春临|以…)."""
        text, lex, reader = self.text, self.lex, self.reader
        starts = reader.starts
        high = self.clause_ends[bisect_right(self.clause_starts, low) - 1]  # (self.clause, inlined)
        if limit < high:
            high = limit
        pos = low
        while pos < high:
            ch = text[pos]
            if ch in _TRIM_QUOTE:
                pos += 1
                continue
            mark = starts.get(pos)
            if mark is not None and mark[0] == PERIOD:
                pos = mark[1]
                continue
            word = lex.starting_at(text, pos, high)  # the longest cue word starting here
            if word is not None and word[1] in _OPENING_WORDS:
                pos += word[0]
                continue
            break
        begin = pos
        follows = ""
        if begin + _MAX_TOPIC < high:
            high = begin + _MAX_TOPIC
        if lex.names.match(text, begin, high) is None and lex.suffix_search.search(text, begin, high) is None:
            if not relaxed:
                return None  # no name, no place's or organisation's ending: no strict subject here
            if begin + _MAX_ACTOR + 1 < high:
                high = begin + _MAX_ACTOR + 1  # only a short actor can be one
        while pos < high:
            if pos in starts:
                if starts[pos][0] == PERIOD:
                    follows = PERIOD  # 招商蛇口|前三季度实现…: a subject, then its period
                break
            word = lex.starting_at(text, pos, high)  # the longest cue word starting here
            if word is not None:
                n, cls = word
                if cls == cm.SUBJECT and pos == begin:
                    return self._name(pos, pos + n, high)
                if cls == cm.NOUN:
                    pos += n
                    continue
                if cls == cm.LOCALIZER and reader.ends_noun(pos + n, high):
                    break
                # A one-character cue inside a name (习近平) does not end it.
                if cls in cue_classes.SKIPPED and (n > 1 or pos - begin >= 2):
                    follows = cls
                    break
                if cls == cm.SUBJECT:
                    break
            ch = text[pos]
            if not (ch.isalnum() or ch in IN_PHRASE):  # in_phrase, inlined
                break
            pos += 1
        start, end = _trim(text, begin, pos)
        if end - start < 2:
            return None
        phrase = text[start:end]
        if lex.is_subject(phrase, names_only=not relaxed):
            return self._last_entity(start, end)
        cut = reader.split_subject(start, end, topic=True)
        if cut is not None:
            return self._last_entity(start, cut)
        # Anyone a preposition or an adverb follows (西门子|在…, 王文涛|从…): not a verb (培育|了).
        if (
            relaxed
            and follows in (cm.FUNCTION, PERIOD)
            and text[pos] not in _ASPECT
            and end - start <= _MAX_ACTOR
            and "的" not in phrase
            and not lex.is_reference(phrase)
            and phrase not in lex.not_metrics
        ):
            return start, end
        return None

    def _last_entity(self, start: int, end: int) -> Span:
        """The last of juxtaposed entities (技术装备展区|宇树科技展台): the one the figure is about."""
        text, lex = self.text, self.lex
        for cut in range(end - 3, start + 2, -1):
            if text[start:cut].endswith(lex.suffixes) and text[cut:end].endswith(lex.suffixes):
                return cut, end
        return start, end

    def _name(self, start: int, end: int, limit: int) -> Span:
        """A listed name with what continues it: a place's ending (深圳|市, 东部|地区), or the rest of
        an organisation's or place's name (重庆|嘉陵江实验室, 合肥|骆岗公园)."""
        text, lex = self.text, self.lex
        pos = end
        noun_end = -1  # where a listed noun read last ends: 全国|城镇 is no place's name
        while pos < limit and pos - end < 12 and in_phrase(text[pos]):
            word = lex.starting_at(text, pos, limit)
            if word is not None and word[1] != cm.NOUN:
                break
            pos += word[0] if word is not None else 1
            if word is not None:
                noun_end = pos
        if pos > end and pos != noun_end and text[start:pos].endswith(lex.name_suffixes):
            return start, pos
        for n in (2, 1):
            if end + n <= limit and text[end : end + n] in lex.short_name_suffixes:
                return start, end + n
        return start, end

    def _nearest_name(self, low: int, limit: int) -> Span | None:
        """The last listed name in [low, limit), outside comparisons and not after 占."""
        if self._names is None:
            self._read_names()
        names = self._names
        assert names is not None
        # The last name ending by ``limit`` (names do not overlap: their ends come in order), then the
        # last one up to it that counts.
        k = bisect_right(self._name_ends, limit) - 1
        k = self._valid_name[k] if k >= 0 else -1
        if k < 0 or names[k][0] < low:
            return None
        return self._name(names[k][0], names[k][1], limit)

    def _read_names(self) -> None:
        """The listed names of the sentence, and for each the last one up to it that stands outside
        the comparisons and not after 占 (-1: none)."""
        names = [m.span() for m in self.lex.names.finditer(self.text, self.start, self.end)]
        self._names = names
        if not names:
            return
        self._name_ends = [e for _, e in names]
        compared = _Cover(self.bases) if self.bases else ()
        valid, last = [], -1
        for k, (s, _) in enumerate(names):
            if s not in compared:
                before = self.lex.ending_at(self.text, s, self.start)
                if before is None or before[1] != cm.SHARE_VERB:
                    last = k
            valid.append(last)
        self._valid_name = valid

    def _head_of_clause(self, low: int, high: int) -> Span | None:
        """The noun phrase before the first verb of the clause [low, high) (其中，机电产品是出口主力，
        增长8.8% → 机电产品): what a figure with no phrase of its own after it is about."""
        text, lex = self.text, self.lex
        pos = low
        while pos < high:
            word = lex.starting_at(text, pos, high)  # the longest cue word starting here
            if word is not None and word[1] in _HEAD_ENDS and pos > low:
                phrase = self.reader.phrase_before(pos, low)
                start, end = _trim(text, phrase.start, phrase.end)
                if end > start:
                    return self._metric_of(start, end)[0]
                return None
            pos += word[0] if word is not None else 1
        return None


class _Cover:
    """The offsets inside any of some spans (which may overlap and come in any order), each asked
    by one bisection rather than a test of every span."""

    __slots__ = ("ends", "starts")

    def __init__(self, spans: list[Span]) -> None:
        merged: list[list[int]] = []
        for s, e in sorted(spans):
            if merged and s <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], e)
            elif s < e:
                merged.append([s, e])
        self.starts = [s for s, _ in merged]
        self.ends = [e for _, e in merged]

    def __contains__(self, pos: int) -> bool:
        k = bisect_right(self.starts, pos) - 1
        return k >= 0 and pos < self.ends[k]


def _outside(periods: list[Period], spans: list[Span]) -> list[Period]:
    """The periods that start inside none of ``spans``."""
    cover = _Cover(spans)
    return [p for p in periods if p.start not in cover]


def _overlaps(a: Span, b: Span | None) -> bool:
    return b is not None and a[0] < b[1] and b[0] < a[1]


def _trim(text: str, start: int, end: int) -> Span:
    while start < end and text[start] in _TRIM:
        start += 1
    while end > start and text[end - 1] in _TRIM:
        end -= 1
    return start, end

"""Scanning a text with every rule and resolving overlapping matches into figure drafts.

In: a text and a compiled ruleset. Out: :class:`Draft` figures in document order, each with its exact
value (a range's low end takes the multiplier written only on its high end: 20至30亿元), not yet
joined to its neighbours (``factx.context.neighbours`` does that).
"""

from __future__ import annotations

import time
from bisect import bisect_right
from dataclasses import dataclass, replace
from decimal import Decimal

import regex

from factx.normalize.numbers import ParsedNumber, parse_number, shared_multiplier
from factx.packs.ruleset import CompiledRule, RuleSet, UnitInfo
from factx.validators import VALIDATORS, NumberFacts

_ONE = Decimal(1)
_ZERO = Decimal(0)
_HALF = Decimal("0.5")
_FULLWIDTH = str.maketrans("０１２３４５６７８９", "0123456789")


def _parts(m: regex.Match[str], rule: CompiledRule, rs: RuleSet) -> Decimal | None:
    """The smaller units that follow the main one (2小时06分38秒: 6 分 and 38 秒), in the canonical
    unit, by the rule's `parts` factors; None when a part cannot be read."""
    total = _ZERO
    for n_text, u_text in zip(m.captures("n"), m.captures("u"), strict=True):
        part = parse_number(n_text, rs)
        if part is None or u_text not in rule.parts:
            return None
        total += part.value * rule.parts[u_text]
    return total


class ScanTimeout(Exception):
    """A rule's pattern ran past the time limit on a document."""

    def __init__(self, rule_ids: list[str], drafts: list[Draft]) -> None:
        self.rule_ids = rule_ids
        self.drafts = drafts  # what the other rules found, kept
        super().__init__(f"pattern timed out: {', '.join(rule_ids)}")


@dataclass(slots=True)
class Draft:
    """A figure before its context (sentence, change, coordination) is known.

    Not frozen: one is built for every match, and a frozen dataclass sets each field through
    object.__setattr__. Stages copy a draft with dataclasses.replace rather than change it.
    """

    start: int
    end: int
    kind: str | None  # None until an inheriting figure takes the next figure's unit
    unit: str | None
    factor: Decimal
    offset: Decimal
    value: Decimal
    value_high: Decimal | None
    approx: str | None
    classifier: str | None
    unit_form: str | None
    post: str | None
    number: ParsedNumber | None
    number_high: ParsedNumber | None
    rule: CompiledRule
    rule_index: int
    change: str | None = None
    num_text: str = ""
    per: str | None = None
    # The number whose multiplier this figure's number shares, as written: a list item's (1,586 of
    # 1,586、968和1,012万吨 takes the 万 of 1,012万), passed along the list.
    multiplier_of: str = ""

    @property
    def length(self) -> int:
        return self.end - self.start

    def with_unit_of(self, other: Draft, multiplier: Decimal = _ONE) -> Draft:
        """This figure in another figure's unit (a unit written once for two numbers), its number
        times ``multiplier`` when it also shares the other's multiplier (30、40億元)."""
        factor, offset = other.factor, other.offset
        low = (self.number.value if self.number else self.value) * multiplier
        high = self.number_high.value * multiplier * factor + offset if self.number_high else None
        return replace(
            self,
            kind=other.kind,
            unit=other.unit,
            factor=factor,
            offset=offset,
            value=low * factor + offset,
            value_high=high,
            classifier=other.classifier if other.kind == "count" else None,
            unit_form=other.unit_form,
            per=other.per,
        )


GOVERNING_REACH = 24  # how far back a governing qualifier (约占全国的) may start


class _Groups:
    """The named groups of a match, read on demand (``m.groupdict()`` builds them all, every time)."""

    __slots__ = ("_m", "_names")

    def __init__(self, m: regex.Match[str], names: frozenset[str]) -> None:
        self._m = m
        self._names = names

    def get(self, name: str) -> str | None:
        if name not in self._names:
            return None
        value: str | None = self._m.group(name)
        return value

    def __contains__(self, name: str) -> bool:
        return name in self._names


def _classifier(form: str, rs: RuleSet) -> str:
    """The measure word in simplified script (個 → 个), as the classifier_variants table says."""
    variants = rs.classifier_variants
    return "".join(variants.get(ch, ch) for ch in form) if variants else form


def prefix_qualifier(text: str, start: int, rs: RuleSet) -> str | None:
    """The approximation stated by the word just before ``start`` (超过, 约, 近), or by a qualifier
    that governs the figure from a little further back (约占全国的三分之一), if any."""
    end = start
    while end > 0 and text[end - 1] in " \t\u3000":
        end -= 1
    if end == 0 or text[end - 1] not in rs.qual_before_last_chars:
        return _governing(text, start, rs)
    for length in rs.qual_before_lengths:
        if length <= end:
            word = text[end - length : end]
            if word in rs.qual_before:
                return rs.qual_before[word]  # a null entry (最近) stops the search
    return _governing(text, start, rs)


def _governing(text: str, start: int, rs: RuleSet) -> str | None:
    if rs.governing_pattern is None:
        return None
    m = rs.governing_pattern.search(text, max(0, start - GOVERNING_REACH), start)
    if m is not None and m.lastgroup is not None:
        return rs.governing_values[int(m.lastgroup[1:])]
    return None


def _ends_with_magnitude(num_text: str, rs: RuleSet) -> bool:
    stripped = num_text
    for infix in rs.qual_infix:
        if stripped.endswith(infix):
            stripped = stripped[: -len(infix)]
            break
    return any(stripped.endswith(m) for m in rs.magnitudes)


def _passes(
    validators: tuple[str, ...],
    num_text: str,
    number: ParsedNumber | None,
    qualified: bool,
    rs: RuleSet,
    ranged: bool,
) -> bool:
    if not validators:
        return True
    facts = NumberFacts(
        number_text=num_text,
        has_digit=number.has_digit if number is not None else True,
        cjk_only=number.cjk_only if number is not None else False,
        qualified=qualified,
        is_article=(num_text in rs.articles) and not ranged,
        # Only the fallback asks, so only then is it worked out.
        ends_with_magnitude="ends_with_magnitude" in validators and _ends_with_magnitude(num_text, rs),
    )
    return all(VALIDATORS[name](facts) for name in validators)


_SPACES = " \u00a0\u3000"
CODE_DIGITS = 4  # a plain run of this many digits, a space, then 万 or 亿: a code or a year and a name


def _code_then_name(num_text: str) -> bool:
    """股票代码 000002 万科A, 2024 万达: digits written apart from a 万 or 亿 that starts a name."""
    for i, ch in enumerate(num_text):
        if ch in _SPACES:
            head = num_text[:i]
            return len(head) >= CODE_DIGITS and head.isdigit()
    return False


def fall_back(draft: Draft, rs: RuleSet) -> Draft | None:
    """A unitless match with no figure to take a unit from: its rule's fallback kind, or nothing."""
    fallback = draft.rule.fallback
    if fallback is None or draft.number is None:
        return None
    if draft.approx is None and _code_then_name(draft.num_text):
        return None  # a count of 3.5 亿 (月活用户 3.5 亿) is written with fewer digits or a separator
    if not _passes(
        tuple(fallback.validators), draft.num_text, draft.number, draft.approx is not None, rs, False
    ):
        return None
    return replace(draft, kind=fallback.kind, unit=fallback.unit)


def normalize_match(
    m: regex.Match[str], rule: CompiledRule, index: int, text: str, rs: RuleSet
) -> list[Draft]:
    """One match → zero, one or (for a range of two different units) two drafts."""
    groups = _Groups(m, rule.group_names)
    num_text = groups.get("num") or ""
    num2_text = groups.get("num2")
    number = number_high = None
    if rule.value is not None:
        base = rule.value
    elif rule.form == "fraction":
        num = parse_number(num_text, rs)
        den = parse_number(groups.get("den") or "", rs)
        if num is None or den is None or den.value == 0 or num.value >= den.value:
            return []
        base = num.value / den.value
    else:
        number = parse_number(num_text, rs)
        if number is None:
            return []
        base = number.value
        if groups.get("half"):
            base += _HALF  # 一吨半, 两个半小时
        frac = groups.get("frac")
        if frac:
            # 1米96 = 1.96 米, 9秒98 = 9.98 秒: the digits after the unit are its decimals.
            digits = frac.translate(_FULLWIDTH)
            if not digits.isdigit():
                return []
            base += Decimal(digits) / (Decimal(10) ** len(digits))
    if groups.get("sign") and number is not None:
        base = -base  # 负百分之十点八: the sign is written apart from the number
    if num2_text:
        number_high = parse_number(num2_text, rs)
        both_units = bool(groups.get("unit_high")) and bool(groups.get("unit"))  # 10%-15%
        if number_high is not None and number is not None and not both_units:
            # 20至30亿元, 3-5万人: the low end takes the multiplier written on the high end only,
            # unless it is complete by itself (5000至1.2万元) or has its own (1亿至3亿元).
            shared = shared_multiplier(num_text, num2_text, rs, ordered=True)
            if shared is not None:
                base *= shared
        # A high end not above the low one is no range; with a unit at each end (8天到5公里) the
        # ends are compared, or split into two figures, once both units are known (below).
        if number_high is None or (number_high.value <= base and not groups.get("unit_high")):
            return []

    # A range whose ends both carry a unit (10%-15%): `unit` is the low end's, `unit_high` the figure's.
    unit_high = groups.get("unit_high")
    unit1 = groups.get("unit") if unit_high else None
    unit_form = unit_high or groups.get("unit")
    info: UnitInfo | None = None
    if rule.kind is not None:
        kind, unit, factor, offset, classifier = rule.kind, rule.unit, rule.factor or _ONE, _ZERO, None
    elif unit_form:
        # A unit written before the number (￥120, 人民币3000万) is looked up among the prefixes.
        before = bool(num_text) and m.start("unit_high" if unit_high else "unit") < m.start("num")
        info = (rs.units_before if before else rs.units_after).get(unit_form)
        if info is None:
            return []
        kind, unit, factor, offset = info.kind, info.unit, info.factor, info.offset
        classifier = _classifier(unit_form, rs) if info.classifier else None
    elif rule.inherit:
        kind, unit, factor, offset, classifier = None, None, _ONE, _ZERO, None
    else:
        return []

    unit2 = groups.get("unit2")
    if unit2 and info is not None:
        after = rs.units_after.get(unit2)
        if after is None or after.kind != info.kind:
            return []  # 人民币300万人: the trailing unit is not money; figure.unit finds 300万人
        # 新台幣1,000元: the currency written first decides; the 元 after it is the generic word.

    factor_low = factor
    if unit1 and info is not None and number is not None and number_high is not None:
        low = rs.units_after.get(unit1)
        if low is None:
            return []
        if low.unit != info.unit or base * low.factor >= number_high.value * factor:
            # 8天到5公里, 8天到72小时: two figures, not one range (different units, or a high end
            # that is not higher once both are in the canonical unit).
            first = _draft(m, rule, index, text, rs, "num", low, unit1, m.start("num"), m.end("unit"), None)
            second = _draft(
                m, rule, index, text, rs, "num2", info, unit_form, m.start("num2"), m.end(), "post"
            )
            return [d for d in (first, second) if d is not None]
        factor_low = low.factor

    post = groups.get("post")
    prefix = prefix_qualifier(text, m.start(), rs)
    high = number_high.value * factor + offset if number_high is not None else None
    if high is not None:
        approx: str | None = "range"
    elif post:
        approx = rs.qual_after.get(post)
    elif number is not None and number.approx:
        approx = number.approx
    else:
        approx = prefix
    qualified = bool(post) or bool(number is not None and number.approx) or prefix is not None
    validators = (*rule.validators, *info.validators) if info is not None else rule.validators
    if not _passes(validators, num_text, number, qualified, rs, high is not None):
        return []
    extra = _ZERO
    if "n" in groups and m.captures("n"):
        parts = _parts(m, rule, rs)
        if parts is None:
            return []
        extra = parts
    return [
        Draft(
            start=m.start(),
            end=m.end(),
            kind=kind,
            unit=unit,
            factor=factor,
            offset=offset,
            value=base * factor_low + offset + extra,
            value_high=high,
            approx=approx,
            classifier=classifier,
            unit_form=unit_form,
            post=post,
            number=number,
            number_high=number_high,
            rule=rule,
            rule_index=index,
            num_text=num_text,
            per=rs.denominators.get(groups.get("per") or "") if groups.get("per") else None,
        )
    ]


def _draft(
    m: regex.Match[str],
    rule: CompiledRule,
    index: int,
    text: str,
    rs: RuleSet,
    num_group: str,
    info: UnitInfo,
    form: str | None,
    start: int,
    end: int,
    post_group: str | None,
) -> Draft | None:
    num_text = m.group(num_group)
    number = parse_number(num_text, rs)
    if number is None:
        return None
    post = m.group(post_group) if post_group else None
    approx = rs.qual_after.get(post) if post else number.approx or prefix_qualifier(text, start, rs)
    if not _passes((*rule.validators, *info.validators), num_text, number, approx is not None, rs, False):
        return None
    return Draft(
        start=start,
        end=end,
        kind=info.kind,
        unit=info.unit,
        factor=info.factor,
        offset=info.offset,
        value=number.value * info.factor + info.offset,
        value_high=None,
        approx=approx,
        classifier=form if info.classifier else None,
        unit_form=form,
        post=post,
        number=number,
        number_high=None,
        rule=rule,
        rule_index=index,
    )


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


def _excluded_spans(
    text: str, rs: RuleSet, timeout: float | None, timed_out: list[str], pos: int = 0
) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    for rule in rs.exclusions:
        try:
            limits = _Budget(None if rule.builtin else timeout)
            for start, end in _windows(rule, text, pos):
                spans.extend(
                    m.span()
                    for m in rule.pattern.finditer(text, start, end, timeout=limits.left())
                    if m.end() > m.start()
                )
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
            limits = _Budget(None if rule.builtin else budget)
            for start, end in _windows(rule, text, pos):
                for m in rule.pattern.finditer(text, start, end, timeout=limits.left()):
                    if m.end() == m.start():
                        continue
                    if excluded and _overlaps(excluded, starts, m.start(), m.end()):
                        continue
                    drafts.extend(normalize_match(m, rule, index, text, rs))
        except TimeoutError:
            timed_out.append(rule.id)
    chosen = resolve(drafts)
    if timed_out:
        raise ScanTimeout(timed_out, chosen)
    return chosen

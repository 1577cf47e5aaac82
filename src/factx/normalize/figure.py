"""Building a figure draft from one match of a rule.

In: a regex match, the rule that made it and the compiled ruleset. Out: zero, one or (a range whose
two ends are different quantities: 8天到5公里) two :class:`Draft` figures, each with its exact value
(a range's low end takes the multiplier written only on its high end: 20至30亿元). The scanner
(``factx.matching.scanner``) decides where matches are; this decides what each one is worth.

:func:`build_figure` reads as its steps: the value (number, range ends, half, decimals after the
unit, sign), the unit (looked up in the lexicon, or the rule's own), a range split in two, the
qualifier (约, 以上, 500多), the validators, and the parts of a compound quantity (2小时06分38秒).
"""

from __future__ import annotations

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

GOVERNING_REACH = 24  # how far back a governing qualifier (约占全国的) may start
CODE_DIGITS = 4  # a plain run of this many digits, a space, then 万 or 亿: a code or a year and a name
_SPACES = " \u00a0\u3000"


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
    # Where the number starts when the match holds words before it (每亩增产5.5公斤: a change word may
    # stand there); -1 when the number starts the match or the rule reads none.
    num_start: int = -1

    @property
    def length(self) -> int:
        return self.end - self.start

    def as_difference(self) -> Draft:
        """This figure as a difference rather than a level: a unit's offset belongs to levels only
        (下降8℃ is 8 K less, not a temperature of 281.15 K)."""
        if not self.offset:
            return self
        high = self.value_high - self.offset if self.value_high is not None else None
        return replace(self, value=self.value - self.offset, value_high=high, offset=_ZERO)

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


# The named groups of a match, all read at once (one call, cheaper than one m.group(name) a group).
_Groups = dict[str, "str | None"]


@dataclass(slots=True)
class _Value:
    """What the numbers of a match are worth, before the unit's factor."""

    base: Decimal  # the number (the low end of a range), with its shared multiplier, half and sign
    number: ParsedNumber | None
    number_high: ParsedNumber | None  # a range's high end
    num_text: str


@dataclass(slots=True)
class _Unit:
    """What the unit of a match makes of its value."""

    kind: str | None
    unit: str | None
    factor: Decimal
    offset: Decimal
    classifier: str | None
    form: str | None  # the unit as written (the high end's, for a range with two)
    info: UnitInfo | None  # its lexicon entry, when it was looked up
    low: UnitInfo | None = None  # a range's low end's own unit (10%-15%), when it has one


def build_figure(m: regex.Match[str], rule: CompiledRule, index: int, text: str, rs: RuleSet) -> list[Draft]:
    """One match → zero, one or (for a range of two different units) two drafts."""
    groups: _Groups = m.groupdict()
    if groups.get("hi") is not None:
        groups = _adjacent_range(m, groups)
    value = _value(groups, rule, rs)
    if value is None:
        return []
    unit = _unit(m, groups, rule, rs, value)
    if unit is None:
        return []
    factor_low = unit.factor
    if unit.low is not None:
        if _is_two_figures(value, unit):
            # 8天到5公里, 8天到72小时: two figures, not one range (different units, or a high end
            # that is not higher once both are in the canonical unit).
            return _split_range(m, rule, index, text, rs, unit)
        factor_low = unit.low.factor
    post = groups.get("post")
    high = value.number_high.value * unit.factor + unit.offset if value.number_high is not None else None
    inner = m.start("num") if "num" in groups and groups["num"] is not None else m.start()
    approx, qualified = _qualifier(text, m.start(), inner, rs, post, value.number, ranged=high is not None)
    validators = (*rule.validators, *unit.info.validators) if unit.info is not None else rule.validators
    if not _passes(validators, value.num_text, value.number, qualified, rs, high is not None):
        return []
    extra = _ZERO
    if "n" in groups and m.captures("n"):
        parts = _parts(m, rule, rs)
        if parts is None:
            return []
        extra = parts
    per = groups.get("per")
    return [
        Draft(
            start=m.start(),
            end=m.end(),
            kind=unit.kind,
            unit=unit.unit,
            factor=unit.factor,
            offset=unit.offset,
            value=value.base * factor_low + unit.offset + extra,
            value_high=high,
            approx=approx,
            classifier=unit.classifier,
            unit_form=unit.form,
            post=post,
            number=value.number,
            number_high=value.number_high,
            rule=rule,
            rule_index=index,
            num_text=value.num_text,
            per=rs.lexicon.denominators.get(per) if per else None,
            num_start=inner if inner > m.start() else -1,
        )
    ]


def _value(groups: _Groups, rule: CompiledRule, rs: RuleSet) -> _Value | None:
    """The match's numbers: a constant, a fraction, or a quantity (maybe a range); None if unreadable."""
    num_text = groups.get("num") or ""
    number = None
    if rule.value is not None:
        base = rule.value
    elif rule.form == "fraction":
        num = parse_number(num_text, rs)
        den = parse_number(groups.get("den") or "", rs)
        if num is None or den is None or den.value == 0 or num.value >= den.value:
            return None
        base = num.value / den.value
    else:
        number = parse_number(num_text, rs)
        if number is None:
            return None
        extra = _half_and_decimals(groups)
        if extra is None:
            return None
        base = number.value + extra
    if groups.get("sign") and number is not None:
        base = -base  # 负百分之十点八: the sign is written apart from the number
    value = _Value(base, number, None, num_text)
    num2_text = groups.get("num2")
    if num2_text and not _read_range(value, num2_text, groups, rs):
        return None
    return value


def _adjacent_range(m: regex.Match[str], groups: _Groups) -> _Groups:
    """Two adjacent digits in one number are a range (五六个, 三四十人, 十五六岁, 二三百万): its low end
    is the number without the high digit (``hi``), its high end the number without the low one
    (``lo``). 三四十 → 三十 to 四十, 十五六 → 十五 to 十六."""
    start = m.start("num")
    num = groups.get("num") or ""
    lo = m.start("lo") - start, m.end("lo") - start
    hi = m.start("hi") - start, m.end("hi") - start
    return {**groups, "num": num[: hi[0]] + num[hi[1] :], "num2": num[: lo[0]] + num[lo[1] :]}


def _half_and_decimals(groups: _Groups) -> Decimal | None:
    """What a quantity's tail adds: 半 (一吨半, 两个半小时), or the unit's decimals written after it
    (1米96 = 1.96 米, 9秒98 = 9.98 秒); None when those digits are not digits."""
    extra = _HALF if groups.get("half") else _ZERO
    frac = groups.get("frac")
    if frac:
        digits = frac.translate(_FULLWIDTH)
        if not digits.isdigit():
            return None
        extra += Decimal(digits) / (Decimal(10) ** len(digits))
    return extra


def _read_range(value: _Value, num2_text: str, groups: _Groups, rs: RuleSet) -> bool:
    """A range's high end, into ``value``; False when the match is no range after all."""
    number_high = parse_number(num2_text, rs)
    both_units = bool(groups.get("unit_high")) and bool(groups.get("unit"))  # 10%-15%
    if number_high is not None and value.number is not None and not both_units:
        # 20至30亿元, 3-5万人: the low end takes the multiplier written on the high end only,
        # unless it is complete by itself (5000至1.2万元) or has its own (1亿至3亿元).
        shared = shared_multiplier(value.num_text, num2_text, rs, ordered=True)
        if shared is not None:
            value.base *= shared
    # A high end not above the low one is no range; with a unit at each end (8天到5公里) the
    # ends are compared, or split into two figures, once both units are known.
    if number_high is None or (number_high.value <= value.base and not groups.get("unit_high")):
        return False
    value.number_high = number_high
    return True


def _unit(
    m: regex.Match[str], groups: _Groups, rule: CompiledRule, rs: RuleSet, value: _Value
) -> _Unit | None:
    """The match's unit: the rule's own, the lexicon's entry for the unit written, or none yet (an
    inheriting rule's number takes the next figure's); None when the match has no usable unit."""
    # A range whose ends both carry a unit (10%-15%): `unit` is the low end's, `unit_high` the figure's.
    unit_high = groups.get("unit_high")
    unit1 = groups.get("unit") if unit_high else None
    form = unit_high or groups.get("unit")
    info: UnitInfo | None = None
    if rule.kind is not None:
        found = _Unit(rule.kind, rule.unit, rule.factor or _ONE, rule.offset or _ZERO, None, form, None)
    elif form:
        # A unit written before the number (￥120, 人民币3000万) is looked up among the prefixes.
        before = bool(value.num_text) and m.start("unit_high" if unit_high else "unit") < m.start("num")
        info = (rs.lexicon.units_before if before else rs.lexicon.units_after).get(form)
        if info is None:
            return None
        classifier = _classifier(form, rs) if info.classifier else None
        found = _Unit(info.kind, info.unit, info.factor, info.offset, classifier, form, info)
    elif rule.inherit:
        found = _Unit(None, None, _ONE, _ZERO, None, form, None)
    else:
        return None

    unit2 = groups.get("unit2")
    if unit2 and info is not None:
        after = rs.lexicon.units_after.get(unit2)
        if after is None or after.kind != info.kind:
            return None  # 人民币300万人: the trailing unit is not money; figure.unit finds 300万人
        # 新台幣1,000元: the currency written first decides; the 元 after it is the generic word.

    if unit1 and info is not None and value.number is not None and value.number_high is not None:
        low = rs.lexicon.units_after.get(unit1)
        if low is None:
            return None
        found.low = low
    return found


def _is_two_figures(value: _Value, unit: _Unit) -> bool:
    """A range with a unit at each end is two figures when the units differ, or when the high end is
    not higher once both are in the canonical unit."""
    low = unit.low
    assert low is not None and value.number_high is not None
    return low.unit != unit.unit or value.base * low.factor >= value.number_high.value * unit.factor


def _split_range(
    m: regex.Match[str], rule: CompiledRule, index: int, text: str, rs: RuleSet, unit: _Unit
) -> list[Draft]:
    low, high = unit.low, unit.info
    assert low is not None and high is not None
    first = _single(
        m, rule, index, text, rs, "num", low, m.group("unit"), m.start("num"), m.end("unit"), None
    )
    second = _single(m, rule, index, text, rs, "num2", high, unit.form, m.start("num2"), m.end(), "post")
    return [d for d in (first, second) if d is not None]


def _single(
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
    """One end of a range split in two, as a figure of its own."""
    num_text = m.group(num_group)
    number = parse_number(num_text, rs)
    if number is None:
        return None
    post = m.group(post_group) if post_group else None
    approx = rs.lexicon.qual_after.get(post) if post else number.approx or prefix_qualifier(text, start, rs)
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


def _qualifier(
    text: str,
    start: int,
    number_start: int,
    rs: RuleSet,
    post: str | None,
    number: ParsedNumber | None,
    ranged: bool,
) -> tuple[str | None, bool]:
    """The figure's approximation (a range; a qualifier after it, inside its number or before it)
    and whether any qualifier was written (the validators ask). A qualifier may stand before the
    number inside the figure (每小时约100公里, 每股派息近1元) or before the figure itself."""
    prefix = prefix_qualifier(text, number_start, rs) if number_start > start else None
    if prefix is None:
        prefix = prefix_qualifier(text, start, rs)
    if ranged:
        approx: str | None = "range"
    elif post:
        approx = rs.lexicon.qual_after.get(post)
    elif number is not None and number.approx:
        approx = number.approx
    else:
        approx = prefix
    qualified = bool(post) or bool(number is not None and number.approx) or prefix is not None
    return approx, qualified


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


def _classifier(form: str, rs: RuleSet) -> str:
    """The measure word in simplified script (個 → 个), as the classifier_variants table says."""
    variants = rs.lexicon.classifier_variants
    return "".join(variants.get(ch, ch) for ch in form) if variants else form


def prefix_qualifier(text: str, start: int, rs: RuleSet) -> str | None:
    """The approximation stated by the word just before ``start`` (超过, 约, 近), or by a qualifier
    that governs the figure from a little further back (约占全国的三分之一), if any."""
    end = start
    while end > 0 and text[end - 1] in " \t\u3000":
        end -= 1
    if end == 0 or text[end - 1] not in rs.patterns.qual_before_last_chars:
        return _governing(text, start, rs)
    for length in rs.patterns.qual_before_lengths:
        if length <= end:
            word = text[end - length : end]
            if word in rs.lexicon.qual_before:
                return rs.lexicon.qual_before[word]  # a null entry (最近) stops the search
    return _governing(text, start, rs)


def _governing(text: str, start: int, rs: RuleSet) -> str | None:
    governing = rs.patterns.governing
    if governing is not None:
        return governing.value_before(text, max(0, start - GOVERNING_REACH), start)
    return None


def _ends_with_magnitude(num_text: str, rs: RuleSet) -> bool:
    stripped = num_text
    for infix in rs.lexicon.qual_infix:
        if stripped.endswith(infix):
            stripped = stripped[: -len(infix)]
            break
    return any(stripped.endswith(m) for m in rs.lexicon.magnitudes)


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
        is_article=(num_text in rs.lexicon.articles) and not ranged,
        # Only the fallback asks, so only then is it worked out.
        ends_with_magnitude="ends_with_magnitude" in validators and _ends_with_magnitude(num_text, rs),
    )
    return all(VALIDATORS[name](facts) for name in validators)


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

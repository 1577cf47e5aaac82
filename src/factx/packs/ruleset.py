"""Merging validated packs into one :class:`RuleSet` and compiling its patterns, once, at start.

Lexicons become generated pieces (``{unit}``, ``{cn_digit}``, ``{qual_before}`` …) that a pattern may
reference beside the packs' own pieces, so "a Chinese number" is defined once and serves every rule.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import regex

from factx.packs.errors import PackError
from factx.packs.models import Approx, Example, Fallback, Rule, RulePack
from factx.validators import VALIDATORS

PIECE_REF = regex.compile(r"(?<!\\[pPN])\{([A-Za-z_][A-Za-z0-9_]*)\}")  # not \p{Han}
DEFAULT_SENTENCE_END = r"[。！？!?\n]"
DEFAULT_CLAUSE_END = r"[，,。！？!?；;：:\n]"


@dataclass(frozen=True)
class SourcedRule:
    """A rule with the pack and file:line it was defined at."""

    rule: Rule
    pack: str
    path: Path
    line: int | None
    column: int | None
    pattern_line: int | None = None
    pattern_column: int | None = None
    builtin: bool = False

    @property
    def origin(self) -> str:
        return f"{self.path}:{self.line}" if self.line else str(self.path)


@dataclass(frozen=True)
class UnitInfo:
    """One surface form of a unit and how it converts."""

    form: str
    kind: str
    unit: str
    factor: Decimal
    offset: Decimal
    classifier: bool
    validators: tuple[str, ...]


@dataclass(frozen=True)
class CompiledRule:
    """A rule ready to run: its compiled pattern and what its matches become."""

    id: str
    pack: str
    origin: str
    pattern: regex.Pattern[str]
    source: str
    kind: str | None
    unit: str | None
    factor: Decimal | None
    value: Decimal | None
    form: str
    exclude: bool
    inherit: bool
    priority: int
    validators: tuple[str, ...]
    examples: tuple[Example, ...]
    description: str = ""
    builtin: bool = False  # from factx's own packs: tested linear, so run without the timeout's cost
    fallback: Fallback | None = None
    parts: dict[str, Decimal] = field(default_factory=dict)
    group_names: frozenset[str] = frozenset()


@dataclass(eq=False)  # compared and hashed by identity: caches key on the ruleset
class RuleSet:
    """Everything the matcher and the normalizer need, merged from all packs."""

    digits: dict[str, int] = field(default_factory=dict)
    places: dict[str, int] = field(default_factory=dict)
    magnitudes: dict[str, Decimal] = field(default_factory=dict)
    magnitude_not_before: dict[str, str] = field(default_factory=dict)
    points: set[str] = field(default_factory=set)
    placeholders: set[str] = field(default_factory=set)
    articles: set[str] = field(default_factory=set)
    negative: set[str] = field(default_factory=set)
    max_digits: int = 18
    units_after: dict[str, UnitInfo] = field(default_factory=dict)
    units_before: dict[str, UnitInfo] = field(default_factory=dict)
    qual_before: dict[str, Approx | None] = field(default_factory=dict)
    qual_after: dict[str, Approx] = field(default_factory=dict)
    qual_infix: dict[str, Approx] = field(default_factory=dict)
    distributive: set[str] = field(default_factory=set)
    governing: dict[str, Approx] = field(default_factory=dict)
    governing_pattern: regex.Pattern[str] | None = None
    increase: set[str] = field(default_factory=set)
    decrease: set[str] = field(default_factory=set)
    level: set[str] = field(default_factory=set)
    filler: set[str] = field(default_factory=set)
    coordinators: set[str] = field(default_factory=set)
    denominators: dict[str, str] = field(default_factory=dict)
    classifier_variants: dict[str, str] = field(default_factory=dict)
    pieces: dict[str, str] = field(default_factory=dict)
    rules: list[CompiledRule] = field(default_factory=list)
    exclusions: list[CompiledRule] = field(default_factory=list)
    packs: list[tuple[str, Path]] = field(default_factory=list)
    sentence_end: regex.Pattern[str] = field(default_factory=lambda: regex.compile(DEFAULT_SENTENCE_END))
    clause_end: regex.Pattern[str] = field(default_factory=lambda: regex.compile(DEFAULT_CLAUSE_END))
    # The same, searching backwards from an offset (compiled once, used per figure).
    sentence_end_rev: regex.Pattern[str] = field(
        default_factory=lambda: regex.compile(DEFAULT_SENTENCE_END, regex.REVERSE)
    )
    clause_end_rev: regex.Pattern[str] = field(
        default_factory=lambda: regex.compile(DEFAULT_CLAUSE_END, regex.REVERSE)
    )
    # Compiled once from the lexicons, for the context stage.
    change_pattern: regex.Pattern[str] | None = None
    filler_pattern: regex.Pattern[str] | None = None
    coord_pattern: regex.Pattern[str] | None = None
    qual_before_lengths: tuple[int, ...] = ()
    qual_before_last_chars: frozenset[str] = frozenset()
    governing_values: tuple[Approx, ...] = ()

    @property
    def all_rules(self) -> list[CompiledRule]:
        return [*self.rules, *self.exclusions]


def _char_class(chars: list[str]) -> str:
    singles = sorted({c for c in chars if len(c) == 1})
    if not singles:
        return "(?!)"
    return (
        "["
        + "".join(regex.escape(c, special_only=True) if c not in "]\\^-" else "\\" + c for c in singles)
        + "]"
    )


def _alternation(forms: list[str], lookaheads: dict[str, str] | None = None) -> str:
    """A regex matching any of ``forms``, the longest possible first (个百分点 before 个).

    Built as a character trie (个(?:百分点|月)?…) rather than a flat list: the engine then tests one
    branch per first character instead of every form, which makes the unit lexicon cheap to try.
    A form's lookahead (``not_before``) guards only that form.
    """
    if not forms:
        return "(?!)"
    lookaheads = lookaheads or {}
    trie: dict[str, Any] = {}
    for form in set(forms):
        node = trie
        for ch in form:
            node = node.setdefault(ch, {})
        node[""] = form

    def emit(node: dict[str, Any]) -> str:
        branches = [regex.escape(ch) + emit(child) for ch, child in sorted(node.items()) if ch]
        if "" in node:
            ahead = lookaheads.get(node[""])
            branches.append(f"(?!{ahead})" if ahead else "")  # the form ends here: tried after longer ones
        if len(branches) == 1:
            return branches[0]
        return "(?:" + "|".join(branches) + ")"

    return emit(trie)


def _expand(name: str, pieces: dict[str, str], seen: tuple[str, ...], cache: dict[str, str]) -> str:
    if name in cache:
        return cache[name]
    if name in seen:
        raise KeyError(" → ".join((*seen, name)))
    body = pieces[name]
    expanded = expand_pattern(body, pieces, (*seen, name), cache)
    cache[name] = expanded
    return expanded


def expand_pattern(
    pattern: str, pieces: dict[str, str], seen: tuple[str, ...] = (), cache: dict[str, str] | None = None
) -> str:
    """Replace ``{name}`` references by their (recursively expanded) pieces, each in a non-capturing group."""
    cache = {} if cache is None else cache

    def replace(match: regex.Match[str]) -> str:
        name = match.group(1)
        if name not in pieces:
            raise LookupError(name)
        return "(?:" + _expand(name, pieces, seen, cache) + ")"

    return PIECE_REF.sub(replace, pattern)


def _lexicon_pieces(rs: RuleSet, unit_lookaheads: dict[tuple[str, str], str]) -> dict[str, str]:
    zeros = [c for c, v in rs.digits.items() if v == 0]
    nonzero = [c for c, v in rs.digits.items() if v != 0]
    numeral_chars = [*rs.digits, *rs.places, *rs.placeholders, *(c for m in rs.magnitudes for c in m)]
    after_ahead = {form: ahead for (pos, form), ahead in unit_lookaheads.items() if pos == "after"}
    before_ahead = {form: ahead for (pos, form), ahead in unit_lookaheads.items() if pos == "before"}
    return {
        "cn_digit": _char_class(nonzero),
        "cn_zero": _char_class(zeros),
        "cn_place": _char_class(list(rs.places)),
        "cn_magnitude": _alternation(list(rs.magnitudes), rs.magnitude_not_before),
        "cn_point": _char_class(list(rs.points)),
        "placeholder": _char_class(list(rs.placeholders)),
        "minus": _alternation(list(rs.negative)),
        # Every character a quantity can start with, as one class: a cheap first test per position.
        "num_first": _char_class(
            list("0123456789０１２３４５６７８９") + numeral_chars + [m[0] for m in rs.negative]
        ),
        "cn_char": _char_class(numeral_chars),
        "unit": _alternation(list(rs.units_after), after_ahead),
        "unit_first": _char_class([u[0] for u in rs.units_after]),
        "unit_before": _alternation(list(rs.units_before), before_ahead),
        "qual_before": _alternation([q for q, v in rs.qual_before.items() if v]),
        "qual_after": _alternation(list(rs.qual_after)),
        "qual_infix": _alternation(list(rs.qual_infix)),
        "change": _alternation([*rs.increase, *rs.decrease]),
        "change_level": _alternation(list(rs.level)),
        "coord": _alternation(list(rs.coordinators)),
        "per_unit": _alternation(list(rs.denominators)),
    }


def _merge_lexicons(rs: RuleSet, pack: RulePack, path: Path, lookaheads: dict[tuple[str, str], str]) -> None:
    n = pack.numerals
    rs.digits.update(n.digits)
    rs.places.update(n.places)
    rs.magnitudes.update(n.magnitudes)
    rs.magnitude_not_before.update(n.magnitude_not_before)
    rs.points.update(n.points)
    rs.placeholders.update(n.placeholders)
    rs.articles.update(n.articles)
    rs.negative.update(n.negative)
    if n.max_digits is not None:
        rs.max_digits = n.max_digits
    for unit in pack.units:
        for name in unit.validators:
            if name not in VALIDATORS:
                raise PackError(path, None, None, f"unit {unit.forms[0]!r}: unknown validator '{name}'")
        target = rs.units_before if unit.position == "before" else rs.units_after
        for form in unit.forms:
            target[form] = UnitInfo(
                form=form,
                kind=unit.kind,
                unit=unit.unit,
                factor=unit.factor,
                offset=unit.offset,
                classifier=unit.classifier,
                validators=tuple(unit.validators),
            )
            if unit.not_before:
                lookaheads[(unit.position, form)] = unit.not_before
            else:
                lookaheads.pop((unit.position, form), None)
    q = pack.qualifiers
    rs.qual_before.update(q.before)
    rs.qual_after.update(q.after)
    rs.qual_infix.update(q.infix)
    rs.distributive.update(q.distributive)
    rs.governing.update(q.governing)
    c = pack.changes
    rs.increase.update(c.increase)
    rs.decrease.update(c.decrease)
    rs.level.update(c.level)
    rs.filler.update(c.filler)
    rs.coordinators.update(pack.coordinators)
    rs.denominators.update(pack.denominators)
    rs.classifier_variants.update(pack.classifier_variants)
    rs.pieces.update(pack.pieces)


def _compile(pattern: str, where: SourcedRule | tuple[Path, str], what: str) -> regex.Pattern[str]:
    try:
        return regex.compile(pattern)
    except regex.error as exc:
        if isinstance(where, SourcedRule):
            path, line, column = where.path, where.pattern_line or where.line, where.pattern_column
        else:
            path, line, column = where[0], None, None
        position = f" at position {exc.pos} of the expanded pattern" if exc.pos is not None else ""
        raise PackError(
            path, line, column, f"{what}: pattern does not compile: {exc.msg}{position}"
        ) from None


def compile_ruleset(packs: list[tuple[Path, RulePack, list[SourcedRule]]]) -> RuleSet:
    """Merge packs in order (later ones extend lexicons, override rules by id, disable rules) and compile."""
    rs = RuleSet()
    lookaheads: dict[tuple[str, str], str] = {}
    ordered: dict[str, SourcedRule] = {}
    segmentation: dict[str, tuple[str, Path]] = {}
    for path, pack, sourced in packs:
        rs.packs.append((pack.pack, path))
        _merge_lexicons(rs, pack, path, lookaheads)
        for kind in ("sentence_end", "clause_end"):
            value = getattr(pack.segmentation, kind)
            if value:
                segmentation[kind] = (value, path)
        seen_here: set[str] = set()
        for item in sourced:
            rid = item.rule.id
            if rid in seen_here:
                raise PackError(item.path, item.line, item.column, f"duplicate rule id '{rid}' in this pack")
            seen_here.add(rid)
            for name in (
                *item.rule.validators,
                *(item.rule.fallback.validators if item.rule.fallback else ()),
            ):
                if name not in VALIDATORS:
                    known = ", ".join(sorted(VALIDATORS))
                    raise PackError(
                        item.path,
                        item.line,
                        item.column,
                        f"rule '{rid}': unknown validator '{name}' (known: {known})",
                    )
            ordered[rid] = item  # an override keeps the first definition's place in the order
        for rid in pack.disable:
            if rid not in ordered:
                raise PackError(path, None, None, f"disable: no rule '{rid}' is defined before this pack")
            del ordered[rid]

    generated = _lexicon_pieces(rs, lookaheads)
    clash = sorted(set(generated) & set(rs.pieces))
    if clash:
        raise PackError(
            rs.packs[-1][1], None, None, f"piece name(s) reserved for lexicons: {', '.join(clash)}"
        )
    pieces = {**generated, **rs.pieces}
    cache: dict[str, str] = {}

    def expand(text: str, where: SourcedRule | tuple[Path, str], what: str) -> str:
        try:
            return expand_pattern(text, pieces, (), cache)
        except LookupError as exc:
            path, line, column = (
                (where.path, where.pattern_line, where.pattern_column)
                if isinstance(where, SourcedRule)
                else (where[0], None, None)
            )
            if isinstance(exc, KeyError):
                cause = f"{what}: pieces refer to each other in a cycle: {exc.args[0]}"
            else:
                cause = f"{what}: unknown piece '{{{exc.args[0]}}}'"
            raise PackError(path, line, column, cause) from None

    rs.pieces = {
        name: expand("{" + name + "}", (rs.packs[-1][1] if rs.packs else Path("?"), name), f"piece '{name}'")
        for name in pieces
    }
    for kind, (value, path) in segmentation.items():
        setattr(rs, kind, _compile(value, (path, kind), f"segmentation.{kind}"))
        setattr(rs, kind + "_rev", regex.compile(value, regex.REVERSE))

    for item in ordered.values():
        rule = item.rule
        expanded = expand(rule.pattern, item, f"rule '{rule.id}'")
        pattern = _compile(expanded, item, f"rule '{rule.id}'")
        compiled = CompiledRule(
            id=rule.id,
            pack=item.pack,
            origin=item.origin,
            pattern=pattern,
            group_names=frozenset(pattern.groupindex),
            source=rule.pattern,
            kind=rule.kind,
            unit=rule.unit,
            factor=rule.factor,
            value=rule.value,
            form=rule.form,
            exclude=rule.exclude,
            inherit=rule.inherit,
            priority=rule.priority,
            validators=tuple(rule.validators),
            examples=tuple(rule.examples),
            description=rule.description,
            builtin=item.builtin,
            fallback=rule.fallback,
            parts=dict(rule.parts),
        )
        (rs.exclusions if rule.exclude else rs.rules).append(compiled)

    _compile_context(rs)
    return rs


def _compile_context(rs: RuleSet) -> None:
    """The context stage's lexicon patterns: change words, the filler between them and a figure, joins."""
    change = _alternation([*rs.increase, *rs.decrease])
    level = _alternation(list(rs.level))
    qual = _alternation([q for q, v in rs.qual_before.items() if v])
    filler = _alternation(list(rs.filler))
    coord = _alternation(list(rs.coordinators))
    rs.change_pattern = regex.compile(f"(?P<word>{change})(?P<level>{level})?")
    rs.filler_pattern = regex.compile(rf"(?:{qual}|{change}{level}?|{level}|{filler}|\s)*")
    rs.coord_pattern = regex.compile(rf"\s*(?:{coord})\s*")
    rs.qual_before_lengths = tuple(sorted({len(q) for q in rs.qual_before}, reverse=True))
    rs.qual_before_last_chars = frozenset(q[-1] for q in rs.qual_before if q)
    rs.governing_values = tuple(rs.governing.values())
    if rs.governing:
        # Searched backwards from the figure, so each branch is anchored at the figure's start.
        branches = "|".join(f"(?P<g{i}>(?:{p}))" for i, p in enumerate(rs.governing))
        # REVERSE: matching starts at the figure and runs backwards, so a window costs one attempt.
        rs.governing_pattern = regex.compile(f"(?:{branches})$", regex.REVERSE)

"""Merging validated packs into one :class:`RuleSet` and compiling its patterns, once, at start.

Lexicons become generated pieces (``{unit}``, ``{cn_digit}``, ``{qual_before}`` …) that a pattern may
reference beside the packs' own pieces, so "a Chinese number" is defined once and serves every rule.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import regex

from factx.packs.context_models import CompiledCues, compile_context_cues
from factx.packs.errors import PackError, PackErrors
from factx.packs.models import Approx, CurrencyCues, Example, Fallback
from factx.packs.source import LoadedPack, Loc, SourcedRule
from factx.packs.trie import char_trie
from factx.validators import VALIDATORS

PIECE_REF = regex.compile(r"(?<!\\[pPN])\{([A-Za-z_][A-Za-z0-9_]*)\}")  # not \p{Han}
DEFAULT_SENTENCE_END = r"[。！？!?\n]"
DEFAULT_CLAUSE_END = r"[，,。！？!?；;：:\n]"


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
    origin: tuple[str, int] = field(default=("", 0), compare=False)  # pack file and index in its units


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
    sourced: SourcedRule | None = field(default=None, repr=False, compare=False)
    # The rule's `needs` words as one pattern: only the sentences it finds are scanned (None: all text).
    needs: regex.Pattern[str] | None = None

    def example_origin(self, index: int) -> str:
        """file:line of the ``index``-th example in its pack."""
        src = self.sourced
        if src is None or src.source is None:
            return self.origin
        line = src.source.where(("rules", src.index, "examples", index))[0]
        return f"{src.path}:{line}" if line else str(src.path)


@dataclass(frozen=True)
class UnitEntry:
    """A unit of a pack as ``rules test`` sees it: its forms, canonical unit and examples."""

    id: str  # "unit 标准箱"
    pack: str
    origin: str
    forms: tuple[str, ...]
    unit: str
    examples: tuple[Example, ...]
    source: LoadedPack | None = field(default=None, repr=False, compare=False)
    index: int = 0
    exclude: bool = False  # a unit never clears text; the attribute keeps it interchangeable with a rule

    def example_origin(self, index: int) -> str:
        line = self.source.where(("units", self.index, "examples", index))[0] if self.source else None
        return f"{self.source.path}:{line}" if self.source and line else self.origin


@dataclass
class CurrencySettings:
    """The packs' ``currency`` sections, merged: the document's currency, the forms that name it
    (a bare 元), and the cues ``--currency auto`` weighs (read by factx.normalize.currency)."""

    document: str | None = None  # a code or "auto"; None: the local forms' own unit (CNY)
    local_forms: set[str] = field(default_factory=set)
    auto: dict[str, CurrencyCues] = field(default_factory=dict)  # in tie-break order
    traditional: set[str] = field(default_factory=set)
    simplified: set[str] = field(default_factory=set)
    script_weight: int = 3


@dataclass(eq=False)
class Lexicon:
    """The packs' lexicons, merged in load order: what a number, a unit and the words around a figure are."""

    # The number grammar's words (00-numerals.yaml).
    digits: dict[str, int] = field(default_factory=dict)
    places: dict[str, int] = field(default_factory=dict)
    magnitudes: dict[str, Decimal] = field(default_factory=dict)
    magnitude_not_before: dict[str, str] = field(default_factory=dict)
    points: set[str] = field(default_factory=set)
    placeholders: set[str] = field(default_factory=set)
    articles: set[str] = field(default_factory=set)
    negative: set[str] = field(default_factory=set)
    max_digits: int = 18
    # Units and measure words (after or before the number), rate denominators, currencies
    # (10-units.yaml, 11-currencies.yaml).
    units_after: dict[str, UnitInfo] = field(default_factory=dict)
    units_before: dict[str, UnitInfo] = field(default_factory=dict)
    classifier_variants: dict[str, str] = field(default_factory=dict)
    denominators: dict[str, str] = field(default_factory=dict)
    currency: CurrencySettings = field(default_factory=CurrencySettings)
    # Qualifiers, change words and coordinators (20-context.yaml).
    qual_before: dict[str, Approx | None] = field(default_factory=dict)
    qual_after: dict[str, Approx] = field(default_factory=dict)
    qual_infix: dict[str, Approx] = field(default_factory=dict)
    distributive: set[str] = field(default_factory=set)
    governing: dict[str, Approx] = field(default_factory=dict)
    increase: set[str] = field(default_factory=set)
    decrease: set[str] = field(default_factory=set)
    level: set[str] = field(default_factory=set)
    filler: set[str] = field(default_factory=set)
    coordinators: set[str] = field(default_factory=set)


@dataclass(eq=False)
class TextPatterns:
    """Patterns compiled once, from the segmentation and the lexicons, for the stages after matching:
    sentences and clauses, qualifiers and change words around a figure, and the context fields' cues."""

    sentence_end: regex.Pattern[str] = field(default_factory=lambda: regex.compile(DEFAULT_SENTENCE_END))
    clause_end: regex.Pattern[str] = field(default_factory=lambda: regex.compile(DEFAULT_CLAUSE_END))
    # The same, searching backwards from an offset (compiled once, used per figure).
    sentence_end_rev: regex.Pattern[str] = field(
        default_factory=lambda: regex.compile(DEFAULT_SENTENCE_END, regex.REVERSE)
    )
    clause_end_rev: regex.Pattern[str] = field(
        default_factory=lambda: regex.compile(DEFAULT_CLAUSE_END, regex.REVERSE)
    )
    change_pattern: regex.Pattern[str] | None = None
    coord_pattern: regex.Pattern[str] | None = None
    # The qualifier words before a figure, by length and last character, and the governing ones
    # (约占全国的) as one backwards pattern with their values.
    qual_before_lengths: tuple[int, ...] = ()
    qual_before_last_chars: frozenset[str] = frozenset()
    governing_pattern: regex.Pattern[str] | None = None
    governing_values: tuple[Approx, ...] = ()
    # The context fields' cues (metric, subject, period, basis), merged from every pack.
    context_cues: CompiledCues = field(default_factory=CompiledCues)


@dataclass(eq=False)
class Provenance:
    """Where every rule and unit came from, for `rules list` and `rules test`."""

    packs: list[tuple[str, Path]] = field(default_factory=list)
    # The definitions an override replaced, and the rules switched off (by file:line).
    overridden: dict[str, SourcedRule] = field(default_factory=dict)
    disabled: dict[str, tuple[SourcedRule, Path, int | None]] = field(default_factory=dict)
    units_with_examples: list[UnitEntry] = field(default_factory=list)


@dataclass(eq=False)  # compared and hashed by identity: caches key on the ruleset
class RuleSet:
    """Everything the stages need, merged from all packs, by concern: the lexicon (numbers, units,
    qualifiers), the regex pieces and the compiled rules (for the scanner), the patterns the later
    stages use, and the provenance of it all."""

    lexicon: Lexicon = field(default_factory=Lexicon)
    pieces: dict[str, str] = field(default_factory=dict)
    rules: list[CompiledRule] = field(default_factory=list)
    exclusions: list[CompiledRule] = field(default_factory=list)
    patterns: TextPatterns = field(default_factory=TextPatterns)
    provenance: Provenance = field(default_factory=Provenance)

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


# A big alternation (the ~370 first characters of the unit forms) is cut into buckets of this many
# first characters, each behind a look-ahead of its characters: the engine tests a bucket's class in
# one set lookup before its branches, so a number followed by no unit fails after a few lookups and a
# unit is found after at most this many branch tests, not hundreds (figure.unit: 45 ms -> 30 ms on a
# 209k-character document). The branches of different first characters exclude each other, so the
# buckets match exactly what the one alternation did.
BUCKET_CHARS = 64


def _alternation(forms: list[str], lookaheads: dict[str, str] | None = None) -> str:
    """A regex matching any of ``forms``, the longest possible first (个百分点 before 个).

    Built as a character trie (个(?:百分点|月)?…) rather than a flat list: the engine then tests one
    branch per first character instead of every form, which makes the unit lexicon cheap to try.
    A form's lookahead (``not_before``) guards only that form. Many first characters are cut into
    buckets (BUCKET_CHARS).
    """
    if not forms:
        return "(?!)"
    lookaheads = lookaheads or {}
    trie = char_trie(set(forms))

    def emit(node: dict[str, Any]) -> str:
        branches = [regex.escape(ch) + emit(child) for ch, child in sorted(node.items()) if ch]
        if "" in node:
            ahead = lookaheads.get(node[""])
            branches.append(f"(?!{ahead})" if ahead else "")  # the form ends here: tried after longer ones
        if len(branches) == 1:
            return branches[0]
        return "(?:" + "|".join(branches) + ")"

    firsts = sorted(ch for ch in trie if ch)
    if len(firsts) <= BUCKET_CHARS or "" in trie:
        return emit(trie)
    buckets = []
    for i in range(0, len(firsts), BUCKET_CHARS):
        chunk = firsts[i : i + BUCKET_CHARS]
        body = "|".join(regex.escape(ch) + emit(trie[ch]) for ch in chunk)
        buckets.append(f"(?={_char_class(chunk)})(?:{body})")
    return "(?:" + "|".join(buckets) + ")"


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
    zeros = [c for c, v in rs.lexicon.digits.items() if v == 0]
    nonzero = [c for c, v in rs.lexicon.digits.items() if v != 0]
    numeral_chars = [
        *rs.lexicon.digits,
        *rs.lexicon.places,
        *rs.lexicon.placeholders,
        *(c for m in rs.lexicon.magnitudes for c in m),
    ]
    after_ahead = {form: ahead for (pos, form), ahead in unit_lookaheads.items() if pos == "after"}
    before_ahead = {form: ahead for (pos, form), ahead in unit_lookaheads.items() if pos == "before"}
    return {
        "cn_digit": _char_class(nonzero),
        "cn_zero": _char_class(zeros),
        "cn_place": _char_class(list(rs.lexicon.places)),
        "cn_magnitude": _alternation(list(rs.lexicon.magnitudes), rs.lexicon.magnitude_not_before),
        "cn_point": _char_class(list(rs.lexicon.points)),
        "placeholder": _char_class(list(rs.lexicon.placeholders)),
        "minus": _alternation(list(rs.lexicon.negative)),
        # Every character a quantity can start with, as one class: a cheap first test per position.
        "num_first": _char_class(
            list("0123456789０１２３４５６７８９") + numeral_chars + [m[0] for m in rs.lexicon.negative]
        ),
        "cn_char": _char_class(numeral_chars),
        "unit": _alternation(list(rs.lexicon.units_after), after_ahead),
        "unit_first": _char_class([u[0] for u in rs.lexicon.units_after]),
        "unit_before": _alternation(list(rs.lexicon.units_before), before_ahead),
        "qual_before": _alternation([q for q, v in rs.lexicon.qual_before.items() if v]),
        "qual_after": _alternation(list(rs.lexicon.qual_after)),
        "qual_infix": _alternation(list(rs.lexicon.qual_infix)),
        "change": _alternation([*rs.lexicon.increase, *rs.lexicon.decrease]),
        "change_level": _alternation(list(rs.lexicon.level)),
        "coord": _alternation(list(rs.lexicon.coordinators)),
        "per_unit": _alternation(list(rs.lexicon.denominators)),
    }


Errors = list[PackError]


def _suggest(name: str, known: Iterable[str]) -> str:
    hint = difflib.get_close_matches(name, list(known), n=1)
    return f" (did you mean '{hint[0]}'?)" if hint else ""


# A set operation inside a class: the regex module reads it only in V1 mode; in the default V0 mode
# [\p{Han}&&[^的]] is a class of Han, '&', '[', '^', '的' followed by a literal ']', matching nothing
# that was meant. Valid syntax, wrong meaning: so it is an error of its own.
_SET_OPERATION = regex.compile(r"\[(?:[^\]\\]|\\.)*?(&&|\|\||~~|--)")


def _set_operation(src: LoadedPack, loc: Loc, pattern: str, what: str, key: bool = False) -> PackError | None:
    m = _SET_OPERATION.search(pattern)
    if m is None or m.group(1) not in ("&&", "~~"):  # || and -- are common enough as literals
        return None
    return src.error(
        loc,
        f"{what}: '{m.group(1)}' in a character class is literal here (set operations need the regex "
        "module's V1 mode): write [A&&[^B]] as (?![B])A",
        offset=m.start(1),
        key=key,
    )


def _check_regex(
    src: LoadedPack, loc: Loc, pattern: str, what: str, errors: Errors, key: bool = False
) -> bool:
    """Compile a regex of the lexicons on its own; a fault is reported at its character.

    A built-in pack's regexes are compiled once, inside the patterns that use them, and `make test`
    checks those packs: compiling each one again alone would only add to every start-up.
    """
    set_error = _set_operation(src, loc, pattern, what, key)
    if set_error is not None:
        errors.append(set_error)
        return False
    if src.builtin:
        return True
    try:
        regex.compile(pattern)
    except regex.error as exc:
        errors.append(src.error(loc, _regex_cause(what, exc), offset=exc.pos, key=key))
        return False
    return True


def _regex_cause(what: str, exc: regex.error) -> str:
    at = f" at character {exc.pos + 1}" if exc.pos is not None else ""
    return f"{what} does not compile: {exc.msg}{at}"


def _check_validators(src: LoadedPack, loc: Loc, names: list[str], what: str, errors: Errors) -> None:
    for i, name in enumerate(names):
        if name not in VALIDATORS:
            hint = _suggest(name, VALIDATORS) or f" (known: {', '.join(sorted(VALIDATORS))})"
            errors.append(src.error((*loc, i), f"{what}: unknown validator '{name}'{hint}"))


def _merge_lexicons(
    rs: RuleSet, src: LoadedPack, lookaheads: dict[tuple[str, str], str], errors: Errors
) -> None:
    pack = src.pack
    n = pack.numerals
    rs.lexicon.digits.update(n.digits)
    rs.lexicon.places.update(n.places)
    rs.lexicon.magnitudes.update(n.magnitudes)
    for form, ahead in n.magnitude_not_before.items():
        if _check_regex(
            src, ("numerals", "magnitude_not_before", form), ahead, f"not_before of {form!r}", errors
        ):
            rs.lexicon.magnitude_not_before[form] = ahead
    rs.lexicon.points.update(n.points)
    rs.lexicon.placeholders.update(n.placeholders)
    rs.lexicon.articles.update(n.articles)
    rs.lexicon.negative.update(n.negative)
    if n.max_digits is not None:
        rs.lexicon.max_digits = n.max_digits
    for i, unit in enumerate(pack.units):
        _check_validators(src, ("units", i, "validators"), unit.validators, f"unit {unit.forms[0]!r}", errors)
        if unit.not_before and not _check_regex(
            src, ("units", i, "not_before"), unit.not_before, f"not_before of unit {unit.forms[0]!r}", errors
        ):
            continue
        target = rs.lexicon.units_before if unit.position == "before" else rs.lexicon.units_after
        if unit.examples:
            line = src.where(("units", i))[0]
            rs.provenance.units_with_examples.append(
                UnitEntry(
                    id=f"unit {unit.forms[0]}",
                    pack=pack.pack,
                    origin=f"{src.path}:{line}" if line else str(src.path),
                    forms=tuple(unit.forms),
                    unit=unit.unit,
                    examples=tuple(unit.examples),
                    source=src,
                    index=i,
                )
            )
        for form in unit.forms:
            target[form] = UnitInfo(
                form=form,
                kind=unit.kind,
                unit=unit.unit,
                factor=unit.factor,
                offset=unit.offset,
                classifier=unit.classifier,
                validators=tuple(unit.validators),
                origin=(str(src.path), i),
            )
            if unit.not_before:
                lookaheads[(unit.position, form)] = unit.not_before
            else:
                lookaheads.pop((unit.position, form), None)
    q = pack.qualifiers
    rs.lexicon.qual_before.update(q.before)
    rs.lexicon.qual_after.update(q.after)
    rs.lexicon.qual_infix.update(q.infix)
    for i, word in enumerate(q.distributive):
        if word not in rs.lexicon.qual_after:
            errors.append(
                src.error(
                    ("qualifiers", "distributive", i),
                    f"distributive: {word!r} is not a qualifiers.after word"
                    + _suggest(word, rs.lexicon.qual_after),
                )
            )
        rs.lexicon.distributive.add(word)
    for pattern, approx in q.governing.items():
        if _check_regex(
            src, ("qualifiers", "governing", pattern), pattern, "governing qualifier", errors, True
        ):
            rs.lexicon.governing[pattern] = approx
    c = pack.changes
    rs.lexicon.increase.update(c.increase)
    rs.lexicon.decrease.update(c.decrease)
    rs.lexicon.level.update(c.level)
    rs.lexicon.filler.update(c.filler)
    rs.lexicon.coordinators.update(pack.coordinators)
    rs.lexicon.denominators.update(pack.denominators)
    rs.lexicon.classifier_variants.update(pack.classifier_variants)


def _merge_currency(rs: RuleSet, src: LoadedPack, errors: Errors) -> None:
    """A pack's ``currency`` section: each code and form must be a money unit defined by then."""
    cur, merged = src.pack.currency, rs.lexicon.currency
    money = {
        u.unit
        for u in (*rs.lexicon.units_after.values(), *rs.lexicon.units_before.values())
        if u.kind == "money"
    }
    known = f" (known: {', '.join(sorted(money)[:8])} …)" if money else ""
    if cur.document is not None:
        if cur.document == "auto" or cur.document in money:
            merged.document = cur.document
        else:
            hint = _suggest(cur.document, money) or known
            errors.append(
                src.error(
                    ("currency", "document"),
                    f"currency.document: {cur.document!r} is neither auto nor the unit of a money unit{hint}",
                )
            )
    for i, form in enumerate(cur.local_forms):
        # Any unit form written after a number: 块 is a measure word, and money in 八十六块二毛.
        if form not in rs.lexicon.units_after:
            errors.append(
                src.error(
                    ("currency", "local_forms", i),
                    f"currency.local_forms: {form!r} is not the form of a unit written after a number",
                )
            )
        merged.local_forms.add(form)
    for code, cues in cur.auto.items():
        if code not in money:
            hint = _suggest(code, money) or known
            errors.append(
                src.error(
                    ("currency", "auto", code),
                    f"currency.auto: {code!r} is not the unit of a money unit{hint}",
                    key=True,
                )
            )
        merged.auto[code] = cues  # defined again: it replaces the earlier entry, in the earlier place
    merged.traditional.update(cur.traditional)
    merged.simplified.update(cur.simplified)
    if cur.script_weight is not None:
        merged.script_weight = cur.script_weight


def blank_refs(pattern: str) -> str:
    """``pattern`` with each {piece} replaced by a class of the same length: its own faults, same places."""
    return PIECE_REF.sub(lambda m: "[" + "a" * (len(m.group(0)) - 2) + "]", pattern)


def _check_refs(
    src: LoadedPack, loc: Loc, text: str, known: dict[str, str], what: str, errors: Errors
) -> bool:
    ok = True
    for m in PIECE_REF.finditer(text):
        if m.group(1) not in known:
            ok = False
            errors.append(
                src.error(
                    loc, f"{what}: unknown piece '{{{m.group(1)}}}'{_suggest(m.group(1), known)}", m.start()
                )
            )
    return ok


def _check_pieces(
    pieces: dict[str, str], home: dict[str, tuple[LoadedPack, str]], errors: Errors
) -> set[str]:
    """Pack pieces that are broken on their own (unknown reference, cycle, bad regex): reported here,
    so that rules using them are not reported again."""
    bad: set[str] = set()
    for name, (src, _) in home.items():
        body = pieces[name]
        loc = ("pieces", name)
        what = f"piece '{name}'"
        if not _check_refs(src, loc, body, pieces, what, errors) or not _check_regex(
            src, loc, blank_refs(body), what, errors
        ):
            bad.add(name)
    for name, (src, _) in home.items():
        if name in bad:
            continue
        try:
            _expand(name, pieces, (), {})
        except KeyError as exc:
            errors.append(
                src.error(("pieces", name), f"pieces refer to each other in a cycle: {exc.args[0]}")
            )
            bad.add(name)
        except LookupError:
            bad.add(name)  # a piece it uses is unknown: reported at that piece
    return bad


def _uses(text: str, pieces: dict[str, str], seen: set[str] | None = None) -> set[str]:
    """Every piece ``text`` refers to, directly or through other pieces."""
    seen = set() if seen is None else seen
    for m in PIECE_REF.finditer(text):
        name = m.group(1)
        if name in pieces and name not in seen:
            seen.add(name)
            _uses(pieces[name], pieces, seen)
    return seen


def _parts_factors(item: SourcedRule, rs: RuleSet, errors: Errors) -> dict[str, Decimal]:
    """A rule's `parts` with every factor: one written in the rule, or the units lexicon's for a
    form listed alone (分钟 → 60 s), so that a unit's factor is written once, in the lexicon."""
    factors: dict[str, Decimal] = {}
    for form, factor in item.rule.parts.items():
        if factor is None:
            info = rs.lexicon.units_after.get(form)
            if info is None:
                assert item.source is not None
                errors.append(
                    item.source.error(
                        ("rules", item.index, "parts"),
                        f"rule '{item.rule.id}': parts: '{form}' is no unit of the lexicon; give its factor "
                        f"({{{form}: …}})",
                    )
                )
                continue
            factor = info.factor
        factors[form] = factor
    return factors


def _needs_pattern(words: list[str]) -> regex.Pattern[str] | None:
    """One pattern for a rule's `needs` words, the longest first; None when it has none."""
    if not words:
        return None
    return regex.compile("|".join(regex.escape(w) for w in sorted(set(words), key=lambda w: (-len(w), w))))


def _compile_rule(
    item: SourcedRule, pieces: dict[str, str], cache: dict[str, str], errors: Errors
) -> regex.Pattern[str] | None:
    """A rule's pattern with its pieces put in, compiled; a fault is reported at its character."""
    src, rule = item.source, item.rule
    assert src is not None
    loc = ("rules", item.index, "pattern")
    what = f"rule '{rule.id}'"
    set_error = _set_operation(src, loc, rule.pattern, f"{what}: pattern")
    if set_error is not None:
        errors.append(set_error)
        return None
    try:
        expanded = expand_pattern(rule.pattern, pieces, (), cache)
        return regex.compile(expanded)
    except regex.error as exc:
        try:
            regex.compile(blank_refs(rule.pattern))
        except regex.error as own:
            errors.append(src.error(loc, _regex_cause(f"{what}: pattern", own), offset=own.pos))
            return None
        at = f" at character {exc.pos + 1} of the expanded pattern" if exc.pos is not None else ""
        errors.append(
            src.error(loc, f"{what}: pattern does not compile with its pieces put in: {exc.msg}{at}")
        )
        return None


def _check_groups(item: SourcedRule, pattern: regex.Pattern[str], errors: Errors) -> bool:
    """The named groups the rule's keys read must exist."""
    rule, src = item.rule, item.source
    assert src is not None
    if rule.exclude:
        return True
    groups = set(pattern.groupindex)
    missing = []
    if rule.value is None and "num" not in groups:
        missing.append("num (the number) or a constant value")
    if rule.form == "fraction" and "den" not in groups:
        missing.append("den (the denominator of form fraction)")
    if rule.parts and not {"n", "u"} <= groups:
        missing.append("n and u (read with parts)")
    if rule.kind is None and not rule.inherit and not groups & {"unit", "unit_high"}:
        missing.append("unit (or give the rule kind and unit)")
    for what in missing:
        errors.append(
            src.error(("rules", item.index, "pattern"), f"rule '{rule.id}': pattern has no group {what}")
        )
    return not missing


@dataclass
class _Merged:
    """What merging the packs leaves for the later steps besides the lexicon: the rules in order,
    where each pack's own piece was defined, the segmentation patterns, and units' lookaheads."""

    ordered: dict[str, SourcedRule] = field(default_factory=dict)
    piece_home: dict[str, tuple[LoadedPack, str]] = field(default_factory=dict)
    segmentation: dict[str, tuple[str, LoadedPack]] = field(default_factory=dict)
    lookaheads: dict[tuple[str, str], str] = field(default_factory=dict)


def compile_ruleset(packs: list[LoadedPack]) -> RuleSet:
    """Merge packs in order (later ones extend lexicons, override rules by id, disable rules) and compile.

    The steps, by concern: merge the lexicons and order the rules (provenance kept), build the regex
    pieces, compile the segmentation, compile the rules, then the patterns of the later stages.
    Every fault of every pack is collected and raised at the end as one :class:`PackErrors`.
    """
    rs = RuleSet()
    errors: Errors = []
    merged = _merge_packs(packs, rs, errors)
    bad_pieces = _build_pieces(rs, merged, errors)
    for kind, (value, _src) in merged.segmentation.items():
        setattr(rs.patterns, kind, regex.compile(value))
        setattr(rs.patterns, kind + "_rev", regex.compile(value, regex.REVERSE))
    _compile_rules(rs, merged, _user_regex(packs), bad_pieces, errors)
    _prune_unit_examples(rs)
    rs.patterns.context_cues = compile_context_cues(packs, errors)
    if errors:
        order = {str(src.path): i for i, src in enumerate(packs)}
        errors.sort(key=lambda e: (order.get(e.path, len(order)), e.line or 0, e.column or 0))
        raise PackErrors(errors)
    _compile_context(rs)
    return rs


def _merge_packs(packs: list[LoadedPack], rs: RuleSet, errors: Errors) -> _Merged:
    """Each pack in load order: its lexicons and currency into ``rs``, its pieces, its segmentation,
    and its rules into the order (an override keeps the first definition's place; `disable` drops)."""
    merged = _Merged()
    for src in packs:
        pack = src.pack
        rs.provenance.packs.append((pack.pack, src.path))
        _merge_lexicons(rs, src, merged.lookaheads, errors)
        _merge_currency(rs, src, errors)
        for name, body in pack.pieces.items():
            rs.pieces[name] = body
            merged.piece_home[name] = (src, body)
        for kind in ("sentence_end", "clause_end"):
            value = getattr(pack.segmentation, kind)
            if value and _check_regex(src, ("segmentation", kind), value, f"segmentation.{kind}", errors):
                merged.segmentation[kind] = (value, src)
        _order_rules(src, rs, merged.ordered, errors)
    return merged


def _order_rules(src: LoadedPack, rs: RuleSet, ordered: dict[str, SourcedRule], errors: Errors) -> None:
    """A pack's rules into the run order: a new id at the end, an override in the place of the
    definition it replaces (which ``rs.provenance`` keeps), a `disable` out of it."""
    pack = src.pack
    seen_here: dict[str, SourcedRule] = {}
    for item in src.rules:
        rid = item.rule.id
        if rid in seen_here:
            errors.append(
                src.error(
                    ("rules", item.index, "id"),
                    f"duplicate rule id '{rid}' (first at line {seen_here[rid].line}): ids are unique "
                    "in a pack",
                )
            )
            continue
        seen_here[rid] = item
        _check_validators(
            src, ("rules", item.index, "validators"), item.rule.validators, f"rule '{rid}'", errors
        )
        if item.rule.fallback:
            _check_validators(
                src,
                ("rules", item.index, "fallback", "validators"),
                item.rule.fallback.validators,
                f"rule '{rid}' fallback",
                errors,
            )
        if rid in ordered:
            rs.provenance.overridden[rid] = ordered[rid]
        ordered[rid] = item  # an override keeps the first definition's place in the order
    for i, rid in enumerate(pack.disable):
        if rid not in ordered:
            errors.append(
                src.error(
                    ("disable", i),
                    f"disable: no rule '{rid}' is defined in this pack or an earlier one"
                    + _suggest(rid, ordered),
                )
            )
            continue
        rs.provenance.disabled[rid] = (ordered.pop(rid), src.path, src.where(("disable", i))[0])


def _build_pieces(rs: RuleSet, merged: _Merged, errors: Errors) -> set[str]:
    """The packs' pieces and those generated from the lexicons, into ``rs.pieces``; returns the
    names of the broken ones (a rule using one is not reported again)."""
    generated = _lexicon_pieces(rs, merged.lookaheads)
    for name in sorted(set(generated) & set(merged.piece_home)):
        home = merged.piece_home.pop(name)[0]
        errors.append(
            home.error(("pieces", name), f"piece name '{name}' is reserved for a lexicon", key=True)
        )
    rs.pieces = {**rs.pieces, **generated}
    return _check_pieces(rs.pieces, merged.piece_home, errors)


def _user_regex(packs: list[LoadedPack]) -> bool:
    """Whether a user pack adds regex text a built-in rule could take in (a piece, a unit's
    not_before): built-in rules run without the timeout only while none does, as a user's `(a+)+`
    there must not hang a run."""
    return any(
        not src.builtin
        and (
            src.pack.pieces
            or src.pack.numerals.magnitude_not_before
            or any(u.not_before for u in src.pack.units)
        )
        for src in packs
    )


def _compile_rules(
    rs: RuleSet, merged: _Merged, user_regex: bool, bad_pieces: set[str], errors: Errors
) -> None:
    """Every rule in order, its pieces put in and compiled, into ``rs.rules`` or ``rs.exclusions``."""
    pieces = rs.pieces
    cache: dict[str, str] = {}
    for item in merged.ordered.values():
        rule = item.rule
        assert item.source is not None
        if not _check_refs(
            item.source, ("rules", item.index, "pattern"), rule.pattern, pieces, f"rule '{rule.id}'", errors
        ):
            continue
        if _uses(rule.pattern, pieces) & bad_pieces:
            continue
        pattern = _compile_rule(item, pieces, cache, errors)
        if pattern is None or not _check_groups(item, pattern, errors):
            continue
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
            builtin=item.builtin and not user_regex,
            fallback=rule.fallback,
            parts=_parts_factors(item, rs, errors),
            sourced=item,
            needs=_needs_pattern(rule.needs),
        )
        (rs.exclusions if rule.exclude else rs.rules).append(compiled)


def _prune_unit_examples(rs: RuleSet) -> None:
    """A unit whose every form a later pack redefined is gone from the lexicon, and so are its examples."""
    rs.provenance.units_with_examples = [
        entry
        for entry in rs.provenance.units_with_examples
        if any(
            (info := rs.lexicon.units_after.get(form) or rs.lexicon.units_before.get(form)) is not None
            and entry.source is not None
            and info.origin == (str(entry.source.path), entry.index)
            for form in entry.forms
        )
    ]


def _compile_context(rs: RuleSet) -> None:
    """The context stage's lexicon patterns: change words and joins (the filler between a change word
    and its figure is read by context.neighbours.only_filler, not by a pattern)."""
    change = _alternation([*rs.lexicon.increase, *rs.lexicon.decrease])
    level = _alternation(list(rs.lexicon.level))
    coord = _alternation(list(rs.lexicon.coordinators))
    rs.patterns.change_pattern = regex.compile(f"(?P<word>{change})(?P<level>{level})?")
    rs.patterns.coord_pattern = regex.compile(rf"\s*(?:{coord})\s*")
    rs.patterns.qual_before_lengths = tuple(sorted({len(q) for q in rs.lexicon.qual_before}, reverse=True))
    rs.patterns.qual_before_last_chars = frozenset(q[-1] for q in rs.lexicon.qual_before if q)
    rs.patterns.governing_values = tuple(rs.lexicon.governing.values())
    if rs.lexicon.governing:
        # Searched backwards from the figure, so each branch is anchored at the figure's start.
        branches = "|".join(f"(?P<g{i}>(?:{p}))" for i, p in enumerate(rs.lexicon.governing))
        # REVERSE: matching starts at the figure and runs backwards, so a window costs one attempt.
        rs.patterns.governing_pattern = regex.compile(f"(?:{branches})$", regex.REVERSE)

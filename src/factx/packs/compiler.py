"""Compile time: merging validated packs into one :class:`~factx.packs.ruleset.RuleSet` and compiling
its patterns.

In: the validated packs (:class:`~factx.packs.source.LoadedPack`, from :mod:`factx.packs.loader`), in
load order. Out: the :class:`RuleSet` a run scans with (its classes are in :mod:`factx.packs.ruleset`,
which imports nothing of this module), or one :class:`PackErrors` naming every fault at its
``file:line:column``. Imported only when packs must be compiled: a cold cache, ``rules check`` and
``rules test``, a user pack not cached yet.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

import regex

from factx.packs.context_models import compile_context_cues
from factx.packs.cue_lexicon import CueLexicon
from factx.packs.errors import PackError, PackErrors
from factx.packs.models import Fallback
from factx.packs.pieces import PIECE_REF, blank_refs, expand_pattern, expand_piece
from factx.packs.ruleset import (
    CompiledRule,
    CurrencyCueWords,
    EndingPatterns,
    FallbackUnit,
    RuleSet,
    UnitEntry,
    UnitInfo,
    _alternation,
    _lexicon_pieces,
)
from factx.packs.source import LoadedPack, Loc, SourcedRule
from factx.validators import VALIDATORS

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
    rs.lexicon.magnitudes.update(n.magnitude_words)
    rs.lexicon.magnitude_words.update(n.magnitude_words)
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
    rs.lexicon.differences.update(c.differences)
    rs.lexicon.streaks = tuple(sorted({*rs.lexicon.streaks, *c.streaks}, key=len, reverse=True))
    for pattern, way in c.comparatives.items():
        if _check_regex(src, ("changes", "comparatives", pattern), pattern, "comparative", errors, True):
            rs.lexicon.comparatives[pattern] = way
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
        # Defined again: it replaces the earlier entry, in the earlier place.
        merged.auto[code] = CurrencyCueWords(script=cues.script, cues=tuple(cues.cues))
    merged.traditional.update(cur.traditional)
    merged.simplified.update(cur.simplified)
    if cur.script_weight is not None:
        merged.script_weight = cur.script_weight


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
            expand_piece(name, pieces, (), {})
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
            offset=rule.offset,
            value=rule.value,
            form=rule.form,
            exclude=rule.exclude,
            inherit=rule.inherit,
            priority=rule.priority,
            validators=tuple(rule.validators),
            description=rule.description,
            builtin=item.builtin and not user_regex,
            fallback=_fallback(rule.fallback),
            parts=_parts_factors(item, rs, errors),
            needs=_needs_pattern(rule.needs),
            provenance=rs.deferred_provenance,
        )
        rs.provenance.rules[rule.id] = item
        (rs.exclusions if rule.exclude else rs.rules).append(compiled)


def _fallback(fallback: Fallback | None) -> FallbackUnit | None:
    """A rule's validated ``fallback`` as the plain value a run reads."""
    if fallback is None:
        return None
    return FallbackUnit(kind=fallback.kind, unit=fallback.unit, validators=tuple(fallback.validators))


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
    and its figure is read by context.neighbours.only_filler, not by a pattern), qualifiers and
    governing words, and last the cue lexicon, which reads them and the context cues."""
    change = _alternation([*rs.lexicon.increase, *rs.lexicon.decrease])
    level = _alternation(list(rs.lexicon.level))
    coord = _alternation(list(rs.lexicon.coordinators))
    rs.patterns.change_pattern = regex.compile(f"(?P<word>{change})(?P<level>{level})?")
    if rs.lexicon.differences:
        rs.patterns.difference_pattern = regex.compile(_alternation(list(rs.lexicon.differences)))
    rs.patterns.comparatives = _ending_at(rs.lexicon.comparatives)
    rs.patterns.coord_pattern = regex.compile(rf"\s*(?:{coord})\s*")
    rs.patterns.qual_before_lengths = tuple(sorted({len(q) for q in rs.lexicon.qual_before}, reverse=True))
    rs.patterns.qual_before_last_chars = frozenset(q[-1] for q in rs.lexicon.qual_before if q)
    rs.patterns.governing = _ending_at(rs.lexicon.governing)
    rs.patterns.cue_lexicon = CueLexicon(rs)


def _ending_at(patterns: Mapping[str, str]) -> EndingPatterns | None:
    """Regexes that each end where a figure starts (pattern → value) as one backwards pattern."""
    if not patterns:
        return None
    # Searched backwards from the figure, so each branch is anchored at the figure's start.
    branches = "|".join(f"(?P<g{i}>(?:{p}))" for i, p in enumerate(patterns))
    # REVERSE: matching starts at the figure and runs backwards, so a window costs one attempt.
    return EndingPatterns(regex.compile(f"(?:{branches})$", regex.REVERSE), tuple(patterns.values()))

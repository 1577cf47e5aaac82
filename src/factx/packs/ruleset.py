"""The compiled rule set, as a run uses it: the classes a scan reads, and how lexicons become patterns.

Runtime only: this module imports neither the pack models (pydantic), nor YAML, nor the loader, so a
run whose rule set comes from the cache (:mod:`factx.packs.cache`) does not import them either. The
classes here hold plain values: strings, Decimals, tuples, named tuples, frozen dataclasses and
compiled patterns. What only ``factx rules list``/``rules test`` and error messages read (the
validated packs, each rule's definition and examples) is the rule set's :class:`Provenance`, kept
:class:`Deferred` so that a rule set read from the cache unpickles it only when it is asked for.

Compile time is :mod:`factx.packs.compiler` (merging validated packs into a :class:`RuleSet` and
compiling its patterns), fed by :mod:`factx.packs.loader` (YAML files → validated pack models).
The pattern writers at the end of this module (:func:`_alternation`, :func:`_lexicon_pieces`) serve
both: lexicons become generated pieces (``{unit}``, ``{cn_digit}``, ``{qual_before}`` …) that a
pattern may reference beside the packs' own pieces, so "a Chinese number" is defined once and serves
every rule, and a later stage may build an alternation of its own (the currency cues).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Literal, NamedTuple

import regex

from factx.packs.context_cues import CompiledCues
from factx.packs.deferred import Deferred
from factx.packs.trie import char_trie

if TYPE_CHECKING:
    from pathlib import Path

    from factx.packs.cue_lexicon import CueLexicon
    from factx.packs.models import Example
    from factx.packs.source import LoadedPack, SourcedRule

Approx = Literal["about", "over", "under", "nearly", "range"]
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


class EndingPatterns(NamedTuple):
    """Regexes that each end where a figure (or its number) starts, as one pattern searched backwards
    (each branch a group gN), and the value each gives: the governing qualifiers (约占全国的 → about),
    the comparatives (比全国高 → increase)."""

    pattern: regex.Pattern[str]
    values: tuple[str, ...]

    def value_before(self, text: str, start: int, end: int) -> str | None:
        """The value of the branch that matches ``text[start:end]`` up to ``end``, if one does."""
        m = self.pattern.search(text, start, end)
        if m is None or m.lastgroup is None:
            return None
        return self.values[int(m.lastgroup[1:])]


class FallbackUnit(NamedTuple):
    """A rule's ``fallback``: what a unitless match becomes when it has no joined figure to take a
    unit from. (Small records of plain values are named tuples here: cheaper to define at import and
    to read back from the cache than dataclasses.)"""

    kind: str
    unit: str
    validators: tuple[str, ...] = ()


@dataclass(frozen=True)
class CompiledRule:
    """A rule ready to run: its compiled pattern and what its matches become.

    A rule with ``needs`` read from the cache may hold its pattern still pickled (the instance
    attribute ``deferred_pattern``, set by :mod:`factx.packs.cache`): most documents hold none of its
    words and never run it. ``rule.pattern`` unpickles it on first use.
    """

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
    description: str = ""
    offset: Decimal | None = None  # added after the fixed factor (a temperature's ℃ → K)
    builtin: bool = False  # from factx's own packs: tested linear, so run without the timeout's cost
    fallback: FallbackUnit | None = None
    parts: dict[str, Decimal] = field(default_factory=dict)
    group_names: frozenset[str] = frozenset()
    # The rule's `needs` words as one pattern: only the sentences it finds are scanned (None: all text).
    needs: regex.Pattern[str] | None = None
    # The rule set's provenance, where this rule's definition and examples are (by its id).
    provenance: Deferred[Provenance] | None = field(default=None, repr=False, compare=False)

    if not TYPE_CHECKING:  # to the type checker, `pattern` is the plain field it is to every reader

        def __getattr__(self, name: str) -> Any:
            """Only called for an attribute not set: ``pattern`` of a rule whose pattern is deferred."""
            deferred = self.__dict__.get("deferred_pattern") if name == "pattern" else None
            if deferred is None:
                raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")
            pattern = deferred.get()
            object.__setattr__(self, "pattern", pattern)  # frozen: set once, as __init__ does
            return pattern

    @property
    def sourced(self) -> SourcedRule | None:
        """The rule's definition as its pack gives it, with its file:line."""
        return None if self.provenance is None else self.provenance.get().rules.get(self.id)

    @property
    def examples(self) -> tuple[Example, ...]:
        """The rule's own tests (run by ``factx rules test``)."""
        src = self.sourced
        return tuple(src.rule.examples) if src is not None else ()

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


class CurrencyCueWords(NamedTuple):
    """What points to one currency being a document's own under ``--currency auto``: the script its
    texts are written in, and cue words (place and institution names)."""

    script: str | None = None
    cues: tuple[str, ...] = ()


@dataclass
class CurrencySettings:
    """The packs' ``currency`` sections, merged: the document's currency, the forms that name it
    (a bare 元), and the cues ``--currency auto`` weighs (read by factx.normalize.currency)."""

    document: str | None = None  # a code or "auto"; None: the local forms' own unit (CNY)
    local_forms: set[str] = field(default_factory=set)
    auto: dict[str, CurrencyCueWords] = field(default_factory=dict)  # in tie-break order
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
    # Of ``magnitudes``, those written with a measure word (个亿): no numeral characters of their own.
    magnitude_words: set[str] = field(default_factory=set)
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
    differences: set[str] = field(default_factory=set)
    comparatives: dict[str, str] = field(default_factory=dict)  # regex → increase | decrease
    streaks: tuple[str, ...] = ()  # 连, 连续: before a change word, a duration after it is a run's length
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
    difference_pattern: regex.Pattern[str] | None = None  # None: the packs name no difference word
    # The comparatives (比全国高), ending where the number starts (None: the packs name none).
    comparatives: EndingPatterns | None = None
    coord_pattern: regex.Pattern[str] | None = None
    # The qualifier words before a figure, by length and last character, and the governing ones
    # (约占全国的), ending where the figure starts (None: the packs name none).
    qual_before_lengths: tuple[int, ...] = ()
    qual_before_last_chars: frozenset[str] = frozenset()
    governing: EndingPatterns | None = None
    # The context fields' cues (metric, subject, period, basis), merged from every pack.
    context_cues: CompiledCues = field(default_factory=CompiledCues)
    # The cues as the context stage looks them up (with the figure packs' change, level and qualifier
    # words): built with the rule set, so that a run from the cache does not build it again.
    cue_lexicon: CueLexicon | None = None


@dataclass(eq=False)
class Provenance:
    """Where every rule and unit came from, for `rules list` and `rules test` (compile-time objects:
    the validated packs, read back from the cache only when asked for)."""

    packs: list[tuple[str, Path]] = field(default_factory=list)
    # Each active rule's definition, by id (a rule's examples are its definition's).
    rules: dict[str, SourcedRule] = field(default_factory=dict)
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
    deferred_provenance: Deferred[Provenance] = field(default_factory=lambda: Deferred(Provenance()))

    @property
    def all_rules(self) -> list[CompiledRule]:
        return [*self.rules, *self.exclusions]

    @property
    def provenance(self) -> Provenance:
        """Where every rule and unit came from (unpickled on first use for a rule set from the cache)."""
        return self.deferred_provenance.get()


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


def _lexicon_pieces(rs: RuleSet, unit_lookaheads: dict[tuple[str, str], str]) -> dict[str, str]:
    zeros = [c for c, v in rs.lexicon.digits.items() if v == 0]
    nonzero = [c for c, v in rs.lexicon.digits.items() if v != 0]
    numeral_chars = [
        *rs.lexicon.digits,
        *rs.lexicon.places,
        *rs.lexicon.placeholders,
        *(c for m in rs.lexicon.magnitudes if m not in rs.lexicon.magnitude_words for c in m),
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

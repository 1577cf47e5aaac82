"""The ``context_fields`` section of a rule pack: the cue words and patterns that find each figure's
metric, subject, period and basis, validated on load and compiled once per rule set.

In: the ``context_fields`` section of every pack, in pack order. Out: :class:`CompiledCues`, which
``factx.context`` reads: the word lists merged into one table (word → cue class), the pattern lists
expanded (``{piece}`` references) and compiled into one alternation per class. A pattern that does
not compile, or names an unknown piece, is a :class:`PackError` at its ``file:line:column``.
"""

from __future__ import annotations

import importlib
import re
import warnings
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeAlias

import regex
from pydantic import BaseModel, ConfigDict, Field

from factx.packs.trie import char_trie

if TYPE_CHECKING:
    from factx.packs.errors import PackError
    from factx.packs.source import LoadedPack


class _Strict(BaseModel):
    # As every pack model (models.Strict, not imported here: models imports this module).
    model_config = ConfigDict(extra="forbid", frozen=True)


class ContextExample(_Strict):
    """A sentence and what the context stage must find for one of its figures.

    Only the fields given are checked; a field given as null must be found null.
    """

    text: str = Field(min_length=1, description="A sentence or a short paragraph.")
    figure: str = Field(min_length=1, description="The figure's text as extracted (its first occurrence).")
    metric: str | None = None
    subject: str | None = None
    period: str | None = None
    basis: str | None = None
    why: str = Field(default="", description="What the example shows, for a reader and a failing test.")


class ContextCues(_Strict):
    """Cue words and patterns for the context of figures (metric, subject, period, basis)."""

    pieces: dict[str, str] = Field(
        default_factory=dict, description="Named regex pieces for the patterns below, referenced as {name}."
    )
    periods: list[str] = Field(
        default_factory=list, description="Regex: a match is a period (2024年, 前11个月)."
    )
    not_periods: list[str] = Field(
        default_factory=list, description="Regex: a match is never a period, nor part of one (11月10日)."
    )
    bound_periods: list[str] = Field(
        default_factory=list,
        description="Regex ending where a figure starts (从…的): the periods inside are that figure's only.",
    )
    bases: list[str] = Field(
        default_factory=list,
        description="Regex: a comparison, the basis as written (同比, 比上年, 与上月相比).",
    )
    ratio_bases: list[str] = Field(
        default_factory=list,
        description="Regex ending where a figure starts; group ref is what it is compared with (是去年的).",
    )
    verbs: list[str] = Field(
        default_factory=list,
        description="Verbs and copulas between a metric and its figure (达, 为, 实现); they end a phrase.",
    )
    function_words: list[str] = Field(
        default_factory=list,
        description="Adverbs, prepositions and other verbs that end a noun phrase (在, 已, 累计, 建成).",
    )
    nouns: list[str] = Field(
        default_factory=list,
        description="Nouns that contain a cue word but are part of a noun phrase (增加值, 对外).",
    )
    share_verbs: list[str] = Field(
        default_factory=list, description="占: what stands before it is the numerator of a share."
    )
    share_nouns: list[str] = Field(
        default_factory=list, description="比重, 占比: a share of the noun phrase before them."
    )
    rate_words: list[str] = Field(
        default_factory=list,
        description="Rates of another quantity (增速, 降幅): their figure takes the metric of what changes.",
    )
    distributive: list[str] = Field(
        default_factory=list,
        description="分别, 均: the figures after them go with the listed items in order.",
    )
    joiners: list[str] = Field(
        default_factory=list, description="Joins of list items and figures: 、, 和, 及."
    )
    clause_marks: str | None = Field(
        default=None, description="Regex character class of what ends a clause for the context (，；：)."
    )
    line_ends: str | None = Field(
        default=None,
        description="Regex matched at the end of a line: such a line ends its paragraph; a line break "
        "after any other line (running text wrapped) does not.",
    )
    localizers: list[str] = Field(
        default_factory=list, description="Words after a noun that end it (展厅内, 时间里)."
    )
    counted_heads: list[str] = Field(
        default_factory=list,
        description="Heads that count the entity before them (数量): a metric ending so keeps that entity.",
    )
    subject_names: list[str] = Field(
        default_factory=list, description="Names that are a subject wherever they stand (我国, 全国, 北京)."
    )
    subject_suffixes: list[str] = Field(
        default_factory=list,
        description="Endings of places and organisations (省, 新区, 集团, 部): such a phrase is a subject.",
    )
    entity_types: list[str] = Field(
        default_factory=list,
        description="Endings of a type of entity (企业, 机构): a subject too, but not a name's continuation.",
    )
    reporting_verbs: list[str] = Field(
        default_factory=list,
        description="Verbs of saying (表示, 介绍): a clause ending with one names a speaker, not a subject.",
    )
    subject_patterns: list[str] = Field(
        default_factory=list,
        description="Regex with group subject (and optionally metric): 对(?P<subject>…)(?P<metric>进出口).",
    )
    not_subjects: list[str] = Field(
        default_factory=list,
        description="Pronouns and bare references that are never a subject (我们, 该公司).",
    )
    not_metrics: list[str] = Field(
        default_factory=list, description="Words that are never a metric on their own (其, 这些, 总量)."
    )
    examples: list[ContextExample] = Field(
        default_factory=list,
        description="Sentences with the context one of their figures must get; run by `factx rules test`.",
    )


# Word classes of the merged table: the finder reads a word's class, never the list it came from.
VERB = "verb"
FUNCTION = "function"
NOUN = "noun"
SHARE_VERB = "share_verb"
SHARE_NOUN = "share_noun"
RATE = "rate"
DISTRIBUTIVE = "distributive"
JOINER = "joiner"
LOCALIZER = "localizer"
SUBJECT = "subject"

# Later classes win when a word is in several lists: a noun that starts like a verb stays a noun.
# (not_metrics and not_subjects are read as whole phrases, never as words inside one.)
_WORD_LISTS = (
    ("verbs", VERB),
    ("function_words", FUNCTION),
    ("joiners", JOINER),
    ("distributive", DISTRIBUTIVE),
    ("localizers", LOCALIZER),
    ("share_verbs", SHARE_VERB),
    ("share_nouns", SHARE_NOUN),
    ("rate_words", RATE),
    ("subject_names", SUBJECT),
    ("nouns", NOUN),
)

# A compiled pattern: the standard library's engine where the pattern allows (several times faster
# on these alternations), the regex module's where it needs its syntax (\p{Han}, REVERSE).
Pattern: TypeAlias = "re.Pattern[str] | regex.Pattern[str]"
_NEVER: Pattern = re.compile("(?!)")
DEFAULT_CLAUSE_MARKS = "[，,；;：:。！？!?]"
DEFAULT_LINE_ENDS = "[。！？!?…；;：:”’」』）)]\\s*$"


@dataclass
class CompiledCues:
    """The cues of all packs merged and compiled.

    ``words`` maps each cue word to its class (the constants above); ``max_word`` is the longest
    word's length, so that a lookup tries a bounded number of slices. The patterns are alternations
    of every pack's list, in pack order; ``ratio_bases`` and ``bound_periods`` are compiled to
    search backwards from where a figure starts (one attempt per figure).
    """

    words: dict[str, str] = field(default_factory=dict)
    lists: dict[str, frozenset[str]] = field(default_factory=dict)  # each word list, merged
    max_word: int = 1
    subject_suffixes: tuple[str, ...] = ()
    entity_types: tuple[str, ...] = ()
    reporting_verbs: tuple[str, ...] = ()
    counted_heads: tuple[str, ...] = ()
    periods: Pattern = _NEVER
    not_periods: Pattern = _NEVER
    bound_periods: Pattern = _NEVER
    bases: Pattern = _NEVER
    ratio_bases: Pattern = _NEVER
    subject_patterns: Pattern = _NEVER
    clause_marks: Pattern = field(default_factory=lambda: fast_pattern(DEFAULT_CLAUSE_MARKS))
    line_ends: Pattern = field(default_factory=lambda: fast_pattern(DEFAULT_LINE_ENDS))
    line_ends_source: str = DEFAULT_LINE_ENDS
    examples: list[tuple[str, ContextExample]] = field(default_factory=list)  # (pack file:line, example)
    # What a match must end with (bound_periods) or start with (ratio_bases): a figure whose text
    # before it shows neither is not tried. None: anything may (no shortcut).
    bound_ends: frozenset[str] | None = None
    ratio_starts: frozenset[str] | None = None
    subject_starts: frozenset[str] | None = None


_PATTERN_LISTS = ("periods", "not_periods", "bound_periods", "bases", "ratio_bases", "subject_patterns")
# Groups the finder reads, per pattern list: a pattern without them is a fault.
_REQUIRED_GROUPS = {"ratio_bases": "ref", "subject_patterns": "subject"}
_REVERSED = {"bound_periods", "ratio_bases"}


def compile_context_cues(packs: list[LoadedPack], errors: list[PackError]) -> CompiledCues:
    """Merge the ``context_fields`` sections of ``packs`` in order; faults go to ``errors``."""
    # ruleset imports this module; its pattern helpers are imported when cues are compiled.
    from factx.packs.ruleset import PIECE_REF, blank_refs, expand_pattern

    cues = CompiledCues()
    pieces: dict[str, str] = {}
    # Change words of every pack, so that a comparison can end where its change word starts.
    changes: list[str] = []
    for src in packs:
        pieces.update(src.pack.context_fields.pieces)
        changes.extend([*src.pack.changes.increase, *src.pack.changes.decrease])
    pieces["change"] = (
        "|".join(regex.escape(w) for w in sorted(set(changes), key=len, reverse=True)) or "(?!)"
    )

    sources: dict[str, list[str]] = {name: [] for name in _PATTERN_LISTS}
    lists: dict[str, set[str]] = {name: set() for name, _ in _WORD_LISTS}
    lists.update(not_metrics=set(), not_subjects=set())
    suffixes: list[str] = []
    entity_types: list[str] = []
    reporting: list[str] = []
    heads: list[str] = []
    for src in packs:
        section = src.pack.context_fields
        for list_name, cls in _WORD_LISTS:
            for word in getattr(section, list_name):
                if word:
                    cues.words[word] = cls
                    lists[list_name].add(word)
        lists["not_metrics"].update(section.not_metrics)
        lists["not_subjects"].update(section.not_subjects)
        suffixes.extend(section.subject_suffixes)
        entity_types.extend(section.entity_types)
        reporting.extend(section.reporting_verbs)
        heads.extend(section.counted_heads)
        for list_name in _PATTERN_LISTS:
            for i, pattern in enumerate(getattr(section, list_name)):
                loc = ("context_fields", list_name, i)
                what = f"context_fields.{list_name}[{i}]"
                unknown = [m for m in PIECE_REF.finditer(pattern) if m.group(1) not in pieces]
                if unknown:
                    m = unknown[0]
                    errors.append(
                        src.error(loc, f"{what}: unknown piece '{{{m.group(1)}}}'", offset=m.start())
                    )
                    continue
                try:
                    expanded = expand_pattern(pattern, pieces)
                except KeyError as exc:
                    errors.append(
                        src.error(loc, f"{what}: pieces refer to each other in a cycle: {exc.args[0]}")
                    )
                    continue
                try:
                    compiled = regex.compile(expanded)
                except regex.error as exc:
                    try:  # the fault is in the pattern itself: point at its character
                        regex.compile(blank_refs(pattern))
                        errors.append(
                            src.error(loc, f"{what} does not compile with its pieces put in: {exc.msg}")
                        )
                    except regex.error as own:
                        errors.append(src.error(loc, f"{what} does not compile: {own.msg}", offset=own.pos))
                    continue
                group = _REQUIRED_GROUPS.get(list_name)
                if group and group not in compiled.groupindex:
                    errors.append(src.error(loc, f"{what}: the pattern has no group '{group}'"))
                    continue
                sources[list_name].append(expanded)
        for name in ("clause_marks", "line_ends"):
            value = getattr(section, name)
            if value is None:
                continue
            try:
                regex.compile(value)
                setattr(cues, name, fast_pattern(value))
                if name == "line_ends":
                    cues.line_ends_source = value
            except regex.error as exc:
                errors.append(
                    src.error(
                        ("context_fields", name),
                        f"context_fields.{name} does not compile: {exc.msg}",
                        exc.pos,
                    )
                )
        for i, example in enumerate(section.examples):
            line = src.where(("context_fields", "examples", i))[0]
            cues.examples.append((f"{src.path}:{line}" if line else str(src.path), example))

    cues.lists = {name: frozenset(words) for name, words in lists.items()}
    cues.max_word = max((len(w) for w in cues.words), default=1)
    cues.subject_suffixes = tuple(sorted(set(suffixes), key=len, reverse=True))
    cues.counted_heads = tuple(sorted(set(heads), key=len, reverse=True))
    cues.entity_types = tuple(sorted(set(entity_types), key=len, reverse=True))
    cues.reporting_verbs = tuple(sorted(set(reporting), key=len, reverse=True))
    cues.bound_ends = _edges(sources["bound_periods"], last=True)
    cues.ratio_starts = _edges(sources["ratio_bases"], last=False)
    cues.subject_starts = _edges(sources["subject_patterns"], last=False)
    for list_name, bodies in sources.items():
        if not bodies:
            continue
        if list_name in _REVERSED:
            # Anchored where the figure starts and matched backwards: one attempt per figure.
            body = "|".join(f"(?:{b})" for b in bodies)
            setattr(cues, list_name, regex.compile(f"(?:{body})$", regex.REVERSE))
        else:
            setattr(cues, list_name, fast_pattern("|".join(f"(?:{b})" for b in bodies)))
    return cues


def _edges(bodies: list[str], last: bool) -> frozenset[str] | None:
    """The characters every match of any of ``bodies`` starts (``last``: ends) with; None if unknown."""
    out: set[str] = set()
    for body in bodies:
        chars = first_characters(body, last)
        if chars is None:
            return None
        out |= chars
    return frozenset(out)


def fast_pattern(body: str) -> Pattern:
    """``body`` compiled to search fast: by the standard engine when it can read it, and led by a
    lookahead of the characters a match can start with, so that most positions are skipped by one
    class test instead of an attempt at every alternative."""
    try:
        with warnings.catch_warnings():
            # A construct the two engines read differently (a nested set [[…]]) warns: the regex
            # module's reading, the packs' documented one, is kept.
            warnings.simplefilter("error")
            compiled = re.compile(body)
    except (re.error, FutureWarning):
        return regex.compile(body)
    first = first_characters(body)
    if not first or _starts_plainly(body):
        return compiled  # the engine skips to a literal or a class start on its own, faster
    return re.compile(f"(?={_lookahead(body, first)})(?:{body})")


def _class(chars: set[str]) -> str:
    """A character class of ``chars``, in order, escaped where a class needs it."""
    return "[" + "".join("\\" + ch if ch in "\\]^-[" else ch for ch in sorted(chars)) + "]"


def _lookahead(body: str, first: set[str]) -> str:
    """What a match of ``body`` must start with: its first characters, and for those whose matches
    need one of few second characters, those too (年 after 2 in 2024年: most places where a common
    first character stands are then skipped without an attempt at the pattern)."""
    pairs = second_characters(body, first)
    if pairs is None or not pairs[0] or not pairs[1]:
        return _class(first)
    checked, seconds, free = pairs
    return f"{_class(checked)}{_class(seconds)}" + (f"|{_class(free)}" if free else "")


def second_characters(body: str, first: set[str]) -> tuple[set[str], set[str], set[str]] | None:
    """For the characters ``first`` a match of ``body`` starts with: (those whose matches are two
    characters long at least, with a second character the pattern spells out; the characters those
    second ones can be; the others). None when the pattern cannot be read so (flags)."""
    try:
        sre = importlib.import_module("re._constants")
        parsed = importlib.import_module("re._parser").parse(body)
    except Exception:
        return None
    if parsed.state.flags & (re.IGNORECASE | re.VERBOSE):
        return None
    walk = _SecondWalk(sre, first)
    ends = walk.items(list(parsed), frozenset({_START}))
    if ends is None or _START in ends:
        return None  # it cannot tell, or a match may be empty
    # A match that may end after its first character needs no second one.
    free = walk.free | {state for state in ends if isinstance(state, str)} | (first - set(walk.seconds))
    checked = first - free
    seconds: set[str] = set()
    for ch in checked:
        seconds |= walk.seconds[ch]
    return checked, seconds, free


_START = 0  # no character read yet
_PAST = 2  # two or more characters read
# Where a match can stand after some of the pattern: _START, one first character read (that
# character itself), or _PAST.
_State: TypeAlias = "int | str"


class _SecondWalk:
    """One pass over a parsed pattern that gathers, per first character of a match, the characters
    that can follow it. Lookarounds are skipped (they only narrow what matches); a first character
    followed by any character (a negated class) is ``free``; None from a step: it cannot tell."""

    def __init__(self, sre: Any, first: set[str]) -> None:
        self.sre = sre
        self.first = first
        self.seconds: dict[str, set[str]] = {}
        self.free: set[str] = set()
        self.repeats = (sre.MAX_REPEAT, sre.MIN_REPEAT, getattr(sre, "POSSESSIVE_REPEAT", sre.MAX_REPEAT))

    def char(self, chars: set[str] | None, states: frozenset[_State]) -> frozenset[_State] | None:
        """One character of ``chars`` (None: any) read from each of ``states``."""
        out: set[_State] = set()
        for state in states:
            if state == _START:
                if chars is None:
                    return None  # any first character: the first ones are not known
                out.update(chars & self.first)
            elif state == _PAST:
                out.add(_PAST)
            else:
                assert isinstance(state, str)
                if chars is None:
                    self.free.add(state)
                else:
                    self.seconds.setdefault(state, set()).update(chars)
                out.add(_PAST)
        return frozenset(out)

    def items(self, items: list[tuple[Any, Any]], states: frozenset[_State]) -> frozenset[_State] | None:
        """The states after ``items`` from ``states``."""
        sre = self.sre
        for op, av in items:
            if op in (sre.AT, sre.ASSERT, sre.ASSERT_NOT):
                continue
            found: frozenset[_State] | None
            if op is sre.LITERAL:
                found = self.char({chr(av)}, states)
            elif op is sre.IN:
                found = self.char(_class_chars(av, sre), states)
            elif op in (sre.NOT_LITERAL, sre.ANY):
                found = self.char(None, states)
            elif op is sre.SUBPATTERN:
                found = None if av[1] or av[2] else self.items(list(av[3]), states)
            elif op is sre.BRANCH:
                reached: set[_State] = set()
                for branch in av[1]:
                    after = self.items(list(branch), states)
                    if after is None:
                        return None
                    reached |= after
                found = frozenset(reached)
            elif op in self.repeats:
                found = self.repeat(av[0], av[1], list(av[2]), states)
            else:
                return None
            if found is None:
                return None
            states = found
        return states

    def repeat(
        self, low: int, high: int, sub: list[tuple[Any, Any]], states: frozenset[_State]
    ) -> frozenset[_State] | None:
        """The states after ``low`` to ``high`` repetitions of ``sub``: they settle within a few
        repetitions past ``low``, as no state goes beyond _PAST."""
        current, after, n = states, set(states) if low == 0 else set(), 0
        while n < high:
            found = self.items(sub, current)
            if found is None or n > low + 4:
                return None
            n += 1
            settled = found == current
            current = found
            if n >= low:
                after |= current
            if settled and n >= low:
                break
        return frozenset(after)


def _class_chars(av: list[tuple[Any, Any]], sre: Any) -> set[str] | None:
    """The characters a parsed class holds (\\s as the characters that are space); None when it is
    negated, wide or a category."""
    out: set[str] = set()
    for kind, value in av:
        if kind is sre.LITERAL:
            out.add(chr(value))
        elif kind is sre.RANGE and value[1] - value[0] <= _WIDEST_RANGE:
            out.update(chr(c) for c in range(value[0], value[1] + 1))
        elif kind is sre.CATEGORY and value in (sre.CATEGORY_SPACE, sre.CATEGORY_UNI_SPACE):
            out.update(_SPACES)
        else:
            return None
    return out


_SPACES = frozenset(chr(c) for c in range(0x3100) if chr(c).isspace())  # all of them lie below


def word_pattern(words: list[str] | set[str] | frozenset[str]) -> Pattern:
    """A fast search for any of ``words``, the longest first: a character trie (中国(?:香港|内地)?…),
    so that each position costs one branch per first character instead of a test of every word."""
    trie = char_trie(word for word in words if word)

    def emit(node: dict[str, Any]) -> str:
        branches = [re.escape(ch) + emit(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body

    return fast_pattern(emit(trie) or "(?!)")


def _starts_plainly(body: str) -> bool:
    """Whether ``body`` starts with a literal or a class in every branch: the standard engine then
    scans for that start by itself, and a lookahead before it would only slow the scan down."""
    try:
        sre = importlib.import_module("re._constants")
        items = list(importlib.import_module("re._parser").parse(body))
    except Exception:
        return False

    def plain(seq: list[tuple[Any, Any]]) -> bool:
        if not seq:
            return False
        op, av = seq[0]
        if op in (sre.LITERAL, sre.IN):
            return True
        if op is sre.SUBPATTERN:
            return plain(list(av[3]))
        if op is sre.BRANCH:
            return all(plain(list(branch)) for branch in av[1])
        return False

    return plain(items)


def first_characters(body: str, last: bool = False) -> set[str] | None:
    """The characters a match of ``body`` can start with (``last``: end with), or None when any may
    (or it cannot tell: a class such as \\d, a negated class, an empty match)."""
    try:
        sre = importlib.import_module("re._constants")
        parsed = importlib.import_module("re._parser").parse(body)
    except Exception:  # a private module of the standard library: without it, no prefilter
        return None
    chars, can_be_empty = _first(list(parsed), sre, last)
    return None if chars is None or can_be_empty else chars


_WIDEST_RANGE = 4096  # a class wider than this (a Unicode block) is as good as any character


def _first(items: list[tuple[Any, Any]], sre: Any, last: bool = False) -> tuple[set[str] | None, bool]:
    """(first characters, whether the sequence can match empty) of parsed pattern items; with
    ``last``, the characters it can end with."""
    out: set[str] = set()
    for op, av in reversed(items) if last else items:
        if op in (sre.AT, sre.ASSERT, sre.ASSERT_NOT):
            continue  # zero-width: the next item starts the match
        if op is sre.LITERAL:
            out.add(chr(av))
            return out, False
        if op is sre.IN:
            for kind, value in av:
                if kind is sre.LITERAL:
                    out.add(chr(value))
                elif kind is sre.RANGE and value[1] - value[0] <= _WIDEST_RANGE:
                    out.update(chr(c) for c in range(value[0], value[1] + 1))
                else:
                    return None, False
            return out, False
        if op is sre.SUBPATTERN:
            if av[1] or av[2]:  # inline flags (ignore case …) change what a character matches
                return None, False
            sub, empty = _first(list(av[3]), sre, last)
        elif op is sre.BRANCH:
            sub, empty = set(), False
            for branch in av[1]:
                part, part_empty = _first(list(branch), sre, last)
                if part is None:
                    return None, False
                sub |= part
                empty = empty or part_empty
        elif op in (sre.MAX_REPEAT, sre.MIN_REPEAT, getattr(sre, "POSSESSIVE_REPEAT", sre.MAX_REPEAT)):
            sub, empty = _first(list(av[2]), sre, last)
            empty = empty or av[0] == 0
        else:
            return None, False
        if sub is None:
            return None, False
        out |= sub
        if not empty:
            return out, False
    return out, True

"""The compiled context cues, as the context stage reads them (runtime: no pack model, no YAML).

In: the cue words and patterns of the packs' ``context_fields`` sections, merged and compiled by
:func:`factx.packs.context_models.compile_context_cues` (compile time: the pydantic models of the
section, validation, ``file:line`` errors). Out: :class:`CompiledCues`, which ``factx.context``
reads: the word lists merged into one table (word → cue class) and one alternation per pattern
class, and the pattern helpers both sides use (:func:`fast_pattern`, :func:`word_pattern`,
:func:`first_characters`).
"""

from __future__ import annotations

import importlib
import re
import warnings
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Any, TypeAlias

import regex

from factx.packs.deferred import Deferred
from factx.packs.trie import char_trie

if TYPE_CHECKING:
    from factx.packs.context_models import ContextExample

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
    # What a match must end with (bound_periods) or start with (ratio_bases): a figure whose text
    # before it shows neither is not tried. None: anything may (no shortcut).
    bound_ends: frozenset[str] | None = None
    ratio_starts: frozenset[str] | None = None
    subject_starts: frozenset[str] | None = None
    # The packs' context examples, (pack file:line, example): read by `rules test` only, so a rule set
    # from the cache keeps them pickled until then.
    deferred_examples: Deferred[list[tuple[str, ContextExample]]] = field(
        default_factory=lambda: Deferred([]), repr=False, compare=False
    )

    @property
    def examples(self) -> list[tuple[str, ContextExample]]:
        """The packs' context examples, in pack order: (pack file:line, example)."""
        return self.deferred_examples.get()


@lru_cache(maxsize=32)
def _parsed(body: str) -> tuple[Any, Any] | None:
    """The standard library's parse of ``body`` with its constants module, or None when it cannot be
    had. Parsed once per pattern for the questions below (first characters, second ones, whether it
    starts plainly), which a pattern's compiling asks in turn; the parse is only read, never changed."""
    try:
        sre = importlib.import_module("re._constants")
        return sre, importlib.import_module("re._parser").parse(body)
    except Exception:  # a private module of the standard library: without it, no prefilter
        return None


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
    found = _parsed(body)
    if found is None:
        return None
    sre, parsed = found
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
            out.update(_spaces())
        else:
            return None
    return out


@lru_cache(maxsize=1)
def _spaces() -> frozenset[str]:
    """Every space character (all of them lie below U+3100): made when a pattern first asks (at
    compile time), not by a run that reads its rule set from the cache."""
    return frozenset(chr(c) for c in range(0x3100) if chr(c).isspace())


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
    found = _parsed(body)
    if found is None:
        return False
    sre, items = found[0], list(found[1])

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
    found = _parsed(body)
    if found is None:
        return None
    sre, parsed = found
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

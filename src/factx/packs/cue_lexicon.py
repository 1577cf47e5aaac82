"""The context cues of a rule set as lookup tables: each cue word's class, found by its first or last
character, so that reading a noun phrase costs a dictionary lookup per character, and the patterns
and bounds the context stage derives from the cues.

In: a :class:`~factx.packs.ruleset.RuleSet` (its ``context_cues``, and the growth and fall words,
level words and qualifiers of the figure packs, which stand between a metric and its figure too).
Out: a :class:`CueLexicon`. It is compile time's product, built by :mod:`factx.packs.compiler` with
the rule set (``rs.patterns.cue_lexicon``), so that a rule set read back from the cache brings it
along, its patterns as compiled code: a run neither merges the tables nor compiles the patterns
again (some 6 ms of every run's start). Runtime: it holds plain values, dictionaries,
sets, tuples and compiled patterns, and imports no pack model. ``factx.context.cues`` reads it.
"""

from __future__ import annotations

import importlib
import re
from typing import TYPE_CHECKING, Any

import regex

from factx.packs import context_cues as cm
from factx.packs.context_cues import Pattern, fast_pattern, first_characters, word_pattern

if TYPE_CHECKING:
    from factx.packs.ruleset import RuleSet

# Classes the figure packs' lexicons add beside the context pack's own (packs.context_models).
CHANGE = "change"
LEVEL = "level"
QUAL = "qual"

# Classes skipped between a metric and its figure (意向成交额|达|834.9亿美元, 增速|分别|加快|6.5个).
SKIPPED = frozenset(
    {cm.VERB, cm.FUNCTION, cm.DISTRIBUTIVE, CHANGE, LEVEL, QUAL, cm.SHARE_VERB, cm.SHARE_NOUN}
)
# Classes that end a noun phrase. A one-character verb, change word or qualifier does not (国有, 新增,
# 发达 hold one), unless the context pack lists it as a function word.
_ENDING = frozenset({cm.VERB, cm.FUNCTION, cm.DISTRIBUTIVE, CHANGE, LEVEL, QUAL, cm.SHARE_VERB})
_ONE_CHAR_ENDING = frozenset({cm.FUNCTION, cm.DISTRIBUTIVE, cm.SHARE_VERB})


class CueLexicon:
    """Every cue word with its class, and whether it ends a noun phrase."""

    def __init__(self, rs: RuleSet) -> None:
        cues = rs.patterns.context_cues
        self.cues = cues
        words: dict[str, str] = dict(cues.words)
        # The context pack's classes win: 增速 is a rate word there, a growth word in core.context.
        for word in (*rs.lexicon.increase, *rs.lexicon.decrease):
            words.setdefault(word, CHANGE)
        for word in rs.lexicon.level:
            words.setdefault(word, LEVEL)
        for word, approx in rs.lexicon.qual_before.items():
            if approx is not None:
                words.setdefault(word, QUAL)
        self.words = words
        # Lookups by the two characters a word starts or ends with (most pairs start and end none),
        # then by length, longest first: 增加值 (a noun) before 增加 (a change word).
        self.entries = {w: (len(w), c) for w, c in words.items()}
        self.ones = {w: (1, c) for w, c in words.items() if len(w) == 1}
        starts2: dict[str, set[int]] = {}
        ends2: dict[str, set[int]] = {}
        for word in words:
            if len(word) >= 2:
                starts2.setdefault(word[:2], set()).add(len(word))
                ends2.setdefault(word[-2:], set()).add(len(word))
        self.starts2 = {k: tuple(sorted(ns, reverse=True)) for k, ns in starts2.items()}
        self.ends2 = {k: tuple(sorted(ns, reverse=True)) for k, ns in ends2.items()}
        # A subject's endings: places and organisations, and types of entity (both end a subject
        # phrase); only the first continue a name (重庆|嘉陵江实验室, not 北京|人工智能企业).
        self.suffixes = tuple(sorted({*cues.subject_suffixes, *cues.entity_types}, key=len, reverse=True))
        self.name_suffixes = cues.subject_suffixes
        self.short_name_suffixes = frozenset(s for s in cues.subject_suffixes if len(s) <= 2)
        self.reporting = cues.reporting_verbs
        self.counted_heads = cues.counted_heads
        lists = cues.lists
        self.rate_words = frozenset(w for w, c in words.items() if c == cm.RATE)
        # The last characters of share verbs (占): a stretch holding none has no share verb.
        self.share_verb_ends = _trigger({w[-1] for w, c in words.items() if c == cm.SHARE_VERB})
        self.not_metrics = lists.get("not_metrics", frozenset()) | self.rate_words
        self.not_subjects = tuple(sorted(lists.get("not_subjects", ()), key=len, reverse=True))
        self.nouns = lists.get("nouns", frozenset())
        # References that may open a metric's phrase (该行资产总额), longest first.
        self.references = tuple(sorted((w for w in self.not_subjects if len(w) >= 2), key=len, reverse=True))
        self.subject_names = frozenset(w for w, c in words.items() if c == cm.SUBJECT)
        self._name_prefixes = tuple(self.subject_names)  # for str.startswith
        self.localizers = frozenset(w for w, c in words.items() if c == cm.LOCALIZER)
        self.joiners = frozenset(w for w, c in words.items() if c == cm.JOINER)
        self.max_rate = max((len(w) for w in self.rate_words), default=0)
        self.rate_tuple = tuple(self.rate_words)
        self.suffix_ends = frozenset(s[-1] for s in self.suffixes)
        self.suffix_search = _trigger(self.suffix_ends) or re.compile("(?!)")
        # Every listed name, found in a sentence by one search (longest first: 中国香港 before 中国).
        self.names = word_pattern(self.subject_names)
        # Characters that must stand before a figure for a ratio's pattern to be tried (是去年的…).
        self.ratio_trigger = _trigger(cues.ratio_starts)
        self.subject_trigger = _trigger(cues.subject_starts)
        # How far a subject pattern's match can reach: a bound lets the matches ending where each
        # figure's words begin be found from one scan of the clause (EndingMatches).
        self.subject_width = max_width(cues.subject_patterns)
        # … and the characters every match ends with (None: any may): a metric ending otherwise has
        # no subject pattern before it, and nothing is searched.
        ends_with = _last_characters(cues.subject_patterns)
        self.subject_ends = frozenset(ends_with) if ends_with else None
        # A sentence's ends, as a set of characters when the packs' pattern is one (searched back
        # by str.rfind), and as a fast forward search.
        ends = first_characters(rs.patterns.sentence_end.pattern)
        self.sentence_ends = (
            "".join(sorted(ends))
            if ends is not None and _is_class(rs.patterns.sentence_end.pattern)
            else None
        )
        self.sentence_end = fast_pattern(rs.patterns.sentence_end.pattern)
        # … and the last one before an offset, by one backward search.
        self.sentence_end_back = (
            regex.compile(rs.patterns.sentence_end.pattern, regex.REVERSE)
            if self.sentence_ends is not None
            else None
        )
        # The characters a complete line ends with, when line_ends is one class then space to the end.
        source = cues.line_ends_source
        chars = first_characters(source) if source.endswith("]\\s*$") and _is_class(source[:-4]) else None
        self.line_end_chars = frozenset(chars) if chars else None
        # The characters every match of not_periods ends with (None: any may): a range holding none
        # of them holds no match, and is not searched.
        ends_with = _last_characters(cues.not_periods)
        self.not_period_ends = _trigger(ends_with) if ends_with else None
        # Where a clause may open: after a clause mark or a line break.
        self.openers = fast_pattern(f"(?:{cues.clause_marks.pattern})|[\\r\\n]")

    def ending_at(self, text: str, pos: int, low: int) -> tuple[int, str] | None:
        """The longest cue word ending at ``pos`` and starting at or after ``low``: (length, class)."""
        if pos <= low:
            return None
        lengths = self.ends2.get(text[pos - 2 : pos]) if pos - low >= 2 else None
        if lengths is not None:
            entries = self.entries
            for n in lengths:
                if n <= pos - low:
                    found = entries.get(text[pos - n : pos])
                    if found is not None:
                        return found
        return self.ones.get(text[pos - 1])

    def starting_at(self, text: str, pos: int, high: int) -> tuple[int, str] | None:
        """The longest cue word starting at ``pos`` and ending at or before ``high``: (length, class)."""
        if pos >= high:
            return None
        lengths = self.starts2.get(text[pos : pos + 2]) if high - pos >= 2 else None
        if lengths is not None:
            entries = self.entries
            for n in lengths:
                if n <= high - pos:
                    found = entries.get(text[pos : pos + n])
                    if found is not None:
                        return found
        return self.ones.get(text[pos])

    @staticmethod
    def ends(length: int, cls: str) -> bool:
        """Whether a cue word of this length and class ends a noun phrase."""
        return cls in _ONE_CHAR_ENDING if length == 1 else cls in _ENDING

    def is_subject(self, phrase: str, names_only: bool = False) -> bool:
        """Whether a whole phrase names a subject: a listed name, or a place, organisation or entity
        type by its ending (at least three characters: 社会 and 地区 are not places); with
        ``names_only``, not a type of entity (企业)."""
        if phrase in self.subject_names:
            return True
        if len(phrase) < 3 or self.is_reference(phrase):
            return False
        return phrase.endswith(self.name_suffixes if names_only else self.suffixes)

    def is_reference(self, phrase: str) -> bool:
        """A pronoun or a bare reference (该公司, 企业, 我们): never a subject."""
        return phrase.startswith(self.not_subjects) and not phrase.startswith(self._name_prefixes)


def _is_class(pattern: str) -> bool:
    """Whether ``pattern`` is one character class ([。！？!?\\n]): a match is one of its characters."""
    return pattern.startswith("[") and pattern.endswith("]") and not pattern.startswith("[^")


def _trigger(chars: set[str] | frozenset[str] | None) -> re.Pattern[str] | None:
    """A search for any of ``chars``: a pattern that starts with one matches only where it finds one."""
    return re.compile("[" + "".join(re.escape(c) for c in sorted(chars)) + "]") if chars else None


def max_width(pattern: Pattern) -> int | None:
    """The longest match of ``pattern``, when it is bounded, reads nothing beyond the match (no
    lookahead, no anchor or word boundary) and is never empty; else None. Read by the standard
    library's parser (named groups made plain, as packs may name one group in several branches);
    a pattern it cannot parse (\\p{Han}) is unbounded."""
    try:
        sre = importlib.import_module("re._constants")
        parsed = importlib.import_module("re._parser").parse(_plain_groups(pattern.pattern))
    except Exception:
        return None
    if pattern.flags & (regex.MULTILINE | regex.REVERSE) or not _reads_within(list(parsed), sre):
        return None
    low, high = parsed.getwidth()
    return high if low > 0 and high < sre.MAXREPEAT else None


def _last_characters(pattern: Pattern) -> set[str] | None:
    """The characters every match of a compiled pattern ends with; None when any may (or it
    cannot tell, as under ignore-case)."""
    if pattern.flags & re.IGNORECASE:
        return None
    return first_characters(_plain_groups(pattern.pattern), last=True)


def _plain_groups(source: str) -> str:
    """A pattern with its named groups made plain, so that the standard library's parser reads a
    pattern that names one group in several branches (as packs may)."""
    return re.sub(r"(?<!\\)\(\?P<\w+>", "(?:", source)


def _reads_within(items: list[tuple[Any, Any]], sre: Any) -> bool:
    """Whether parsed items look at no character after the match (lookbehind is fine)."""
    repeats = (sre.MAX_REPEAT, sre.MIN_REPEAT, getattr(sre, "POSSESSIVE_REPEAT", sre.MAX_REPEAT))
    for op, av in items:
        if op in (sre.AT, sre.GROUPREF, sre.GROUPREF_EXISTS):
            return False  # an anchor or a word boundary reads around it; a reference is unbounded
        if op in (sre.ASSERT, sre.ASSERT_NOT):
            if av[0] >= 0:
                return False  # a lookahead
            inner = [av[1]]
        elif op is sre.SUBPATTERN:
            inner = [av[3]]
        elif op is sre.BRANCH:
            inner = av[1]
        elif op in repeats:
            inner = [av[2]]
        elif op is getattr(sre, "ATOMIC_GROUP", None):
            inner = [av]
        else:
            continue
        if not all(_reads_within(list(sub), sre) for sub in inner):
            return False
    return True

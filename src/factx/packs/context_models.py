"""The ``context_fields`` section of a rule pack: the cue words and patterns that find each figure's
metric, subject, period and basis, validated on load and compiled once per rule set.

Compile time only (imported when packs are compiled, never by a run whose rule set comes from the
cache): the pydantic models of the section and :func:`compile_context_cues`. What a run reads,
:class:`CompiledCues` and the pattern helpers, is in :mod:`factx.packs.context_cues`.

In: the ``context_fields`` section of every pack, in pack order. Out: :class:`CompiledCues`, which
``factx.context`` reads: the word lists merged into one table (word → cue class), the pattern lists
expanded (``{piece}`` references) and compiled into one alternation per class. A pattern that does
not compile, or names an unknown piece, is a :class:`PackError` at its ``file:line:column``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import regex
from pydantic import BaseModel, ConfigDict, Field

from factx.packs.context_cues import (
    DISTRIBUTIVE,
    FUNCTION,
    JOINER,
    LOCALIZER,
    NOUN,
    RATE,
    SHARE_NOUN,
    SHARE_VERB,
    SUBJECT,
    VERB,
    CompiledCues,
    Pattern,
    fast_pattern,
    first_characters,
    word_pattern,
)
from factx.packs.pieces import PIECE_REF, blank_refs, expand_pattern

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

_PATTERN_LISTS = ("periods", "not_periods", "bound_periods", "bases", "ratio_bases", "subject_patterns")
# Groups the finder reads, per pattern list: a pattern without them is a fault.
_REQUIRED_GROUPS = {"ratio_bases": "ref", "subject_patterns": "subject"}
_REVERSED = {"bound_periods", "ratio_bases"}


def compile_context_cues(packs: list[LoadedPack], errors: list[PackError]) -> CompiledCues:
    """Merge the ``context_fields`` sections of ``packs`` in order; faults go to ``errors``."""
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


__all__ = [  # its own names, and the runtime ones still importable from here (they were defined here)
    "DISTRIBUTIVE",
    "FUNCTION",
    "JOINER",
    "LOCALIZER",
    "NOUN",
    "RATE",
    "SHARE_NOUN",
    "SHARE_VERB",
    "SUBJECT",
    "VERB",
    "CompiledCues",
    "ContextCues",
    "ContextExample",
    "Pattern",
    "compile_context_cues",
    "fast_pattern",
    "first_characters",
    "word_pattern",
]

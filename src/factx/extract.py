"""The library API: text or files in, Figure records out. The CLI is a thin layer over this."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from factx.context.neighbours import add_changes, share_units
from factx.context.sentences import TextIndex
from factx.matching.scanner import Draft, ScanTimeout, scan, time_budget
from factx.normalize.numbers import exact_or_rounded
from factx.packs.loader import load_ruleset
from factx.packs.ruleset import RuleSet
from factx.records import Figure, figure_id
from factx.sources.files import Document, Problem, iter_documents

DEFAULT_TIMEOUT = 5.0  # seconds per rule and document: a runaway pattern cannot hang a run

_default_ruleset: RuleSet | None = None


def default_ruleset() -> RuleSet:
    """The built-in packs (plus FACTX_RULES), loaded and compiled once per process."""
    global _default_ruleset
    if _default_ruleset is None:
        _default_ruleset = load_ruleset()
    return _default_ruleset


def _records(doc: str, text: str, drafts: list[Draft], rs: RuleSet, index: TextIndex) -> list[Figure]:
    drafts = add_changes(share_units(drafts, text, rs), text, index, rs)
    seen: Counter[tuple[int, str]] = Counter()
    sentence_seen: Counter[str] = Counter()
    sentence_rank: dict[int, int] = {}
    out = []
    for d in drafts:
        s_start, s_end = index.sentence(d.start, d.end)
        sentence = text[s_start:s_end]
        if s_start not in sentence_rank:
            # The n-th time this very sentence occurs in the document: repeated boilerplate
            # sentences keep distinct ids, and editing other sentences leaves the rank alone.
            sentence_rank[s_start] = sentence_seen[sentence]
            sentence_seen[sentence] += 1
        figure_text = text[d.start : d.end]
        occurrence = seen[(s_start, figure_text)]
        seen[(s_start, figure_text)] += 1
        line, column = index.line_column(d.start)
        out.append(
            # model_validate on a dict: the same validation, a little cheaper than keyword arguments.
            Figure.model_validate(
                {
                    "id": figure_id(doc, sentence, figure_text, occurrence, sentence_rank[s_start]),
                    "doc": doc,
                    "start": d.start,
                    "end": d.end,
                    "line": line,
                    "column": column,
                    "text": figure_text,
                    "kind": d.kind or "",
                    "value": exact_or_rounded(d.value),
                    "value_high": exact_or_rounded(d.value_high) if d.value_high is not None else None,
                    "unit": d.unit or "",
                    "approx": d.approx,
                    "change": d.change,
                    "classifier": d.classifier,
                    "per": d.per,
                    "sentence": sentence,
                    "sentence_start": s_start,
                    "sentence_end": s_end,
                    "pack": d.rule.pack,
                    "rule": d.rule.id,
                }
            )
        )
    return out


@dataclass
class Extraction:
    """The figures of one document, and what went wrong with it (a timed-out rule)."""

    doc: str
    figures: list[Figure]
    problems: list[Problem] = field(default_factory=list)


def extract_document(
    text: str, doc: str = "<text>", ruleset: RuleSet | None = None, timeout: float | None = DEFAULT_TIMEOUT
) -> Extraction:
    """Figures of one text, with any rule that ran past ``timeout`` reported (the rest is kept).

    ``timeout`` is in seconds per rule on a document of up to a megabyte (proportionally more for a
    longer one); None turns it off.
    """
    rs = ruleset or default_ruleset()
    problems = []
    try:
        drafts = scan(text, rs, timeout=timeout)
    except ScanTimeout as exc:
        drafts = exc.drafts
        by_id = {rule.id: rule for rule in rs.all_rules}
        for rule_id in exc.rule_ids:
            rule = by_id[rule_id]
            effect = (
                "text it would clear may hold figures" if rule.exclude else "its later figures are missing"
            )
            problems.append(
                Problem(
                    doc,
                    f"rule {rule_id} ({rule.origin}) ran past the {time_budget(timeout, text):g}s limit and "
                    f"was stopped; {effect} (its pattern may backtrack catastrophically)",
                )
            )
    index = TextIndex(text, rs)
    return Extraction(doc, _records(doc, text, drafts, rs, index), problems)


def extract_text(text: str, doc: str = "<text>", ruleset: RuleSet | None = None) -> list[Figure]:
    """Every figure in ``text``, in order.

    >>> [f.text for f in extract_text("出口2.35万亿元，同比增长5.7%。")]
    ['2.35万亿元', '5.7%']
    """
    return extract_document(text, doc, ruleset).figures


def extract_paths(
    paths: Iterable[Path | str],
    ruleset: RuleSet | None = None,
    globs: tuple[str, ...] = ("*.txt", "*.md"),
    problems: list[Problem] | None = None,
    timeout: float | None = DEFAULT_TIMEOUT,
) -> Iterator[Figure]:
    """Figures of files and folders (recursively, by ``globs``), documents in sorted path order.

    Unreadable documents are skipped and appended to ``problems`` (when given) so a run never stops
    at one bad file; so is a rule stopped by ``timeout`` (see :func:`extract_document`).
    """
    rs = ruleset or default_ruleset()
    sink = problems if problems is not None else []
    for item in iter_documents(paths, globs):
        if isinstance(item, Problem):
            sink.append(item)
            continue
        result = extract_document(item.text, item.name, rs, timeout)
        sink.extend(result.problems)
        yield from result.figures


__all__ = ["Document", "Extraction", "Problem", "extract_document", "extract_paths", "extract_text"]

"""The library API: a text or a source in, Figure records out. The CLI is a thin layer over this.

A document is scanned in pieces of about PIECE_CHARS characters cut at sentence ends, each with a
little of the text before it for context, so that a 300 MB single-line file is read in bounded
memory and its records are the ones a scan of the whole text would give: same offsets, lines,
sentences and ids. Records are yielded piece by piece, as they are made.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from factx.context.fields import FIELDS as CONTEXT_FIELDS
from factx.context.fields import ContextFinder, FigureContext
from factx.context.neighbours import add_changes, share_units
from factx.context.sentences import MAX_REACH, TextIndex, count_line_breaks
from factx.defaults import DEFAULT_TIMEOUT
from factx.matching.scanner import Draft, ScanTimeout, scan, time_budget
from factx.normalize.currency import DocumentCurrency
from factx.normalize.numbers import exact_or_rounded
from factx.packs.load import load_ruleset
from factx.packs.ruleset import RuleSet
from factx.records import Figure, figure_id
from factx.sources import Problem

if TYPE_CHECKING:
    from factx.sources import Source

PIECE_CHARS = 1 << 20  # a longer text is scanned in pieces about this long, cut at sentence ends
CONTEXT_CHARS = 2 * MAX_REACH  # text of the piece before that a piece's figures may look back at
# The record keys of each context field (its text, start, end), in the order of a FigureContext's.
_CONTEXT_KEYS = tuple((name, f"{name}_start", f"{name}_end") for name in CONTEXT_FIELDS)

_default_ruleset: RuleSet | None = None


@dataclass(frozen=True)
class ScanOptions:
    """What a scan adds to each figure beyond the figure itself.

    ``context``: find each figure's metric, subject, period and basis (on by default; off saves
    the time of the context stage, and the four fields are null).
    ``currency``: the currency of a bare 元 (the document's own): an ISO 4217 code, ``auto`` (decided
    per document from the packs' cues, see :mod:`factx.normalize.currency`), or None for the packs'
    setting (CNY unless a pack says otherwise).
    """

    context: bool = True
    currency: str | None = None


def default_ruleset() -> RuleSet:
    """The built-in packs (plus FACTX_RULES), loaded and compiled once per process."""
    global _default_ruleset
    if _default_ruleset is None:
        _default_ruleset = load_ruleset()
    return _default_ruleset


@dataclass(frozen=True)
class DocumentInfo:
    """What every record of a document says about it (see :class:`~factx.records.Figure`)."""

    doc: str
    path: str = ""
    format: str = "text"
    encoding: str | None = None
    offsets: str = "source"
    doc_sha256: str | None = None

    @property
    def key(self) -> str:
        """The name ids are made from: the relative path when there is one, else the doc."""
        return self.path or self.doc


def _sentence_key(sentence: str) -> bytes:
    # The per-document count of each sentence lives as long as the document: a digest, not the text.
    return hashlib.blake2b(sentence.encode("utf-8"), digest_size=8).digest()


class DocumentScan:
    """One document scanned piece by piece, with the records a whole-text scan would give.

    ``feed`` the text in any slices, then ``finish``; each returns the records it could complete.
    ``raw`` maps a span of the scanned text back into the file (html) and gives the file's text,
    ``page`` the page of an offset (pdf). Problems (a rule stopped by the timeout) collect in
    ``problems``.
    """

    def __init__(
        self,
        info: DocumentInfo,
        ruleset: RuleSet | None = None,
        timeout: float | None = DEFAULT_TIMEOUT,
        raw: tuple[str, Callable[[int, int], tuple[int, int]]] | None = None,
        page: Callable[[int], int | None] | None = None,
        piece_chars: int = PIECE_CHARS,
        options: ScanOptions | None = None,
    ) -> None:
        self.info = info
        self.rs = ruleset or default_ruleset()
        self.options = options or ScanOptions()
        self._finder = ContextFinder(self.rs) if self.options.context else None
        self._currency = DocumentCurrency(self.rs, self.options.currency)
        self.timeout = timeout
        self.problems: list[Problem] = []
        self._raw = raw
        self._raw_index = TextIndex(raw[0], self.rs) if raw is not None else None
        self._page = page
        self._piece_chars = max(piece_chars, 4 * CONTEXT_CHARS)
        self._pending: list[str] = []
        self._pending_len = 0
        self._context = ""  # the end of the text already scanned
        self._base = 0  # document offset of the first pending character
        self._line = 1  # line of the first pending character
        self._line_start = 0  # document offset where that line begins
        self._sentence_seen: Counter[bytes] = Counter()
        self._timed_out: set[str] = set()

    @classmethod
    def of_source(
        cls,
        source: Source,
        ruleset: RuleSet | None = None,
        timeout: float | None = DEFAULT_TIMEOUT,
        options: ScanOptions | None = None,
    ) -> DocumentScan:
        """A scan of an opened source: its record fields, html's map back into the page, pdf's pages."""
        raw = (source.raw_text, source.raw_span) if source.raw_text is not None else None
        page = source.page if source.format == "pdf" else None
        return cls(source_info(source), ruleset, timeout, raw=raw, page=page, options=options)

    def feed(self, text: str) -> list[Figure]:
        """Take more text; return the records of the pieces that are now complete."""
        if not text:
            return []
        self._pending.append(text)
        self._pending_len += len(text)
        out: list[Figure] = []
        while self._pending_len >= self._piece_chars + CONTEXT_CHARS:
            buffer = "".join(self._pending)
            cut = self._cut(buffer)
            out.extend(self._scan_piece(buffer[:cut]))
            rest = buffer[cut:]
            self._pending, self._pending_len = ([rest] if rest else []), len(rest)
        return out

    def finish(self) -> list[Figure]:
        """Scan what is left; return its records."""
        buffer = "".join(self._pending)
        self._pending, self._pending_len = [], 0
        return self._scan_piece(buffer) if buffer else []

    def _cut(self, buffer: str) -> int:
        """Where to end a piece: the last sentence end in its second half; failing that a clause end
        or a space; failing that (a megabyte of digits) its length. Never inside a CRLF."""
        high = self._piece_chars
        low = high // 2
        for pattern in (self.rs.patterns.sentence_end_rev, self.rs.patterns.clause_end_rev):
            m = pattern.search(buffer, low, high)
            if m is not None:
                cut = m.end()
                break
        else:
            space = max(buffer.rfind(" ", low, high), buffer.rfind("\u3000", low, high))
            cut = space + 1 if space >= 0 else high
        if buffer[cut - 1] == "\r" and buffer[cut : cut + 1] == "\n":
            cut += 1
        return cut

    def _scan_piece(self, piece: str) -> list[Figure]:
        context = self._context
        text = context + piece
        pos = len(context)
        origin = self._base - pos  # document offset of text[0]
        self._currency.settle(piece)  # once, on the first piece: later pieces' records keep to it
        try:
            drafts = scan(text, self.rs, timeout=self.timeout, pos=pos)
        except ScanTimeout as exc:
            drafts = exc.drafts
            self._report_timeouts(exc.rule_ids, text)
        index = TextIndex(text, self.rs, (pos, self._line, self._line_start - origin))
        figures = self._records(text, origin, drafts, index)
        # What the next piece needs: its first line, and a little text for its look-backs.
        breaks = count_line_breaks(piece)
        if breaks:
            self._line += breaks
            self._line_start = self._base + max(piece.rfind("\n"), piece.rfind("\r")) + 1
        self._base += len(piece)
        self._context = text[-CONTEXT_CHARS:]
        return figures

    def _report_timeouts(self, rule_ids: list[str], text: str) -> None:
        by_id = {rule.id: rule for rule in self.rs.all_rules}
        for rule_id in rule_ids:
            if rule_id in self._timed_out:
                continue  # one problem per rule and document, however many pieces it stalled on
            self._timed_out.add(rule_id)
            rule = by_id[rule_id]
            effect = (
                "text it would clear may hold figures" if rule.exclude else "its later figures are missing"
            )
            self.problems.append(
                Problem(
                    self.info.doc,
                    f"rule {rule_id} ({rule.origin}) ran past the {time_budget(self.timeout, text):g}s limit "
                    f"and was stopped; {effect} (its pattern may backtrack catastrophically)",
                )
            )

    def _records(self, text: str, origin: int, drafts: list[Draft], index: TextIndex) -> list[Figure]:
        rs, info = self.rs, self.info
        drafts = add_changes(share_units(drafts, text, rs), text, index, rs)
        contexts = self._finder.find(text, origin, drafts, index) if self._finder is not None else None
        seen: Counter[tuple[int, str]] = Counter()
        sentence_rank: dict[int, int] = {}
        out = []
        for i, d in enumerate(drafts):
            s_start, s_end = index.sentence(d.start, d.end)
            sentence = text[s_start:s_end]
            if s_start not in sentence_rank:
                # The n-th time this very sentence occurs in the document: repeated boilerplate
                # sentences keep distinct ids, and editing other sentences leaves the rank alone.
                key = _sentence_key(sentence)
                sentence_rank[s_start] = self._sentence_seen[key]
                self._sentence_seen[key] += 1
            figure_text = text[d.start : d.end]
            occurrence = seen[(s_start, figure_text)]
            seen[(s_start, figure_text)] += 1
            start, end = origin + d.start, origin + d.end
            sentence_start, sentence_end = origin + s_start, origin + s_end
            if self._raw is not None and self._raw_index is not None:
                raw_text, raw_span = self._raw
                start, end = raw_span(start, end)
                sentence_start, sentence_end = raw_span(sentence_start, sentence_end)
                figure_text = raw_text[start:end]
                line, column = self._raw_index.line_column(start)
            else:
                line, column = index.line_column(d.start)
            unit, currency_from = self._currency.unit_of(d)
            record: dict[str, object] = {
                "id": figure_id(info.key, sentence, figure_text, occurrence, sentence_rank[s_start]),
                "doc": info.doc,
                "start": start,
                "end": end,
                "line": line,
                "column": column,
                "text": figure_text,
                "kind": d.kind or "",
                "value": exact_or_rounded(d.value),
                "value_high": exact_or_rounded(d.value_high) if d.value_high is not None else None,
                "unit": unit,
                "currency_from": currency_from,
                "approx": d.approx,
                "change": d.change,
                "classifier": d.classifier,
                "per": d.per,
            }
            if contexts is not None:
                self._add_context(record, contexts[i])
            record.update(
                {
                    "sentence": sentence,
                    "sentence_start": sentence_start,
                    "sentence_end": sentence_end,
                    "pack": d.rule.pack,
                    "rule": d.rule.id,
                    "path": info.path,
                    "format": info.format,
                    "encoding": info.encoding,
                    "offsets": info.offsets,
                    "page": self._page(origin + d.start) if self._page is not None else None,
                    "doc_sha256": info.doc_sha256,
                }
            )
            # model_validate on a dict: the same validation, a little cheaper than keyword arguments.
            out.append(Figure.model_validate(record))
        return out

    def _add_context(self, record: dict[str, object], found: FigureContext) -> None:
        """The context fields of a record: each span's text and offsets, mapped into the file (html)
        as the figure's own are, so that ``value == file_text[start:end]`` holds for them too."""
        raw = self._raw
        for (key, key_start, key_end), span in zip(_CONTEXT_KEYS, found, strict=True):
            if span is None:
                continue
            if raw is None:
                record[key], record[key_start], record[key_end] = span  # (text, start, end)
                continue
            raw_text, raw_span = raw
            start, end = raw_span(span.start, span.end)
            record[key], record[key_start], record[key_end] = raw_text[start:end], start, end


@dataclass
class Extraction:
    """The figures of one document, and what went wrong with it (a timed-out rule)."""

    doc: str
    figures: list[Figure]
    problems: list[Problem] = field(default_factory=list)


def extract_document(
    text: str,
    doc: str = "<text>",
    ruleset: RuleSet | None = None,
    timeout: float | None = DEFAULT_TIMEOUT,
    path: str = "",
    options: ScanOptions | None = None,
) -> Extraction:
    """Figures of one text, with any rule that ran past ``timeout`` reported (the rest is kept).

    ``timeout`` is in seconds per rule on a document of up to a megabyte (proportionally more for a
    longer one); None turns it off. ``path`` is the record's relative path (ids are made from it
    when given, else from ``doc``). ``options`` say what a scan adds (:class:`ScanOptions`).
    """
    scanner = DocumentScan(DocumentInfo(doc, path), ruleset, timeout, options=options)
    figures = scanner.feed(text)
    figures.extend(scanner.finish())
    return Extraction(doc, figures, scanner.problems)


def extract_text(
    text: str, doc: str = "<text>", ruleset: RuleSet | None = None, options: ScanOptions | None = None
) -> list[Figure]:
    """Every figure in ``text``, in order.

    >>> [f.text for f in extract_text("出口2.35万亿元，同比增长5.7%。")]
    ['2.35万亿元', '5.7%']
    """
    return extract_document(text, doc, ruleset, options=options).figures


def source_info(source: Source) -> DocumentInfo:
    """The record fields that describe ``source``."""
    return DocumentInfo(
        doc=source.name,
        path=source.rel,
        format=source.format,
        encoding=source.encoding,
        offsets=source.offsets,
        doc_sha256=source.sha256,
    )


def extract_source(
    source: Source,
    ruleset: RuleSet | None = None,
    timeout: float | None = DEFAULT_TIMEOUT,
    problems: list[Problem] | None = None,
    options: ScanOptions | None = None,
) -> Iterator[Figure]:
    """The records of one opened source, yielded piece by piece as they are made.

    Problems (a timed-out rule, replaced bytes, a read that failed midway) are appended to
    ``problems`` once the source is exhausted, or as they happen for a failed read
    (:class:`~factx.sources.ReadError` is turned into a problem, and the figures read so far stay).
    """
    from factx.sources import ReadError

    sink = problems if problems is not None else []
    scanner = DocumentScan.of_source(source, ruleset, timeout, options)
    try:
        for chunk in source.chunks():
            yield from scanner.feed(chunk)
    except ReadError as exc:
        sink.append(exc.problem)
    yield from scanner.finish()
    sink.extend(scanner.problems)
    sink.extend(source.problems)


class ExtractionRun:
    """Figures of files and folders, iterated lazily, with what could not be read.

    Iterate it for the records (documents in sorted path order). Problems are reported without
    being asked for: each is passed to ``on_problem`` when given, and all are in ``problems`` (and
    counted in ``documents``, ``skipped``) once the iteration is over.
    """

    def __init__(
        self,
        paths: Iterable[Path | str],
        ruleset: RuleSet | None = None,
        globs: Iterable[str] | None = None,
        timeout: float | None = DEFAULT_TIMEOUT,
        format_in: str | None = None,
        encoding: str | None = None,
        on_problem: Callable[[Problem], None] | None = None,
        options: ScanOptions | None = None,
    ) -> None:
        self.paths = list(paths)
        self.options = options
        self.ruleset = ruleset or default_ruleset()
        self.globs = tuple(globs) if globs is not None else None
        self.timeout = timeout
        self.format_in = format_in
        self.encoding = encoding
        self.on_problem = on_problem
        self.problems: list[Problem] = []
        self.documents = 0
        self.skipped = 0
        self.figures = 0

    def _problem(self, problem: Problem) -> None:
        self.problems.append(problem)
        if self.on_problem is not None:
            self.on_problem(problem)

    def __iter__(self) -> Iterator[Figure]:
        from factx.sources import find_inputs, open_source

        inputs, found_problems = find_inputs(self.paths, self.globs)
        for problem in found_problems:
            self.skipped += 1
            self._problem(problem)
        for inp in inputs:
            source = open_source(inp, self.format_in, self.encoding)  # type: ignore[arg-type]
            if isinstance(source, Problem):
                self.skipped += 1
                self._problem(source)
                continue
            self.documents += 1
            problems: list[Problem] = []
            for figure in extract_source(source, self.ruleset, self.timeout, problems, self.options):
                self.figures += 1
                yield figure
            for problem in problems:
                self._problem(problem)


def extract_paths(
    paths: Iterable[Path | str],
    ruleset: RuleSet | None = None,
    globs: Iterable[str] | None = None,
    problems: list[Problem] | None = None,
    timeout: float | None = DEFAULT_TIMEOUT,
    *,
    format_in: str | None = None,
    encoding: str | None = None,
    on_problem: Callable[[Problem], None] | None = None,
    options: ScanOptions | None = None,
) -> ExtractionRun:
    """Figures of files and folders (recursively, by ``globs``), documents in sorted path order.

    Returns an :class:`ExtractionRun` to iterate; what could not be read is in its ``problems``
    after the iteration, and passed to ``on_problem`` (or appended to ``problems``) as it happens.
    ``format_in`` and ``encoding`` are as for :func:`factx.sources.open_source`; ``options`` say
    what a scan adds (:class:`ScanOptions`).
    """
    report = on_problem
    if problems is not None:
        sink = problems

        def report(problem: Problem) -> None:
            sink.append(problem)
            if on_problem is not None:
                on_problem(problem)

    return ExtractionRun(
        paths,
        ruleset,
        globs,
        timeout,
        format_in=format_in,
        encoding=encoding,
        on_problem=report,
        options=options,
    )


__all__ = [
    "DocumentInfo",
    "DocumentScan",
    "Extraction",
    "ExtractionRun",
    "Problem",
    "ScanOptions",
    "extract_document",
    "extract_paths",
    "extract_source",
    "extract_text",
    "source_info",
]

"""Audit: figure records in; for each, whether its source still says what the record says.

In: records of a run (JSONL as ``factx extract`` writes it, read by :func:`read_run` with
:mod:`factx.runs`, the reader every command shares), or the run's path (:func:`audit_run`). Out: an
:class:`AuditResult` per figure, and for a whole run an :class:`AuditSummary` (counts per document and
state, and the figures that did not verify).

Each source is re-read once, exactly as extract read it (:func:`factx.sources.open_source`, with the
record's format and, for text and html, its encoding forced), and each figure gets one state:

- ``verified``: the file's SHA-256 is the record's ``doc_sha256`` and the span ``start:end`` holds the
  figure's text; or the file changed but the span still holds it and its sentence is where it was.
- ``drifted``: the file changed and the span no longer holds the figure, but its sentence is still
  in the file: ``new_line``/``new_column`` say where the figure is now.
- ``missing``: the figure's sentence is no longer in the file (its own number was edited, say).
- ``source-missing``: the file is gone or cannot be read (or the run read standard input).

Sentences are searched with ``str.find`` from where the previous one was found, so a document whose
figures all moved costs one pass over its text, not one per figure.
"""

from __future__ import annotations

import os
from bisect import bisect_right
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from factx.runs import STRING, STRING_OR_NULL, WHOLE_NUMBER, RunError, Schema, parse_object, read_records

if TYPE_CHECKING:
    from factx.packs.ruleset import CompiledRule, RuleSet

State = Literal["verified", "drifted", "missing", "source-missing"]
STATES: tuple[State, ...] = ("verified", "drifted", "missing", "source-missing")
STDIN_DOC = "<stdin>"
CONTEXT_FIELDS = ("metric", "subject", "period", "basis")  # shown when a record carries them
MIN_PREFIX = 6  # hex characters of an id that may stand for the whole id

# The fields an audit reads: those every record must carry, then those it may (older runs lack some),
# checked when present.
RECORD_SCHEMA = Schema(
    {
        **dict.fromkeys(("id", "doc"), STRING),
        **dict.fromkeys(("start", "end", "line", "column"), WHOLE_NUMBER),
        **dict.fromkeys(("text", "sentence"), STRING),
        **dict.fromkeys(("sentence_start", "sentence_end"), WHOLE_NUMBER),
    },
    dict.fromkeys(
        ("kind", "unit", "pack", "rule", "path", "format", "encoding", "offsets", "doc_sha256"),
        (STRING_OR_NULL, None),
    ),
)


@dataclass(frozen=True, slots=True)
class RunRecord:
    """One figure record of a run, as read: the fields an audit uses, ``data`` (the whole JSON object,
    extra keys included) and ``lineno``, its line in the run."""

    id: str
    doc: str
    start: int
    end: int
    line: int
    column: int
    text: str
    sentence: str
    sentence_start: int
    sentence_end: int
    data: dict[str, Any]
    lineno: int = 0

    @classmethod
    def from_dict(cls, data: dict[str, Any], lineno: int = 0) -> RunRecord:
        """A record from its JSON object (checked by :func:`parse_record`)."""
        return cls(
            id=data["id"],
            doc=data["doc"],
            start=data["start"],
            end=data["end"],
            line=data["line"],
            column=data["column"],
            text=data["text"],
            sentence=data["sentence"],
            sentence_start=data["sentence_start"],
            sentence_end=data["sentence_end"],
            data=data,
            lineno=lineno,
        )

    @property
    def format(self) -> str:
        """How the document was read: text, markdown, html, docx, pdf."""
        return str(self.data.get("format") or "text")

    @property
    def uses_raw_text(self) -> bool:
        """Whether the offsets index a page's markup (html read as source) rather than scanned text."""
        return self.format == "html" and (self.data.get("offsets") or "source") == "source"

    def context(self) -> dict[str, Any]:
        """The context fields the record carries (metric, subject, period, basis), in that order."""
        return {k: self.data[k] for k in CONTEXT_FIELDS if self.data.get(k) not in (None, "")}


def parse_record(raw: bytes, source: str, lineno: int) -> RunRecord:
    """One JSONL line → a :class:`RunRecord`, or :class:`RunError` naming ``source:lineno`` and why."""
    data = parse_object(raw, RECORD_SCHEMA, source, lineno)
    start, end = data["start"], data["end"]
    if not 0 <= start <= end:
        raise RunError(source, lineno, f"start {start} and end {end} are not a span")
    return RunRecord.from_dict(data, lineno)


def read_run(path: Path | str | None) -> Iterator[RunRecord]:
    """The records of a run file (``-`` or None: standard input), in file order; blank lines skipped.

    Raises :class:`RunError` for a file that cannot be read or a line that is not a record.
    """
    return read_records(path, parse_record)


# --- re-reading a source -------------------------------------------------------------------------


class LineIndex:
    """Line and column (1-based, in code points) of offsets of a text; LF, CRLF and lone CR end lines."""

    def __init__(self, text: str) -> None:
        self._text = text
        self._starts: list[int] | None = None

    def line_column(self, offset: int) -> tuple[int, int]:
        """The 1-based line and column of ``offset``."""
        if self._starts is None:
            # Built on first use: a document whose figures all verified never needs it.
            text = self._text
            starts = [0]
            i = 0
            while True:
                lf, cr = text.find("\n", i), text.find("\r", i)
                if lf < 0 and cr < 0:
                    break
                brk = lf if cr < 0 or (0 <= lf < cr) else cr
                nxt = brk + 2 if text.startswith("\r\n", brk) else brk + 1
                starts.append(nxt)
                i = nxt
            self._starts = starts
        line = bisect_right(self._starts, offset)
        return line, offset - self._starts[line - 1] + 1


@dataclass
class SourceText:
    """A source re-read as extract read it.

    ``scanned`` is the text the rules ran over (sentences come from it); ``indexed`` the text record
    offsets index (the page's markup for html, else ``scanned``); ``raw_span`` maps a span of
    ``scanned`` into ``indexed``.
    """

    path: str
    sha256: str | None
    scanned: str
    indexed: str
    raw_span: Callable[[int, int], tuple[int, int]]
    lines: LineIndex = field(init=False)

    def __post_init__(self) -> None:
        self.lines = LineIndex(self.indexed)


def source_path(doc: str, root: Path | str | None = None) -> Path:
    """Where the file a record names is: its ``doc`` as given to extract, under ``root`` when one is given
    and the path is relative."""
    path = Path(doc)
    return path if root is None or path.is_absolute() else Path(root) / path


def read_source(record: RunRecord, root: Path | str | None = None) -> SourceText | str:
    """The source of ``record`` re-read as extract read it, or a one-line reason it cannot be."""
    from factx.sources import Input, Problem, ReadError, open_source

    doc = record.doc
    if doc == STDIN_DOC:
        return "the run read standard input: there is no file to re-read"
    path = source_path(doc, root)
    if not path.exists():
        return f"the source is gone: {path} does not exist"
    fmt = record.format
    # Decoded with the codec the record names: a file re-detected differently is still checked.
    encoding = record.data.get("encoding") if fmt in ("text", "markdown", "html") else None
    try:
        source = open_source(Input(os.fspath(path), record.data.get("path") or doc), fmt, encoding)  # type: ignore[arg-type]
    except ValueError as exc:
        return f"cannot decode {path}: {exc}"
    if isinstance(source, Problem):
        return f"cannot read {path}: {source.message}"
    try:
        scanned = "".join(source.chunks())
    except ReadError as exc:
        return f"cannot read {path}: {exc.problem.message}"
    if record.uses_raw_text and source.raw_text is not None:
        return SourceText(os.fspath(path), source.sha256, scanned, source.raw_text, source.raw_span)
    return SourceText(os.fspath(path), source.sha256, scanned, scanned, _same_span)


def _same_span(start: int, end: int) -> tuple[int, int]:
    return start, end


# --- checking figures ------------------------------------------------------------------------------


@dataclass(frozen=True)
class AuditResult:
    """What the audit found for one figure: its state, why, and where it is now when it moved.

    ``new_start``/``new_end`` index the same text as the record's offsets; ``scan_start`` is the
    figure's offset in the scanned text (which differs for html), when known.
    """

    record: RunRecord
    state: State
    reason: str
    new_start: int | None = None
    new_end: int | None = None
    new_line: int | None = None
    new_column: int | None = None
    scan_start: int | None = None

    @property
    def verified(self) -> bool:
        """Whether the source still says what the record says, where it says it."""
        return self.state == "verified"

    def as_json(self) -> dict[str, Any]:
        """The object ``--format json`` writes for this figure."""
        rec = self.record
        return {
            "id": rec.id,
            "doc": rec.doc,
            "state": self.state,
            "reason": self.reason,
            "line": rec.line,
            "column": rec.column,
            "new_line": self.new_line,
            "new_column": self.new_column,
        }


class _DocumentAudit:
    """The figures of one document, checked against its text read once, in document order."""

    def __init__(self, source: SourceText) -> None:
        self.source = source
        self._cursor = 0  # just past where the last sentence was found in the scanned text
        self._last: tuple[int, int] | None = None  # (the record's sentence_start, where it was found)

    def locate_sentence(self, rec: RunRecord) -> int:
        """Where ``rec``'s sentence is in the scanned text now, or -1 when it is gone.

        Figures of one sentence share its place; a sentence is looked for at its old place (text
        formats), then from just past the last one found (records come in document order, so two
        copies of one sentence stay in order), then before that.
        """
        key = rec.sentence_start
        if self._last is not None and self._last[0] == key:
            return self._last[1]
        sentence, scanned = rec.sentence, self.source.scanned
        if not sentence:
            return -1
        # Not at a place before the cursor: that is an earlier copy's, come down to this one's offset.
        in_place = key >= self._cursor and not rec.uses_raw_text and scanned.startswith(sentence, key)
        found = key if in_place else -1
        if found < 0:
            found = scanned.find(sentence, self._cursor)
        if found < 0:
            found = scanned.find(sentence, 0, self._cursor + len(sentence) - 1)
        if found >= 0:
            self._cursor = found + 1
            self._last = (key, found)
        return found

    def _figure_in(self, rec: RunRecord, s_pos: int) -> int:
        """The scanned offset of ``rec``'s figure within its sentence found at ``s_pos``."""
        text, sentence = rec.text, rec.sentence
        old_rel = rec.start - rec.sentence_start
        if not rec.uses_raw_text and old_rel >= 0 and self.source.scanned.startswith(text, s_pos + old_rel):
            return s_pos + old_rel
        # html (offsets in markup), or a record whose text is not at its place in its sentence: the
        # occurrence of the text in the sentence nearest its old place.
        raw_span = self.source.raw_span
        sentence_raw = raw_span(s_pos, s_pos + 1)[0]
        best, best_gap = s_pos, -1
        i = sentence.find(text) if text else -1
        while i >= 0:
            gap = abs(raw_span(s_pos + i, s_pos + i + len(text))[0] - sentence_raw - old_rel)
            if best_gap < 0 or gap < best_gap:
                best, best_gap = s_pos + i, gap
            i = sentence.find(text, i + 1)
        return best

    def check(self, rec: RunRecord) -> AuditResult:
        """The state of one figure of this document."""
        src = self.source
        holds = src.indexed[rec.start : rec.end] == rec.text
        recorded = rec.data.get("doc_sha256")
        unchanged = recorded is not None and recorded == src.sha256
        if holds and unchanged:
            return AuditResult(rec, "verified", "the file is unchanged")
        s_pos = self.locate_sentence(rec)
        if holds and s_pos >= 0:
            s_raw = src.raw_span(s_pos, s_pos + len(rec.sentence))
            if s_raw == (rec.sentence_start, rec.sentence_end):
                why = (
                    "the record has no hash of its source; the figure and its sentence are in place"
                    if recorded is None
                    else "the file changed, but the figure and its sentence are where they were"
                )
                return AuditResult(rec, "verified", why)
        if unchanged:
            changed = "the file is unchanged but the span does not hold the figure"
        else:
            changed = "the file changed" if recorded is not None else "the span no longer holds the figure"
        if s_pos < 0:
            return AuditResult(rec, "missing", f"{changed}; the figure's sentence is gone")
        scan_start = self._figure_in(rec, s_pos)
        new_start, new_end = src.raw_span(scan_start, scan_start + len(rec.text))
        line, column = src.lines.line_column(new_start)
        return AuditResult(
            rec,
            "drifted",
            f"{changed}; the figure is now at {line}:{column}, in the same sentence",
            new_start,
            new_end,
            line,
            column,
            scan_start,
        )

    def scanned_offset(self, rec: RunRecord, result: AuditResult) -> int | None:
        """Where the figure stands in the scanned text now (for re-running its rule), or None."""
        if result.state in ("missing", "source-missing"):
            return None
        if result.scan_start is not None:
            return result.scan_start
        if not rec.uses_raw_text:
            return rec.start
        s_pos = self.locate_sentence(rec)
        return self._figure_in(rec, s_pos) if s_pos >= 0 else None


def _gone(records: Iterable[RunRecord], reason: str) -> list[AuditResult]:
    return [AuditResult(rec, "source-missing", reason) for rec in records]


def audit_document(
    records: list[RunRecord], root: Path | str | None = None
) -> tuple[list[AuditResult], SourceText | None]:
    """Check the figures of one document (all with the same ``doc``), reading its source once.

    Returns the results in the records' order and the source text (None when it could not be read).
    """
    if not records:
        return [], None
    source = read_source(records[0], root)
    if isinstance(source, str):
        return _gone(records, source), None
    audit = _DocumentAudit(source)
    return [audit.check(rec) for rec in records], source


def audit_records(
    records: Iterable[RunRecord], root: Path | str | None = None
) -> tuple[list[AuditResult], dict[str, SourceText | None]]:
    """Check each record against its source, each source read once: the results in the records' order,
    and each document's source text (None when it could not be read) for a closer look."""
    by_doc: dict[str, list[tuple[int, RunRecord]]] = {}
    for i, rec in enumerate(records):
        by_doc.setdefault(rec.doc, []).append((i, rec))
    results: dict[int, AuditResult] = {}
    sources: dict[str, SourceText | None] = {}
    for doc, items in by_doc.items():
        items.sort(key=lambda item: item[1].start)  # document order: sentences are found in one pass
        found, sources[doc] = audit_document([rec for _, rec in items], root)
        for (i, _), result in zip(items, found, strict=True):
            results[i] = result
    return [results[i] for i in range(len(results))], sources


def audit_figures(records: Iterable[RunRecord], root: Path | str | None = None) -> list[AuditResult]:
    """Check each record against its source; each source is read once. Results in the records' order."""
    return audit_records(records, root)[0]


def scanned_offset(result: AuditResult, source: SourceText) -> int | None:
    """Where ``result``'s figure stands in its source's scanned text now, or None when it is gone."""
    return _DocumentAudit(source).scanned_offset(result.record, result)


def figure_spans(results: list[AuditResult], source: SourceText) -> list[tuple[int, int] | None]:
    """Where each result's figure stands in the scanned text now, as [start, end), or None when it is
    gone; the figures of one document, in document order (each sentence is searched for once)."""
    audit = _DocumentAudit(source)
    spans: list[tuple[int, int] | None] = []
    for result in results:
        rec = result.record
        offset = audit.scanned_offset(rec, result)
        if offset is None:
            spans.append(None)
            continue
        length = len(rec.text) if not rec.uses_raw_text else _scanned_length(rec, source, offset)
        spans.append((offset, offset + length))
    return spans


# --- the rule that produced a figure --------------------------------------------------------------

# What a rule's named groups hold, in words (a user pack's own group names are shown as they are).
PART_LABELS = {
    "num": "number",
    "num2": "number (high end)",
    "den": "denominator",
    "frac": "decimals",
    "half": "half",
    "unit": "unit",
    "unit_high": "unit",
    "unit2": "unit",
    "post": "qualifier",
    "per": "per",
    "n": "part number",
    "u": "part unit",
}
MATCH_TIMEOUT = 1.0  # seconds a user pack's rule may take to match one sentence again
_DIGITS = frozenset("0123456789０１２３４５６７８９.．")


@dataclass(frozen=True)
class Provenance:
    """The rule that produced a figure and the parts of the figure it matched.

    ``origin`` is the rule's ``file:line`` (None when the rule is not among the loaded packs);
    ``parts`` are (label, text) pairs in the order they stand: number, multiplier, unit, qualifier …
    """

    pack: str
    rule: str
    origin: str | None
    parts: tuple[tuple[str, str], ...] = ()


def find_rule(ruleset: RuleSet, pack: str, rule_id: str) -> CompiledRule | None:
    """The rule with this id in this pack, else the rule with this id in any pack, else None."""
    by_id = [r for r in ruleset.all_rules if r.id == rule_id]
    return next((r for r in by_id if r.pack == pack), by_id[0] if by_id else None)


def split_number(number: str, ruleset: RuleSet) -> tuple[str, str, str]:
    """A number as written → (the number, a qualifier inside it, its multiplier): 834.9亿 → (834.9, , 亿),
    3千万 → (3, , 千万), 500多亿 → (500, 多, 亿), 三千五百万 → (三千五百, , 万). Absent parts are empty."""
    big = ruleset.lexicon.magnitudes
    cut = len(number)
    while cut > 1 and number[cut - 1] in big:
        cut -= 1
    # After Arabic digits a place (千, 百) multiplies too; inside a Chinese numeral it is a digit's place.
    if cut > 1 and number[cut - 1] in ruleset.lexicon.places and number[cut - 2] in _DIGITS:
        cut -= 1
    head, multiplier = number[:cut], number[cut:]
    for infix in sorted(ruleset.lexicon.qual_infix, key=len, reverse=True):
        if len(head) > len(infix) and head.endswith(infix):
            return head[: -len(infix)], infix, multiplier
    return head, "", multiplier


def _qualifier_before(text: str, start: int, ruleset: RuleSet) -> str | None:
    for length in ruleset.patterns.qual_before_lengths:
        word = text[max(0, start - length) : start]
        if len(word) == length and ruleset.lexicon.qual_before.get(word):
            return word
    return None


def matched_parts(
    rule: CompiledRule, text: str, start: int, end: int, ruleset: RuleSet
) -> list[tuple[str, str]]:
    """The rule's pattern run again on ``text`` (the scanned text) at the figure ``[start, end)``: its named
    groups that took part and lie inside the figure, as (label, text) in order; a qualifier written
    before the figure (约, 超过) first. Empty when the pattern no longer matches there."""
    limit = None if rule.builtin else MATCH_TIMEOUT
    match = None
    try:
        m = rule.pattern.match(text, start, timeout=limit)
        if m is not None and m.end() >= end:
            match = m
        else:
            # The figure is part of a longer match (one end of a range split in two), or begins after
            # a look-behind's reach: the match that covers it, among those that start nearby.
            low = max(0, start - 64)
            for m in rule.pattern.finditer(
                text, low, min(len(text), end + 64), overlapped=True, timeout=limit
            ):
                if m.start() <= start and m.end() >= end:
                    match = m
                    break
    except TimeoutError:
        return []
    if match is None:
        return []
    spans: list[tuple[int, str, str]] = []
    for name in match.re.groupindex:
        for (a, b), piece in zip(match.spans(name), match.captures(name), strict=True):
            if start <= a and b <= end and b > a:
                spans.append((a, name, piece))
    spans.sort()
    parts: list[tuple[str, str]] = []
    before = _qualifier_before(text, start, ruleset)
    if before:
        parts.append(("qualifier", before))
    for _, name, piece in spans:
        if name in ("num", "num2"):
            number, qualifier, multiplier = split_number(piece, ruleset)
            parts.append((PART_LABELS[name], number))
            if qualifier:
                parts.append(("qualifier", qualifier))
            if multiplier:
                parts.append(("multiplier", multiplier))
        else:
            parts.append((PART_LABELS.get(name, name), piece))
    return parts


def explain(result: AuditResult, source: SourceText | None, ruleset: RuleSet) -> Provenance:
    """The rule behind ``result``'s figure (its pack, id and file:line) and what it matched in the source
    as it is now (nothing when the figure or its source is gone)."""
    rec = result.record
    pack, rule_id = str(rec.data.get("pack") or ""), str(rec.data.get("rule") or "")
    rule = find_rule(ruleset, pack, rule_id)
    if rule is None:
        return Provenance(pack, rule_id, None)
    parts: list[tuple[str, str]] = []
    offset = scanned_offset(result, source) if source is not None else None
    if source is not None and offset is not None:
        length = len(rec.text) if not rec.uses_raw_text else _scanned_length(rec, source, offset)
        parts = matched_parts(rule, source.scanned, offset, offset + length, ruleset)
    return Provenance(pack, rule_id, rule.origin, tuple(parts))


def _scanned_length(rec: RunRecord, source: SourceText, offset: int) -> int:
    # html: the record's text is the page's (entities, tags); the scanned figure is its visible text.
    if source.scanned.startswith(rec.text, offset):
        return len(rec.text)
    end = offset + 1
    target = rec.end
    while end < len(source.scanned) and source.raw_span(offset, end)[1] < target:
        end += 1
    return end - offset


# --- selecting figures ---------------------------------------------------------------------------


class SelectionError(Exception):
    """Figures asked for that the run does not hold (or holds more than one of), one line each."""

    def __init__(self, lines: list[str]) -> None:
        super().__init__("\n".join(lines))
        self.lines = lines


def _is_id_like(target: str) -> bool:
    return len(target) >= MIN_PREFIX and all(c in "0123456789abcdef" for c in target.lower())


def _doc_offset(target: str) -> tuple[str, int] | None:
    doc, sep, offset = target.rpartition(":")
    if not sep or not doc or not offset.isdigit():
        return None
    return doc, int(offset)


def select_figures(records: Iterable[RunRecord], targets: list[str]) -> list[RunRecord]:
    """The records ``targets`` name, in the order named: an id, a unique prefix of at least
    MIN_PREFIX hex characters, or ``DOC:OFFSET`` (the figure whose span holds OFFSET in the document
    whose doc or path is DOC). Raises :class:`SelectionError` naming every target not found or ambiguous.
    """
    found: dict[str, list[RunRecord]] = {t: [] for t in targets}
    spots = {t: spot for t in targets if (spot := _doc_offset(t)) is not None}
    prefixes = {t: t.lower() for t in targets if _is_id_like(t)}
    for rec in records:
        for t, prefix in prefixes.items():
            if rec.id.startswith(prefix):
                found[t].append(rec)
        for t, (doc, offset) in spots.items():
            if doc in (rec.doc, rec.data.get("path")) and rec.start <= offset < rec.end:
                found[t].append(rec)
    problems = []
    chosen: list[RunRecord] = []
    for t in targets:
        hits = found[t]
        exact = [r for r in hits if r.id == t.lower()]
        if exact:
            hits = exact[:1]
        if not hits:
            if t in prefixes or t in spots:
                problems.append(f"{t}: no such figure in the run")
            else:
                problems.append(f"{t}: not a figure id (at least {MIN_PREFIX} hex characters) or DOC:OFFSET")
        elif len({r.id for r in hits}) > 1:
            problems.append(
                f"{t}: ambiguous, {len(hits)} figures match ({', '.join(r.id for r in hits[:4])} …)"
            )
        else:
            chosen.append(hits[0])
    if problems:
        raise SelectionError(problems)
    return chosen


# --- a whole run ---------------------------------------------------------------------------------


@dataclass
class AuditSummary:
    """What auditing a whole run found: counts per document and state, and the figures not verified
    (kept light: their records without the sentence and the rest of the JSON object)."""

    per_doc: dict[str, Counter[str]] = field(default_factory=dict)
    unverified: list[AuditResult] = field(default_factory=list)
    not_verified: int = 0
    documents_read: int = 0  # sources opened (once per document)

    @property
    def totals(self) -> Counter[str]:
        """Figures per state over the whole run."""
        total: Counter[str] = Counter()
        for counts in self.per_doc.values():
            total.update(counts)
        return total

    @property
    def figures(self) -> int:
        """Figures audited."""
        return sum(self.totals.values())

    @property
    def ok(self) -> bool:
        """Whether every figure verified."""
        return self.not_verified == 0

    def add(self, results: Iterable[AuditResult], keep: bool = True) -> None:
        """Count a document's results; with ``keep``, keep those not verified (lightened)."""
        for result in results:
            self.per_doc.setdefault(result.record.doc, Counter())[result.state] += 1
            if not result.verified:
                self.not_verified += 1
                if keep:
                    # A run where everything moved must not hold every sentence and object in memory.
                    light = replace(result.record, sentence="", data={})
                    self.unverified.append(replace(result, record=light))


def document_groups(records: Iterable[RunRecord]) -> Iterator[list[RunRecord]]:
    """Consecutive records of one document (a run lists each document's records together)."""
    group: list[RunRecord] = []
    for rec in records:
        if group and rec.doc != group[0].doc:
            yield group
            group = []
        group.append(rec)
    if group:
        yield group


def audit_run(
    run_path: Path | str | None,
    root: Path | str | None = None,
    on_document: Callable[[str, list[AuditResult]], None] | None = None,
    keep_unverified: bool = True,
) -> AuditSummary:
    """Audit every figure of a run (``-`` or None: standard input), one document at a time.

    The run is streamed; each document's source is read once (a run that lists a document's records
    in several places reads it once per place). ``on_document`` sees each document's results, whole,
    as they are made; the summary keeps the figures not verified, lightened, unless
    ``keep_unverified`` is false (a caller that prints them as they come need not hold them).
    Raises :class:`RunError` for an unreadable run or a line that is not a record.
    """
    summary = AuditSummary()
    for group in document_groups(read_run(run_path)):
        results, _ = audit_document(group, root)
        summary.documents_read += 1
        summary.add(results, keep_unverified)
        if on_document is not None:
            on_document(group[0].doc, results)
    return summary


__all__ = [
    "CONTEXT_FIELDS",
    "STATES",
    "AuditResult",
    "AuditSummary",
    "LineIndex",
    "PART_LABELS",
    "RECORD_SCHEMA",
    "Provenance",
    "RunError",
    "RunRecord",
    "SelectionError",
    "SourceText",
    "State",
    "audit_document",
    "audit_figures",
    "audit_records",
    "audit_run",
    "explain",
    "document_groups",
    "figure_spans",
    "find_rule",
    "matched_parts",
    "split_number",
    "parse_record",
    "read_run",
    "read_source",
    "scanned_offset",
    "select_figures",
    "source_path",
]

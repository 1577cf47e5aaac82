"""A run → one self-contained HTML page to read its figures in their documents.

In: a run (JSONL of ``factx extract``) and the sources it names, re-read as extract read them
(:mod:`factx.audit`). Out: one HTML file with its styles, script and data inside (no network): each
document's text with every figure highlighted by kind, a side table of the records, filters by kind
and document, and a search box (the page itself is ``report_assets/``: template, CSS, vanilla JS).

Every record gets exactly one highlight: in its document's text where it stands now, or, when its
source is gone or its sentence no longer in it, in its recorded sentence under the document. Long
documents keep only the text around their figures; past a few thousand figures, documents start
collapsed and are drawn when opened.
"""

from __future__ import annotations

import html
import os
from dataclasses import dataclass, field
from datetime import datetime
from importlib import resources
from pathlib import Path
from typing import Any

import orjson

from factx.audit import (
    CONTEXT_FIELDS,
    AuditResult,
    RunRecord,
    audit_document,
    document_groups,
    figure_spans,
    read_run,
)
from factx.output.audit_view import plural, value_and_unit

LONG_TEXT = 200_000  # a document longer than this (characters) shows only the text around its figures
KEEP_AROUND = 600  # characters kept on each side of a figure in a long document
COLLAPSE_FIGURES = 3_000  # a run with more figures than this starts with its documents collapsed
COLLAPSE_CHARS = 2_000_000  # …or with more text than this

Part = str | list[Any]  # a piece of text, [record index, text] (a highlight) or ["gap", characters left out]


@dataclass
class ReportDocument:
    """One document of the report: its text cut into parts, and what the audit said about it."""

    name: str
    path: str
    format: str
    status: str  # verified, changed, gone
    note: str
    length: int
    parts: list[Part] = field(default_factory=list)
    elsewhere: list[list[Part]] = field(default_factory=list)  # records not in the text: their sentences


@dataclass
class ReportStats:
    """What a report holds."""

    documents: int = 0
    figures: int = 0
    not_in_source: int = 0  # figures shown in their recorded sentence, not in the document's text


def _record_row(rec: RunRecord, doc_index: int, result: AuditResult) -> dict[str, Any]:
    """What the page shows of a record (compact: a run may have many thousands)."""
    data = rec.data
    value, unit = value_and_unit(rec)
    row: dict[str, Any] = {
        "id": rec.id,
        "d": doc_index,
        "t": rec.text,
        "k": str(data.get("kind") or ""),
        "v": value,
        "u": unit,
        "l": result.new_line or rec.line,
        "c": result.new_column or rec.column,
        "s": rec.sentence,
        "r": f"{data.get('pack') or ''} {data.get('rule') or ''}".strip(),
        "st": result.state,
    }
    for key in ("approx", "change", "classifier", "page"):
        if data.get(key) not in (None, ""):
            row[key] = data[key]
    for key, item in rec.context().items():
        row[key] = item if isinstance(item, str | int | float) else orjson.dumps(item).decode()
    return row


def _sentence_parts(rec: RunRecord, index: int) -> list[Part]:
    """A record's own sentence with its figure highlighted."""
    sentence = rec.sentence
    rel = rec.start - rec.sentence_start
    if rec.uses_raw_text or not sentence.startswith(rec.text, rel):
        rel = sentence.find(rec.text)
    if rel < 0 or not rec.text:
        return [sentence, [index, rec.text]]
    return [sentence[:rel], [index, rec.text], sentence[rel + len(rec.text) :]]


def _text_parts(text: str, placed: list[tuple[int, int, int]]) -> list[Part]:
    """The text cut at its highlights; in a long text, the stretches far from any figure left out."""
    parts: list[Part] = []
    long = len(text) > LONG_TEXT
    pos = 0
    for start, end, index in placed:
        parts.extend(_plain(text, pos, start, long, first=not parts))
        parts.append([index, text[start:end]])
        pos = end
    parts.extend(_plain(text, pos, len(text), long, first=not parts, last=True))
    return [p for p in parts if p != ""]


def _plain(
    text: str, start: int, end: int, long: bool, first: bool = False, last: bool = False
) -> list[Part]:
    if not long or end - start <= 2 * KEEP_AROUND + 200:
        return [text[start:end]]
    keep_head = 0 if first else KEEP_AROUND
    keep_tail = 0 if last else KEEP_AROUND
    # Cut at line ends where there are some, so a kept stretch starts and ends with whole lines.
    head_end = start + keep_head
    if keep_head:
        nl = text.rfind("\n", start, head_end)
        head_end = nl + 1 if nl > start else head_end
    tail_start = end - keep_tail
    if keep_tail:
        nl = text.find("\n", tail_start, end)
        tail_start = nl + 1 if 0 <= nl < end - 1 else tail_start
    out: list[Part] = []
    if head_end > start:
        out.append(text[start:head_end])
    out.append(["gap", tail_start - head_end])
    if end > tail_start:
        out.append(text[tail_start:end])
    return out


def _document(
    group: list[RunRecord], doc_index: int, first_row: int, root: Path | str | None
) -> tuple[ReportDocument, list[dict[str, Any]]]:
    """One document's parts and rows; row indexes start at ``first_row``."""
    group = sorted(group, key=lambda rec: rec.start)  # document order: each sentence is found once
    results, source = audit_document(group, root)
    rec0 = group[0]
    rows = [_record_row(r.record, doc_index, r) for r in results]
    states = [r.state for r in results]
    doc = ReportDocument(
        name=rec0.doc,
        path=str(rec0.data.get("path") or ""),
        format=rec0.format,
        status="verified",
        note="",
        length=0,
    )
    if source is None:
        doc.status = "gone"
        doc.note = f"{results[0].reason}: the figures are shown in the sentences the run recorded."
        doc.elsewhere = [_sentence_parts(r.record, first_row + i) for i, r in enumerate(results)]
        return doc, rows
    text = source.scanned
    doc.length = len(text)
    spans = figure_spans(results, source)
    order = sorted((span[0], span[1], i) for i, span in enumerate(spans) if span is not None)
    placed: list[tuple[int, int, int]] = []
    unplaced = [i for i, span in enumerate(spans) if span is None]
    for start, end, i in order:
        if placed and start < placed[-1][1]:
            unplaced.append(i)  # two records over one stretch of text: the second is listed below
        else:
            placed.append((start, end, first_row + i))
    doc.parts = _text_parts(text, placed)
    if doc.parts and isinstance(doc.parts[0], str):
        # Blank lines at the top of a file only push its text down the page.
        doc.parts[0] = doc.parts[0].lstrip("\r\n")
    doc.elsewhere = [_sentence_parts(results[i].record, first_row + i) for i in sorted(unplaced)]
    drifted, missing = states.count("drifted"), states.count("missing")
    if drifted or missing or any(s != "verified" for s in states):
        doc.status = "changed"
        said = [f"{n} {what}" for n, what in ((drifted, "drifted"), (missing, "missing")) if n]
        doc.note = (
            f"The file changed since the run ({', '.join(said) or 'figures moved'}): figures are shown "
            "where they are now; those whose sentence is gone are listed below the text."
        )
    return doc, rows


def report_data(run: Path | str | None, root: Path | str | None = None) -> tuple[dict[str, Any], ReportStats]:
    """The page's data: documents (text parts), records (rows), kinds, and the stats.

    Raises :class:`~factx.audit.RunError` for an unreadable run or a line that is not a record.
    """
    documents: list[ReportDocument] = []
    rows: list[dict[str, Any]] = []
    stats = ReportStats()
    for group in document_groups(read_run(run)):
        doc, doc_rows = _document(group, len(documents), len(rows), root)
        documents.append(doc)
        rows.extend(doc_rows)
        stats.not_in_source += len(doc.elsewhere)
    stats.documents, stats.figures = len(documents), len(rows)
    kinds: dict[str, int] = {}
    for row in rows:
        kinds[row["k"]] = kinds.get(row["k"], 0) + 1
    total_chars = sum(d.length for d in documents)
    data = {
        "docs": [
            {
                "name": d.name,
                "path": d.path,
                "format": d.format,
                "status": d.status,
                "note": d.note,
                "length": d.length,
                "parts": d.parts,
                "elsewhere": d.elsewhere,
            }
            for d in documents
        ],
        "records": rows,
        "kinds": sorted(kinds.items(), key=lambda kv: (-kv[1], kv[0])),
        "context": [k for k in CONTEXT_FIELDS if any(k in row for row in rows)],
        "collapsed": len(rows) > COLLAPSE_FIGURES or total_chars > COLLAPSE_CHARS,
    }
    return data, stats


def _asset(name: str) -> str:
    return resources.files("factx.output").joinpath("report_assets", name).read_text(encoding="utf-8")


def render_report(data: dict[str, Any], title: str, subtitle: str = "") -> str:
    """The page: the template with its CSS, script and data inlined."""
    # In a <script> element only "</" can end it early; JSON allows "<\/" for it.
    payload = orjson.dumps(data).decode("utf-8").replace("</", "<\\/")
    page = _asset("report.html")
    for key, value in (
        ("TITLE", html.escape(title)),
        ("SUBTITLE", html.escape(subtitle)),
        ("CSS", _asset("report.css")),
        ("JS", _asset("report.js")),
    ):
        page = page.replace("{{" + key + "}}", value)
    return page.replace("{{DATA}}", payload)  # last: the data may hold any of the markers


def write_report(
    run: Path | str | None,
    output: Path | str,
    root: Path | str | None = None,
    title: str | None = None,
) -> ReportStats:
    """Write the report of ``run`` to ``output`` (through a temporary file: never half a page)."""
    data, stats = report_data(run, root)
    name = "standard input" if run in (None, "-") else os.path.basename(str(run))
    when = datetime.now().astimezone().strftime("%Y-%m-%d %H:%M")
    subtitle = f"{name} · {plural(stats.figures, 'figure')} in {plural(stats.documents, 'document')} · {when}"
    page = render_report(data, title or f"factx report: {name}", subtitle)
    target = Path(output)
    # A temporary file beside the target (opened as any file is, so the umask applies), renamed over it.
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        tmp.write_text(page, encoding="utf-8")
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return stats


__all__ = ["ReportDocument", "ReportStats", "render_report", "report_data", "write_report"]

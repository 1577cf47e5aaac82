"""Audit results → what a person reads (rich) or a pipeline reads (JSON lines).

In: :class:`~factx.audit.AuditResult` s, with the rule behind each (:class:`~factx.audit.Provenance`),
or an :class:`~factx.audit.AuditSummary` of a whole run. Out: a figure's card (where it is, its
sentence with the figure highlighted, value, context, rule and what the rule matched), a per-document
summary table, one line per figure that did not verify, or one JSON object a line.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from typing import IO, Any

import orjson
from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from factx.audit import STATES, AuditResult, AuditSummary, Provenance, RunRecord

STATE_STYLE = {"verified": "green", "drifted": "yellow", "missing": "red", "source-missing": "red"}
STATE_MARK = {"verified": "✓", "drifted": "~", "missing": "✗", "source-missing": "✗"}
SUMMARY_ROWS = 50  # past this many documents, the table lists only those with figures that did not verify


def plural(n: int, word: str) -> str:
    """``n`` and the word, in the plural unless n is 1: 1 document, 5 documents, 1,024 figures."""
    return f"{n:,} {word}{'' if n == 1 else 's'}"


def format_number(value: Any) -> str:
    """A JSON number as people read it: thousands separated, no float noise (83,490,000,000; 97.2222)."""
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return str(value)
    try:
        # str() of a float is its shortest repr: the digits the run wrote, not a binary expansion.
        return f"{Decimal(str(value)):,f}"
    except InvalidOperation:
        return str(value)


def value_and_unit(rec: RunRecord) -> tuple[str, str]:
    """The record's value (a range's two ends: 3–5) and unit with its rate's denominator (CNY/m2)."""
    data = rec.data
    value = format_number(data.get("value"))
    if data.get("value_high") is not None:
        value = f"{value}–{format_number(data['value_high'])}"
    unit = str(data.get("unit") or "")
    if data.get("per"):
        unit = f"{unit}/{data['per']}"
    return value, unit


def format_value(rec: RunRecord) -> str:
    """The record's value and unit in one: 18,500 CNY/m2."""
    return " ".join(value_and_unit(rec)).strip()


def _traits(rec: RunRecord) -> str:
    data = rec.data
    traits = [str(data.get("kind") or "")]
    for key in ("approx", "change", "classifier"):
        if data.get(key):
            traits.append(f"{key} {data[key]}")
    if data.get("page"):
        traits.append(f"page {data['page']}")
    return " · ".join(t for t in traits if t)


def where(result: AuditResult) -> str:
    """``doc:line:col`` of the figure: where it is now when it drifted, else where the record says."""
    rec = result.record
    if result.new_line is not None:
        return f"{rec.doc}:{result.new_line}:{result.new_column}"
    return f"{rec.doc}:{rec.line}:{rec.column}"


def highlighted_sentence(rec: RunRecord) -> Text:
    """The record's sentence with its figure in reverse video (line breaks shown as ⏎)."""
    sentence = rec.sentence
    rel = rec.start - rec.sentence_start
    if rec.uses_raw_text or not sentence.startswith(rec.text, rel):
        rel = sentence.find(rec.text)  # html: offsets index the page, the sentence is its visible text
    out = Text(sentence.replace("\r\n", "⏎").replace("\n", "⏎").replace("\r", "⏎"))
    if rel >= 0 and rec.text:
        before = sentence[:rel]
        shift = before.count("\r\n")  # a CRLF before the figure is one ⏎, not two characters
        out.stylize("bold reverse", rel - shift, rel - shift + len(rec.text) - rec.text.count("\r\n"))
    return out


def _origin(origin: str) -> str:
    """A rule's file:line, relative to the working folder when it lies inside it."""
    path, sep, line = origin.rpartition(":")
    if not sep or not os.path.isabs(path):
        return origin
    relative = os.path.relpath(path)
    return f"{relative}:{line}" if not relative.startswith("..") else origin


def print_figure(console: Console, result: AuditResult, provenance: Provenance | None) -> None:
    """One figure's card: state and reason, then its sentence, value, context, rule and matched parts."""
    rec = result.record
    style = STATE_STYLE[result.state]
    header = Text()
    header.append(where(result), style="bold")
    header.append(f"  {STATE_MARK[result.state]} {result.state}", style=f"bold {style}")
    header.append(f"  {result.reason}", style=style)
    console.print(header, soft_wrap=True)
    console.print(Text("  ").append_text(highlighted_sentence(rec)), soft_wrap=True)
    rows: list[tuple[str, Text]] = [
        ("text", Text(rec.text)),
        ("value", Text(f"{format_value(rec)}   ").append(_traits(rec), style="dim")),
    ]
    rows.extend((key, Text(str(value))) for key, value in rec.context().items())
    if provenance is not None:
        rule = Text(f"{provenance.pack} {provenance.rule}")
        if provenance.origin:
            rule.append(f"  {_origin(provenance.origin)}", style="cyan")
        else:
            rule.append("  (not among the loaded packs: pass the run's --rules)", style="dim")
        rows.append(("rule", rule))
        if provenance.parts:
            matched = Text()
            for i, (label, piece) in enumerate(provenance.parts):
                if i:
                    matched.append(" · ", style="dim")
                matched.append(f"{label} ", style="dim")
                matched.append(piece, style="bold")
            rows.append(("matched", matched))
    rows.append(("id", Text(rec.id, style="dim")))
    # Label and value on one line each, no table padding: the card copies and greps cleanly.
    width = max(len(label) for label, _ in rows)
    for label, value in rows:
        console.print(Text(f"  {label:<{width}}  ", style="dim").append_text(value), soft_wrap=True)


def reason_line(result: AuditResult) -> str:
    """One line for a figure that did not verify: ``doc:line:col: state: text: reason``."""
    rec = result.record
    return f"{rec.doc}:{rec.line}:{rec.column}: {result.state}: {rec.text}: {result.reason}"


def print_unverified(console: Console, results: Iterable[AuditResult]) -> None:
    """One line per figure that did not verify: ``doc:line:col  state  text  reason``."""
    for result in results:
        if result.verified:
            continue
        line = Text()
        line.append(f"{result.record.doc}:{result.record.line}:{result.record.column}", style="bold")
        line.append(f"  {result.state}", style=STATE_STYLE[result.state])
        line.append(f"  {result.record.text}  ")
        line.append(result.reason, style="dim")
        console.print(line, soft_wrap=True)


def print_summary(console: Console, summary: AuditSummary) -> None:
    """Per document: figures verified, drifted, missing, source-missing; then the totals."""
    docs = summary.per_doc
    shown = (
        docs
        if len(docs) <= SUMMARY_ROWS
        else {d: c for d, c in docs.items() if c["verified"] != sum(c.values())}
    )
    if shown:
        table = Table(show_edge=False, header_style="bold")
        table.add_column("document", overflow="fold")
        table.add_column("figures", justify="right")
        for state in STATES:
            table.add_column(
                state, justify="right", style=STATE_STYLE[state] if state != "verified" else None
            )
        for doc, counts in shown.items():
            table.add_row(escape(doc), str(sum(counts.values())), *(str(counts[s] or "") for s in STATES))
        console.print(table)
        if len(shown) < len(docs):
            console.print(
                f"[dim]({len(docs) - len(shown)} documents whose figures all verified not listed)[/]"
            )
    totals = summary.totals
    tally = ", ".join(f"{totals[s]} {s}" for s in STATES if totals[s] or s == "verified")
    verdict = (
        "[bold green]all verified[/]" if summary.ok else f"[bold red]{summary.not_verified} not verified[/]"
    )
    figures = f"{plural(summary.figures, 'figure')} in {plural(len(docs), 'document')}"
    console.print(f"{figures}: {tally} — {verdict}")


def write_json(results: Iterable[AuditResult], stream: IO[bytes]) -> None:
    """One JSON object a line per result: id, doc, state, reason, line, column, new_line, new_column."""
    for result in results:
        stream.write(orjson.dumps(result.as_json()) + b"\n")


__all__ = [
    "format_number",
    "format_value",
    "highlighted_sentence",
    "plural",
    "print_figure",
    "print_summary",
    "print_unverified",
    "reason_line",
    "where",
    "write_json",
]

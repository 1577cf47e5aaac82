"""Showing a diff of two runs: a rich table for people, JSON lines for pipelines, Markdown for a PR.

In: :class:`~factx.diff.Difference` items grouped by document (as :func:`~factx.diff.diff_runs`
yields them) and the :class:`~factx.diff.DiffSummary` they fill in. Out: text on a console or file.
Each writer consumes the differences as they come, so a large diff is never held whole.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from itertools import groupby
from typing import BinaryIO, TextIO

import orjson
from rich.cells import cell_len
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from factx.diff import Difference, DiffSummary, Record

STYLES = {"changed": "yellow", "added": "green", "removed": "red", "moved": "cyan", "same": "dim"}
ABSENT = "—"
SENTENCE_WIDTH = 36  # cells; the table shows the sentence's start, the records have all of it


def plain_number(number: Decimal) -> str:
    """A Decimal as written positionally: 8.349E+10 → 83490000000, 4.40 → 4.40."""
    return format(number, "f")


def relative_change(ratio: Decimal) -> str:
    """A relative change as a signed percentage with 3 significant digits: +0.12%, −50%, +1200%."""
    percent = ratio * 100
    if percent == 0:
        return "0%"
    step = Decimal(1).scaleb(min(0, percent.adjusted() - 2))
    shown = plain_number(percent.quantize(step).normalize())
    return f"{'+' if percent > 0 else ''}{shown}%"


def quantity(rec: Record) -> str:
    """The record's normalized figure: value (or range), unit, rate, qualifiers: 3–5 s (range)."""
    value = rec.exact("value")
    high = rec.exact("value_high")
    assert value is not None
    amount = plain_number(value) + (f"–{plain_number(high)}" if high is not None else "")
    unit = rec.unit + (f"/{rec.per}" if rec.per else "")
    flags = [flag for flag in (rec.approx, rec.change) if flag]
    return f"{amount} {unit}" + (f" ({', '.join(flags)})" if flags else "")


def figure(rec: Record | None) -> str:
    """The figure as written and as normalized: 834.9亿美元 = 83490000000 USD."""
    return ABSENT if rec is None else f"{rec.text} = {quantity(rec)}"


def what_changed(d: Difference) -> str:
    """The relative change of the value and every other field that differs: +0.12%; unit count → TEU."""
    parts = []
    for name in d.fields:
        if name == "value":
            ratio = d.relative_change
            parts.append(relative_change(ratio) if ratio is not None else "value from 0")
        elif name == "value_high":
            parts.append("range end")
        else:
            assert d.old is not None and d.new is not None
            old, new = getattr(d.old, name), getattr(d.new, name)
            parts.append(f"{name} {old or ABSENT} → {new or ABSENT}")
    return "; ".join(parts)


def _lines(d: Difference) -> str:
    old, new = d.old.line if d.old else None, d.new.line if d.new else None
    if old is None or new is None or old == new:
        return str(new if new is not None else old)
    return f"{old} → {new}"


def _sentence(d: Difference) -> str:
    rec = d.new or d.old
    assert rec is not None
    return rec.sentence


def _document_table(doc: str, differences: list[Difference], width: int) -> Table:
    """One document's differences. Figures stay whole on one line; the sentence, a reminder of the
    place, gets the width that is left (up to SENTENCE_WIDTH cells), and is left out when none is."""
    headers = ("class", "id", "line", "old", "new", "Δ")
    rows = [
        (d.status, d.id, _lines(d), figure(d.old), figure(d.new), what_changed(d), _sentence(d))
        for d in differences
    ]
    widths = [max(cell_len(h), *(cell_len(row[i]) for row in rows)) for i, h in enumerate(headers)]
    left = width - sum(widths) - 3 * len(headers) - 2  # each column's padding and rule
    table = Table(title=escape(doc), title_justify="left", title_style="bold", show_edge=False)
    for header, column_width in zip(headers, widths, strict=True):
        table.add_column(header, no_wrap=True, min_width=column_width)
    if left >= 8:
        table.add_column("sentence", no_wrap=True, overflow="ellipsis", max_width=min(left, SENTENCE_WIDTH))
    for row in rows:
        cells = [escape(" ".join(cell.split("\n"))) for cell in row[1 : len(table.columns)]]
        table.add_row(f"[{STYLES[row[0]]}]{row[0]}[/]", *cells)
    return table


def write_table(differences: Iterable[Difference], summary: DiffSummary, console: Console) -> None:
    """One table per document with differences, then the summary line (counts per class)."""
    for doc, group in groupby(differences, key=lambda d: d.doc):
        console.print(_document_table(doc, list(group), console.width))
        console.print()
    console.print(escape(str(summary)), style="bold" if summary.differs(STYLES) else None)


def json_line(d: Difference) -> bytes:
    """One difference as a JSON line: class, id, doc, and the old and new records as written."""
    old = d.old.raw if d.old else b"null"
    new = d.new.raw if d.new else b"null"
    head = orjson.dumps({"class": d.status, "id": d.id, "doc": d.doc})[:-1]
    return head + b',"old":' + old + b',"new":' + new + b"}\n"


def write_json(differences: Iterable[Difference], out: BinaryIO) -> None:
    """One JSON object a line per difference (see :func:`json_line`); nothing else."""
    for d in differences:
        out.write(json_line(d))


def _cell(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def write_markdown(differences: Iterable[Difference], summary: DiffSummary, out: TextIO) -> None:
    """A Markdown table of the differences (none when there are none), then the summary line."""
    header = False
    for d in differences:
        if not header:
            out.write("| doc | class | id | line | old | new | Δ |\n|---|---|---|---|---|---|---|\n")
            header = True
        cells = (d.doc, d.status, f"`{d.id}`", _lines(d), figure(d.old), figure(d.new), what_changed(d))
        out.write("| " + " | ".join(_cell(c) for c in cells) + " |\n")
    if header:
        out.write("\n")
    out.write(f"{summary}\n")

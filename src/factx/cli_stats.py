"""``factx stats``: what a corpus holds, at a glance: figures per kind, unit, metric and document.

In: one or more runs (JSONL of ``factx extract``; ``-`` or nothing on a pipe: standard input) and
``--top``, ``--by``, ``--json``. Out: rich tables on stdout (plain text, no colour codes, 80 columns
wide in a pipe), or one JSON object; errors on stderr as one ``error: RUN:LINE: cause`` line and exit 2.
The counting is done by :mod:`factx.stats`; this module parses flags, calls it and prints.
"""

from __future__ import annotations

import os
import sys
from decimal import Decimal
from typing import Annotated

import orjson
import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from factx.audit import CONTEXT_FIELDS
from factx.cli_common import EXIT_BROKEN_PIPE, EXIT_OK, error, silence_stdout
from factx.runs import RunError
from factx.stats import DEFAULT_TOP, TABLES, RunStats, StatsTable, TableName, run_stats, share

EXIT_TROUBLE = 2
PIPE_WIDTH = 80  # a pipe or a file gets the width of the narrowest terminal, unless COLUMNS says otherwise

TITLES: dict[TableName, str] = {
    "kind": "figures per kind",
    "unit": "figures per kind and unit",
    "metric": "figures per metric",
    "doc": "figures per document",
}

EPILOG = (
    "Tables: kind (money, count, percent …); unit (each kind's units: CNY, USD, count, %, m2 …); metric "
    "(what the figure measures, e.g. 成交额, from the context stage; figures without one are counted "
    "apart); doc (figures per document; a document without figures is not in a run). Rows are ordered "
    "by figures, most first, then by name; share is the part of all figures. Several runs add up. "
    "Records of older runs, without context fields, count as figures without them. "
    "Exit status: 0 counted (an empty run too: it says so); 2 a run that cannot be read, or a line of "
    "it that is not a figure record (RUN:LINE: cause). See docs/stats.md."
)


def _tables(value: str | None) -> tuple[TableName, ...]:
    """The tables named by ``--by`` (comma-separated, any order, spaces allowed), in the order of TABLES."""
    if value is None:
        return TABLES
    names = {name.strip() for name in value.split(",") if name.strip()}
    unknown = sorted(names - set(TABLES))
    if unknown or not names:
        raise typer.BadParameter(
            f"unknown table {', '.join(repr(u) for u in unknown) or '(none given)'}; "
            f"choose from {', '.join(TABLES)}",
            param_hint="--by",
        )
    return tuple(name for name in TABLES if name in names)


def _runs(runs: list[str] | None) -> list[str]:
    """The runs to read: as given, or standard input when none is named and something is piped in."""
    if runs:
        return runs
    if sys.stdin.isatty():
        raise typer.BadParameter("give a run (RUN.jsonl), or '-' to read standard input", param_hint="RUN")
    return ["-"]


def stats_console() -> Console:
    """Standard output for the tables: the terminal's width, else COLUMNS, else 80 columns. rich
    writes no colour codes when stdout is not a terminal (or NO_COLOR is set)."""
    width = None if sys.stdout.isatty() or os.environ.get("COLUMNS", "").isdigit() else PIPE_WIDTH
    return Console(highlight=False, width=width)


def percent(part: int, whole: int) -> str:
    """``part`` as a percentage of ``whole``, to one decimal place; ``<0.1%`` rather than a 0.0% that
    hides a figure."""
    shown = share(part, whole, Decimal("0.001")) * 100
    if part and not shown:
        return "<0.1%"
    return f"{shown:.1f}%"


def _count(n: int) -> str:
    return f"{n:,}"


def _render_table(table: StatsTable, figures: int) -> Table:
    # The title is printed apart (print_stats): as a rich table title it would be padded with spaces.
    out = Table(show_edge=False, pad_edge=False)
    for column in table.columns:
        out.add_column(column, overflow="fold")
    out.add_column("figures", justify="right", no_wrap=True)
    out.add_column("share", justify="right", no_wrap=True)
    for row in table.rows:
        out.add_row(*(escape(k) for k in row.key), _count(row.figures), percent(row.figures, figures))
    blanks = [""] * (len(table.columns) - 1)
    if table.rows_left_off:
        more = f"… {table.rows_left_off:,} more"
        left = table.figures_left_off
        out.add_row(more, *blanks, _count(left), percent(left, figures), style="dim")
    if table.name == "metric":
        none = table.figures_without
        out.add_row("(no metric)", *blanks, _count(none), percent(none, figures), style="dim")
    return out


def print_stats(stats: RunStats, console: Console, top: int, tables: tuple[TableName, ...]) -> None:
    """The totals (figures, documents, distinct metrics, how many figures carry each context field),
    then each table asked for; or one line saying the runs hold no figures."""
    runs = ", ".join(stats.runs) if len(stats.runs) <= 3 else f"{len(stats.runs)} runs"
    if not stats.figures:
        console.print(f"no figures in {escape(runs)}", soft_wrap=True)
        return
    documents = "document" if stats.documents == 1 else "documents"
    figures = "figure" if stats.figures == 1 else "figures"
    metrics = "metric" if stats.distinct_metrics == 1 else "metrics"
    console.print(
        f"[bold]{stats.figures:,}[/] {figures} in [bold]{stats.documents:,}[/] {documents}, "
        f"[bold]{stats.distinct_metrics:,}[/] distinct {metrics}"
    )
    carried = "  ".join(f"{name} {percent(stats.context[name], stats.figures)}" for name in CONTEXT_FIELDS)
    console.print(f"with context: {carried}")
    for name in tables:
        console.print()
        console.print(f"[bold]{TITLES[name]}[/]")
        console.print(_render_table(stats.table(name, top), stats.figures))


def stats(
    runs: Annotated[
        list[str] | None,
        typer.Argument(
            help="Runs of factx extract (JSONL); '-' reads standard input, as does naming none on a pipe.",
            show_default=False,
            metavar="RUN.jsonl",
        ),
    ] = None,
    top: Annotated[
        int,
        typer.Option(
            "--top", "-n", min=0, help="Rows per table, most figures first; 0: every row.", metavar="N"
        ),
    ] = DEFAULT_TOP,
    by: Annotated[
        str | None,
        typer.Option(
            "--by",
            help="The tables to show, comma-separated: kind, unit, metric, doc. \\[default: all four]",
            show_default=False,
            metavar="TABLES",
        ),
    ] = None,
    as_json: Annotated[
        bool,
        typer.Option(
            "--json",
            help="Write one JSON object instead (runs, figures, documents, metrics, context, tables), "
            "keys in a fixed order.",
        ),
    ] = False,
) -> None:
    """Count a run's figures per kind, unit, metric and document: what a corpus holds, at a glance.

    Example: factx stats run.jsonl
    Example: factx extract reports/ | factx stats --by kind,unit --top 10
    Example: factx stats run.jsonl --json | jq '.tables.kind.rows'
    """
    tables = _tables(by)
    paths = _runs(runs)
    try:
        counted = run_stats(paths)
    except RunError as exc:
        error(str(exc))
        raise typer.Exit(EXIT_TROUBLE) from None
    try:
        if as_json:
            sys.stdout.buffer.write(orjson.dumps(counted.as_json(top, tables)) + b"\n")
            sys.stdout.buffer.flush()
        else:
            print_stats(counted, stats_console(), top, tables)
    except BrokenPipeError:
        silence_stdout()
        raise typer.Exit(EXIT_BROKEN_PIPE) from None
    raise typer.Exit(EXIT_OK)


def register(app: typer.Typer) -> None:
    """Add ``factx stats`` to the ``factx`` app."""
    app.command("stats", epilog=EPILOG)(stats)

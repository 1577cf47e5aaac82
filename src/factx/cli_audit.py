"""``factx audit`` and ``factx report``: figures checked against their sources, and a page to read them in.

In: a run (JSONL of ``factx extract``, a file or standard input) and figure ids, ``DOC:OFFSET`` or
``--all``. Out: a card per figure or a per-document summary on stdout (or JSON lines), errors on
stderr, and the exit status; ``report`` writes one self-contained HTML file. The work is done by
:mod:`factx.audit` and :mod:`factx.output.report_html`; this module parses flags, calls them and prints.
"""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer
from rich.markup import escape

from factx.audit import SelectionError
from factx.cli_common import EXIT_BROKEN_PIPE, err, error, load_packs_or_exit, silence_stdout
from factx.runs import RunError

if TYPE_CHECKING:
    from factx.packs.ruleset import RuleSet

EXIT_VERIFIED, EXIT_NOT_VERIFIED, EXIT_TROUBLE = 0, 1, 2


class AuditFormat(StrEnum):
    """How audit results are written."""

    table = "table"
    json = "json"


AUDIT_EPILOG = (
    "States: verified (the file's SHA-256 is the record's doc_sha256 and its span holds the figure, or "
    "the file changed but the figure and its sentence are where they were); drifted (the file changed, "
    "the figure's sentence is elsewhere: its new line:col is given); missing (the sentence is gone); "
    "source-missing (the file is gone or unreadable). "
    "Exit status: 0 every figure verified; 1 some did not (each named with a one-line reason); "
    "2 an unknown or ambiguous id, an unreadable run or a line of it that is not a record (RUN:LINE: "
    "cause), or a bad rule pack. See docs/audit.md."
)

RootOption = Annotated[
    Path | None,
    typer.Option(
        "--root",
        help="The folder the records' doc paths are relative to (where factx extract ran). "
        "\\[default: the working folder]",
        show_default=False,
        metavar="DIR",
    ),
]


def _trouble(message: str) -> NoReturn:
    error(message)
    raise typer.Exit(EXIT_TROUBLE)


def _run_argument(targets: list[str], run: str | None, all_figures: bool) -> tuple[list[str], str]:
    """The figures asked for and the run to read them from, or a usage error (exit 2)."""
    if all_figures:
        if len(targets) > 1 or (targets and run is not None):
            _trouble("--all takes one run: factx audit --all RUN.jsonl")
        return [], run or (targets[0] if targets else "-")
    if not targets:
        _trouble("name the figures to audit (ids, or DOC:OFFSET), or give --all")
    if run is None and sys.stdin.isatty():
        _trouble("give the run with --run RUN.jsonl, or pipe it on standard input")
    return targets, run or "-"


def _audit_all(run: str, root: Path | None, output_format: AuditFormat) -> int:
    from factx.audit import AuditResult, audit_run
    from factx.output.audit_view import print_summary, print_unverified, write_json
    from factx.output.report import report_console

    console = report_console()

    def emit(doc: str, results: list[AuditResult]) -> None:
        # Each document's failures as they are found: a big run shows progress, and is never held.
        if output_format is AuditFormat.json:
            write_json((r for r in results if not r.verified), sys.stdout.buffer)
        else:
            print_unverified(console, results)

    summary = audit_run(run, root, on_document=emit, keep_unverified=False)
    if output_format is AuditFormat.json:
        sys.stdout.buffer.flush()
    else:
        print_summary(console, summary)
    return EXIT_VERIFIED if summary.ok else EXIT_NOT_VERIFIED


def _audit_some(
    targets: list[str], run: str, root: Path | None, output_format: AuditFormat, rules: list[Path] | None
) -> int:
    from factx.audit import audit_records, explain, read_run, select_figures
    from factx.output.audit_view import print_figure, write_json
    from factx.output.report import report_console

    results, sources = audit_records(select_figures(read_run(run), targets), root)
    if output_format is AuditFormat.json:
        write_json(results, sys.stdout.buffer)
        sys.stdout.buffer.flush()
    else:
        ruleset = _ruleset(rules)
        console = report_console()
        for n, result in enumerate(results):
            if n:
                console.print()
            print_figure(console, result, explain(result, sources[result.record.doc], ruleset))
    return EXIT_VERIFIED if all(r.verified for r in results) else EXIT_NOT_VERIFIED


def _ruleset(rules: list[Path] | None) -> RuleSet:
    """The packs the run was made with (built-in ones and ``rules``), or exit 2 with each pack error."""
    return load_packs_or_exit(rules or [])


def audit(
    targets: Annotated[
        list[str] | None,
        typer.Argument(
            help="Figures to audit: ids (or a unique prefix of at least 6 hex characters) or DOC:OFFSET "
            "(the figure whose span holds OFFSET in that document). With --all: the run.",
            show_default=False,
            metavar="ID... | RUN.jsonl",
        ),
    ] = None,
    run: Annotated[
        str | None,
        typer.Option(
            "--run",
            help="The run the figures come from (JSONL of factx extract); '-' or none: standard input.",
            show_default=False,
            metavar="RUN.jsonl",
        ),
    ] = None,
    all_figures: Annotated[
        bool,
        typer.Option(
            "--all", help="Verify every figure of the run: a summary per document, every failure named."
        ),
    ] = False,
    output_format: Annotated[
        AuditFormat,
        typer.Option(
            "--format",
            "-f",
            help="table: for people; json: one object a line (id, doc, state, reason, line, column, "
            "new_line, new_column) per figure named, or with --all per figure that did not verify.",
        ),
    ] = AuditFormat.table,
    root: RootOption = None,
    rules: Annotated[
        list[Path] | None,
        typer.Option(
            "--rules",
            help="The rule packs the run was extracted with, to name their rules' file:line. Repeatable.",
            show_default=False,
            metavar="PACK",
        ),
    ] = None,
) -> None:
    """Check figures against their sources: is the figure still there, in the same sentence?

    Example: factx audit 92a47decace9 --run run.jsonl
    Example: factx audit --all run.jsonl --format json
    """
    wanted, run_path = _run_argument(targets or [], run, all_figures)
    try:
        if all_figures:
            status = _audit_all(run_path, root, output_format)
        else:
            status = _audit_some(wanted, run_path, root, output_format, rules)
    except SelectionError as exc:
        for line in exc.lines:
            error(line)
        raise typer.Exit(EXIT_TROUBLE) from None
    except RunError as exc:
        sys.stdout.flush()
        _trouble(str(exc))
    except BrokenPipeError:
        silence_stdout()
        raise typer.Exit(EXIT_BROKEN_PIPE) from None
    raise typer.Exit(status)


REPORT_EPILOG = (
    "The page needs no network: styles, script and data are inside it. Each document's text is shown "
    "with every figure highlighted by kind, where it stands in the source now; a figure whose source "
    "or sentence is gone is shown in the sentence the run recorded, and the page says so. Exit status: "
    "0 written; 2 an unreadable run, a line of it that is not a record, or an output that cannot be "
    "written (an old page is left as it was). See docs/audit.md."
)


def report(
    run: Annotated[
        str,
        typer.Argument(help="The run (JSONL of factx extract); '-': standard input.", metavar="RUN.jsonl"),
    ],
    output: Annotated[
        Path,
        typer.Option("--output", "-o", help="The HTML file to write.", metavar="REPORT.html"),
    ],
    root: RootOption = None,
    title: Annotated[
        str | None,
        typer.Option(
            "--title", help="The page's title. \\[default: the run's file name]", show_default=False
        ),
    ] = None,
) -> None:
    """Write one self-contained HTML page to read a run's figures in their documents.

    Example: factx report run.jsonl -o report.html
    """
    from factx.output.audit_view import plural
    from factx.output.report_html import write_report

    try:
        stats = write_report(run, output, root=root, title=title)
    except RunError as exc:
        _trouble(str(exc))
    except OSError as exc:
        _trouble(f"cannot write {output}: {(exc.strerror or str(exc)).lower()}")
    elsewhere = f" ({stats.not_in_source} not found in their current source)" if stats.not_in_source else ""
    err.print(
        f"{escape(str(output))}: {plural(stats.figures, 'figure')} in {plural(stats.documents, 'document')}"
        + elsewhere
    )
    raise typer.Exit(0)


def register(app: typer.Typer) -> None:
    """Add ``factx audit`` and ``factx report`` to the ``factx`` app."""
    app.command("audit", epilog=AUDIT_EPILOG)(audit)
    app.command("report", epilog=REPORT_EPILOG)(report)

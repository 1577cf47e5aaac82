"""``factx diff``: what changed in the figures between two runs, or between two rule sets on a corpus.

In: two JSONL runs, or files and folders with --rules-old/--rules-new. Out: a table, JSON lines or
Markdown on stdout (:mod:`factx.output.diff_view`), errors on stderr, and diff(1)'s exit status.
The work is done by :mod:`factx.diff`; this module parses flags, calls it and prints.
"""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from factx.cli_common import EXIT_BROKEN_PIPE, err, error, load_packs_or_exit, silence_stdout
from factx.diff import DEFAULT_SHOWN, SIMILARITY_THRESHOLD, STATUSES, RulesDiff, RunDiff
from factx.output.diff_view import write_json, write_markdown, write_table
from factx.output.report import report_console
from factx.runs import STDIN, RunError

EXIT_SAME, EXIT_DIFFERENT, EXIT_TROUBLE = 0, 1, 2


class DiffFormat(StrEnum):
    """How the differences are written."""

    table = "table"
    json = "json"
    md = "md"


EPILOG = (
    "Documents pair by the records' path (relative to the folder named to factx extract), else their "
    "doc; figures by id; then a figure read anew at the same place of an identical sentence; then, by "
    "kind and unit, the closest edited sentence: rapidfuzz's fuzz.ratio, 100 × (1 − insertions and "
    "deletions / total length), at least "
    f"{SIMILARITY_THRESHOLD:g}; ties go to the same figure text, then the nearest position. "
    "changed: value, value_high, unit, per, kind, approx or change differ. moved: out of order with the "
    "other figures (a paragraph moved). same: the rest (offsets may shift, the sentence may be reworded). "
    "Exit status: 0 no difference of a --fail-on class; 1 some; 2 trouble (an unreadable file, a line "
    "that is not a record, named FILE:LINE, a bad rule pack or an unreadable document). "
    "See docs/diff.md."
)


def _classes(value: str | None, option: str, default: frozenset[str]) -> frozenset[str]:
    """A comma-separated list of classes (repeated commas and spaces allowed), checked."""
    if value is None:
        return default
    names = {name.strip() for name in value.split(",") if name.strip()}
    unknown = sorted(names - set(STATUSES))
    if unknown or not names:
        raise typer.BadParameter(
            f"unknown class {', '.join(repr(u) for u in unknown) or '(none given)'}; "
            f"choose from {', '.join(STATUSES)}",
            param_hint=option,
        )
    return frozenset(names)


def _rules_diff(
    paths: list[str],
    rules_old: list[Path],
    rules_new: list[Path],
    show: frozenset[str],
    globs: tuple[str, ...] | None,
) -> RulesDiff:
    """Both rule sets loaded, or exit 2 with each pack error as FILE:LINE:COLUMN: CAUSE."""
    old_rules = load_packs_or_exit(rules_old)
    new_rules = load_packs_or_exit(rules_new)
    return RulesDiff(paths, old_rules, new_rules, show, globs)


def diff(
    runs: Annotated[
        list[str],
        typer.Argument(
            help="OLD.jsonl NEW.jsonl: two runs of factx extract ('-' reads one of them from standard "
            "input). With --rules-old/--rules-new: the files and folders to extract with each rule set.",
            show_default=False,
            metavar="OLD NEW | PATH...",
        ),
    ],
    output_format: Annotated[
        DiffFormat,
        typer.Option(
            "--format",
            "-f",
            help="table: for people, grouped by document, with a summary line; json: one object a line "
            "per difference (class, id, doc, old, new); md: a Markdown table for a pull request.",
        ),
    ] = DiffFormat.table,
    only: Annotated[
        str | None,
        typer.Option(
            "--only",
            help="Classes to show, comma-separated: changed, added, removed, moved, same. "
            "\\[default: changed,added,removed]",
            show_default=False,
        ),
    ] = None,
    fail_on: Annotated[
        str | None,
        typer.Option(
            "--fail-on",
            help="Classes that make the exit status 1, comma-separated. \\[default: the classes shown]",
            show_default=False,
        ),
    ] = None,
    rules_old: Annotated[
        list[Path] | None,
        typer.Option(
            "--rules-old",
            help="Rule packs (files or folders) of the old rule set, loaded after the built-in ones. "
            "Repeatable.",
            show_default=False,
            metavar="PACK",
        ),
    ] = None,
    rules_new: Annotated[
        list[Path] | None,
        typer.Option(
            "--rules-new",
            help="Rule packs of the new rule set, loaded after the built-in ones. Repeatable.",
            show_default=False,
            metavar="PACK",
        ),
    ] = None,
    glob: Annotated[
        list[str] | None,
        typer.Option(
            "--glob",
            "-g",
            help="With --rules-old/--rules-new: file patterns to read inside folders, as for extract. "
            "Repeatable. \\[default: the formats extract reads]",
            metavar="PATTERN",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Show exactly which figures changed between two runs: changed, added, removed (moved, same).

    Example: factx diff old.jsonl new.jsonl --format md > figures.md
    Example: factx diff --rules-new my-pack.yaml docs/
    """
    show = _classes(only, "--only", frozenset(DEFAULT_SHOWN))
    failing = _classes(fail_on, "--fail-on", show)
    if rules_old is not None or rules_new is not None:
        globs = tuple(glob) if glob else None
        differences: RunDiff | RulesDiff = _rules_diff(runs, rules_old or [], rules_new or [], show, globs)
    elif len(runs) != 2:
        raise typer.BadParameter(
            f"give two runs, OLD.jsonl NEW.jsonl (got {len(runs)}); to extract files and folders twice, "
            "give --rules-old and/or --rules-new",
            param_hint="OLD NEW",
        )
    elif runs.count(STDIN) > 1:
        raise typer.BadParameter("standard input ('-') can stand for one run only", param_hint="OLD NEW")
    else:
        differences = RunDiff(runs[0], runs[1], show)
    try:
        if output_format is DiffFormat.json:
            write_json(differences, sys.stdout.buffer)
            sys.stdout.buffer.flush()
        elif output_format is DiffFormat.md:
            write_markdown(differences, differences.summary, sys.stdout)
            sys.stdout.flush()
        else:
            write_table(differences, differences.summary, report_console())
    except RunError as exc:
        sys.stdout.flush()
        error(str(exc))
        raise typer.Exit(EXIT_TROUBLE) from None
    except BrokenPipeError:
        silence_stdout()
        raise typer.Exit(EXIT_BROKEN_PIPE) from None
    if isinstance(differences, RulesDiff):
        # A document not read (or not whole), or a rule stopped: the diff is not the packs' effect.
        for problem in differences.problems:
            if problem.severity == "error":
                error(str(problem))
            else:
                err.print(f"[yellow]warning:[/] {escape(str(problem))}")
        if any(problem.severity == "error" for problem in differences.problems):
            raise typer.Exit(EXIT_TROUBLE)
    raise typer.Exit(EXIT_DIFFERENT if differences.summary.differs(failing) else EXIT_SAME)


def register(app: typer.Typer) -> None:
    """Add ``factx diff`` to the ``factx`` app."""
    app.command("diff", epilog=EPILOG)(diff)

"""The command line: typer parses flags, calls the library, prints. No extraction logic lives here.

Exit status: 0 all inputs read; 1 some input could not be read or fully scanned (the rest was);
2 a usage error, a bad rule pack or an unwritable output (nothing was read, or no output replaced);
141 the reader of standard output went away (``factx extract … | head``).
"""

from __future__ import annotations

import gc
import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape

from factx.extract import DEFAULT_TIMEOUT, extract_paths
from factx.output import AtomicWriter, figure_line
from factx.output.report import print_rules, print_test_report, report_console
from factx.packs import PackError, load_ruleset, pack_schema
from factx.packs.errors import all_errors
from factx.packs.examples import run_rule_tests
from factx.packs.inventory import rule_rows
from factx.packs.loader import expand_pack_paths
from factx.packs.ruleset import RuleSet
from factx.records import Figure
from factx.sources import Problem

app = typer.Typer(
    name="factx",
    help="Pull every figure (834.9亿美元, 4108家, 同比增长4.4%) out of Chinese documents as validated JSONL.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
err = Console(stderr=True, highlight=False, soft_wrap=True)

EXIT_OK, EXIT_PARTIAL, EXIT_USAGE = 0, 1, 2
COLLECT_EVERY = 50_000  # figures between two garbage collections in a batch run
EXIT_BROKEN_PIPE = 141  # 128 + SIGPIPE, what a shell reports for `factx extract … | head`


def _error(message: str) -> None:
    err.print(f"[bold red]error:[/] {escape(message)}")


def _warning(message: str) -> None:
    err.print(f"[yellow]warning:[/] {escape(message)}")


RulesOption = Annotated[
    list[Path] | None,
    typer.Option(
        "--rules",
        "-r",
        help="A rule pack (YAML file) or a folder of packs, loaded after the built-in ones. Repeatable. "
        "FACTX_RULES (paths separated by ':', ';' on Windows) adds packs too.",
        show_default=False,
    ),
]
NoBuiltinOption = Annotated[
    bool, typer.Option("--no-builtin", help="Start from no built-in packs: only --rules and FACTX_RULES.")
]


def _ruleset(rules: list[Path] | None, no_builtin: bool) -> RuleSet:
    """Load packs or exit 2 with the pack error's one line: file:line:column: cause."""
    try:
        return load_ruleset(rules or [], builtin=not no_builtin)
    except PackError as exc:
        for error in all_errors(exc):
            _error(str(error))
        raise typer.Exit(EXIT_USAGE) from None


@app.command()
def extract(
    paths: Annotated[
        list[str],
        typer.Argument(
            help="Files and folders to read; folders recursively. '-' reads standard input.",
            show_default=False,
        ),
    ],
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="Write JSONL here (replaced only when the run completes) instead of stdout.",
        ),
    ] = None,
    rules: RulesOption = None,
    no_builtin: NoBuiltinOption = False,
    glob: Annotated[
        list[str] | None,
        typer.Option(
            "--glob", "-g", help="File patterns to read inside folders. Repeatable. \\[default: *.txt, *.md]"
        ),
    ] = None,
    timeout: Annotated[
        float,
        typer.Option(
            "--timeout",
            min=0.001,
            help="Seconds a rule of a user pack may run on a document (per megabyte, for longer ones); "
            "a rule past it is stopped and reported, and the run goes on.",
        ),
    ] = DEFAULT_TIMEOUT,
) -> None:
    """Extract figures as JSONL: one record a line, in document order, documents in sorted path order.

    Example: factx extract seeds/ -o figures.jsonl
    """
    rs = _ruleset(rules, no_builtin)
    problems: list[Problem] = []
    globs = tuple(glob) if glob else ("*.txt", "*.md")
    # A batch run allocates many short-lived, acyclic objects (matches, drafts, records): the
    # cyclic collector only costs time there (~10%). It is paused, and run every COLLECT_EVERY
    # figures so that memory stays bounded; it is restored for a host that embeds the app.
    was_enabled = gc.isenabled()
    gc.freeze()
    gc.disable()
    try:
        with AtomicWriter(output) as out:
            for count, figure in enumerate(extract_paths(paths, rs, globs, problems, timeout), 1):
                out.write(figure_line(figure))
                if count % COLLECT_EVERY == 0:
                    gc.collect()
    except BrokenPipeError:
        # The reader went away (| head): stop quietly, as other Unix tools do.
        _silence_stdout()
        raise typer.Exit(EXIT_BROKEN_PIPE) from None
    except OSError as exc:
        _error(f"cannot write {output or 'standard output'}: {exc.strerror or exc}")
        raise typer.Exit(EXIT_USAGE) from None
    finally:
        gc.unfreeze()
        if was_enabled:
            gc.enable()
    for problem in problems:
        _warning(str(problem))
    if problems:
        raise typer.Exit(EXIT_PARTIAL)


def _silence_stdout() -> None:
    """Point stdout at /dev/null so the interpreter's final flush does not fail again."""
    import os
    import sys

    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass
    finally:
        os.close(devnull)


@app.command()
def schema(
    rules: Annotated[
        bool, typer.Option("--rules", help="Print the rule-pack format's schema instead (for editors).")
    ] = False,
) -> None:
    """Print the JSON Schema of a figure record, or with --rules of a rule pack.

    Example: factx schema --rules > factx-pack.schema.json
    """
    typer.echo(
        json.dumps(pack_schema() if rules else Figure.model_json_schema(), ensure_ascii=False, indent=2)
    )


rules_app = typer.Typer(
    help="List, check and test rule packs (YAML files of units, words and patterns).",
    no_args_is_help=True,
)
app.add_typer(rules_app, name="rules")

PacksArgument = Annotated[
    list[Path],
    typer.Argument(help="Rule pack files or folders, loaded after the built-in ones.", show_default=False),
]
PlainOption = Annotated[
    bool | None,
    typer.Option(
        "--plain/--table",
        help="Tab-separated lines, or a table. \\[default: a table on a terminal, lines in a pipe]",
        show_default=False,
    ),
]


@rules_app.command("list")
def rules_list(
    rules: RulesOption = None, no_builtin: NoBuiltinOption = False, plain: PlainOption = None
) -> None:
    """Every pack in load order and every rule: id, kind, pack, file:line, and whether it is overridden
    or disabled.

    Example: factx rules list --rules my-pack.yaml
    """
    rs = _ruleset(rules, no_builtin)
    out = report_console()
    print_rules(
        rule_rows(rs),
        [(n, str(p)) for n, p in rs.packs],
        out,
        not out.is_terminal if plain is None else plain,
    )


@rules_app.command("check")
def rules_check(packs: PacksArgument, no_builtin: NoBuiltinOption = False) -> None:
    """Validate packs without extracting: one line per error, FILE:LINE:COLUMN: CAUSE.

    Checks keys and types, patterns (with the regex engine's message and position), references to
    pieces, validators and rules, and duplicate ids and keys. Exit 0 when valid, 2 when not.

    Example: factx rules check my-pack.yaml
    """
    try:
        load_ruleset(packs, builtin=not no_builtin)
    except PackError as exc:
        errors = all_errors(exc)
        for error in errors:
            typer.echo(str(error))
        err.print(f"[bold red]{len(errors)} error{'s' if len(errors) > 1 else ''}[/]")
        raise typer.Exit(EXIT_USAGE) from None
    for path in expand_pack_paths(packs):
        typer.echo(f"{path}: ok")


@rules_app.command("test")
def rules_test(
    packs: Annotated[
        list[Path] | None,
        typer.Argument(
            help="Packs whose rules to test, loaded after the built-in ones. \\[default: the built-in rules]",
            show_default=False,
        ),
    ] = None,
    no_builtin: NoBuiltinOption = False,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="Show only the failures and the summary.")
    ] = False,
) -> None:
    """Run the rules' own examples: each must yield its figures (none, for a counter-example), and
    every rule needs at least one example and one counter-example. Exit 1 on any failure.

    Example: factx rules test my-pack.yaml
    """
    rs = _ruleset(packs, no_builtin)
    report = run_rule_tests(rs, expand_pack_paths(packs) if packs else None)
    print_test_report(report, report_console(), quiet)
    if not report.ok:
        raise typer.Exit(EXIT_PARTIAL)


def main() -> None:
    """Console-script entry point."""
    app()

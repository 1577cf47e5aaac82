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

from factx.extract import extract_paths
from factx.output import AtomicWriter, figure_line
from factx.packs import PackError, load_ruleset
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
        "FACTX_RULES (paths separated by ':') adds packs too.",
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
        _error(str(exc))
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
            "--glob", "-g", help="File patterns to read inside folders. Repeatable. [default: *.txt, *.md]"
        ),
    ] = None,
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
            for count, figure in enumerate(extract_paths(paths, rs, globs, problems), 1):
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
def schema() -> None:
    """Print the JSON Schema of a figure record."""
    typer.echo(json.dumps(Figure.model_json_schema(), ensure_ascii=False, indent=2))


def main() -> None:
    """Console-script entry point."""
    app()

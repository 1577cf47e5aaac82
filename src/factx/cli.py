"""The command line: typer parses flags, calls the library, prints. No extraction logic lives here.

Exit status: 0 all inputs read; 1 some input could not be read or fully scanned (the rest was);
2 a usage error, a bad rule pack or an unwritable output (nothing was read, or no output replaced);
141 the reader of standard output went away (``factx extract … | head``).
"""

from __future__ import annotations

import gc
import sys
from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from typer.core import TyperArgument, TyperCommand, TyperGroup, TyperOption

from factx import __version__
from factx.cli_common import (
    EXIT_BROKEN_PIPE,
    EXIT_PARTIAL,
    EXIT_USAGE,
    err_console,
    error,
    load_packs_or_exit,
    silence_stdout,
    usage_error,
)
from factx.defaults import DEFAULT_TIMEOUT
from factx.sources import DEFAULT_GLOBS

if TYPE_CHECKING:
    from typer._click import Command, Context, HelpFormatter

    from factx.output import RecordWriter
    from factx.packs.ruleset import RuleSet

# What a command runs with (extraction, packs, output …) is imported inside it, when it runs: the
# help, and a command that needs none of it, start without loading the whole library.


def _no_python_type_names() -> None:
    """typer's help shows each parameter's Python annotation (<bool>, <list[Path]>) as its type:
    noise to a user. An option shows its metavar (FILE, N, PATTERN) where it has one; an argument
    shows only its name (PATH...), which says it already."""

    typer_display = TyperOption.display_type_rich

    def without_python_types(param: TyperOption, ctx: Any) -> str | None:
        shown = typer_display(param, ctx)  # the metavar, or <table|json> choices, or a <type>
        if shown is None or not shown.startswith("<"):
            return shown
        inner = shown.strip("<>")
        return inner if "|" in inner and "[" not in inner else None

    TyperArgument.display_type_rich = lambda param, ctx: None  # type: ignore[method-assign,assignment]
    TyperOption.display_type_rich = without_python_types  # type: ignore[method-assign,assignment]


_no_python_type_names()

# Commands whose modules load only when one of them runs or shows its own help: what they import
# (diff, audit, stats, report and their dependencies) is not paid by `factx extract` or `factx --help`.
# The overview lists each by the first paragraph of its docstring, kept here: the module, the line.
# (tests/test_startup_cache.py checks that each line is the command's own.)
LAZY_COMMANDS: dict[str, tuple[str, str]] = {
    "diff": (
        "factx.cli_diff",
        "Show exactly which figures changed between two runs: changed, added, removed (moved, same).",
    ),
    "audit": (
        "factx.cli_audit",
        "Check figures against their sources: is the figure still there, in the same sentence?",
    ),
    "report": (
        "factx.cli_audit",
        "Write one self-contained HTML page to read a run's figures in their documents.",
    ),
    "stats": (
        "factx.cli_stats",
        "Count a run's figures per kind, unit, metric and document: what a corpus holds, at a glance.",
    ),
}


class _Listed(TyperCommand):
    """A command of :data:`LAZY_COMMANDS` as the overview shows it: its name and its first line."""


class CommandsOnDemand(TyperGroup):
    """The ``factx`` group: the commands of :data:`LAZY_COMMANDS` are built from their modules (each
    module's ``register(app)``) when one is asked for, and listed by their first line in the help."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._overview = False
        # The order of the overview: the commands defined here, the lazy ones, then the sub-groups.
        own = {n: c for n, c in self.commands.items() if not isinstance(c, TyperGroup)}
        groups = {n: c for n, c in self.commands.items() if isinstance(c, TyperGroup)}
        listed = {
            name: _Listed(name=name, callback=None, help=line) for name, (_, line) in LAZY_COMMANDS.items()
        }
        self.commands = {**own, **listed, **groups}

    def get_command(self, ctx: Context, cmd_name: str) -> Command | None:
        command = self.commands.get(cmd_name)
        if isinstance(command, _Listed) and not self._overview:
            command = self.load(cmd_name)
        return command

    def load(self, name: str) -> Command:
        """The command ``name`` of :data:`LAZY_COMMANDS`, built (with those of the same module) as the
        app would have built it had its module been registered up front."""
        module = import_module(LAZY_COMMANDS[name][0])
        part = typer.Typer(
            rich_markup_mode=app.rich_markup_mode, pretty_exceptions_short=app.pretty_exceptions_short
        )
        module.register(part)
        for built_name, built in typer.main.get_group(part).commands.items():
            if isinstance(self.commands.get(built_name), _Listed):
                self.commands[built_name] = built
        return self.commands[name]

    def format_help(self, ctx: Context, formatter: HelpFormatter) -> None:
        """The help, with the lazy commands listed by their first line (their modules not loaded)."""
        self._overview = True
        try:
            super().format_help(ctx, formatter)
        finally:
            self._overview = False


app = typer.Typer(
    cls=CommandsOnDemand,
    name="factx",
    help="Pull every figure (834.9亿美元, 4108家, 同比增长4.4%) out of Chinese documents as validated JSONL.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"factx {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit."),
    ] = False,
) -> None:
    """Pull every figure (834.9亿美元, 4108家, 同比增长4.4%) out of Chinese documents as validated JSONL."""


RulesOption = Annotated[
    list[Path] | None,
    typer.Option(
        "--rules",
        "-r",
        help="A rule pack (YAML file) or a folder of packs, loaded after the built-in ones. Repeatable. "
        "FACTX_RULES (paths separated by ':', ';' on Windows) adds packs too.",
        show_default=False,
        metavar="PACK",
    ),
]
NoBuiltinOption = Annotated[
    bool, typer.Option("--no-builtin", help="Start from no built-in packs: only --rules and FACTX_RULES.")
]


def _ruleset(rules: list[Path] | None, no_builtin: bool) -> RuleSet:
    """Load packs or exit 2 with the pack error's one line: file:line:column: cause."""
    return load_packs_or_exit(rules or [], builtin=not no_builtin)


FORMATS = ("text", "markdown", "html", "docx", "pdf")
EXTRACT_EPILOG = (
    "Exit status: 0 every input was read whole; 1 some input could not be read, or not all of it (each "
    "is named on stderr with the cause; everything else was still extracted), or no document was read; "
    "2 a usage error, a bad rule pack or an output that cannot be written (nothing was read); "
    "128+N killed by signal N (130 Ctrl-C, 143 SIGTERM), the old output left as it was; "
    "141 the reader of standard output went away (| head)."
)


@app.command(epilog=EXTRACT_EPILOG)
def extract(
    paths: Annotated[
        list[str],
        typer.Argument(
            help="Files and folders to read; folders recursively. '-' reads standard input.",
            show_default=False,
            metavar="PATH...",
        ),
    ],
    output: Annotated[
        str | None,
        typer.Option(
            "--output",
            "-o",
            help="Write JSONL to FILE instead of standard output ('-'). A regular file is replaced only "
            "when the run completes; a device or FIFO is written in place; a link is written through.",
            metavar="FILE",
            show_default=False,
        ),
    ] = None,
    rules: RulesOption = None,
    no_builtin: NoBuiltinOption = False,
    glob: Annotated[
        list[str] | None,
        typer.Option(
            "--glob",
            "-g",
            help="File patterns to read inside folders, matched without regard to case. Repeatable. "
            f"\\[default: {', '.join(DEFAULT_GLOBS)}]",
            metavar="PATTERN",
            show_default=False,
        ),
    ] = None,
    format_in: Annotated[
        str | None,
        typer.Option(
            "--format-in",
            help=f"Read every input as this format ({', '.join(FORMATS)}) whatever its extension. "
            "\\[default: by extension; text for others]",
            metavar="FORMAT",
            show_default=False,
        ),
    ] = None,
    encoding: Annotated[
        str | None,
        typer.Option(
            "--encoding",
            help="Decode text and html files with this codec (utf-8, gb18030, big5, utf-16 …) instead of "
            "detecting it. \\[default: detected per file]",
            metavar="CODEC",
            show_default=False,
        ),
    ] = None,
    jobs: Annotated[
        int | None,
        typer.Option(
            "--jobs",
            "-j",
            min=1,
            help="Documents read at once, in worker processes; the output is the same for any N. "
            "\\[default: the number of cores]",
            metavar="N",
            show_default=False,
        ),
    ] = None,
    timeout: Annotated[
        float,
        typer.Option(
            "--timeout",
            min=0.001,
            help="Seconds a rule of a user pack may run on a document (per megabyte, for longer ones); "
            "a rule past it is stopped and reported, and the run goes on.",
            metavar="SECONDS",
        ),
    ] = DEFAULT_TIMEOUT,
    currency: Annotated[
        str | None,
        typer.Option(
            "--currency",
            help="The currency of a bare 元 (億元, 塊錢), the document's own: an ISO 4217 code (HKD in Hong "
            "Kong text, TWD in Taiwan text), or auto to decide per document from the packs' cues (港幣, "
            "香港, 臺北, traditional script …). A currency written with the figure always decides. "
            "\\[default: the packs' setting, CNY]",
            metavar="CODE|auto",
            show_default=False,
        ),
    ] = None,
    context: Annotated[
        bool,
        typer.Option(
            "--context/--no-context",
            help="Give each figure its metric, subject, period and basis (what it measures, about whom, "
            "for when, compared with what); --no-context leaves them null and runs faster.",
        ),
    ] = True,
    quiet: Annotated[
        bool,
        typer.Option("--quiet", "-q", help="No progress bar and no summary; problems are still reported."),
    ] = False,
) -> None:
    """Extract figures as JSONL: one record a line, in document order, documents in sorted path order.

    Reads .txt, .md, .html/.htm, .docx and .pdf; text in UTF-8, UTF-16, GB18030/GBK or Big5 (detected).

    Example: factx extract seeds/ -o figures.jsonl
    """
    from factx.extract import ScanOptions
    from factx.normalize.currency import check_currency
    from factx.output import Interrupted, OutputError, RecordWriter
    from factx.output.progress import RunProgressBar, problem_line, summary_line
    from factx.run import ReadOptions, default_jobs, run_extract
    from factx.sources import STDIN, check_encoding

    if format_in is not None and format_in not in FORMATS:
        usage_error(f"--format-in must be one of {', '.join(FORMATS)}, not {format_in!r}")
    if encoding is not None:
        try:
            encoding = check_encoding(encoding)
        except ValueError as exc:
            usage_error(str(exc))
    try:
        writer = RecordWriter(output)
    except OutputError as exc:
        usage_error(str(exc))
    rs = _ruleset(rules, no_builtin)
    if currency is not None:
        try:
            currency = check_currency(currency, rs)
        except ValueError as exc:
            usage_error(str(exc))
    if STDIN in paths and sys.stdin.isatty():
        err_console().print("[dim]factx: reading standard input (end it with Ctrl-D)[/]")
    options = ReadOptions(
        format_in=format_in,
        encoding=encoding,
        timeout=timeout,
        scan=ScanOptions(context=context, currency=currency),
    )
    # The console is made only when something is shown: -q with no problem never imports rich's console.
    progress = RunProgressBar(err_console, enabled=not quiet and err_console().is_terminal)
    try:
        with progress:
            summary = run_extract(
                paths,
                output,
                rs,
                globs=tuple(glob) if glob else None,
                options=options,
                jobs=jobs or default_jobs(),
                on_problem=lambda p: progress.console.print(problem_line(p)),
                on_progress=progress.update,
                writer=writer,
            )
    except BrokenPipeError:
        # The reader went away (| head): stop quietly, as other Unix tools do.
        silence_stdout()
        raise typer.Exit(EXIT_BROKEN_PIPE) from None
    except Interrupted as exc:
        err_console().print(f"[bold red]interrupted[/] by signal {exc.signum}; {_kept(writer)}")
        raise typer.Exit(128 + exc.signum) from None
    except OutputError as exc:  # the target changed while packs loaded
        usage_error(str(exc))
    except OSError as exc:
        error(f"cannot write {output or 'standard output'}: {exc.strerror or exc}; {_kept(writer)}")
        raise typer.Exit(EXIT_USAGE) from None
    if summary.documents == 0:
        looked_for = ", ".join(glob) if glob else ", ".join(DEFAULT_GLOBS)
        error(f"no document was read (folders are searched for {looked_for})")
    if not quiet:
        err_console().print(summary_line(summary))
    raise typer.Exit(summary.exit_status)


def _kept(writer: RecordWriter) -> str:
    if writer.replaces:
        return f"{writer.target} was left as it was"
    return f"the whole records handed to {writer.target or 'standard output'} before it stand"


@app.command()
def schema(
    rules: Annotated[
        bool, typer.Option("--rules", help="Print the rule-pack format's schema instead (for editors).")
    ] = False,
) -> None:
    """Print the JSON Schema of a figure record, or with --rules of a rule pack.

    Example: factx schema --rules > factx-pack.schema.json
    """
    import json

    from factx.packs import pack_schema
    from factx.records import Figure

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
    from factx.output.report import print_rules, report_console
    from factx.packs.inventory import rule_rows

    rs = _ruleset(rules, no_builtin)
    out = report_console()
    print_rules(
        rule_rows(rs),
        [(n, str(p)) for n, p in rs.provenance.packs],
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
    from factx.packs import PackError, load_ruleset
    from factx.packs.errors import all_errors
    from factx.packs.loader import expand_pack_paths

    try:
        load_ruleset(packs, builtin=not no_builtin)
    except PackError as exc:
        errors = all_errors(exc)
        for error in errors:
            typer.echo(str(error))
        err_console().print(f"[bold red]{len(errors)} error{'s' if len(errors) > 1 else ''}[/]")
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
    from factx.output.report import print_test_report, report_console
    from factx.packs.examples import run_rule_tests
    from factx.packs.loader import expand_pack_paths

    rs = _ruleset(packs, no_builtin)
    report = run_rule_tests(rs, expand_pack_paths(packs) if packs else None)
    print_test_report(report, report_console(), quiet)
    if not report.ok:
        raise typer.Exit(EXIT_PARTIAL)


def main() -> None:
    """Console-script entry point."""
    try:
        app()
    finally:
        # The process ends here. Its last garbage collection would walk every object still alive
        # (the modules, the compiled packs): a fifth of a short run's time, to free memory the
        # system takes back anyway. Frozen, they are left out of it; everything is still closed
        # and flushed as usual.
        gc.freeze()

"""Terminal reports for people: the rule inventory and the rule tests, as rich tables.

In: :class:`~factx.packs.inventory.RuleRow` rows and an :class:`~factx.packs.examples.ExampleReport`.
Out: text on a rich console; tab-separated lines when ``plain`` (a pipe, a CI log to grep).
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from factx.packs.examples import ExampleReport, ExampleResult, Mismatch
from factx.packs.inventory import RuleRow, shown
from factx.packs.ruleset import UnitEntry


def report_console() -> Console:
    """Standard output for reports: the terminal's width, or a wide fixed one in a pipe or CI log."""
    return Console(highlight=False, width=None if sys.stdout.isatty() else 140)


def print_rules(
    rows: Sequence[RuleRow], packs: Sequence[tuple[str, str]], console: Console, plain: bool
) -> None:
    """The packs in load order, then every rule with its kind, pack and file:line."""
    if plain:
        for row in rows:
            # Written as is: rich would expand the tabs that make the lines easy to cut and awk.
            console.file.write("\t".join((row.id, row.kind, row.pack, row.origin, row.status)) + "\n")
        return
    loaded = Table(title="packs, in load order", title_justify="left", show_edge=False)
    loaded.add_column("pack")
    loaded.add_column("file")
    for name, path in packs:
        loaded.add_row(escape(name), escape(shown(path)))
    console.print(loaded)
    table = Table(title="rules", title_justify="left", show_edge=False)
    for column in ("id", "kind", "pack", "defined at", "status"):
        table.add_column(column, overflow="fold")
    for row in rows:
        style = "dim" if row.status.startswith("disabled") else None
        table.add_row(*(escape(x) for x in (row.id, row.kind, row.pack, row.origin, row.status)), style=style)
    console.print(table)


def _fields(values: dict[str, object]) -> str:
    return "{" + ", ".join(f"{k}: {v}" for k, v in values.items()) + "}"


def _diff_lines(mismatch: Mismatch) -> list[str]:
    lines = []
    if mismatch.expected:
        lines.append(f"[red]- expected {escape(_fields(mismatch.expected))}[/]")
    found = _fields(mismatch.found) if mismatch.found is not None else "nothing"
    lines.append(f"[green]+ found    {escape(found)}[/]")
    return lines


def _role(result: ExampleResult) -> str:
    return "counter" if result.counter else "example"


def print_test_report(report: ExampleReport, console: Console, quiet: bool = False) -> None:
    """A pass/fail table of every example (only the failures when ``quiet``), then each failure's diff."""
    table = Table(show_edge=False)
    for column in ("", "rule", "role", "text"):
        table.add_column(column, overflow="fold")
    for result in report.results:
        if quiet and result.ok:
            continue
        mark = "[green]pass[/]" if result.ok else "[bold red]FAIL[/]"
        table.add_row(mark, escape(result.rule.id), _role(result), escape(result.example.text))
    for rule, lacks in report.missing:
        table.add_row("[bold red]FAIL[/]", escape(rule.id), "-", escape("lacks " + " and ".join(lacks)))
    for context in report.context:
        if quiet and context.ok:
            continue
        mark = "[green]pass[/]" if context.ok else "[bold red]FAIL[/]"
        table.add_row(mark, "context_fields", "context", escape(context.example.text))
    if table.rows:
        console.print(table)
    for result in report.failed:
        where = escape(shown(result.origin))
        console.print(
            f"\n[bold red]FAIL[/] {escape(result.rule.id)} ({_role(result)}) at {where}: "
            f"{escape(result.example.text)}"
        )
        for failure in result.failures:
            console.print(f"  {escape(failure)}")
        for mismatch in result.mismatches:
            for line in _diff_lines(mismatch):
                console.print(f"    {line}")
    for rule, lacks in report.missing:
        console.print(
            f"\n[bold red]FAIL[/] {escape(rule.id)} at {escape(rule.origin)}: lacks {' and '.join(lacks)}"
        )
    for context in report.context_failed:
        console.print(
            f"\n[bold red]FAIL[/] context_fields (context) at {escape(shown(context.origin))}: "
            f"{escape(context.example.text)}"
        )
        for failure in context.failures:
            console.print(f"  {escape(failure)}")
    failed = len(report.failed)
    tested = {(type(r.rule), r.rule.id) for r in report.results} | {
        (type(x), x.id) for x, _ in report.missing
    }
    units = sum(1 for kind, _ in tested if kind is UnitEntry)
    rules = len(tested) - units
    passed = len(report.results) - failed
    counted = [(rules, "rule"), (units, "unit")] if units else [(rules, "rule")]
    subjects = " and ".join(f"{n} {word}{'s' if n != 1 else ''}" for n, word in counted if n or not units)
    examples = f"{len(report.results)} example{'s' if len(report.results) != 1 else ''}"
    tested_what = f"{examples} of {subjects}"
    if report.context:
        n = len(report.context)
        tested_what += f", {n} context example{'s' if n != 1 else ''}"
        passed += n - len(report.context_failed)
        failed += len(report.context_failed)
    summary = f"{tested_what}: {passed} passed, {failed} failed"
    if report.missing:
        summary += f"; {len(report.missing)} rule(s) lack an example or a counter-example"
    console.print(("\n[green]" if report.ok else "\n[bold red]") + escape(summary) + "[/]")

"""Running rules' own examples: each example's text must yield its figures (none, for a counter-example).

An example lists the figures a rule must produce, with only the fields it cares about. The whole
ruleset runs on the text, so other rules' figures may appear too; each listed figure must be found
(by its text when given, else in order), and a counter-example (``figures: []``) must yield nothing.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from decimal import Decimal

from factx.extract import extract_text
from factx.packs.models import Example, ExpectedFigure
from factx.packs.ruleset import CompiledRule, RuleSet
from factx.records import Figure

CHECKED = ("kind", "value", "unit", "approx", "change", "value_high")


@dataclass
class ExampleResult:
    """The outcome of one example of one rule."""

    rule: CompiledRule
    example: Example
    found: list[Figure]
    failures: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failures

    @property
    def counter(self) -> bool:
        return not self.example.figures


def _same(expected: object, actual: object) -> bool:
    if isinstance(expected, Decimal) and isinstance(actual, Decimal):
        return math.isclose(float(expected), float(actual), rel_tol=1e-9, abs_tol=1e-12) or expected == actual
    return expected == actual


def _describe(figure: Figure) -> str:
    parts = [f"{figure.text!r}", figure.kind, str(figure.value), figure.unit]
    parts += [x for x in (figure.approx, figure.change) if x]
    return " ".join(parts)


def _check(expected: ExpectedFigure, figures: list[Figure], start: int) -> tuple[int | None, list[str]]:
    """Index of the figure that answers ``expected`` (at or after ``start``) and what differs."""
    if expected.text is not None:
        candidates = [i for i, f in enumerate(figures) if f.text == expected.text and i >= start]
        if not candidates:
            return None, [
                f"no figure {expected.text!r} (found: {', '.join(_describe(f) for f in figures) or 'none'})"
            ]
        index = candidates[0]
    else:
        if start >= len(figures):
            return None, ["expected another figure, found none"]
        index = start
    figure = figures[index]
    diffs = []
    for name in CHECKED:
        want = getattr(expected, name)
        if name in expected.model_fields_set and not _same(want, getattr(figure, name)):
            diffs.append(f"{figure.text!r}: {name} is {getattr(figure, name)!r}, expected {want!r}")
    return index, diffs


def run_example(rule: CompiledRule, example: Example, rs: RuleSet) -> ExampleResult:
    """Run one example through the whole ruleset and compare."""
    figures = extract_text(example.text, doc=f"<example of {rule.id}>", ruleset=rs)
    result = ExampleResult(rule, example, figures)
    if not example.figures:
        if figures:
            result.failures.append("counter-example yields " + ", ".join(_describe(f) for f in figures))
        return result
    position = 0
    for expected in example.figures:
        index, diffs = _check(expected, figures, position)
        result.failures.extend(diffs)
        if index is not None:
            position = index + 1
    return result


def run_examples(rs: RuleSet) -> list[ExampleResult]:
    """Every example of every rule (figure rules and exclusions), in rule order."""
    return [run_example(rule, example, rs) for rule in rs.all_rules for example in rule.examples]

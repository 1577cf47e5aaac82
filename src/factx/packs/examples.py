"""Running rules' own examples: each example's text must yield its figures, and the rule must act or not.

An example lists the figures the whole ruleset must find in its text, with only the fields it cares
about; other figures may appear too, except that ``figures: []`` means nothing at all is found. Each
listed figure is looked up by its text when given, else taken in order.

Each example is also an example or a counter-example of its rule (see :meth:`Example.fires_for`): a
figure rule must yield a figure in its examples and none in its counter-examples; an exclusion must
match in its examples (the text it clears) and not in its counter-examples (the figures it spares).
So an example proves something about its own rule, not only about the ruleset.

A pack's ``context_fields`` examples run here too: the figure named must get the metric, subject,
period and basis the example gives (only the fields it gives; a null must be found null).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from factx.extract import extract_text
from factx.packs.context_models import ContextExample
from factx.packs.models import Example, ExpectedFigure
from factx.packs.ruleset import CompiledRule, RuleSet, UnitEntry
from factx.records import Figure

Tested = CompiledRule | UnitEntry  # what carries examples: a rule or a unit of the lexicon

CHECKED = ("text", "kind", "value", "unit", "approx", "change", "value_high", "per", "classifier")
CONTEXT_CHECKED = ("metric", "subject", "period", "basis")


@dataclass
class Mismatch:
    """One expected figure and what was found instead (``found`` is None when nothing answered)."""

    expected: dict[str, object]
    found: dict[str, object] | None


@dataclass
class ExampleResult:
    """The outcome of one example of one rule."""

    rule: Tested
    example: Example
    found: list[Figure]
    index: int = 0  # the example's place among its rule's examples
    failures: list[str] = field(default_factory=list)
    mismatches: list[Mismatch] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failures

    @property
    def origin(self) -> str:
        """file:line of the example in its pack."""
        return self.rule.example_origin(self.index)

    @property
    def counter(self) -> bool:
        """A counter-example: text on which the rule must not act."""
        return not self.example.fires_for(self.rule.exclude)


def _same(expected: object, actual: object) -> bool:
    if isinstance(expected, Decimal) and isinstance(actual, Decimal):
        return math.isclose(float(expected), float(actual), rel_tol=1e-9, abs_tol=1e-12) or expected == actual
    return expected == actual


def describe(figure: Figure) -> str:
    """A figure in one short line: '834.9亿美元' money 83490000000 USD."""
    parts = [f"{figure.text!r}", figure.kind, str(figure.value), figure.unit]
    parts += [x for x in (figure.approx, figure.change) if x]
    if figure.per:
        parts.append(f"per {figure.per}")
    return " ".join(parts)


def _fields(figure: Figure, names: list[str]) -> dict[str, object]:
    return {name: getattr(figure, name) for name in names}


def _check(
    expected: ExpectedFigure, figures: list[Figure], start: int
) -> tuple[int | None, list[str], Mismatch | None]:
    """Index of the figure that answers ``expected`` (at or after ``start``) and what differs."""
    wanted = {name: getattr(expected, name) for name in CHECKED if name in expected.model_fields_set}
    if expected.text is not None:
        candidates = [i for i, f in enumerate(figures) if f.text == expected.text and i >= start]
        if not candidates:
            found = ", ".join(describe(f) for f in figures) or "none"
            return None, [f"no figure {expected.text!r} (found: {found})"], Mismatch(wanted, None)
        index = candidates[0]
    else:
        if start >= len(figures):
            return None, ["expected another figure, found none"], Mismatch(wanted, None)
        index = start
    figure = figures[index]
    diffs = [
        f"{figure.text!r}: {name} is {getattr(figure, name)!r}, expected {want!r}"
        for name, want in wanted.items()
        if not _same(want, getattr(figure, name))
    ]
    mismatch = Mismatch(wanted, _fields(figure, list(wanted))) if diffs else None
    return index, diffs, mismatch


def run_example(rule: Tested, example: Example, rs: RuleSet, index: int = 0) -> ExampleResult:
    """Run one example (the ``index``-th of its rule) through the whole ruleset and compare."""
    figures = extract_text(example.text, doc=f"<example of {rule.id}>", ruleset=rs)
    result = ExampleResult(rule, example, figures, index)
    if not example.figures and figures:
        result.failures.append("expected no figure, found " + ", ".join(describe(f) for f in figures))
        result.mismatches.extend(Mismatch({}, _fields(f, ["text", "kind", "value", "unit"])) for f in figures)
    position = 0
    for expected in example.figures:
        found_at, diffs, mismatch = _check(expected, figures, position)
        result.failures.extend(diffs)
        if mismatch is not None:
            result.mismatches.append(mismatch)
        if found_at is not None:
            position = found_at + 1
    fires = example.fires_for(rule.exclude)
    if isinstance(rule, UnitEntry):
        acted = any(f.unit == rule.unit and any(form in f.text for form in rule.forms) for f in figures)
    elif rule.exclude:
        acted = rule.pattern.search(example.text) is not None
    else:
        acted = any(f.rule == rule.id and f.pack == rule.pack for f in figures)
    name = rule.id if isinstance(rule, UnitEntry) else f"rule {rule.id}"
    if fires and not acted:
        what = "does not match the text" if rule.exclude else "yields none of the figures found"
        result.failures.append(f"{name} {what}: this example does not test it")
    elif acted and not fires and not (rule.exclude and example.figures):
        # An exclusion's counter-example with figures shows them spared; it may clear other text.
        what = "matches the text" if rule.exclude else "yields a figure"
        result.failures.append(f"{name} {what} in its counter-example")
    return result


def missing_examples(rule: CompiledRule) -> list[str]:
    """What a rule lacks of the one example and one counter-example every rule carries."""
    roles = {example.fires_for(rule.exclude) for example in rule.examples}
    lacks = []
    if True not in roles:
        lacks.append(
            "an example (" + ("text it clears" if rule.exclude else "text it yields a figure from") + ")"
        )
    if False not in roles:
        lacks.append(
            "a counter-example ("
            + ("a figure it spares" if rule.exclude else "text it must leave alone")
            + ")"
        )
    return lacks


def run_examples(rs: RuleSet, rules: Sequence[Tested] | None = None) -> list[ExampleResult]:
    """Every example of ``rules`` (default: every rule, figure rules and exclusions, then the units
    that carry examples), in order."""
    chosen: Sequence[Tested] = [*rs.all_rules, *rs.provenance.units_with_examples] if rules is None else rules
    return [
        run_example(rule, example, rs, index)
        for rule in chosen
        for index, example in enumerate(rule.examples)
    ]


@dataclass
class ContextResult:
    """The outcome of one ``context_fields`` example: what its figure got that the example does not."""

    example: ContextExample
    origin: str  # file:line of the example in its pack
    failures: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failures


def _pack_file(origin: str) -> Path:
    """The pack file of a ``file:line`` origin."""
    head, _, tail = origin.rpartition(":")
    return Path(head if head and tail.isdigit() else origin)


def run_context_example(example: ContextExample, origin: str, rs: RuleSet) -> ContextResult:
    """Run one ``context_fields`` example through the whole ruleset and compare the fields it gives."""
    result = ContextResult(example, origin)
    figures = extract_text(example.text, doc="<context example>", ruleset=rs)
    named = [f for f in figures if f.text == example.figure]
    given = [name for name in CONTEXT_CHECKED if name in example.model_fields_set]
    if not given:
        result.failures.append("the example checks no field (give metric, subject, period or basis)")
    if not named:
        found = ", ".join(describe(f) for f in figures) or "none"
        result.failures.append(f"no figure {example.figure!r} (found: {found})")
        return result
    figure = named[0]
    result.failures.extend(
        f"{example.figure!r}: {name} is {getattr(figure, name)!r}, expected {getattr(example, name)!r}"
        for name in given
        if getattr(figure, name) != getattr(example, name)
    )
    return result


def run_context_examples(rs: RuleSet, files: set[Path] | None = None) -> list[ContextResult]:
    """Every ``context_fields`` example of the packs (of those ``files`` only, when given), in order."""
    return [
        run_context_example(example, origin, rs)
        for origin, example in rs.patterns.context_cues.examples
        if files is None or _pack_file(origin).resolve() in files
    ]


@dataclass
class ExampleReport:
    """What ``factx rules test`` found: each example's result, rules lacking an example, and the
    result of each ``context_fields`` example."""

    results: list[ExampleResult]
    missing: list[tuple[CompiledRule, list[str]]]
    context: list[ContextResult] = field(default_factory=list)

    @property
    def failed(self) -> list[ExampleResult]:
        return [r for r in self.results if not r.ok]

    @property
    def context_failed(self) -> list[ContextResult]:
        return [r for r in self.context if not r.ok]

    @property
    def ok(self) -> bool:
        return not self.failed and not self.missing and not self.context_failed


def run_rule_tests(rs: RuleSet, files: Iterable[Path] | None = None) -> ExampleReport:
    """Run the examples of the rules defined in pack ``files`` (default: every rule) and check that
    each of those rules has an example and a counter-example; run those files' context examples too."""
    wanted = None if files is None else {Path(f).resolve() for f in files}
    rules = [
        r
        for r in rs.all_rules
        if wanted is None or (r.sourced is not None and r.sourced.path.resolve() in wanted)
    ]
    units = [
        u
        for u in rs.provenance.units_with_examples
        if wanted is None or (u.source is not None and u.source.path.resolve() in wanted)
    ]
    missing = [(rule, lacks) for rule in rules if (lacks := missing_examples(rule))]
    return ExampleReport(run_examples(rs, [*rules, *units]), missing, run_context_examples(rs, wanted))

"""Helpers shared by the table-driven figure tests: locating an anchor, showing figures, comparing values,
checking a case's expected figure (``Exp``, ``check_figure``) or its absence (``assert_not_a_figure``),
a traditional sentence against its simplified twin (``assert_same_records``), and reading long hostile
runs in one child process under a hang guard (``LongRun``, ``read_long_runs``, ``assert_long_run``)."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass, fields
from decimal import Decimal
from fractions import Fraction
from typing import Any

import pytest

import factx

REL_TOL = Fraction(1, 10**9)


def show(figs: list[factx.Figure]) -> str:
    """Figures as one line each field a test may compare, for assertion messages."""
    return (
        "; ".join(
            f"{f.text!r} kind={f.kind} value={f.value} high={f.value_high} unit={f.unit} "
            f"approx={f.approx} change={f.change} cls={f.classifier} per={f.per}"
            for f in figs
        )
        or "no figures"
    )


def span(sentence: str, anchor: str) -> tuple[int, int]:
    """Where ``anchor`` stands in ``sentence`` (it must stand there once)."""
    assert sentence.count(anchor) == 1, f"test bug: anchor {anchor!r} must occur once in {sentence!r}"
    start = sentence.index(anchor)
    return start, start + len(anchor)


def overlapping(figs: list[factx.Figure], start: int, end: int) -> list[factx.Figure]:
    """The figures that overlap [start, end)."""
    return [f for f in figs if f.start < end and start < f.end]


def value_ok(got: Decimal | None, want: str | Fraction | None) -> bool:
    """Exact Decimal equality; a Fraction (a non-terminating value) within a 1e-9 relative tolerance."""
    if want is None or got is None:
        return got is None and want is None
    if not isinstance(got, Decimal):
        return False
    if isinstance(want, Fraction):
        return abs(Fraction(got) - want) <= REL_TOL * abs(want)
    return got == Decimal(want)


def assert_not_a_figure(sentence: str, anchor: str, forbidden: dict[str, str] | None) -> None:
    """With ``forbidden`` None, no figure may overlap ``anchor``; else no overlapping figure may have
    all those fields (a "value" is compared as a Decimal)."""
    start, end = span(sentence, anchor)
    figs = factx.extract_text(sentence)
    hits = overlapping(figs, start, end)
    if forbidden is None:
        assert hits == [], f"no figure may overlap {anchor!r}; got: {show(hits)}"
        return
    for fig in hits:
        same = all(
            (fig.value == Decimal(want)) if key == "value" else (getattr(fig, key) == want)
            for key, want in forbidden.items()
        )
        assert not same, f"{anchor!r} must not give {forbidden}; got: {show([fig])}"


class _Any:
    """A field a sentence leaves open (the change of 收涨, 下调): not compared."""

    def __repr__(self) -> str:
        return "ANY"


ANY = _Any()


@dataclass(frozen=True)
class Exp:
    """The figure a case expects. Every field other than kind, value and unit is compared only when it is
    given (None included): a table's constructors say which fields its cases pin."""

    kind: str
    value: str | Fraction
    unit: str
    value_high: str | Fraction | None | _Any = ANY
    approx: str | None | _Any = ANY
    change: str | None | _Any = ANY
    per: str | None | _Any = ANY
    classifier: str | None | _Any = ANY


class Expect:
    """A table's constructors of ``Exp``: the fields given here are pinned on every case (usually to None:
    "no approximation, no change, no rate") unless a case gives its own; the others stay open (ANY).
    A count pins its classifier, whatever the table pins."""

    def __init__(self, **pinned: Any) -> None:
        self.pinned = pinned

    def of(self, kind: str, value: str | Fraction, unit: str, **kw: Any) -> Exp:
        """An expected figure of any kind, with this table's pinned fields."""
        return Exp(kind, value, unit, **(self.pinned | kw))

    def money(self, value: str | Fraction, unit: str = "CNY", **kw: Any) -> Exp:
        """Money in ``unit`` (an ISO 4217 code)."""
        return self.of("money", value, unit, **kw)

    def count(self, value: str, classifier: str | None, **kw: Any) -> Exp:
        """A count with its measure word (None: none written)."""
        return self.of("count", value, "count", classifier=classifier, **kw)

    def pct(self, value: str | Fraction, **kw: Any) -> Exp:
        """A percent."""
        return self.of("percent", value, "%", **kw)

    def pp(self, value: str, **kw: Any) -> Exp:
        """Percentage points."""
        return self.of("percentage_point", value, "pp", **kw)

    def mult(self, value: str, **kw: Any) -> Exp:
        """A multiple (倍)."""
        return self.of("multiple", value, "x", **kw)

    def measure(self, value: str | Fraction, unit: str, **kw: Any) -> Exp:
        """A measure in the contract's base ``unit``."""
        return self.of("measure", value, unit, **kw)


_VALUES = ("value", "value_high")


def check_figure(sentence: str, anchor: str, exp: Exp, *, whole: bool) -> factx.Figure:
    """Exactly one figure overlaps ``anchor``, and it has every field ``exp`` gives (values through
    ``value_ok``). With ``whole`` the figure's text is the anchor itself; else it covers the anchor."""
    start, end = span(sentence, anchor)
    figs = factx.extract_text(sentence)
    hits = overlapping(figs, start, end)
    assert len(hits) == 1, f"want one figure over {anchor!r}; got: {show(figs)}"
    fig = hits[0]
    assert fig.text == sentence[fig.start : fig.end]
    if whole:
        assert fig.text == anchor, f"want the figure {anchor!r}; got {show([fig])}"
    else:
        assert fig.start <= start and end <= fig.end, f"{fig.text!r} does not cover {anchor!r}"
    got: dict[str, object] = {}
    want: dict[str, object] = {}
    for field in fields(exp):
        expected = getattr(exp, field.name)
        if expected is ANY:
            continue
        if field.name in _VALUES:
            got[field.name], want[field.name] = value_ok(getattr(fig, field.name), expected), True
        else:
            got[field.name], want[field.name] = getattr(fig, field.name), expected
    assert got == want, f"want {exp}; got {show([fig])}"
    return fig


@dataclass(frozen=True)
class LongRun:
    """A long hostile document ``head + run * times + tail`` and every figure it holds as (text, value)."""

    name: str
    head: str
    run: str
    times: int
    tail: str
    figures: list[tuple[str, str]]


_LONG_RUN_CHILD = """
import json, sys
import factx
context, cases = json.loads(sys.stdin.read())
options = None if context else factx.ScanOptions(context=False)
for case in cases:
    print(case["name"], file=sys.stderr, flush=True)  # the case running, should the guard stop it
    doc = case["head"] + case["run"] * case["times"] + case["tail"]
    figs = factx.extract_text(doc, options=options)
    print(json.dumps([case["name"], [[f.text, str(f.value)] for f in figs]], ensure_ascii=False), flush=True)
"""


def run_guarded_child(code: str, payload: object, hang_guard_s: int) -> list[Any]:
    """Run ``code`` in one child Python with ``payload`` as JSON on its standard input, and return
    the JSON lines it prints. The child names on standard error each case it starts, so that when the
    hang guard (a guard against a hang, not a timing) stops it, the test fails naming that case."""
    try:
        proc = subprocess.run(
            [sys.executable, "-c", code],
            input=json.dumps(payload, ensure_ascii=False),
            capture_output=True,
            text=True,
            encoding="utf-8",
            timeout=hang_guard_s,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        started = exc.stderr.decode() if isinstance(exc.stderr, bytes) else (exc.stderr or "")
        running = started.strip().splitlines()[-1] if started.strip() else "?"
        pytest.fail(f"extraction still running after {hang_guard_s} s, on the case {running!r}")
    assert proc.returncode == 0, proc.stderr
    return [json.loads(line) for line in proc.stdout.splitlines()]


def read_long_runs(runs: list[LongRun], hang_guard_s: int, *, context: bool) -> dict[str, list[list[str]]]:
    """Every run extracted in one child process (one start-up, one hang guard), as
    name -> [[text, value], ...]. ``context`` False leaves the context stage off, to test the figure
    patterns alone."""
    cases = [{k: getattr(r, k) for k in ("name", "head", "run", "times", "tail")} for r in runs]
    return {name: figs for name, figs in run_guarded_child(_LONG_RUN_CHILD, [context, cases], hang_guard_s)}


def assert_long_run(run: LongRun, got: list[list[str]]) -> None:
    """The figures read from ``run`` are its figures, texts in order and values as exact decimals."""
    assert [(text, Decimal(value)) for text, value in got] == [
        (text, Decimal(value)) for text, value in run.figures
    ], run.name


def assert_same_records(
    traditional: str, simplified: str, record: Callable[[factx.Figure], tuple[object, ...]]
) -> None:
    """A traditional sentence gives the records its simplified twin gives (some, not none), each figure
    seen through ``record`` (the fields a table compares; offsets differ between the scripts' texts)."""
    simp = [record(f) for f in factx.extract_text(simplified)]
    assert simp, f"no figures in {simplified!r}"
    assert [record(f) for f in factx.extract_text(traditional)] == simp

"""Helpers shared by the table-driven figure tests: locating an anchor, showing figures, comparing values."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

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

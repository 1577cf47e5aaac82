"""Every built-in rule's examples hold, and every rule has at least one example and one counter-example."""

from __future__ import annotations

import pytest

from factx.extract import default_ruleset
from factx.packs.examples import run_example

RS = default_ruleset()
CASES = [(rule, example) for rule in RS.all_rules for example in rule.examples]


@pytest.mark.parametrize(("rule", "example"), CASES, ids=[f"{r.id}:{e.text[:16]}" for r, e in CASES])
def test_example(rule, example):
    result = run_example(rule, example, RS)
    assert result.ok, "\n".join(result.failures)


@pytest.mark.parametrize("rule", RS.all_rules, ids=[r.id for r in RS.all_rules])
def test_rule_has_example_and_counter_example(rule):
    kinds = {bool(e.figures) for e in rule.examples}
    if rule.exclude:
        # A not-a-figure rule's counter-example is text it must clear; its example shows a figure it spares.
        assert False in kinds, f"{rule.id} ({rule.origin}) has no text that it clears of figures"
    else:
        assert kinds == {True, False}, (
            f"{rule.id} ({rule.origin}) needs at least one example and one counter-example"
        )

"""Every built-in rule's examples hold, and every rule has at least one example and one counter-example."""

from __future__ import annotations

import pytest

from factx.extract import default_ruleset
from factx.packs.examples import missing_examples, run_example

RS = default_ruleset()
CASES = [(rule, example) for rule in RS.all_rules for example in rule.examples]


@pytest.mark.parametrize(("rule", "example"), CASES, ids=[f"{r.id}:{e.text[:16]}" for r, e in CASES])
def test_example(rule, example):
    result = run_example(rule, example, RS)
    assert result.ok, "\n".join(result.failures)


@pytest.mark.parametrize("rule", RS.all_rules, ids=[r.id for r in RS.all_rules])
def test_rule_has_example_and_counter_example(rule):
    assert not missing_examples(rule), (
        f"{rule.id} ({rule.origin}) lacks {' and '.join(missing_examples(rule))}"
    )

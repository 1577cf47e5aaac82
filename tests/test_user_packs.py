"""A user rule pack changes what `factx extract` finds, with no code change: examples/packs/finance.yaml.

The same finance paragraph is extracted without and with the pack (by --rules and by FACTX_RULES),
and the pack's own examples hold while it is loaded, beside every built-in rule's.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from typer.testing import CliRunner

from factx.cli import app
from factx.packs.examples import missing_examples, run_example, run_examples
from factx.packs.loader import load_ruleset
from factx.packs.models import Example
from factx.packs.ruleset import CompiledRule

REPO = Path(__file__).resolve().parent.parent
FINANCE = REPO / "examples" / "packs" / "finance.yaml"
PACK_NAME = "examples.finance"

PARAGRAPH = (
    "公司拟回购500万股，当日成交1200手。央行利率下调25bps。"
    "公司市盈率25.3，市净率1.2倍。基本每股收益为1.23元/股，拟每10股派3元（含税）。\n"
)

runner = CliRunner()


@pytest.fixture(autouse=True)
def _no_env_packs(monkeypatch: pytest.MonkeyPatch) -> None:
    """Packs named by FACTX_RULES in the caller's environment must not change what is tested."""
    monkeypatch.delenv("FACTX_RULES", raising=False)


@pytest.fixture
def doc(tmp_path: Path) -> Path:
    path = tmp_path / "announcement.txt"
    path.write_text(PARAGRAPH, encoding="utf-8")
    return path


def by_text(stdout: str) -> dict[str, dict]:
    """Records of a JSONL output, keyed by the figure's text (each text occurs once here)."""
    recs = [json.loads(line) for line in stdout.splitlines()]
    assert len({r["text"] for r in recs}) == len(recs), recs
    for rec in recs:
        assert PARAGRAPH[rec["start"] : rec["end"]] == rec["text"], rec
    return {r["text"]: r for r in recs}


def extract(*args: str) -> dict[str, dict]:
    result = runner.invoke(app, ["extract", *args])
    assert result.exit_code == 0, result.output
    return by_text(result.stdout)


def fields(rec: dict, *names: str) -> tuple:
    return tuple(Decimal(str(rec[n])) if n == "value" else rec[n] for n in names)


def test_finance_pack_changes_what_extract_finds(doc: Path) -> None:
    plain = extract(str(doc))
    packed = extract(str(doc), "--rules", str(FINANCE))

    # 500万股: a count with the measure word 股 without the pack; shares (unit "share") with it.
    assert fields(plain["500万股"], "kind", "value", "unit", "classifier") == (
        "count",
        Decimal(5000000),
        "count",
        "股",
    )
    assert "500万" not in packed
    assert fields(packed["500万股"], "kind", "value", "unit", "classifier") == (
        "count",
        Decimal(5000000),
        "share",
        "股",
    )

    # 1200手: nothing without the pack; 1200 lots of 100 shares with it.
    assert "1200手" not in plain
    assert fields(packed["1200手"], "kind", "value", "unit", "classifier") == (
        "count",
        Decimal(120000),
        "share",
        "手",
    )

    # 25bps: a data rate (bits per second) without the pack; basis points, a fall, with it.
    assert fields(plain["25bps"], "kind", "value", "unit") == ("measure", Decimal("3.125"), "B/s")
    assert fields(packed["25bps"], "kind", "value", "unit", "change") == (
        "percentage_point",
        Decimal("0.25"),
        "pp",
        "decrease",
    )

    # 市盈率25.3 (no 倍): missed without the pack; a P/E ratio with it. 市净率1.2倍: a plain
    # multiple without the pack; a P/B ratio with it, same span and value.
    assert "25.3" not in plain
    assert fields(packed["25.3"], "kind", "value", "unit", "pack", "rule") == (
        "pe_ratio",
        Decimal("25.3"),
        "x",
        PACK_NAME,
        "finance.pe_ratio",
    )
    assert fields(plain["1.2倍"], "kind", "value", "unit") == ("multiple", Decimal("1.2"), "x")
    assert fields(packed["1.2倍"], "kind", "value", "unit") == ("pb_ratio", Decimal("1.2"), "x")

    # 元/股 after the amount belongs to the per-share figure with the pack.
    assert fields(plain["每股收益为1.23元"], "value", "unit", "per") == (Decimal("1.23"), "CNY", "share")
    assert fields(packed["每股收益为1.23元/股"], "value", "unit", "per") == (Decimal("1.23"), "CNY", "share")

    # 每10股派3元: 3 CNY with no denominator without the pack; 0.3 CNY per share with it.
    assert fields(plain["3元"], "value", "unit", "per") == (Decimal(3), "CNY", None)
    assert fields(packed["每10股派3元（含税）"], "kind", "value", "unit", "per") == (
        "money",
        Decimal("0.3"),
        "CNY",
        "share",
    )
    assert "3元" not in packed and "10股" not in packed


def test_finance_pack_keeps_the_words_that_only_contain_its_units(tmp_path: Path) -> None:
    text = "股东大会通过后股市回暖，一股力量汇聚。他用手机办理手续，二手房成交活跃，一手抓改革。\n"
    path = tmp_path / "words.txt"
    path.write_text(text, encoding="utf-8")
    result = runner.invoke(app, ["extract", str(path), "--rules", str(FINANCE)])
    assert result.exit_code == 0, result.output
    assert result.stdout == ""


def test_finance_pack_loads_from_the_environment_variable(doc: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "FACTX_RULES"}

    def run(*args: str, **extra: str) -> subprocess.CompletedProcess[bytes]:
        return subprocess.run(
            [sys.executable, "-m", "factx", "extract", str(doc), *args],
            capture_output=True,
            env={**env, **extra},
            timeout=120,
        )

    plain = run()
    by_option = run("--rules", str(FINANCE))
    by_env = run(FACTX_RULES=str(FINANCE))
    assert plain.returncode == by_option.returncode == by_env.returncode == 0, by_env.stderr
    assert by_env.stdout == by_option.stdout != plain.stdout
    packed = by_text(by_env.stdout.decode("utf-8"))
    assert fields(packed["1200手"], "value", "unit") == (Decimal(120000), "share")
    assert packed["25.3"]["pack"] == PACK_NAME


# --- the pack's own examples, and the built-in ones beside it -----------------------------------

RS = load_ruleset([FINANCE], use_env=False)
FINANCE_RULES = [rule for rule in RS.all_rules if rule.pack == PACK_NAME]
CASES = [(rule, example) for rule in FINANCE_RULES for example in rule.examples]


def test_the_pack_defines_rules() -> None:
    assert {r.id for r in FINANCE_RULES} >= {
        "finance.pe_ratio",
        "finance.pb_ratio",
        "finance.per_share",
        "finance.per_ten_shares",
        "finance.futures_lots",
    }


@pytest.mark.parametrize(("rule", "example"), CASES, ids=[f"{r.id}:{e.text[:16]}" for r, e in CASES])
def test_finance_example(rule: CompiledRule, example: Example) -> None:
    result = run_example(rule, example, RS)
    assert result.ok, "\n".join(result.failures)


@pytest.mark.parametrize("rule", FINANCE_RULES, ids=[r.id for r in FINANCE_RULES])
def test_finance_rule_has_example_and_counter_example(rule: CompiledRule) -> None:
    lacks = missing_examples(rule)
    assert not lacks, f"{rule.id} ({rule.origin}) lacks {' and '.join(lacks)}"


def test_the_pack_breaks_no_built_in_example() -> None:
    builtin = [rule for rule in RS.all_rules if rule.pack != PACK_NAME]
    failed = [r for r in run_examples(RS, builtin) if not r.ok]
    assert not failed, "\n".join(f"{r.rule.id}: {r.example.text}: {r.failures}" for r in failed)

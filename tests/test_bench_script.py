"""The pure parts of scripts/bench.py: the floor verdicts of issue 13 and what the bare loop counts.

In: the functions and the bare-loop program of ``scripts/bench.py`` (loaded from its path, as scripts/
is not a package). Out: nothing; no timing is asserted here (the benchmark itself reports timings).
"""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _load_bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench", ROOT / "scripts" / "bench.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench"] = module  # its dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


bench = _load_bench()


@pytest.mark.parametrize(
    ("value", "op", "limit", "expected"),
    [
        # at least: the limit itself passes
        (2_500_000, ">=", 2_500_000, True),
        (2_499_999.9, ">=", 2_500_000, False),
        (1.8, ">=", 1.8, True),
        (1.79, ">=", 1.8, False),
        # at most
        (0.3, "<=", 0.3, True),
        (0.31, "<=", 0.3, False),
        (8.0, "<=", 8, True),
        (300.1, "<=", 300, False),
        # not measured
        (None, ">=", 1.8, None),
    ],
)
def test_verdict(value: float | None, op: str, limit: float, expected: bool | None) -> None:
    assert bench.verdict(value, op, limit) is expected


def test_verdict_rejects_an_unknown_comparison() -> None:
    with pytest.raises(ValueError, match="unknown comparison"):
        bench.verdict(1.0, ">", 0.5)


def test_floors_of_a_run_that_meets_all_but_the_speedup() -> None:
    measured = {
        "chars_per_s": 2_600_000.0,
        "ratio_to_bare_loop": 7.5,
        "peak_rss_mb": 120.4,
        "startup_extract_s": 0.29,
        "startup_help_s": 0.3,
        "jobs2_speedup": 1.6,
    }
    floors = bench.judge(measured, bench.FLOORS, ("PASS", "BELOW"))
    assert {name: f["verdict"] for name, f in floors.items()} == {
        "chars_per_s": "PASS",
        "ratio_to_bare_loop": "PASS",
        "peak_rss_mb": "PASS",
        "startup_extract_s": "PASS",
        "startup_help_s": "PASS",
        "jobs2_speedup": "BELOW",
    }
    assert floors["jobs2_speedup"] == {"value": 1.6, "op": ">=", "limit": 1.8, "verdict": "BELOW"}
    assert bench.all_pass(floors) == "BELOW"
    measured["jobs2_speedup"] = 1.85
    assert bench.all_pass(bench.judge(measured, bench.FLOORS, ("PASS", "BELOW"))) == "PASS"
    goals = bench.judge(measured, bench.GOALS, ("MET", "NOT YET"))
    assert [g["verdict"] for g in goals.values()] == ["NOT YET", "NOT YET"]


def test_a_missing_measurement_is_not_a_pass() -> None:
    floors = bench.judge({"chars_per_s": 9_000_000.0}, bench.FLOORS, ("PASS", "BELOW"))
    assert floors["chars_per_s"]["verdict"] == "PASS"
    assert floors["startup_help_s"]["verdict"] == "n/a"
    assert bench.all_pass(floors) == "BELOW"
    assert bench.all_pass({}) == "BELOW"


@pytest.mark.parametrize(
    ("numerator", "denominator", "expected"),
    [(16.0, 2.0, 8.0), (2.0, 3.0, 0.67), (1.0, 0.0, 1_000_000.0)],
)
def test_ratio(numerator: float, denominator: float, expected: float) -> None:
    assert bench.ratio(numerator, denominator) == expected


def test_the_bare_loop_decodes_every_file_and_counts_plain_numbers(tmp_path: Path) -> None:
    first = tmp_path / "a.txt"
    second = tmp_path / "b.txt"
    first.write_text("营收834.9亿元，同比增长4.4%。\n", encoding="utf-8")
    second.write_text("员工12,000人，二〇二四年\n", encoding="utf-8")  # 12 and 000: a comma splits them
    proc = subprocess.run(
        [sys.executable, "-c", bench.BARE_LOOP_CODE, str(first), str(second)],
        capture_output=True,
        check=True,
    )
    counted = json.loads(proc.stdout)
    chars = len(first.read_text(encoding="utf-8")) + len(second.read_text(encoding="utf-8"))
    assert counted == {"chars": chars, "matches": 4}


def test_the_ceiling_runs_the_patterns_and_revalidates_every_record_of_a_run(tmp_path: Path) -> None:
    doc = tmp_path / "a.txt"
    doc.write_text("营收834.9亿元，同比增长4.4%。员工1.2万人，约占三成。\n", encoding="utf-8")
    records = tmp_path / "out.jsonl"
    subprocess.run([sys.executable, "-m", "factx", "extract", "-q", str(doc), "-o", str(records)], check=True)
    lines = records.read_bytes().splitlines()
    proc = subprocess.run(
        [sys.executable, "-c", bench.CEILING_CODE, str(records), str(doc)], capture_output=True, check=True
    )
    measured = json.loads(proc.stdout)
    assert measured["records"] == len(lines) == 4  # 834.9亿元 4.4% 1.2万人 三成
    # Every figure comes from a match of some rule; exclusions and rules that lose an overlap add more.
    assert measured["matches"] >= len(lines)
    assert measured["patterns_s"] > 0 and measured["records_s"] > 0

"""``factx stats``: figures per kind, unit, metric and document, counted from a run as it streams by.

The seeds are extracted for real (``factx extract``) and every count is checked against a direct count
of the records written; runs with context fields, runs written before them, bad lines and a large
generated run are written here from the seeds' own records.
"""

from __future__ import annotations

import json
import tracemalloc
from collections import Counter
from decimal import Decimal
from pathlib import Path
from typing import Any

import orjson
import pytest
import typer
from typer.testing import CliRunner, Result

from factx.cli import app as factx_app
from factx.cli_stats import register
from factx.stats import TABLES, RunError, RunStats, TableName, run_stats

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO / "seeds"
CONTEXT = ("metric", "subject", "period", "basis")

runner = CliRunner()
stats_app = typer.Typer()


@stats_app.callback()
def _factx() -> None:
    """Stands for the factx app, so that the command is called as `stats`, as in `factx stats`."""


register(stats_app)


@pytest.fixture(autouse=True)
def _plain_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """Packs named by FACTX_RULES must not change what is extracted, nor COLUMNS the width of a pipe."""
    monkeypatch.delenv("FACTX_RULES", raising=False)
    monkeypatch.delenv("COLUMNS", raising=False)


@pytest.fixture(scope="module")
def seeds_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seeds, extracted by ``factx extract`` as a user would."""
    out = tmp_path_factory.mktemp("run") / "seeds.jsonl"
    result = runner.invoke(factx_app, ["extract", str(SEEDS), "-o", str(out), "-q"])
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture(scope="module")
def records(seeds_run: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in seeds_run.read_text(encoding="utf-8").splitlines()]


def write_run(path: Path, records: list[dict[str, Any]]) -> Path:
    path.write_bytes(b"".join(orjson.dumps(r) + b"\n" for r in records))
    return path


def stats(*args: object, stdin: bytes | None = None) -> Result:
    return runner.invoke(stats_app, ["stats", *map(str, args)], input=stdin)


def stats_json(*args: object, stdin: bytes | None = None) -> dict[str, Any]:
    result = stats(*args, "--json", stdin=stdin)
    assert result.exit_code == 0, result.output
    assert result.stdout.count("\n") == 1, "one JSON object, one line"
    loaded: dict[str, Any] = json.loads(result.stdout)
    return loaded


def ordered(counter: Counter[Any]) -> list[tuple[Any, int]]:
    """The order the tables promise: most figures first, ties by name."""
    return sorted(counter.items(), key=lambda item: (-item[1], item[0]))


# --- the seeds, counted --------------------------------------------------------------------------


def test_seed_counts_are_the_records_counts(seeds_run: Path, records: list[dict[str, Any]]) -> None:
    counted = run_stats([seeds_run])
    assert counted.figures == len(records) > 0
    assert counted.kinds == Counter(r["kind"] for r in records)
    assert counted.units == Counter((r["kind"], r["unit"]) for r in records)
    assert counted.docs == Counter(r["doc"] for r in records)
    # every seed holds figures, so every seed is a document of the run
    assert counted.documents == len(list(SEEDS.glob("*.txt")))
    assert sum(counted.kinds.values()) == sum(counted.units.values()) == counted.figures
    assert sum(counted.docs.values()) == counted.figures


def test_seed_money_and_top_unit(seeds_run: Path, records: list[dict[str, Any]]) -> None:
    counted = run_stats([seeds_run])
    money = sum(1 for r in records if r["kind"] == "money")
    assert money > 0
    assert counted.kinds["money"] == money
    # money in each currency the records name, and nothing else
    currencies = Counter(r["unit"] for r in records if r["kind"] == "money")
    assert {unit: n for (kind, unit), n in counted.units.items() if kind == "money"} == currencies
    top_unit = ordered(Counter((r["kind"], r["unit"]) for r in records))[0]
    first = counted.table("unit").rows[0]
    assert (first.key, first.figures) == top_unit


@pytest.mark.parametrize("name", TABLES)
@pytest.mark.parametrize("top", [1, 3, 20, 0])
def test_tables_are_ordered_and_add_up(seeds_run: Path, name: TableName, top: int) -> None:
    counted = run_stats([seeds_run])
    table = counted.table(name, top)
    pairs = [(row.key, row.figures) for row in table.rows]
    assert pairs == sorted(pairs, key=lambda p: (-p[1], p[0]))
    assert len(table.rows) == (min(top, table.distinct) if top else table.distinct)
    assert table.rows_left_off == table.distinct - len(table.rows)
    shown = sum(row.figures for row in table.rows)
    assert shown + table.figures_left_off + table.figures_without == counted.figures


def test_several_runs_add_up(seeds_run: Path, records: list[dict[str, Any]]) -> None:
    twice = run_stats([seeds_run, seeds_run])
    assert twice.figures == 2 * len(records)
    assert twice.documents == len({r["doc"] for r in records})
    assert twice.kinds == Counter({k: 2 * n for k, n in Counter(r["kind"] for r in records).items()})
    assert twice.runs == [str(seeds_run), str(seeds_run)]


# --- context fields: set, empty, absent ----------------------------------------------------------


def with_context(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The seed records with a metric made from their sentence's first two characters (an empty one
    for every fifth record) and a subject for every third: the shape the context stage will write."""
    out = []
    for n, r in enumerate(records):
        out.append(
            r | {"metric": "" if n % 5 == 0 else r["sentence"][:2], "subject": "甲" if n % 3 == 0 else None}
        )
    return out


def test_metrics_are_counted(tmp_path: Path, records: list[dict[str, Any]]) -> None:
    marked = with_context(records)
    counted = run_stats([write_run(tmp_path / "ctx.jsonl", marked)])
    metrics = Counter(r["metric"] for r in marked if r["metric"])
    assert counted.metrics == metrics
    assert counted.distinct_metrics == len(metrics) > 1
    assert counted.without_metric == sum(1 for r in marked if not r["metric"])
    assert counted.context["subject"] == sum(1 for r in marked if r["subject"])
    for name in ("period", "basis"):
        assert counted.context[name] == sum(1 for r in marked if r[name])
    table = counted.table("metric", 5)
    assert [(row.key[0], row.figures) for row in table.rows] == ordered(metrics)[:5]
    assert counted.context_share("subject") == (
        Decimal(counted.context["subject"]) / Decimal(len(records))
    ).quantize(Decimal("0.0001"))


def test_old_runs_without_context_fields(tmp_path: Path, records: list[dict[str, Any]]) -> None:
    old = [{k: v for k, v in r.items() if not k.startswith(CONTEXT)} for r in records]
    assert not any("metric" in r for r in old)
    counted = run_stats([write_run(tmp_path / "old.jsonl", old)])
    assert counted.kinds == Counter(r["kind"] for r in records)
    assert counted.without_metric == counted.figures == len(records)
    assert all(counted.context[name] == 0 for name in CONTEXT)
    out = stats_json(tmp_path / "old.jsonl")
    assert out["context"] == {name: {"figures": 0, "share": 0.0} for name in CONTEXT}
    assert out["tables"]["metric"] == {
        "distinct": 0,
        "rows": [],
        "rows_left_off": 0,
        "figures_left_off": 0,
        "figures_without": len(records),
    }


# --- JSON ----------------------------------------------------------------------------------------


def test_json_schema_and_key_order(tmp_path: Path, records: list[dict[str, Any]]) -> None:
    run = write_run(tmp_path / "ctx.jsonl", with_context(records))
    out = stats_json(run, "--top", 3)
    assert list(out) == ["runs", "figures", "documents", "metrics", "context", "tables"]
    assert out["runs"] == [str(run)]
    assert list(out["context"]) == list(CONTEXT)
    assert list(out["tables"]) == list(TABLES)
    counted = run_stats([run])
    for name, table in out["tables"].items():
        keys = {"kind": ["kind"], "unit": ["kind", "unit"], "metric": ["metric"], "doc": ["doc"]}[name]
        extra = ["figures_without"] if name == "metric" else []
        assert list(table) == ["distinct", "rows", "rows_left_off", "figures_left_off", *extra]
        assert len(table["rows"]) == min(3, table["distinct"])
        for row in table["rows"]:
            assert list(row) == [*keys, "figures", "share"]
            # a share is a fraction with at most 4 decimal places, written without float noise
            assert Decimal(repr(row["share"])) == (Decimal(row["figures"]) / counted.figures).quantize(
                Decimal("0.0001")
            )
        expected = counted.table(name, 3)
        assert [tuple(row[k] for k in keys) for row in table["rows"]] == [row.key for row in expected.rows]


def test_json_by_keeps_the_fixed_order(seeds_run: Path) -> None:
    out = stats_json(seeds_run, "--by", " doc, kind,doc")
    assert list(out["tables"]) == ["kind", "doc"]


def test_json_is_deterministic(seeds_run: Path) -> None:
    first, second = stats(seeds_run, "--json"), stats(seeds_run, "--json")
    assert first.exit_code == second.exit_code == 0
    assert first.stdout == second.stdout
    out = json.loads(first.stdout)
    assert out["figures"] == sum(row["figures"] for row in out["tables"]["kind"]["rows"])


def test_stdin(seeds_run: Path) -> None:
    from_file = stats_json(seeds_run, "--top", 0)
    for args in (["-"], []):
        piped = stats_json(*args, "--top", 0, stdin=seeds_run.read_bytes())
        assert piped["runs"] == ["<stdin>"]
        assert piped | {"runs": from_file["runs"]} == from_file


# --- tables for people ---------------------------------------------------------------------------


def test_table_output(seeds_run: Path, records: list[dict[str, Any]]) -> None:
    result = stats(seeds_run)
    assert result.exit_code == 0, result.output
    text = result.stdout
    assert "\x1b[" not in text, "no colour codes in a pipe"
    assert max(len(line) for line in text.splitlines()) <= 80
    documents = len({r["doc"] for r in records})
    metrics = {r["metric"] for r in records if r["metric"]}
    assert text.startswith(
        f"{len(records)} figures in {documents} documents, {len(metrics)} distinct metrics"
    )
    money = sum(1 for r in records if r["kind"] == "money")
    assert any(line.split()[:3] == ["money", "│", f"{money:,}"] for line in text.splitlines())
    for title in (
        "figures per kind",
        "figures per kind and unit",
        "figures per metric",
        "figures per document",
    ):
        assert f"\n{title}\n" in text
    top = Counter(r["metric"] for r in records if r["metric"]).most_common(1)[0]
    assert f"{top[0]} │ {top[1]} │" in " ".join(text.split())


def test_table_fits_80_columns_with_long_names(tmp_path: Path, records: list[dict[str, Any]]) -> None:
    long_doc = "reports/" + "年度报告/" * 20 + "附件.txt"
    run = write_run(
        tmp_path / "long.jsonl", [r | {"doc": long_doc, "metric": "意向成交额" * 10} for r in records]
    )
    result = stats(run, "--by", "metric,doc")
    assert result.exit_code == 0, result.output
    assert max(len(line) for line in result.stdout.splitlines()) <= 80
    # a long name is folded onto several lines, never cut
    assert (
        "".join(line.split("│")[0].strip() for line in result.stdout.splitlines() if "│" in line).count(
            "年度报告/" * 20
        )
        == 1
    )


def test_top_leaves_off_the_rest(seeds_run: Path) -> None:
    counted = run_stats([seeds_run])
    table = counted.table("unit", 2)
    result = stats(seeds_run, "--by", "unit", "--top", 2)
    assert result.exit_code == 0, result.output
    assert f"… {table.rows_left_off} more" in result.stdout
    assert "figures per kind\n" not in result.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--by", "kind,units"], "unknown table 'units'"),
        (["--by", ","], "(none given)"),
        (["--top", "-1"], "--top"),
    ],
)
def test_bad_options(seeds_run: Path, args: list[str], message: str) -> None:
    result = stats(seeds_run, *args)
    assert result.exit_code == 2
    assert message in result.output


# --- empty runs and errors -----------------------------------------------------------------------


@pytest.mark.parametrize("content", [b"", b"\n\n  \n"])
def test_empty_run(tmp_path: Path, content: bytes) -> None:
    run = tmp_path / "empty.jsonl"
    run.write_bytes(content)
    result = stats(run)
    assert result.exit_code == 0
    assert result.stdout == f"no figures in {run}\n"
    out = stats_json(run)
    assert (out["figures"], out["documents"], out["metrics"]) == (0, 0, 0)
    assert all(not table["rows"] for table in out["tables"].values())


def _without(record: dict[str, Any], name: str) -> dict[str, Any]:
    return {k: v for k, v in record.items() if k != name}


# (what the third line of a run becomes) → the cause named after RUN:3:
BAD_LINES = [
    (lambda r: b'{"id": "ab", "doc":', "not JSON"),
    (lambda r: b"[1, 2, 3]", "a record is a JSON object, not an array"),
    (lambda r: orjson.dumps(_without(r, "kind")), "not a figure record: no 'kind' field"),
    (lambda r: orjson.dumps(_without(r, "sentence")), "not a figure record: no 'sentence' field"),
    (lambda r: orjson.dumps(r | {"unit": None}), "'unit' is null, not a string"),
    (lambda r: orjson.dumps(r | {"metric": 42}), "'metric' is a number, not a string or null"),
    (lambda r: orjson.dumps(r | {"period": ["2024"]}), "'period' is an array, not a string or null"),
]


@pytest.mark.parametrize(("make", "cause"), BAD_LINES)
def test_bad_line_is_named(tmp_path: Path, records: list[dict[str, Any]], make: Any, cause: str) -> None:
    lines = [orjson.dumps(r) for r in records[:5]]
    lines[2] = make(records[2])
    run = tmp_path / "bad.jsonl"
    run.write_bytes(b"\n".join(lines) + b"\n")
    with pytest.raises(RunError) as raised:
        run_stats([run])
    assert (raised.value.source, raised.value.line) == (str(run), 3)
    result = stats(run)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith(f"error: {run}:3: {cause}")
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr


def test_bad_line_on_stdin(records: list[dict[str, Any]]) -> None:
    piped = orjson.dumps(records[0]) + b"\n" + orjson.dumps(_without(records[1], "unit")) + b"\n"
    result = stats("-", stdin=piped)
    assert result.exit_code == 2
    assert result.stderr == "error: <stdin>:2: not a figure record: no 'unit' field\n"


@pytest.mark.parametrize("missing_first", [True, False])
def test_unreadable_run(seeds_run: Path, tmp_path: Path, missing_first: bool) -> None:
    missing = tmp_path / "nothing.jsonl"
    runs = [missing, seeds_run] if missing_first else [seeds_run, missing]
    result = stats(*runs)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == f"error: {missing}: cannot read the run: no such file or directory\n"
    folder = stats(tmp_path)
    assert folder.exit_code == 2
    assert folder.stderr == f"error: {tmp_path}: cannot read the run: is a directory\n"


# --- a large run, in bounded memory --------------------------------------------------------------


def test_large_run_streams_in_bounded_memory(tmp_path: Path, records: list[dict[str, Any]]) -> None:
    """200,000 records (about 60 MB of JSONL; held as dicts they would take hundreds of MB) are counted
    with a Python heap peak of a few MB: memory follows the distinct keys (1,000 documents, 50 metrics),
    not the records."""
    total, documents, metrics = 200_000, 1_000, 50
    keep = ("id", "start", "end", "line", "column", "text", "kind", "unit", "sentence")
    bases = [{k: r[k] for k in keep} | {"sentence_start": 0, "sentence_end": 1} for r in records]
    run = tmp_path / "large.jsonl"
    expected_kinds: Counter[str] = Counter()
    with run.open("wb") as out:
        for n in range(total):
            base = bases[n % len(bases)]
            expected_kinds[base["kind"]] += 1
            record = base | {"doc": f"corpus/{n % documents:04d}.txt", "metric": f"指标{n % metrics}"}
            out.write(orjson.dumps(record) + b"\n")
    tracemalloc.start()
    try:
        counted = run_stats([run])
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert counted.figures == total
    assert counted.kinds == expected_kinds
    assert counted.documents == documents and counted.distinct_metrics == metrics
    assert counted.metrics == Counter({f"指标{m}": total // metrics for m in range(metrics)})
    assert peak < 8 * 2**20, f"peak {peak / 2**20:.1f} MiB: records are being held"


def test_run_stats_adds_to_given_stats(seeds_run: Path, records: list[dict[str, Any]]) -> None:
    into = RunStats()
    assert run_stats([seeds_run], into) is into
    run_stats([seeds_run], into)
    assert into.figures == 2 * len(records)

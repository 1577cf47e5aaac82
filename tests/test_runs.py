"""factx.runs: the one reader of runs that diff, audit, report and stats share.

Library tests on runs written here from a real record (the import expo's 834.9亿美元): the lines read
and their numbers (blank lines, a byte order mark, CRLF, standard input), each kind of bad line named
``RUN:LINE: cause``, the file that cannot be read, numbers exactly as written, and the same fault
worded the same by every command's parser.
"""

from __future__ import annotations

import io
import json
import os
import pickle
import sys
import threading
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from factx import audit, diff, stats
from factx.cli import app
from factx.runs import (
    NUMBER,
    NUMBER_OR_NULL,
    STRING,
    STRING_OR_NULL,
    WHOLE_NUMBER,
    RunError,
    Schema,
    exact_number,
    number_literal,
    parse_object,
    parse_values,
    read_lines,
    read_records,
)

RECORD: dict[str, Any] = {
    "id": "92a47decace9f0b1",
    "doc": "seeds/进博会.txt",
    "start": 130,
    "end": 138,
    "line": 11,
    "column": 28,
    "text": "834.9亿美元",
    "kind": "money",
    "value": 83490000000,
    "value_high": None,
    "unit": "USD",
    "approx": None,
    "change": None,
    "per": None,
    "metric": "意向成交额",
    "sentence": "按一年计意向成交额达834.9亿美元，比上届增长2%。",
    "sentence_start": 120,
    "sentence_end": 145,
    "pack": "core.figures",
    "rule": "figure.unit",
    "path": "进博会.txt",
}

# A reader's schema: the fields it reads, required then optional (with their defaults).
SCHEMA = Schema(
    {"id": STRING, "doc": STRING, "text": STRING, "value": NUMBER, "start": WHOLE_NUMBER},
    {"value_high": (NUMBER_OR_NULL, None), "metric": (STRING_OR_NULL, None), "path": (STRING, "")},
)


def line(**fields: Any) -> bytes:
    """The record (its fields replaced) as factx writes a line: compact JSON, UTF-8."""
    return json.dumps({**RECORD, **fields}, ensure_ascii=False, separators=(",", ":")).encode() + b"\n"


def without(name: str) -> bytes:
    """The record without field ``name``, as a line."""
    return json.dumps({k: v for k, v in RECORD.items() if k != name}, ensure_ascii=False).encode()


def values(**fields: Any) -> tuple[Any, ...]:
    """What SCHEMA reads from the record (fields replaced): its values in the schema's order."""
    record = {**RECORD, **fields}
    return tuple(record[name] for name in SCHEMA.names)


def parse(raw: bytes, source: str, lineno: int) -> tuple[int, tuple[Any, ...]]:
    return lineno, parse_values(raw, SCHEMA, source, lineno)


# --- good lines ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (line(), values()),
        # written by hand, with spaces: read the same
        (json.dumps(RECORD, ensure_ascii=False, indent=None).encode(), values()),
        # \u escapes for the Chinese text: the same strings
        (json.dumps(RECORD).encode(), values()),
        # a float value, a range's high end, no metric
        (line(value=4.4, value_high=5.2, metric=None), values(value=4.4, value_high=5.2, metric=None)),
    ],
)
def test_a_good_line_gives_the_schemas_values_in_order(raw: bytes, expected: tuple[Any, ...]) -> None:
    assert parse_values(raw, SCHEMA, "run.jsonl", 1) == expected
    assert parse_object(raw, SCHEMA, "run.jsonl", 1) == json.loads(raw)  # the whole object, extra keys too


@pytest.mark.parametrize(
    ("absent", "default"),
    [("value_high", None), ("metric", None), ("path", "")],
)
def test_an_absent_optional_field_takes_its_default(absent: str, default: object) -> None:
    got = parse_values(without(absent), SCHEMA, "run.jsonl", 1)
    assert got[SCHEMA.index(absent)] == default
    assert got[SCHEMA.index("text")] == "834.9亿美元"


# --- bad lines, each named RUN:LINE: cause -------------------------------------------------------

BAD_LINES = [
    # not JSON
    # cut short: the newline that ends the line is inside the string
    (b'{"id": "92a4", "doc": "seeds/\xe8\xbf\x9b', "not JSON (unexpected control character in string)"),
    (b"{'id': '92a4'}", "not JSON ("),
    (b"\xe8\xbf\x9b\xe5\x8d\x9a\xe4\xbc\x9a", "not JSON ("),  # 进博会, bare
    # JSON, not an object
    (b"[1, 2]", "a record is a JSON object, not an array"),
    ('"834.9亿美元"'.encode(), "a record is a JSON object, not a string"),
    (b"83490000000", "a record is a JSON object, not a number"),
    (b"null", "a record is a JSON object, not null"),
    # an object without a required field
    (
        without("value"),
        "not a figure record: no 'value' field",
    ),
    (
        without("id"),
        "not a figure record: no 'id' field",
    ),
    # a field of the wrong type
    (line(value="834.9亿"), "'value' is a string, not a number"),
    (line(value=True), "'value' is a boolean, not a number"),
    (line(start=130.5), "'start' is a number, not a whole number"),
    (line(start=False), "'start' is a boolean, not a whole number"),
    (line(text=["834.9亿美元"]), "'text' is an array, not a string"),
    (line(value_high="5.2"), "'value_high' is a string, not a number or null"),
    (line(metric={"名称": "意向成交额"}), "'metric' is an object, not a string or null"),
    (line(path=None), "'path' is null, not a string"),
    # an id that names nothing
    (line(id=""), "'id' is empty"),
]


@pytest.mark.parametrize(("raw", "cause"), BAD_LINES)
def test_a_bad_line_is_named_run_line_cause(tmp_path: Path, raw: bytes, cause: str) -> None:
    run = tmp_path / "进博会.jsonl"
    # line 2 is blank: skipped, but counted
    run.write_bytes(line() + b"\n" + raw.rstrip(b"\n") + b"\n" + line(id="b1"))
    reader = read_records(run, parse)
    assert next(reader)[0] == 1
    with pytest.raises(RunError) as caught:
        next(reader)
    error = caught.value
    assert (error.source, error.line) == (str(run), 3)
    assert error.cause.startswith(cause)
    assert str(error) == f"{run}:3: {error.cause}"


def test_a_run_error_survives_pickling() -> None:
    # An error raised in a worker process reaches the parent whole.
    error = RunError("run.jsonl", 7, "'value' is a string, not a number")
    copy = pickle.loads(pickle.dumps(error))
    assert (copy.source, copy.line, copy.cause, str(copy)) == (
        "run.jsonl",
        7,
        "'value' is a string, not a number",
        "run.jsonl:7: 'value' is a string, not a number",
    )


# Every command's parser, on the same fault: diff's, audit's (also report's) and stats' readers.
def _diff(raw: bytes) -> object:
    return diff.parse_record(raw, "run.jsonl", 7)


def _audit(raw: bytes) -> object:
    return audit.parse_record(raw, "run.jsonl", 7)


def _stats(raw: bytes) -> object:
    return parse_values(raw, stats.STATS_SCHEMA, "run.jsonl", 7)


@pytest.mark.parametrize(
    ("raw", "cause"),
    [
        (b'{"id": "92a4", "doc":', "not JSON (unexpected end of data)"),
        (b'["834.9\xe4\xba\xbf\xe7\xbe\x8e\xe5\x85\x83"]', "a record is a JSON object, not an array"),
        (
            without("text"),
            "not a figure record: no 'text' field",
        ),
        (line(start="130"), "'start' is a string, not a whole number"),
        (line(line=11.0), "'line' is a number, not a whole number"),
        (line(sentence=None), "'sentence' is null, not a string"),
        (line(id=""), "'id' is empty"),
    ],
)
@pytest.mark.parametrize("reader", [_diff, _audit, _stats])
def test_every_command_words_a_fault_the_same(reader: Any, raw: bytes, cause: str) -> None:
    with pytest.raises(RunError) as caught:
        reader(raw)
    assert str(caught.value) == f"run.jsonl:7: {cause}"


def test_every_commands_parser_reads_a_good_line() -> None:
    raw = line()
    assert _diff(raw).text == "834.9亿美元"  # type: ignore[attr-defined]
    assert _audit(raw).sentence == RECORD["sentence"]  # type: ignore[attr-defined]
    assert _stats(raw)[stats.STATS_SCHEMA.index("kind")] == "money"  # type: ignore[index]


# --- the lines of a run --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "numbers"),
    [
        (line() + line(id="b1"), [1, 2]),
        # blank lines (spaces, a tab, CRLF alone) are skipped but counted
        (b"\n" + line() + b"   \n\t\n\r\n" + line(id="b1") + b"\n", [2, 6]),
        # CRLF line ends
        (line().replace(b"\n", b"\r\n") + line(id="b1").replace(b"\n", b"\r\n"), [1, 2]),
        # a byte order mark before the first line
        (b"\xef\xbb\xbf" + line() + line(id="b1"), [1, 2]),
        # a byte order mark on a blank first line
        (b"\xef\xbb\xbf\n" + line() + line(id="b1"), [2, 3]),
        # no newline after the last line
        (line() + line(id="b1").rstrip(b"\n"), [1, 2]),
    ],
)
def test_lines_numbered_blank_bom_crlf(tmp_path: Path, content: bytes, numbers: list[int]) -> None:
    run = tmp_path / "run.jsonl"
    run.write_bytes(content)
    assert [n for n, _ in read_lines(run)] == numbers
    got = list(read_records(run, parse))
    assert [n for n, _ in got] == numbers
    assert [v for _, v in got] == [values(), values(id="b1")]


@pytest.mark.parametrize("content", [b"", b"\n\n  \r\n", b"\xef\xbb\xbf"])
def test_an_empty_run_has_no_records(tmp_path: Path, content: bytes) -> None:
    run = tmp_path / "empty.jsonl"
    run.write_bytes(content)
    assert list(read_records(run, parse)) == []


@pytest.mark.parametrize("path", ["-", None])
def test_standard_input(monkeypatch: pytest.MonkeyPatch, path: str | None) -> None:
    stdin = io.TextIOWrapper(io.BytesIO(b"\xef\xbb\xbf" + line() + b"\n" + b'{"id": "b1"}\n'))
    monkeypatch.setattr(sys, "stdin", stdin)
    reader = read_records(path, parse)
    assert next(reader) == (1, values())
    with pytest.raises(RunError) as caught:
        next(reader)
    assert str(caught.value) == "<stdin>:3: not a figure record: no 'doc' field"
    assert not stdin.closed  # standard input is not the reader's to close


@pytest.mark.parametrize(
    ("make", "cause"),
    [
        (lambda p: None, "cannot read the run: no such file or directory"),
        (lambda p: p.mkdir(), "cannot read the run: is a directory"),
    ],
)
def test_a_run_that_cannot_be_read(tmp_path: Path, make: Any, cause: str) -> None:
    run = tmp_path / "进博会.jsonl"
    make(run)
    with pytest.raises(RunError) as caught:
        next(read_records(run, parse))
    assert (caught.value.source, caught.value.line, str(caught.value)) == (str(run), None, f"{run}: {cause}")


# --- numbers as written --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "name", "literal", "exact"),
    [
        (b'{"value":83490000000,"value_high":null}', "value", b"83490000000", Decimal(83490000000)),
        (b'{"value":0.10000000000000001}', "value", b"0.10000000000000001", Decimal("0.10000000000000001")),
        (b'{"value": 4.4, "value_high": 5.20}', "value_high", b"5.20", Decimal("5.20")),
        (b'{"value":1e-7}', "value", b"1e-7", Decimal("1e-7")),
        (b'{"value":-2.5,"unit":"%"}', "value", b"-2.5", Decimal("-2.5")),
        # "value" inside a string is not the field: its quotes are escaped
        (b'{"text":"\\"value\\":9","value":3.25}', "value", b"3.25", Decimal("3.25")),
    ],
)
def test_numbers_exactly_as_written(raw: bytes, name: str, literal: bytes, exact: Decimal) -> None:
    assert number_literal(raw, name) == literal
    parsed = json.loads(raw)[name]
    assert exact_number(raw, name, parsed) == exact
    assert str(exact_number(raw, name, parsed)) == str(exact)  # digits as written: 5.20 stays 5.20


def test_a_null_number_is_none() -> None:
    assert exact_number(b'{"value":4.4,"value_high":null}', "value_high", None) is None


# --- schemas -------------------------------------------------------------------------------------


def test_an_extended_schema_makes_fields_required_and_adds_optional_ones() -> None:
    extended = SCHEMA.extended(required={"path": STRING}, optional={"kind": (STRING_OR_NULL, None)})
    assert extended.names == ("id", "doc", "text", "value", "start", "path", "value_high", "metric", "kind")
    no_path = without("path")
    assert parse_values(no_path, SCHEMA, "run.jsonl", 1)[SCHEMA.index("path")] == ""
    with pytest.raises(RunError, match="no 'path' field"):
        parse_values(no_path, extended, "run.jsonl", 1)


def test_a_schema_of_many_optional_fields_is_checked_field_by_field() -> None:
    # 2**13 combinations of types: past the limit of the one-look-up check, the same answers.
    wide = SCHEMA.extended(optional={f"extra{i}": (STRING_OR_NULL, None) for i in range(13)})
    assert parse_values(line(extra3="意向"), wide, "run.jsonl", 1)[-10] == "意向"
    with pytest.raises(RunError) as caught:
        parse_values(line(extra12=12), wide, "run.jsonl", 1)
    assert caught.value.cause == "'extra12' is a number, not a string or null"


def test_a_schema_names_each_field_once() -> None:
    with pytest.raises(ValueError, match="once"):
        Schema({"id": STRING}, {"id": (STRING_OR_NULL, None)})


# --- every command, one run ----------------------------------------------------------------------


# Each command's reading of a run (``-``: standard input): how many figures it read. ``copy`` is the
# same run as a file, which diff reads beside it (so that standard input is read once): every figure
# read alike on both sides is the same.
def _read_by_diff(path: Path | str, copy: Path) -> int:
    return sum(1 for d in diff.diff_runs(path, copy, show=diff.STATUSES) if d.status == "same")


def _read_by_audit(path: Path | str, copy: Path) -> int:
    return sum(1 for _ in audit.read_run(path))


def _read_by_stats(path: Path | str, copy: Path) -> int:
    return stats.run_stats([path]).figures


READERS = [_read_by_diff, _read_by_audit, _read_by_stats]


def _figure_lines() -> list[bytes]:
    """Three records of two documents, as factx writes them (diff pairs documents by path)."""
    return [
        line(),
        line(id="b1", start=150, end=152, text="2%", kind="percent", value=2, unit="%"),
        line(id="c1", doc="seeds/外贸.txt", path="外贸.txt", metric="进出口"),
    ]


@pytest.mark.parametrize(
    "content",
    [
        b"".join(_figure_lines()),
        # a byte order mark, CRLF line ends, blank lines between and after
        b"\xef\xbb\xbf" + b"\r\n\r\n".join(raw.rstrip(b"\n") for raw in _figure_lines()) + b"\r\n  \r\n",
    ],
)
@pytest.mark.parametrize("reader", READERS)
def test_every_command_reads_the_same_figures(tmp_path: Path, reader: Any, content: bytes) -> None:
    run = tmp_path / "run.jsonl"
    run.write_bytes(content)
    assert reader(run, run) == 3


@pytest.mark.parametrize("reader", READERS)
def test_every_command_names_a_bad_line_the_same(tmp_path: Path, reader: Any) -> None:
    run = tmp_path / "run.jsonl"
    first, second, third = _figure_lines()
    run.write_bytes(
        b"\xef\xbb\xbf" + first + b"\r\n" + second.replace(b'"start":150,', b'"start":"150",') + third
    )
    with pytest.raises(RunError) as caught:
        reader(run, run)
    assert str(caught.value) == f"{run}:3: 'start' is a string, not a whole number"


@pytest.mark.parametrize(
    ("make", "cause"),
    [
        (lambda p: None, "cannot read the run: no such file or directory"),
        (lambda p: p.mkdir(), "cannot read the run: is a directory"),
    ],
)
@pytest.mark.parametrize("reader", READERS)
def test_every_command_names_a_run_it_cannot_read_the_same(
    tmp_path: Path, reader: Any, make: Any, cause: str
) -> None:
    run = tmp_path / "run.jsonl"
    make(run)
    with pytest.raises(RunError) as caught:
        reader(run, run)
    assert str(caught.value) == f"{run}: {cause}"


@pytest.mark.parametrize("pipe", [False, True])
@pytest.mark.parametrize("reader", READERS)
def test_every_command_reads_standard_input(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, reader: Any, pipe: bool
) -> None:
    content = b"\xef\xbb\xbf" + b"".join(_figure_lines())
    copy = tmp_path / "copy.jsonl"
    copy.write_bytes(content)
    if pipe:
        # A pipe cannot be sought: diff copies it as it reads it.
        read_fd, write_fd = os.pipe()
        writer = threading.Thread(target=lambda: (os.write(write_fd, content), os.close(write_fd)))
        writer.start()
        stdin = io.TextIOWrapper(open(read_fd, "rb"))  # noqa: SIM115 - closed below
    else:
        stdin = io.TextIOWrapper(io.BytesIO(content))
    monkeypatch.setattr(sys, "stdin", stdin)
    try:
        assert reader("-", copy) == 3
    finally:
        if pipe:
            writer.join()
        stdin.close()


def test_diff_reads_one_run_from_standard_input(tmp_path: Path) -> None:
    run = tmp_path / "run.jsonl"
    run.write_bytes(b"".join(_figure_lines()))
    runner = CliRunner()
    for args in (["-", str(run)], [str(run), "-"]):
        same = runner.invoke(
            app, ["diff", *args, "--format", "json", "--only", "same"], input=run.read_bytes()
        )
        assert same.exit_code == 0, same.stderr
        # documents in key order: 外贸.txt (U+5916) before 进博会.txt (U+8FDB)
        assert [json.loads(x)["id"] for x in same.stdout.splitlines()] == ["c1", RECORD["id"], "b1"]
    both = runner.invoke(app, ["diff", "-", "-"], input=run.read_bytes())
    assert both.exit_code == 2
    assert "standard input ('-') can stand for one run only" in both.stderr

"""The ``factx`` command line: exit codes, JSONL on stdout or in a file, inputs, rule packs.

Exit status contract (cli.py): 0 all inputs read; 1 some input could not be read (the rest was);
2 a usage error or a bad rule pack (nothing was read or written).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

import factx.cli
import factx.run
from factx.cli import app

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO / "seeds"

FIELDS = (
    "doc",
    "start",
    "end",
    "text",
    "kind",
    "value",
    "unit",
    "approx",
    "change",
    "classifier",
    "value_high",
    "line",
    "column",
    "sentence",
    "sentence_start",
    "sentence_end",
    "pack",
    "rule",
    "id",
)

runner = CliRunner()


@pytest.fixture(autouse=True)
def _no_env_packs(monkeypatch: pytest.MonkeyPatch) -> None:
    """Packs named by FACTX_RULES in the caller's environment must not change what is tested."""
    monkeypatch.delenv("FACTX_RULES", raising=False)


def clean_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "FACTX_RULES"}
    env.update(extra)
    return env


def run_module(
    *args: str, cwd: Path | None = None, stdin: bytes | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[bytes]:
    """``python -m factx ARGS``: the bytes a user's shell would get."""
    return subprocess.run(
        [sys.executable, "-m", "factx", *args],
        cwd=cwd,
        input=stdin if stdin is not None else b"",
        capture_output=True,
        env=env or clean_env(),
        timeout=120,
    )


def records(stdout: str | bytes) -> list[dict]:
    if isinstance(stdout, bytes):
        stdout = stdout.decode("utf-8")
    return [json.loads(line) for line in stdout.splitlines()]


def read_doc(name: str) -> str:
    """A document's text as factx decodes it (UTF-8, a BOM dropped, nothing else touched)."""
    return Path(name).read_bytes().decode("utf-8-sig")


# --- the seeds: record fields, offsets, order ------------------------------------------------------


@pytest.fixture(scope="module")
def seed_records() -> list[dict]:
    result = runner.invoke(app, ["extract", str(SEEDS)])
    assert result.exit_code == 0, result.output
    # stderr has the run's summary, and nothing else
    assert re.fullmatch(
        r"factx: 5 documents \(73\.0 kB\), \d+ figures, 0 skipped in [\d.]+ s\n", result.stderr
    )
    lines = result.stdout.splitlines()
    assert len(lines) > 100  # five news texts full of figures
    return [json.loads(line) for line in lines]  # every line is one JSON object


@pytest.fixture(scope="module")
def seed_texts() -> dict[str, str]:
    return {p.as_posix(): read_doc(p.as_posix()) for p in SEEDS.rglob("*.txt")}


def test_extract_seeds_writes_valid_traceable_jsonl(
    seed_records: list[dict], seed_texts: dict[str, str]
) -> None:
    for rec in seed_records:
        missing = [f for f in FIELDS if f not in rec]
        assert not missing, (missing, rec)
        doc = seed_texts[rec["doc"]]
        start, end = rec["start"], rec["end"]
        assert 0 <= start < end <= len(doc), rec
        assert doc[start:end] == rec["text"], rec
        assert doc[rec["sentence_start"] : rec["sentence_end"]] == rec["sentence"], rec
        # line and column are 1-based, in code points, and agree with start
        assert rec["line"] >= 1 and rec["column"] >= 1, rec
        assert rec["line"] == doc.count("\n", 0, start) + 1, rec
        assert rec["column"] == start - (doc.rfind("\n", 0, start) + 1) + 1, rec
        assert isinstance(rec["value"], int | float) and not isinstance(rec["value"], bool), rec
        assert isinstance(rec["id"], str) and rec["id"], rec


def test_seed_documents_in_sorted_path_order_and_figures_in_document_order(seed_records: list[dict]) -> None:
    order = [rec["doc"] for rec in seed_records]
    docs = list(dict.fromkeys(order))
    assert docs == sorted(docs)
    assert [d for d, _ in _groups(order)] == docs  # each document's figures in one run
    assert docs == sorted(p.as_posix() for p in SEEDS.rglob("*.txt"))  # every seed has figures
    for d in docs:
        spans = [(r["start"], r["end"]) for r in seed_records if r["doc"] == d]
        for (s1, e1), (s2, e2) in zip(spans, spans[1:], strict=False):
            assert s1 < s2 and e1 <= s2, (d, (s1, e1), (s2, e2))  # in order, never overlapping


def test_every_seed_figure_lies_inside_its_sentence(seed_records: list[dict]) -> None:
    outside = [
        (r["doc"], r["start"], r["end"], r["text"], r["sentence_start"], r["sentence_end"])
        for r in seed_records
        if not (r["sentence_start"] <= r["start"] and r["end"] <= r["sentence_end"])
    ]
    assert outside == []


def test_seed_ids_are_unique(seed_records: list[dict]) -> None:
    ids = [r["id"] for r in seed_records]
    assert len(ids) == len(set(ids))


def _groups(seq: list[str]) -> list[tuple[str, list[str]]]:
    out: list[tuple[str, list[str]]] = []
    for item in seq:
        if out and out[-1][0] == item:
            out[-1][1].append(item)
        else:
            out.append((item, [item]))
    return out


def test_two_runs_are_byte_identical() -> None:
    first = run_module("extract", "-q", str(SEEDS), env=clean_env(PYTHONHASHSEED="1"))
    second = run_module("extract", "-q", str(SEEDS), env=clean_env(PYTHONHASHSEED="2"))
    assert first.returncode == 0, first.stderr.decode()
    assert second.returncode == 0, second.stderr.decode()
    assert first.stdout
    assert first.stdout == second.stdout
    assert first.stderr == second.stderr == b""


def test_output_file_gets_the_same_bytes_as_stdout(tmp_path: Path) -> None:
    out = tmp_path / "figures.jsonl"
    to_stdout = run_module("extract", str(SEEDS))
    to_file = run_module("extract", str(SEEDS), "-o", str(out))
    assert to_stdout.returncode == 0 and to_file.returncode == 0, to_file.stderr.decode()
    assert to_file.stdout == b""
    assert out.read_bytes() == to_stdout.stdout
    assert to_stdout.stdout.endswith(b"\n")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["figures.jsonl"]  # no temp file left


def test_cli_runner_stdout_equals_python_dash_m_stdout() -> None:
    via_runner = runner.invoke(app, ["extract", str(SEEDS)])
    via_module = run_module("extract", str(SEEDS))
    assert via_runner.exit_code == 0 and via_module.returncode == 0
    assert via_runner.stdout_bytes == via_module.stdout


def test_long_output_option_and_short_option_agree(tmp_path: Path) -> None:
    a, b = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    assert runner.invoke(app, ["extract", str(SEEDS), "--output", str(a)]).exit_code == 0
    assert runner.invoke(app, ["extract", str(SEEDS), "-o", str(b)]).exit_code == 0
    assert a.read_bytes() == b.read_bytes() != b""


# --- ids -----------------------------------------------------------------------------------------

PARA_EDITED = "今年全市出口2.35万亿元，同比增长5.7%。"
PARA_KEPT = "全市新增外资企业4108家，新设研发中心155个。"
PARA_TWICE = "进口增长3%，出口也增长3%。"


def _by_sentence_and_text(recs: list[dict]) -> dict[tuple[str, str, int], dict]:
    seen: dict[tuple[str, str], int] = {}
    out = {}
    for r in recs:
        n = seen.get((r["sentence"], r["text"]), 0)
        seen[(r["sentence"], r["text"])] = n + 1
        out[(r["sentence"], r["text"], n)] = r
    return out


def test_id_is_stable_when_another_paragraph_is_edited(tmp_path: Path) -> None:
    doc = tmp_path / "report.txt"
    doc.write_text(f"{PARA_EDITED}\n\n{PARA_KEPT}\n\n{PARA_TWICE}\n", encoding="utf-8")
    before = runner.invoke(app, ["extract", str(doc)])
    assert before.exit_code == 0, before.output

    # a new first paragraph and an edited figure in the old first one: every offset below moves
    doc.write_text(
        "港口集装箱吞吐量增长12%。\n\n"
        + PARA_EDITED.replace("2.35万亿元", "2.4万亿元")
        + f"\n\n{PARA_KEPT}\n\n{PARA_TWICE}\n",
        encoding="utf-8",
    )
    after = runner.invoke(app, ["extract", str(doc)])
    assert after.exit_code == 0, after.output

    old = _by_sentence_and_text(records(before.stdout))
    new = _by_sentence_and_text(records(after.stdout))
    kept = [k for k in old if k[0] in (PARA_KEPT, PARA_TWICE)]
    assert {k[1] for k in kept} == {"4108家", "155个", "3%"}
    assert len(kept) == 4
    for key in kept:
        assert key in new, key
        assert new[key]["start"] != old[key]["start"]  # the figure did move
        assert new[key]["id"] == old[key]["id"], key
    # the edited sentence's figures are new figures
    assert (PARA_EDITED, "2.35万亿元", 0) in old
    assert old[(PARA_EDITED, "2.35万亿元", 0)]["id"] not in {r["id"] for r in new.values()}


def test_same_figure_twice_in_one_sentence_gets_two_ids(tmp_path: Path) -> None:
    doc = tmp_path / "twice.txt"
    doc.write_text(PARA_TWICE + "\n", encoding="utf-8")
    result = runner.invoke(app, ["extract", str(doc)])
    assert result.exit_code == 0
    recs = records(result.stdout)
    assert [r["text"] for r in recs] == ["3%", "3%"]
    assert recs[0]["sentence"] == recs[1]["sentence"] == PARA_TWICE
    assert recs[0]["id"] != recs[1]["id"]


def test_id_depends_on_the_document_name(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(PARA_KEPT, encoding="utf-8")
    (tmp_path / "b.txt").write_text(PARA_KEPT, encoding="utf-8")
    result = runner.invoke(app, ["extract", str(tmp_path)])
    assert result.exit_code == 0
    recs = records(result.stdout)
    a = [r["id"] for r in recs if r["doc"].endswith("a.txt")]
    b = [r["id"] for r in recs if r["doc"].endswith("b.txt")]
    assert len(a) == len(b) == 2
    assert not set(a) & set(b)


# --- stdin ---------------------------------------------------------------------------------------

STDIN_TEXT = "出口2.35万亿元，同比增长5.7%。\n新增4108家企业。\n"


def test_dash_reads_stdin() -> None:
    result = runner.invoke(app, ["extract", "-"], input=STDIN_TEXT.encode("utf-8"))
    assert result.exit_code == 0, result.output
    recs = records(result.stdout)
    assert [r["text"] for r in recs] == ["2.35万亿元", "5.7%", "4108家"]
    assert {r["doc"] for r in recs} == {"<stdin>"}
    for r in recs:
        assert STDIN_TEXT[r["start"] : r["end"]] == r["text"]
    assert recs[2]["line"] == 2 and recs[2]["column"] == 3


def test_dash_reads_stdin_through_python_dash_m(tmp_path: Path) -> None:
    (tmp_path / "doc.txt").write_text(STDIN_TEXT, encoding="utf-8")
    piped = run_module("extract", "-", stdin=STDIN_TEXT.encode("utf-8"), cwd=tmp_path)
    from_file = run_module("extract", "doc.txt", cwd=tmp_path)
    assert piped.returncode == 0 and from_file.returncode == 0, piped.stderr.decode()
    # the same figures, differing only in the doc name and path (and so in the id), and a hash only
    # for the file (standard input cannot be read again to check one)
    naming = ("doc", "path", "id", "doc_sha256")
    strip = [{k: v for k, v in r.items() if k not in naming} for r in records(piped.stdout)]
    assert strip == [{k: v for k, v in r.items() if k not in naming} for r in records(from_file.stdout)]
    assert {r["doc"] for r in records(piped.stdout)} == {"<stdin>"}


def test_stdin_with_a_byte_order_mark_keeps_offsets_of_the_decoded_text() -> None:
    result = runner.invoke(app, ["extract", "-"], input=b"\xef\xbb\xbf" + STDIN_TEXT.encode("utf-8"))
    assert result.exit_code == 0
    recs = records(result.stdout)
    assert recs[0]["start"] == 2 and recs[0]["text"] == "2.35万亿元"


# --- finding files -------------------------------------------------------------------------------


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    root = tmp_path / "docs"
    (root / "sub" / "deeper").mkdir(parents=True)
    (root / "a.txt").write_text("新增4108家企业。", encoding="utf-8")
    (root / "sub" / "b.md").write_text("同比增长5.7%。", encoding="utf-8")
    (root / "sub" / "deeper" / "c.txt").write_text("共有155个国家。", encoding="utf-8")
    (root / "d.text").write_text("面积12.7平方公里。", encoding="utf-8")
    (root / "sub" / "e.text").write_text("产量9100吨。", encoding="utf-8")
    (root / "f.csv").write_text("成交额834.9亿美元。", encoding="utf-8")
    return root


def _docs(result_stdout: str) -> list[str]:
    return list(dict.fromkeys(r["doc"] for r in records(result_stdout)))


def test_folders_are_read_recursively_for_txt_and_md_by_default(tree: Path) -> None:
    result = runner.invoke(app, ["extract", str(tree)])
    assert result.exit_code == 0, result.output
    assert _docs(result.stdout) == [
        (tree / "a.txt").as_posix(),
        (tree / "sub" / "b.md").as_posix(),
        (tree / "sub" / "deeper" / "c.txt").as_posix(),
    ]


def test_glob_changes_which_files_of_a_folder_are_read(tree: Path) -> None:
    result = runner.invoke(app, ["extract", str(tree), "--glob", "*.text"])
    assert result.exit_code == 0, result.output
    assert _docs(result.stdout) == [(tree / "d.text").as_posix(), (tree / "sub" / "e.text").as_posix()]
    both = runner.invoke(app, ["extract", str(tree), "-g", "*.text", "-g", "*.md"])
    assert _docs(both.stdout) == [
        (tree / "d.text").as_posix(),
        (tree / "sub" / "b.md").as_posix(),
        (tree / "sub" / "e.text").as_posix(),
    ]


def test_a_named_file_is_read_whatever_its_extension(tree: Path) -> None:
    result = runner.invoke(app, ["extract", str(tree / "f.csv")])
    assert result.exit_code == 0, result.output
    recs = records(result.stdout)
    assert [(r["doc"], r["text"], r["unit"]) for r in recs] == [
        ((tree / "f.csv").as_posix(), "834.9亿美元", "USD")
    ]
    # also next to a folder, and also when --glob would not match it; each document once, in path order
    mixed = runner.invoke(
        app, ["extract", str(tree / "f.csv"), str(tree), "-g", "*.md", str(tree / "sub/b.md")]
    )
    assert mixed.exit_code == 0
    assert _docs(mixed.stdout) == [(tree / "f.csv").as_posix(), (tree / "sub" / "b.md").as_posix()]


# --- bad input loses nothing ---------------------------------------------------------------------

GOOD = "全市新增外资企业4108家，实际使用外资834.9亿美元，同比增长4.4%。\n产量9100吨。\n"
NOT_TEXT = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4  # an image named .txt


def test_bad_inputs_are_reported_and_the_good_file_is_still_extracted(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.txt").write_text(GOOD, encoding="utf-8")
    (folder / "legacy.txt").write_bytes(NOT_TEXT)
    missing = tmp_path / "nowhere.txt"

    result = run_module("extract", str(folder), str(missing))
    alone = run_module("extract", str(folder / "good.txt"))
    stderr = result.stderr.decode("utf-8")

    assert result.returncode == 1, stderr
    assert alone.returncode == 0
    assert len(records(alone.stdout)) == 4
    assert result.stdout == alone.stdout  # every figure of the good file, nothing of the bad one
    assert (folder / "legacy.txt").as_posix() in stderr
    assert "binary file, not text" in stderr
    assert str(missing) in stderr
    assert "no such file" in stderr
    assert "Traceback" not in stderr and "Traceback" not in result.stdout.decode()
    assert len(stderr.strip().splitlines()) == 3  # two problems and the summary
    assert stderr.strip().splitlines()[-1].startswith("factx: 1 document (")


def test_all_inputs_bad_is_exit_1_and_empty_stdout(tmp_path: Path) -> None:
    result = runner.invoke(app, ["extract", str(tmp_path / "missing.md")])
    assert result.exit_code == 1
    assert result.stdout == ""
    assert "missing.md" in result.stderr


@pytest.mark.parametrize("name", ["[draft]报告.txt", "report[bold].txt"])
def test_a_bad_file_with_brackets_in_its_name_is_named_exactly(tmp_path: Path, name: str) -> None:
    (tmp_path / name).write_bytes(NOT_TEXT)
    result = run_module("extract", str(tmp_path))
    stderr = result.stderr.decode("utf-8")
    assert result.returncode == 1
    assert (tmp_path / name).as_posix() in stderr, stderr


def test_a_missing_path_with_brackets_in_its_name_is_named_exactly(tmp_path: Path) -> None:
    missing = tmp_path / "[v2]figures.txt"
    result = run_module("extract", str(missing))
    assert result.returncode == 1
    assert str(missing) in result.stderr.decode("utf-8")


# --- -o is atomic --------------------------------------------------------------------------------

BAD_PACK = "pack: x\nunitz: []\n"


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".part"))


def test_failed_run_leaves_an_existing_output_untouched(tmp_path: Path) -> None:
    out = tmp_path / "figures.jsonl"
    out.write_bytes(b'{"old": true}\n')
    pack = tmp_path / "bad.yaml"
    pack.write_text(BAD_PACK, encoding="utf-8")
    result = runner.invoke(app, ["extract", str(SEEDS), "-o", str(out), "--rules", str(pack)])
    assert result.exit_code == 2
    assert out.read_bytes() == b'{"old": true}\n'
    assert _leftovers(tmp_path) == []


def test_run_that_dies_midway_leaves_the_output_untouched_and_no_part_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "figures.jsonl"
    out.write_bytes(b'{"old": true}\n')
    real = factx.run.extract_source

    def dies_after_ten(*args, **kwargs):  # type: ignore[no-untyped-def]
        for n, figure in enumerate(real(*args, **kwargs)):
            if n == 10:
                raise MemoryError("disk on fire")
            yield figure

    monkeypatch.setattr(factx.run, "extract_source", dies_after_ten)
    result = runner.invoke(app, ["extract", str(SEEDS), "-o", str(out), "--jobs", "1"])
    assert result.exit_code != 0
    assert isinstance(result.exception, MemoryError)
    assert out.read_bytes() == b'{"old": true}\n'
    assert _leftovers(tmp_path) == []


def test_successful_run_replaces_the_output(tmp_path: Path) -> None:
    out = tmp_path / "figures.jsonl"
    out.write_bytes(b'{"old": true}\n')
    result = runner.invoke(app, ["extract", str(SEEDS), "-o", str(out)])
    assert result.exit_code == 0
    assert out.read_bytes() == runner.invoke(app, ["extract", str(SEEDS)]).stdout_bytes
    assert _leftovers(tmp_path) == []


def test_output_into_a_missing_folder_is_a_usage_error(tmp_path: Path) -> None:
    result = runner.invoke(app, ["extract", str(SEEDS), "-o", str(tmp_path / "no" / "such" / "out.jsonl")])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "Traceback" not in result.output
    assert "out.jsonl" in result.stderr


# --- rule packs ----------------------------------------------------------------------------------


def test_bad_rule_pack_is_exit_2_with_a_one_line_located_message(tmp_path: Path) -> None:
    pack = tmp_path / "bad.yaml"
    pack.write_text(BAD_PACK, encoding="utf-8")
    result = run_module("extract", str(SEEDS), "--rules", str(pack))
    stderr = result.stderr.decode("utf-8")
    assert result.returncode == 2, stderr
    assert result.stdout == b""
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    assert re.search(re.escape(str(pack)) + r":2:1: .*unitz", lines[0]), lines[0]
    assert "Traceback" not in stderr


def test_nonexistent_rule_pack_is_exit_2(tmp_path: Path) -> None:
    missing = tmp_path / "nope.yaml"
    result = run_module("extract", str(SEEDS), "--rules", str(missing))
    stderr = result.stderr.decode("utf-8")
    assert result.returncode == 2
    assert result.stdout == b""
    assert str(missing) in stderr
    assert len(stderr.strip().splitlines()) == 1
    assert "Traceback" not in stderr


def test_bad_rule_pack_with_brackets_in_its_path_is_named_exactly(tmp_path: Path) -> None:
    pack = tmp_path / "[team]units.yaml"
    pack.write_text(BAD_PACK, encoding="utf-8")
    result = run_module("extract", str(SEEDS), "--rules", str(pack))
    assert result.returncode == 2
    assert f"{pack}:2:1:" in result.stderr.decode("utf-8")


BOXES_PACK = "pack: test.boxes\nunits:\n  - {forms: [标准箱], kind: count, unit: count, classifier: true}\n"
BOXES_TEXT = "全年港口集装箱吞吐量达5万标准箱。\n"


def test_a_rule_pack_adds_a_unit_without_code_change(tmp_path: Path) -> None:
    doc = tmp_path / "port.txt"
    doc.write_text(BOXES_TEXT, encoding="utf-8")
    pack = tmp_path / "boxes.yaml"
    pack.write_text(BOXES_PACK, encoding="utf-8")

    plain = runner.invoke(app, ["extract", str(doc)])
    assert plain.exit_code == 0
    assert "5万标准箱" not in [r["text"] for r in records(plain.stdout)]

    packed = runner.invoke(app, ["extract", str(doc), "--rules", str(pack)])
    assert packed.exit_code == 0, packed.output
    recs = records(packed.stdout)
    assert len(recs) == 1
    (rec,) = recs
    assert (rec["text"], rec["kind"], rec["value"], rec["unit"], rec["classifier"]) == (
        "5万标准箱",
        "count",
        50000,
        "count",
        "标准箱",
    )
    assert BOXES_TEXT[rec["start"] : rec["end"]] == "5万标准箱"


def test_rules_env_variable_adds_packs_like_the_option(tmp_path: Path) -> None:
    doc = tmp_path / "port.txt"
    doc.write_text(BOXES_TEXT, encoding="utf-8")
    pack = tmp_path / "boxes.yaml"
    pack.write_text(BOXES_PACK, encoding="utf-8")
    by_option = run_module("extract", str(doc), "--rules", str(pack))
    by_env = run_module("extract", str(doc), env=clean_env(FACTX_RULES=str(pack)))
    assert by_option.returncode == by_env.returncode == 0
    assert by_env.stdout == by_option.stdout
    assert [r["classifier"] for r in records(by_env.stdout)] == ["标准箱"]


def test_no_builtin_without_packs_finds_nothing(tmp_path: Path) -> None:
    result = runner.invoke(app, ["extract", str(SEEDS), "--no-builtin"])
    assert result.exit_code == 0, result.output
    assert result.stdout == ""


# --- schema and help -----------------------------------------------------------------------------


def test_schema_is_a_json_schema_of_the_record() -> None:
    result = runner.invoke(app, ["schema"])
    assert result.exit_code == 0
    schema = json.loads(result.stdout)
    assert schema["type"] == "object"
    assert set(FIELDS) <= set(schema["properties"])
    assert {"doc", "start", "end", "text", "kind", "value", "unit", "id"} <= set(schema["required"])


def test_every_record_field_is_in_the_schema() -> None:
    schema = json.loads(runner.invoke(app, ["schema"]).stdout)
    rec = records(runner.invoke(app, ["extract", "-"], input="增长5.7%。").stdout)[0]
    assert set(rec) == set(schema["properties"])


def test_help_exits_0_and_names_the_options() -> None:
    top = runner.invoke(app, ["--help"])
    assert top.exit_code == 0
    assert "extract" in top.stdout and "schema" in top.stdout
    sub = runner.invoke(app, ["extract", "--help"])
    assert sub.exit_code == 0
    for option in ("--output", "--rules", "--glob", "--no-builtin", "--timeout"):
        assert option in sub.stdout, option


@pytest.mark.parametrize(
    ("command", "default"),
    [
        (["extract"], "[default: *.txt, *.md, *.markdown, *.html, *.htm, *.docx, *.pdf]"),
        (["rules", "list"], "[default: a table on a terminal, lines in a pipe]"),
        (["rules", "test"], "[default: the built-in rules]"),
    ],
)
def test_help_shows_defaults_written_in_brackets(command: list[str], default: str) -> None:
    """Help text is rich markup: an unescaped [default: …] would vanish as an unknown tag."""
    result = runner.invoke(app, [*command, "--help"], env={"COLUMNS": "250"})
    assert result.exit_code == 0
    assert default in result.stdout


def test_python_dash_m_help_works() -> None:
    result = run_module("--help")
    assert result.returncode == 0
    assert b"extract" in result.stdout


def test_extract_without_paths_is_a_usage_error() -> None:
    result = runner.invoke(app, ["extract"])
    assert result.exit_code == 2
    assert result.stdout == ""

"""``factx audit``: every figure checked against the source it came from.

Scenario tests run the real extraction (``factx extract``) over copies of the seeds, then edit the
copies: a paragraph inserted above a figure (drifted, with its new line), its own number edited
(missing), the file deleted (source-missing), and pin the exit status and what is printed. Library
tests pin the pieces: reading a run, lines and columns, numbers split into their parts.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner, Result

import factx.audit
from factx.audit import (
    STATES,
    AuditResult,
    LineIndex,
    RunError,
    audit_figures,
    audit_run,
    parse_record,
    read_run,
    split_number,
)
from factx.cli_audit import register
from factx.packs import load_ruleset

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO / "seeds"
EXPO = "seeds/000_8a70859ab80dc299.txt"  # the import expo report: 834.9亿美元 on line 11
TRADE = "seeds/002_b412ed2ff225a7db.txt"  # foreign trade: 230多家, 0.3个百分点, 8.07万亿元
AIR = "seeds/003_ac274b833cb2b4ef.txt"  # low-altitude economy: 每天飞行近80万架次, 60%左右

runner = CliRunner()
audit_app = typer.Typer()


@audit_app.callback()
def _factx() -> None:
    """Stands for the factx app, so that the commands are called as `audit`, as in `factx audit`."""


register(audit_app)


@pytest.fixture(autouse=True)
def _no_env_packs(monkeypatch: pytest.MonkeyPatch) -> None:
    """Packs named by FACTX_RULES in the caller's environment must not change what is extracted."""
    monkeypatch.delenv("FACTX_RULES", raising=False)


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the seeds and the run ``factx extract seeds -o run.jsonl`` made of it there (once)."""
    folder = tmp_path_factory.mktemp("pristine")
    shutil.copytree(SEEDS, folder / "seeds")
    env = {k: v for k, v in os.environ.items() if k != "FACTX_RULES"}
    done = subprocess.run(
        [sys.executable, "-m", "factx", "extract", "seeds", "-o", "run.jsonl"],
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    return folder


@pytest.fixture
def corpus(pristine: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh copy of the seeds and their run, as the working folder (records name ``seeds/…``)."""
    shutil.copytree(pristine, tmp_path, dirs_exist_ok=True)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def records(folder: Path) -> list[dict]:
    return [json.loads(line) for line in (folder / "run.jsonl").read_text(encoding="utf-8").splitlines()]


def record(folder: Path, doc: str, text: str) -> dict:
    """The one record of ``doc`` whose figure reads ``text``."""
    found = [r for r in records(folder) if r["doc"] == doc and r["text"] == text]
    assert len(found) == 1, f"test bug: {len(found)} records of {text!r} in {doc}"
    return found[0]


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"test bug: {old!r} must occur once in {path.name}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def audit(*args: object, stdin: bytes | None = None) -> Result:
    return runner.invoke(audit_app, ["audit", *map(str, args)], input=stdin)


def audit_json(*args: object) -> list[dict]:
    result = audit(*args, "--format", "json")
    assert result.exit_code in (0, 1), result.output
    return [json.loads(line) for line in result.stdout.splitlines()]


# --- one figure ----------------------------------------------------------------------------------


# figure (doc, text) → the parts its rule matched, as the card prints them
CARDS = [
    # number, multiplier, unit
    ((EXPO, "834.9亿美元"), "number 834.9 · multiplier 亿 · unit 美元", "83,490,000,000 USD"),
    ((TRADE, "8.07万亿元"), "number 8.07 · multiplier 万亿 · unit 元", "8,070,000,000,000 CNY"),
    # a qualifier before the figure, outside its span (超过137万人)
    ((EXPO, "137万人"), "qualifier 超过 · number 137 · multiplier 万 · unit 人", "1,370,000 count"),
    # a qualifier inside the number (230多家) and after it (60%左右)
    ((TRADE, "230多家"), "number 230 · qualifier 多 · unit 家", "230 count"),
    ((f"{AIR}", "每天飞行近80万架次"), "per 天 · number 80 · multiplier 万 · unit 架次", "800,000 count/day"),
    ((TRADE, "0.3个百分点"), "number 0.3 · unit 个百分点", "0.3 pp"),
]


@pytest.mark.parametrize(("figure", "parts", "value"), CARDS, ids=[c[0][1] for c in CARDS])
def test_a_fresh_figure_verifies_and_shows_its_rule_and_parts(
    corpus: Path, figure: tuple[str, str], parts: str, value: str
) -> None:
    rec = record(corpus, *figure)
    result = audit(rec["id"], "--run", "run.jsonl")
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert out.startswith(f"{rec['doc']}:{rec['line']}:{rec['column']}  ✓ verified  the file is unchanged\n")
    assert rec["sentence"] in out
    assert value in out
    rule = next(r for r in load_ruleset().all_rules if r.id == rec["rule"])
    assert f"{rec['pack']} {rec['rule']}  {rule.origin}" in out  # origin: file:line of the rule
    assert f"matched  {parts}\n" in out


def test_a_figure_named_by_doc_offset_or_id_prefix_is_the_same_figure(corpus: Path) -> None:
    rec = record(corpus, EXPO, "834.9亿美元")
    by_id = audit(rec["id"], "--run", "run.jsonl")
    assert audit(f"{EXPO}:{rec['start'] + 3}", "--run", "run.jsonl").stdout == by_id.stdout
    assert audit(rec["id"][:8], "--run", "run.jsonl").stdout == by_id.stdout
    # The run on standard input.
    piped = audit(rec["id"], stdin=(corpus / "run.jsonl").read_bytes())
    assert piped.exit_code == 0 and piped.stdout == by_id.stdout


def test_a_paragraph_inserted_above_makes_it_drifted_with_its_new_line(corpus: Path) -> None:
    rec = record(corpus, EXPO, "834.9亿美元")
    edit(corpus / EXPO, "黄浦江畔，", "编者按：本文为进博会系列报道之一。\n\n黄浦江畔，")
    result = audit(rec["id"], "--run", "run.jsonl")
    assert result.exit_code == 1, result.output
    line, column = rec["line"] + 2, rec["column"]
    assert result.stdout.splitlines()[0] == (
        f"{EXPO}:{line}:{column}  ~ drifted  the file changed; the figure is now at {line}:{column}, "
        "in the same sentence"
    )
    [obj] = audit_json(rec["id"], "--run", "run.jsonl")
    assert (obj["state"], obj["line"], obj["new_line"], obj["new_column"]) == (
        "drifted",
        rec["line"],
        line,
        column,
    )


def test_a_figure_whose_own_number_was_edited_is_missing(corpus: Path) -> None:
    rec = record(corpus, EXPO, "834.9亿美元")
    edit(corpus / EXPO, "834.9亿美元", "835.1亿美元")
    result = audit(rec["id"], "--run", "run.jsonl")
    assert result.exit_code == 1, result.output
    assert result.stdout.splitlines()[0] == (
        f"{EXPO}:11:61  ✗ missing  the file changed; the figure's sentence is gone"
    )


def test_a_deleted_file_is_named_as_gone(corpus: Path) -> None:
    rec = record(corpus, EXPO, "834.9亿美元")
    (corpus / EXPO).unlink()
    result = audit(rec["id"], "--run", "run.jsonl")
    assert result.exit_code == 1, result.output
    assert result.stdout.splitlines()[0] == (
        f"{EXPO}:11:61  ✗ source-missing  the source is gone: {EXPO} does not exist"
    )


@pytest.mark.parametrize(
    ("target", "message"),
    [
        ("0123456789abcdef", "0123456789abcdef: no such figure in the run"),
        ("abcdef", "abcdef: no such figure in the run"),
        ("92a4", "92a4: not a figure id (at least 6 hex characters) or DOC:OFFSET"),
        (f"{EXPO}:0", f"{EXPO}:0: no such figure in the run"),  # offset 0 is a blank line: no figure there
        ("seeds/nothing.txt:122", "seeds/nothing.txt:122: no such figure in the run"),
    ],
)
def test_an_unknown_figure_exits_2(corpus: Path, target: str, message: str) -> None:
    result = audit(target, "--run", "run.jsonl")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert f"error: {message}" in result.stderr


@pytest.mark.parametrize(
    ("line", "content", "cause"),
    [
        (3, "{not json", "not JSON"),
        (2, "[1, 2]", "a record is a JSON object, not an array"),
        (4, '{"doc": "a.txt"}', "not a figure record: no 'id' field"),
    ],
)
def test_a_bad_line_of_the_run_is_named_with_its_number(
    corpus: Path, line: int, content: str, cause: str
) -> None:
    lines = (corpus / "run.jsonl").read_text(encoding="utf-8").splitlines()
    target = json.loads(lines[0])["id"]
    lines[line - 1] = content
    (corpus / "bad.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    for args in ((target, "--run", "bad.jsonl"), ("--all", "bad.jsonl")):
        result = audit(*args)
        assert result.exit_code == 2, result.output
        assert f"error: bad.jsonl:{line}: {cause}" in result.stderr


def test_a_run_that_cannot_be_read_exits_2(corpus: Path) -> None:
    result = audit("--all", "nothing.jsonl")
    assert result.exit_code == 2
    assert "error: nothing.jsonl: cannot read the run: no such file or directory" in result.stderr


# --- a whole run ---------------------------------------------------------------------------------


def test_audit_all_on_a_fresh_run_verifies_every_figure(corpus: Path) -> None:
    result = audit("--all", "run.jsonl")
    assert result.exit_code == 0, result.output
    n = len(records(corpus))
    assert result.stdout.splitlines()[-1] == f"{n} figures in 5 documents: {n} verified — all verified"
    assert audit_json("--all", "run.jsonl") == []


def test_audit_all_after_one_edit_names_exactly_the_figures_of_the_edited_sentence(corpus: Path) -> None:
    rec = record(corpus, EXPO, "834.9亿美元")
    edit(corpus / EXPO, "834.9亿美元", "835.1亿美元")  # same length: nothing else moves
    failed = audit_json("--all", "run.jsonl")
    expected = {r["id"] for r in records(corpus) if r["doc"] == EXPO and r["sentence"] == rec["sentence"]}
    assert len(expected) == 3  # 一年, 834.9亿美元, 4.4%
    assert {f["id"] for f in failed} == expected
    assert {f["state"] for f in failed} == {"missing"}
    result = audit("--all", "run.jsonl")
    assert result.exit_code == 1
    n = len(records(corpus))
    assert result.stdout.splitlines()[-1] == (
        f"{n} figures in 5 documents: {n - 3} verified, 3 missing — 3 not verified"
    )


def test_audit_all_after_an_insertion_verifies_figures_above_it_and_drifts_those_below(corpus: Path) -> None:
    rec = record(corpus, EXPO, "834.9亿美元")
    edit(corpus / EXPO, "黄浦江畔，", "编者按：本文为进博会系列报道之一。\n\n黄浦江畔，")
    failed = {f["id"]: f for f in audit_json("--all", "run.jsonl")}
    expo = [r for r in records(corpus) if r["doc"] == EXPO]
    below = [r for r in expo if r["start"] > rec["start"] - 100]
    assert set(failed) == {r["id"] for r in below}
    for r in below:
        assert (failed[r["id"]]["state"], failed[r["id"]]["new_line"]) == ("drifted", r["line"] + 2)


def test_a_changed_file_whose_figure_stays_in_place_still_verifies(corpus: Path) -> None:
    """The hash differs, but the figure and its sentence are where the record says: verified, and why."""
    rec = record(corpus, EXPO, "834.9亿美元")
    last = record(corpus, EXPO, "12.7平方公里")
    edit(corpus / EXPO, "12.7平方公里", "12.9平方公里")  # below it, same length
    result = audit(rec["id"], "--run", "run.jsonl")
    assert result.exit_code == 0
    assert (
        "✓ verified  the file changed, but the figure and its sentence are where they were" in result.stdout
    )
    assert audit(last["id"], "--run", "run.jsonl").exit_code == 1


def test_audit_all_reads_each_source_once(corpus: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    opened: Counter[str] = Counter()
    real = factx.audit.read_source

    def counting(rec: factx.audit.RunRecord, root: Path | str | None = None) -> object:
        opened[rec.doc] += 1
        return real(rec, root)

    monkeypatch.setattr(factx.audit, "read_source", counting)
    summary = audit_run("run.jsonl")
    docs = Counter(r["doc"] for r in records(corpus))
    assert opened == Counter(dict.fromkeys(docs, 1))
    assert {doc: sum(c.values()) for doc, c in summary.per_doc.items()} == dict(docs)


def test_audit_figures_keeps_the_order_asked_and_reads_a_root(
    corpus: Path, tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """From another working folder, --root says where the records' doc paths start."""
    recs = list(read_run(corpus / "run.jsonl"))
    chosen = [recs[200], recs[3], recs[100]]
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    monkeypatch.chdir(elsewhere)
    assert [r.state for r in audit_figures(chosen)] == ["source-missing"] * 3
    results: list[AuditResult] = audit_figures(chosen, root=corpus)
    assert [r.record.id for r in results] == [c.id for c in chosen]
    assert [r.state for r in results] == ["verified"] * 3
    assert audit("--all", corpus / "run.jsonl", "--root", corpus).exit_code == 0


# --- pieces --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("number", "parts"),
    [
        ("834.9亿", ("834.9", "", "亿")),
        ("8.07万亿", ("8.07", "", "万亿")),
        ("3千万", ("3", "", "千万")),
        ("三千五百万", ("三千五百", "", "万")),
        ("500多亿", ("500", "多", "亿")),
        ("230多", ("230", "多", "")),
        ("4108", ("4108", "", "")),
        ("一千", ("一千", "", "")),  # 千 inside a Chinese numeral is a digit's place, not a multiplier
        ("万", ("万", "", "")),
    ],
)
def test_split_number(number: str, parts: tuple[str, str, str]) -> None:
    assert split_number(number, load_ruleset()) == parts


@pytest.mark.parametrize(
    ("text", "offset", "line_column"),
    [
        ("第一行\n第二行", 4, (2, 1)),
        ("第一行\r\n第二行", 5, (2, 1)),  # CRLF is one line end
        ("第一行\r第二行\r第三行", 9, (3, 2)),  # a lone CR ends a line too
        ("一\n\n\n共有12家", 6, (4, 3)),
        ("没有换行", 3, (1, 4)),
    ],
)
def test_line_index(text: str, offset: int, line_column: tuple[int, int]) -> None:
    assert LineIndex(text).line_column(offset) == line_column


@pytest.mark.parametrize(
    ("raw", "cause"),
    [
        (b"", "not JSON"),
        (b'"a string"', "a record is a JSON object, not a string"),
        (b'{"id": "a", "doc": "d"}', "not a figure record: no 'start' field"),
        (
            b'{"id": "a", "doc": "d", "start": "3", "end": 4, "line": 1, "column": 1, "text": "x", '
            b'"sentence": "x", "sentence_start": 0, "sentence_end": 1}',
            "'start' is a string, not a whole number",
        ),
        (
            b'{"id": "a", "doc": "d", "start": 5, "end": 4, "line": 1, "column": 1, "text": "x", '
            b'"sentence": "x", "sentence_start": 0, "sentence_end": 1}',
            "start 5 and end 4 are not a span",
        ),
    ],
)
def test_parse_record_names_what_is_wrong(raw: bytes, cause: str) -> None:
    with pytest.raises(RunError) as caught:
        parse_record(raw, "run.jsonl", 7)
    assert str(caught.value).startswith(f"run.jsonl:7: {cause}")


def test_extra_keys_of_later_records_are_kept_and_shown(corpus: Path) -> None:
    """Records may carry context fields (metric, period …): the card shows them, nothing chokes on them."""
    lines = (corpus / "run.jsonl").read_text(encoding="utf-8").splitlines()
    rec = record(corpus, EXPO, "834.9亿美元")
    index = next(i for i, line in enumerate(lines) if json.loads(line)["id"] == rec["id"])
    lines[index] = json.dumps({**rec, "metric": "意向成交额", "period": "按一年计"}, ensure_ascii=False)
    (corpus / "run.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = audit(rec["id"], "--run", "run.jsonl")
    assert result.exit_code == 0, result.output
    assert "metric   意向成交额" in result.stdout and "period   按一年计" in result.stdout


def test_repeated_sentences_drift_each_to_its_own_copy(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A document that says the same sentences three times: after a line inserted on top, each figure
    is found in its own copy (one line down), not in the first copy of its sentence."""
    seed = (SEEDS / "004_8765960b682b9259.txt").read_text(encoding="utf-8")
    (tmp_path / "thrice.txt").write_text(seed * 3, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != "FACTX_RULES"}
    subprocess.run(
        [sys.executable, "-m", "factx", "extract", "thrice.txt", "-o", "run.jsonl"],
        cwd=tmp_path,
        env=env,
        check=True,
    )
    monkeypatch.chdir(tmp_path)
    before = records(tmp_path)
    assert len({r["sentence"] for r in before}) * 3 <= len(
        {(r["sentence"], r["sentence_start"]) for r in before}
    )
    edit(tmp_path / "thrice.txt", seed * 3, "（更正：本行为新插入的内容。）\n" + seed * 3)
    moved = {f["id"]: f for f in audit_json("--all", "run.jsonl")}
    assert len(moved) == len(before)
    for r in before:
        assert (moved[r["id"]]["new_line"], moved[r["id"]]["new_column"]) == (r["line"] + 1, r["column"]), r[
            "text"
        ]


# --- docs/audit.md -------------------------------------------------------------------------------

DOC = (REPO / "docs" / "audit.md").read_text(encoding="utf-8")
DOC_OUTPUT = re.compile(r"<!-- audit-output: (?P<args>[^>]*?) -->\n```\n(?P<body>.*?)\n```", re.S)


def doc_output(args: str) -> str:
    shown = {m["args"]: m["body"] for m in DOC_OUTPUT.finditer(DOC)}
    assert args in shown, f"no block <!-- audit-output: {args} --> in docs/audit.md"
    return shown[args]


def test_the_doc_describes_every_state() -> None:
    for state in STATES:
        assert f"| `{state}` |" in DOC


def test_the_cards_shown_in_the_doc_are_what_audit_prints(corpus: Path) -> None:
    # The doc shows the rule's file:line from the repository's root, where the doc's commands run.
    def printed(*args: str) -> str:
        return audit(*args).stdout.replace(f"{REPO}{os.sep}", "").rstrip("\n")

    assert printed("92a47decace91bb6", "--run", "run.jsonl") == doc_output("92a47decace91bb6 --run run.jsonl")
    edit(corpus / EXPO, "黄浦江畔，", "编者按：本文为进博会系列报道之一。\n\n黄浦江畔，")
    shown = doc_output("92a47decace91bb6 --run run.jsonl (after inserting a paragraph)")
    assert printed("92a47decace91bb6", "--run", "run.jsonl").splitlines()[0] == shown


def test_a_copy_of_a_sentence_that_moved_onto_the_next_copys_place_is_not_taken_for_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Three copies of one sentence, and a line of the same length inserted on top: each copy now
    stands where the one before it stood. Each figure drifts one line, to its own copy."""
    line = "一季度营收增长5%。\n"
    (tmp_path / "q.txt").write_text(line * 3, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != "FACTX_RULES"}
    subprocess.run(
        [sys.executable, "-m", "factx", "extract", "q.txt", "-o", "run.jsonl"],
        cwd=tmp_path,
        env=env,
        check=True,
    )
    monkeypatch.chdir(tmp_path)
    before = records(tmp_path)
    assert [(r["text"], r["line"]) for r in before] == [("5%", 1), ("5%", 2), ("5%", 3)]
    inserted = "二季度利润下降7%。\n"
    assert len(inserted) == len(line)
    (tmp_path / "q.txt").write_text(inserted + line * 3, encoding="utf-8")
    moved = audit_json("--all", "run.jsonl")
    assert [(m["state"], m["new_line"]) for m in moved] == [("drifted", 2), ("drifted", 3), ("drifted", 4)]

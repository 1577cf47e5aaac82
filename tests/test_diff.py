"""``factx diff``: which figures changed between two runs, and only those.

Scenario tests edit copies of the seeds and run the real extraction (``factx extract``) before and
after; library tests pin pairing, exact values and errors on small runs written here; CLI tests pin
the exit status and the exact output of every format.
"""

from __future__ import annotations

import json
import os
import shutil
import threading
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner, Result

from factx.cli import app
from factx.cli_diff import register
from factx.diff import (
    SIMILARITY_THRESHOLD,
    STATUSES,
    Difference,
    RunError,
    diff_document,
    diff_runs,
    parse_record,
)
from factx.output.diff_view import relative_change

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO / "seeds"
EXPO = "000_8a70859ab80dc299.txt"  # the import expo report: 834.9亿美元, 4.4%, 4108家 …

runner = CliRunner()
diff_app = typer.Typer()


@diff_app.callback()
def _factx() -> None:
    """Stands for the factx app, so that the command is called as `diff`, as in `factx diff`."""


register(diff_app)


@pytest.fixture(autouse=True)
def _no_env_packs(monkeypatch: pytest.MonkeyPatch) -> None:
    """Packs named by FACTX_RULES in the caller's environment must not change what is extracted."""
    monkeypatch.delenv("FACTX_RULES", raising=False)


def run_diff(*args: object) -> Result:
    return runner.invoke(diff_app, ["diff", *map(str, args)])


def extract(folder: Path, out: Path) -> list[dict]:
    """``factx extract FOLDER -o OUT``; the records written."""
    result = runner.invoke(app, ["extract", str(folder), "-o", str(out)])
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]


def json_diff(old: Path, new: Path, *options: str) -> list[dict]:
    result = run_diff(old, new, "--format", "json", *options)
    assert result.exit_code in (0, 1), result.output
    return [json.loads(line) for line in result.stdout.splitlines()]


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} is not in {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """A copy of the seeds to edit."""
    return Path(shutil.copytree(SEEDS, tmp_path / "corpus"))


@pytest.fixture
def before(corpus: Path, tmp_path: Path) -> tuple[Path, list[dict]]:
    """The run over the unedited copy, and its records."""
    out = tmp_path / "old.jsonl"
    return out, extract(corpus, out)


def after(corpus: Path) -> Path:
    """The run over the copy as edited since."""
    out = corpus.parent / "new.jsonl"
    extract(corpus, out)
    return out


def summary(counts: dict[str, int], documents: int = 5) -> str:
    return ", ".join(f"{counts.get(s, 0)} {s}" for s in STATUSES) + f" in {documents} documents\n"


# --- scenarios on copies of the seeds ---------------------------------------------------------------


def test_unchanged_rerun_prints_only_the_summary(corpus: Path, before: tuple[Path, list[dict]]) -> None:
    old, records = before
    result = run_diff(old, after(corpus))
    assert result.exit_code == 0, result.output
    assert result.stdout == summary({"same": len(records)})
    assert result.stderr == ""


def test_one_edited_number_is_exactly_one_change(corpus: Path, before: tuple[Path, list[dict]]) -> None:
    # 834.9亿美元 shares its sentence with 一年 and 4.4%: their ids change too, and they still pair.
    old, records = before
    edit(corpus / EXPO, "意向成交额达834.9亿美元", "意向成交额达835.9亿美元")
    new = after(corpus)
    changes = json_diff(old, new, "--only", ",".join(STATUSES))
    assert Counter(c["class"] for c in changes) == {"changed": 1, "same": len(records) - 1}
    [changed] = [c for c in changes if c["class"] == "changed"]
    assert (changed["old"]["text"], changed["old"]["value"]) == ("834.9亿美元", 83490000000)
    assert (changed["new"]["text"], changed["new"]["value"]) == ("835.9亿美元", 83590000000)
    assert changed["id"] == changed["new"]["id"] != changed["old"]["id"]
    assert changed["doc"] == (changed["new"]["path"] or changed["new"]["doc"])

    table = run_diff(old, new)
    assert table.exit_code == 1
    assert "834.9亿美元 = 83490000000 USD" in table.stdout
    assert "835.9亿美元 = 83590000000 USD" in table.stdout
    assert "+0.12%" in table.stdout  # 1亿 more on 834.9亿: 0.1198%
    assert table.stdout.endswith(summary({"changed": 1, "same": len(records) - 1}))


def test_edited_number_gives_the_exact_relative_change(corpus: Path, before: tuple[Path, list[dict]]) -> None:
    old, _ = before
    edit(corpus / EXPO, "比上届增长4.4%", "比上届增长4.7%")
    [d] = list(diff_runs(old, after(corpus)))
    assert d.status == "changed" and d.fields == ("value",)
    assert d.old is not None and d.new is not None
    assert (d.old.exact("value"), d.new.exact("value")) == (Decimal("4.4"), Decimal("4.7"))
    assert d.relative_change == (Decimal("4.7") - Decimal("4.4")) / Decimal("4.4")  # no float noise
    assert relative_change(d.relative_change) == "+6.82%"


def test_inserted_paragraph_is_exactly_two_added(corpus: Path, before: tuple[Path, list[dict]]) -> None:
    old, records = before
    path = corpus / EXPO
    path.write_text(
        "今年共有120家企业首次参展，意向成交额达到3.5亿元。\n\n" + path.read_text("utf-8"), "utf-8"
    )
    new = after(corpus)
    changes = json_diff(old, new)
    assert [(c["class"], c["new"]["text"]) for c in changes] == [("added", "120家"), ("added", "3.5亿元")]
    assert all(c["old"] is None for c in changes)
    # Every other figure keeps its id, though each one's offset and line moved down.
    new_ids = {json.loads(line)["id"] for line in new.read_text("utf-8").splitlines()}
    assert {r["id"] for r in records} <= new_ids
    assert run_diff(old, new).stdout.endswith(summary({"added": 2, "same": len(records)}))


def test_swapped_paragraphs_add_remove_and_change_nothing(
    corpus: Path, before: tuple[Path, list[dict]]
) -> None:
    old, records = before
    path = corpus / EXPO
    lines = path.read_text("utf-8").split("\n")
    first = next(i for i, line in enumerate(lines) if line.startswith("首届进博会上，30万平方米展厅内"))
    second = next(i for i, line in enumerate(lines) if line.startswith("本届进博会，不仅总展览面积"))
    lines[first], lines[second] = lines[second], lines[first]
    path.write_text("\n".join(lines), "utf-8")
    new = after(corpus)
    assert run_diff(old, new).exit_code == 0  # moved is not shown, and so does not fail, unless asked
    changes = json_diff(old, new, "--only", "changed,added,removed,moved")
    assert {c["class"] for c in changes} == {"moved"}
    # One paragraph's figures stayed in order with the rest of the document; the other's moved.
    moved = [c["new"]["text"] for c in changes]
    assert moved in (["4108家"], ["30万平方米", "360多家"])
    assert run_diff(old, new, "--only", "moved").exit_code == 1


def test_reworded_sentence_keeps_its_figures_paired(corpus: Path, before: tuple[Path, list[dict]]) -> None:
    old, records = before
    edit(
        corpus / EXPO,
        "按一年计意向成交额达834.9亿美元，比上届增长4.4%，创历史新高。",
        "按一年计算，意向成交额达到834.9亿美元，较上届增长4.4%，再创历史新高。",
    )
    new = after(corpus)
    result = run_diff(old, new)
    assert result.exit_code == 0, result.stdout
    assert result.stdout == summary({"same": len(records)})
    by_text = {c["new"]["text"]: c for c in json_diff(old, new, "--only", "same")}
    paired = by_text["834.9亿美元"]
    assert paired["old"]["id"] != paired["new"]["id"]  # a new id: paired by its sentence, not its id
    assert paired["old"]["sentence"] != paired["new"]["sentence"]


def test_same_corpus_from_two_folders_is_no_difference(tmp_path: Path) -> None:
    # Records carry the path relative to the folder named on the command line: the documents pair by it.
    a = Path(shutil.copytree(SEEDS, tmp_path / "a" / "seeds"))
    b = Path(shutil.copytree(SEEDS, tmp_path / "b" / "copy-of-seeds"))
    records = extract(a, tmp_path / "a.jsonl")
    extract(b, tmp_path / "b.jsonl")
    result = run_diff(tmp_path / "a.jsonl", tmp_path / "b.jsonl")
    assert result.exit_code == 0, result.stdout
    assert result.stdout == summary({"same": len(records)})


def test_corrupt_line_is_exit_2_naming_it(before: tuple[Path, list[dict]], tmp_path: Path) -> None:
    old, _ = before
    lines = old.read_text("utf-8").splitlines(keepends=True)
    lines[6] = lines[6][: len(lines[6]) // 2] + "\n"  # a run cut short while it was written
    broken = tmp_path / "broken.jsonl"
    broken.write_text("".join(lines), "utf-8")
    for args in ((old, broken), (broken, old)):
        result = run_diff(*args)
        assert result.exit_code == 2
        assert result.stderr.startswith(f"error: {broken}:7: not JSON (")


# --- reading runs: errors, order, pipes ------------------------------------------------------------

BASE = {
    "id": "a1",
    "doc": "runs/进博会.txt",
    "start": 10,
    "end": 18,
    "line": 3,
    "column": 11,
    "text": "834.9亿美元",
    "kind": "money",
    "value": 83490000000,
    "value_high": None,
    "unit": "USD",
    "approx": None,
    "change": None,
    "classifier": None,
    "per": None,
    "sentence": "按一年计意向成交额达834.9亿美元，创历史新高。",
    "sentence_start": 0,
    "sentence_end": 24,
    "pack": "core.figures",
    "rule": "figure.unit",
    "path": "进博会.txt",
}


class Literal(str):
    """A number as it is written on the line (json.dumps would write a float's shortest form)."""


def line(**fields: object) -> str:
    record = {**BASE, **fields}
    literals = {name: value for name, value in record.items() if isinstance(value, Literal)}
    text = json.dumps({**record, **{name: f"@{name}@" for name in literals}}, ensure_ascii=False)
    for name, value in literals.items():
        text = text.replace(f'"@{name}@"', value)
    return text + "\n"


@pytest.mark.parametrize(
    ("text", "cause"),
    [
        # not JSON
        ('{"id": "a1", "doc": "进', "not JSON ("),
        ("{'id': 'a1'}", "not JSON ("),
        # JSON, not a record
        ("[1, 2]", "a record is a JSON object, not an array"),
        ('"834.9亿美元"', "a record is a JSON object, not a string"),
        (
            json.dumps({k: v for k, v in BASE.items() if k != "value"}),
            "not a figure record: no 'value' field",
        ),
        (
            json.dumps({k: v for k, v in BASE.items() if k != "sentence"}),
            "not a figure record: no 'sentence' field",
        ),
        # a record whose fields have the wrong types
        (line(value="834.9亿"), "'value' is a string, not a number"),
        (line(value=True), "'value' is a boolean, not a number"),
        (line(value_high="5"), "'value_high' is a string, not a number or null"),
        (line(start=1.5), "'start' is a number, not a whole number"),
        (line(approx=1), "'approx' is a number, not a string or null"),
        (line(path=None), "'path' is null, not a string"),
        (line(id=""), "'id' is empty"),
    ],
)
def test_bad_line_is_named_with_its_cause(tmp_path: Path, text: str, cause: str) -> None:
    run = tmp_path / "run.jsonl"
    run.write_text(line() + "\n" + text.rstrip("\n") + "\n", "utf-8")  # line 2 is blank: skipped, counted
    with pytest.raises(RunError) as caught:
        list(diff_runs(run, run))
    assert str(caught.value).startswith(f"{run}:3: {cause}")
    result = run_diff(run, run, "--format", "json")
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr.startswith(f"error: {run}:3: {cause}")


@pytest.mark.parametrize(
    ("make", "cause"),
    [
        (lambda p: None, "cannot read the run: no such file or directory"),
        (lambda p: p.mkdir(), "cannot read the run: is a directory"),
    ],
)
def test_unreadable_run_is_exit_2(tmp_path: Path, make, cause: str) -> None:  # type: ignore[no-untyped-def]
    good, bad = tmp_path / "good.jsonl", tmp_path / "bad.jsonl"
    good.write_text(line(), "utf-8")
    make(bad)
    result = run_diff(good, bad)
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == f"error: {bad}: {cause}\n"


def test_runs_neither_grouped_nor_sorted_diff_as_sorted_ones(
    before: tuple[Path, list[dict]], tmp_path: Path
) -> None:
    old, records = before
    # Documents in reverse order, and their records dealt out in turns (each document's in order).
    by_doc: dict[str, list[str]] = {}
    for raw in old.read_text("utf-8").splitlines(keepends=True):
        by_doc.setdefault(json.loads(raw)["doc"], []).append(raw)
    queues = [lines for _, lines in sorted(by_doc.items(), reverse=True)]
    dealt = []
    while any(queues):
        for queue in queues:
            if queue:
                dealt.append(queue.pop(0))
    shuffled = tmp_path / "dealt.jsonl"
    shuffled.write_text("".join(dealt), "utf-8")
    result = run_diff(old, shuffled)
    assert result.exit_code == 0, result.stdout
    assert result.stdout == summary({"same": len(records)})


def test_lines_alike_but_for_doc_keep_each_runs_record(tmp_path: Path) -> None:
    # Two folders: each line of one run is the other's but for its doc. The new line is parsed for
    # both, and each side still shows its own record as written.
    old, new = tmp_path / "old.jsonl", tmp_path / "new.jsonl"
    old.write_text(line(doc="a/进博会.txt") + line(id="a2", doc="a/进博会.txt", value=4.4), "utf-8")
    new.write_text(line(doc="b/进博会.txt") + line(id="a2", doc="b/进博会.txt", value=4.4), "utf-8")
    changes = [
        json.loads(x) for x in run_diff(old, new, "--format", "json", "--only", "same").stdout.splitlines()
    ]
    assert [(c["old"]["doc"], c["new"]["doc"]) for c in changes] == [("a/进博会.txt", "b/进博会.txt")] * 2
    assert {c["doc"] for c in changes} == {"进博会.txt"}


def test_a_bad_doc_in_a_line_alike_is_still_found(tmp_path: Path) -> None:
    old, new = tmp_path / "old.jsonl", tmp_path / "new.jsonl"
    old.write_text(line() + line(id="a2", doc="a/\x01.txt").replace("\\u0001", "\x01"), "utf-8")
    new.write_text(line() + line(id="a2", doc="b/x.txt"), "utf-8")
    assert "\x01" in old.read_text("utf-8")  # a raw control character: not valid in a JSON string
    result = run_diff(old, new)
    assert result.exit_code == 2
    assert result.stderr.startswith(f"error: {old}:2: not JSON (")


def test_a_pipe_is_read_like_a_file(before: tuple[Path, list[dict]], tmp_path: Path) -> None:
    # `factx diff <(factx extract a/) <(factx extract b/)`: the runs come through pipes, read once.
    old, records = before
    fifo = tmp_path / "run.fifo"
    os.mkfifo(fifo)
    data = old.read_bytes()

    def feed() -> None:
        with open(fifo, "wb") as fh:
            fh.write(data)

    writer = threading.Thread(target=feed)
    writer.start()
    run = diff_runs(old, fifo)
    assert list(run) == []
    writer.join()
    assert run.summary.counts == {"same": len(records)}
    assert run.summary.documents == 5


# --- pairing and classifying, on records written here ----------------------------------------------


def records(*rows: dict[str, object]) -> list:
    return [parse_record(line(**row).encode(), "run", i + 1, i) for i, row in enumerate(rows)]


S1 = "按一年计意向成交额达834.9亿美元，比上届增长4.4%，创历史新高。"
S1_EDITED = "按一年计意向成交额达835.9亿美元，比上届增长4.4%，创历史新高。"
S2 = "本届进博会共有4108家企业参展。"
S3 = "6天时间里，155个国家、地区和国际组织参与。"
S4 = "首届进博会上，30万平方米展厅内，360多家企业参展。"

EXPO_OLD = [
    dict(id="a1", text="834.9亿美元", value=83490000000, sentence=S1, start=10, sentence_start=0),
    dict(id="a2", text="4.4%", kind="percent", value=4.4, unit="%", change="increase", sentence=S1, start=24),
    dict(id="a3", text="4108家", kind="count", value=4108, unit="count", sentence=S2, start=40, line=5),
    dict(id="a4", text="155个", kind="count", value=155, unit="count", sentence=S3, start=60, line=7),
]
EXPO_NEW = [
    dict(id="b1", text="835.9亿美元", value=83590000000, sentence=S1_EDITED, start=10, sentence_start=0),
    dict(
        id="b2",
        text="4.4%",
        kind="percent",
        value=4.4,
        unit="%",
        change="increase",
        sentence=S1_EDITED,
        start=24,
    ),
    dict(id="a4", text="155个", kind="count", value=155, unit="count", sentence=S3, start=60, line=6),
    dict(id="b5", text="30万平方米", kind="measure", value=300000, unit="m2", sentence=S4, start=80, line=8),
]


def classes(differences: list[Difference]) -> list[tuple[str, str, str]]:
    return [(d.status, d.old.id if d.old else "-", d.new.id if d.new else "-") for d in differences]


def test_document_pairs_by_id_then_by_sentence() -> None:
    counts: Counter[str] = Counter()
    found = diff_document("进博会.txt", records(*EXPO_OLD), records(*EXPO_NEW), STATUSES, counts)
    assert classes(found) == [
        ("changed", "a1", "b1"),  # its sentence edited: paired by kind, unit and the closest sentence
        ("same", "a2", "b2"),  # its id changed with the sentence; its value did not
        ("removed", "a3", "-"),  # shown after the new place of the figure before it
        ("same", "a4", "a4"),
        ("added", "-", "b5"),
    ]
    assert counts == {"changed": 1, "same": 2, "removed": 1, "added": 1}


@pytest.mark.parametrize(
    ("old", "new", "status", "fields"),
    [
        # values compared exactly, by the literals as written
        (dict(value=4.4), dict(value=Literal("4.40")), "same", ()),
        (dict(value=1000), dict(value=Literal("1e3")), "same", ()),
        (dict(value=Literal("0.1")), dict(value=Literal("0.10000000000000001")), "changed", ("value",)),
        (dict(value=83490000000), dict(value=83490000001), "changed", ("value",)),
        (
            dict(value=3, value_high=5, approx="range"),
            dict(value=3, value_high=6, approx="range"),
            "changed",
            ("value_high",),
        ),
        # what else makes a change
        (dict(unit="USD"), dict(unit="CNY"), "changed", ("unit",)),
        (dict(per=None), dict(per="m2"), "changed", ("per",)),
        (dict(approx=None), dict(approx="about"), "changed", ("approx",)),
        (dict(change="increase"), dict(change="decrease"), "changed", ("change",)),
        (dict(kind="money", unit="x"), dict(kind="multiple", unit="x"), "changed", ("kind",)),
        # and what does not
        (dict(start=10, line=3), dict(start=99, line=9), "same", ()),
        (dict(classifier="家"), dict(classifier="个"), "same", ()),
        (dict(text="834.9亿美元"), dict(text="834.90亿美元"), "same", ()),
    ],
)
def test_what_makes_a_pair_changed(old: dict, new: dict, status: str, fields: tuple[str, ...]) -> None:
    [d] = diff_document("进博会.txt", records(old), records(new))
    assert (d.status, d.fields) == (status, fields)


def test_literals_are_read_from_the_line_as_written() -> None:
    [rec] = records(dict(value=Literal("0.10000000000000001")))
    assert rec.value == 0.1  # what orjson parses
    assert rec.exact("value") == Decimal("0.10000000000000001")  # what the line says


def test_unit_change_at_the_same_place_pairs_as_changed() -> None:
    # A pack that knows 标准箱 reads 5万 as 5万标准箱: the same place of the same sentence.
    sentence = "上海港集装箱吞吐量达到5万标准箱。"
    old = dict(id="c1", text="5万", kind="count", value=50000, unit="count", sentence=sentence, start=11)
    new = dict(id="c2", text="5万标准箱", kind="count", value=50000, unit="TEU", sentence=sentence, start=11)
    [d] = diff_document("港口.txt", records(old), records(new))
    assert (d.status, d.fields) == ("changed", ("unit",))


def test_a_figure_in_another_sentence_is_not_paired() -> None:
    # Same kind and unit, but a sentence with nothing in common: removed and added, not changed.
    old = dict(id="d1", text="4108家", kind="count", value=4108, unit="count", sentence=S2)
    new = dict(id="d2", text="155个", kind="count", value=155, unit="count", sentence=S3)
    found = diff_document("x", records(old), records(new))
    assert classes(found) == [("removed", "d1", "-"), ("added", "-", "d2")]


@pytest.mark.parametrize(
    ("old_order", "new_order", "moved"),
    [
        ("abcdef", "abcdef", ""),
        ("abcdef", "defabc", "abc"),  # two blocks swapped: the smaller side of the swap moved (ties: first)
        ("abcdef", "abdefc", "c"),  # one figure moved down
        ("abcdef", "fabcde", "f"),  # one moved to the top
        ("abcdef", "fedcba", "abcde"),  # reversed: one stays, the rest moved
    ],
)
def test_moved_are_those_out_of_order(old_order: str, new_order: str, moved: str) -> None:
    def figs(order: str) -> list:
        return records(*(dict(id=c, sentence=f"第{c}句里有{ord(c)}家企业。") for c in order))

    found = diff_document("x", figs(old_order), figs(new_order))
    assert "".join(sorted(d.id for d in found if d.status == "moved")) == moved
    assert {d.status for d in found} <= {"same", "moved"}


def test_repeated_ids_pair_in_order() -> None:
    # Two runs concatenated by mistake repeat ids: the n-th old pairs with the n-th new.
    old = records(dict(id="e1", value=1), dict(id="e1", value=2))
    new = records(dict(id="e1", value=1), dict(id="e1", value=3))
    assert [(d.status, d.fields) for d in diff_document("x", old, new)] == [
        ("same", ()),
        ("changed", ("value",)),
    ]


def test_similarity_threshold_is_the_documented_one() -> None:
    doc = (REPO / "docs" / "diff.md").read_text("utf-8")
    assert f"at least {SIMILARITY_THRESHOLD:g}" in doc
    assert "fuzz.ratio" in doc


@pytest.mark.parametrize(
    ("ratio", "shown"),
    [
        (Decimal(100000000) / Decimal(83490000000), "+0.12%"),
        (Decimal("-0.5"), "-50%"),
        (Decimal("12"), "+1200%"),
        (Decimal("0.04"), "+4%"),
        (Decimal("123.456"), "+12346%"),
        (Decimal("0"), "0%"),
    ],
)
def test_relative_change_is_shown_with_three_digits(ratio: Decimal, shown: str) -> None:
    assert relative_change(ratio) == shown


# --- the command: exact output of each format, exit status -----------------------------------------


@pytest.fixture
def expo_runs(tmp_path: Path) -> tuple[Path, Path]:
    old, new = tmp_path / "old.jsonl", tmp_path / "new.jsonl"
    old.write_text("".join(line(**row) for row in EXPO_OLD), "utf-8")
    new.write_text("".join(line(**row) for row in EXPO_NEW), "utf-8")
    return old, new


TABLE = """\
进博会.txt
 class   ┃ id ┃ line ┃ old                           ┃ new                           ┃ Δ      ┃ sentence
━━━━━━━━━╇━━━━╇━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━
 changed │ b1 │ 3    │ 834.9亿美元 = 83490000000 USD │ 835.9亿美元 = 83590000000 USD │ +0.12% │ 按一年计意向成交额达835.9亿美元，比…
 removed │ a3 │ 5    │ 4108家 = 4108 count           │ —                             │        │ 本届进博会共有4108家企业参展。
 added   │ b5 │ 8    │ —                             │ 30万平方米 = 300000 m2        │        │ 首届进博会上，30万平方米展厅内，360…

1 changed, 1 added, 1 removed, 0 moved, 2 same in 1 document
"""  # noqa: E501 - the table as a 140-column console prints it


def test_table_output(expo_runs: tuple[Path, Path]) -> None:
    result = run_diff(*expo_runs)
    assert result.exit_code == 1
    assert [row.rstrip() for row in result.stdout.splitlines()] == TABLE.splitlines()


def test_json_output(expo_runs: tuple[Path, Path]) -> None:
    old_run, new_run = expo_runs
    result = run_diff(old_run, new_run, "--format", "json")
    assert result.exit_code == 1
    old = {r["id"]: line(**r).rstrip("\n") for r in EXPO_OLD}
    new = {r["id"]: line(**r).rstrip("\n") for r in EXPO_NEW}
    assert result.stdout == (
        f'{{"class":"changed","id":"b1","doc":"进博会.txt","old":{old["a1"]},"new":{new["b1"]}}}\n'
        f'{{"class":"removed","id":"a3","doc":"进博会.txt","old":{old["a3"]},"new":null}}\n'
        f'{{"class":"added","id":"b5","doc":"进博会.txt","old":null,"new":{new["b5"]}}}\n'
    )
    assert [json.loads(x)["old"] for x in result.stdout.splitlines()][0] == {**BASE, **EXPO_OLD[0]}


MARKDOWN = """\
| doc | class | id | line | old | new | Δ |
|---|---|---|---|---|---|---|
| 进博会.txt | changed | `b1` | 3 | 834.9亿美元 = 83490000000 USD | 835.9亿美元 = 83590000000 USD | +0.12% |
| 进博会.txt | removed | `a3` | 5 | 4108家 = 4108 count | — |  |
| 进博会.txt | added | `b5` | 8 | — | 30万平方米 = 300000 m2 |  |

1 changed, 1 added, 1 removed, 0 moved, 2 same in 1 document
"""


def test_markdown_output(expo_runs: tuple[Path, Path]) -> None:
    result = run_diff(*expo_runs, "--format", "md")
    assert (result.exit_code, result.stdout) == (1, MARKDOWN)


@pytest.mark.parametrize(
    ("options", "shown", "exit_code"),
    [
        ((), ["changed", "removed", "added"], 1),
        (("--only", "added"), ["added"], 1),
        (("--only", "same,moved"), ["same", "same"], 0),  # nothing moved: same is never a difference
        (("--only", "changed", "--fail-on", "moved"), ["changed"], 0),
        (("--fail-on", "removed"), ["changed", "removed", "added"], 1),
        (("--fail-on", "moved"), ["changed", "removed", "added"], 0),
        (("--only", " changed , removed ,"), ["changed", "removed"], 1),
    ],
)
def test_only_and_fail_on(
    expo_runs: tuple[Path, Path], options: tuple[str, ...], shown: list[str], exit_code: int
) -> None:
    result = run_diff(*expo_runs, "--format", "json", *options)
    assert result.exit_code == exit_code
    assert [json.loads(x)["class"] for x in result.stdout.splitlines()] == shown


@pytest.mark.parametrize(
    "args",
    [
        ("--only", "chnged"),
        ("--fail-on", "added,deleted"),
        ("--format", "csv"),
    ],
)
def test_usage_errors_are_exit_2(expo_runs: tuple[Path, Path], args: tuple[str, ...]) -> None:
    result = run_diff(*expo_runs, *args)
    assert (result.exit_code, result.stdout) == (2, "")
    assert args[0] in result.stderr


def test_one_run_is_a_usage_error(expo_runs: tuple[Path, Path]) -> None:
    result = run_diff(expo_runs[0])
    assert result.exit_code == 2
    assert "give two runs" in result.stderr


def test_help_documents_pairing_and_exit_status() -> None:
    result = runner.invoke(diff_app, ["diff", "--help"], terminal_width=200)
    assert result.exit_code == 0
    text = " ".join(result.stdout.split())
    assert "fuzz.ratio" in text and f"at least {SIMILARITY_THRESHOLD:g}" in text
    assert "Exit status: 0" in text


# --- rule-pack changes: one corpus, two rule sets ---------------------------------------------------

SHIPPING = """\
pack: shipping
units:
  - forms: [标准箱, TEU]
    kind: count
    unit: TEU
    examples:
      - {text: 吞吐量达到5万标准箱。, figures: [{value: 50000, unit: TEU}]}
      - {text: 标准箱规格另定。, figures: []}
"""


def test_rule_pack_change_is_reviewed_by_its_effect(tmp_path: Path) -> None:
    (tmp_path / "packs").mkdir()
    (tmp_path / "packs" / "shipping.yaml").write_text(SHIPPING, "utf-8")
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "港口.txt").write_text("上海港今年集装箱吞吐量达到5万标准箱，同比增长4.4%。\n", "utf-8")
    (docs / "进博会.txt").write_text("本届进博会共有4108家企业参展。\n", "utf-8")
    result = run_diff("--rules-new", tmp_path / "packs", docs, "--format", "json", "--only", "changed,same")
    assert result.exit_code == 1, result.output
    changes = [json.loads(x) for x in result.stdout.splitlines()]
    assert [(c["class"], c["old"]["text"], c["new"]["text"]) for c in changes] == [
        ("changed", "5万", "5万标准箱"),  # now in TEU
        ("same", "4.4%", "4.4%"),
        ("same", "4108家", "4108家"),
    ]
    assert (changes[0]["old"]["unit"], changes[0]["new"]["unit"]) == ("count", "TEU")
    # The same rule sets on both sides: nothing differs.
    same = run_diff("--rules-old", tmp_path / "packs", "--rules-new", tmp_path / "packs", docs)
    assert same.exit_code == 0, same.output
    assert same.stdout == summary({"same": 3}, documents=2)


def test_bad_rule_pack_is_exit_2_with_its_place(tmp_path: Path) -> None:
    pack = tmp_path / "bad.yaml"
    pack.write_text("pack: bad\nunits:\n  - forms: [标准箱]\n    kind: count\n", "utf-8")
    result = run_diff("--rules-new", pack, SEEDS)
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr.startswith(f"error: {pack}:")


def test_unreadable_document_in_rules_mode_is_exit_2(tmp_path: Path) -> None:
    (tmp_path / "进博会.txt").write_text("本届进博会共有4108家企业参展。\n", "utf-8")
    missing = tmp_path / "缺失.txt"
    pack = tmp_path / "shipping.yaml"
    pack.write_text(SHIPPING, "utf-8")
    result = run_diff("--rules-new", pack, tmp_path / "进博会.txt", missing, "--only", "same")
    assert result.exit_code == 2
    assert "4108家 = 4108 count" in result.stdout  # the documents that were read are still diffed
    assert result.stderr.startswith(f"error: {missing}")

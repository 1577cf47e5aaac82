"""A whole run on real and hostile inputs: pieces of long documents, worker processes, summaries,
problems reported without being asked for, and nothing lost.

The reading of each format and encoding is tested in test_sources.py, the output writer in
test_output.py; here they are put together, as a user meets them.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import factx
from factx.extract import DocumentInfo, DocumentScan
from factx.run import RunSummary, run_extract

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO / "seeds"
SEED_TEXT = "\n\n".join(p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt")))
GOOD = "全市新增外资企业4108家，实际使用外资834.9亿美元，同比增长4.4%。\n产量9100吨。\n"


def factx_cli(
    *args: str, stdin: bytes | None = b"", cwd: Path | None = None
) -> subprocess.CompletedProcess[bytes]:
    """``python -m factx ARGS`` as a user's shell runs it."""
    env = {k: v for k, v in os.environ.items() if k != "FACTX_RULES"}
    return subprocess.run(
        [sys.executable, "-m", "factx", *args],
        input=stdin,
        capture_output=True,
        env=env,
        cwd=cwd,
        timeout=300,
    )


def scan_in_slices(text: str, piece_chars: int, slice_chars: int = 777) -> list[str]:
    scanner = DocumentScan(DocumentInfo("doc.txt", "doc.txt"), piece_chars=piece_chars)
    out = []
    for i in range(0, len(text), slice_chars):
        out.extend(scanner.feed(text[i : i + slice_chars]))
    out.extend(scanner.finish())
    return [f.model_dump_json() for f in out]


# --- a long document is scanned in pieces, with the records of a whole-text scan -----------------


@pytest.mark.parametrize("piece_chars", [2048, 3333, 5000])
@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"], ids=["LF", "CRLF", "CR"])
def test_pieces_give_the_records_of_the_whole_text(piece_chars: int, newline: str) -> None:
    text = (SEED_TEXT * 2).replace("\n", newline)
    whole = scan_in_slices(text, piece_chars=10**9)
    assert len(whole) > 300
    assert scan_in_slices(text, piece_chars) == whole


def test_a_lone_cr_ends_a_line_and_a_sentence_as_lf_does() -> None:
    lf = [json.loads(r) for r in scan_in_slices(SEED_TEXT, 10**9)]
    cr = [json.loads(r) for r in scan_in_slices(SEED_TEXT.replace("\n", "\r"), 10**9)]
    assert [(r["start"], r["line"], r["column"], r["sentence"].replace("\r", "\n")) for r in cr] == [
        (r["start"], r["line"], r["column"], r["sentence"]) for r in lf
    ]
    assert lf[-1]["line"] > 50


def test_a_single_line_without_sentence_ends_is_cut_and_loses_no_figure() -> None:
    text = "，".join(f"第{i}组产量{i + 1}万吨" for i in range(3000))  # clause ends only
    records = [json.loads(r) for r in scan_in_slices(text, piece_chars=4096)]
    assert [r["value"] for r in records if r["unit"] == "kg"] == [(i + 1) * 10_000_000 for i in range(3000)]
    assert all(text[r["start"] : r["end"]] == r["text"] for r in records)


def test_a_big_file_read_in_pieces_gives_the_records_of_the_text_in_memory(tmp_path: Path) -> None:
    text = SEED_TEXT.replace("\n", "") * 60  # one line of about 1.5 million characters: several pieces
    doc = tmp_path / "one-line.txt"
    doc.write_text(text, encoding="utf-8")
    from_file = [f for f in factx.extract_paths([doc])]
    in_memory = factx.extract_document(text, doc.as_posix(), path="one-line.txt").figures
    assert len(from_file) == len(in_memory) > 10_000
    assert [(f.start, f.end, f.text, f.value, f.id) for f in from_file] == [
        (f.start, f.end, f.text, f.value, f.id) for f in in_memory
    ]
    assert from_file[-1].line == 1
    assert max(len(f.sentence) for f in from_file) <= 600  # capped near the figure


# --- worker processes write what one process writes -------------------------------------------


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Twelve documents of varied size, one large enough to go through a spool file, in sub-folders."""
    root = tmp_path_factory.mktemp("corpus")
    for i, seed in enumerate(sorted(SEEDS.glob("*.txt"))):
        (root / f"part{i % 2}").mkdir(exist_ok=True)
        (root / f"part{i % 2}" / seed.name).write_bytes(seed.read_bytes())
        (root / f"copy_{i}.md").write_text(seed.read_text(encoding="utf-8") * (i + 1), encoding="utf-8")
    (root / "big.txt").write_text(SEED_TEXT * 12, encoding="utf-8")  # > 1 MB of records
    (root / "gbk.txt").write_bytes(GOOD.encode("gb18030"))
    return root


def test_jobs_2_writes_the_bytes_of_jobs_1(corpus: Path, tmp_path: Path) -> None:
    one, two = tmp_path / "one.jsonl", tmp_path / "two.jsonl"
    first = factx_cli("extract", str(corpus), "-o", str(one), "--jobs", "1")
    second = factx_cli("extract", str(corpus), "-o", str(two), "--jobs", "2")
    assert first.returncode == second.returncode == 0, second.stderr.decode()
    assert one.read_bytes() == two.read_bytes()
    lines = one.read_bytes().splitlines()
    assert len(lines) > 4_000
    docs = [json.loads(line)["doc"] for line in lines]
    assert docs == sorted(docs)  # documents in sorted path order, each whole


def test_the_library_run_is_the_cli_run(corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "lib.jsonl"
    summary = run_extract([corpus], out, jobs=2)
    assert isinstance(summary, RunSummary)
    assert summary.exit_status == 0 and summary.skipped == 0 and summary.documents == 12
    cli = factx_cli("extract", str(corpus), "--jobs", "1")
    assert out.read_bytes() == cli.stdout
    assert summary.figures == len(cli.stdout.splitlines())


# --- problems are reported without being asked for --------------------------------------------


def test_extract_paths_reports_problems_on_the_run_and_to_a_callback(tmp_path: Path) -> None:
    (tmp_path / "good.txt").write_text(GOOD, encoding="utf-8")
    (tmp_path / "photo.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8)
    seen: list[factx.Problem] = []
    run = factx.extract_paths([tmp_path, tmp_path / "missing.txt"], on_problem=seen.append)
    figures = list(run)
    assert [f.text for f in figures] == ["4108家", "834.9亿美元", "4.4%", "9100吨"]
    assert {p.source for p in run.problems} == {
        (tmp_path / "photo.txt").as_posix(),
        (tmp_path / "missing.txt").as_posix(),
    }
    assert seen == run.problems
    assert run.documents == 1 and run.skipped == 2


def test_a_run_that_reads_nothing_says_so(tmp_path: Path) -> None:
    (tmp_path / "notes.csv").write_text("a,b\n", encoding="utf-8")
    result = factx_cli("extract", str(tmp_path))
    stderr = result.stderr.decode()
    assert result.returncode == 1
    assert "no document was read" in stderr
    assert "*.txt" in stderr


def test_the_summary_counts_documents_figures_and_skipped(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(GOOD, encoding="utf-8")
    (tmp_path / "b.txt").write_text(GOOD, encoding="utf-8")
    result = factx_cli("extract", str(tmp_path), str(tmp_path / "gone.txt"))
    last = result.stderr.decode().strip().splitlines()[-1]
    assert result.returncode == 1
    assert last.startswith("factx: 2 documents")
    assert "8 figures" in last and "1 skipped" in last
    quiet = factx_cli("extract", "-q", str(tmp_path))
    assert quiet.returncode == 0 and quiet.stderr == b""
    assert quiet.stdout == factx_cli("extract", str(tmp_path)).stdout


def test_stdin_is_read_in_pieces_with_whole_text_records() -> None:
    text = SEED_TEXT.replace("\n", "") * 45
    result = factx_cli("extract", "-", "-q", stdin=text.encode("utf-8"))
    assert result.returncode == 0, result.stderr.decode()
    records = [json.loads(line) for line in result.stdout.splitlines()]
    expected = factx.extract_document(text, "<stdin>", path="<stdin>").figures
    assert [(r["start"], r["text"], r["id"]) for r in records] == [(f.start, f.text, f.id) for f in expected]


def test_sigterm_leaves_the_old_output_and_no_temporary_file(tmp_path: Path) -> None:
    out = tmp_path / "figures.jsonl"
    out.write_bytes(b'{"old": true}\n')
    big = tmp_path / "in" / "big.txt"
    big.parent.mkdir()
    big.write_text(SEED_TEXT * 200, encoding="utf-8")  # minutes of work: it is stopped well before
    env = {k: v for k, v in os.environ.items() if k != "FACTX_RULES"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "factx", "extract", str(big.parent), "-o", str(out), "--jobs", "1"],
        stderr=subprocess.PIPE,
        env=env,
    )
    # Wait until the temporary output exists: the run is under way.
    deadline = 600
    while deadline and not any(p.name.endswith(".part") for p in tmp_path.iterdir()):
        deadline -= 1
        try:
            proc.wait(timeout=0.1)
            break
        except subprocess.TimeoutExpired:
            pass
    assert proc.poll() is None, "the run ended before it could be stopped"
    proc.send_signal(signal.SIGTERM)
    _, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 128 + signal.SIGTERM, stderr.decode()
    assert out.read_bytes() == b'{"old": true}\n'
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".part")] == []
    assert "Traceback" not in stderr.decode()
    assert "interrupted" in stderr.decode()


def test_version() -> None:
    result = factx_cli("--version")
    assert result.returncode == 0
    assert result.stdout.decode().strip() == f"factx {factx.__version__}"


# --- every hostile input of a crawl, in one run -------------------------------------------------

TWIN = "2024年全市出口2.35万亿元，同比增长5.7%。新增外资企业4108家。"
TWIN_FIGURES = [("2.35万亿元", 2350000000000, "CNY"), ("5.7%", 5.7, "%"), ("4108家", 4108, "count")]


def test_a_crawl_of_every_kind_of_input_loses_nothing_and_names_every_problem(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from test_sources import make_docx, make_pdf, unreadable_folder
    from typer.testing import CliRunner

    from factx.cli import app

    crawl = tmp_path / "crawl"
    (crawl / "sub").mkdir(parents=True)
    readable = {
        "utf8.txt": TWIN.encode("utf-8"),
        "bom.txt": b"\xef\xbb\xbf" + TWIN.encode("utf-8"),
        "gbk.txt": TWIN.encode("gb18030"),
        "utf16.txt": TWIN.encode("utf-16"),
        "sub/REPORT.TXT": TWIN.encode("utf-8"),
        "mac.txt": TWIN.replace("。", "。\r").encode("utf-8"),
        "cut.txt": TWIN.encode("utf-8") + "产量".encode()[:-1],  # a download cut mid-character
        "page.HTML": (
            "<html><head><script>var x = 99999;</script></head><body>"
            "<p>2024年全市出口2.35万亿元，同比增长<b>5.7</b>%。</p><p>新增外资企业&#52;108家。</p></body></html>"
        ).encode(),
    }
    big5 = "全市出口2.35萬億元，同比增長5.7%。新增外資企業4108家。"
    readable["big5.txt"] = big5.encode("big5")
    first, second = TWIN.split("。", 1)
    readable["bad.txt"] = b"\xff" + f"{first}。".encode() + b"\xfe" + second.encode()  # two stray bytes
    for name, data in readable.items():
        (crawl / name).write_bytes(data)
    make_docx(crawl / "sub" / "report.docx")
    make_pdf(
        crawl / "sub" / "bulletin.pdf", [["全市出口2.35万亿元，同比增长5.7%。"], ["新增外资企业4108家。"]]
    )
    (crawl / "photo.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4)
    (crawl / "moved.txt").symlink_to(crawl / "nowhere.txt")
    locked = unreadable_folder(crawl, monkeypatch)
    (crawl / "notes.csv").write_text("1,2,3\n", encoding="utf-8")  # not matched: not read, not a problem

    result = CliRunner().invoke(app, ["extract", str(crawl), "--jobs", "2"])
    locked.chmod(0o755)
    assert isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code == 1, result.output
    records = [json.loads(line) for line in result.stdout.splitlines()]
    by_doc: dict[str, list[dict]] = {}
    for r in records:
        by_doc.setdefault(Path(r["doc"]).relative_to(crawl).as_posix(), []).append(r)

    for name in readable:
        got = [(r["text"], r["value"], r["unit"]) for r in by_doc[name] if r["unit"] != "s"]
        if name == "page.HTML":
            # offsets point into the page as written: the tag and the entity are inside the spans
            assert [r["text"] for r in by_doc[name]] == ["2.35万亿元", "5.7</b>%", "&#52;108家"]
            page = readable[name].decode("utf-8")
            assert all(page[r["start"] : r["end"]] == r["text"] for r in by_doc[name])
            assert [r["value"] for r in by_doc[name]] == [2350000000000, 5.7, 4108]
            continue
        expected = (
            TWIN_FIGURES if name != "big5.txt" else [("2.35萬億元", *TWIN_FIGURES[0][1:]), *TWIN_FIGURES[1:]]
        )
        assert got == expected, name
    assert {r["encoding"] for r in by_doc["gbk.txt"]} == {"gb18030"}
    assert {r["encoding"] for r in by_doc["big5.txt"]} == {"big5"}
    assert {r["encoding"] for r in by_doc["utf16.txt"]} == {"utf-16"}
    assert [r["line"] for r in by_doc["mac.txt"]] == [1, 1, 2]
    assert [(r["text"], r["page"]) for r in by_doc["sub/bulletin.pdf"]] == [
        ("2.35万亿元", 1),
        ("5.7%", 1),
        ("4108家", 2),
    ]
    assert {r["offsets"] for r in by_doc["sub/report.docx"]} == {"extracted"}
    assert "photo.txt" not in by_doc and "notes.csv" not in by_doc

    lines = result.stderr.strip().splitlines()
    errors = [line for line in lines if line.startswith("error:")]
    warnings = [line for line in lines if line.startswith("warning:")]
    assert len(errors) == 3, lines  # one line each, naming the input and the cause
    assert any("photo.txt" in e and "binary" in e for e in errors)
    assert any("moved.txt" in e and "dangling" in e for e in errors)
    assert any("locked" in e and "permission denied" in e for e in errors)
    # the damaged files are read, with one warning each: the count of bytes replaced, and where
    assert len(warnings) == 2, warnings
    assert "bad.txt: 2 invalid byte(s) replaced with U+FFFD (first at byte offset 0)" in warnings[0]
    cut_at = len(readable["cut.txt"]) - 2
    assert f"cut.txt: 2 invalid byte(s) replaced with U+FFFD (first at byte offset {cut_at})" in warnings[1]
    assert lines[-1].startswith(f"factx: {len(readable) + 2} documents"), lines
    assert "3 skipped" in lines[-1]
    assert "Traceback" not in result.output


def test_help_names_no_python_types_and_gives_the_exit_statuses() -> None:
    from typer.testing import CliRunner

    from factx.cli import app

    for command in (
        ["--help"],
        ["extract", "--help"],
        ["diff", "--help"],
        ["audit", "--help"],
        ["rules", "list", "--help"],
    ):
        result = CliRunner().invoke(app, command, env={"COLUMNS": "200"})
        assert result.exit_code == 0
        assert not re.search(r"<(bool|str|int|float|list|Path)\b|list\[", result.stdout), result.stdout
    extract_help = CliRunner().invoke(app, ["extract", "--help"], env={"COLUMNS": "200"}).stdout
    assert "Exit status: 0 every input was read whole; 1 some input" in " ".join(extract_help.split())
    assert "FILE" in extract_help and "CODEC" in extract_help


def test_reading_stdin_from_a_terminal_says_it_is_waiting() -> None:
    import pty

    leader, follower = pty.openpty()
    env = {k: v for k, v in os.environ.items() if k != "FACTX_RULES"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "factx", "extract", "-", "-q"],
        stdin=follower,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    )
    os.close(follower)
    os.write(leader, "增长4.4%。\n".encode() + b"\x04")  # a line, then Ctrl-D at the start of the next
    stdout, stderr = proc.communicate(timeout=60)
    os.close(leader)
    assert proc.returncode == 0, stderr.decode()
    assert "reading standard input" in stderr.decode()
    assert [json.loads(line)["text"] for line in stdout.splitlines()] == ["4.4%"]


# --- fuzz: random bytes and random mixed text never crash a run, and spans hold -----------------

PIECES = [
    *"0123456789０１２３４５６７８９.,，。%％万亿千百十一二两三零点多余约至-~～元吨家个人年月日億萬",
    *"\r\n \t\u3000\ufffd\x00\ud7ff😀",
    *("美元", "&#49;", "&amp;", "<b>", "</p>", "<script>", "个百分点", "平方公里"),
]
MIXED = st.lists(st.sampled_from(PIECES), max_size=150).map("".join)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.one_of(st.binary(max_size=600), MIXED.map(lambda t: t.encode("utf-8", "surrogatepass"))))
def test_random_bytes_never_crash_and_every_span_points_into_the_text(data: bytes, tmp_path: Path) -> None:
    from factx.sources import Input, Source, open_source

    for name in ("doc.txt", "page.html"):
        path = tmp_path / name
        path.write_bytes(data)
        source = open_source(Input(path.as_posix(), name))
        if not isinstance(source, Source):
            assert source.source == path.as_posix() and source.message  # a named problem, not a crash
            continue
        problems: list[factx.Problem] = []
        figures = list(factx.extract_source(source, problems=problems))
        scanned = source.raw_text if source.raw_text is not None else "".join(source.chunks())
        for f in figures:
            assert 0 <= f.start < f.end <= len(scanned)
            assert scanned[f.start : f.end] == f.text
            assert f.line >= 1 and f.column >= 1
        assert all(p.source == path.as_posix() for p in problems)

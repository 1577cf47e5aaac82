"""A whole run on real and hostile inputs: pieces of long documents, worker processes, summaries,
problems reported without being asked for, and nothing lost.

The reading of each format and encoding is tested in test_sources.py, the output writer in
test_output.py; here they are put together, as a user meets them.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

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

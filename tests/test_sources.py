"""factx.sources on real and hostile inputs: encodings, damaged bytes, long files, HTML, Word, PDF, discovery.

Everything goes through the public API: find_inputs, open_source, check_encoding, a Source's
chunks(), raw_span() and page(), and factx.extract_text on the text read.
"""

from __future__ import annotations

import codecs
import errno
import hashlib
import io
import os
import random
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import factx
from factx.sources import (
    DEFAULT_GLOBS,
    Document,
    Input,
    Problem,
    ReadError,
    Source,
    check_encoding,
    find_inputs,
    iter_documents,
    open_source,
)

SIMPLIFIED = (
    "第134届广交会闭幕。按一年计意向成交额达834.9亿美元，比上届增长4.4%。\n"
    "共有4108家企业参展，前11个月进出口总值为41.21万亿元，同比增长3.6%。\n"
)
TRADITIONAL = (
    "第134屆廣交會閉幕。按一年計意向成交額達834.9億美元，比上屆增長4.4%。\n"
    "共有4108個企業參展，前11個月進出口總值為41.21萬億元，按年上升3.6%，另有3～5萬個攤位。\n"
)
# A Hong Kong text as Windows there writes it: cp950, and HKSCS for the characters cp950 lacks (邨 嘅).
HONG_KONG = "香港屋邨嘅住戶總數達到1200個，按年上升4.4%，其中公屋佔約3～5成。\n" * 3


def figures(text: str) -> list[tuple[str, object, str | None]]:
    """What a test compares: each figure's text, value and unit."""
    return [(f.text, f.value, f.unit) for f in factx.extract_text(text)]


def read(source: Source | Problem, size: int = 1 << 20) -> str:
    """The whole text of an opened source (a Problem fails the test with its message)."""
    assert isinstance(source, Source), f"not opened: {source}"
    return "".join(source.chunks(size))


def open_file(path: Path, encoding: str | None = None) -> Source | Problem:
    """open_source on a file named explicitly."""
    return open_source(Input(path.as_posix(), path.name), encoding=encoding)


def hong_kong_bytes(text: str) -> bytes:
    out = bytearray()
    for ch in text:
        try:
            out += ch.encode("cp950")
        except UnicodeEncodeError:
            out += ch.encode("big5hkscs")
    return bytes(out)


# --- encodings ------------------------------------------------------------------------------------

ENCODED = [
    # id, text, its bytes, the encoding a record must report
    ("utf-8", SIMPLIFIED, SIMPLIFIED.encode("utf-8"), "utf-8"),
    ("utf-8 with BOM", SIMPLIFIED, SIMPLIFIED.encode("utf-8-sig"), "utf-8"),
    ("utf-16 LE with BOM", SIMPLIFIED, codecs.BOM_UTF16_LE + SIMPLIFIED.encode("utf-16-le"), "utf-16"),
    ("utf-16 BE with BOM", SIMPLIFIED, codecs.BOM_UTF16_BE + SIMPLIFIED.encode("utf-16-be"), "utf-16"),
    ("utf-16 LE without BOM", SIMPLIFIED, SIMPLIFIED.encode("utf-16-le"), "utf-16-le"),
    ("utf-32 with BOM", SIMPLIFIED, SIMPLIFIED.encode("utf-32"), "utf-32"),
    ("gb18030", SIMPLIFIED, SIMPLIFIED.encode("gb18030"), "gb18030"),
    ("gbk, traditional", TRADITIONAL, TRADITIONAL.encode("gbk"), "gb18030"),
    ("big5", TRADITIONAL, TRADITIONAL.encode("cp950"), "big5"),
    ("big5 with HKSCS", HONG_KONG, hong_kong_bytes(HONG_KONG), "big5"),
]


@pytest.mark.parametrize(("text", "data", "encoding"), [e[1:] for e in ENCODED], ids=[e[0] for e in ENCODED])
def test_an_encoded_document_reads_as_its_utf8_twin(
    tmp_path: Path, text: str, data: bytes, encoding: str
) -> None:
    path = tmp_path / "doc.txt"
    path.write_bytes(data)
    source = open_file(path)
    got = read(source)
    assert isinstance(source, Source)
    assert got == text
    assert figures(got) == figures(text) != []
    assert source.encoding == encoding
    assert (source.format, source.offsets) == ("text", "source")
    assert source.sha256 == hashlib.sha256(data).hexdigest()
    assert source.size == len(data)
    assert source.problems == []


def test_big5_keeps_the_full_width_forms_the_rules_know(tmp_path: Path) -> None:
    # A1E3 is ～ in Big5 as Windows writes it; Python's big5 says ∼, which no rule reads as a range.
    path = tmp_path / "range.txt"
    path.write_bytes(TRADITIONAL.encode("cp950"))
    text = read(open_file(path))
    assert "3～5萬個" in [t for t, _, _ in figures(text)]


@pytest.mark.parametrize(
    ("written", "forced", "reported"),
    [
        ("gb18030", "GBK", "gb18030"),
        ("gb18030", "gb2312", "gb18030"),
        ("cp950", "Big5", "big5"),
        ("utf-8-sig", "utf8", "utf-8"),  # the BOM of the named codec's family is skipped
        ("utf-16", "UTF-16", "utf-16"),
    ],
)
def test_a_forced_encoding_is_used_and_reported(
    tmp_path: Path, written: str, forced: str, reported: str
) -> None:
    text = TRADITIONAL if written == "cp950" else SIMPLIFIED
    path = tmp_path / "doc.txt"
    path.write_bytes(text.encode(written))
    source = open_file(path, encoding=check_encoding(forced))
    assert read(source) == text
    assert isinstance(source, Source) and source.encoding == reported


@pytest.mark.parametrize(
    ("name", "cause"), [("klingon", "unknown encoding"), ("base64", "not a text encoding")]
)
def test_check_encoding_refuses_what_is_not_a_text_codec(name: str, cause: str) -> None:
    with pytest.raises(ValueError, match=cause):
        check_encoding(name)


def test_a_forced_wrong_encoding_replaces_and_warns(tmp_path: Path) -> None:
    path = tmp_path / "doc.txt"
    path.write_bytes(SIMPLIFIED.encode("gb18030"))
    source = open_file(path, encoding="utf-8")
    text = read(source)
    assert isinstance(source, Source)
    assert source.encoding == "utf-8" and "\ufffd" in text
    assert [p.severity for p in source.problems] == ["warning"]


# --- damaged and hostile bytes --------------------------------------------------------------------


def test_two_bad_bytes_keep_every_figure_and_give_one_warning(tmp_path: Path) -> None:
    data = SIMPLIFIED.encode("utf-8")
    first = data.index("。".encode()) + 3  # after the first full stop: between two characters
    second = data.index("。".encode(), first) + 3
    damaged = data[:first] + b"\xff" + data[first:second] + b"\xc0" + data[second:]
    path = tmp_path / "damaged.txt"
    path.write_bytes(damaged)
    source = open_file(path)
    assert isinstance(source, Source)
    chunks = source.chunks(64)
    next(chunks)
    assert source.problems == []  # complete only once the text is exhausted
    text = read(source)
    assert source.encoding == "utf-8"
    assert text.count("\ufffd") == 2
    assert figures(text) == figures(SIMPLIFIED)
    assert source.problems == [
        Problem(
            path.as_posix(),
            f"2 invalid byte(s) replaced with U+FFFD (first at byte offset {first})",
            "warning",
        )
    ]


@pytest.mark.parametrize("codec", ["utf-8", "gb18030", "utf-16"])
def test_a_file_cut_mid_character_keeps_what_was_written(tmp_path: Path, codec: str) -> None:
    cut = SIMPLIFIED[:-1].encode(codec)[:-1]  # the last full stop without its last byte
    path = tmp_path / "cut.txt"
    path.write_bytes(cut)
    source = open_file(path)
    text = read(source)
    assert text == SIMPLIFIED[:-2] + "\ufffd"
    assert figures(text) == figures(SIMPLIFIED)
    assert isinstance(source, Source)
    cut_at = len(SIMPLIFIED[:-2].encode(codec))  # a BOM counts: offsets are the file's
    lost = len(cut) - cut_at
    assert [str(p) for p in source.problems] == [
        f"{path.as_posix()}: {lost} invalid byte(s) replaced with U+FFFD (first at byte offset {cut_at})"
    ]


BINARIES = [
    ("png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + random.Random(1).randbytes(4000)),
    ("random bytes without NUL", random.Random(2).randbytes(4000).replace(b"\x00", b"\x01")),
    ("NUL bytes", bytes(100)),
    ("gzip", b"\x1f\x8b\x08\x00" + random.Random(3).randbytes(500)),
]


@pytest.mark.parametrize("data", [b for _, b in BINARIES], ids=[n for n, _ in BINARIES])
@pytest.mark.parametrize("suffix", [".txt", ".html"])
def test_a_binary_file_is_a_problem(tmp_path: Path, data: bytes, suffix: str) -> None:
    path = tmp_path / f"image{suffix}"
    path.write_bytes(data)
    assert open_file(path) == Problem(path.as_posix(), "binary file, not text; skipped")


def test_a_file_that_cannot_be_opened_is_a_problem(tmp_path: Path) -> None:
    problem = open_file(tmp_path / "gone.txt")
    assert isinstance(problem, Problem) and problem.severity == "error"
    assert "no such file" in problem.message


# --- long files, line ends, standard input ---------------------------------------------------------


@pytest.mark.parametrize("codec", ["utf-8", "gb18030", "utf-16"])
def test_chunks_of_a_long_file_are_bounded_and_join_to_its_text(tmp_path: Path, codec: str) -> None:
    text = SIMPLIFIED.replace("\n", "") * 12_000  # one line of a megabyte and more
    path = tmp_path / "long.txt"
    path.write_bytes(text.encode(codec))
    source = open_file(path)
    assert isinstance(source, Source)
    sizes = []
    joined = []
    for chunk in source.chunks(100_000):
        sizes.append(len(chunk))
        joined.append(chunk)
    assert "".join(joined) == text
    assert max(sizes) <= 100_000 and len(sizes) >= len(text) // 100_000
    assert source.problems == []


@pytest.mark.parametrize("end", ["\r", "\r\n", "\n"])
def test_line_ends_are_kept_as_written(tmp_path: Path, end: str) -> None:
    text = f"第一行{end}同比增长4.4%{end}共有4108家企业{end}"
    path = tmp_path / "lines.txt"
    path.write_bytes(text.encode("utf-8"))
    got = read(open_file(path), size=5)
    assert got == text
    for f in factx.extract_text(got):
        assert text[f.start : f.end] == f.text


class FakeStdin:
    def __init__(self, data: bytes) -> None:
        self.buffer = io.BytesIO(data)


def test_standard_input_is_detected_and_streamed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", FakeStdin(SIMPLIFIED.encode("gb18030") * 5000))
    source = open_source(Input("-", "<stdin>"))
    assert isinstance(source, Source)
    assert (source.name, source.rel, source.sha256, source.size) == ("<stdin>", "<stdin>", None, None)
    assert source.encoding == "gb18030"
    assert read(source, size=10_000) == SIMPLIFIED * 5000
    with pytest.raises(ReadError, match="only once"):
        read(source)


class FailingStream(io.RawIOBase):
    """A stream that gives ``good`` bytes, then fails as a disk or a network share can."""

    def __init__(self, good: bytes) -> None:
        self.good = good

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        if self.good:
            part, self.good = self.good[:size], self.good[size:]
            return part
        raise OSError(errno.EIO, "Input/output error")


def test_an_io_error_midway_is_a_read_error_after_the_good_text(monkeypatch: pytest.MonkeyPatch) -> None:
    good = SIMPLIFIED.encode("utf-8") * 2000
    stdin = FakeStdin(b"")
    stdin.buffer = FailingStream(good)  # type: ignore[assignment]
    monkeypatch.setattr(sys, "stdin", stdin)
    source = open_source(Input("-", "<stdin>"))
    assert isinstance(source, Source)
    seen = []
    with pytest.raises(ReadError) as failed:
        for chunk in source.chunks(1 << 16):
            seen.append(chunk)
    assert failed.value.problem == Problem("<stdin>", f"read failed at byte {len(good)}: input/output error")
    assert "".join(seen) == (SIMPLIFIED * 2000)[: len("".join(seen))] and seen


# --- HTML -------------------------------------------------------------------------------------------

PAGE = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>统计公报 第3号</title>
<style>p { margin: 12px } .x { width: 9999px }</style>
<script>var total = 8888; if (a < 3) { b = "7777家"; }</script></head>
<body>
<h1>概况</h1>
<p>按一年计意向成交额达834.9<b>亿美元</b>，比上届增长4.4%。</p>
<p>共有&#52;&#49;&#48;8家企业参展，前11个月进出口总值为41.21万亿元，
   同比增长3.6&#x25;。</p>
<!-- 6666家 -->
<table><tr><td>家数</td><td>12<b>3</b>家</td></tr><tr><th>增速</th><td>5.5&percnt;</td></tr></table>
<div hidden>5555家</div><noscript>4444家</noscript><template>3333家</template>
<p>x &lt; 5 &amp; 第二
行</p>
"""
VISIBLE = (
    "统计公报 第3号\n概况\n按一年计意向成交额达834.9亿美元，比上届增长4.4%。\n"
    "共有4108家企业参展，前11个月进出口总值为41.21万亿元，同比增长3.6%。\n"
    "家数\t123家\n增速\t5.5%\nx < 5 & 第二行\n"
)
# Each figure as the page writes it.
WRITTEN = {
    "一年": "一年",
    "834.9亿美元": "834.9<b>亿美元",
    "4.4%": "4.4%",
    "4108家": "&#52;&#49;&#48;8家",
    "11个月": "11个月",
    "41.21万亿元": "41.21万亿元",
    "3.6%": "3.6&#x25;",
    "123家": "12<b>3</b>家",
    "5.5%": "5.5&percnt;",
}


def open_page(tmp_path: Path, page: str | bytes, name: str = "page.html") -> Source:
    path = tmp_path / name
    path.write_bytes(page.encode("utf-8") if isinstance(page, str) else page)
    source = open_file(path)
    assert isinstance(source, Source), source
    return source


def test_html_visible_text_maps_back_to_the_page(tmp_path: Path) -> None:
    source = open_page(tmp_path, PAGE)
    text = read(source)
    assert text == VISIBLE
    assert (source.format, source.encoding, source.offsets, source.raw_text) == (
        "html",
        "utf-8",
        "source",
        PAGE,
    )
    found = factx.extract_text(text)
    assert sorted(f.text for f in found) == sorted(WRITTEN)
    for f in found:
        start, end = source.raw_span(f.start, f.end)
        assert PAGE[start:end] == WRITTEN[f.text]


def test_html_hides_scripts_styles_comments_and_hidden_elements(tmp_path: Path) -> None:
    text = read(open_page(tmp_path, PAGE))
    for hidden in ("9999", "8888", "7777", "6666", "5555", "4444", "3333", "margin"):
        assert hidden not in text


def test_html_declared_charset_and_gbk_page(tmp_path: Path) -> None:
    page = PAGE.replace('charset="utf-8"', 'charset="gbk"')
    source = open_page(tmp_path, page.encode("gbk"))
    assert source.encoding == "gb18030"
    assert source.raw_text == page
    assert read(source) == VISIBLE


def test_a_declared_charset_settles_a_short_page(tmp_path: Path) -> None:
    # Two traditional characters in GBK: too few bytes to tell GBK from Big5 by themselves.
    page = '<html><head><meta http-equiv="Content-Type" content="text/html; charset=gbk"></head><p>增長4.4%'
    source = open_page(tmp_path, page.encode("gbk"))
    assert source.encoding == "gb18030"
    assert read(source) == "增長4.4%"


def test_broken_html_is_read(tmp_path: Path) -> None:
    page = "<p>共有<b>4108家 < 企业 <i 同比增长4.4%<div><<>></p></p></td>& &# &#x; &bogus; 5家"
    source = open_page(tmp_path, page)
    text = read(source)
    assert "共有4108家 < 企业" in text
    assert "5家" in text
    for f in factx.extract_text(text):
        start, end = source.raw_span(f.start, f.end)
        assert page[start:end] == f.text  # nothing in between to map around


HTML_PIECES = st.sampled_from(
    [
        "<p>", "</p>", "<b>", "</b>", "<div hidden>", "</div>", "<script>", "</script>", "<style>",
        "</style>", "<td>", "<tr>", "<br>", "<br/>", "<pre>", "</pre>", "<title>", "</title>", "<head>",
        "</head>", "<!--", "-->", "<![CDATA[", "]]>", "<?pi ", "<!doctype html>", "<a href='x>y'>", "</a",
        "&amp;", "&#49;", "&#x4e07;", "&nbsp;", "&bogus;", "&notit;", "&lt", "&#", "&#99999999;", "&", "<",
        ">", " ", "\n", "\r\n", "\t", "12", "4.4%", "万", "亿元", "家", "同比增长",
    ]
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(HTML_PIECES | st.text(max_size=3), max_size=40))
def test_any_html_maps_within_bounds_and_in_order(pieces: list[str]) -> None:
    page = "".join(pieces)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "fuzz.html"
        path.write_text(page, encoding="utf-8")
        source = open_file(path, encoding="utf-8")
        text = read(source)
    assert isinstance(source, Source) and source.raw_text == page
    starts, ends = [], []
    for i in range(len(text)):
        start, end = source.raw_span(i, i + 1)
        assert 0 <= start < end <= len(page)
        starts.append(start)
        ends.append(end)
        if end - start == 1 and text[i] not in " \t\n":
            assert page[start] == text[i]  # text copied from the page maps to itself
    assert starts == sorted(starts) and ends == sorted(ends)
    assert source.raw_span(0, len(text))[1] <= len(page)


# --- Word and PDF -------------------------------------------------------------------------------------


def make_docx(path: Path) -> None:
    import docx

    document = docx.Document()
    document.add_heading("2024年统计公报", level=1)
    document.add_paragraph("按一年计意向成交额达834.9亿美元，比上届增长4.4%。")
    table = document.add_table(rows=2, cols=3)
    table.cell(0, 0).text = "企业"
    table.cell(0, 1).text = "4108家"
    table.cell(0, 2).text = "同比增长3.6%"
    merged = table.cell(1, 0).merge(table.cell(1, 1))
    merged.text = "进出口总值41.21万亿元"
    table.cell(1, 2).text = "5.5%"
    document.add_paragraph("共有12.7平方公里。")
    document.save(str(path))


def test_docx_body_paragraphs_and_tables_in_order(tmp_path: Path) -> None:
    path = tmp_path / "report.DOCX"
    make_docx(path)
    source = open_file(path)
    text = read(source)
    assert text == (
        "2024年统计公报\n按一年计意向成交额达834.9亿美元，比上届增长4.4%。\n"
        "企业\t4108家\t同比增长3.6%\n进出口总值41.21万亿元\t5.5%\n共有12.7平方公里。"
    )
    assert isinstance(source, Source)
    assert (source.format, source.encoding, source.offsets) == ("docx", None, "extracted")
    assert source.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert [t for t, _, _ in figures(text)] == [
        "一年", "834.9亿美元", "4.4%", "4108家", "3.6%", "41.21万亿元", "5.5%", "12.7平方公里",
    ]  # fmt: skip


def make_pdf(path: Path, pages: list[list[str]]) -> None:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    pdf = canvas.Canvas(str(path))
    for lines in pages:
        pdf.setFont("STSong-Light", 12)
        for i, line in enumerate(lines):
            pdf.drawString(72, 760 - 20 * i, line)
        pdf.showPage()
    pdf.save()


def test_pdf_text_per_page(tmp_path: Path) -> None:
    path = tmp_path / "bulletin.pdf"
    make_pdf(path, [["按一年计意向成交额达834.9亿美元。", "比上届增长4.4%。"], ["共有4108家企业参展。"]])
    source = open_file(path)
    text = read(source)
    assert isinstance(source, Source)
    assert (source.format, source.encoding, source.offsets) == ("pdf", None, "extracted")
    pages = {f.text: source.page(f.start) for f in factx.extract_text(text)}
    assert pages == {"一年": 1, "834.9亿美元": 1, "4.4%": 1, "4108家": 2}
    assert source.problems == []


def test_pdf_without_text_is_read_with_a_warning(tmp_path: Path) -> None:
    path = tmp_path / "scan.pdf"
    make_pdf(path, [[]])
    source = open_file(path)
    assert read(source).strip() == ""
    assert isinstance(source, Source)
    assert source.problems == [Problem(path.as_posix(), "no text layer (a scanned PDF?)", "warning")]


def test_a_file_without_a_known_extension_is_sniffed(tmp_path: Path) -> None:
    make_pdf(tmp_path / "bulletin", [["共有4108家企业参展。"]])
    make_docx(tmp_path / "report")
    (tmp_path / "page").write_text("<!DOCTYPE html><p>共有<b>4108</b>家</p>", encoding="utf-8")
    formats = {}
    for name in ("bulletin", "report", "page"):
        source = open_file(tmp_path / name)
        assert isinstance(source, Source)
        formats[name] = source.format
        assert "4108家" in read(source)
    assert formats == {"bulletin": "pdf", "report": "docx", "page": "html"}


def test_standard_input_may_be_a_pdf(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    make_pdf(tmp_path / "bulletin.pdf", [["第一页"], ["共有4108家企业参展。"]])
    monkeypatch.setattr(sys, "stdin", FakeStdin((tmp_path / "bulletin.pdf").read_bytes()))
    source = open_source(Input("-", "<stdin>"))
    text = read(source)
    assert isinstance(source, Source) and (source.format, source.sha256) == ("pdf", None)
    assert [source.page(f.start) for f in factx.extract_text(text)] == [2]


@pytest.mark.parametrize(
    ("name", "data", "cause"),
    [
        ("broken.docx", b"PK\x03\x04 not really a zip", "not a readable Word document"),
        ("text.docx", SIMPLIFIED.encode(), "not a readable Word document"),
        ("broken.pdf", b"%PDF-1.7\n garbage", "not a readable PDF"),
        ("empty.pdf", b"", "not a readable PDF"),
    ],
)
def test_a_corrupt_docx_or_pdf_is_a_problem(tmp_path: Path, name: str, data: bytes, cause: str) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    problem = open_file(path)
    assert isinstance(problem, Problem) and problem.severity == "error"
    assert problem.source == path.as_posix() and problem.message.startswith(cause)


def test_format_in_forces_the_format(tmp_path: Path) -> None:
    path = tmp_path / "page.txt"
    path.write_text("<p>共有<b>4108</b>家</p>", encoding="utf-8")
    source = open_source(Input(path.as_posix(), path.name), format_in="html")
    assert isinstance(source, Source) and source.format == "html"
    assert read(source) == "共有4108家\n"


# --- discovery ------------------------------------------------------------------------------------------


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """docs/ with files of each default extension in any case, a file no glob matches, a subfolder."""
    docs = tmp_path / "docs"
    (docs / "sub" / "deeper").mkdir(parents=True)
    for rel in (
        "a.txt",
        "REPORT.TXT",
        "sub/b.Md",
        "sub/c.HTML",
        "sub/deeper/d.pdf",
        "skip.csv",
        "e.markdown",
    ):
        (docs / rel).write_text("增长4.4%", encoding="utf-8")
    return tmp_path


def test_folders_are_walked_with_globs_that_ignore_case(tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tree)
    inputs, problems = find_inputs(["docs", "docs/skip.csv", "-", "docs/a.txt"])
    assert problems == []
    assert [(i.path, i.rel) for i in inputs] == [
        ("-", "<stdin>"),
        ("docs/REPORT.TXT", "REPORT.TXT"),
        ("docs/a.txt", "a.txt"),
        ("docs/e.markdown", "e.markdown"),
        ("docs/skip.csv", "skip.csv"),  # named explicitly: read whatever its extension
        ("docs/sub/b.Md", "sub/b.Md"),
        ("docs/sub/c.HTML", "sub/c.HTML"),
        ("docs/sub/deeper/d.pdf", "sub/deeper/d.pdf"),
    ]


def test_globs_replace_the_defaults(tree: Path) -> None:
    inputs, _ = find_inputs([tree / "docs"], ["*.CSV", "deeper/*.pdf"])
    assert [i.rel for i in inputs] == ["skip.csv", "sub/deeper/d.pdf"]
    assert DEFAULT_GLOBS == ("*.txt", "*.md", "*.markdown", "*.html", "*.htm", "*.docx", "*.pdf")


Maker = Callable[[Path, pytest.MonkeyPatch], Path]


def unreadable_folder(docs: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = docs / "locked"
    folder.mkdir()
    (folder / "secret.txt").write_text("增长4.4%", encoding="utf-8")
    folder.chmod(0)
    if os.geteuid() == 0:
        # root lists a folder whatever its mode: the refusal an ordinary user gets is simulated.
        real = os.scandir

        def scandir(path: str) -> Iterator[os.DirEntry[str]]:
            # (shutil.rmtree lists folders by descriptor: an int is never the locked folder)
            if not isinstance(path, int) and Path(path) == folder:
                raise PermissionError(errno.EACCES, "Permission denied", os.fspath(path))
            return real(path)

        monkeypatch.setattr(os, "scandir", scandir)
    return folder


def dangling_link(docs: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    link = docs / "moved.txt"
    link.symlink_to(docs / "nowhere.txt")
    return link


def folder_loop(docs: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    link = docs / "sub" / "up"
    link.symlink_to(docs, target_is_directory=True)
    return link


def fifo(docs: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = docs / "pipe.txt"
    os.mkfifo(path)
    return path


def missing(docs: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    return docs / "missing.txt"


FOUND_IN_DOCS = ["REPORT.TXT", "a.txt", "e.markdown", "sub/b.Md", "sub/c.HTML", "sub/deeper/d.pdf"]


@pytest.mark.parametrize(
    ("make", "cause"),
    [
        (unreadable_folder, "cannot list folder: permission denied"),
        (dangling_link, "dangling symbolic link"),
        (folder_loop, "symbolic link loop"),
        (fifo, "not a regular file (a FIFO)"),
    ],
    ids=["unreadable folder", "dangling link", "loop", "fifo"],
)
def test_what_cannot_be_read_in_a_folder_is_one_problem(
    tree: Path, monkeypatch: pytest.MonkeyPatch, make: Maker, cause: str
) -> None:
    docs = tree / "docs"
    culprit = make(docs, monkeypatch)
    try:
        inputs, problems = find_inputs([docs])
    finally:
        if culprit.is_dir() and not culprit.is_symlink():
            culprit.chmod(0o755)  # so that the folder can be cleaned up
    assert len(problems) == 1, problems
    assert problems[0].source == culprit.as_posix()
    assert problems[0].message.startswith(cause) and problems[0].severity == "error"
    assert [i.rel for i in inputs] == FOUND_IN_DOCS


@pytest.mark.parametrize(
    ("make", "cause"),
    [
        (missing, "no such file or folder"),
        (dangling_link, "dangling symbolic link"),
        (fifo, "not a regular file (a FIFO)"),
    ],
    ids=["missing", "dangling link", "fifo"],
)
def test_a_path_named_that_cannot_be_read_is_one_problem(
    tree: Path, monkeypatch: pytest.MonkeyPatch, make: Maker, cause: str
) -> None:
    culprit = make(tree / "docs", monkeypatch)
    inputs, problems = find_inputs([culprit, tree / "docs" / "a.txt"])
    assert [i.rel for i in inputs] == ["a.txt"]
    assert len(problems) == 1 and problems[0].source == culprit.as_posix()
    assert problems[0].message.startswith(cause)


def test_a_link_to_another_folder_is_followed(tree: Path) -> None:
    other = tree / "other"
    other.mkdir()
    (other / "f.txt").write_text("增长4.4%", encoding="utf-8")
    (tree / "docs" / "sub" / "elsewhere").symlink_to(other, target_is_directory=True)
    inputs, problems = find_inputs([tree / "docs"])
    assert problems == []
    assert [i.rel for i in inputs] == [*FOUND_IN_DOCS[:5], "sub/deeper/d.pdf", "sub/elsewhere/f.txt"]
    assert inputs[-1].path == (tree / "docs/sub/elsewhere/f.txt").as_posix()


def test_iter_documents_still_reads_whole_documents(tmp_path: Path) -> None:
    (tmp_path / "gb.txt").write_bytes(SIMPLIFIED.encode("gb18030"))
    (tmp_path / "bin.txt").write_bytes(bytes(50))
    items = list(iter_documents([tmp_path]))
    assert [type(i).__name__ for i in items] == ["Problem", "Document"]
    assert isinstance(items[1], Document) and items[1].text == SIMPLIFIED

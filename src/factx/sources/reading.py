"""Opening an input: an :class:`~factx.sources.Input` in; a :class:`~factx.sources.Source` ready to be
read, or the :class:`~factx.sources.Problem` that says why it cannot be.

The format comes from the file name's extension (any case), or from the first bytes when the name
has none factx knows (standard input, a file named ``report``): ``%PDF-`` is a PDF, a zip with a
``word/`` part a Word document, ``<!DOCTYPE html`` or ``<html`` a page, anything else text. Text
files are hashed in a first pass and then streamed; pages, Word documents and PDFs are read whole.
"""

from __future__ import annotations

import hashlib
import io
import os
import stat
import sys
from pathlib import PurePosixPath
from typing import BinaryIO

from factx.sources.decoding import SAMPLE_BYTES, Encoding, decode_all, detect_encoding, forced_encoding
from factx.sources.formats.docx import DocxError, DocxSource, docx_text
from factx.sources.formats.html import HtmlSource, declared_charset
from factx.sources.formats.pdf import PdfError, PdfSource, pdf_pages
from factx.sources.formats.text import TextStream
from factx.sources.source import STDIN_NAME, Format, Input, Problem, Source

FORMAT_OF_SUFFIX: dict[str, Format] = {
    ".txt": "text",
    ".text": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".docx": "docx",
    ".pdf": "pdf",
}
BINARY = "binary file, not text; skipped"


def format_of(name: str, head: bytes) -> Format:
    """The format of a file named ``name`` whose first bytes are ``head``."""
    return FORMAT_OF_SUFFIX.get(PurePosixPath(name).suffix.lower()) or sniff_format(head)


def sniff_format(head: bytes) -> Format:
    """The format the first bytes of a file show: pdf, docx, html, or else text."""
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"PK\x03\x04") and b"word/" in head:
        return "docx"
    start = head.removeprefix(b"\xef\xbb\xbf").lstrip()[:15].lower()
    if start.startswith((b"<!doctype html", b"<html")):
        return "html"
    return "text"


def open_source(inp: Input, format_in: Format | None = None, encoding: str | None = None) -> Source | Problem:
    """Open ``inp`` for reading: a :class:`Source`, or a Problem (severity error) naming the cause.

    ``format_in`` forces the format (else it comes from the name or the first bytes); ``encoding``
    forces the codec of text and html (else it is detected; see :mod:`factx.sources.decoding`).
    Raises ValueError for an unknown ``encoding`` (check it first with ``check_encoding``).
    """
    if inp.is_stdin:
        return _open_stdin(inp, format_in, encoding)
    name = inp.path
    try:
        info = os.stat(name)
        if not stat.S_ISREG(info.st_mode):
            return Problem(name, "not a regular file; skipped")
        with open(name, "rb") as file:
            head = file.read(SAMPLE_BYTES)
            format = format_in or format_of(name, head)
            if format in ("text", "markdown"):
                # The hash goes in the first record: it is taken before the text is streamed.
                file.seek(0)
                digest = hashlib.file_digest(file, "sha256").hexdigest()
                data = None
            else:
                data = head + file.read()
                digest = hashlib.sha256(data).hexdigest()
    except OSError as exc:
        return _cannot_read(name, exc)
    if data is None:
        text_encoding = _encoding(head, encoding)
        if text_encoding is None:
            return Problem(name, BINARY)
        return TextStream(name, inp.rel, format, text_encoding, path=name, sha256=digest, size=info.st_size)
    return _open_whole(inp, name, format, data, encoding, digest, len(data))


def _open_stdin(inp: Input, format_in: Format | None, encoding: str | None) -> Source | Problem:
    stream: BinaryIO | None = getattr(sys.stdin, "buffer", None)
    if stream is None:
        return Problem(STDIN_NAME, "no standard input to read; skipped")
    try:
        head = stream.read(SAMPLE_BYTES)
        format = format_in or sniff_format(head)
        data = None if format in ("text", "markdown") else head + stream.read()
    except OSError as exc:
        return _cannot_read(STDIN_NAME, exc)
    if data is None:
        text_encoding = _encoding(head, encoding)
        if text_encoding is None:
            return Problem(STDIN_NAME, BINARY)
        # A short head was all there is: reading on would wait for a second Ctrl-D on a terminal.
        rest = stream if len(head) == SAMPLE_BYTES else io.BytesIO()
        return TextStream(STDIN_NAME, inp.rel, format, text_encoding, head=head, stream=rest)
    return _open_whole(inp, STDIN_NAME, format, data, encoding, None, None)


def _cannot_read(name: str, exc: OSError) -> Problem:
    return Problem(name, f"cannot read: {(exc.strerror or str(exc)).lower()}; skipped")


def _encoding(head: bytes, forced: str | None, declared: str | None = None) -> Encoding | None:
    if forced is not None:
        return forced_encoding(forced, head)
    return detect_encoding(head, declared)


def _open_whole(
    inp: Input,
    name: str,
    format: Format,
    data: bytes,
    encoding: str | None,
    digest: str | None,
    size: int | None,
) -> Source | Problem:
    """A page, Word document or PDF, from all its bytes."""
    if format == "docx":
        try:
            return DocxSource(docx_text(data), name, inp.rel, sha256=digest, size=size)
        except DocxError as exc:
            return Problem(name, f"not a readable Word document ({exc}); skipped")
    if format == "pdf":
        try:
            return PdfSource(pdf_pages(data), name, inp.rel, sha256=digest, size=size)
        except PdfError as exc:
            return Problem(name, f"not a readable PDF ({exc}); skipped")
    head = data[:SAMPLE_BYTES]
    page_encoding = _encoding(head, encoding, declared_charset(head))
    if page_encoding is None:
        return Problem(name, BINARY)
    raw, warning = decode_all(data, page_encoding, name)
    return HtmlSource(
        raw,
        name,
        inp.rel,
        encoding=page_encoding.name,
        sha256=digest,
        size=size,
        problems=[warning] if warning else None,
    )

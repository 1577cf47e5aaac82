"""Word documents (.docx): the file's bytes in; the text of the body out, in document order.

A paragraph is a line; a table is a line per row, its cells separated by a tab (a merged cell is
read once, in its first row and column). Paragraphs inside content controls are read where they
stand. Headers, footers, footnotes and comments are not read. Offsets index this extracted text.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from factx.sources.source import Problem, TextInMemory

if TYPE_CHECKING:
    from docx.table import Table


class DocxError(ValueError):
    """The bytes are not a Word document python-docx can read; the message says why."""


def docx_text(data: bytes) -> str:
    """The body text of a .docx file's bytes. Raises :class:`DocxError` when it cannot be read."""
    # Imported here: python-docx (and lxml) take a tenth of a second to load, which a run without
    # Word documents need not pay.
    import docx

    try:
        document = docx.Document(io.BytesIO(data))
        lines = list(_lines(document.element.body, document))
    except Exception as exc:  # a hostile file may break any part of the parser: name the cause
        raise DocxError(f"{type(exc).__name__}: {exc}".rstrip(": ")) from exc
    return "\n".join(lines)


def _lines(element: Any, parent: Any) -> Iterator[str]:
    """The lines of the paragraphs and tables under a body, cell or content control, in order.

    ``element`` is an lxml element of python-docx's, ``parent`` the object that owns its story.
    """
    from docx.oxml.ns import qn
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    for child in element.iterchildren():
        if child.tag == qn("w:p"):
            yield Paragraph(child, parent).text
        elif child.tag == qn("w:tbl"):
            yield from _rows(Table(child, parent))
        elif child.tag == qn("w:sdt"):
            content = child.find(qn("w:sdtContent"))
            if content is not None:
                yield from _lines(content, parent)


def _rows(table: Table) -> Iterator[str]:
    """A line per row, cells separated by tabs; a cell merged over columns or rows is read once."""
    seen: set[Any] = set()  # the cells' elements (kept alive, so that lxml hands out the same ones)
    for row in table.rows:
        cells = []
        for cell in row.cells:
            if cell._tc in seen:
                continue
            seen.add(cell._tc)
            cells.append("\n".join(_lines(cell._tc, cell)))
        yield "\t".join(cells)


class DocxSource(TextInMemory):
    """A Word document's body text; offsets index this extracted text."""

    def __init__(self, text: str, name: str, rel: str, *, sha256: str | None, size: int | None) -> None:
        problems = [] if text.strip() else [Problem(name, "no text in the document body", "warning")]
        super().__init__(
            text, name, rel, "docx", encoding=None, offsets="extracted", sha256=sha256, size=size,
            problems=problems,
        )  # fmt: skip

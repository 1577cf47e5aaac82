"""PDF: the file's bytes in; the text layer of each page out (PDFium, through pypdfium2).

Pages are joined by a form feed on a line of its own, and :meth:`PdfSource.page` tells the page of
an offset of that text. A PDF without any text (a scan) is read, with a warning. Offsets index
this extracted text.
"""

from __future__ import annotations

from bisect import bisect_right

from factx.sources.source import Problem, TextInMemory

PAGE_BREAK = "\n\f\n"


class PdfError(ValueError):
    """The bytes are not a PDF that PDFium can read; the message says why."""


def pdf_pages(data: bytes) -> list[str]:
    """The text of each page of a PDF file's bytes. Raises :class:`PdfError` when it cannot be read."""
    import pypdfium2 as pdfium  # loaded on the first PDF only

    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        raise PdfError(str(exc).rstrip(".")) from exc
    pages: list[str] = []
    try:
        for index in range(len(document)):
            page = document[index]
            textpage = page.get_textpage()
            try:
                pages.append(textpage.get_text_range())
            finally:
                textpage.close()
                page.close()
    except pdfium.PdfiumError as exc:
        raise PdfError(f"page {len(pages) + 1}: {str(exc).rstrip('.')}") from exc
    finally:
        document.close()
    return pages


class PdfSource(TextInMemory):
    """A PDF's text, pages joined by :data:`PAGE_BREAK`; :meth:`page` maps an offset to its page."""

    def __init__(
        self, pages: list[str], name: str, rel: str, *, sha256: str | None, size: int | None
    ) -> None:
        self._page_starts: list[int] = []
        at = 0
        for text in pages:
            self._page_starts.append(at)
            at += len(text) + len(PAGE_BREAK)
        has_text = any(text.strip() for text in pages)
        problems = [] if has_text else [Problem(name, "no text layer (a scanned PDF?)", "warning")]
        super().__init__(
            PAGE_BREAK.join(pages), name, rel, "pdf", encoding=None, offsets="extracted", sha256=sha256,
            size=size, problems=problems,
        )  # fmt: skip

    def page(self, offset: int) -> int | None:
        """The 1-based page ``offset`` stands on (a page break belongs to the page before it)."""
        if not self._page_starts:
            return None
        return max(1, bisect_right(self._page_starts, offset))

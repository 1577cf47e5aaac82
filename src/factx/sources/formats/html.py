"""HTML: the decoded page in; its visible text out, with a map from that text back to the page's text.

The page is parsed with the standard library's HTMLParser (``convert_charrefs=False``): it reports
where each piece of text, entity and tag starts, which the map needs and faster parsers do not say.
Visible text is what a reader sees: no script, style, template or noscript, no head but for the
title (a line of its own), no comments, CDATA or processing instructions. Entities are decoded
(``&#49;&#50;3家`` reads 123家); runs of white space are one space, none at the start of a line (and
a line break between two Chinese characters is none at all); block elements (p, div, li, tr, h1 …)
and br end a line, and table cells are separated by a tab. Broken HTML (unclosed tags, a stray <)
is read as a browser would, near enough, and never raises.

:meth:`OffsetMap.raw_span` maps a span of the visible text to the span of the page that wrote it:
from the start of the piece that wrote its first character to the end of the piece that wrote its
last (an entity is one piece, a run of white space collapsed to one space is one piece, as is a tag
that ends a line).
"""

from __future__ import annotations

import html
import re
import unicodedata
from array import array
from bisect import bisect_right
from html.parser import HTMLParser

from factx.sources.source import Problem, TextInMemory

# Elements whose content is not shown.
HIDDEN = frozenset({"script", "style", "template", "noscript"})
# Elements that may stand in <head> without ending it.
HEAD_CONTENT = frozenset({"title", "meta", "link", "base", "style", "script", "noscript", "template"})
# Elements that stand on lines of their own.
BLOCK = frozenset(
    {
        "address", "article", "aside", "blockquote", "body", "br", "caption", "center", "dd", "details",
        "dialog", "dir", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form",
        "h1", "h2", "h3", "h4", "h5", "h6", "header", "hgroup", "hr", "html", "legend", "li", "main",
        "menu", "nav", "ol", "option", "p", "pre", "section", "summary", "table", "tbody", "tfoot",
        "thead", "title", "tr", "ul",
    }
)  # fmt: skip
CELLS = frozenset({"td", "th"})
PREFORMATTED = frozenset({"pre", "textarea", "listing", "plaintext"})
# Elements that have no content and no end tag: they never open an element to be closed.
VOID = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
)

_SPACE = re.compile(r"[ \t\n\r\f]+")  # HTML's white space
_LINE_END = re.compile("\n")
# A charset an HTML page declares: <meta charset="gbk"> or <meta http-equiv=… content="…; charset=gbk">.
_META_CHARSET = re.compile(rb"""<meta\s[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.IGNORECASE)


def declared_charset(head: bytes) -> str | None:
    """The charset a page declares in a <meta> tag among its first bytes, or None."""
    match = _META_CHARSET.search(head)
    return match.group(1).decode("ascii") if match else None


class OffsetMap:
    """Visible text positions → page text spans, as sorted anchors searched by bisection.

    A segment is a run of visible text written by page text: character for character (``copy``:
    visible i is page ``raw_start + i - vis_start``) or all of it by one piece of page text
    ``[raw_start, raw_end)`` (an entity, collapsed white space, a tag that ends a line).
    """

    def __init__(self) -> None:
        self.vis_starts = array("q")
        self.raw_starts = array("q")
        self.raw_ends = array("q")
        self.copy = bytearray()
        self.length = 0  # visible characters mapped

    def add(self, length: int, raw_start: int, raw_end: int, copy: bool) -> None:
        """Map the next ``length`` visible characters."""
        if not length:
            return
        if copy and self.copy and self.copy[-1] and self.raw_ends[-1] == raw_start:
            self.raw_ends[-1] = raw_end  # text that goes on where the last run of text stopped
        else:
            self.vis_starts.append(self.length)
            self.raw_starts.append(raw_start)
            self.raw_ends.append(raw_end)
            self.copy.append(copy)
        self.length += length

    def _piece(self, i: int) -> tuple[int, int]:
        """The page span of the piece that wrote visible character ``i``."""
        k = bisect_right(self.vis_starts, i) - 1
        if self.copy[k]:
            at = self.raw_starts[k] + i - self.vis_starts[k]
            return at, at + 1
        return self.raw_starts[k], self.raw_ends[k]

    def raw_span(self, start: int, end: int) -> tuple[int, int]:
        """The page span that wrote visible [start, end) (clamped to the text); empty spans stay empty."""
        if not self.length:
            return 0, 0
        start = min(max(start, 0), self.length)
        end = min(max(end, start), self.length)
        raw_start = self._piece(start)[0] if start < self.length else self._piece(start - 1)[1]
        if end == start:
            return raw_start, raw_start
        return raw_start, self._piece(end - 1)[1]


class VisibleText(HTMLParser):
    """Feed it a page's text once (:func:`visible_text` does); ``text`` and ``map`` are the result."""

    def __init__(self, raw: str) -> None:
        super().__init__(convert_charrefs=False)
        self.raw = raw
        self.map = OffsetMap()
        self._parts: list[str] = []
        self._last = "\n"  # the last visible character; a line end at the start: no leading space
        self._line_starts = [0] + [m.end() for m in _LINE_END.finditer(raw)]
        self._space: tuple[int, int, bool] | None = None  # white space waiting: page span, has a line break
        self._hidden: str | None = None  # the element whose content is hidden, while inside it
        self._hidden_depth = 0
        self._in_head = False
        self._in_title = False
        self._pre = 0

    @property
    def text(self) -> str:
        """The visible text."""
        return "".join(self._parts)

    # --- where things are -------------------------------------------------------------------------

    def _offset(self) -> int:
        """The page offset of the construct being handled (HTMLParser counts lines on \\n only)."""
        line, column = self.getpos()
        return self._line_starts[line - 1] + column

    # --- writing visible text ---------------------------------------------------------------------

    def _emit(self, text: str, raw_start: int, raw_end: int, copy: bool) -> None:
        self._parts.append(text)
        self.map.add(len(text), raw_start, raw_end, copy)
        self._last = text[-1]

    def _words(self, text: str, raw_start: int, copy: bool = True, raw_end: int = -1) -> None:
        """Visible text that is not white space, after the space waiting before it, if any."""
        if self._space is not None:
            space_start, space_end, broken = self._space
            self._space = None
            # A line break between two Chinese characters is no space (CSS's segment-break rule).
            if self._last not in "\n\t" and not (broken and _wide(self._last) and _wide(text[0])):
                self._emit(" ", space_start, space_end, space_end - space_start == 1)
        text = text.replace("\xa0", " ")
        self._emit(text, raw_start, raw_start + len(text) if copy else raw_end, copy)

    def _white(self, raw_start: int, raw_end: int, broken: bool) -> None:
        if self._space is None:
            self._space = (raw_start, raw_end, broken)

    def _break(self, raw_start: int, raw_end: int, separator: str = "\n") -> None:
        """End the line (or the table cell) here, unless it has just ended; drop the space waiting."""
        self._space = None
        if self._last != "\n" and (separator == "\n" or self._last != "\t"):
            self._emit(separator, raw_start, raw_end, False)

    def _shown(self) -> bool:
        return self._hidden is None and (not self._in_head or self._in_title)

    # --- HTMLParser's events --------------------------------------------------------------------------

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """Hide, break lines, separate cells, or enter a head, title or preformatted block."""
        if self._hidden is not None:
            if tag == self._hidden:
                self._hidden_depth += 1
            return
        if tag == "head":
            self._in_head = True
            return
        if self._in_head and tag not in HEAD_CONTENT:
            self._in_head = False  # the body has begun, its <body> tag left out
        if tag not in VOID and (tag in HIDDEN or any(name == "hidden" for name, _ in attrs)):
            self._hidden, self._hidden_depth = tag, 1
            return
        start = self._offset()
        end = start + len(self.get_starttag_text() or "")
        if tag == "title":
            self._in_title = True
        if tag in CELLS:
            self._break(start, end, "\t")
        elif tag in BLOCK:
            self._break(start, end)
        if tag in PREFORMATTED:
            self._pre += 1

    def handle_endtag(self, tag: str) -> None:
        """Leave a hidden element, the head, the title or a block (ending its line)."""
        if self._hidden is not None:
            if tag == self._hidden:
                self._hidden_depth -= 1
                if not self._hidden_depth:
                    self._hidden = None
            return
        if tag == "head":
            self._in_head = False
            return
        start = self._offset()
        close = self.raw.find(">", start)
        end = close + 1 if close >= 0 else len(self.raw)
        if tag == "title":
            self._break(start, end)
            self._in_title = False
        elif tag in BLOCK:
            self._break(start, end)
        if tag in PREFORMATTED and self._pre:
            self._pre -= 1

    def handle_data(self, data: str) -> None:
        """Page text: white space collapsed, but in preformatted blocks."""
        if self._hidden is not None or not data:
            return
        if self._in_head and not self._in_title:
            if not data.strip(" \t\n\r\f"):
                return
            self._in_head = False  # text in the head: the body has begun
        start = self._offset()
        if self.raw[start : start + len(data)] != data:  # never seen: map it whole rather than wrongly
            self._space = None
            self._words(data, start, copy=False, raw_end=min(start + len(data), len(self.raw)))
            return
        if self._pre:
            self._space = None
            self._words(data, start)
            return
        at = 0
        for space in _SPACE.finditer(data):
            if space.start() > at:
                self._words(data[at : space.start()], start + at)
            chars = space.group()
            self._white(start + space.start(), start + space.end(), "\n" in chars or "\r" in chars)
            at = space.end()
        if at < len(data):
            self._words(data[at:], start + at)

    def handle_entityref(self, name: str) -> None:
        """A named character reference (&yen; &nbsp;): one piece of page text."""
        self._reference("&" + name)

    def handle_charref(self, name: str) -> None:
        """A numeric character reference (&#49; &#x31;): one piece of page text."""
        self._reference("&#" + name)

    def _reference(self, prefix: str) -> None:
        if not self._shown():
            return
        start = self._offset()
        end = start + len(prefix)
        if self.raw.startswith(";", end):
            end += 1
        text = html.unescape(self.raw[start:end])
        if text:
            self._words(text, start, copy=False, raw_end=end)


def visible_text(raw: str) -> tuple[str, OffsetMap]:
    """The visible text of a page and the map from it back to ``raw``."""
    parser = VisibleText(raw)
    parser.feed(raw)
    parser.close()
    return parser.text, parser.map


def _wide(ch: str) -> bool:
    return unicodedata.east_asian_width(ch) in ("W", "F")


class HtmlSource(TextInMemory):
    """An HTML page: its visible text to scan, ``raw_text`` the decoded page, and the map between them."""

    def __init__(
        self,
        raw: str,
        name: str,
        rel: str,
        *,
        encoding: str,
        sha256: str | None,
        size: int | None,
        problems: list[Problem] | None = None,
    ) -> None:
        text, self._map = visible_text(raw)
        super().__init__(
            text,
            name,
            rel,
            "html",
            encoding=encoding,
            offsets="source",
            sha256=sha256,
            size=size,
            raw_text=raw,
            problems=problems,
        )

    def raw_span(self, start: int, end: int) -> tuple[int, int]:
        """The span of ``raw_text`` that wrote the visible span [start, end)."""
        return self._map.raw_span(start, end)

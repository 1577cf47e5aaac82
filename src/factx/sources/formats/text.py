"""Plain text and Markdown: a file (or standard input) streamed through an incremental decoder.

In: where the bytes come from (a file path, or the head already read from standard input and the
rest of it) and the detected :class:`~factx.sources.decoding.Encoding`. Out: a
:class:`~factx.sources.Source` whose chunks are the decoded text, in order, never the whole file in
memory. Line ends are not translated: offsets index the decoded file text as it is.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import BinaryIO

from factx.sources.decoding import Encoding, StreamDecoder
from factx.sources.source import Format, Problem, ReadError, Source

MIN_BLOCK = 1 << 16  # bytes read at once at the least, however small the chunks asked for


class TextStream(Source):
    """A text or Markdown document, decoded block by block as its chunks are asked for.

    From a file (``path``), every call of :meth:`chunks` reads it anew; from standard input
    (``head`` and ``stream``), the text can be read once.
    """

    def __init__(
        self,
        name: str,
        rel: str,
        format: Format,
        text_encoding: Encoding,
        *,
        path: str | None = None,
        head: bytes = b"",
        stream: BinaryIO | None = None,
        sha256: str | None = None,
        size: int | None = None,
    ) -> None:
        super().__init__(
            name, rel, format, encoding=text_encoding.name, offsets="source", sha256=sha256, size=size
        )
        self._encoding = text_encoding
        self._path = path
        self._head = head
        self._stream = stream

    def chunks(self, size: int = 1 << 20) -> Iterator[str]:
        """The decoded text, in order, in pieces of at most ``size`` characters.

        Bytes invalid in the encoding are replaced with U+FFFD; once the text is exhausted, one
        warning in ``problems`` counts them. An I/O error midway raises :class:`ReadError`.
        """
        if size < 1:
            raise ValueError(f"chunk size must be at least 1, not {size}")
        self.problems.clear()
        decoder = StreamDecoder(self._encoding, self._encoding.bom)
        blocks = self._blocks(max(size, MIN_BLOCK))
        for block in blocks:
            yield from _pieces(decoder.decode(block), size)
        yield from _pieces(decoder.decode(b"", final=True), size)
        warning = decoder.warning(self.name)
        if warning is not None:
            self.problems.append(warning)

    def _blocks(self, block: int) -> Iterator[bytes]:
        """The bytes after the byte-order mark, ``block`` at a time."""
        done = self._encoding.bom
        try:
            if self._path is not None:
                with open(self._path, "rb") as file:
                    file.seek(done)
                    while data := file.read(block):
                        done += len(data)
                        yield data
                return
            if self._stream is None:
                raise ReadError(Problem(self.name, "standard input can be read only once"))
            head, stream, self._head, self._stream = self._head, self._stream, b"", None
            if len(head) > done:
                yield head[done:]
            done = max(done, len(head))
            while data := stream.read(block):
                done += len(data)
                yield data
        except OSError as exc:
            raise ReadError(
                Problem(self.name, f"read failed at byte {done}: {(exc.strerror or str(exc)).lower()}")
            ) from exc


def _pieces(text: str, size: int) -> Iterator[str]:
    """``text`` in pieces of at most ``size`` characters (none when it is empty)."""
    if len(text) <= size:
        if text:
            yield text
        return
    for start in range(0, len(text), size):
        yield text[start : start + size]

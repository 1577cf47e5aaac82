"""Sources: paths in; the documents to read, opened as text streams with what a record says about them.

:func:`find_inputs` turns files, folders and ``-`` into sorted :class:`Input` s (and a
:class:`Problem` per path that cannot be read); :func:`open_source` opens one as a :class:`Source`
(text, Markdown, HTML, Word or PDF; the encoding detected or forced) whose ``chunks()`` are its text.
"""

from factx.sources.decoding import check_encoding
from factx.sources.files import DEFAULT_GLOBS, Document, find_inputs, iter_documents
from factx.sources.reading import open_source
from factx.sources.source import FORMATS, STDIN, STDIN_NAME, Format, Input, Problem, ReadError, Source

__all__ = [
    "DEFAULT_GLOBS",
    "FORMATS",
    "STDIN",
    "STDIN_NAME",
    "Document",
    "Format",
    "Input",
    "Problem",
    "ReadError",
    "Source",
    "check_encoding",
    "find_inputs",
    "iter_documents",
    "open_source",
]

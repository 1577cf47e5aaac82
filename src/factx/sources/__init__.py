"""Sources: paths → documents (name and decoded text), or a problem that names the file and cause."""

from factx.sources.files import Document, Problem, iter_documents

__all__ = ["Document", "Problem", "iter_documents"]

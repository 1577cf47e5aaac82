"""Output: Figure records → bytes. JSONL now; the writer is atomic so a failed run leaves no half file."""

from factx.output.jsonl import AtomicWriter, figure_line

__all__ = ["AtomicWriter", "figure_line"]

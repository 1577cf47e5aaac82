"""Output: Figure records → bytes (JSONL), and bytes → a file, a device or stdout, destroying nothing.

``figure_line`` makes a record's line; :class:`RecordWriter` (and ``write_records``) puts lines at the
target named with ``-o``: a regular file is replaced only when the run completes, devices and FIFOs
are written in place, and an exception or a signal (:class:`Interrupted`) leaves the old file as it was.
"""

from factx.output.jsonl import figure_line
from factx.output.writer import AtomicWriter, OutputError, RecordWriter, write_records
from factx.signals import Interrupted, reset_signals_in_child

__all__ = [
    "AtomicWriter",
    "Interrupted",
    "OutputError",
    "RecordWriter",
    "figure_line",
    "reset_signals_in_child",
    "write_records",
]

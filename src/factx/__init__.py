"""factx: every figure of Chinese documents, normalized, traceable, as validated records.

>>> import factx
>>> [(f.text, f.value, f.unit) for f in factx.extract_text("意向成交额达834.9亿美元。")]
[('834.9亿美元', Decimal('83490000000.0'), 'USD')]
"""

from factx.extract import (
    DocumentScan,
    Extraction,
    ExtractionRun,
    ScanOptions,
    extract_document,
    extract_paths,
    extract_source,
    extract_text,
)
from factx.packs import PackError, RuleSet, load_ruleset
from factx.records import Figure
from factx.run import ReadOptions, RunSummary, run_extract
from factx.sources import Problem

__version__ = "0.1.0"

__all__ = [
    "DocumentScan",
    "Extraction",
    "ExtractionRun",
    "Figure",
    "PackError",
    "Problem",
    "ReadOptions",
    "RuleSet",
    "RunSummary",
    "ScanOptions",
    "__version__",
    "extract_document",
    "extract_paths",
    "extract_source",
    "extract_text",
    "load_ruleset",
    "run_extract",
]

"""factx: every figure of Chinese documents, normalized, traceable, as validated records.

>>> import factx
>>> [(f.text, f.value, f.unit) for f in factx.extract_text("意向成交额达834.9亿美元。")]
[('834.9亿美元', Decimal('83490000000.0'), 'USD')]
"""

from factx.extract import Extraction, extract_document, extract_paths, extract_text
from factx.packs import PackError, RuleSet, load_ruleset
from factx.records import Figure
from factx.sources import Document, Problem

__version__ = "0.1.0"

__all__ = [
    "Document",
    "Extraction",
    "Figure",
    "PackError",
    "Problem",
    "RuleSet",
    "__version__",
    "extract_document",
    "extract_paths",
    "extract_text",
    "load_ruleset",
]

"""factx: every figure of Chinese documents, normalized, traceable, as validated records.

>>> import factx
>>> [(f.text, f.value, f.unit) for f in factx.extract_text("意向成交额达834.9亿美元。")]
[('834.9亿美元', Decimal('83490000000.0'), 'USD')]

The public names below are imported when first used, not with the package: ``factx --help`` or a
command that needs none of them should not pay for loading the whole extraction stack.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

# Each public name and the module that defines it.
_EXPORTS = {
    "DocumentScan": "factx.extract",
    "Extraction": "factx.extract",
    "ExtractionRun": "factx.extract",
    "ScanOptions": "factx.extract",
    "extract_document": "factx.extract",
    "extract_paths": "factx.extract",
    "extract_source": "factx.extract",
    "extract_text": "factx.extract",
    "PackError": "factx.packs",
    "RuleSet": "factx.packs",
    "load_ruleset": "factx.packs",
    "Figure": "factx.records",
    "ReadOptions": "factx.run",
    "RunSummary": "factx.run",
    "run_extract": "factx.run",
    "Problem": "factx.sources",
}

if TYPE_CHECKING:
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


def __getattr__(name: str) -> Any:
    """A public name, imported from its module on first use (PEP 562)."""
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'factx' has no attribute {name!r}")
    value = getattr(import_module(module), name)
    globals()[name] = value  # the next use is a plain lookup
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_EXPORTS})


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

"""Matching: a document's text and a compiled RuleSet → resolved figure drafts, in document order.

Every rule scans the whole text; each match is normalized (number, unit, qualifiers) and validated;
spans of not-a-figure rules remove what they overlap; of overlapping figures the longest wins.
"""

from factx.matching.scanner import Draft, ScanTimeout, scan

__all__ = ["Draft", "ScanTimeout", "scan"]

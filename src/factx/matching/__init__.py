"""Matching: a document's text and a compiled RuleSet → resolved figure drafts, in document order.

Every rule scans the text (a rule with `needs` only the sentences that hold one of its words); each
match is built into a figure by :func:`factx.normalize.figure.build_figure`; spans of not-a-figure
rules remove what they overlap; of overlapping figures the longest wins.
"""

from factx.matching.scanner import Draft, ScanTimeout, scan

__all__ = ["Draft", "ScanTimeout", "scan"]

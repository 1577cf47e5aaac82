"""The Figure record: what factx emits for every figure, validated, with a stable id.

Its fields include those every scorer reads (doc, start, end, text, kind, value, unit, approx, change,
classifier, value_high) and what an audit needs (line, column, sentence, rule). ``value`` is exact
(``Decimal``) in Python and a plain JSON number on output, never a float with noise.
"""

from __future__ import annotations

import hashlib
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_serializer

from factx.normalize.numbers import json_number

Approx = Literal["about", "over", "under", "nearly", "range"]
Change = Literal["increase", "decrease"]
CurrencyFrom = Literal["text", "document"]
Format = Literal["text", "markdown", "html", "docx", "pdf"]
Offsets = Literal["source", "extracted"]


def figure_id(doc: str, sentence: str, text: str, occurrence: int, sentence_occurrence: int = 0) -> str:
    """A figure's id across runs: from its document, its sentence's text, its text and which
    occurrence of that text in the sentence it is, so editing another paragraph leaves it alone.
    ``sentence_occurrence`` tells apart identical sentences repeated in one document."""
    parts = [doc, sentence, text, str(occurrence)]
    if sentence_occurrence:
        parts.append(f"s{sentence_occurrence}")
    key = "\x1f".join(parts)
    return hashlib.blake2b(key.encode("utf-8"), digest_size=8).hexdigest()


class Figure(BaseModel):
    """One figure found in a document."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(
        description="Stable across runs: hash of doc, sentence text, figure text and occurrences."
    )
    doc: str = Field(
        description="The document's path as given (or '<stdin>', or the name passed to extract_text)."
    )
    start: int = Field(ge=0, description="Offset of the first character, in code points of the decoded text.")
    end: int = Field(ge=0, description="Offset after the last character: text == document[start:end].")
    line: int = Field(ge=1, description="1-based line of start.")
    column: int = Field(ge=1, description="1-based column of start, in code points.")
    text: str = Field(
        description="The figure as written: number, multiplier, unit, qualifiers inside the span."
    )
    kind: str = Field(
        description="money, count, percent, percentage_point, multiple, measure (or a pack's kind)."
    )
    value: Decimal = Field(description="The value in the canonical unit (a range's low end).")
    value_high: Decimal | None = Field(default=None, description="A range's high end.")
    unit: str = Field(description="Canonical unit: ISO 4217, count, %, pp, x, or SI (m2, kg, s, B, W, K …).")
    currency_from: CurrencyFrom | None = Field(
        default=None,
        description="For money: text when the currency is written with the figure (港幣300元, 3億美元); "
        "document when a bare 元 (萬元, 塊錢) took the document's currency (CNY unless --currency says "
        "otherwise); null for other kinds.",
    )
    approx: Approx | None = Field(
        default=None, description="What a qualifier does: about, over, under, nearly, range."
    )
    change: Change | None = Field(
        default=None, description="increase or decrease when a growth or fall word governs it."
    )
    classifier: str | None = Field(default=None, description="A count's measure word (家, 个, 人次).")
    per: str | None = Field(
        default=None, description="A rate's denominator: 元/平方米 → m2, 美元/桶 → barrel."
    )
    metric: str | None = Field(
        default=None,
        description="What the figure measures, verbatim (意向成交额; a count's noun; a rate's quantity).",
    )
    metric_start: int | None = Field(default=None, ge=0, description="Offset of metric in the document.")
    metric_end: int | None = Field(
        default=None, ge=0, description="metric == document[metric_start:metric_end]; likewise the others."
    )
    subject: str | None = Field(
        default=None, description="Who or where the figure is about, verbatim (东盟, 民营企业, 进博会)."
    )
    subject_start: int | None = Field(default=None, ge=0)
    subject_end: int | None = Field(default=None, ge=0)
    period: str | None = Field(
        default=None,
        description="The time the figure covers, verbatim (前11个月, 2024年, 本届), from its sentence or "
        "the paragraph's earlier sentence that sets it.",
    )
    period_start: int | None = Field(default=None, ge=0)
    period_end: int | None = Field(default=None, ge=0)
    basis: str | None = Field(
        default=None,
        description="For a change or a ratio: what it is compared with, verbatim (同比, 比上年, 较年初).",
    )
    basis_start: int | None = Field(default=None, ge=0)
    basis_end: int | None = Field(default=None, ge=0)
    sentence: str = Field(description="The sentence the figure stands in.")
    sentence_start: int = Field(ge=0)
    sentence_end: int = Field(ge=0)
    pack: str = Field(description="The rule pack of the rule that matched.")
    rule: str = Field(description="The id of the rule that matched.")
    path: str = Field(
        default="",
        description="The document's path relative to the folder named on the command line (its file "
        "name when the file was named itself; '<stdin>'): two runs over copies of a corpus in different "
        "folders pair their documents, and their ids, by it.",
    )
    format: Format = Field(
        default="text", description="How the document was read: text, markdown, html, docx, pdf."
    )
    encoding: str | None = Field(
        default=None,
        description="The codec the file's bytes were decoded with (utf-8, gb18030, big5, utf-16 …); "
        "null for docx and pdf, which carry their own.",
    )
    offsets: Offsets = Field(
        default="source",
        description="source: start/end (and line, column, sentence_start/end) index the file's decoded "
        "text, markup included (html); extracted: they index the text extracted from a docx or pdf.",
    )
    page: int | None = Field(
        default=None, ge=1, description="The 1-based page of a pdf the figure stands on."
    )
    doc_sha256: str | None = Field(
        default=None, description="SHA-256 of the source file's bytes as read (null for standard input)."
    )

    @field_serializer("value", "value_high")
    def _plain_number(self, value: Decimal | None) -> int | float | None:
        return None if value is None else json_number(value)

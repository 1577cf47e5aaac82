"""The rule-pack format as pydantic models: what a YAML pack may say, validated on load.

A pack has lexicons (numerals, units, qualifiers, change words, coordinators), named regex pieces,
and rules. Every section is optional so that a small user pack can extend one lexicon or add one rule.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator, model_validator

from factx.packs.context_models import ContextCues

Approx = Literal["about", "over", "under", "nearly", "range"]
Position = Literal["after", "before"]


def _parse_exact(value: Any) -> Decimal:
    """A factor or constant written as an integer, a decimal string, ``1e6`` or a fraction ``10000/15``."""
    if isinstance(value, bool):
        raise ValueError("expected a number, not a boolean")
    if isinstance(value, float):
        # YAML floats are binary; go through repr so 0.001 stays 0.001.
        value = repr(value)
    if isinstance(value, int):
        return Decimal(value)
    if not isinstance(value, str):
        raise ValueError("expected a number or a string such as '1e6' or '10000/15'")
    text = value.strip().replace("_", "")
    try:
        if "/" in text:
            num, den = text.split("/", 1)
            return Decimal(num) / Decimal(den)
        return Decimal(text)
    except (InvalidOperation, ZeroDivisionError):
        raise ValueError(f"not an exact number: {value!r}") from None


Exact = Annotated[Decimal, BeforeValidator(_parse_exact)]


def _parts_mapping(value: Any) -> Any:
    """`parts` as a list (分钟, 秒, {分: 60}) becomes a mapping: a bare form takes its factor from the
    units lexicon (None until the packs are merged), a one-entry mapping gives its own."""
    if not isinstance(value, list):
        return value
    out: dict[Any, Any] = {}
    for item in value:
        if isinstance(item, dict):
            out.update(item)
        else:
            out[item] = None
    return out


class Strict(BaseModel):
    """Base of every pack model: unknown keys are errors, not silently ignored."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Numerals(Strict):
    """The lexicon of the number grammar (Arabic digits are built into the pieces)."""

    digits: dict[str, int] = Field(
        default_factory=dict, description="CJK digit characters and their values 0-9."
    )
    places: dict[str, int] = Field(
        default_factory=dict, description="In-section place values: 十 10, 百 100, 千 1000."
    )
    magnitudes: dict[str, Exact] = Field(
        default_factory=dict, description="Section multipliers that stack: 万 1e4, 亿 1e8, 兆 1e12."
    )
    magnitude_words: dict[str, Exact] = Field(
        default_factory=dict,
        description="Magnitudes written with a measure word, as speech does: 个亿 1e8 (5个亿). They read "
        "as magnitudes, but their characters neither start nor continue a numeral (个 stays a measure word).",
    )
    magnitude_not_before: dict[str, str] = Field(
        default_factory=dict,
        description="Regex per magnitude: not one when followed by it (兆 before 瓦 is the prefix mega-).",
    )
    points: list[str] = Field(default_factory=list, description="Decimal points inside CJK numerals: 点, 點.")
    placeholders: list[str] = Field(
        default_factory=list,
        description="Digits that stand for an unknown digit (几, 数): the figure becomes approx 'over'.",
    )
    articles: list[str] = Field(
        default_factory=list,
        description="Numerals that alone before a measure word are an article (一个 'a'), not a count.",
    )
    negative: list[str] = Field(
        default_factory=list,
        description="Signs and words that make the number after them negative: -, −, 零下.",
    )
    max_digits: int | None = Field(
        default=None, description="Longer digit strings are identifiers, not figures."
    )

    @field_validator("digits", "places", "points", "placeholders")
    @classmethod
    def _single_characters(cls, value: Any) -> Any:
        """These enter the grammar as character classes: a longer entry would be silently ignored."""
        long = [k for k in value if len(k) != 1]
        if long:
            raise ValueError(f"entries are single characters; not {', '.join(repr(k) for k in long)}")
        return value


class Qualifiers(Strict):
    """Words that make a figure approximate; a null value marks a word that only looks like one (最近)."""

    before: dict[str, Approx | None] = Field(default_factory=dict)
    after: dict[str, Approx] = Field(default_factory=dict)
    infix: dict[str, Approx] = Field(
        default_factory=dict, description="Between number and multiplier: 500多亿."
    )
    governing: dict[str, Approx] = Field(
        default_factory=dict,
        description="Regex ending at the figure: a qualifier governing it from a distance (约占全国的).",
    )
    distributive: list[str] = Field(
        default_factory=list,
        description="After-qualifiers that also apply to the figures coordinated before them (14%和10%以上).",
    )


class Changes(Strict):
    """Growth and fall words, and the words that turn them into a level reached (降至)."""

    increase: list[str] = Field(default_factory=list)
    decrease: list[str] = Field(default_factory=list)
    level: list[str] = Field(
        default_factory=list, description="After a change word: 至, 到 (a level, not a change)."
    )
    filler: list[str] = Field(
        default_factory=list,
        description="Words that may stand between a change word and its figure (了, 分别, 达).",
    )
    streaks: list[str] = Field(
        default_factory=list,
        description="Words before a change word that make a duration after it the length of a run, not a "
        "change: 连跌8个月, 连续增长5年.",
    )
    comparatives: dict[str, Literal["increase", "decrease"]] = Field(
        default_factory=dict,
        description="Regex ending at the figure's number: a comparison that says which way when no change "
        "word does (比全国高0.5个百分点: increase).",
    )
    differences: list[str] = Field(
        default_factory=list,
        description="Words after which a figure is a difference, not a level (温差15℃: 15 K, not 288.15 K); "
        "as after a change word, only units with an offset tell the two apart.",
    )


class Segmentation(Strict):
    """Where sentences and clauses end (regex character classes)."""

    sentence_end: str | None = None
    clause_end: str | None = None


class ExpectedFigure(Strict):
    """What an example must yield; fields left out are not checked."""

    text: str | None = None
    kind: str | None = None
    value: Exact | None = None
    unit: str | None = None
    approx: Approx | None = None
    change: Literal["increase", "decrease"] | None = None
    value_high: Exact | None = None
    per: str | None = None
    classifier: str | None = None


class Example(Strict):
    """A rule's own test: a text, the figures the whole ruleset must find in it, and whether the rule acts.

    By default an example with figures is one where the rule itself yields a figure (an exclusion: one
    it spares), and ``figures: []`` one where nothing at all is found (an exclusion: text it clears).
    """

    text: str = Field(min_length=1)
    figures: list[ExpectedFigure] = Field(
        default_factory=list,
        description="Figures that must be found, in order, with only the fields given checked; [] for none.",
    )
    fires: bool | None = Field(
        default=None,
        description="Whether this rule must act on the text: yield a figure (an exclusion: match). "
        "Default: a figure rule fires when figures are listed, an exclusion when none are. Set false "
        "for a counter-example in which other rules still find the listed figures.",
    )

    def fires_for(self, exclude: bool) -> bool:
        """Whether the rule must act here: an example (True) or a counter-example (False)."""
        if self.fires is not None:
            return self.fires
        return not self.figures if exclude else bool(self.figures)


class Unit(Strict):
    """A unit, currency or measure word, with how it converts to the canonical unit."""

    forms: list[str] = Field(min_length=1, description="Surface forms, as written in text.")
    kind: str = Field(
        description="money, count, percent, percentage_point, multiple, measure, or a pack's own kind."
    )
    unit: str = Field(
        description="The canonical unit: ISO 4217 code, 'count', '%', 'pp', 'x', or an SI unit."
    )
    factor: Exact = Field(
        default=Decimal(1), description="Multiply the number by this to get the canonical unit."
    )
    offset: Exact = Field(
        default=Decimal(0), description="Added after the factor (temperatures: ℃ → K adds 273.15)."
    )
    classifier: bool = Field(
        default=False, description="A measure word: its form goes into the record's classifier."
    )
    position: Position = Field(default="after", description="'before' for prefixes such as US$ or ￥.")
    not_before: str | None = Field(
        default=None, description="Regex: the form is not this unit when followed by it."
    )
    validators: list[str] = Field(
        default_factory=list, description="Named validators a figure with this unit must pass."
    )
    examples: list[Example] = Field(
        default_factory=list,
        description="The unit's own tests, run by `factx rules test`: it fires when a figure written with "
        "one of its forms, in its canonical unit, is found.",
    )


class Fallback(Strict):
    """What a match without a unit becomes when it has no joined figure to take a unit from."""

    kind: str
    unit: str
    validators: list[str] = Field(
        default_factory=list, description="Named validators the fallback must pass."
    )


class Rule(Strict):
    """A pattern that finds figures (or, with ``exclude``, spans that are not figures)."""

    id: str = Field(
        pattern=r"^[a-z][a-z0-9_]*(?:[.-][a-z0-9_]+)*$", description="Stable dotted id, never reused."
    )
    description: str = ""
    pattern: str = Field(
        description="Regex with {piece} references. Named groups read: num (the number), num2 and "
        "unit_high (a range's high end and its unit), unit (looked up in the units), unit2 (a currency "
        "repeated after a prefix one), den (a fraction's denominator), post (a qualifier after), per (a "
        "rate's denominator), half, frac, and n/u (with parts)."
    )
    kind: str | None = Field(default=None, description="Fixed kind; by default the kind of the matched unit.")
    unit: str | None = Field(default=None, description="Fixed canonical unit, with kind.")
    factor: Exact | None = Field(default=None, description="Fixed factor, with kind.")
    offset: Exact | None = Field(
        default=None,
        description="Added after the fixed factor, with kind (度 of temperature → K adds 273.15).",
    )
    value: Exact | None = Field(
        default=None, description="A constant value (一半 → 50), for rules without a number."
    )
    form: Literal["quantity", "fraction"] = Field(
        default="quantity",
        description="How the groups make a value: quantity (num, times the unit's factor) or fraction "
        "(num/den, times the rule's factor: 三分之一 → 33.3%).",
    )
    parts: Annotated[
        dict[str, Exact | None],
        BeforeValidator(
            _parts_mapping, json_schema_input_type=dict[str, Exact] | list[str | dict[str, Exact]]
        ),
    ] = Field(
        default_factory=dict,
        description="For repeated groups n (a number) and u (its unit) after the main unit: each u form "
        "and its factor in the canonical unit, summed into the value (2小时06分38秒 with 分: 60, 秒: 1). "
        "A list names forms whose factor is the units lexicon's ([分钟, 秒, {分: 60}]).",
    )
    exclude: bool = Field(
        default=False, description="Matches are not figures, and no figure may overlap them."
    )
    inherit: bool = Field(
        default=False,
        description="The figure takes its unit from the next coordinated figure (6.5和0.3个百分点).",
    )
    fallback: Fallback | None = Field(
        default=None,
        description="With inherit: kind and unit of a unitless match joined to no figure (600万 → count).",
    )
    priority: int = Field(default=0, description="Breaks ties between overlapping matches of equal length.")
    needs: list[Annotated[str, Field(min_length=1)]] = Field(
        default_factory=list,
        description="Words one of which every match holds (角 for 3元5角): the pattern is then tried only "
        "in the sentences that hold one, which makes a rule for a rare form cost nearly nothing elsewhere. "
        "A match may not cross a full stop (。！？!?).",
    )
    validators: list[str] = Field(
        default_factory=list, description="Named validators every figure of the rule must pass."
    )
    examples: list[Example] = Field(
        default_factory=list, description="The rule's own tests, run by `factx rules test`."
    )

    @model_validator(mode="after")
    def _consistent(self) -> Rule:
        """Keys that only mean something together: caught here rather than silently ignored."""
        if self.exclude:
            given = [
                k
                for k in (
                    "kind",
                    "unit",
                    "factor",
                    "offset",
                    "value",
                    "fallback",
                    "inherit",
                    "parts",
                    "validators",
                )
                if k in self.model_fields_set
            ]
            if given:
                raise ValueError(f"an exclusion yields no figures, so {', '.join(given)} has no effect")
            return self
        if (self.kind is None) != (self.unit is None):
            raise ValueError(
                "kind and unit go together: give both (a fixed unit) or neither (the matched one)"
            )
        if self.factor is not None and self.kind is None:
            raise ValueError("factor applies to a fixed kind and unit: give kind and unit too")
        if self.offset is not None and self.kind is None:
            raise ValueError("offset applies to a fixed kind and unit: give kind and unit too")
        if self.fallback is not None and not self.inherit:
            raise ValueError("fallback applies to unitless matches, which only an inherit rule keeps")
        if self.form == "fraction" and self.value is not None:
            raise ValueError("a fraction is read from groups num and den: it cannot have a constant value")
        return self


class CurrencyCues(Strict):
    """What points to one currency being a document's own (under ``--currency auto``)."""

    script: Literal["simplified", "traditional"] | None = Field(
        default=None,
        description="The script its texts are written in: adds script_weight when it is the text's.",
    )
    cues: list[str] = Field(
        default_factory=list,
        description="Words that point to it, each counted once: place and institution names (香港, 立法會).",
    )


class DocumentCurrency(Strict):
    """The currency of a bare 元: the document's own, set or decided per document from cues."""

    document: str | None = Field(
        default=None,
        description="The document's currency: an ISO 4217 code or auto (default: the local forms' unit).",
    )
    local_forms: list[str] = Field(
        default_factory=list,
        description="Money unit forms that name the document's own currency, not one currency (元, 塊錢).",
    )
    auto: dict[str, CurrencyCues] = Field(
        default_factory=dict,
        description="The currencies auto chooses among, in tie-break order, with their cues.",
    )
    traditional: str = Field(default="", description="Characters only traditional script writes (們, 這).")
    simplified: str = Field(default="", description="Characters only simplified script writes (们, 这).")
    script_weight: int | None = Field(
        default=None, ge=0, description="What the text's script counts for, against one cue word (default 3)."
    )


class RulePack(Strict):
    """One YAML file of rules and lexicons."""

    pack: str = Field(
        pattern=r"^[A-Za-z0-9_.-]+$", description="The pack's name, shown in records as rule provenance."
    )
    version: Literal[1] = Field(default=1, description="The pack format's version; 1 is the only one so far.")
    description: str = ""
    numerals: Numerals = Field(default_factory=Numerals)
    units: list[Unit] = Field(default_factory=list)
    qualifiers: Qualifiers = Field(default_factory=Qualifiers)
    changes: Changes = Field(default_factory=Changes)
    coordinators: list[str] = Field(default_factory=list, description="Words joining figures: 和, 、, 与.")
    classifier_variants: dict[str, str] = Field(
        default_factory=dict,
        description="Character variants normalized in `classifier` (個 → 个), so traditional text gives "
        "the records of its simplified twin.",
    )
    denominators: dict[str, str] = Field(
        default_factory=dict,
        description="A rate's denominators (元/平方米, 每股): surface form → the name that goes into `per`.",
    )
    segmentation: Segmentation = Field(default_factory=Segmentation)
    context_fields: ContextCues = Field(
        default_factory=ContextCues,
        description="Cues that find each figure's metric, subject, period and basis.",
    )
    currency: DocumentCurrency = Field(
        default_factory=DocumentCurrency,
        description="The currency of a bare 元 (the document's own) and the cues --currency auto reads.",
    )
    pieces: dict[str, str] = Field(
        default_factory=dict, description="Named regex pieces, referenced as {name}."
    )
    rules: list[Rule] = Field(default_factory=list)
    disable: list[str] = Field(
        default_factory=list, description="Ids of rules (from this pack or earlier ones) to switch off."
    )

    @field_validator("classifier_variants")
    @classmethod
    def _variant_characters(cls, value: dict[str, str]) -> dict[str, str]:
        """Variants are replaced character by character: a longer key would never match."""
        long = [k for k in value if len(k) != 1]
        if long:
            raise ValueError(f"keys are single characters; not {', '.join(repr(k) for k in long)}")
        return value

"""The small registry of named validators: the only Python a rule or unit may ask for.

A validator says whether a matched, normalized figure really is one, for what a pattern cannot say
(a lone 一 before a measure word is the article 'a'; 万家 alone is an idiom, 约百家 is a figure).
Rules and units name validators in their packs; an unknown name is a pack error at load time.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple


class NumberFacts(NamedTuple):
    """What a validator may look at (a NamedTuple: built for every match, so it must be cheap)."""

    number_text: str  # the number as written, without unit or qualifiers
    has_digit: bool  # any digit (Arabic or CJK), not only place words like 百 or 万
    cjk_only: bool  # written in CJK numerals only
    qualified: bool  # an approximation word stands before, inside or after it
    is_article: bool  # the number is a lone indefinite-article numeral (一)
    ends_with_magnitude: bool = False  # the number ends with 万, 亿 … (and maybe 多, 余)


Validator = Callable[[NumberFacts], bool]


def not_indefinite_article(facts: NumberFacts) -> bool:
    """一个, 一家, 一起: a lone 一 before a measure word is 'a', not a count of one."""
    return not facts.is_article or facts.qualified


def place_needs_qualifier(facts: NumberFacts) -> bool:
    """百家, 千年, 万家 with no digit are idioms unless qualified: 约百家, 百余个, 突破千万."""
    return facts.has_digit or facts.qualified


def not_lone_cjk_digit(facts: NumberFacts) -> bool:
    """A lone CJK digit before this unit is more likely the end of a name (李四人民币) than an amount."""
    return not (facts.cjk_only and len(facts.number_text) == 1)


def needs_qualifier(facts: NumberFacts) -> bool:
    """For forms that are figures only when a qualifier says so."""
    return facts.qualified


def ends_with_magnitude(facts: NumberFacts) -> bool:
    """600万, 3.5亿多: a number that ends with a magnitude (a bare 6.5 does not)."""
    return facts.ends_with_magnitude


def cjk_needs_qualifier(facts: NumberFacts) -> bool:
    """CJK numerals with no unit need a qualifier: 突破千万 is a figure, 千万不要 is not; 600万 is."""
    return not facts.cjk_only or facts.qualified


VALIDATORS: dict[str, Validator] = {
    "needs_qualifier": needs_qualifier,
    "cjk_needs_qualifier": cjk_needs_qualifier,
    "ends_with_magnitude": ends_with_magnitude,
    "not_indefinite_article": not_indefinite_article,
    "place_needs_qualifier": place_needs_qualifier,
    "not_lone_cjk_digit": not_lone_cjk_digit,
}

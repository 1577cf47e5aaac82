"""The number grammar's evaluator: Arabic, CJK and mixed numerals to an exact ``Decimal``.

The regex pieces of the packs decide *where* a number is; this decides *what it is worth*, from the
lexicon alone (digits, places, magnitudes, points, placeholders, infix qualifiers). It never uses
floats, so 1.57 stays 1.57, and it refuses what is not a number (二〇二五 as a quantity, 一一).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from factx.packs.ruleset import RuleSet

ARABIC = "0123456789０１２３４５６７８９"
_TO_ASCII = str.maketrans("０１２３４５６７８９．，", "0123456789.,")
_ARABIC_RUN = set(ARABIC) | {".", "．", ","}
_TEN = Decimal(10)
_HUNDRED = Decimal(100)


@dataclass(frozen=True)
class ParsedNumber:
    """A number's exact value and what its own text says about it."""

    value: Decimal
    approx: str | None  # from an infix (500多亿) or a placeholder digit (十几万, 数百)
    has_digit: bool  # a real digit was written, not only place words (百, 千万)
    cjk_only: bool  # no Arabic digits


def _arabic(run: str, max_digits: int) -> Decimal | None:
    plain = run.translate(_TO_ASCII).replace(",", "")
    if plain.count(".") > 1 or plain.startswith(".") or plain.endswith("."):
        return None
    if len(plain.replace(".", "").lstrip("0")) > max_digits:
        return None  # a long digit string is an identifier, not a quantity
    try:
        return Decimal(plain)
    except InvalidOperation:
        return None


def parse_number(text: str, rs: RuleSet) -> ParsedNumber | None:
    """The value of a numeral as written, or None when the text is not a well-formed number."""
    return _parse_cached(text, rs)


@lru_cache(maxsize=65536)
def _parse_cached(text: str, rs: RuleSet) -> ParsedNumber | None:
    return _parse(text, rs)


def _parse(text: str, rs: RuleSet) -> ParsedNumber | None:
    for sign in sorted(rs.negative, key=len, reverse=True):
        if text.startswith(sign) and len(text) > len(sign):
            parsed = _parse_unsigned(text[len(sign) :], rs)
            if parsed is None:
                return None
            return ParsedNumber(-parsed.value, parsed.approx, parsed.has_digit, parsed.cjk_only)
    return _parse_unsigned(text, rs)


def _parse_unsigned(text: str, rs: RuleSet) -> ParsedNumber | None:  # noqa: C901 - one state machine, kept whole
    total = Decimal(0)  # everything already multiplied by a magnitude (万, 亿)
    section = Decimal(0)  # the current section, below the next magnitude
    cur: Decimal | None = None  # a digit or Arabic run waiting for its place
    cur_cjk_digit = False  # cur is one CJK digit (may be an abbreviation: 三万五 = 35000)
    cur_follows_unit = False  # ... read right after a place or magnitude
    last_unit: Decimal | None = None  # the place or magnitude just applied
    after_unit = False  # the previous token was a place or magnitude
    zero_gap = False  # a 零 since the last unit: 一百零五 is 105, not 150
    biggest: Decimal | None = None
    # CJK decimal digits after 点, in a list: adding to a string in a closure copies it each time,
    # which is quadratic on a long run of them.
    frac: list[str] | None = None
    placeholder = False
    approx: str | None = None
    has_digit = False
    cjk_only = True
    i, n = 0, len(text)
    max_mag_len = max((len(m) for m in rs.magnitudes), default=1)
    max_infix_len = max((len(q) for q in rs.qual_infix), default=1)

    def close_fraction() -> bool:
        nonlocal cur, frac
        if frac is None:
            return True
        if not frac:
            return False
        cur = (cur or Decimal(0)) + Decimal("0." + "".join(frac))
        frac = None
        return True

    while i < n:
        ch = text[i]
        if ch in _ARABIC_RUN and ch not in ",":
            j = i
            while j < n and text[j] in _ARABIC_RUN:
                j += 1
            if cur is not None or frac is not None:
                return None
            value = _arabic(text[i:j], rs.max_digits)
            if value is None:
                return None
            cur, cur_cjk_digit, has_digit, cjk_only = value, False, True, False
            after_unit = False
            i = j
            continue
        if ch in rs.digits:
            digit = rs.digits[ch]
            if frac is not None:
                frac.append(str(digit))
            elif digit == 0:
                if cur is None and section == 0 and total == 0 and last_unit is None:
                    cur, cur_cjk_digit, has_digit = Decimal(0), False, True
                else:
                    zero_gap = True
            else:
                if cur is not None or placeholder:
                    return None  # two digits in a row: 一一, 二〇二五
                cur, cur_cjk_digit, has_digit = Decimal(digit), True, True
                cur_follows_unit = after_unit
            after_unit = False
            i += 1
            continue
        if ch in rs.places:
            if not close_fraction() or frac is not None:
                return None
            place = Decimal(rs.places[ch])
            if (
                cur is None
                and not placeholder
                and after_unit
                and last_unit is not None
                and last_unit < _TEN**4
            ):
                return None  # 百千: two places in a row
            section += (cur if cur is not None else Decimal(1)) * place
            cur, placeholder, zero_gap = None, False, False
            last_unit, after_unit = place, True
            i += 1
            continue
        mag = None
        for length in range(min(max_mag_len, n - i), 0, -1):
            if text[i : i + length] in rs.magnitudes:
                mag = text[i : i + length]
                break
        if mag is not None:
            if not close_fraction():
                return None
            m = rs.magnitudes[mag]
            section += cur or 0
            if section == 0 and total == 0 and not placeholder:
                section = Decimal(1)  # 万人: a magnitude alone
            if biggest is None or m > biggest:
                total = (total + section) * m
                biggest = m
            else:
                total += section * m
            section, cur, placeholder, zero_gap = Decimal(0), None, False, False
            last_unit, after_unit = m, True
            i += len(mag)
            continue
        if ch in rs.points:
            if frac is not None or (cur is None and section == 0):
                return None
            cur = section + (cur or 0)
            section, frac, cur_cjk_digit = Decimal(0), [], False
            after_unit = False
            i += 1
            continue
        if ch in rs.placeholders:
            if cur is not None or placeholder:
                return None
            placeholder, approx = True, "over"
            after_unit = False
            i += 1
            continue
        infix = None
        for length in range(min(max_infix_len, n - i), 0, -1):
            if text[i : i + length] in rs.qual_infix:
                infix = text[i : i + length]
                break
        if infix is not None:
            approx = rs.qual_infix[infix]
            i += len(infix)
            continue
        return None
    if not close_fraction():
        return None
    if cur is not None:
        if (
            cur_cjk_digit
            and cur_follows_unit
            and not zero_gap
            and last_unit is not None
            and last_unit >= _HUNDRED
        ):
            # 三万五 = 3万5千, 一百二 = 120: a lone digit after a place stands one place lower.
            cur *= last_unit / _TEN
        section += cur
    if not has_digit and not placeholder and total == 0 and section == 0:
        return None
    if placeholder and not has_digit and last_unit is None:
        return None  # 几 alone
    return ParsedNumber(value=total + section, approx=approx, has_digit=has_digit, cjk_only=cjk_only)


SIGNIFICANT = 15


def exact_or_rounded(value: Decimal) -> Decimal:
    """The value itself when it is a short exact decimal; cut to 15 significant digits when it came
    out of a non-terminating division (1 亩 = 10000/15 m2, 三分之一), so no figure carries 28 digits."""
    digits = value.as_tuple().digits
    if len(digits) <= 18:
        return value
    return Decimal(format(value, f".{SIGNIFICANT}g"))


def json_number(value: Decimal) -> int | float:
    """A JSON-ready number: an int when whole, else the shortest float that round-trips the decimal.

    ``float(Decimal("1.57"))`` is the double nearest 1.57 and prints as ``1.57``: no 1.5699999999999998.
    Values that are not exact decimals (1/3 of something) are cut to 15 significant digits first.
    """
    if value == value.to_integral_value():
        return int(value)
    return float(format(value, f".{SIGNIFICANT}g"))

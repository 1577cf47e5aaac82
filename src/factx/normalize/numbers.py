"""The number grammar's evaluator: Arabic, CJK and mixed numerals to an exact ``Decimal``.

The regex pieces of the packs decide *where* a number is; this decides *what it is worth*, from the
lexicon alone (digits, places, magnitudes, points, placeholders, infix qualifiers). It never uses
floats, so 1.57 stays 1.57, and it refuses what is not a number (二〇二五 as a quantity, 一一).

It also says how a number splits into a plain number and the multiplier written after it
(30亿 = 30 × 亿, 六千万 = 六 × 千万), for the figures that share one multiplier (20至30亿元, 30、40億元).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from factx.packs.ruleset import RuleSet

ARABIC = "0123456789０１２３４５６７８９"
_TO_ASCII = str.maketrans("０１２３４５６７８９．，", "0123456789.,")
# A thousands separator is ASCII or full-width (４，３１６，４７２); the grammar only lets one through
# between groups of three digits, so here it is simply part of the run.
_SEPARATORS = {",", "，"}
_ARABIC_RUN = set(ARABIC) | {".", "．"} | _SEPARATORS
_SPACES = {" ", "\u00a0", "\u3000"}
_ONE = Decimal(1)
_TEN = Decimal(10)
_HUNDRED = Decimal(100)
# No figure is written with more than a few stacked magnitudes (万亿亿 is 10²⁰); a run of them is no
# number, and its value would leave the range of a Decimal long before the run ends.
_MAX_EXPONENT = 40


@dataclass(frozen=True)
class ParsedNumber:
    """A number's exact value and what its own text says about it."""

    value: Decimal
    approx: str | None  # from an infix (500多亿) or a placeholder digit (十几万, 数百)
    has_digit: bool  # a real digit was written, not only place words (百, 千万)
    cjk_only: bool  # no Arabic digits, nor a magnitude written with a measure word (两个亿)


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
    for sign in sorted(rs.lexicon.negative, key=len, reverse=True):
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
    cur_one_digit = False  # cur is one digit (may be an abbreviation: 三万五 = 35000, 2千5 = 2500)
    cur_follows_unit = False  # ... read right after a place or magnitude
    last_unit: Decimal | None = None  # the place or magnitude just applied
    section_place: Decimal | None = None  # the last place of the current section (千 in 六千八)
    after_unit = False  # the previous token was a place or magnitude
    after_magnitude = False  # the previous token was a magnitude (万万, 亿亿 stack)
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
    max_mag_len = max((len(m) for m in rs.lexicon.magnitudes), default=1)
    max_infix_len = max((len(q) for q in rs.lexicon.qual_infix), default=1)

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
        if ch in _SPACES:
            i += 1  # 693.7 亿: the grammar lets a space stand only before a multiplier
            continue
        if ch in _ARABIC_RUN and ch not in _SEPARATORS:
            j = i
            while j < n and text[j] in _ARABIC_RUN:
                j += 1
            if cur is not None or frac is not None:
                return None
            value = _arabic(text[i:j], rs.lexicon.max_digits)
            if value is None:
                return None
            cur, cur_one_digit, has_digit, cjk_only = value, j - i == 1, True, False
            cur_follows_unit = after_unit
            after_unit = after_magnitude = False
            i = j
            continue
        if ch in rs.lexicon.digits:
            digit = rs.lexicon.digits[ch]
            if frac is not None:
                frac.append(str(digit))
            elif digit == 0:
                if cur is None and section == 0 and total == 0 and last_unit is None:
                    cur, cur_one_digit, has_digit = Decimal(0), False, True
                else:
                    zero_gap = True
            else:
                if cur is not None or placeholder:
                    return None  # two digits in a row: 一一, 二〇二五
                cur, cur_one_digit, has_digit = Decimal(digit), True, True
                cur_follows_unit = after_unit
            after_unit = after_magnitude = False
            i += 1
            continue
        if ch in rs.lexicon.places:
            if not close_fraction() or frac is not None:
                return None
            place = Decimal(rs.lexicon.places[ch])
            if (
                cur is None
                and not placeholder
                and after_unit
                and last_unit is not None
                and last_unit < _TEN**4
            ):
                return None  # 百千: two places in a row
            if section_place is not None and place >= section_place:
                return None  # 6百8千: places within a section only go down
            if cur is None and not placeholder and place == _TEN and i == 0:
                has_digit = True  # a lone 十 is 一十 (十家, 十万人), unlike 百家 or 千年
            section += (cur if cur is not None else Decimal(1)) * place
            cur, placeholder, zero_gap = None, False, False
            last_unit, section_place, after_unit, after_magnitude = place, place, True, False
            i += 1
            continue
        mag = None
        for length in range(min(max_mag_len, n - i), 0, -1):
            if text[i : i + length] in rs.lexicon.magnitudes:
                mag = text[i : i + length]
                break
        if mag is not None:
            if not close_fraction():
                return None
            m = rs.lexicon.magnitudes[mag]
            if mag in rs.lexicon.magnitude_words:
                cjk_only = False  # 两个亿 holds a measure word: no bare-numeral idiom (千万不要) reads so
                # 3个多亿: an infix qualifier inside the word makes the figure approximate, as in 3多亿.
                infix = next((q for q in rs.lexicon.qual_infix if q and q in mag), None)
                if infix is not None:
                    approx = approx or rs.lexicon.qual_infix[infix]
            section += cur or 0
            if after_magnitude and section == 0 and not placeholder:
                # Stacked magnitudes multiply: 1.25亿亿 = 1.25×10¹⁶, 三万万 = 3×10⁸ (and 1.2万亿).
                total *= m
                biggest = max(biggest or m, last_unit * m if last_unit is not None else m)
                last_unit = biggest
                if total.adjusted() > _MAX_EXPONENT:
                    return None
                i += len(mag)
                continue
            if section == 0 and total == 0 and not placeholder:
                section = Decimal(1)  # 万人: a magnitude alone
            if biggest is None or m > biggest:
                total = (total + section) * m
                biggest = m
            else:
                total += section * m  # 五万万二千万: 二千 is below the 万万 before it
            section, cur, placeholder, zero_gap = Decimal(0), None, False, False
            last_unit, section_place, after_unit, after_magnitude = m, None, True, True
            i += len(mag)
            continue
        if ch in rs.lexicon.points:
            if frac is not None or (cur is None and section == 0):
                return None
            cur = section + (cur or 0)
            section, frac, cur_one_digit = Decimal(0), [], False
            after_unit = after_magnitude = False
            i += 1
            continue
        if ch in rs.lexicon.placeholders:
            if cur is not None or placeholder:
                return None
            placeholder, approx = True, "over"
            after_unit = after_magnitude = False
            i += 1
            continue
        infix = None
        for length in range(min(max_infix_len, n - i), 0, -1):
            if text[i : i + length] in rs.lexicon.qual_infix:
                infix = text[i : i + length]
                break
        if infix is not None:
            approx = rs.lexicon.qual_infix[infix]
            i += len(infix)
            continue
        return None
    if not close_fraction():
        return None
    if cur is not None:
        if (
            cur_one_digit
            and cur_follows_unit
            and not zero_gap
            and last_unit is not None
            and last_unit >= _HUNDRED
        ):
            # 三万五 = 3万5千, 一百二 = 120, 2千5 = 2500: a lone digit after a place stands one
            # place lower (3万4000 and 1千零5 are written out and stay as they are).
            cur *= last_unit / _TEN
        section += cur
    if not has_digit and not placeholder and total == 0 and section == 0:
        return None
    if placeholder and not has_digit and last_unit is None:
        return None  # 几 alone
    return ParsedNumber(value=total + section, approx=approx, has_digit=has_digit, cjk_only=cjk_only)


@dataclass(frozen=True)
class Split:
    """A number read as a plain number times the multiplier written after it (30亿 = 30 × 亿)."""

    lead: str  # the plain number as written: 30, 六, 二十, 1.5 (the whole text when there is no multiplier)
    suffix: str  # the multiplier as written, an infix left out: 亿, 千万, 萬 ("" for none)
    multiplier: Decimal  # its value: 1e8, 1e7, 1e4 (1 for none)


def multiplier_splits(text: str, rs: RuleSet) -> tuple[Split, ...]:
    """The ways ``text`` reads as a plain number times a multiplier, the longest multiplier first.

    六千万 → (六, 千万), (六千, 万); 30多亿 → (30, 亿); 5千 → (5, 千); 二十 and 1.2 → themselves with no
    multiplier. A multiplier is a run of magnitudes, maybe after one place of a hundred or more (十 is
    part of the number: 二十万 is 二十 × 万); a number with a multiplier inside it (3万4千) has none.
    """
    return _splits_cached(text, rs)


@lru_cache(maxsize=4096)
def _splits_cached(text: str, rs: RuleSet) -> tuple[Split, ...]:
    k, product = len(text), _ONE
    while True:  # the run of magnitudes at the end
        mag = next((m for m in rs.lexicon.magnitudes if m and text.endswith(m, 0, k)), None)
        if mag is None:
            break
        k -= len(mag)
        product *= rs.lexicon.magnitudes[mag]
    suffix = text[k:]
    infix = next((q for q in rs.lexicon.qual_infix if q and text.endswith(q, 0, k)), None) if suffix else None
    head = text[: k - len(infix)] if infix else text[:k]
    head = head.rstrip("".join(_SPACES))
    if not head or _has_magnitude(head, rs):
        return ()
    splits: list[Split] = []
    place = head[-1]
    if rs.lexicon.places.get(place, 0) >= 100 and _plain(head[:-1], rs):
        splits.append(Split(head[:-1], place + suffix, rs.lexicon.places[place] * product))
    if suffix and _plain_section(head, rs):
        splits.append(Split(head, suffix, product))
    if (
        not suffix
        and not any(rs.lexicon.places.get(ch, 0) >= 100 for ch in head)
        and _plain_section(head, rs)
    ):
        splits.append(Split(head, "", _ONE))
    return tuple(splits)


def _has_magnitude(text: str, rs: RuleSet) -> bool:
    return any(m and m in text for m in rs.lexicon.magnitudes)


def _plain(text: str, rs: RuleSet) -> bool:
    """A number with no place or magnitude in it (30, 1.5, 六)."""
    return (
        bool(text) and not any(ch in rs.lexicon.places for ch in text) and parse_number(text, rs) is not None
    )


def _plain_section(text: str, rs: RuleSet) -> bool:
    """A number below the first magnitude (六千, 二十, 5000): what a multiplier may follow."""
    return parse_number(text, rs) is not None


def shared_multiplier(low: str, high: str, rs: RuleSet, ordered: bool) -> Decimal | None:
    """The factor that makes ``low`` take the multiplier written only on ``high``, or None.

    ``low`` is the low end of a range (``ordered``: it must stay below the high end) or an item of a
    list whose last item is ``high``: 20至30亿 → 1e8, 五至六千万 → 1e7, 3千至5千万 → 1e4 (3千 has 千 of
    千万 already). None when ``low`` has a multiplier of its own (1亿至3亿, 8千至1万) or is plainly
    complete by itself: it is nearer the high end as written than with the multiplier (5000至1.2万).
    """
    low_num, high_num = parse_number(low, rs), parse_number(high, rs)
    if low_num is None or high_num is None:
        return None
    c, h = low_num.value, high_num.value
    for hs in multiplier_splits(high, rs):
        for ls in multiplier_splits(low, rs):
            if len(ls.suffix) >= len(hs.suffix) or not hs.suffix.startswith(ls.suffix):
                continue
            factor = hs.multiplier / ls.multiplier
            # Written as is, or times the multiplier: whichever is nearer the high end (on a log scale:
            # c·factor and c straddle h evenly when h² = c²·factor).
            if c * c * factor >= h * h or (ordered and c * factor >= h):
                continue
            return factor
    return None


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

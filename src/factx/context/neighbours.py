"""What neighbouring words and figures say about a figure.

- a number joined to the next figure (和, 、) whose unit is written once takes that unit:
  增长6.5和0.3个百分点, 6.5个和0.3个百分点; and its multiplier, when the last figure's number has one
  that a bare number lacks: 1,586、968和1,012万吨, 30、40億元 (each item 万吨, 億元);
- a qualifier after the last of joined figures covers them all: 稳定在14%和10%以上;
- a growth or fall word before a figure gives its ``change`` (同比增长4.4%), unless only a level is
  stated (降至14.1%) or other words stand between (增长的年均贡献率达到60%); joined figures share it.
  A growth of a negative number is a fall (增长-2.1%).
"""

from __future__ import annotations

from dataclasses import replace
from functools import lru_cache

import regex

from factx.context.sentences import TextIndex
from factx.normalize.figure import Draft, fall_back
from factx.normalize.numbers import shared_multiplier
from factx.packs.ruleset import RuleSet

DURATION_UNIT = "s"  # the canonical unit of a length of time (8个月, 5年)


def _joined(text: str, left: Draft, right: Draft, rs: RuleSet) -> bool:
    assert rs.patterns.coord_pattern is not None
    return rs.patterns.coord_pattern.fullmatch(text, left.end, right.start) is not None


def _take_unit(draft: Draft, nxt: Draft, rs: RuleSet) -> Draft:
    """An inheriting number in the unit of the figure it is joined to, and with that figure's multiplier
    when the list shares one (30、40億元: 30 → 30億元), unless it is complete by itself (5000和1万元)."""
    source = nxt.multiplier_of or nxt.num_text
    if not source or draft.number is None:
        return draft.with_unit_of(nxt)
    shared = shared_multiplier(draft.num_text, source, rs, ordered=False)
    if shared is None:
        return draft.with_unit_of(nxt)
    return replace(draft.with_unit_of(nxt, shared), multiplier_of=source)


def share_units(drafts: list[Draft], text: str, rs: RuleSet) -> list[Draft]:
    """Right to left, so that 1、2和3个百分点 passes the unit (and 30、40和50亿元 the multiplier) along
    the whole chain."""
    out: list[Draft | None] = list(drafts)
    for i in range(len(drafts) - 1, -1, -1):
        draft = out[i]
        assert draft is not None
        nxt = out[i + 1] if i + 1 < len(out) else None
        joined = nxt is not None and nxt.kind is not None and _joined(text, draft, nxt, rs)
        if draft.kind is None:  # an inheriting number: take the next unit, else its rule's fallback
            out[i] = _take_unit(draft, nxt, rs) if joined and nxt is not None else fall_back(draft, rs)
            continue
        if (
            joined
            and nxt is not None
            and draft.unit_form
            and nxt.unit_form
            and len(nxt.unit_form) > len(draft.unit_form)
            and nxt.unit_form.startswith(draft.unit_form)
            and nxt.unit != draft.unit
        ):
            out[i] = draft.with_unit_of(nxt)  # 6.5个和0.3个百分点: 个 is the start of 个百分点
    kept = [d for d in out if d is not None]
    for i in range(len(kept) - 2, -1, -1):
        draft, nxt = kept[i], kept[i + 1]
        if (
            draft.approx is None
            and nxt.post in rs.lexicon.distributive
            and nxt.approx
            and nxt.unit == draft.unit
            and _joined(text, draft, nxt, rs)
        ):
            kept[i] = replace(draft, approx=nxt.approx)
    return kept


_SPACE = regex.compile(r"\s")


@lru_cache(maxsize=8)
def _filler_words(rs: RuleSet) -> tuple[frozenset[str], int]:
    """The words that may stand between a change word and its figure (qualifiers, change words with or
    without a level word, level words, fillers), and the longest one's length."""
    change = [*rs.lexicon.increase, *rs.lexicon.decrease]
    words = frozenset(
        [q for q, v in rs.lexicon.qual_before.items() if v]
        + change
        + [c + lv for c in change for lv in rs.lexicon.level]
        + list(rs.lexicon.level)
        + list(rs.lexicon.filler)
    )
    return words, max(map(len, words), default=0)


def only_filler(text: str, start: int, end: int, rs: RuleSet) -> bool:
    """Whether ``text[start:end]`` is a sequence of filler words and white space (了, 分别, 达到, 约为 …).

    Read by marking every reachable offset once, not by a regex: the words overlap (达到 is 达 and 到,
    上升至少 is 上升 and 至少 but not 上升至 and 少), and a regex that tries the readings one by one
    takes 2ⁿ steps on 达到达到达到… before it fails.
    """
    words, longest = _filler_words(rs)
    reach = [False] * (end - start + 1)
    reach[0] = True
    for i in range(start, end):
        if not reach[i - start]:
            continue
        if _SPACE.match(text, i):
            reach[i + 1 - start] = True
        for length in range(1, min(longest, end - i) + 1):
            if text[i : i + length] in words:
                reach[i + length - start] = True
    return reach[end - start]


def _change_word_before(text: str, start: int, end: int, draft: Draft, rs: RuleSet) -> str | None:
    """The change stated by the nearest change word in ``text[start:end]``, if only filler stands
    between it and ``end``."""
    assert rs.patterns.change_pattern is not None
    found = list(rs.patterns.change_pattern.finditer(text, start, end))
    for m in reversed(found):
        if m.group("level"):
            continue  # 降至, 提高到: a level reached; an earlier word may still say 增速
        if not only_filler(text, m.end(), end, rs):
            return None
        if draft.unit == DURATION_UNIT and text.endswith(rs.lexicon.streaks, 0, m.start()):
            return None  # 连跌8个月, 连续增长5年: how long the run lasted, not what changed
        if m.group("word") not in rs.lexicon.increase:
            return "decrease"
        # A growth that is negative is a fall: 增长-2.1%, 自然增长率为-0.99‰ (the value stays as written).
        # A fall word before a negative number (下降-0.5%) is left as written: writers mean either.
        return "decrease" if draft.value < 0 else "increase"
    return None


def _before_number(draft: Draft, index: TextIndex) -> list[tuple[int, int]]:
    """Where words that govern a figure may stand, nearest last: its clause up to the figure, then,
    for a rate whose span holds words before its number (每亩增产5.5公斤), those words."""
    spans = [(index.clause_start(draft.start), draft.start)]
    if draft.num_start > draft.start:
        spans.append((draft.start, draft.num_start))
    return spans


def own_change(draft: Draft, text: str, index: TextIndex, rs: RuleSet) -> str | None:
    """The change stated by the nearest change word before the figure in its clause, if it governs it;
    failing that, by one inside a rate's span before its number (每亩增产5.5公斤); failing that, by a
    comparison right before the number (比全国高0.5个百分点)."""
    spans = _before_number(draft, index)
    for start, end in spans:
        change = _change_word_before(text, start, end, draft, rs)
        if change is not None:
            return change
    comparatives = rs.patterns.comparatives
    return comparatives.value_before(text, spans[0][0], spans[-1][1]) if comparatives is not None else None


def _difference_word_before(text: str, start: int, end: int, rs: RuleSet) -> bool:
    pattern = rs.patterns.difference_pattern
    if pattern is None:
        return False
    found = list(pattern.finditer(text, start, end))
    return bool(found) and only_filler(text, found[-1].end(), end, rs)


def _after_difference_word(draft: Draft, text: str, index: TextIndex, rs: RuleSet) -> bool:
    """Whether a difference word (温差) governs the figure: the nearest one before it in its clause
    (or inside a rate's span before its number), with only filler words between."""
    return any(_difference_word_before(text, start, end, rs) for start, end in _before_number(draft, index))


def add_changes(drafts: list[Draft], text: str, index: TextIndex, rs: RuleSet) -> list[Draft]:
    """Each figure's change; a figure joined to the one before it (、, 和) shares that one's.

    A change, or a difference word (温差), makes a figure whose unit has an offset a difference:
    下降8℃ is 8 K, where a level of 8℃ is 281.15 K.
    """
    out: list[Draft] = []
    for draft in drafts:
        change = own_change(draft, text, index, rs)
        if change is None and out and _joined(text, out[-1], draft, rs):
            change = out[-1].change
        if change:
            draft = replace(draft, change=change)
        if draft.offset and (change or _after_difference_word(draft, text, index, rs)):
            draft = draft.as_difference()
        out.append(draft)
    return out

"""The currency of a money figure: written with it, or the document's own.

In: a RuleSet (its money units and its merged ``currency`` settings), the run's choice of document
currency (an ISO 4217 code, ``auto``, or None for the packs' setting), a document's first piece of
text, and the figure drafts of each piece.
Out: for each draft, its unit and where the unit came from: ``text`` when the currency is written
with the figure (港幣300元, 3億美元, US$5), ``document`` when the figure names only the local
dollar (a bare 元, 塊錢: a ``currency.local_forms`` form) and takes the document's currency, None
for a figure that is not money.

A bare 元 is renminbi in a mainland text, the Hong Kong dollar in a Hong Kong one, the New Taiwan
dollar in a Taiwan one. ``auto`` scores each currency of ``currency.auto`` on the document's first
piece, so that the decision is made once and records do not depend on where later pieces are cut:
one point per cue word found (each counted once), one when the currency itself is written in a form
of at least two characters other than the local forms (港元, 港幣, HK$), and ``script_weight``
when its script is the piece's (the script with more of its own characters in the piece). The
highest score wins; a tie goes to the currency listed first; with no point at all, the local forms'
own unit (CNY) stays.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Literal, Protocol

import regex

from factx.packs.ruleset import RuleSet, _alternation

AUTO_CHARS = 100_000  # auto reads this much of the first piece: cues stand at a document's start

AUTO = "auto"
_TRADITIONAL, _SIMPLIFIED = "\ue000", "\ue001"  # private-use marks a character of each script becomes
CurrencyFrom = Literal["text", "document"]


class MoneyDraft(Protocol):
    """What this module reads of a figure draft (factx.matching.scanner.Draft)."""

    kind: str | None
    unit: str | None
    unit_form: str | None


@dataclass(frozen=True)
class _Cues:
    """A ruleset's auto cues, compiled once: one pattern of every cue word and written form."""

    pattern: regex.Pattern[str] | None
    words: dict[str, tuple[str, ...]]  # a cue word → the currencies it scores for
    written: dict[str, str]  # a form of an auto currency (港元, HK$) → that currency
    scripts: dict[str, str]  # a currency → the script its texts are written in
    marks: dict[int, str]  # a str.translate table: each script's own characters → its mark


def known_currencies(rs: RuleSet) -> set[str]:
    """Every currency code the packs define a money unit for."""
    units = (*rs.lexicon.units_after.values(), *rs.lexicon.units_before.values())
    return {u.unit for u in units if u.kind == "money"}


def local_unit(rs: RuleSet) -> str:
    """The currency a bare 元 has when nothing says otherwise: the local forms' own unit (CNY)."""
    for form in sorted(rs.lexicon.currency.local_forms, key=lambda f: (len(f), f)):
        info = rs.lexicon.units_after.get(form)
        if info is not None and info.kind == "money":
            return info.unit
    return "CNY"


def check_currency(value: str, rs: RuleSet) -> str:
    """``value`` as a document currency: ``auto`` or a code the packs know, upper-cased (hkd → HKD).

    Raises ValueError with a message fit for a usage error otherwise.
    """
    wanted = value.strip()
    if wanted.lower() == AUTO:
        return AUTO
    code = wanted.upper()
    known = known_currencies(rs)
    if code in known:
        return code
    shown = ", ".join(c for c in ("CNY", "HKD", "TWD", "MOP", "USD") if c in known)
    raise ValueError(
        f"--currency must be auto or the ISO 4217 code of a currency the packs know ({shown} …), "
        f"not {value!r}"
    )


@lru_cache(maxsize=8)
def _cues(rs: RuleSet) -> _Cues:
    settings = rs.lexicon.currency
    words: dict[str, list[str]] = {}
    for code, entry in settings.auto.items():
        for word in entry.cues:
            words.setdefault(word, []).append(code)
    # The currency written out is a cue too: every form of it in the units table but the local dollar
    # and one-character forms (蚊 is as often a mosquito as a Hong Kong dollar).
    written = {
        info.form: info.unit
        for info in (*rs.lexicon.units_after.values(), *rs.lexicon.units_before.values())
        if info.kind == "money"
        and info.unit in settings.auto
        and info.form not in settings.local_forms
        and len(info.form) >= 2
    }
    # A trie, the longest first (新台幣, not the 台幣 in it): one branch tried per character.
    strings = [*words, *written]
    both = settings.traditional & settings.simplified  # a character both scripts write says nothing
    marks = {ord(c): _TRADITIONAL for c in settings.traditional - both if not c.isspace()}
    marks.update({ord(c): _SIMPLIFIED for c in settings.simplified - both if not c.isspace()})
    return _Cues(
        pattern=regex.compile(_alternation(strings)) if strings else None,
        words={word: tuple(dict.fromkeys(codes)) for word, codes in words.items()},
        written=written,
        scripts={code: entry.script for code, entry in settings.auto.items() if entry.script},
        marks=marks,
    )


def text_script(text: str, rs: RuleSet) -> str | None:
    """``traditional`` or ``simplified``: the script with more of its own characters in ``text``
    (among the packs' ``currency.traditional`` and ``currency.simplified``); None on a tie."""
    marks = _cues(rs).marks
    if not marks:
        return None
    # One pass that turns each script's characters into its mark; the marks already there are not its.
    marked = text.translate(marks)
    trad = marked.count(_TRADITIONAL) - text.count(_TRADITIONAL)
    simp = marked.count(_SIMPLIFIED) - text.count(_SIMPLIFIED)
    if trad == simp:
        return None
    return "traditional" if trad > simp else "simplified"


def currency_scores(text: str, rs: RuleSet) -> dict[str, int]:
    """Each ``currency.auto`` currency's score on ``text``, in the packs' (tie-break) order."""
    cues = _cues(rs)
    scores = dict.fromkeys(rs.lexicon.currency.auto, 0)
    found = set(cues.pattern.findall(text)) if cues.pattern is not None else set()
    for word in found:
        for code in cues.words.get(word, ()):
            scores[code] += 1
    for code in {cues.written[word] for word in found if word in cues.written}:
        scores[code] += 1  # the currency written: one point, however many of its forms
    script = text_script(text, rs)
    if script is not None:
        for code, code_script in cues.scripts.items():
            if code_script == script:
                scores[code] += rs.lexicon.currency.script_weight
    return scores


def decide_currency(text: str, rs: RuleSet) -> str:
    """The document's currency by ``currency.auto``'s cues in ``text`` (a document's first piece)."""
    scores = currency_scores(text, rs)
    best = max(scores.values(), default=0)
    if best <= 0:
        return local_unit(rs)
    return next(code for code, score in scores.items() if score == best)


class DocumentCurrency:
    """A document's currency and each money figure's unit in it.

    ``option`` is the run's choice: a code, ``auto`` (decided by :meth:`settle` on the document's
    first piece), or None for the packs' ``currency.document`` (the local forms' unit when unset).
    """

    def __init__(self, rs: RuleSet, option: str | None = None) -> None:
        self.rs = rs
        chosen = option if option is not None else rs.lexicon.currency.document
        chosen = check_currency(chosen, rs) if chosen is not None else local_unit(rs)
        self._auto = chosen == AUTO
        self.code: str | None = None if self._auto else chosen
        self._local = rs.lexicon.currency.local_forms

    def settle(self, first_piece: str) -> None:
        """Decide the document's currency, under ``auto``, from the start of its first piece (once)."""
        if self.code is None:
            opening = first_piece[:AUTO_CHARS]
            self.code = decide_currency(opening, self.rs) if self._auto else local_unit(self.rs)

    def unit_of(self, draft: MoneyDraft) -> tuple[str, CurrencyFrom | None]:
        """The draft's unit, and for money whether its currency was written or is the document's."""
        unit = draft.unit or ""
        if draft.kind != "money":
            return unit, None
        if draft.unit_form is not None and draft.unit_form in self._local:
            return self.code or unit, "document"
        return unit, "text"


__all__ = [
    "AUTO",
    "CurrencyFrom",
    "DocumentCurrency",
    "MoneyDraft",
    "check_currency",
    "currency_scores",
    "decide_currency",
    "known_currencies",
    "local_unit",
    "text_script",
]

"""Noun phrases around a figure, read with the packs' cue words instead of a word segmenter.

In: a text, a :class:`~factx.context.cues.CueLexicon`, and the spans already known in the sentence
(figures, periods, comparisons), which end a phrase. Out: phrase spans.

- ``walk_left`` goes from a figure back over what stands between it and its metric: verbs, adverbs,
  qualifiers, comparisons, periods, 的 (意向成交额|达|834.9亿美元; 出口|同比分别增长|5.7%).
- ``phrase_before`` reads the noun phrase that ends there, back to a cue word that ends phrases, a
  subject name, a period, another figure or punctuation (累计|新设外资企业).
- ``phrase_after`` reads a counted noun after a figure (155个|国家、地区和国际组织|参与).
- ``split_subject`` parts a phrase into who or where and what (铁西区|常住人口, 一线城市|房价).

Han characters carry no word boundaries, so a phrase runs until a cue says it ends; a phrase never
runs past MAX_PHRASE characters.
"""

from __future__ import annotations

from dataclasses import dataclass

from factx.context.cues import CHANGE, LEVEL, QUAL, SKIPPED, CueLexicon
from factx.packs import context_cues as cm

MAX_PHRASE = 24
_SPACE = " \t\u3000\u00a0"
_BREAKS = "\r\n"
# What may stand inside a noun phrase besides letters and digits (in_phrase; loops inline the test).
IN_PHRASE = '“”"‘’《》·・-/.&+＋_'
_OPENING = "（("
_CLOSING = "）)"
_ASPECT = "了着著"  # aspect particles: the word before them is a verb
_AFTER = MAX_PHRASE * 2 // 3  # how far a noun after a figure is read
_PREDICATE = frozenset({cm.VERB, CHANGE, LEVEL, cm.SHARE_VERB})

FIGURE = "figure"
PERIOD = "period"
BASIS = "basis"


def in_phrase(ch: str) -> bool:
    """Whether ``ch`` may stand inside a noun phrase: letters, digits, Han, quotes, a few joiners."""
    return ch.isalnum() or ch in IN_PHRASE


@dataclass(slots=True)
class Walk:
    """Where the words between a figure and its metric begin, and what they said."""

    end: int
    share: bool = False  # a share noun (比重, 占比) was passed: the phrase before is a numerator
    distributive: bool = False  # 分别, 均: the figures go with listed items in order
    figure: bool = False  # it stopped at another figure (从8天缩短到72小时): no phrase of its own
    verb: bool = False  # a verb or change word stands between (营收达…): the figure is a predicate


@dataclass(slots=True)
class Phrase:
    """A noun phrase [start, end) and what stopped it on the left."""

    start: int
    end: int
    stop: str = ""  # "subject", "share_verb", "word", "figure", "period", "basis", "punct", ""
    stop_start: int = -1  # where the stopping word or span begins
    stop_end: int = -1

    @property
    def empty(self) -> bool:
        return self.end <= self.start


class PhraseReader:
    """Reads phrases in one text, given the spans (figures, periods, comparisons) that end them."""

    __slots__ = ("_soft_break", "counts", "end", "ends", "lex", "start", "starts", "text")

    def __init__(
        self,
        text: str,
        lex: CueLexicon,
        soft_break: object,
        start: int,
        end: int,
        ends: dict[int, tuple[str, int]] | None = None,
        starts: dict[int, tuple[str, int]] | None = None,
        counts: set[int] | None = None,
    ) -> None:
        """``ends``, ``starts``: the spans known so far, by end and by start (see ``mark``);
        ``counts``: where counts start."""
        self.text = text
        self.lex = lex
        self.start, self.end = start, end
        self._soft_break = soft_break  # Layout.soft_break: a wrapped line does not end a phrase
        self.ends: dict[int, tuple[str, int]] = {} if ends is None else ends  # end → (kind, start)
        self.starts: dict[int, tuple[str, int]] = {} if starts is None else starts  # start → (kind, end)
        # Where counts start (a list before one is its own: 国家和地区300多家机构).
        self.counts: set[int] = set() if counts is None else counts

    def mark(self, kind: str, start: int, end: int) -> None:
        """A span that ends any phrase it touches (a figure, a period, a comparison)."""
        self.ends.setdefault(end, (kind, start))
        self.starts.setdefault(start, (kind, end))

    def ending_at(self, pos: int, low: int) -> tuple[int, str] | None:
        """The longest cue word ending at ``pos`` and starting at or after ``low``: (length, class)."""
        return self.lex.ending_at(self.text, pos, low if low > self.start else self.start)

    def starting_at(self, pos: int, high: int) -> tuple[int, str] | None:
        """The longest cue word starting at ``pos`` and ending at or before ``high``."""
        return self.lex.starting_at(self.text, pos, high if high < self.end else self.end)

    def counted_at(self, pos: int) -> bool:
        """Whether a count starts at ``pos``."""
        return pos in self.counts

    def walk_left(self, pos: int, low: int) -> Walk:
        """From a figure's start back over verbs, adverbs, qualifiers, comparisons, periods and 的."""
        text, ends, lex = self.text, self.ends, self.lex
        if low < self.start:  # (max and min are calls: these run per figure, per word)
            low = self.start
        walk = Walk(pos)
        while pos > low:
            ch = text[pos - 1]
            if ch in _SPACE:
                pos -= 1
                continue
            if ch in _BREAKS:
                run = pos
                while run > low and text[run - 1] in _SPACE + _BREAKS:
                    run -= 1
                if run == low or not self._soft_break(pos - 1):  # type: ignore[operator]
                    break
                pos = run
                continue
            mark = ends.get(pos)
            if mark is not None:
                if mark[0] == FIGURE:
                    walk.figure = True
                    break
                pos = mark[1]
                continue
            if ch == "的":
                pos -= 1
                continue
            word = lex.ending_at(text, pos, low)  # the longest cue word ending here
            if word is None or word[1] not in SKIPPED:
                break
            n, cls = word
            if cls == cm.SHARE_NOUN:
                walk.share = True
            elif cls == cm.DISTRIBUTIVE:
                walk.distributive = True
            elif cls in _PREDICATE:
                walk.verb = True
            pos -= n
        walk.end = pos
        return walk

    def phrase_before(self, end: int, low: int) -> Phrase:
        """The noun phrase ending at ``end``, read back no further than ``low``."""
        text, lex, ends = self.text, self.lex, self.ends
        if low < self.start:
            low = self.start
        pos = end
        limit = end - MAX_PHRASE if end - MAX_PHRASE > low else low
        while pos > limit:
            mark = ends.get(pos)
            if mark is not None:
                return Phrase(pos, end, mark[0], mark[1], pos)
            ch = text[pos - 1]
            if ch in _CLOSING:
                opened = self._transparent_parenthesis(pos, limit)
                if opened < 0:
                    return Phrase(pos, end, "punct", pos - 1, pos)
                pos = opened
                continue
            if ch in _SPACE or ch in _BREAKS:
                run = pos
                while run > limit and text[run - 1] in _SPACE + _BREAKS:
                    run -= 1
                if ch in _SPACE and not any(c in _BREAKS for c in text[run:pos]) and pos - run == 1:
                    pos = run  # a stray space inside a phrase (PDF text: 推进新型工 业化)
                    continue
                if any(c in _BREAKS for c in text[run:pos]) and self._soft_break(pos - 1):  # type: ignore[operator]
                    pos = run
                    continue
                return Phrase(pos, end, "punct", run, pos)
            word = lex.ending_at(text, pos, low)  # the longest cue word ending here
            if word is not None:
                n, cls = word
                if cls == cm.NOUN or cls == cm.JOINER:
                    pos -= n
                    continue
                if cls == cm.SUBJECT:
                    return Phrase(pos, end, "subject", pos - n, pos)
                if cls == cm.SHARE_VERB:
                    return Phrase(pos, end, "share_verb", pos - n, pos)
                if lex.ends(n, cls):
                    return Phrase(pos, end, "word", pos - n, pos)
                if n > 1:
                    pos -= n  # a word inside the phrase (增长率): the words within it do not end it
                    continue
            if not (ch.isalnum() or ch in IN_PHRASE):  # in_phrase, inlined
                return Phrase(pos, end, "punct", pos - 1, pos)
            pos -= 1
        return Phrase(pos, end, "" if pos > low else "punct", pos, pos)

    def _transparent_parenthesis(self, pos: int, limit: int) -> int:
        """Where a parenthesis closing at ``pos`` opens, when it holds only Latin letters and digits
        (国内生产总值（GDP）, 广义货币（M2）): such a parenthesis is inside the phrase. Else -1."""
        text = self.text
        j = pos - 1
        while j > limit and j > pos - 12:
            ch = text[j - 1]
            if ch in _OPENING:
                inner = text[j : pos - 1]
                return j - 1 if inner and inner.isascii() and inner.replace(" ", "").isalnum() else -1
            j -= 1
        return -1

    def phrase_after(self, start: int, high: int) -> Phrase:
        """The noun right after a figure (a count's counted noun): 4108家|境外企业|参展.

        A list runs on over 、 and 和 (国家、地区和国际组织) unless it leads to another figure (43个
        交易团、注册观众约45万人). Before 了, 着 or 过 the verb they follow is cut off; a relative clause
        (依靠手工为生的妇女) gives its head noun, after 的.
        """
        text, lex, starts = self.text, self.lex, self.starts
        if high > self.end:
            high = self.end
        pos = start
        if pos < high and text[pos] == "的":
            pos += 1
        begin = pos
        limit = begin + _AFTER if begin + _AFTER < high else high
        first_joiner = -1
        stopped = ""
        while pos < limit:
            if pos in starts:
                stopped = "figure"
                break
            ch = text[pos]
            if ch in _ASPECT and pos > begin:
                stopped = "aspect"
                break
            word = lex.starting_at(text, pos, high)  # the longest cue word starting here
            if word is not None:
                n, cls = word
                if cls == cm.NOUN:
                    pos += n
                    continue
                if cls == cm.JOINER:
                    nxt = pos + n
                    if pos > begin and nxt < limit and nxt not in starts and in_phrase(text[nxt]):
                        if first_joiner < 0:
                            first_joiner = pos
                        pos = nxt
                        continue
                    stopped = "joiner"
                    break
                if cls == cm.LOCALIZER:
                    if self.ends_noun(pos + n, high):
                        break
                elif cls in SKIPPED and (lex.ends(n, cls) or pos - begin != 1):
                    # A one-character verb second in a noun may be part of it (产能); elsewhere not.
                    stopped = cls
                    break
            if ch == "的" or not (ch.isalnum() or ch in IN_PHRASE):  # in_phrase, inlined
                break
            pos += 1
        end = pos
        if first_joiner >= 0 and (stopped == QUAL or (stopped == "figure" and not self.counted_at(pos))):
            end = first_joiner
        elif stopped in (cm.VERB, cm.FUNCTION, CHANGE, LEVEL):
            head = self._relative_head(end, high)
            if head is not None:
                return head
        if stopped == "aspect" and end - begin >= 3:
            # The verb before 了 or 着 is one or two characters: keep a noun of two at least.
            end -= 2 if end - begin >= 4 else 1
        return Phrase(begin, end)

    def ends_noun(self, pos: int, high: int) -> bool:
        """Whether a noun ends at ``pos``: punctuation or a verb, a preposition or a joiner follows
        (展厅内，; 进博会上与…), so that a localizer before it closes the noun."""
        if pos >= high or not in_phrase(self.text[pos]):
            return True
        word = self.starting_at(pos, high)
        return word is not None and (word[1] in SKIPPED or word[1] == cm.JOINER)

    def _relative_head(self, pos: int, high: int) -> Phrase | None:
        """The head noun after the 的 that closes a relative clause starting at ``pos`` (…为生的|妇女)."""
        text, starts = self.text, self.starts
        de = text.find("的", pos, min(high, pos + 7))
        if de < 0:
            return None
        for k in range(pos, de):
            ch = text[k]
            if not (ch.isalnum() or ch in IN_PHRASE) or k in starts:
                return None  # not a relative clause: punctuation or another figure stands before 的
        head = self.phrase_after(de + 1, high)
        return head if not head.empty else None

    def split_subject(self, start: int, end: int, topic: bool = False) -> int | None:
        """The end of a subject that opens the phrase [start, end): its longest prefix that ends like
        a place, an organisation or an entity type, leaving a metric of two characters or more
        (规模以上工业企业|利润, 一线城市|新建商品住宅销售价格). None when there is none. For a clause's
        ``topic`` what follows need not be a metric (进博会|规模在…创下新高)."""
        text, lex = self.text, self.lex
        phrase = text[start:end]
        suffixes, last_chars = lex.suffixes, lex.suffix_ends
        for cut in range(len(phrase) - 2, 2, -1):
            if phrase[cut - 1] not in last_chars:
                continue
            head = phrase[:cut]
            if not head.endswith(suffixes):
                continue
            rest = phrase[cut:]
            inner = self.ending_at(start + cut, start)
            if inner is not None and inner[1] == cm.NOUN and phrase[cut - inner[0] : cut] not in suffixes:
                continue  # 新增城镇|就业: 城镇 is a noun, not a town's name
            across = lex.starting_at(text, start + cut - 1, end)
            if across is not None and across[0] > 1 and across[1] == cm.NOUN:
                continue  # 消费市|场规模: the ending is the start of a noun (市场)
            if lex.is_reference(head):
                continue
            if not topic and (
                rest.startswith(lex.counted_heads)
                or rest in lex.not_metrics
                or not any(c.isalnum() and not c.isdigit() for c in rest)
            ):
                continue
            return start + cut
        return None

"""Which encoding a document's bytes are in, and decoding them block by block.

In: the first bytes of a file (a sample) to detect from, or a codec name a user forces; then the
file's bytes, block by block. Out: an :class:`Encoding` (the codec, the name a record reports and
how many BOM bytes to skip), or None for bytes that are not text; text in order, with every byte
that is not valid in the codec replaced by U+FFFD and counted (where the first one was, too).

Detection, in order: a byte-order mark; NUL bytes (binary, unless UTF-16/32 without a BOM); valid
UTF-8 (a character cut at the end of the sample is allowed); UTF-8 but for a few invalid bytes; an
HTML page's declared charset, if the bytes bear it out; for a sample under 1 KiB, GB18030 or Big5
if it reads as common Chinese in one of them; then charset_normalizer; GB18030 as a last resort
when it decodes without error. Text that decodes to control characters is binary. Chinese codecs are
read as their widest superset: GB2312 and GBK as GB18030; Big5 as Windows code page 950, the Big5
Taiwan's software writes (its ～ ￥ ∕ are the full-width forms the rules know, where Python's big5
and big5hkscs give ∼ ¥ ／), with the HKSCS characters of Hong Kong text where cp950 has none.
"""

from __future__ import annotations

import codecs
import re
import threading
from dataclasses import dataclass

from factx.sources.source import Problem

SAMPLE_BYTES = 1 << 16  # the head of a file that detection looks at
MAX_REPLACED_SHARE = 0.005  # UTF-8 with at most this share of invalid bytes is still UTF-8…
MAX_REPLACED_FLOOR = 8  # …or at most this many, in a short sample…
MIN_VALID_PER_REPLACED = 4  # …when it has at least this many valid non-ASCII characters per bad byte
MAX_CONTROL_SHARE = 0.01  # decoded text with more control characters than this is binary
UTF16_NUL_SIDEDNESS = 4  # UTF-16 without a BOM: this many times more NULs on one side than the other
SHORT_SAMPLE = 1024  # a sample shorter than this is too short for charset_normalizer to be sure

REPLACE = "factx.replace"  # the error handler that replaces and counts
REPLACE_BIG5 = "factx.big5"  # the same, but first tries a pair of bytes as HKSCS


@dataclass(frozen=True)
class Encoding:
    """How to decode a document: ``name`` for the record, ``codec`` and ``errors`` for Python,
    after skipping ``bom`` bytes (a byte-order mark, which is not part of the text)."""

    name: str
    codec: str
    errors: str = REPLACE
    bom: int = 0


UTF8 = Encoding("utf-8", "utf-8")
BIG5 = Encoding("big5", "cp950", REPLACE_BIG5)
GB18030 = Encoding("gb18030", "gb18030")

# The byte-order marks, longest first: a UTF-32 LE mark begins with the UTF-16 LE one.
_BOMS: tuple[tuple[bytes, Encoding], ...] = (
    (codecs.BOM_UTF32_LE, Encoding("utf-32", "utf-32-le", bom=4)),
    (codecs.BOM_UTF32_BE, Encoding("utf-32", "utf-32-be", bom=4)),
    (codecs.BOM_UTF8, Encoding("utf-8", "utf-8", bom=3)),
    (codecs.BOM_UTF16_LE, Encoding("utf-16", "utf-16-le", bom=2)),
    (codecs.BOM_UTF16_BE, Encoding("utf-16", "utf-16-be", bom=2)),
)

# Python's codec names (codecs.lookup(...).name) of the Chinese codecs, to the encoding they are read as.
_SUPERSETS: dict[str, Encoding] = {
    "gb2312": GB18030,
    "gbk": GB18030,
    "gb18030": GB18030,
    "big5": BIG5,
    "cp950": BIG5,
    "big5hkscs": BIG5,
    "utf-8": UTF8,
    "utf-8-sig": UTF8,
}

# Control characters that text does not carry (tab, line ends, form feed and escape aside).
_CONTROL = re.compile("[\x00-\x08\x0e-\x1a\x1c-\x1f\x7f-\x9f]")

# --- replacing and counting invalid bytes --------------------------------------------------------

_state = threading.local()  # the current decode call's list of (start, end) of invalid byte runs


def _replace_and_count(exc: UnicodeError) -> tuple[str, int]:
    if not isinstance(exc, UnicodeDecodeError):
        raise exc
    sink = getattr(_state, "sink", None)
    if sink is not None:
        sink.append((exc.start, exc.end))
    return "\ufffd", exc.end


def _big5_then_hkscs(exc: UnicodeError) -> tuple[str, int]:
    # cp950 has no Hong Kong characters: a pair it refuses may be one of HKSCS's.
    if isinstance(exc, UnicodeDecodeError):
        pair = exc.object[exc.start : exc.start + 2]
        if len(pair) == 2:
            try:
                return pair.decode("big5hkscs"), exc.start + 2
            except UnicodeDecodeError:
                pass
    return _replace_and_count(exc)


codecs.register_error(REPLACE, _replace_and_count)
codecs.register_error(REPLACE_BIG5, _big5_then_hkscs)


class StreamDecoder:
    """Bytes in, block by block; text out. Invalid bytes become U+FFFD, counted with where the first was.

    ``offset`` is the file offset of the first byte fed (after a byte-order mark), so that the
    offsets reported are the file's.
    """

    def __init__(self, encoding: Encoding, offset: int = 0) -> None:
        self._decoder = codecs.getincrementaldecoder(encoding.codec)(errors=encoding.errors)
        self._fed = offset
        self.replaced = 0  # invalid bytes replaced so far
        self.first_replaced: int | None = None  # file offset of the first of them

    def decode(self, data: bytes, final: bool = False) -> str:
        """The text of ``data`` (a partial character at its end waits for the next block, or, when
        ``final``, is replaced)."""
        # Error offsets count from the bytes the decoder still held from the previous block.
        held = len(self._decoder.getstate()[0])
        base = self._fed - held
        errors: list[tuple[int, int]] = []
        _state.sink = errors
        try:
            text = self._decoder.decode(data, final)
        finally:
            _state.sink = None
        self._fed += len(data)
        if errors:
            if self.first_replaced is None:
                self.first_replaced = base + errors[0][0]
            self.replaced += sum(end - start for start, end in errors)
        return text

    def warning(self, source: str) -> Problem | None:
        """The one warning about replaced bytes, or None when there were none."""
        if not self.replaced:
            return None
        return replaced_warning(source, self.replaced, self.first_replaced or 0)


def replaced_warning(source: str, count: int, first: int) -> Problem:
    """The warning that ``count`` invalid bytes of ``source`` were replaced, the first at ``first``."""
    return Problem(
        source,
        f"{count} invalid byte(s) replaced with U+FFFD (first at byte offset {first})",
        "warning",
    )


def decode_all(data: bytes, encoding: Encoding, source: str) -> tuple[str, Problem | None]:
    """The whole text of ``data`` (a BOM skipped) and the warning about replaced bytes, if any."""
    decoder = StreamDecoder(encoding, encoding.bom)
    text = decoder.decode(data[encoding.bom :], final=True)
    return text, decoder.warning(source)


# --- naming codecs --------------------------------------------------------------------------------


def check_encoding(name: str) -> str:
    """The normalized name of a codec a user names (``--encoding``): lower case, Python's spelling.

    GB2312 and GBK are read as GB18030 and Big5 as cp950 with HKSCS (see the module docstring), so
    they name those. Raises ValueError with a clear message for an unknown or non-text codec.

    >>> check_encoding("UTF8"), check_encoding("GBK"), check_encoding("Big5")
    ('utf-8', 'gb18030', 'big5')
    """
    return _encoding_named(name).name


def forced_encoding(name: str, head: bytes) -> Encoding:
    """How to decode a file whose codec the user names, given its first bytes: a byte-order mark of
    that codec's own family is skipped (UTF-16 and UTF-32 take their byte order from it)."""
    encoding = _encoding_named(name)
    for mark, marked in _BOMS:
        if marked.name == encoding.name and head.startswith(mark):
            return marked
    return encoding


def _encoding_named(name: str) -> Encoding:
    try:
        info = codecs.lookup(name.strip())
    except (LookupError, ValueError):
        raise ValueError(f"unknown encoding {name!r} (e.g. utf-8, utf-16, gb18030, big5)") from None
    # Codecs such as base64 or rot13 turn bytes into bytes, or text into text: not a text encoding.
    if not getattr(info, "_is_text_encoding", True):
        raise ValueError(f"{name!r} is not a text encoding (e.g. utf-8, utf-16, gb18030, big5)")
    return _SUPERSETS.get(info.name, Encoding(info.name, info.name))


def _known(name: str) -> Encoding | None:
    try:
        return _encoding_named(name)
    except ValueError:
        return None


# --- detection ------------------------------------------------------------------------------------


def detect_encoding(sample: bytes, declared: str | None = None) -> Encoding | None:
    """The encoding of a file whose first bytes are ``sample``, or None when it is not text.

    ``declared`` is the charset an HTML page declares; it is taken when the sample is not UTF-8 and
    decodes in it without error.
    """
    for mark, encoding in _BOMS:
        if sample.startswith(mark):
            return encoding
    if b"\x00" in sample:
        # Text has no NULs, except UTF-16 and UTF-32, where every ASCII character carries some.
        return _unicode_without_bom(sample)
    if _strictly_decodes(sample, "utf-8") or _mostly_utf8(sample):
        return UTF8
    sample = _whole_characters(sample)
    page_says = _known(declared) if declared is not None else None
    if page_says is not None and page_says is not UTF8 and _strictly_decodes(sample, page_says.codec):
        return page_says
    # A short sample is too little for charset_normalizer to be sure (it takes four simplified
    # characters in GBK for Big5): a short text that reads as common Chinese in a Chinese codec is that.
    guess = _common_chinese(sample) if len(sample) < SHORT_SAMPLE else None
    if guess is None:
        guess = _normalizer_guess(sample)
        if guess is not None and guess.name.startswith(("utf-16", "utf-32")):
            guess = None  # without a BOM and without NULs: a guess on too few bytes to be sure
    if guess is None and _strictly_decodes(sample, GB18030.codec):
        guess = GB18030  # random bytes seldom decode in GB18030 without an error
    if guess is None or _looks_binary(sample, guess):
        return None
    return guess


def _whole_characters(sample: bytes) -> bytes:
    """The sample up to its last byte below 0x30 (white space, ASCII punctuation) in its last KiB.

    No multi-byte codec of Chinese, Japanese or Korean uses those bytes inside a character, so the
    cut leaves no character half read: charset_normalizer, given half a character at the end of a
    sample, may reject the right codec.
    """
    for at in range(len(sample) - 1, max(-1, len(sample) - 1025), -1):
        if sample[at] < 0x30:
            return sample[: at + 1]
    return sample


def _unicode_without_bom(sample: bytes) -> Encoding | None:
    """UTF-16 or UTF-32 without a byte-order mark, or None (binary) for a sample with NULs.

    In UTF-16 text, the NULs of ASCII characters stand at odd offsets (little-endian) or at even
    ones (big-endian), and only a few characters (U+4E00 一 …) put one on the other side; binary
    data has them on both.
    """
    even = sample[0::2].count(0)
    odd = sample[1::2].count(0)
    for codec, nuls, others in (("utf-16-le", odd, even), ("utf-16-be", even, odd)):
        if nuls > UTF16_NUL_SIDEDNESS * others and _strictly_decodes(sample, codec):
            encoding = Encoding(codec, codec)
            return None if _looks_binary(sample, encoding) else encoding
    guess = _normalizer_guess(sample[: len(sample) - len(sample) % 4])
    if guess is not None and guess.name.startswith("utf-32") and not _looks_binary(sample, guess):
        return guess
    return None


def _strictly_decodes(sample: bytes, codec: str) -> bool:
    """Whether ``sample`` is valid in ``codec``; a character cut at its end is allowed."""
    try:
        codecs.getincrementaldecoder(codec)().decode(sample, final=False)
    except UnicodeDecodeError:
        return False
    return True


def _mostly_utf8(sample: bytes) -> bool:
    """UTF-8 with a few bad bytes (a corrupted copy), not another codec that happens to be partly valid.

    Text in another multi-byte codec read as UTF-8 is mostly invalid bytes and has few valid
    non-ASCII characters; a damaged UTF-8 file has many per bad byte.
    """
    limit = max(MAX_REPLACED_FLOOR, MAX_REPLACED_SHARE * len(sample))
    # A first count in C: another codec's text has thousands of bad bytes, each a call to count.
    if codecs.getincrementaldecoder("utf-8")(errors="replace").decode(sample).count("\ufffd") > limit:
        return False
    decoder = StreamDecoder(UTF8)
    text = decoder.decode(sample, final=False)
    if decoder.replaced > limit:
        return False
    non_ascii = sum(1 for ch in text if ch > "\x7f") - text.count("\ufffd")
    return non_ascii >= MIN_VALID_PER_REPLACED * decoder.replaced


def _normalizer_guess(sample: bytes) -> Encoding | None:
    import charset_normalizer  # loaded when a file is not Unicode: most runs never need it

    best = charset_normalizer.from_bytes(sample).best()
    if best is None:
        return None
    return _known(best.encoding)


def _single_byte(encoding: Encoding) -> bool:
    return len("中文".encode(encoding.codec, errors="replace")) == 2


def _common_chinese(sample: bytes) -> Encoding | None:
    """GB18030 or Big5 when the sample decodes in it to common Chinese characters, else None.

    Common: in GB2312 for GB18030; in Big5's symbols and first level (lead byte A1-C6) for Big5.
    Latin text in a single-byte codec decodes in either to rare characters, when it decodes at all.
    """
    for encoding in (GB18030, BIG5):
        try:
            text = codecs.getincrementaldecoder(encoding.codec)().decode(sample, final=False)
        except UnicodeDecodeError:
            continue
        wide = [ch for ch in text if ch > "\x7f"]
        if wide and sum(_common_in(ch, encoding) for ch in wide) >= 0.9 * len(wide):
            return encoding
    return None


def _common_in(ch: str, encoding: Encoding) -> bool:
    try:
        if encoding is GB18030:
            ch.encode("gb2312")
            return True
        return 0xA1 <= ch.encode("cp950")[0] <= 0xC6
    except UnicodeEncodeError:
        return False


def _looks_binary(sample: bytes, encoding: Encoding) -> bool:
    """Whether text decoded from ``sample`` is mostly control characters (bytes that are no text)."""
    text = codecs.getincrementaldecoder(encoding.codec)(errors="replace").decode(sample, final=False)
    return len(_CONTROL.findall(text)) > MAX_CONTROL_SHARE * len(text)

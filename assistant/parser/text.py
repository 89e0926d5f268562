"""The request text as the parser walks it: normalized, typo-corrected, with taken spans.

Extractors find a pattern, read its value and `take` its span, so no two extractors read
the same words; what nobody took at the end is `unparsed`. Numbers are read the way people
write them in several languages: "1,5" and "2,20" are decimals, "1,000", "1.000.000",
"1 000" and "1'000" group thousands, and "1.000" groups thousands where a count is meant.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator

from assistant.parser.lexicon import COMMON_WORDS, MULTIPLIERS, STOPWORDS

# A number as written: grouped thousands ("10,000", "1.000.000", "1 000", "1'000"), or a
# plain integer or decimal with "." or ",".
NUM = (r"(?<![\w.,])(?:\d{1,3}(?:,\d{3})+(?![\d,])|\d{1,3}(?:\.\d{3}){2,}(?![\d.])"
       r"|\d{1,3}(?:['’]\d{3})+(?!\d)|\d{1,3}(?: \d{3})+(?![\d.,])|\d+(?:[.,]\d+)?)")
MULT = (r"(?:\s?(?:k|thousand|tausend|mille|m|mn|mm|mio|million|millions|millionen|millones"
        r"|milioni|b|bn|billion|billions|mrd|milliarden|milliards)(?![a-z]))?")
_SPACES = str.maketrans({"\u00a0": " ", "\u202f": " ", "\u2009": " ", "\u2007": " ",
                         "×": "x", "’": "'", "–": "-", "—": "-", "≥": ">=", "≤": "<="})
_WORD = re.compile(r"[a-zà-ÿ]+")


def number_value(raw: str, *, count: bool = False) -> float:
    """The value of a number token matched by NUM plus an optional MULT word.

    count: the number counts things (tokens, users); then "1.000" is a thousand, not one.
    """
    text = raw.strip()
    match = re.match(NUM.replace("(?<![\\w.,])", ""), text)
    if match is None:
        raise ValueError(f"not a number: {raw!r}")
    digits, mult = match.group(0), text[match.end():].strip()
    return _digits_value(digits, count=count) * MULTIPLIERS.get(mult, 1.0)


def _digits_value(digits: str, *, count: bool) -> float:
    for sep in (" ", "'"):
        if sep in digits:
            return float(digits.replace(sep, ""))
    if "," in digits and "." not in digits:
        whole, _, frac = digits.rpartition(",")
        if len(frac) == 3 and digits.count(",") >= 1 and whole.replace(",", "").isdigit() \
                and re.fullmatch(r"\d{1,3}(,\d{3})+", digits):
            return float(digits.replace(",", ""))
        return float(digits.replace(",", "."))
    if digits.count(".") > 1 or (count and re.fullmatch(r"[1-9]\d{0,2}\.\d{3}", digits)):
        return float(digits.replace(".", ""))
    return float(digits)


def damerau(a: str, b: str, limit: int) -> int:
    """Optimal-string-alignment edit distance, or limit + 1 once it is surely above it."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        row = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            row[j] = min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (ca != cb))
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                row[j] = min(row[j], prev2[j - 2] + 1)
        prev2, prev = prev, row
    return prev[-1]


def typo_fix(word: str, vocabulary: frozenset[str], names: frozenset[str] = frozenset()) -> str:
    """The vocabulary word ``word`` is a typo of, or ``word`` itself.

    Only words of five letters or more that are neither known nor common English are
    touched; one edit is allowed up to six letters, two from seven (or towards one of
    ``names``, model families like "llama" that people double letters in), and the
    nearest candidate must be unique and share the first letter.
    """
    if len(word) < 5 or word in vocabulary or word in COMMON_WORDS:
        return word
    named = [v for v in names if v[0] == word[0] and damerau(word, v, 2) <= 2]
    if len(named) == 1:
        return named[0]
    limit = 1 if len(word) <= 6 else 2
    scored = sorted((damerau(word, v, limit), v) for v in vocabulary
                    if v[0] == word[0] and abs(len(v) - len(word)) <= limit)
    best = [v for d, v in scored if d == scored[0][0]] if scored else []
    if best and scored[0][0] <= limit and len(best) == 1:
        return best[0]
    if best and scored[0][0] <= limit and len(best) > 1 and scored[0][0] == 1:
        return best[0] if all(b.startswith(best[0]) for b in best) else word
    return word


class Text:
    """Normalized lower-case text with the spans extractors have taken.

    ``s`` is the text extractors match (typos fixed); ``origin[i]`` is where character i
    of ``s`` came from in ``original``, so a pattern can still ask how the user wrote it.
    """

    def __init__(self, raw: str, vocabulary: frozenset[str],
                 names: frozenset[str] = frozenset()) -> None:
        self.original = unicodedata.normalize("NFKC", raw).translate(_SPACES)
        lowered = self.original.lower()
        parts: list[str] = []
        self.origin: list[int] = []
        pos = 0
        for match in _WORD.finditer(lowered):
            parts.append(lowered[pos:match.start()])
            self.origin += range(pos, match.start())
            word = match.group(0)
            fixed = typo_fix(word, vocabulary, names)
            parts.append(fixed)
            self.origin += [match.start() + min(k, len(word) - 1) for k in range(len(fixed))]
            pos = match.end()
        parts.append(lowered[pos:])
        self.origin += range(pos, len(lowered))
        self.s = "".join(parts)
        self.taken = [False] * len(self.s)

    def free(self, start: int, end: int) -> bool:
        return not any(self.taken[start:end])

    def take(self, start: int, end: int) -> None:
        for i in range(start, end):
            self.taken[i] = True

    def find(self, pattern: re.Pattern[str]) -> Iterator[re.Match[str]]:
        """Matches of ``pattern`` over free text only; each is taken when yielded."""
        for match in pattern.finditer(self.masked()):
            if match.end() > match.start() and self.free(match.start(), match.end()):
                self.take(match.start(), match.end())
                yield match

    def masked(self) -> str:
        """The text with taken characters blanked, so patterns cannot span them."""
        return "".join(" " if t else c for c, t in zip(self.s, self.taken, strict=True))

    def as_written(self, start: int, end: int) -> str:
        """The original spelling of ``s[start:end]`` (for case-sensitive checks)."""
        if start >= end:
            return ""
        return self.original[self.origin[start]:self.origin[end - 1] + 1]

    def leftover(self) -> list[str]:
        """Untaken runs of words that carry meaning (stop words dropped), in order."""
        runs: list[str] = []
        current: list[str] = []
        for word in _words(self.masked()):
            if word in STOPWORDS or not re.search(r"[a-z0-9à-ÿ]", word):
                if current:
                    runs.append(" ".join(current))
                    current = []
                continue
            current.append(word)
        if current:
            runs.append(" ".join(current))
        return runs

    def taken_chars(self) -> int:
        return sum(1 for c, t in zip(self.s, self.taken, strict=True) if t and not c.isspace())

    def free_chars(self) -> int:
        return sum(len(run.replace(" ", "")) for run in self.leftover())


def _words(text: str) -> Iterable[str]:
    for match in re.finditer(r"\S+", text):
        word = match.group(0).strip(".,;:!?()[]\"'")
        if word:
            yield word

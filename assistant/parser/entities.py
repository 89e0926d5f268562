"""Named things in a request: models, GPUs (through the market's aliases) with their
counts, providers, regions, countries and continents."""

from __future__ import annotations

import re
from typing import Any

from assistant.parser.lexicon import (
    CONTINENT_WORDS,
    COUNTRY_CODES_UPPER,
    COUNTRY_WORDS,
    NUMBER_WORDS,
    PROVIDER_WORDS,
)
from assistant.parser.llms import FAMILIES, MODELS_BY_KEY, model_key
from assistant.parser.text import Text
from market.normalize.geo import continent_code, country_code
from market.normalize.gpu_names import gpu_identify

_FAMILY = re.compile(r"(?<![a-z])(?:meta[\s-]*)?(?P<fam>" +
                     "|".join(f.replace(" ", r"[\s-]*") for f in FAMILIES) + ")")
_PART = re.compile(r"[\s\-_/:]*(v?\d+(?:\.\d+)*[a-z]?|\d+x\d+b|a\d+(?:\.\d+)?b|xl|dev|schnell"
                   r"|large|medium|mini|small|nemo|scout|maverick|instruct|chat|hf|it|base|r1"
                   r"|v3|oss|diffusion|turbo)(?![a-z0-9])")
_SIZE = re.compile(r"^(\d+(?:\.\d+)?)b$")
_GPU_START = re.compile(r"[a-z]*\d[\w.-]*|rtx|tesla|geforce|quadro|tpu|gaudi|radeon|instinct"
                        r"|nvidia|amd|trainium|inferentia")
_GPU_MORE = re.compile(r"\d+(?:gb|g|gib)?|gb|gib|sxm\d?|pcie|pci|nvl|ada|ti|super|e|p|lite"
                       r"|v\d+[a-z]?|pro|blackwell|max-q|ws|server|\d+gb")
_WORD = re.compile(r"[a-z0-9][a-z0-9.\-_]*[a-z0-9]|[a-z0-9]")
_COUNT_BEFORE = re.compile(r"(?:(?P<d>\d+)|(?P<w>" + "|".join(
    sorted(NUMBER_WORDS, key=len, reverse=True)) + r"))\s*(?:x\s*)?(?:nvidia\s+)?$")
_COUNT_AFTER = re.compile(r"^\s*(?:x\s*(?P<d>\d+)(?![\d.])|s?\s*x\s*(?P<d2>\d+)(?![\d.]))")
_GPU_COUNT = re.compile(r"(?<![\w.])(?:(?P<d>\d+)(?![\d.])|(?P<w>" + "|".join(
    sorted(NUMBER_WORDS, key=len, reverse=True)) + r"))\s*(?:x\s*)?(?:(?P<mem>\d+)\s*gb\s*)?"
    r"(?:gpus?|cards?|graphics\s+cards?|accelerators?|grafikkarten|cartes?)(?![a-z])")
_REGION = re.compile(r"(?<![\w.])[a-z]{2,}(?:-[a-z]+)+-?\d[a-z]?(?![\w])")


def read_model(text: Text, found: dict[str, Any]) -> None:
    for match in list(_FAMILY.finditer(text.masked())):
        parts, end = [], match.end()
        while (part := _PART.match(text.s, end)) and len(parts) < 6:
            parts.append(part.group(1))
            end = part.end()
        _match_model(text, found, match, parts)


def _match_model(text: Text, found: dict[str, Any], match: re.Match[str],
                 parts: list[str]) -> None:
    family = match.group("fam")
    for n in range(len(parts), -1, -1):
        key = model_key(" ".join([family, *parts[:n]]))
        model = MODELS_BY_KEY.get(key)
        if model is not None:
            text.take(match.start(), _part_end(text, match.end(), n))
            found.setdefault("model", model.name)
            found.setdefault("params_b", model.params_b)
            found.setdefault("task_hint", model.task)
            return
    sizes = [p for p in parts if _SIZE.match(p)]
    if sizes:  # "llama 70b": the size is clear, which Llama is not
        text.take(match.start(), _part_end(text, match.end(), parts.index(sizes[0]) + 1))
        found.setdefault("params_b", float(_SIZE.match(sizes[0]).group(1)))  # type: ignore[union-attr]


def _part_end(text: Text, start: int, n: int) -> int:
    end = start
    for _ in range(n):
        part = _PART.match(text.s, end)
        end = part.end() if part else end
    return end


def read_gpus(text: Text, found: dict[str, Any]) -> None:
    for match in text.find(_GPU_COUNT):
        found["gpu_count"] = _count(match)
        if match.group("mem"):
            found["gpu_memory_gb"] = float(match.group("mem"))
    words = list(_WORD.finditer(text.masked()))
    i = 0
    while i < len(words):
        i = _gpu_at(text, words, i, found)


def _gpu_at(text: Text, words: list[re.Match[str]], i: int, found: dict[str, Any]) -> int:
    """Read a GPU name starting at word i, if any; returns the next word to look at."""
    first = words[i].group(0)
    split = re.fullmatch(r"(\d+)x([a-z0-9].*)", first)
    if split and _identify(split.group(2)):
        found.setdefault("gpu", []).append(_identify(split.group(2)))
        found["gpu_count"] = int(split.group(1))
        text.take(*words[i].span())
        return i + 1
    if not _GPU_START.fullmatch(first) or re.fullmatch(r"\d+x", first):
        return i + 1  # a bare count ("2x", "8") is read as the next GPU's count
    j = i + 1
    while j < len(words) and j - i < 5 and _GPU_MORE.fullmatch(words[j].group(0)):
        j += 1
    for end in range(j, i, -1):
        start, stop = words[i].start(), words[end - 1].end()
        name = _identify(text.s[start:stop])
        if name:
            _take_gpu(text, found, name, start, stop)
            return end
    return i + 1


def _take_gpu(text: Text, found: dict[str, Any], name: str, start: int, stop: int) -> None:
    gpus = found.setdefault("gpu", [])
    if name not in gpus:
        gpus.append(name)
    text.take(start, stop)
    before = _COUNT_BEFORE.search(text.masked()[max(0, start - 16):start])
    if before:
        found["gpu_count"] = _count(before)
        text.take(start - len(before.group(0)), start)
    after = _COUNT_AFTER.match(text.masked()[stop:stop + 8])
    if after:
        found["gpu_count"] = int(after.group("d") or after.group("d2"))
        text.take(stop, stop + after.end())


def _identify(raw: str) -> str | None:
    for candidate in (raw, raw[:-1] if raw.endswith("s") else None):
        if candidate and re.search(r"[a-z]", candidate) or candidate and len(candidate) == 4:
            identity = gpu_identify(candidate)
            if identity is not None:
                return identity.name
    return None


def _count(match: re.Match[str]) -> int:
    return int(match.group("d")) if match.group("d") else NUMBER_WORDS[match.group("w")]


def read_providers(text: Text, found: dict[str, Any], known: frozenset[str]) -> None:
    pattern = _words_pattern(PROVIDER_WORDS)
    for match in text.find(pattern):
        company = PROVIDER_WORDS[_spaced(match.group(1))]
        names = [n for n in (company, f"{company}-api") if n in known]
        providers = found.setdefault("providers", [])
        providers += [n for n in names if n not in providers]


def read_places(text: Text, found: dict[str, Any]) -> None:
    for match in text.find(_REGION):
        found.setdefault("region", []).append(match.group(0))
    for match in text.find(_words_pattern(CONTINENT_WORDS)):
        found["continent"] = CONTINENT_WORDS[_spaced(match.group(1))]
    countries: list[tuple[int, str]] = []
    for match in text.find(_words_pattern(COUNTRY_WORDS)):
        countries.append((match.start(), COUNTRY_WORDS[_spaced(match.group(1))]))
    _country_names(text, countries)
    for match in re.finditer(r"(?<![a-z0-9])[a-z]{2}(?![a-z0-9.])", text.masked()):
        written = text.as_written(*match.span())
        if written in COUNTRY_CODES_UPPER:
            text.take(*match.span())
            countries.append((match.start(), country_code(written) or written))
    if countries:
        found["country"] = ",".join(dict.fromkeys(code for _, code in sorted(countries)))


def _country_names(text: Text, countries: list[tuple[int, str]]) -> None:
    words = list(re.finditer(r"[a-zà-ÿ][a-zà-ÿ-]*", text.masked()))
    i = 0
    while i < len(words):
        i = _country_at(text, words, i, countries)


def _country_at(text: Text, words: list[re.Match[str]], i: int,
                countries: list[tuple[int, str]]) -> int:
    for n in range(min(3, len(words) - i), 0, -1):
        start, end = words[i].start(), words[i + n - 1].end()
        phrase = re.sub(r"\s+", " ", text.s[start:end])
        if len(phrase) < 4 or not text.free(start, end):
            continue
        code = country_code(phrase)
        if code and continent_code(phrase) is None:
            text.take(start, end)
            countries.append((start, code))
            return i + n
    return i + 1


_PATTERNS: dict[int, re.Pattern[str]] = {}


def _words_pattern(table: dict[str, str]) -> re.Pattern[str]:
    key = id(table)
    if key not in _PATTERNS:
        names = sorted(table, key=len, reverse=True)
        _PATTERNS[key] = re.compile(r"(?<![\w.])(" + "|".join(
            re.escape(n).replace(r"\ ", r"\s+") for n in names) + r")(?![\w])")
    return _PATTERNS[key]


def _spaced(words: str) -> str:
    return re.sub(r"\s+", " ", words)

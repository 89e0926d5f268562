"""`request_parse`: plain language in, workload and filters out. Pure and deterministic:
no I/O, no randomness, the same text always gives the same parse."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from assistant.parser import entities, flags, prices, quantities
from assistant.parser.lexicon import (
    CONTINENT_WORDS,
    COUNTRY_WORDS,
    PROVIDER_WORDS,
    TASK_WORDS,
)
from assistant.parser.llms import FAMILIES
from assistant.parser.result import ParsedRequest, fields_from
from assistant.parser.text import Text
from market.normalize.geo_data import COUNTRY_NAMES

MAX_REQUEST_CHARS = 2000
_FAMILY_WORDS = frozenset(f for f in FAMILIES if f.isalpha() and len(f) >= 5)
_UNIT_WORDS = ("tokens", "context", "concurrent", "simultaneous", "users", "requests",
               "images", "examples", "samples", "epochs", "dollars", "cheapest", "memory",
               "parameters", "params", "hours", "minutes", "audio", "preemptible",
               "interruptible", "on-demand", "million", "billion", "thousand", "quantized",
               "precision", "budget", "second", "minute", "conversations", "sequence")
# Words that must never be "corrected" into something else (GPU and product names).
_PROTECTED = ("trainium", "inferentia", "gaudi", "radeon", "instinct", "geforce", "quadro",
              "tesla", "nvidia", "blackwell", "hopper", "ampere", "server", "servers")


def request_parse(text: str) -> ParsedRequest:
    """Read ``text`` (at most MAX_REQUEST_CHARS characters) into a ParsedRequest."""
    return _parse(text[:MAX_REQUEST_CHARS])


@lru_cache(maxsize=1024)
def _parse(raw: str) -> ParsedRequest:
    text = Text(raw, vocabulary(), _FAMILY_WORDS)
    found: dict[str, Any] = {}
    _read_all(text, found)
    workload, filters = fields_from(found)
    unparsed = text.leftover() + found.get("unparsed_money", [])
    return ParsedRequest(workload, filters, unparsed, _confidence(text, workload, filters))


def _read_all(text: Text, found: dict[str, Any]) -> None:
    entities.read_model(text, found)
    flags.read_precision(text, found)
    entities.read_providers(text, found, _provider_names())
    entities.read_places(text, found)
    quantities.read_training_set(text, found)
    prices.read_money(text, found)
    quantities.read_tokens(text, found)
    quantities.read_load(text, found)
    entities.read_gpus(text, found)
    quantities.read_memory(text, found)
    quantities.read_params(text, found)
    flags.read_method(text, found)
    flags.read_spot(text, found)
    flags.read_sort(text, found)
    flags.read_task(text, found)


def _confidence(text: Text, workload: dict[str, Any], filters: dict[str, Any]) -> float:
    """Share of the request's meaningful characters that were read; 0 when nothing was."""
    if not any(v is not None for v in (*workload.values(), *filters.values())):
        return 0.0
    read, left = text.taken_chars(), text.free_chars()
    return round(read / max(read + left, 1), 2)


@lru_cache(maxsize=1)
def vocabulary() -> frozenset[str]:
    """Words a typo may be corrected to."""
    phrases = [*PROVIDER_WORDS, *CONTINENT_WORDS, *COUNTRY_WORDS, *COUNTRY_NAMES, *FAMILIES,
               *_UNIT_WORDS, *_PROTECTED, *(w for words in TASK_WORDS.values() for w in words)]
    return frozenset(w for p in phrases for w in p.split() if w.isalpha())


@lru_cache(maxsize=1)
def _provider_names() -> frozenset[str]:
    from market.adapters.catalog import DEFAULT_CLOUDS
    from market.adapters.registry import PROVIDERS

    return frozenset(DEFAULT_CLOUDS) | frozenset(PROVIDERS)

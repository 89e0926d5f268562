"""Numbers with units: training sets, tokens, context, request rates, users, images, audio
hours, memory, parameter counts and prices. Each reader fills ``found`` and takes its span."""

from __future__ import annotations

import re
from typing import Any

from assistant.parser.text import MULT, NUM, Text, number_value

N = rf"(?P<n>{NUM}{MULT})"
N2 = rf"(?P<n2>{NUM}{MULT})"
N3 = rf"(?P<n3>{NUM}{MULT})"
_ABOUT = r"(?:(?:~|about|around|approx\.?|roughly|ca\.?|up\s+to|max(?:imum)?|at\s+most)\s*)?"
_TOKENS = r"(?:tokens?|toks?|token)(?![a-z])"
_EPOCHS = re.compile(r"(?P<e>\d+|one|two|three|four|five|ten)\s*(?:x\s*)?epochs?")
_EXAMPLES = re.compile(
    rf"{N}\s*(?:training\s+)?(?:examples|samples|rows|conversations|instructions|pairs"
    rf"|documents|docs|dialogues|prompts)(?:\s*(?:of|with|at|x|@|each\s+of)\s*{_ABOUT}"
    rf"(?P<per>{NUM}{MULT})\s*{_TOKENS}(?:\s*each)?)?")
_CONTEXT = re.compile(
    rf"{N}\s*(?:{_TOKENS}\s*)?(?:of\s+)?(?:context(?:\s+(?:window|length))?|ctx|kontext"
    rf"|contexte|contexto|seq(?:uence)?[\s_]*len(?:gth)?)(?![a-z])"
    rf"|(?:context(?:\s+(?:window|length))?|ctx|seq(?:uence)?[\s_]*len(?:gth)?|kontext)"
    rf"\s*(?:of|:|=|is|window|length)?\s*{_ABOUT}{N2}(?:\s*{_TOKENS})?")
_OUTPUT = re.compile(
    rf"{N}\s*(?:output|generated|new|completion|response|answer)\s*{_TOKENS}"
    rf"|(?:outputs?|responses?|completions?|answers?|generations?|generate|generating)\s*"
    rf"(?:of|:|=|are|is)?\s*{_ABOUT}{N2}\s*{_TOKENS}"
    rf"|(?:max_tokens|max_new_tokens|max\s+new\s+tokens|max\s+output)\s*[:=]?\s*{N3}")
_INPUT = re.compile(
    rf"{N}\s*(?:input|prompt)\s*{_TOKENS}"
    rf"|(?:inputs?|prompts?)\s*(?:of|:|=|are|is)?\s*{_ABOUT}{N2}\s*{_TOKENS}")
_TOTAL_TOKENS = re.compile(rf"{N}\s*{_TOKENS}(?!\s*(?:/|per)\s*(?:s|sec|second)(?![a-z]))")
_RATE_UNITS = {"s": 1, "sec": 1, "second": 1, "min": 60, "minute": 60, "h": 3600,
               "hr": 3600, "hour": 3600, "d": 86400, "day": 86400}
_RATE = re.compile(
    rf"{N}\s*(?:requests?|reqs?|queries|calls|completions)\s*(?:/|per|a|an|each|every)\s*"
    rf"(?P<unit>s|sec|second|min|minute|h|hr|hour|d|day)(?![a-z])"
    rf"|{N2}\s*(?:rps|qps|req/s|requests/s)(?![a-z])")
_CONCURRENCY = re.compile(
    rf"{N}\s*(?:(?:concurrent|simultaneous|parallel|active)\s*)?(?:users?|sessions|clients"
    rf"|people|customers|chats|streams|seats|connections|requests|nutzern?|benutzern?"
    rf"|utilisateurs|usuarios|utenti|użytkowników)(?![a-z])"
    rf"|{N2}\s*(?:concurrent|simultaneous|parallel)(?![a-z])"
    rf"|batch(?:\s*size)?\s*(?:of|=|:)?\s*{N3}")
_IMAGES = re.compile(rf"{N}\s*(?:images|imgs|pictures|pics|photos|renders|bilder)(?![a-z])")
_AUDIO = re.compile(rf"{N}\s*(?P<unit>hours|hrs|h|minutes|mins)\s*of\s*(?:audio|speech"
                    rf"|recordings?|podcasts?|calls|video|meetings|interviews)")
_MEMORY = re.compile(
    rf"(?P<pre>total\s*(?:vram|gpu\s*memory)?\s*(?:of\s*)?)?{N}\s*(?:gb|gib|g|gig|gigs|go)"
    rf"(?![a-z])\+?(?P<post>(?:\s*(?:of|each|per\s+gpu|per\s+card))?(?:\s*(?:total|combined"
    rf"|aggregate|in\s+total))?(?:\s*(?:system\s+|cpu\s+|host\s+)?(?:gpu\s+memory|gpu\s+ram"
    rf"|vram|memory|ram|hbm))?(?:\s*(?:in\s+total|total|combined))?)")
_PARAMS = re.compile(
    rf"(?P<n>{NUM})\s*(?P<u>b|bn|billion|m|million)(?![a-z])\s*(?:params?|parameters?)?"
    rf"(?!\s*{_TOKENS})")


def read_training_set(text: Text, found: dict[str, Any]) -> None:
    epochs = next((_epochs(m.group("e")) for m in text.find(_EPOCHS)), 1)
    for match in text.find(_EXAMPLES):
        examples = number_value(match.group("n"), count=True)
        found["quantity"] = examples
        if match.group("per"):
            found["tokens"] = epochs * examples * number_value(match.group("per"), count=True)


def read_tokens(text: Text, found: dict[str, Any]) -> None:
    for match in text.find(_CONTEXT):
        found["context_tokens"] = _context(_num(match))
    for match in text.find(_OUTPUT):
        found["output_tokens"] = number_value(_num(match), count=True)
    for match in text.find(_INPUT):
        found["input_tokens"] = number_value(_num(match), count=True)
    for match in text.find(_TOTAL_TOKENS):
        found.setdefault("tokens", number_value(match.group("n"), count=True))


def read_load(text: Text, found: dict[str, Any]) -> None:
    for match in text.find(_RATE):
        per = _RATE_UNITS[match.group("unit")] if match.group("unit") else 1
        found["requests_per_s"] = number_value(_num(match), count=True) / per
    for match in text.find(_CONCURRENCY):
        found["concurrency"] = number_value(_num(match), count=True)
    for match in text.find(_IMAGES):
        found["quantity"] = number_value(match.group("n"), count=True)
        found.setdefault("task_hint", "image-generation")
    for match in text.find(_AUDIO):
        hours = number_value(match.group("n"), count=True)
        found["quantity"] = hours / 60 if match.group("unit").startswith("min") else hours
        found.setdefault("task_hint", "transcription")


def read_memory(text: Text, found: dict[str, Any]) -> None:
    for match in text.find(_MEMORY):
        size = number_value(match.group("n"))
        found[_memory_field(match.group("pre") or "", match.group("post") or "")] = size


def read_params(text: Text, found: dict[str, Any]) -> None:
    for match in text.find(_PARAMS):
        value = number_value(match.group("n"))
        scale = 1e-3 if match.group("u").startswith("m") else 1.0
        if scale == 1.0 or "param" in match.group(0):
            found.setdefault("params_b", value * scale)


def _num(match: re.Match[str]) -> str:
    """The number of whichever alternative of a pattern matched."""
    return next(match.group(g) for g in ("n", "n2", "n3")
                if g in match.re.groupindex and match.group(g))


def _memory_field(pre: str, post: str) -> str:
    if "total" in pre or re.search(r"total|combined|aggregate", post):
        return "min_total_gpu_memory_gb"
    if re.search(r"vram|gpu|hbm|each|card", post):
        return "gpu_memory_gb"
    if re.search(r"ram|memory|system|host|cpu", post):
        return "min_memory_gb"
    return "gpu_memory_gb"


def _context(raw: str) -> float:
    """"8k" of context is 8192 tokens (models count context in powers of two)."""
    match = re.match(r"(\d+)\s?k$", raw.strip())
    if match and int(match.group(1)) in {1, 2, 4, 8, 16, 32, 64, 128, 256, 512}:
        return int(match.group(1)) * 1024
    return number_value(raw, count=True)


def _epochs(word: str) -> int:
    words = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "ten": 10}
    return words.get(word) or int(word)

"""Words that set a field without a number: task, precision, method, spot and sort."""

from __future__ import annotations

import re
from typing import Any

from assistant.parser.lexicon import PRECISION_PATTERNS, SORT_PATTERNS, SPOT_PATTERNS, TASK_WORDS
from assistant.parser.text import Text

_METHODS = (("qlora", r"q[\s-]?lora"), ("lora", r"lora|peft|adapters?"),
            ("full", r"full[\s-]*(?:fine[\s-]?tun\w*|finetun\w*|parameters?|params|weights?)"))
# Strongest evidence first: a full fine-tune says fine-tune; "training" inside a fine-tune
# request is that fine-tune's training.
_TASK_ORDER = ("image-generation", "transcription", "fine-tune", "training", "inference")


def _alternatives(words: tuple[str, ...]) -> str:
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in
                    sorted(words, key=len, reverse=True))


_TASKS = {task: re.compile(rf"(?<![\w-])(?:{_alternatives(words)})(?![\w])")
          for task, words in TASK_WORDS.items()}


def read_method(text: Text, found: dict[str, Any]) -> None:
    for method, pattern in _METHODS:
        for _ in text.find(re.compile(rf"(?<![\w])(?:{pattern})(?![a-z])")):
            found.setdefault("method", method)


def read_task(text: Text, found: dict[str, Any]) -> None:
    seen = {task for task in _TASK_ORDER if any(True for _ in text.find(_TASKS[task]))}
    hint = found.pop("task_hint", None)
    if hint in ("image-generation", "transcription"):
        seen.add(hint)
    if found.get("method") in ("lora", "qlora", "full"):
        seen.add("fine-tune")
    if seen & {"training", "fine-tune", "image-generation", "transcription"}:
        seen.discard("inference")
    if not seen and any(found.get(k) for k in ("concurrency", "requests_per_s",
                                               "output_tokens")):
        seen.add("inference")
    found["task"] = next((t for t in _TASK_ORDER if t in seen), None)


def read_precision(text: Text, found: dict[str, Any]) -> None:
    for precision, pattern in PRECISION_PATTERNS.items():
        for _ in text.find(re.compile(rf"(?<![\w])(?:{pattern})(?![a-z0-9])")):
            found.setdefault("precision", precision)


def read_spot(text: Text, found: dict[str, Any]) -> None:
    for value, pattern in SPOT_PATTERNS:
        for _ in text.find(re.compile(rf"(?<![\w])(?:{pattern})(?![a-z])")):
            if "spot" not in found:
                found["spot"] = value


def read_sort(text: Text, found: dict[str, Any]) -> None:
    for sort, pattern in SORT_PATTERNS.items():
        for _ in text.find(re.compile(rf"(?<![\w])(?:{pattern})(?![a-z])")):
            found.setdefault("sort", sort)

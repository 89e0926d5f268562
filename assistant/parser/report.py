"""The accuracy section of docs/ASSISTANT.md, computed from the request corpus.

    python -m assistant.parser.report tests/assistant/requests_corpus.py

prints the markdown between the ``<!-- accuracy -->`` markers; a test checks the
document still says what the corpus scores.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

from assistant.parser.accuracy import FIELDS, Score, score

BEGIN, END = "<!-- accuracy:begin -->", "<!-- accuracy:end -->"


def corpus_module(path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location("requests_corpus", path)
    if spec is None or spec.loader is None:
        raise FileNotFoundError(path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def accuracy_markdown(corpus: ModuleType) -> str:
    main, held = score(corpus.CORPUS), score(corpus.HELD_OUT)
    lines = [BEGIN, "", "| set | requests | exact parses | field accuracy (all fields) | "
             "accuracy on fields the request sets | invented values |", "|---|---|---|---|---|---|",
             _row("corpus", main), _row("held-out", held), "",
             "Per field, over both sets (right / requests that set it):", "",
             "| field | right | set |", "|---|---|---|"]
    for name in FIELDS:
        right = main.per_field[name][0] + held.per_field[name][0]
        total = main.per_field[name][1] + held.per_field[name][1]
        lines.append(f"| `{name}` | {right} | {total} |")
    return "\n".join([*lines, "", END])


def _row(label: str, s: Score) -> str:
    return (f"| {label} | {s.cases} | {s.exact_cases} | {100 * s.field_accuracy:.1f} % | "
            f"{100 * s.set_field_accuracy:.1f} % | {s.spurious} |")


if __name__ == "__main__":
    import os

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    print(accuracy_markdown(corpus_module(Path(sys.argv[1]))))

"""docs/ASSISTANT.md reports the accuracy the parser has now, computed from the corpus."""

from __future__ import annotations

from pathlib import Path

from assistant.parser.report import BEGIN, END, accuracy_markdown, corpus_module

ROOT = Path(__file__).resolve().parents[2]


def test_assistant_doc_reports_the_current_accuracy() -> None:
    doc = (ROOT / "docs" / "ASSISTANT.md").read_text()
    written = doc[doc.index(BEGIN):doc.index(END) + len(END)]
    computed = accuracy_markdown(corpus_module(ROOT / "tests/assistant/requests_corpus.py"))
    assert written == computed, "run: python -m assistant.parser.report " \
                                "tests/assistant/requests_corpus.py"

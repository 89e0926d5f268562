"""Pages must work under a strict Content-Security-Policy (self only): no inline scripts,
inline styles or inline event handlers in any template, and no asset from another origin."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import web

TEMPLATES = sorted((Path(web.__file__).parent / "templates").rglob("*.html"))
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", re.I)


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: p.name)
def test_template_has_nothing_inline(path: Path) -> None:
    text = path.read_text()
    assert not INLINE_SCRIPT.search(text)
    assert "<style" not in text and " style=" not in text
    assert not re.search(r"\son[a-z]+=", text)
    assert not re.search(r'(src|href)="(https?:)?//', text.replace('href="{{ s.url }}"', ""))

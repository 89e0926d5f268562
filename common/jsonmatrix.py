"""Matrices in a JSON body read straight into numpy: no Python float per value.

``json_loads_matrices(raw)`` returns what ``orjson.loads(raw)`` returns, except that each
array of equally long arrays of JSON numbers (a matrix, ``[[1, 2.5], [3, -4e2]]``) comes
back as a float64 ``numpy.ndarray`` of shape (rows, columns). A 100,000 × 8 matrix then
costs its 6.4 MB, not ~25 MB of lists and floats plus the parser's own tree.

Only an object member's value that is a strict, rectangular matrix of RFC 8259 numbers
takes this path (``{"decision_matrix": [[…], …]}``). Anything else —
ragged rows, ``null``/``true``/a string among the numbers, ``1e400``, deeper nesting, a
matrix-looking text inside a string — is left for orjson, so the schema refuses it exactly
as before. How: each candidate span is cut out of the document and replaced by a
placeholder string nobody can guess; the rest is parsed by orjson; the placeholders are
then swapped for the arrays. A span that was really inside a string breaks that parse
(a bare word after a closing quote), and the whole document is parsed plainly instead.
"""

from __future__ import annotations

import re
import secrets
from typing import Any

import numpy as np
import orjson

# An object member's value that is an array of arrays of number-like text: two levels, no
# more (an array of matrices stays lists, as orjson reads it).
_CELLS = rb"[-+0-9eE.,\s]*"
_CANDIDATE = re.compile(rb":\s*(\[\s*\[" + _CELLS + rb"\](?:\s*,\s*\[" + _CELLS + rb"\])*\s*\])")
_NUMBER = rb"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?"
# A value that is not an RFC 8259 number: after "[" or "," (not a row's "[") comes
# something other than a number ending at "," or "]" (also catches "[]" and ",,").
_NOT_A_NUMBER = re.compile(rb"[\[,](?!\[)(?!" + _NUMBER + rb"[,\]])")
_SPACE = b" \t\r\n"
_BRACKETS_TO_SPACES = bytes.maketrans(b"[]", b"  ")
MIN_MATRIX_BYTES = 1024  # smaller matrices are not worth the detour


def matrix_parse(span: bytes) -> np.ndarray | None:
    """``span`` (``[[…],[…]]``) as an (n, m) float64 array, or None when it is not a strict
    rectangular matrix of JSON numbers."""
    text = span.translate(None, _SPACE)
    if _NOT_A_NUMBER.search(text) is not None:
        return None
    inner = np.frombuffer(text, dtype=np.uint8)[1:-1]
    closes = np.flatnonzero(inner == ord("]"))
    commas = np.flatnonzero(inner == ord(","))
    commas = commas[inner[commas - 1] != ord("]")]  # the commas inside rows
    per_row = np.bincount(np.searchsorted(closes, commas), minlength=closes.size)
    if per_row.min() != per_row.max():
        return None  # ragged: the schema names the row
    values = np.fromstring(text.translate(_BRACKETS_TO_SPACES), dtype=np.float64, sep=",")
    if values.size != closes.size * (int(per_row[0]) + 1) or not np.isfinite(values).all():
        return None  # 1e400: orjson names it
    return values.reshape(closes.size, int(per_row[0]) + 1)


def json_loads_matrices(raw: bytes) -> Any:
    """Like ``orjson.loads(raw)``, with matrices as numpy arrays (see the module docstring).
    Raises ``orjson.JSONDecodeError`` for what is not JSON."""
    token = secrets.token_hex(16)
    arrays: dict[str, np.ndarray] = {}
    pieces: list[bytes] = []
    end = 0
    for match in _CANDIDATE.finditer(raw):
        start, stop = match.span(1)
        if stop - start < MIN_MATRIX_BYTES:
            continue
        array = matrix_parse(match.group(1))
        if array is None:
            continue
        key = f"\x00{token}:{len(arrays)}"
        arrays[key] = array
        pieces += [raw[end:start], orjson.dumps(key)]
        end = stop
    if not arrays:
        return orjson.loads(raw)
    pieces.append(raw[end:])
    try:
        data = orjson.loads(b"".join(pieces))
    except orjson.JSONDecodeError:
        return orjson.loads(raw)  # a span was inside a string: parse it all plainly
    found: set[str] = set()
    data = _swapped(data, arrays, found)
    return data if found == arrays.keys() else orjson.loads(raw)


def _swapped(value: Any, arrays: dict[str, np.ndarray], found: set[str]) -> Any:
    if isinstance(value, str) and value in arrays:
        found.add(value)
        return arrays[value]
    if isinstance(value, dict):
        return {k: _swapped(v, arrays, found) for k, v in value.items()}
    if isinstance(value, list):
        return [_swapped(v, arrays, found) for v in value]
    return value

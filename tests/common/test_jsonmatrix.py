"""Matrices read straight into numpy (``common.jsonmatrix``): the same values orjson reads,
numpy only for strict rectangular number matrices, orjson for everything else."""

from __future__ import annotations

from typing import Any

import numpy as np
import orjson
import pytest

from common.jsonmatrix import MIN_MATRIX_BYTES, json_loads_matrices

ROW = b"[1.5,2,-3e2,0.25,-0,1E+3]"
MATRIX = b"[" + b",".join([ROW] * 100) + b"]"
assert len(MATRIX) > MIN_MATRIX_BYTES


def _plain(value: Any) -> Any:
    return orjson.loads(orjson.dumps(value, option=orjson.OPT_SERIALIZE_NUMPY))


def test_a_matrix_becomes_one_float64_array_with_orjsons_values() -> None:
    doc = b'{"m": ' + MATRIX + b', "w": [1, 2], "name": "x"}'
    data = json_loads_matrices(doc)
    assert isinstance(data["m"], np.ndarray) and data["m"].dtype == np.float64
    assert data["m"].shape == (100, 6) and data["m"].flags.c_contiguous
    assert _plain(data) == orjson.loads(doc)


def test_whitespace_and_several_matrices() -> None:
    spaced = MATRIX.replace(b",", b" ,\n ").replace(b"[", b"[ ")
    doc = b'{"a" :\n' + spaced + b', "b": {"k": ' + MATRIX + b'}}'
    data = json_loads_matrices(doc)
    assert isinstance(data["a"], np.ndarray) and isinstance(data["b"]["k"], np.ndarray)
    assert _plain(data) == orjson.loads(doc)


@pytest.mark.parametrize("doc", [
    b'{"m": "' + MATRIX + b'"}',                                 # inside a string
    b'{"a": "x' + MATRIX[:600] + b'", "m": [1]}',                # a string holding part of one
    b'{"m": [' + MATRIX + b']}',                                  # three levels deep
    b'{"m": ' + MATRIX[:-1] + b',[1,2]]}',                        # ragged
    b'{"m": ' + MATRIX.replace(b"2,", b"true,", 1) + b'}',        # true among the numbers
    b'{"m": ' + MATRIX.replace(b"2,", b"null,", 1) + b'}',
    b'{"m": ' + MATRIX.replace(b"2,", b'"2",', 1) + b'}',         # a string number
    b'{"m": ' + MATRIX.replace(ROW, b"[]", 1) + b'}',             # an empty row
    b'{"m": [' + MATRIX + b',' + MATRIX + b']}',                  # an array of matrices
])
def test_anything_but_a_strict_matrix_is_left_to_orjson(doc: bytes) -> None:
    data = json_loads_matrices(doc)
    assert data == orjson.loads(doc) and not isinstance(data["m"], np.ndarray)


@pytest.mark.parametrize("bad", [b"02", b"1.", b".5", b"+1", b"1e", b"1e400", b"--1", b"1.2.3"])
def test_numbers_json_does_not_allow_are_refused_as_orjson_refuses_them(bad: bytes) -> None:
    doc = b'{"m": ' + MATRIX.replace(b"0.25", bad, 1) + b'}'
    with pytest.raises(orjson.JSONDecodeError):
        orjson.loads(doc)
    with pytest.raises(orjson.JSONDecodeError):
        json_loads_matrices(doc)


def test_small_matrices_stay_lists() -> None:
    assert json_loads_matrices(b'{"m": [[1, 2], [3, 4]]}') == {"m": [[1, 2], [3, 4]]}

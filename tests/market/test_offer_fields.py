"""One table of offer fields (market.fields): everything that names a field agrees with it.

A field or filter parameter that exists in one place and not in the others fails here: the
model, the normalized offer value, the index, OfferOut, OfferFilterIn, the deltas, the q=
language and the CLI.
"""

from __future__ import annotations

import dataclasses

import pytest
from django.db import models

from market.fields import (
    ALIASES,
    BOOL_FIELDS,
    DELTA_FIELDS,
    FIELDS,
    FILTER_FIELDS,
    FILTER_PARAMS,
    NUMERIC_FIELDS,
    OFFER_COLUMNS,
    OFFER_FIELDS,
    SOURCE_FIELDS,
    STORED_FIELDS,
    TEXT_FIELDS,
    offer_row,
)
from market.models import Offer
from market.offer import NormalizedOffer
from market.query.fields import field_canonical
from market.query.filters import filter_compile
from market.query.index import index_build
from market.query.params import PARAMS
from market.schemas import LiveOffersIn, OfferFilterIn, OfferOut
from market.services.deltas import OfferDelta

CONTROL = {"q", "sort", "page", "per_page"}
MODEL_TYPES = {"text": (models.CharField, models.ForeignKey), "texts": (models.JSONField,),
               "number": (models.FloatField,), "count": (models.FloatField,),
               "flag": (models.BooleanField,), "time": (models.DateTimeField,),
               "id": (models.BigAutoField, models.AutoField)}


def test_the_model_stores_exactly_the_stored_fields_with_matching_types() -> None:
    model_fields = {f.name: f for f in Offer._meta.get_fields() if f.concrete}
    assert set(model_fields) == set(STORED_FIELDS)
    for name, field in model_fields.items():
        spec = FIELDS[name]
        assert isinstance(field, MODEL_TYPES[spec.kind]), name
        if spec.kind not in ("id", "texts"):
            assert field.null == spec.nullable, name


def test_the_normalized_offer_has_exactly_the_source_fields() -> None:
    assert {f.name for f in dataclasses.fields(NormalizedOffer)} == set(SOURCE_FIELDS)


def test_index_columns_read_every_stored_field() -> None:
    assert {c.removesuffix("_id") if c == "provider_id" else c for c in OFFER_COLUMNS} == set(
        STORED_FIELDS)
    index = index_build([])
    assert set(index.numeric) == set(NUMERIC_FIELDS)
    assert set(index.text) == {*TEXT_FIELDS, "gpu_raw_name"}
    assert set(index.flags) == set(BOOL_FIELDS)
    assert set(NUMERIC_FIELDS) | set(TEXT_FIELDS) | set(BOOL_FIELDS) == set(FILTER_FIELDS)


def test_offer_out_and_the_api_row_have_every_field_in_table_order() -> None:
    assert list(OfferOut.model_fields) == [f.name for f in OFFER_FIELDS]
    stored = {name: None for name in STORED_FIELDS}
    row = offer_row({**stored, "gpu_count": 8.0, "vcpus": 96.0, "gpu_memory_gb": 80.0})
    assert list(row) == [f.name for f in OFFER_FIELDS]
    assert row["gpu_count"] == 8 and isinstance(row["gpu_count"], int)
    assert row["total_gpu_memory_gb"] == 640.0


def test_filter_in_has_one_parameter_per_table_row() -> None:
    assert set(OfferFilterIn.model_fields) == set(PARAMS) | CONTROL
    assert set(LiveOffersIn.model_fields) == set(PARAMS) | CONTROL
    assert {p.name for p in FILTER_PARAMS} == set(PARAMS)
    assert all(p.field in FILTER_FIELDS for p in FILTER_PARAMS)


def test_a_delta_carries_the_delta_fields() -> None:
    offer = offer_row({name: 1.0 for name in STORED_FIELDS})
    delta = OfferDelta("changed", 1, 2.0, 1.0, offer).as_dict()
    assert set(delta) == {"kind", "offer_id", "old_price_per_hour", "new_price_per_hour",
                          *DELTA_FIELDS}
    assert set(FILTER_FIELDS) - {"stale"} <= set(DELTA_FIELDS)


@pytest.mark.parametrize("name", [*FILTER_FIELDS, *ALIASES])
def test_every_field_and_alias_is_a_q_name(name: str) -> None:
    field = field_canonical(name)
    assert field == ALIASES.get(name, name)
    value = {"country": "DE", "continent": "EU"}.get(
        field, {"text": "x", "flag": "true"}.get(FIELDS[field].kind, "1"))
    assert filter_compile({"q": f"{name}={value}"}).conditions[0].field == field


def test_no_alias_shadows_a_field_or_another_alias() -> None:
    assert not set(ALIASES) & set(FIELDS)
    assert len(ALIASES) == sum(len(f.aliases) for f in OFFER_FIELDS)


def test_the_cli_has_one_flag_per_filter_parameter() -> None:
    import argparse

    from gpubroker.commands import filter_flags_add

    parser = argparse.ArgumentParser()
    filter_flags_add(parser)
    flags = {a.dest: a.option_strings for a in parser._actions if a.dest != "help"}
    assert flags == {p.name: [f"--{p.name.replace('_', '-')}"] for p in FILTER_PARAMS}
    args = parser.parse_args(["--min-disk-gb", "100", "--gpu", "H100", "--spot", "false"])
    assert filter_compile({k: v for k, v in vars(args).items() if v is not None}).labels == [
        "gpu=H100", "min_disk_gb=100.0", "spot=false"]

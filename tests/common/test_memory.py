"""``common.memory``: the glibc knobs the server sets (the megabytes are measured by
``bench/bench_body_limits.py``, docs/BENCHMARKS.md; tests assert no sizes or times)."""

from __future__ import annotations

import platform

import pytest

from common.memory import _glibc, big_blocks_mapped, memory_release

glibc = pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="glibc only")


@glibc
def test_big_blocks_get_their_own_mapping_and_free_pages_go_back() -> None:
    assert _glibc() is not None
    assert big_blocks_mapped(1024 * 1024) is True
    assert memory_release() is True


def test_a_zero_threshold_leaves_glibc_alone() -> None:
    assert big_blocks_mapped(0) is False


def test_long_lived_objects_are_frozen_only_when_serving() -> None:
    import gc

    from common.memory import long_lived_freezing, long_lived_settled

    assert long_lived_settled() is False  # off unless the ASGI app of `serve` turns it on
    long_lived_freezing(True)
    try:
        kept = [{"row": i} for i in range(1000)]
        assert long_lived_settled() is True
        assert gc.get_freeze_count() >= len(kept)
    finally:
        long_lived_freezing(False)
        gc.unfreeze()

"""Memory a large request used goes back to the operating system once it is answered.

Two things kept it (measured with ``bench/bench_body_limits.py``: eight 100,000 × 8
matrices one after another grew the server by +150 MB and kept most of it):

* glibc's mmap threshold rises to the largest block freed so far (up to 32 MiB), so after
  the first large request its 6–20 MB buffers (the body, numpy arrays, the JSON answer) come
  from the heap, where they fragment it and stay. ``big_blocks_mapped()`` — called once as
  the ASGI application starts (``GPUBROKER_MMAP_THRESHOLD_KB``, 1 MiB) — fixes the threshold,
  so a block that large is its own mapping, unmapped when freed;
* a request's objects (its body, the rendered answer) sit in reference cycles that only the
  cyclic garbage collector frees, and a numpy-heavy request allocates too few Python objects
  to trigger it. ``memory_release()`` (after each large body, ``common.asgi_limits``) runs it
  and then hands free heap pages back (``malloc_trim``).

Where the C library is not glibc, the glibc parts do nothing.

A serving process also keeps its long-lived objects (imported modules, the offer index's
rows: ~150,000 tracked objects) out of the cyclic collector's full passes:
``long_lived_settled()`` collects once, then ``gc.freeze()``s what is left, as the ASGI
application starts and after each offer index build, when ``GPUBROKER_GC_FREEZE`` is 1
(``gpubroker serve`` sets it). Measured in-process over 1,000 offers requests: one full
collection of ~190 ms (a pause every queued request of that worker waits out) without it,
none with it. Frozen objects are still freed by reference counting.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import gc

_M_MMAP_THRESHOLD = -3  # mallopt parameter (malloc.h)
_freezing = {"on": False}


def long_lived_freezing(on: bool) -> None:
    """Whether ``long_lived_settled()`` freezes (set once as the ASGI application starts)."""
    _freezing["on"] = on


def long_lived_settled() -> bool:
    """Collect, then move every object left out of the cyclic collector's reach (gc.freeze),
    when freezing is on; True if it froze."""
    if not _freezing["on"]:
        return False
    gc.collect()
    gc.freeze()
    return True


@functools.cache
def _glibc() -> ctypes.CDLL | None:
    name = ctypes.util.find_library("c")
    try:
        libc = ctypes.CDLL(name) if name else None
    except OSError:
        return None
    if libc is None or not hasattr(libc, "malloc_trim") or not hasattr(libc, "mallopt"):
        return None  # not glibc (musl, macOS)
    libc.malloc_trim.argtypes, libc.malloc_trim.restype = [ctypes.c_size_t], ctypes.c_int
    libc.mallopt.argtypes, libc.mallopt.restype = [ctypes.c_int, ctypes.c_int], ctypes.c_int
    return libc


def big_blocks_mapped(threshold_bytes: int) -> bool:
    """Blocks of ``threshold_bytes`` or more get their own mapping, returned when freed
    (0: keep glibc's moving threshold); False when it could not be set."""
    libc = _glibc()
    if threshold_bytes <= 0 or libc is None:
        return False
    return bool(libc.mallopt(_M_MMAP_THRESHOLD, threshold_bytes))


def memory_release() -> bool:
    """Free what only reference cycles still hold, then return free heap pages to the OS;
    False where the C library cannot do the second part."""
    gc.collect()
    libc = _glibc()
    return bool(libc is not None and libc.malloc_trim(0) >= 0)

"""Market core benchmark: whole-snapshot sync, then query latency in-process and over HTTP,
side by side in one run with gpuhunt's ``Catalog.query()`` over the same offers.

    python bench/bench_market.py [--catalog-dir DIR] [--repeat 300]

The snapshot is converted to gpuhunt's catalog format (its own CSV writer and reader,
``gpuhunt._internal.storage``) and loaded into a ``gpuhunt.Catalog`` as it does after a
download, so gpuhunt queries in memory exactly as in production. gpuhunt only accepts its own
provider names, so our clouds are spread over its nine offline provider slots.
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

# Typical filters: (our parameters, the same constraints for gpuhunt).
QUERIES: list[tuple[str, dict, dict]] = [
    ("gpu=H100", {"gpu": ["H100"]}, {"gpu_name": "H100"}),
    ("8 GPUs under $30/h", {"min_gpu_count": 8, "max_price": 30},
     {"min_gpu_count": 8, "max_price": 30}),
    ("≥40 GB per GPU, on-demand", {"min_gpu_memory_gb": 40, "spot": False},
     {"min_gpu_memory": 40, "spot": False}),
    ("under $2/h, ≥8 vCPUs", {"max_price": 2, "min_vcpus": 8}, {"max_price": 2, "min_cpu": 8}),
    ("A100 family, spot", {"gpu": ["A100"], "spot": True}, {"gpu_name": "A100", "spot": True}),
    ("no filter (first page)", {}, {}),
]


def _setup(catalog_dir: str, data_dir: str) -> None:
    os.environ.update(GPUBROKER_DATA_DIR=data_dir, GPUBROKER_CATALOG_DIR=catalog_dir,
                      DJANGO_SETTINGS_MODULE="config.settings", GPUBROKER_LOG_LEVEL="ERROR",
                      GPUBROKER_RL_API_IP="100000000/60")  # measure queries, not the limiter
    os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _percentiles(samples_s: list[float]) -> tuple[float, float]:
    ms = sorted(s * 1000 for s in samples_s)
    return statistics.median(ms), ms[min(len(ms) - 1, int(len(ms) * 0.99))]


def bench_sync() -> tuple[float, int, float]:
    from market.models import Offer
    from market.services.providers import offers_sync_all

    start = time.perf_counter()
    offers_sync_all()
    cold = time.perf_counter() - start
    start = time.perf_counter()
    offers_sync_all()
    warm = time.perf_counter() - start
    return cold, Offer.objects.count(), warm


def bench_in_process(repeat: int) -> dict[str, list[float]]:
    from market.query.filters import filter_compile
    from market.query.search import offers_search

    out = {}
    for label, params, _ in QUERIES:
        offers_search(offer_filter=filter_compile(params))  # warm the index
        samples = []
        for _ in range(repeat):
            t = time.perf_counter()
            offers_search(offer_filter=filter_compile(params), per_page=50)
            samples.append(time.perf_counter() - t)
        out[label] = samples
    return out


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def bench_http(repeat: int) -> dict[str, list[float]]:
    import httpx

    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "config.asgi:application", "--port", str(port),
         "--log-level", "warning", "--lifespan", "off"], cwd=REPO, env=os.environ.copy())
    try:
        base = f"http://127.0.0.1:{port}/api/v2/providers/"
        _wait_ready(base)
        out = {}
        with httpx.Client(timeout=10) as client:
            for label, params, _ in QUERIES:
                client.get(base, params=params)
                samples = []
                for _ in range(repeat):
                    t = time.perf_counter()
                    client.get(base, params=params).raise_for_status()
                    samples.append(time.perf_counter() - t)
                out[label] = samples
        return out
    finally:
        server.terminate()
        server.wait(10)


def _wait_ready(url: str) -> None:
    import httpx

    for _ in range(100):
        try:
            httpx.get(url, params={"per_page": 1}, timeout=1).raise_for_status()
            return
        except httpx.HTTPError:
            time.sleep(0.1)
    raise RuntimeError("server did not start")


def gpuhunt_catalog(tmp: Path):
    """Our stored offers, written in gpuhunt's catalog CSV format and loaded back by gpuhunt."""
    import gpuhunt
    from gpuhunt._internal import storage
    from gpuhunt._internal.catalog import OFFLINE_PROVIDERS, ProviderCatalog
    from gpuhunt._internal.models import AcceleratorVendor, CatalogItem

    from market.models import Offer

    vendors = {v.value for v in AcceleratorVendor}
    slots: dict[str, list] = {p: [] for p in OFFLINE_PROVIDERS}
    clouds = sorted(set(Offer.objects.values_list("provider_id", flat=True)))
    for offer in Offer.objects.all().iterator():
        if offer.gpu_vendor not in vendors:
            continue  # gpuhunt has no vendor for Inferentia, Trainium, FPGAs, AI100
        slot = OFFLINE_PROVIDERS[clouds.index(offer.provider_id) % len(OFFLINE_PROVIDERS)]
        slots[slot].append(CatalogItem(
            provider=slot, instance_name=offer.instance_type, location=offer.region,
            price=offer.price_per_hour, cpu=int(offer.vcpus or 0), memory=offer.memory_gb or 0,
            gpu_count=int(offer.gpu_count), gpu_name=offer.gpu_name or offer.gpu_raw_name,
            gpu_memory=offer.gpu_memory_gb, spot=offer.spot, disk_size=offer.disk_gb,
            gpu_vendor=AcceleratorVendor(offer.gpu_vendor)))
    catalog = gpuhunt.Catalog(balance_resources=False, auto_reload=False)
    for slot, items in slots.items():
        path = tmp / f"{slot}.csv"
        storage.dump(items, str(path))
        with path.open() as f:
            catalog.catalog[slot] = ProviderCatalog("bench", list(storage.load(f, provider=slot)))
    catalog.loaded_at = time.monotonic()
    return catalog, sum(len(v) for v in slots.values())


def bench_gpuhunt(catalog, repeat: int) -> dict[str, list[float]]:
    from market.normalize.gpu_names import gpu_family_members

    out = {}
    for label, _, filters in QUERIES:
        if "gpu_name" in filters:  # gpuhunt matches exact names: give it our family's names
            filters = {**filters, "gpu_name": gpu_family_members(filters["gpu_name"])}
        catalog.query(**filters)
        samples = []
        for _ in range(repeat):
            t = time.perf_counter()
            catalog.query(**filters)
            samples.append(time.perf_counter() - t)
        out[label] = samples
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--catalog-dir", default=os.environ.get(
        "GPUBROKER_CATALOG_DIR", str(REPO.parent / "shared" / "data" / "catalogs" / "skypilot")))
    parser.add_argument("--repeat", type=int, default=300)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        _setup(args.catalog_dir, tmp)
        cold, offers, warm = bench_sync()
        print(f"sync, whole snapshot: {cold:.2f} s for {offers} offers ({offers / cold:,.0f} "
              f"offers/s); unchanged re-sync {warm:.2f} s")
        ours = bench_in_process(args.repeat)
        http = bench_http(max(50, args.repeat // 3))
        catalog, items = gpuhunt_catalog(Path(tmp))
        hunt = bench_gpuhunt(catalog, max(30, args.repeat // 10))
    print(f"\nquery latency, ms; gpuhunt over the same offers ({items} of {offers}: it has no"
          " vendor for AWS, Xilinx and Qualcomm accelerators)")
    print(f"{'query':<28}{'ours p50':>10}{'ours p99':>10}{'http p50':>10}{'http p99':>10}"
          f"{'gpuhunt p50':>13}{'gpuhunt p99':>13}{'speed-up':>10}")
    for label, _, _ in QUERIES:
        o50, o99 = _percentiles(ours[label])
        h50, h99 = _percentiles(http[label])
        g50, g99 = _percentiles(hunt[label])
        print(f"{label:<28}{o50:>10.3f}{o99:>10.3f}{h50:>10.2f}{h99:>10.2f}{g50:>13.2f}"
              f"{g99:>13.2f}{g50 / o50:>9.0f}×")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

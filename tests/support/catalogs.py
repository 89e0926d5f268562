"""Real catalog versions for sync tests: one offer repriced between two syncs.

Vast's catalog as copied at two upstream commits (``shared/data/catalogs/history/vast``,
see its README): the 4x H100 SXM offer in Texas costs 7.20 USD/h at 00690e7666c7 and 8.00 at
0e7ecd677444. ``vast_catalog`` writes the later file as it is, or with that one offer at its
price from the other version, so a sync between the two reprices exactly one H100 and
nothing else. Files are written to a test's temporary folder, never into the repository.
"""

from __future__ import annotations

import csv
import functools
import io
import threading
import time
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from tests.conftest import SHARED_DATA

VAST_HISTORY = SHARED_DATA / "catalogs" / "history" / "vast"
VAST_LATEST = VAST_HISTORY / "00690e7666c7.csv"
VAST_EARLIER = VAST_HISTORY / "0e7ecd677444.csv"
H100_KEY = ("4x-H100_SXM-32-65536", "Texas, US, NA")
H100_GPUS = 4


def catalog_prices(path: Path, key: tuple[str, str]) -> list[float]:
    """The on-demand Price of every row of ``key`` (InstanceType, Region) in ``path``."""
    with path.open(newline="") as f:
        return [float(r["Price"]) for r in csv.DictReader(f)
                if (r["InstanceType"], r["Region"]) == key]


def h100_prices() -> tuple[float, float]:
    """(high, low) USD/h of the H100 offer: its price in the earlier and the latest file."""
    (high,), (low,) = catalog_prices(VAST_EARLIER, H100_KEY), catalog_prices(VAST_LATEST, H100_KEY)
    assert high > low, "the two versions must disagree on this offer's price"
    return high, low


def vast_catalog(folder: Path, *, h100_high: bool) -> Path:
    """Write ``folder/vast/vms.csv``: the latest file, its H100 offer at the high price if asked."""
    text = VAST_LATEST.read_text(encoding="utf-8")
    if h100_high:
        text = _with_price(text, H100_KEY, h100_prices()[0])
    target = folder / "vast" / "vms.csv"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    return target


def _with_price(text: str, key: tuple[str, str], price: float) -> str:
    reader = csv.DictReader(io.StringIO(text))
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(reader.fieldnames or []), lineterminator="\n")
    writer.writeheader()
    for row in reader:
        if (row["InstanceType"], row["Region"]) == key:
            row["Price"] = f"{price:.2f}"
        writer.writerow(row)
    return out.getvalue()


class CatalogServer:
    """A real HTTP server for a catalog folder laid out as upstream's (``v7/<cloud>/vms.csv``).

    ``fail_next`` answers that many next requests with 503 (a provider having a bad minute);
    ``hits`` records when each request came; while ``gate`` is cleared, requests wait for it
    (a sync held in the middle of its fetch).
    """

    def __init__(self, root: Path) -> None:
        self.root, self.fail_next, self.hits = root, 0, []
        self.gate = threading.Event()
        self.gate.set()
        self.v7 = root / "v7"  # write catalogs here: vast_catalog(server.v7, ...)
        handler = functools.partial(_CatalogHandler, self, directory=str(root))
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}/"
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()


class _CatalogHandler(SimpleHTTPRequestHandler):
    def __init__(self, owner: CatalogServer, *args: Any, **kwargs: Any) -> None:
        self.owner = owner
        super().__init__(*args, **kwargs)

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        self.owner.hits.append(time.monotonic())
        self.owner.gate.wait(120)
        if self.owner.fail_next > 0:
            self.owner.fail_next -= 1
            self.send_error(503, "unavailable, as asked by the test")
            return
        super().do_GET()

    def log_message(self, *args: object) -> None:
        pass

"""Secrets and the data directory.

In debug (embedded) mode a missing secret is generated once into the data directory
with file mode 0600; in production (``DJANGO_DEBUG=0``) a missing secret stops startup.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from collections.abc import Callable
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from platformdirs import user_data_dir


def data_dir() -> Path:
    """``GPUBROKER_DATA_DIR``, else the user's data directory (``~/.local/share/gpubroker``
    on Linux): the same store and secrets from whichever folder a command runs."""
    configured = os.environ.get("GPUBROKER_DATA_DIR")
    path = Path(configured).expanduser() if configured else Path(user_data_dir("gpubroker"))
    path = path.resolve()
    path.mkdir(parents=True, exist_ok=True)
    return path


def write_private_file(path: Path, content: bytes) -> None:
    """Create ``path`` with mode 0600 (never readable by others, even for an instant)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(content)


def generated_secret(*, data_dir: Path, filename: str, make: Callable[[], bytes]) -> bytes:
    """Read a generated secret from the data directory, creating it on first use.

    The secret is written to a private temporary file and then linked into place, so another
    process never reads a half-written file; if two create it at once, the first link wins
    and both read that one.
    """
    path = data_dir / filename
    if not path.exists():
        tmp = data_dir / f".{filename}.{os.getpid()}.{secrets.token_hex(4)}"
        write_private_file(tmp, make())
        try:
            with contextlib.suppress(FileExistsError):  # another process linked its own first
                os.link(tmp, path)
        finally:
            tmp.unlink()
    return path.read_bytes()


def secret_key(*, debug: bool, data_dir: Path) -> str:
    value = os.environ.get("DJANGO_SECRET_KEY")
    if value:
        return value
    if not debug:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set when DJANGO_DEBUG=0")
    key = generated_secret(
        data_dir=data_dir, filename="secret_key", make=lambda: secrets.token_urlsafe(50).encode()
    )
    return key.decode()

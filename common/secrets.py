"""Secrets and the data directory.

Unless in production (``DJANGO_DEBUG=0``), a missing secret is generated once into the
data directory with file mode 0600; in production a missing secret stops startup. The
data directory is 0700 and the SQLite file 0600.
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
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    _owner_only(path, 0o700)  # created (or tightened, when ours) to 0700
    return path


def _owner_only(path: Path, mode: int) -> None:
    info = path.stat()
    if info.st_uid == os.getuid() and info.st_mode & 0o777 != mode:
        path.chmod(mode)


def private_file_ensure(path: Path) -> Path:
    """``path`` exists with mode 0600 (SQLite gives its -wal/-shm files the same mode)."""
    with contextlib.suppress(FileExistsError):
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    _owner_only(path, 0o600)
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


def secret_key(*, generate: bool, data_dir: Path) -> str:
    """``DJANGO_SECRET_KEY``, or (``generate``: not production) one kept in the data dir."""
    value = os.environ.get("DJANGO_SECRET_KEY")
    if value:
        return value
    if not generate:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set when DJANGO_DEBUG=0")
    key = generated_secret(
        data_dir=data_dir, filename="secret_key", make=lambda: secrets.token_urlsafe(50).encode()
    )
    return key.decode()

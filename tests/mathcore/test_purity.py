"""The math core imports the standard library and numpy only: never Django."""

from __future__ import annotations

import pkgutil
import subprocess
import sys
from pathlib import Path

import mathcore

REPO_ROOT = Path(__file__).resolve().parents[2]


def mathcore_modules() -> list[str]:
    found = pkgutil.walk_packages(mathcore.__path__, prefix="mathcore.")
    return ["mathcore", *sorted(module.name for module in found)]


def test_every_mathcore_module_imports_without_django() -> None:
    modules = mathcore_modules()
    assert "mathcore.topsis" in modules and "mathcore.kpis" in modules
    script = "; ".join([
        f"import {', '.join(modules)}",
        "import sys",
        "assert 'django' not in sys.modules, [m for m in sys.modules if 'django' in m]",
    ])
    done = subprocess.run([sys.executable, "-c", script], cwd=REPO_ROOT,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr

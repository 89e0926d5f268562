"""Package edges, read from every import in the source (function-local ones included).

The rules (docs/ARCHITECTURE.md draws them):
- ``mathcore`` imports the standard library and numpy only;
- ``common`` imports no other package of ours; nothing below ``config`` imports ``config``;
- ``accounts`` knows nothing of the areas that use it (market, realtime, workload …);
- ``market`` reaches ``accounts`` through its documented entry points only (``auth`` and
  ``selectors``), never its services or models;
- no cycles, between top-level packages nor between the modules inside one.
"""

from __future__ import annotations

import ast
import sys
from collections import defaultdict
from pathlib import Path

import pytest

from tests.conftest import REPO_ROOT

SKIP_DIRS = {"tests", "bench", "scripts", "docs", ".venv", "var", "migrations", "node_modules"}


def _packages() -> list[str]:
    return sorted(p.name for p in REPO_ROOT.iterdir()
                  if (p / "__init__.py").exists() and p.name not in SKIP_DIRS)


PACKAGES = _packages()


def _modules() -> dict[str, Path]:
    found = {}
    for package in PACKAGES:
        for path in (REPO_ROOT / package).rglob("*.py"):
            parts = path.relative_to(REPO_ROOT).with_suffix("").parts
            if SKIP_DIRS & set(parts):
                continue
            name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            found[name] = path
    return found


MODULES = _modules()


def _runtime_nodes(tree: ast.AST) -> list[ast.AST]:
    """Every node, except those under ``if TYPE_CHECKING:`` (annotations only, no edge)."""
    found: list[ast.AST] = []
    todo = [tree]
    while todo:
        node = todo.pop()
        found.append(node)
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            todo.extend(node.orelse)
            continue
        todo.extend(ast.iter_child_nodes(node))
    return found


def _imports(module: str, path: Path) -> set[str]:
    """Absolute names ``module`` imports at run time (relative imports resolved)."""
    names: set[str] = set()
    is_package = path.name == "__init__.py"
    for node in _runtime_nodes(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = module.split(".")
                keep = len(parts) - node.level + (1 if is_package else 0)
                base = ".".join([*parts[:keep], *([base] if base else [])])
            names.add(base)
            names.update(f"{base}.{alias.name}" for alias in node.names)
    return {n for n in names if n and n != "__future__"}


IMPORTS = {module: _imports(module, path) for module, path in MODULES.items()}


def _ours(name: str) -> str | None:
    """The module of ours ``name`` refers to (longest known prefix), or None."""
    parts = name.split(".")
    for end in range(len(parts), 0, -1):
        candidate = ".".join(parts[:end])
        if candidate in MODULES:
            return candidate
    return None


def _edges(level: int) -> dict[str, set[str]]:
    """Import edges between module groups named by their first ``level`` parts."""
    edges: dict[str, set[str]] = defaultdict(set)
    for module, names in IMPORTS.items():
        source = ".".join(module.split(".")[:level])
        for name in names:
            target = _ours(name)
            if target is not None:
                group = ".".join(target.split(".")[:level])
                if not _nested(group, source):  # a package and its own modules: no edge
                    edges[source].add(group)
    return edges


def _nested(a: str, b: str) -> bool:
    return a == b or a.startswith(b + ".") or b.startswith(a + ".")


def _cycle(edges: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(edges.get(node, ())):
            if state.get(nxt) == 1:
                return [*stack[stack.index(nxt):], nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        stack.pop()
        state[node] = 2
        return None

    for start in sorted(edges):
        if start not in state and (found := visit(start)):
            return found
    return None


def _importers_of(prefixes: tuple[str, ...], *, within: tuple[str, ...]) -> list[str]:
    return sorted(f"{module} imports {name}" for module, names in IMPORTS.items()
                  if module.split(".")[0] in within for name in names
                  if any(name == p or name.startswith(p + ".") for p in prefixes))


def test_the_source_is_read() -> None:
    assert {"mathcore", "market", "accounts", "common", "config"} <= set(PACKAGES)
    assert "market.query.search" in MODULES and "market.selectors" in IMPORTS["market.api"]


def test_mathcore_imports_only_numpy_and_the_standard_library() -> None:
    allowed = set(sys.stdlib_module_names) | {"numpy", "mathcore"}
    bad = sorted(f"{module} imports {name}" for module, names in IMPORTS.items()
                 if module.split(".")[0] == "mathcore" for name in names
                 if name.split(".")[0] not in allowed)
    assert bad == []


def test_common_imports_no_other_package_of_ours() -> None:
    others = tuple(p for p in PACKAGES if p != "common")
    assert _importers_of(others, within=("common",)) == []


def test_only_config_imports_config() -> None:
    below = tuple(p for p in PACKAGES if p != "config")
    assert _importers_of(("config",), within=below) == []


def test_accounts_knows_nothing_of_the_areas_that_use_it() -> None:
    users = tuple(p for p in PACKAGES if p not in {"accounts", "common", "mathcore"})
    assert _importers_of(users, within=("accounts",)) == []


def test_market_reaches_accounts_through_auth_and_selectors_only() -> None:
    imported = _importers_of(("accounts",), within=("market",))
    bad = [line for line in imported if not any(
        line.endswith(f" {ok}") or f" {ok}." in line
        for ok in ("accounts.auth", "accounts.selectors"))]
    assert bad == []


@pytest.mark.parametrize("level", [1, 2, 3])
def test_no_import_cycles(level: int) -> None:
    assert _cycle(_edges(level)) is None


def test_the_cycle_finder_finds_cycles() -> None:
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b", "c"}, "b": {"c"}}) is None

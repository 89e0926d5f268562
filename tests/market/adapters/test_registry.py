"""Every adapter module is registered once, under a ``-api`` name (style rule 8)."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import market.adapters
from market.adapters.base import ApiAdapter
from market.adapters.registry import PROVIDERS

# Helpers and the catalog reader, not live sources.
NOT_ADAPTERS = {"base", "registry", "catalog", "catalog_gcp", "errors", "http"}


def _adapter_modules() -> list[str]:
    return sorted(m.name for m in pkgutil.iter_modules(market.adapters.__path__)
                  if m.name not in NOT_ADAPTERS)


def _adapter_classes(module_name: str) -> list[type[ApiAdapter]]:
    module = importlib.import_module(f"market.adapters.{module_name}")
    return [cls for _, cls in inspect.getmembers(module, inspect.isclass)
            if issubclass(cls, ApiAdapter) and cls is not ApiAdapter
            and cls.__module__ == module.__name__]


def test_every_adapter_module_has_one_adapter_registered_exactly_once() -> None:
    registered = list(PROVIDERS.values())
    modules = _adapter_modules()
    assert modules, "no adapter modules found"
    for name in modules:
        (cls,) = _adapter_classes(name)
        assert registered.count(cls) == 1, f"{name}: {cls.__name__} not registered once"
        assert PROVIDERS[cls.NAME] is cls
    assert len(registered) == len(modules)


def test_names_end_in_api_and_adapters_say_how_they_are_reached() -> None:
    for name, cls in PROVIDERS.items():
        assert name.endswith("-api") and name == cls.NAME
        assert cls.kind == "api" and cls.BASE_URL.startswith("https://") and cls.TIMEOUT_S > 0
        assert not cls.KEY_REQUIRED or cls.KEY_ENV, f"{name} needs a key but names no variable"

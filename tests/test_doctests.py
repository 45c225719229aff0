"""Every docstring example in lifecat runs as a test, so a wrong example fails the suite."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import lifecat


def modules() -> list[str]:
    names = ["lifecat"]
    for info in pkgutil.walk_packages(lifecat.__path__, "lifecat."):
        if not info.name.endswith("__main__"):
            names.append(info.name)
    for sub in ("core", "graph", "mappings", "endpoint", "queries"):
        package = importlib.import_module(f"lifecat.{sub}")
        names += [info.name for info in pkgutil.walk_packages(package.__path__, f"lifecat.{sub}.")]
        names.append(package.__name__)
    return sorted(set(names))


@pytest.mark.parametrize("name", modules())
def test_docstring_examples(name: str) -> None:
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0, f"{result.failed} docstring example(s) failed in {name}"

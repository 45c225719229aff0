"""The format tests' fixture: build fixture sources into a real store."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from mapping_helpers import BASE, FIXTURES

from lifecat.core.config import Settings, SourceConfig
from lifecat.graph.build import SourceReport, build


@pytest.fixture
def built(tmp_path: Path) -> Callable[..., list[SourceReport]]:
    """Build fixture sources (``(format, path)`` pairs) into a real store under ``tmp_path``."""

    def run(*sources: tuple[str, str]) -> list[SourceReport]:
        settings = Settings(store=tmp_path / "store", base=BASE)
        configs = [SourceConfig(format=fmt, path=str(FIXTURES / path)) for fmt, path in sources]
        return build(settings, configs, progress=False, log=lambda _: None)

    return run

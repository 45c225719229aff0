"""Docs generated from code must match the code."""

from __future__ import annotations

from pathlib import Path

from lifecat.core.config import reference

DOCS = Path(__file__).parents[1] / "docs"


def test_configuration_reference_is_fresh() -> None:
    assert (DOCS / "configuration.md").read_text() == reference(), (
        "docs/configuration.md is stale: run `python -m lifecat.core.config > docs/configuration.md`"
    )

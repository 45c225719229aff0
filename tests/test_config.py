"""Configuration: lifecat.toml, LIFECAT_* variables over it, explicit values over both."""

from __future__ import annotations

from pathlib import Path

import pytest

from lifecat.core.config import Settings


def test_toml_then_environment_then_arguments(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "lifecat.toml").write_text(
        'base = "https://toml.example/"\nquery_timeout = 5\n'
        '[[sources]]\nformat = "bioregistry"\npath = "data/bioregistry.json"\nname = "br"\n'
    )
    settings = Settings()
    assert settings.base == "https://toml.example/"
    assert settings.sources[0].source_name == "br"
    monkeypatch.setenv("LIFECAT_QUERY_TIMEOUT", "7")
    assert Settings().query_timeout == 7
    assert Settings(query_timeout=2).query_timeout == 2


def test_invalid_base_is_refused() -> None:
    with pytest.raises(ValueError, match="http"):
        Settings(base="ftp://nope")

"""Settings: one place for every knob, from ``LIFECAT_*`` variables over an optional ``lifecat.toml``.

CLI options override both by being passed to :class:`Settings` as keyword arguments.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field, field_validator
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)


class SourceConfig(BaseModel):
    """One source to build: a registered format and where its files are."""

    format: str = Field(description="Name of a registered mapping (see `lifecat formats`).")
    path: str = Field(description="A file, a folder or a glob; empty for the format's embedded data.")
    name: str | None = Field(
        default=None, description="Source name used in the graph IRI; defaults to the format name."
    )

    @property
    def source_name(self) -> str:
        return self.name or self.format


DEFAULT_SOURCES = [SourceConfig(format="bioregistry", path="")]


class Settings(BaseSettings):
    """lifecat configuration.

    >>> Settings(base="http://example.org/lc").base
    'http://example.org/lc/'
    """

    model_config = SettingsConfigDict(env_prefix="LIFECAT_", toml_file="lifecat.toml", extra="ignore")

    base: str = Field(
        default="http://localhost:8000/", description="Base IRI under which records are minted."
    )
    store: Path = Field(
        default=Path("lifecat-data"), description="Directory holding the Oxigraph stores."
    )
    sources: list[SourceConfig] = Field(
        default_factory=lambda: list(DEFAULT_SOURCES), description="Sources built by `lifecat build`."
    )
    write_token: str | None = Field(
        default=None, description="Bearer token that authorises writes; writes are refused without it."
    )
    query_timeout: float = Field(default=30.0, gt=0, description="Per-query time limit in seconds.")
    max_rows: int = Field(default=100_000, gt=0, description="Cap on result rows per SPARQL query.")
    max_query_length: int = Field(default=100_000, gt=0, description="Cap on query text, in bytes.")
    page_size: int = Field(default=50, gt=0, description="Default page size of listings.")
    private_graphs: list[str] = Field(
        default_factory=list,
        description="IRI prefixes of graphs hidden from anonymous readers, besides the quarantine graphs.",
    )
    query_workers: int = Field(
        default=2, gt=0,
        description="Public SPARQL queries one server process runs at once (worker processes or threads).",
    )
    query_mode: Literal["workers", "inline"] = Field(
        default="workers",
        description="Where public queries run: 'workers' (killable worker processes, works anywhere) or "
        "'inline' (the server's threads, faster; needs `lifecat serve`, which replaces a server "
        "process whose query overran).",
    )
    federation: bool = Field(
        default=False, description="Allow SPARQL SERVICE calls from public queries to other endpoints."
    )

    @field_validator("base")
    @classmethod
    def _base_ends_with_slash(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError(f"base must be an http(s) IRI, got {value!r}")
        return value if value.endswith("/") else value + "/"

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        return (init_settings, env_settings, TomlConfigSettingsSource(settings_cls))

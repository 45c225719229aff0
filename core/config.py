"""Settings: one place for every knob, from ``LIFECAT_*`` variables over an optional ``lifecat.toml``.

CLI options override both by being passed to :class:`Settings` as keyword arguments.
"""

from __future__ import annotations

import ipaddress
import re
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field, SecretStr, field_validator
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
#: The largest CSV/TSV value read by default: far above any real cell, far below a runaway quote.
MAX_FIELD_SIZE = 16 * 1024 * 1024
#: The deepest nesting of a JSON record mapped by default (real records nest about ten levels).
MAX_DEPTH = 64
#: Hosts that bind every interface: a server there is linked to as ``localhost``.
WILDCARD_HOSTS = ("0.0.0.0", "::")


class Settings(BaseSettings):
    """lifecat configuration.

    >>> Settings(base="http://example.org/lc").base
    'http://example.org/lc/'
    """

    model_config = SettingsConfigDict(env_prefix="LIFECAT_", toml_file="lifecat.toml", extra="ignore")

    base: str = Field(
        default="http://localhost:8000/",
        description="Base IRI under which records are minted; recorded in the store, which is then served "
        "only under it. Unset: the store's recorded base, else (for `lifecat serve` on an empty store) the "
        "address it serves at.",
    )
    store: str = Field(
        default="lifecat-data",
        description="Where the graph lives: a folder (the embedded Oxigraph store, built there), or the "
        "http(s) URL of a remote SPARQL 1.1 store's query endpoint.",
    )
    store_update: str | None = Field(
        default=None, description="A remote store's SPARQL 1.1 Update endpoint; default: the `store` URL."
    )
    store_graph_store: str | None = Field(
        default=None,
        description="A remote store's Graph Store HTTP Protocol endpoint, used to load and read whole "
        "graphs; without it lifecat loads with SPARQL Update and reads with queries.",
    )
    store_auth: Literal["none", "basic", "digest", "bearer"] = Field(
        default="none", description="How lifecat authenticates to a remote store (for updates and reads)."
    )
    store_user: str | None = Field(default=None, description="User name for basic or digest authentication.")
    store_password: SecretStr | None = Field(
        default=None, description="Password for basic or digest authentication; set it in the environment."
    )
    store_token: SecretStr | None = Field(
        default=None, description="Bearer token for a remote store; set it in the environment."
    )
    artifacts: str = Field(
        default="lifecat-artifacts",
        description="With a remote store: the folder of the derived artifacts of each generation (search "
        "index, VoID, catalogue, dumps), written by builds and read by every front-end, so shared between "
        "machines. The embedded store keeps them in its own folder.",
    )
    sources: list[SourceConfig] = Field(
        default_factory=lambda: list(DEFAULT_SOURCES), description="Sources built by `lifecat build`."
    )
    max_field_size: int = Field(
        default=MAX_FIELD_SIZE, gt=0,
        description="Largest CSV/TSV value read, in characters; a record with a larger one is quarantined "
        "(a quote never closed is the usual cause).",
    )
    max_depth: int = Field(
        default=MAX_DEPTH, gt=0, le=200,
        description="Deepest nesting of a JSON record the build maps; a deeper record is quarantined.",
    )
    write_token: str | None = Field(
        default=None, description="Bearer token that authorises writes; writes are refused without it."
    )
    query_timeout: float = Field(default=30.0, gt=0, description="Per-query time limit in seconds.")
    max_rows: int = Field(default=100_000, gt=0, description="Cap on result rows per SPARQL query.")
    max_query_length: int = Field(default=100_000, gt=0, description="Cap on query text, in bytes.")
    page_size: int = Field(default=50, gt=0, description="Default page size of listings.")
    sitemap_size: int = Field(
        default=50_000, gt=0, le=50_000,
        description="URLs per sitemap file; past it /sitemap.xml becomes a sitemap index.",
    )
    catalog_page_size: int = Field(
        default=100, gt=0, le=10_000, description="Datasets per page of the harvestable /catalog."
    )
    catalog_title: str = Field(default="lifecat", description="Title of the DCAT catalogue.")
    catalog_description: str = Field(
        default="Life-science resource metadata (registries, datasets, tools, samples, trials and "
        "publications) as one FAIR knowledge graph.",
        description="Description of the DCAT catalogue.",
    )
    catalog_publisher: str = Field(default="lifecat", description="Name of the catalogue's publisher.")
    catalog_publisher_iri: str | None = Field(
        default=None, description="IRI of the catalogue's publisher; default `{base}catalog#publisher`."
    )
    catalog_publisher_type: str | None = Field(
        default="Academia-ScientificOrganisation",
        description="ADMS publisher type of the publisher (http://purl.org/adms/publishertype/…).",
    )
    catalog_contact: str | None = Field(
        default=None, description="A URL (or mailto:) where people reach the catalogue's maintainers."
    )
    catalog_licence: str = Field(
        default="http://spdx.org/licenses/CC0-1.0",
        description="Licence IRI of the catalogue's own metadata; set it to match the sources' terms.",
    )
    catalog_homepage: str | None = Field(
        default=None, description="Homepage of the catalogue; default the base IRI."
    )
    catalog_languages: list[str] = Field(
        default_factory=lambda: ["ENG"],
        description="Languages of the catalogue, as EU language authority codes (ENG, FRA, …).",
    )
    catalog_themes: list[str] = Field(
        default_factory=lambda: ["TECH"],
        description="EU data themes (AGRI, HEAL, TECH, …) of the catalogue and of every dataset in it.",
    )
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
    client_queries: int = Field(
        default=1, gt=0,
        description="Long-running (heavy) public SPARQL queries one client, by address, runs at once in one "
        "server process; while it has that many, its other queries wait their turn, so one client cannot "
        "take every query slot.",
    )
    query_memory: int = Field(
        default=4096, gt=0,
        description="Memory, in MB, a server process (or query worker) may reach while running public "
        "queries: a query worker past it is stopped; a server process running queries inline stops its "
        "long queries at two thirds of it (answered 503) and restarts in turn, and exits at once past "
        "all of it.",
    )
    federation: bool = Field(
        default=False, description="Allow SPARQL SERVICE calls from public queries to other endpoints."
    )
    validate_max_bytes: int = Field(
        default=2_000_000, gt=0,
        description="Largest document `/validate` checks, in bytes: pasted, uploaded or fetched (unzipped).",
    )
    validate_timeout: float = Field(
        default=20.0, gt=0,
        description="Time limit of one `/validate` check in seconds, fetching included; past it the check "
        "is stopped and answered 503.",
    )
    validate_workers: int = Field(
        default=1, gt=0,
        description="Checks one server process runs at once for `/validate`, each in a worker process that "
        "is stopped when its time is up; more at once are answered 503.",
    )
    validate_fetch: bool = Field(
        default=False,
        description="Let `/validate` fetch a URL a visitor gives. Off by default: a public server should not "
        "fetch for anonymous visitors unless its operator wants it to. Even on, only public addresses are "
        "fetched (never loopback, private or link-local ones, redirects included) unless listed in "
        "`validate_fetch_networks`.",
    )
    validate_fetch_networks: list[str] = Field(
        default_factory=list,
        description="Networks (CIDR, e.g. 10.1.0.0/16) `/validate` may fetch from although they are not "
        "public, for a deployment that checks an intranet's pages.",
    )

    @property
    def base_configured(self) -> bool:
        """Whether the base was set (environment, ``lifecat.toml`` or an option) rather than defaulted.

        >>> Settings(base="http://example.org/").base_configured
        True
        """
        return "base" in self.model_fields_set

    @property
    def remote(self) -> bool:
        """Whether ``store`` names a remote SPARQL store rather than a folder."""
        return self.store.startswith(("http://", "https://"))

    @property
    def store_path(self) -> Path:
        """The embedded store's folder."""
        return Path(self.store)

    @field_validator("store", "store_update", "store_graph_store", "artifacts", mode="before")
    @classmethod
    def _text(cls, value: object) -> object:
        return str(value) if isinstance(value, Path) else value

    @field_validator("validate_fetch_networks")
    @classmethod
    def _networks(cls, value: list[str]) -> list[str]:
        """Each a network in CIDR notation (``10.1.0.0/16``, ``fd00::/8``), host bits zero."""
        for network in value:
            try:
                ipaddress.ip_network(network)
            except ValueError as error:
                raise ValueError(f"validate_fetch_networks: {error}") from None
        return value

    @field_validator("base")
    @classmethod
    def _base_ends_with_slash(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError(f"base must be an http(s) IRI, got {value!r}")
        return value if value.endswith("/") else value + "/"

    @field_validator("catalog_languages", "catalog_themes")
    @classmethod
    def _authority_codes(cls, values: list[str]) -> list[str]:
        bad = [v for v in values if not re.fullmatch(r"[A-Z]{3,4}", v)]
        if bad:
            raise ValueError(f"expected EU authority codes such as ENG or TECH, got {bad}")
        return values

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


def address_base(host: str, port: int) -> str:
    """The base IRI of a server listening on ``host``:``port``; a wildcard host (every interface) is no
    address to link to, so ``localhost`` stands for it.

    >>> address_base("127.0.0.1", 9000), address_base("0.0.0.0", 80), address_base("::1", 8000)
    ('http://127.0.0.1:9000/', 'http://localhost:80/', 'http://[::1]:8000/')
    """
    if host in WILDCARD_HOSTS:
        host = "localhost"
    return f"http://[{host}]:{port}/" if ":" in host else f"http://{host}:{port}/"


def reference() -> str:
    """The configuration reference in Markdown (``docs/configuration.md`` is this text).

    >>> "LIFECAT_BASE" in reference()
    True
    """
    lines = [
        "# Configuration",
        "",
        "Settings come from `LIFECAT_*` environment variables over an optional `lifecat.toml` in the",
        "working directory; command-line options override both. This page is generated from",
        "`lifecat.core.config.Settings`: regenerate it with",
        "`python -m lifecat.core.config > docs/configuration.md`.",
        "",
        "| setting | environment variable | default | meaning |",
        "|---|---|---|---|",
    ]
    for name, field in Settings.model_fields.items():
        default = field.default_factory() if field.default_factory else field.default  # type: ignore[call-arg]
        if isinstance(default, list):
            default = [s.model_dump(exclude_none=True) if isinstance(s, BaseModel) else s for s in default]
        lines.append(f"| `{name}` | `LIFECAT_{name.upper()}` | `{default}` | {field.description} |")
    lines += [
        "",
        "A source entry (`[[sources]]` in `lifecat.toml`, or `--source FORMAT:PATH` on the command line):",
        "",
        "| field | meaning |",
        "|---|---|",
    ]
    lines += [f"| `{name}` | {field.description} |" for name, field in SourceConfig.model_fields.items()]
    lines += [
        "",
        "## The base IRI",
        "",
        "Every record, graph and link IRI starts with the base, and every build records it in the store",
        "(`lifecat:baseIRI` in the meta graph's generation marker, on an embedded or a remote store alike);",
        "`lifecat build` prints the base it mints under. The base is then chosen and checked so:",
        "",
        "- **Configured** (`LIFECAT_BASE`, `lifecat.toml` or `--base`): it must be the store's.",
        "  `lifecat serve` and `lifecat query` on a store built under another base refuse to run, naming",
        "  the store's base: serve with `--base <that>`, or rebuild with `lifecat build --base <new>`. That",
        "  build (no `--source`) rebuilds every configured source and replaces every graph of the old base",
        "  in the same swap, so a store never holds two bases; a build naming only some sources (`--source`)",
        "  under another base is refused, the store unchanged.",
        "- **Not configured**: the store's recorded base. On an empty store, `lifecat serve --host H",
        "  --port P` builds under `http://H:P/` (`http://127.0.0.1:8000/` by default; `localhost` stands",
        "  for `0.0.0.0` and `::`, which are no address to link to), so its links work where it serves;",
        "  `lifecat build` builds under the default above. Serving a store whose base is another address",
        "  than the one served at says so, and how to rebuild it for this one.",
        "- A store built by a lifecat that did not record its base has it read off its meta graph's IRI",
        "  (`{base}graph/meta`), which `lifecat serve` and `lifecat build` say; its next build records it.",
    ]
    lines += [
        "",
        "Example `lifecat.toml`:",
        "",
        "```toml",
        'base = "https://lifecat.example.org/"',
        'store = "/var/lib/lifecat"',
        "query_timeout = 10",
        "",
        "[[sources]]",
        'format = "bioregistry"',
        'path = ""',
        "```",
    ]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(reference(), end="")

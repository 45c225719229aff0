"""Fixtures of the record page tests: a sample record of every kind in the default build, and the demo
store (``tests/utils/demo_store.py``) built into a real store with its derived artifacts."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from lifecat.core.config import Settings
from lifecat.endpoint.app import create_app
from lifecat.endpoint.repository import Repository
from lifecat.graph.derive import DeriveContext, derive_all
from lifecat.graph.store import GraphStore
from tests.utils.demo_store import DEMO, DEMO_BASE, demo_quads

KINDS_QUERY = """
SELECT ?kind (MIN(STR(?s)) AS ?uri) WHERE {
  ?s a ?type .
  FILTER (STRSTARTS(STR(?s), "http://lifecat.test/id/") && !CONTAINS(STR(?s), "#"))
  BIND (STRBEFORE(STRAFTER(STR(?s), "http://lifecat.test/id/"), "/") AS ?kind)
} GROUP BY ?kind
"""


@pytest.fixture(scope="session")
def kinds(settings: Settings) -> dict[str, str]:
    """One record IRI of every kind in the default build."""
    repo = Repository.open(settings)
    return {row["kind"].value: row["uri"].value for row in repo.run(KINDS_QUERY).solutions()}


@pytest.fixture(scope="session")
def demo_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """The demo graph in a real store, its derived artifacts written as a build writes them."""
    settings = Settings(store=tmp_path_factory.mktemp("demo-store"), base=DEMO_BASE)
    GraphStore(settings.store).replace_graphs(
        lambda _: False, demo_quads(),
        before_swap=lambda store, folder: derive_all(DeriveContext(store, Path(folder), settings, DEMO)),
    )
    return settings


@pytest.fixture(scope="session")
def demo_client(demo_settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(demo_settings)) as client:
        yield client

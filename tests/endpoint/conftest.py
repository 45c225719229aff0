"""Fixtures of the record page tests: a sample record of every kind in the default build, and the demo
store (``tests/utils/demo_store.py``) built into a real store with its derived artifacts."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack

import pytest
from fastapi.testclient import TestClient

from lifecat.core.config import Settings
from lifecat.endpoint.app import create_app
from lifecat.graph.store import Store
from tests.utils.demo_store import DEMO_BASE, demo_quads
from tests.utils.stores import store_settings, write_graphs

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
    rows = Store.open(settings).query(KINDS_QUERY).solutions()
    return {row["kind"].value: row["uri"].value for row in rows}


@pytest.fixture(scope="session")
def demo_settings(backend: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Settings]:
    """The demo graph in a real store of each backend, its derived artifacts written as a build
    writes them."""
    with ExitStack() as stack:
        settings = store_settings(backend, tmp_path_factory.mktemp(f"demo-{backend}"), stack, base=DEMO_BASE)
        write_graphs(settings, list(demo_quads()))
        yield settings


@pytest.fixture(scope="session")
def demo_client(demo_settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(demo_settings)) as client:
        yield client

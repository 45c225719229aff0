"""A graph configured as private stays out of everything built from the store, not only /sparql."""

from __future__ import annotations

import gzip
from collections.abc import Callable
from pathlib import Path

from fastapi.testclient import TestClient

from lifecat.core.config import Settings, SourceConfig
from lifecat.endpoint.app import create_app
from lifecat.graph.build import build
from lifecat.graph.dumps import read_manifest
from lifecat.graph.store import Store

FIXTURES = Path(__file__).parents[1] / "fixtures" / "bioregistry"
BASE = "http://lifecat.test/"
SECRET = f"{BASE}graph/secret"


def test_configured_private_graph_is_in_no_derived_artifact(new_store: Callable[..., Settings]) -> None:
    settings = new_store(base=BASE, private_graphs=[SECRET], sources=[
        SourceConfig(format="bioregistry", path=str(FIXTURES), name="open"),
        SourceConfig(format="bioregistry", path=str(FIXTURES), name="secret"),
    ])
    build(settings, progress=False, log=lambda _: None)
    folder = Store.open(settings).artifacts()
    dumps = read_manifest(folder)
    assert not any(SECRET in dump.graphs for dump in dumps)
    everything = next(d for d in dumps if d.name == "all")
    with gzip.open(folder / "dumps" / everything.file, "rt") as dump:
        assert not any(line.rstrip().endswith(f"<{SECRET}> .") for line in dump)  # no quad in it
    assert SECRET not in (folder / "void.nt").read_text()
    with TestClient(create_app(settings)) as client:
        facets = client.get("/search", params={"q": "good"}, headers={"Accept": "application/json"}).json()
        assert {f["value"] for f in facets["facets"]["source"]} == {"open"}
        assert SECRET not in client.get("/catalog/all", headers={"Accept": "application/n-triples"}).text

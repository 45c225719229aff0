"""?modified_since: only what changed since then, because unchanged records keep their dates."""

from __future__ import annotations

import shutil
from collections.abc import Callable

from fastapi.testclient import TestClient
from pyoxigraph import NamedNode, RdfFormat, parse

from lifecat.core.config import Settings
from lifecat.core.vocab import DCAT, DCT, FOAF, HYDRA
from lifecat.endpoint.app import create_app
from lifecat.graph.store import Store
from tests.utils.dates import until_after


def listed(client: TestClient, base: str, query: str = "") -> dict[str, tuple[str, str]]:
    """``dataset → (issued, modified)`` of its catalogue record, over every page of ``/catalog?{query}``."""
    found: dict[str, tuple[str, str]] = {}
    url = f"/catalog?{query}"
    while url:
        response = client.get(url, headers={"Accept": "application/n-triples"})
        assert response.status_code == 200, response.text
        triples = [q.triple for q in parse(response.content, format=RdfFormat.N_TRIPLES)]

        def value(s: NamedNode, p: NamedNode, triples: list = triples) -> NamedNode:
            [v] = [t.object for t in triples if t.subject == s and t.predicate == p]
            return v

        datasets = {t.object for t in triples if t.subject == NamedNode(f"{base}catalog")
                    and t.predicate == DCAT.dataset}
        for t in triples:
            if t.subject == NamedNode(f"{base}catalog") and t.predicate == DCAT.record:
                dataset = value(t.object, FOAF.primaryTopic)
                assert dataset in datasets
                found[dataset.value] = (value(t.object, DCT.issued).value,
                                        value(t.object, DCT.modified).value)
        assert len(found) == len(datasets)
        link = response.links.get("next")
        url = "/" + link["url"].removeprefix(base) if link else ""
    return found


def test_modified_since_lists_only_what_changed(build_tiny: Callable[..., Settings],
                                                tiny_resource: Callable[..., dict]) -> None:
    alpha = {"go": tiny_resource("Gene Ontology"), "so": tiny_resource("Sequence Ontology")}
    beta = {"chebi": tiny_resource("ChEBI")}
    settings = build_tiny({"alpha": alpha, "beta": beta})
    base = settings.base
    with TestClient(create_app(settings)) as client:
        before = listed(client, base)
    assert len(before) == 3 + 3  # the records, the whole graph and the two source graphs
    until_after(max(modified for _, modified in before.values()))
    beta["chebi"]["keywords"] = ["chemistry"]
    settings = build_tiny({"alpha": alpha, "beta": beta})
    with TestClient(create_app(settings)) as client:
        after = listed(client, base)
        changed = max(modified for _, modified in after.values())
        assert changed > max(modified for _, modified in before.values())
        delta = listed(client, base, f"modified_since={changed}")
        assert set(delta) == {f"{base}id/catalog/chebi", f"{base}void#source-beta",
                              f"{base}void#dataset"}  # the whole graph changes with every load
        assert listed(client, base, "modified_since=2000-01-01") == after
        future = client.get("/catalog?modified_since=2999-01-01", headers={"Accept": "text/turtle"})
        triples = [q.triple for q in parse(future.content, format=RdfFormat.TURTLE)]
        assert not [t for t in triples if t.predicate == DCAT.dataset]
        assert [t.object.value for t in triples if t.predicate == HYDRA.totalItems] == ["0", "0"]
        assert "next" not in future.links
        assert client.get("/catalog?modified_since=2999-01-01&page=2").status_code == 404
    for record in ("go", "so"):  # unchanged: same dates as before
        assert after[f"{base}id/catalog/{record}"] == before[f"{base}id/catalog/{record}"]
    chebi = f"{base}id/catalog/chebi"
    assert after[chebi][0] == before[chebi][0] and after[chebi][1] > before[chebi][1]


def test_filtered_paging_links_keep_the_filter(client: TestClient, settings: Settings) -> None:
    response = client.get("/catalog?modified_since=2000-01-01T01:00:00%2B01:00")
    assert response.status_code == 200
    expected = f"{settings.base}catalog?modified_since=2000-01-01T00:00:00Z&page=2"
    assert response.links["next"]["url"] == expected


def test_a_store_built_without_the_artifacts_says_to_rebuild(build_tiny: Callable[..., Settings],
                                                             tiny_resource: Callable[..., dict]) -> None:
    settings = build_tiny({"alpha": {"go": tiny_resource("Gene Ontology")}})
    folder = Store.open(settings).artifacts()
    shutil.rmtree(folder / "catalog")
    shutil.rmtree(folder / "dumps")
    (folder / "void.nt").unlink()
    with TestClient(create_app(settings)) as client:
        for path in ("/catalog", "/catalog/all", "/void", "/dumps/", "/dumps/all.nq.gz"):
            response = client.get(path)
            assert response.status_code == 503 and "lifecat build" in response.text, path

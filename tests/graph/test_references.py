"""Minimal records: every ``{base}id/`` IRI a build leaves in the public graphs is described, by a source
or by the references graph; a source's own record always wins over a minimal one."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from pyoxigraph import NamedNode

from lifecat.core.config import Settings, SourceConfig
from lifecat.core.uris import Minter
from lifecat.core.vocab import DCT, LIFECAT, RDF, SCHEMA
from lifecat.endpoint.app import create_app
from lifecat.graph.build import build
from lifecat.graph.store import Store
from tests.utils.stores import raw_query

FIXTURES = Path(__file__).parents[1] / "fixtures"
BASE = "http://lifecat.test/"
MINT = Minter(BASE)
REFERENCES = f"{BASE}graph/references"
#: ``{base}id/`` objects of the public graphs that no public graph states anything about.
UNDESCRIBED = f"""
SELECT DISTINCT ?node WHERE {{
  ?s ?p ?node .
  FILTER (isIRI(?node) && STRSTARTS(STR(?node), "{BASE}id/") && !CONTAINS(STR(?node), "#"))
  FILTER NOT EXISTS {{ ?node ?q ?v }}
}}"""
#: Minimal records that a source graph describes as well.
DOUBLED = f"""
SELECT DISTINCT ?node WHERE {{
  GRAPH <{REFERENCES}> {{ ?node ?p ?o }}
  GRAPH ?g {{ ?node ?q ?v }}
  FILTER (?g != <{REFERENCES}> && STRSTARTS(STR(?g), "{BASE}graph/") && ?g != <{BASE}graph/meta>)
}}"""
SOURCES = [("bioregistry", "identity/bioregistry"), ("biotools", "biotools"), ("bioschemas", "bioschemas"),
           ("ctgov", "ctgov"), ("preprints", "preprints"), ("ror", "ror")]


@pytest.fixture
def fixtures_build(new_store: Callable[..., Settings]) -> Settings:
    settings = new_store(base=BASE)
    build(settings, [SourceConfig(format=f, path=str(FIXTURES / p)) for f, p in SOURCES],
          progress=False, log=lambda _: None)
    return settings


def minimal(store: Store, node: str) -> dict[str, set[str]]:
    """The statements of ``node`` in the references graph, by predicate."""
    rows = store.query(f"SELECT ?p ?o FROM <{REFERENCES}> WHERE {{ <{node}> ?p ?o }}").solutions()
    found: dict[str, set[str]] = {}
    for row in rows:
        found.setdefault(row["p"].value, set()).add(row["o"].value)
    return found


def test_every_referenced_node_is_described(fixtures_build: Settings) -> None:
    store = Store.open(fixtures_build)
    assert NamedNode(REFERENCES) in store.public_graphs()
    assert [row["node"].value for row in store.query(UNDESCRIBED).solutions()] == []
    assert [row["node"].value for row in store.query(DOUBLED).solutions()] == []
    nodes = {row["s"].value for row in store.query(
        f"SELECT DISTINCT ?s FROM <{REFERENCES}> WHERE {{ ?s ?p ?o }}").solutions()}
    assert nodes
    for node in nodes:
        statements = minimal(store, node)
        assert statements[DCT.conformsTo.value] == {LIFECAT.MinimalRecord.value}, node
        assert len(statements[RDF.type.value]) == 1, node
        assert statements[SCHEMA.identifier.value] and statements[SCHEMA.name.value], node


def test_a_minimal_record_names_its_identifier_and_resolver(build_tiny: Callable[..., Settings],
                                                            tiny_resource: Callable[..., dict[str, object]]
                                                            ) -> None:
    settings = build_tiny({"one": {"one": tiny_resource(
        "One", part_of="elsewhere", publications=[{"pmc": "PMC6323947", "doi": "10.1000/one",
                                                   "title": "The One paper"}])}})
    store = Store.open(settings)
    catalog = minimal(store, MINT.record("catalog", "elsewhere").value)
    assert catalog[RDF.type.value] == {SCHEMA.DataCatalog.value}
    assert catalog[SCHEMA.identifier.value] == {"elsewhere"}
    assert catalog[SCHEMA.url.value] == {"https://bioregistry.io/elsewhere"}
    article = minimal(store, MINT.record("article", "pmc:PMC6323947").value)
    assert article[RDF.type.value] == {SCHEMA.ScholarlyArticle.value}
    assert article[SCHEMA.identifier.value] == {"pmc:PMC6323947"}
    assert article[SCHEMA.sameAs.value] == {"https://www.ncbi.nlm.nih.gov/pmc/articles/PMC6323947"}
    assert article[SCHEMA.name.value] == {"The One paper"}  # the name of the record same as it
    with TestClient(create_app(settings)) as client:
        page = client.get("/id/article/pmc:PMC6323947", headers={"Accept": "text/turtle"})
    assert page.status_code == 200
    assert "MinimalRecord" in page.text


def test_records_win_and_kept_sources_count(build_tiny: Callable[..., Settings],
                                            tiny_resource: Callable[..., dict[str, object]]) -> None:
    build_tiny({"one": {"one": tiny_resource("One", part_of="two")},
                "three": {"three": tiny_resource("Three", part_of="four")}})
    two, four = MINT.record("catalog", "two").value, MINT.record("catalog", "four").value
    settings = build_tiny({"two": {"two": tiny_resource("Two")}})  # only this source is rebuilt
    store = Store.open(settings)
    assert minimal(store, two) == {}  # described by its own source now
    assert minimal(store, four)[DCT.conformsTo.value] == {LIFECAT.MinimalRecord.value}  # kept source
    names = raw_query(settings, f"SELECT ?g WHERE {{ GRAPH ?g {{ <{two}> <{SCHEMA.name.value}> ?n }} }}")
    assert [row["g"].value for row in names.solutions()] == [f"{BASE}graph/two"]

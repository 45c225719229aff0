"""Cross-source identity: every fixture source built together; the same identifier is the same node."""

from __future__ import annotations

from pathlib import Path

import pytest
import rdflib
from cross_source import by_scheme, graphs_of, joined
from fastapi.testclient import TestClient
from pyoxigraph import Store

from lifecat.core.config import Settings, SourceConfig
from lifecat.core.uris import Minter
from lifecat.core.vocab import OWL, SCHEMA
from lifecat.endpoint.app import create_app
from lifecat.graph.build import SourceReport, build
from tests.utils.stores import copy_of

FIXTURES = Path(__file__).parent / "fixtures"
BASE = "http://lifecat.test/"
MINT = Minter(BASE)
SOURCES = [("bioregistry", "identity/bioregistry"), ("biotools", "biotools"), ("bioschemas", "bioschemas"),
           ("nextstrain", "nextstrain"), ("ena-runs", "ena-runs"), ("ctgov", "ctgov"), ("ictrp", "ictrp"),
           ("preprints", "preprints"), ("ror", "ror")]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Settings, list[SourceReport]]:
    settings = Settings(store=tmp_path_factory.mktemp("identity"), base=BASE)
    reports = build(settings, [SourceConfig(format=f, path=str(FIXTURES / p)) for f, p in SOURCES],
                    progress=False, log=lambda _: None)
    return settings, reports


@pytest.fixture(scope="module")
def graph(built: tuple[Settings, list[SourceReport]]) -> tuple[Store, list[SourceReport]]:
    settings, reports = built
    return copy_of(settings), reports


@pytest.mark.parametrize(("kind", "key", "sources"), [
    ("tool", "seqtwin", {"biotools", "bioschemas", "bioregistry"}),
    ("tool", "covtrace", {"biotools", "bioschemas"}),
    ("article", "10.1101/2020.03.15.000001", {"bioregistry", "biotools", "bioschemas", "preprints"}),
    ("article", "10.1101/2020.04.01.000002", {"biotools", "preprints"}),
    ("article", "pubmed:32000001", {"bioregistry", "biotools", "bioschemas"}),
    ("person", "0000-0002-1825-0097", {"bioregistry", "biotools", "bioschemas"}),
    ("organization", "02catss52", {"bioregistry", "bioschemas", "ror"}),
    ("trial", "NCT04000002", {"ctgov", "ictrp"}),
    ("trial", "EUCTR2020-001052-18", {"ctgov", "ictrp"}),
    ("trial", "ChiCTR2000030001", {"ctgov", "ictrp"}),
    ("trial", "NCT04000006", {"ctgov", "ictrp"}),
    ("dataset", "SRR11000001", {"ena-runs", "bioschemas"}),
])
def test_one_node_per_identifier(graph, kind: str, key: str, sources: set[str]) -> None:
    store, _ = graph
    assert graphs_of(store, MINT.record(kind, key), BASE) == sources


def test_statements_stay_attributable(graph) -> None:
    store, _ = graph
    tool = MINT.record("tool", "seqtwin")
    for source in ("biotools", "bioschemas"):
        names = {q.object.value for q in store.quads_for_pattern(tool, SCHEMA.name, None, MINT.graph(source))}
        assert names == {"SeqTwin"}
    # the Bioregistry resource says it is the bio.tools tool; the statement is the Bioregistry's
    catalog = MINT.record("catalog", "seqtwindb")
    (statement,) = store.quads_for_pattern(catalog, OWL.sameAs, tool, None)
    assert statement.graph_name == MINT.graph("bioregistry")


def test_link_counts_by_identifier_scheme(graph) -> None:
    store, _ = graph
    assert by_scheme(joined(store, BASE), BASE) == {
        "biotools": 2, "doi": 2, "pubmed": 2, "orcid": 1, "ror": 1, "trial": 4, "run": 1}


def test_every_fixture_source_loads(graph) -> None:
    _, reports = graph
    # biotools' nodescription loads: a missing description is a warning, not a quarantine
    assert {r.name: r.loaded for r in reports} == {
        "bioregistry": 1, "biotools": 4, "bioschemas": 3, "nextstrain": 5, "ena-runs": 4, "ctgov": 8,
        "ictrp": 5, "preprints": 5, "ror": 5}


def test_record_page_shows_links_across_kinds(built) -> None:
    settings, _ = built
    with TestClient(create_app(settings)) as client:
        response = client.get("/id/tool/seqtwin", headers={"Accept": "text/turtle"})
    assert response.status_code == 200
    page = rdflib.Graph().parse(data=response.text, format="turtle")
    tool = rdflib.URIRef(f"{BASE}id/tool/seqtwin")
    schema = rdflib.Namespace("http://schema.org/")
    cited = {str(o) for o in page.objects(tool, schema.citation)}
    assert f"{BASE}id/article/10.1101/2020.03.15.000001" in cited  # from bio.tools and the markup
    assert f"{BASE}id/article/pubmed:32000001" in cited  # the markup's pubmed: CURIE
    assert f"{BASE}id/person/0000-0002-1825-0097" in {str(o) for o in page.objects(tool, schema.author)}
    assert {str(o) for o in page.objects(tool, schema.sameAs)} >= {
        "https://bio.tools/seqtwin", "https://bio.tools/SeqTwin"}  # bio.tools' id, the markup's @id

"""The whole catalogue validates against the official DCAT-AP 3.0.1 SHACL shapes with 0 violations.

The shapes come from ``../shared/conformance/dcat-ap-3.0.1`` beside the repository: ``shapes.ttl``
(mandatory properties, cardinalities, node kinds) and ``range.ttl`` (the classes of property values,
which is why the catalogue types every licence, agent, media type and concept it mentions).
"""

from __future__ import annotations

from pathlib import Path

import pyshacl
import pytest
import rdflib
from fastapi.testclient import TestClient

CONFORMANCE = Path(__file__).resolve().parents[2] / "../shared/conformance/dcat-ap-3.0.1"
SH = rdflib.Namespace("http://www.w3.org/ns/shacl#")


@pytest.fixture(scope="module")
def shapes() -> rdflib.Graph:
    if not (CONFORMANCE / "shapes.ttl").is_file():
        pytest.skip(f"the DCAT-AP 3.0.1 shapes are not at {CONFORMANCE} (../shared beside the clone)")
    graph = rdflib.Graph()
    for name in ("shapes.ttl", "range.ttl"):
        graph.parse(CONFORMANCE / name, format="turtle")
    return graph


def violations(data: rdflib.Graph, shapes: rdflib.Graph) -> list[str]:
    """Each violation as focus node, path and message."""
    _, report, _ = pyshacl.validate(data, shacl_graph=shapes, inference="none", advanced=False)
    return sorted(
        " ".join(str(report.value(r, p)) for p in (SH.focusNode, SH.resultPath, SH.resultMessage))
        for r in report.subjects(rdflib.RDF.type, SH.ValidationResult)
        if report.value(r, SH.resultSeverity) == SH.Violation)


def test_the_whole_catalogue_has_no_dcat_ap_violations(client: TestClient, shapes: rdflib.Graph,
                                                       backend: str) -> None:
    if backend != "embedded":
        pytest.skip("the same derivers write the catalogue on every store (half a minute of pyshacl): the "
                    "whole of it is checked on the embedded store, a page of it on every store")
    response = client.get("/catalog/all", headers={"Accept": "application/n-triples"})
    data = rdflib.Graph().parse(data=response.text, format="nt")
    assert len(data) > 100_000
    assert violations(data, shapes) == []


def test_a_single_page_validates_on_its_own(client: TestClient, shapes: rdflib.Graph) -> None:
    response = client.get("/catalog?page=3", headers={"Accept": "text/turtle"})
    data = rdflib.Graph().parse(data=response.text, format="turtle")
    assert violations(data, shapes) == []

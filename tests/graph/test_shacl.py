"""Compiled SHACL gives pyshacl's results, record by record; unsupported SHACL is refused."""

from __future__ import annotations

from pathlib import Path

import pyshacl
import pytest
import rdflib
from pyoxigraph import Quad, Store

from lifecat.core.uris import Minter
from lifecat.graph.build import staging_graph
from lifecat.graph.shacl import CompiledShapes, load_shapes
from lifecat.mappings import get_format

FIXTURES = Path(__file__).parents[1] / "fixtures" / "bioregistry"
SH = rdflib.Namespace("http://www.w3.org/ns/shacl#")


def records(path: Path | None, limit: int) -> list[list[rdflib.term.Node]]:
    fmt, mint = get_format("bioregistry"), Minter("http://lifecat.test/")
    out = []
    for item in fmt.read(path):
        try:
            out.append(fmt.to_rdf(item.data, mint).triples)
        except ValueError:
            continue
        if len(out) >= limit:
            break
    return out


def pyshacl_results(triples: list, shapes: rdflib.Graph) -> set[tuple[str, str, str, str]]:
    graph = rdflib.Graph()
    graph.parse(data="\n".join(f"{t} ." for t in triples), format="nt")
    _, report, _ = pyshacl.validate(graph, shacl_graph=shapes)
    return {
        (str(report.value(r, SH.focusNode)), str(report.value(r, SH.resultPath)),
         str(report.value(r, SH.sourceConstraintComponent)).rsplit("#")[-1],
         str(report.value(r, SH.resultSeverity)).rsplit("#")[-1])
        for r in report.subjects(SH.focusNode, None)
    }


@pytest.mark.parametrize("path, limit", [(FIXTURES, 100), (None, 400)], ids=["fixture", "default"])
def test_compiled_results_equal_pyshacl(path: Path | None, limit: int) -> None:
    shapes = load_shapes()
    compiled = CompiledShapes(shapes)
    batch = records(path, limit)
    staging = Store()
    for n, triples in enumerate(batch):
        staging.extend(Quad(t.subject, t.predicate, t.object, staging_graph(n)) for t in triples)
    ours: dict[int, set[tuple[str, str, str, str]]] = {n: set() for n in range(len(batch))}
    for r in compiled.validate(staging):
        component = r.component[0].upper() + r.component[1:] + "ConstraintComponent"
        ours[int(r.graph.value.rsplit(":", 1)[1])].add(
            (r.focus.value, r.path.value, component, r.severity.value.rsplit("#")[-1]))
    for n, triples in enumerate(batch):
        assert ours[n] == pyshacl_results(triples, shapes), f"record {n}"
    assert any(ours.values()), "the sample should exercise at least one constraint"


def test_unsupported_shacl_is_refused() -> None:
    shapes = rdflib.Graph().parse(data="""
        @prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <http://ex/> .
        ex:S a sh:NodeShape ; sh:targetClass ex:C ;
            sh:property [ sh:path ex:p ; sh:qualifiedMinCount 1 ] .""", format="turtle")
    with pytest.raises(ValueError, match="qualifiedMinCount"):
        CompiledShapes(shapes)

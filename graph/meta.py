"""The meta graph: what lifecat says about itself (ontology, shapes) and about each source's loads.

Who owns which meta quads decides what a build replaces: quads about a rebuilt source's reports are
replaced, its earlier loads are kept as history, each record's ``prov:wasGeneratedBy`` follows its
source's latest load, and lifecat's own statements (catalogue, VoID) are rewritten each time.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from importlib.resources import files
from pathlib import Path

from pyoxigraph import BlankNode, Literal, NamedNode, Quad, RdfFormat, parse

from lifecat import queries
from lifecat.core.uris import Minter
from lifecat.core.vocab import PROV, RDF, RDFS, SCHEMA, SH
from lifecat.graph.shacl import shape_files

#: The SHACL executable class and text property of each example query form.
EXECUTABLES = {"select": (SH.SPARQLSelectExecutable, SH.select),
               "construct": (SH.SPARQLConstructExecutable, SH.construct),
               "ask": (SH.SPARQLAskExecutable, SH.ask)}


def ontology_files() -> list[Path]:
    return sorted(Path(str(p)) for p in files("lifecat.ontologies").iterdir() if p.name.endswith(".ttl"))


def static_quads(mint: Minter) -> Iterator[Quad]:
    """lifecat's ontology and shapes, in the meta graph."""
    for path in [*ontology_files(), *shape_files()]:
        for triple in parse(path=str(path), format=RdfFormat.TURTLE):
            yield Quad(triple.subject, triple.predicate, triple.object, mint.meta_graph)
    yield from example_quads(mint)


def example_quads(mint: Minter) -> Iterator[Quad]:
    """The example queries as ``sh:SPARQLExecutable`` resources (the SIB convention), each at
    ``{base}id/query/{name}`` and targeting the endpoint.

    >>> quads = list(example_quads(Minter("http://ex/")))
    >>> str(quads[0].subject), str(quads[0].object)
    ('<http://ex/id/query/catalog_licences>', '<http://www.w3.org/ns/shacl#SPARQLExecutable>')
    """
    endpoint = NamedNode(f"{mint.base}sparql")
    for example in queries.examples():
        node = mint.record("query", example.name)
        kind, text = EXECUTABLES[example.form]
        for predicate, value in [
            (RDF.type, SH.SPARQLExecutable), (RDF.type, kind), (RDF.type, SCHEMA.SoftwareSourceCode),
            (RDFS.label, Literal(example.title)), (RDFS.comment, Literal(example.description)),
            (SCHEMA.name, Literal(example.title)), (SCHEMA.description, Literal(example.description)),
            (SCHEMA.programmingLanguage, Literal("SPARQL")),
            (text, Literal(example.text)), (SCHEMA.target, endpoint),
        ]:
            yield Quad(node, predicate, value, mint.meta_graph)


def replaced_by(mint: Minter, sources: list[str]) -> Callable[[Quad], bool]:
    """Which current quads a build of ``sources`` replaces."""
    owned = {mint.graph(s) for s in sources} | {mint.quarantine_graph(s) for s in sources}
    reports = tuple(f"{mint.graph(s).value}/report/" for s in sources)
    loads = tuple(f"{mint.graph(s).value}/load/" for s in sources)
    per_source = f"{mint.base}graph/"
    meta = mint.meta_graph

    def drop(quad: Quad) -> bool:
        if quad.graph_name in owned:
            return True
        if quad.graph_name != meta:
            return False
        if quad.predicate == PROV.wasGeneratedBy and quad.object.value.startswith(per_source):
            return quad.object.value.startswith(loads)  # a record → its load: kept unless reloaded
        subject = quad.subject
        if isinstance(subject, BlankNode) or not isinstance(subject, NamedNode):
            return True
        return subject.value.startswith(reports) or not subject.value.startswith(per_source)

    return drop

"""The meta graph: what lifecat says about itself (ontology, shapes) and about each source's loads.

Who owns which meta quads decides what a change replaces: quads about a rebuilt source's reports are
replaced, its earlier loads are kept as history, each record's ``prov:wasGeneratedBy`` follows its
source's latest load, and lifecat's own statements (catalogue, VoID) are rewritten each time.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from importlib.resources import files
from pathlib import Path

from pyoxigraph import Literal, NamedNode, Quad, RdfFormat, parse

from lifecat import queries
from lifecat.core.uris import Minter
from lifecat.core.vocab import ACCESS_RIGHT, DCT, PROV, RDF, RDFS, SCHEMA, SH, XSD
from lifecat.graph.shacl import shape_files
from lifecat.graph.store import Change, Drop

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


#: The example queries ship with lifecat, under its licence, for anyone to run.
EXAMPLES_LICENCE = NamedNode("http://spdx.org/licenses/MIT")


def example_quads(mint: Minter) -> Iterator[Quad]:
    """The example queries as ``sh:SPARQLExecutable`` resources (the SIB convention), each at
    ``{base}id/query/{name}`` and targeting the endpoint, with their licence and open access.

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
            (SCHEMA.license, EXAMPLES_LICENCE), (DCT.license, EXAMPLES_LICENCE),
            (DCT.accessRights, ACCESS_RIGHT.PUBLIC),
            (SCHEMA.isAccessibleForFree, Literal("true", datatype=XSD.boolean)),
        ]:
            yield Quad(node, predicate, value, mint.meta_graph)


def rebuild(mint: Minter, sources: list[str], quads: Iterable[Quad]) -> Change:
    """The change a build of ``sources`` makes: their graphs and quarantine graphs replaced by
    ``quads``; in the meta graph, their reports and lifecat's own statements replaced, their earlier
    loads kept as history, and each record's ``prov:wasGeneratedBy`` moved to the latest load."""
    owned = frozenset({mint.graph(s) for s in sources} | {mint.quarantine_graph(s) for s in sources})
    reports = tuple(f"{mint.graph(s).value}/report/" for s in sources)
    loads = tuple(f"{mint.graph(s).value}/load/" for s in sources)
    per_source = f"{mint.base}graph/"

    def drop(quad: Quad) -> bool:
        if quad.predicate == PROV.wasGeneratedBy and quad.object.value.startswith(per_source):
            return quad.object.value.startswith(loads)  # a record → its load: kept unless reloaded
        subject = quad.subject
        if not isinstance(subject, NamedNode):
            return True
        return subject.value.startswith(reports) or not subject.value.startswith(per_source)

    return Change(quads, replace=owned, edit={mint.meta_graph: drop})


def rederive(mint: Minter, quads: Iterable[Quad], *, replace: Iterable[NamedNode] = (),
             edit: dict[NamedNode, Drop] | None = None) -> Change:
    """A write's change (graphs replaced or edited, ``quads`` added) with the meta graph's derived
    statements (VoID, the catalogue's membership and its dated records) dropped, as the derivers
    state them anew."""
    own = (f"{mint.base}void", f"{mint.base}catalog")

    def derived(quad: Quad) -> bool:
        subject = quad.subject.value if isinstance(quad.subject, NamedNode) else ""
        return subject.startswith(own)

    edits = dict(edit or {})
    earlier = edits.get(mint.meta_graph)
    edits[mint.meta_graph] = (lambda q: derived(q) or earlier(q)) if earlier else derived
    return Change(quads, replace=frozenset(replace), edit=edits)

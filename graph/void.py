"""VoID statistics, computed once per build: the whole knowledge graph, each source graph, and the links.

The whole graph (``{base}void#dataset``) is the set union of the source graphs; each source graph is
a ``void:subset`` of it, with its class and property partitions and how many of its records loaded
with warnings (``lifecat:recordsLoadedWithWarnings``: VoID has no term for validation), and every
pair of sources whose triples point at things the other describes gets one ``void:Linkset`` per
linking predicate. The meta graph is not counted: it holds this description itself, which cannot
count its own triples.

The description is written as ``void.nt`` beside the store (served at ``/void``) and into the meta
graph (queried over ``/sparql``).

>>> from lifecat.core.uris import Minter
>>> dataset_iri(Minter("http://lc/")).value
'http://lc/void#dataset'
>>> dataset_iri(Minter("http://lc/"), "bioregistry").value
'http://lc/void#source-bioregistry'
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pyoxigraph import Literal, NamedNode, Quad, RdfFormat, Triple, parse, serialize

from lifecat.core.uris import Minter
from lifecat.core.vocab import DCT, FOAF, LIFECAT, RDF, SD, VOID, XSD
from lifecat.graph.dumps import ArtifactMissing, dump_file

if TYPE_CHECKING:
    from lifecat.graph.derive import DeriveContext

VOID_FILE = "void.nt"
N_QUADS = NamedNode("http://www.w3.org/ns/formats/N-Quads")


def dataset_iri(mint: Minter, source: str | None = None) -> NamedNode:
    """The VoID dataset of one source graph, or of the whole graph (``source=None``)."""
    return NamedNode(f"{mint.base}void#{'dataset' if source is None else f'source-{source}'}")


def _count(value: int) -> Literal:
    return Literal(str(value), datatype=XSD.integer)


def measure(context: DeriveContext, graphs: list[NamedNode]) -> dict[str, list[dict[str, Any]]]:
    """The rows of each VoID query over ``graphs``, taken as one set of triples."""
    space = Literal(f"{context.mint.base}id/")
    values: dict[str, dict[str, Literal]] = {"entities": {"space": space}}
    return {name: list(context.select(f"void_{name}", graphs, **values.get(name, {})))
            for name in ("totals", "entities", "classes", "properties")}


def statistics(context: DeriveContext, node: NamedNode, figures: dict[str, list[dict[str, Any]]]
               ) -> Iterator[Triple]:
    """The counts and partitions (from :func:`measure`) as VoID statements about ``node``."""
    mint = context.mint
    space = f"{mint.base}id/"
    totals, entities = figures["totals"][0], figures["entities"]
    classes, properties = figures["classes"], figures["properties"]
    rows: list[tuple[NamedNode, Literal | NamedNode]] = [
        (VOID.triples, _count(int(totals["triples"].value))),
        (VOID.entities, _count(int(entities[0]["entities"].value) if entities else 0)),
        (VOID.distinctSubjects, _count(int(totals["subjects"].value))),
        (VOID.distinctObjects, _count(int(totals["objects"].value))),
        (VOID.properties, _count(int(totals["properties"].value))),
        (VOID.classes, _count(len(classes))),
        (VOID.uriSpace, Literal(space)),
        (VOID.sparqlEndpoint, NamedNode(f"{mint.base}sparql")),
        (VOID.feature, N_QUADS),
    ]
    for predicate, obj in rows:
        yield Triple(node, predicate, obj)
    for n, row in enumerate(classes, start=1):
        part = NamedNode(f"{node.value}-class-{n}")
        yield Triple(node, VOID.classPartition, part)
        yield Triple(part, VOID["class"], row["class"])
        yield Triple(part, VOID.entities, _count(int(row["entities"].value)))
    for n, row in enumerate(properties, start=1):
        part = NamedNode(f"{node.value}-property-{n}")
        yield Triple(node, VOID.propertyPartition, part)
        yield Triple(part, VOID.property, row["property"])
        yield Triple(part, VOID.triples, _count(int(row["triples"].value)))


def loaded_with_warnings(context: DeriveContext, graph: NamedNode) -> int:
    """How many records of the source graph ``graph`` loaded with at least one ``sh:Warning``."""
    meta = context.mint.meta_graph
    rows = list(context.select("void_warnings", [meta, graph], meta=meta, graph=graph,
                               reports=Literal(f"{graph.value}/report/")))
    return int(rows[0]["records"].value) if rows and "records" in rows[0] else 0


def linksets(context: DeriveContext, sources: dict[str, NamedNode]) -> Iterator[Triple]:
    """One ``void:Linkset`` per ordered pair of sources and linking predicate."""
    mint = context.mint
    whole = dataset_iri(mint)
    graphs = list(sources.values())
    for a, from_graph in sources.items():
        for b, to_graph in sources.items():
            if a == b:
                continue
            rows = context.select("void_links", graphs, **{"from": from_graph, "to": to_graph})
            for n, row in enumerate(rows, start=1):
                link = NamedNode(f"{mint.base}void#links-{a}-{b}-{n}")
                yield Triple(whole, VOID.subset, link)
                yield Triple(link, RDF.type, VOID.Linkset)
                yield Triple(link, VOID.subjectsTarget, dataset_iri(mint, a))
                yield Triple(link, VOID.objectsTarget, dataset_iri(mint, b))
                yield Triple(link, VOID.linkPredicate, row["predicate"])
                yield Triple(link, VOID.triples, _count(int(row["triples"].value)))


def describe(context: DeriveContext, sources: dict[str, NamedNode]) -> Iterator[Triple]:
    """The whole VoID description of the source graphs ``sources`` (name → graph)."""
    mint = context.mint
    document, whole = NamedNode(f"{mint.base}void"), dataset_iri(mint)
    yield Triple(document, RDF.type, VOID.DatasetDescription)
    yield Triple(document, DCT.title, Literal("VoID description of lifecat"))
    yield Triple(document, FOAF.primaryTopic, whole)
    yield Triple(whole, RDF.type, VOID.Dataset)
    yield Triple(whole, DCT.title, Literal("lifecat knowledge graph"))
    yield Triple(whole, DCT.description, Literal("Every loaded source graph, as one set of triples."))
    yield Triple(whole, VOID.dataDump, NamedNode(f"{mint.base}dumps/{dump_file(None)}"))
    per_source = {name: measure(context, [graph]) for name, graph in sources.items()}
    # one source: the whole graph is that source, whose figures are known already
    figures = next(iter(per_source.values())) if len(sources) == 1 else measure(
        context, list(sources.values()))
    yield from statistics(context, whole, figures)
    for name, graph in sources.items():
        node = dataset_iri(mint, name)
        yield Triple(whole, VOID.subset, node)
        yield Triple(node, RDF.type, VOID.Dataset)
        yield Triple(node, DCT.title, Literal(f"Source graph {name}"))
        yield Triple(node, DCT.description, Literal(f"The records loaded from source {name}."))
        yield Triple(node, SD.name, graph)
        yield Triple(node, VOID.dataDump, NamedNode(f"{mint.base}dumps/{dump_file(name)}"))
        yield Triple(node, LIFECAT.recordsLoadedWithWarnings, _count(loaded_with_warnings(context, graph)))
        yield from statistics(context, node, per_source[name])
    yield from linksets(context, sources)


def write_void(context: DeriveContext) -> None:
    """Deriver: compute VoID for the new generation, write ``void.nt`` and add it to the meta graph."""
    sources = {context.source_name(g): g for g in context.source_graphs()}
    triples = list(describe(context, sources))
    serialize(triples, output=str(context.directory / VOID_FILE), format=RdfFormat.N_TRIPLES)
    meta = context.mint.meta_graph
    context.snapshot.add(Quad(t.subject, t.predicate, t.object, meta) for t in triples)


def read_void(folder: Path) -> list[Triple]:
    """The VoID description of the generation in ``folder``.

    :raises ArtifactMissing: if it has none.
    """
    path = folder / VOID_FILE
    if not path.is_file():
        raise ArtifactMissing(f"no VoID description in {folder}: rebuild the store with `lifecat build`")
    return list(parse(path=str(path), format=RdfFormat.N_TRIPLES))

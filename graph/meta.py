"""The meta graph: what lifecat says about itself (ontology, shapes) and about each source's loads.

Who owns which meta quads decides what a build replaces: quads about a rebuilt source's reports are
replaced, its earlier loads are kept as history, each record's ``prov:wasGeneratedBy`` follows its
source's latest load, and lifecat's own statements (catalogue, VoID) are rewritten each time.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from importlib.resources import files
from pathlib import Path

from pyoxigraph import BlankNode, NamedNode, Quad, RdfFormat, parse

from lifecat.graph.shacl import shape_files
from lifecat.graph.vocab import PROV
from lifecat.mappings import Minter


def ontology_files() -> list[Path]:
    return sorted(Path(str(p)) for p in files("lifecat.ontologies").iterdir() if p.name.endswith(".ttl"))


def static_quads(mint: Minter) -> Iterator[Quad]:
    """lifecat's ontology and shapes, in the meta graph."""
    for path in [*ontology_files(), *shape_files()]:
        for triple in parse(path=str(path), format=RdfFormat.TURTLE):
            yield Quad(triple.subject, triple.predicate, triple.object, mint.meta_graph)


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

"""Provenance of loads: every build of a source is a ``prov:Activity`` in the meta graph.

The activity names the files it read (with their SHA-256), when it ran, which lifecat and which
mapping ran it, and its accounting; every record it loaded points back to it with
``prov:wasGeneratedBy``. These statements live in the meta graph, never in the source graph, so that
building the same input twice still gives an identical source graph.

>>> from datetime import UTC, datetime
>>> from lifecat.core.uris import Minter
>>> mint = Minter("http://lc/")
>>> load_iri("go", datetime(2024, 5, 1, 12, 0, tzinfo=UTC), mint).value
'http://lc/graph/go/load/20240501T120000000000Z'
>>> file_location("https://example.org/dump.json")
'https://example.org/dump.json'
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from pyoxigraph import Literal, NamedNode, Quad, Triple

from lifecat.core.uris import Minter
from lifecat.core.version import __version__
from lifecat.core.vocab import DCAT, DCT, LIFECAT, PROV, RDF, RDFS, SPDX, XSD

if TYPE_CHECKING:
    from lifecat.graph.build import SourceReport


def load_iri(source: str, started: datetime, mint: Minter) -> NamedNode:
    """The IRI of the load of ``source`` that started at ``started`` (unique per build)."""
    return NamedNode(f"{mint.graph(source).value}/load/{started.strftime('%Y%m%dT%H%M%S%fZ')}")


def file_location(locator: str) -> str:
    """Where a record was read from, without the record's own ``#key``: a URL or a file path."""
    return locator.rsplit("#", 1)[0] if "#" in locator else locator


def sha256_file(path: Path) -> str:
    """The hex SHA-256 of a file, read in chunks."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def checksum_triples(node: NamedNode, hexdigest: str) -> list[Triple]:
    """An ``spdx:Checksum`` (SHA-256) of ``node``, as DCAT-AP and PROV readers expect it.

    >>> [str(t.object) for t in checksum_triples(NamedNode("http://lc/f"), "00ff")][-1]
    '"00ff"^^<http://www.w3.org/2001/XMLSchema#hexBinary>'
    """
    checksum = NamedNode(f"{node.value}-sha256" if "#" in node.value else f"{node.value}#sha256")
    return [Triple(node, SPDX.checksum, checksum),
            Triple(checksum, RDF.type, SPDX.Checksum),
            Triple(checksum, SPDX.algorithm, SPDX.checksumAlgorithm_sha256),
            Triple(checksum, SPDX.checksumValue, Literal(hexdigest, datatype=XSD.hexBinary))]


def load_quads(report: SourceReport, mint: Minter, locators: Iterable[str],
               records: Iterable[NamedNode]) -> Iterator[Quad]:
    """The load activity of one source, the files it used, and each loaded record's link to it."""
    load = load_iri(report.name, report.started, mint)
    m = mint.meta_graph
    ended = report.ended or report.started
    rows: list[tuple[NamedNode, NamedNode | Literal]] = [
        (RDF.type, PROV.Activity),
        (RDFS.label, Literal(f"Load of {report.name}, {report.started.isoformat(timespec='seconds')}")),
        (PROV.generated, mint.graph(report.name)),
        (PROV.startedAtTime, Literal(report.started.isoformat(), datatype=XSD.dateTime)),
        (PROV.endedAtTime, Literal(ended.isoformat(), datatype=XSD.dateTime)),
        (LIFECAT.mapping, Literal(report.format)),
        (LIFECAT.softwareVersion, Literal(__version__)),
        (LIFECAT.sourceLocation, Literal(report.location)),
        (LIFECAT.recordsRead, Literal(str(report.read), datatype=XSD.integer)),
        (LIFECAT.recordsLoaded, Literal(str(report.loaded), datatype=XSD.integer)),
        (LIFECAT.recordsQuarantined, Literal(str(report.quarantined), datatype=XSD.integer)),
    ]
    if report.checksum:
        rows.append((LIFECAT.checksum, Literal(f"sha256:{report.checksum}")))
    for predicate, obj in rows:
        yield Quad(load, predicate, obj, m)
    for n, location in enumerate(sorted(set(map(file_location, locators))), start=1):
        yield from _used(load, n, location, m)
    for record in sorted(set(records), key=lambda r: r.value):
        yield Quad(record, PROV.wasGeneratedBy, load, m)


def _used(load: NamedNode, n: int, location: str, graph: NamedNode) -> Iterator[Quad]:
    """One file (or URL) the load read, as a ``prov:Entity`` with its size and checksum."""
    entity = NamedNode(f"{load.value}/source/{n}")
    yield Quad(load, PROV.used, entity, graph)
    yield Quad(entity, RDF.type, PROV.Entity, graph)
    path = Path(location)
    if location.startswith(("http://", "https://")):
        yield Quad(entity, PROV.atLocation, NamedNode(location), graph)
        yield Quad(entity, DCT.title, Literal(location.rsplit("/", 1)[-1] or location), graph)
        return
    yield Quad(entity, DCT.title, Literal(path.name), graph)
    if path.is_file():
        yield Quad(entity, PROV.atLocation, NamedNode(path.resolve().as_uri()), graph)
        yield Quad(entity, DCAT.byteSize, Literal(str(path.stat().st_size),
                                                  datatype=XSD.nonNegativeInteger), graph)
        for t in checksum_triples(entity, sha256_file(path)):
            yield Quad(t.subject, t.predicate, t.object, graph)

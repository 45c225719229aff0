"""The harvestable DCAT-AP catalogue, laid out once per store generation so that requests only read.

``catalog/catalog.sqlite`` in the generation folder holds, in a fixed order, one *entry* per listed
dataset (its DCAT-AP description as N-Triples, its title and dates), the *shared* nodes entries point
to (licences, publishers, media types, themes, loads, dump distributions, each typed so that any page
validates on its own), and the catalogue's own description. A page is a slice of entries plus the
shared nodes they use; ``catalog/catalog.*.gz`` is the whole catalogue as one file per RDF format.

Which datasets: every record typed ``dcat:Dataset``, whatever its source, and lifecat's own datasets
(the whole knowledge graph and each source graph, distributed as the dumps). Registries and
collections (``dcat:Catalog`` records) keep their own pages but are not listed as sub-catalogues:
registries describe resources lifecat does not hold, a collection's members are already listed here
(harvesters that follow ``dcat:catalog`` would import them twice), and DCAT-AP would require a
publisher for each that the sources do not give.

Dates: sources rarely say when a record changed, so each entry keeps a hash of what the source graphs
say about it. While the hash is unchanged the entry keeps the previous generation's modification
date, and its issue date is when lifecat first listed it, so ``?modified_since`` deltas list only
real changes. These listing dates are the entry's ``dcat:CatalogRecord``'s (``dct:issued``,
``dct:modified``, ``adms:status``), both here and in the meta graph; a dataset keeps only the dates
its source gives. lifecat's own datasets change when their dump's bytes do.

The build runs :func:`record_catalogue` before the dumps (it adds the catalogue's membership and
dated records to the meta graph, which the dumps then hold) and :func:`finish_catalogue` after them (to
describe the dumps, with their sizes and checksums, as distributions).

>>> sorted(EXPORTS)  # the whole catalogue comes as one file in each of these
['application/ld+json', 'application/n-triples', 'application/rdf+xml', 'text/turtle']
"""

from __future__ import annotations

import gzip
import sqlite3
from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pyoxigraph import Literal, Quad, RdfFormat, Triple, parse, serialize

from lifecat.core.vocab import DCAT, DCT, FOAF, PREFIXES
from lifecat.graph.catalog_entries import (
    Entries,
    Entry,
    date,
    lifecat_entries,
    record_dates,
    record_entries,
    record_iri,
    service_iri,
)
from lifecat.graph.dcatap import Vocabulary
from lifecat.graph.dumps import ArtifactMissing, read_manifest
from lifecat.graph.void import dataset_iri

if TYPE_CHECKING:
    from lifecat.graph.derive import DeriveContext

CATALOG = "catalog"
DATABASE = "catalog.sqlite"
#: One-file exports of the whole catalogue: media type → (file name, format).
EXPORTS = {
    "text/turtle": ("catalog.ttl.gz", RdfFormat.TURTLE),
    "application/n-triples": ("catalog.nt.gz", RdfFormat.N_TRIPLES),
    "application/ld+json": ("catalog.jsonld.gz", RdfFormat.JSON_LD),
    "application/rdf+xml": ("catalog.rdf.gz", RdfFormat.RDF_XML),
}
_SCHEMA = """
CREATE TABLE entry (position INTEGER PRIMARY KEY, iri TEXT NOT NULL UNIQUE, title TEXT NOT NULL,
                    hash TEXT NOT NULL, issued TEXT NOT NULL, modified TEXT NOT NULL,
                    triples TEXT NOT NULL);
CREATE INDEX entry_modified ON entry (modified, position);
CREATE TABLE shared (iri TEXT PRIMARY KEY, triples TEXT NOT NULL);
CREATE TABLE uses (position INTEGER NOT NULL, iri TEXT NOT NULL, PRIMARY KEY (position, iri));
CREATE TABLE info (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""


@dataclass(frozen=True)
class Listed:
    """An entry as listings show it."""

    position: int
    iri: str
    title: str
    issued: str
    modified: str


def _ntriples(triples: Iterable[Triple]) -> str:
    return (serialize(triples, format=RdfFormat.N_TRIPLES) or b"").decode()


class Catalogue:
    """Read access to one generation's catalogue.

    :raises ArtifactMissing: if the generation in ``folder`` has none.
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder / CATALOG
        self.path = self.folder / DATABASE
        if not self.path.is_file():
            raise ArtifactMissing(f"no catalogue in {folder}: rebuild the store with `lifecat build`")

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        """A read-only connection, closed after use."""
        with closing(sqlite3.connect(f"file:{self.path}?mode=ro", uri=True)) as db:
            yield db

    def info(self, key: str) -> str:
        with self._connect() as db:
            return db.execute("SELECT value FROM info WHERE key = ?", (key,)).fetchone()[0]

    def count(self, since: str | None = None) -> int:
        """How many entries changed at or after ``since`` (an ISO UTC timestamp), or in all."""
        with self._connect() as db:
            return db.execute("SELECT COUNT(*) FROM entry WHERE modified >= ?", (since or "",)
                              ).fetchone()[0]

    def listed(self, offset: int, limit: int, since: str | None = None) -> list[Listed]:
        """Entries in catalogue order, from ``offset``, at most ``limit``."""
        with self._connect() as db:
            rows = db.execute(
                "SELECT position, iri, title, issued, modified FROM entry WHERE modified >= ? "
                "ORDER BY position LIMIT ? OFFSET ?", (since or "", limit, offset)).fetchall()
        return [Listed(*row) for row in rows]

    def triples(self, listed: list[Listed] | None = None) -> list[Triple]:
        """The catalogue's description with the given entries (default: all of them) and every
        shared node they use."""
        if listed is None:
            listed = self.listed(0, -1)
            where = ""
        else:
            where = f"WHERE position IN ({','.join(str(e.position) for e in listed)})"
        with self._connect() as db:
            texts = [self.info("head")]
            texts += [r[0] for r in db.execute(f"SELECT triples FROM entry {where}")]
            texts += [r[0] for r in db.execute(
                f"SELECT triples FROM shared WHERE iri IN (SELECT iri FROM uses {where})")]
        triples = [q.triple for q in parse("".join(texts).encode(), format=RdfFormat.N_TRIPLES)]
        records = {t.object.value: t.subject for t in triples if t.predicate == FOAF.primaryTopic}
        vocab = Vocabulary()
        for entry in listed:
            triples += record_dates(records[entry.iri], entry.issued, entry.modified, vocab)
        return triples + [t for described in vocab.nodes.values() for t in described]

    def dates(self) -> dict[str, tuple[str, str, str]]:
        """``iri → (hash, issued, modified)`` of every entry."""
        with self._connect() as db:
            rows = db.execute("SELECT iri, hash, issued, modified FROM entry").fetchall()
        return {iri: (digest, issued, modified) for iri, digest, issued, modified in rows}

    def export(self, media_type: str) -> Path:
        """The one-file export of the whole catalogue in ``media_type`` (gzipped)."""
        return self.folder / EXPORTS[media_type][0]


def _previous_dates(context: DeriveContext) -> dict[str, tuple[str, str, str]]:
    """``iri → (hash, issued, modified)`` of the generation being replaced."""
    folder = context.previous
    return Catalogue(folder).dates() if folder else {}


def record_catalogue(context: DeriveContext) -> None:
    """Deriver: lay out the catalogue's entries and add its membership and dates to the meta graph."""
    build = Entries(context.settings, context.mint)
    now = context.now
    sources = context.source_graphs()
    prefix = Literal(f"{context.mint.base}id/")
    description: dict[str, dict[str, list[Any]]] = defaultdict(lambda: defaultdict(list))
    for triple in context.construct("catalog_datasets", sources):
        description[triple.subject.value][triple.predicate.value].append(triple.object)
    graphs: dict[str, list[str]] = defaultdict(list)
    for row in context.select("catalog_graphs", sources, prefix=prefix):
        graphs[row["dataset"].value].append(context.source_name(row["graph"]))
    public = {g.value for g in sources}
    loads = [row for row in context.select("catalog_loads", [context.mint.meta_graph])
             if row["graph"].value in public]
    entries = lifecat_entries(build, context.source_graphs(), loads, context.source_name)
    entries += record_entries(build, description, graphs, loads)
    previous = _previous_dates(context)
    for entry in entries:
        digest, issued, modified = previous.get(entry.iri.value, ("", now, now))
        entry.issued, entry.modified = issued, (modified if digest == entry.hash else now)
    _write(context.directory / CATALOG, build, entries)
    meta = context.mint.meta_graph
    head = [t for t in build.head() if t.subject in (build.catalogue, service_iri(build.mint))]
    quads = [Quad(t.subject, t.predicate, t.object, meta) for t in head]
    statuses = Vocabulary()
    for entry in entries:
        quads.append(Quad(build.catalogue, DCAT.dataset, entry.iri, meta))
        if entry.hash:  # lifecat's own datasets are dated after the dumps
            record = record_iri(build.mint, entry.iri)
            listing = [t for t in entry.triples if record in (t.subject, t.object)]
            listing += record_dates(record, entry.issued, entry.modified, statuses)
            quads += [Quad(t.subject, t.predicate, t.object, meta) for t in listing]
    quads += [Quad(t.subject, t.predicate, t.object, meta) for ts in statuses.nodes.values() for t in ts]
    context.snapshot.add(quads)


def _write(folder: Path, build: Entries, entries: list[Entry]) -> None:
    folder.mkdir()
    with closing(sqlite3.connect(folder / DATABASE)) as db, db:
        db.executescript(_SCHEMA)
        db.executemany("INSERT INTO entry VALUES (?, ?, ?, ?, ?, ?, ?)", [
            (n, e.iri.value, e.title, e.hash, e.issued, e.modified, _ntriples(e.triples))
            for n, e in enumerate(entries)])
        db.executemany("INSERT INTO uses VALUES (?, ?)",
                       [(n, iri) for n, e in enumerate(entries) for iri in sorted(e.uses)])
        db.executemany("INSERT INTO shared VALUES (?, ?)",
                       [(iri, _ntriples(ts)) for iri, ts in build.vocab.nodes.items()])
        db.execute("INSERT INTO info VALUES ('head', ?)", (_ntriples(build.head()),))


def finish_catalogue(context: DeriveContext) -> None:
    """Deriver: describe the dumps as distributions, date lifecat's own datasets, export one file."""
    build = Entries(context.settings, context.mint)
    dumps = read_manifest(context.directory)
    folder = context.directory / CATALOG
    previous = _previous_dates(context)
    now = context.now
    with closing(sqlite3.connect(folder / DATABASE)) as db, db:
        for dump in dumps:
            node, triples = build.dump(dump)
            db.execute("INSERT OR REPLACE INTO shared VALUES (?, ?)", (node.value, _ntriples(triples)))
            entry = dataset_iri(context.mint, None if dump.everything else dump.name).value
            issued = previous.get(entry, ("", now, now))[1]
            db.execute("UPDATE entry SET hash = ?, issued = ?, modified = ? WHERE iri = ?",
                       (dump.sha256, issued, dump.modified, entry))
        db.executemany("INSERT OR IGNORE INTO shared VALUES (?, ?)",
                       [(iri, _ntriples(ts)) for iri, ts in build.vocab.nodes.items()])
        modified = db.execute("SELECT MAX(modified) FROM entry").fetchone()[0] or now
        issued = db.execute("SELECT MIN(issued) FROM entry").fetchone()[0] or now
        head = [Triple(build.catalogue, DCT.issued, date(issued)),
                Triple(build.catalogue, DCT.modified, date(modified))]
        db.execute("UPDATE info SET value = value || ? WHERE key = 'head'", (_ntriples(head),))
        db.executemany("INSERT INTO info VALUES (?, ?)", [("issued", issued), ("modified", modified)])
    _export(Catalogue(context.directory))


def _export(catalogue: Catalogue) -> None:
    """Write the whole catalogue as one gzipped file per RDF format.

    Not through a pyoxigraph store: it would turn ``xsd:nonNegativeInteger`` sizes into
    ``xsd:integer`` (oxigraph/oxigraph#526), which DCAT-AP refuses.
    """
    triples = sorted(set(catalogue.triples()), key=str)  # grouped by subject
    for file, fmt in EXPORTS.values():
        with gzip.open(catalogue.folder / file, "wb", compresslevel=6) as out:
            serialize(triples, output=out, format=fmt, prefixes=PREFIXES)

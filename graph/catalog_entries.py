"""What the catalogue says about each dataset: DCAT-AP 3 descriptions built from the source graphs.

A record's entry copies what DCAT-AP defines from the record (titles, descriptions, keywords,
identifiers, dates, landing pages, licence, access rights, publisher, contacts, distributions,
provenance), the temporal coverage of a dataset about a sample (when the sample was collected), and
adds what a harvester needs from lifecat: the record's own RDF representations and the dump of each
source graph that holds it as distributions, the catalogue's themes, the load that produced it, and
the entry's catalogue record. Where DCAT-AP allows one value (licence, publisher, version, dates)
the first in IRI order is kept. Nothing is stated that the record does not: no spatial coverage (a
sample's place is text only), no planned availability for the publisher's own files. Every node an entry
points to is typed, in the entry or as a shared node of the :class:`~lifecat.graph.dcatap.Vocabulary`.

>>> from lifecat.core.config import Settings
>>> entries = Entries(Settings(base="http://lc/"), Minter("http://lc/"))
>>> record = "http://lc/id/catalog/go"
>>> description = {record: {DCT.title.value: [Literal("GO")], DCT.description.value: [Literal("Genes")],
...                         DCT.license.value: [NamedNode("http://spdx.org/licenses/CC-BY-4.0")]}}
>>> [entry] = record_entries(entries, description, {record: ["bioregistry"]}, [])
>>> entry.title, sorted(entry.uses)[:2]
('GO', ['http://lc/catalog#dump-graph-bioregistry', 'http://publications.europa.eu/resource/authority/data-theme/TECH'])
>>> len([t for t in entry.triples if t.predicate == DCAT.distribution])
5
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from pyoxigraph import Literal, NamedNode, Triple

from lifecat.core.config import Settings
from lifecat.core.uris import Minter
from lifecat.core.vocab import ADMS, DCAT, DCATAP, DCT, FOAF, PROV, RDF, SCHEMA, VCARD, XSD
from lifecat.graph import dcatap
from lifecat.graph.dumps import Dump, dump_file
from lifecat.graph.provenance import checksum_triples
from lifecat.graph.void import dataset_iri

#: The RDF representations every record URI serves: (fragment, ``?format=`` value, media type, name).
REPRESENTATIONS = [
    ("turtle", "ttl", "text/turtle", "Turtle"),
    ("json-ld", "jsonld", "application/ld+json", "JSON-LD"),
    ("rdf-xml", "rdf", "application/rdf+xml", "RDF/XML"),
    ("n-triples", "nt", "application/n-triples", "N-Triples"),
]
SPARQL_PROTOCOL = NamedNode("https://www.w3.org/TR/sparql11-protocol/")
#: Literal properties copied from a record: DCAT-AP property ← source properties, first found wins.
LITERALS: list[tuple[NamedNode, tuple[NamedNode, ...], bool]] = [
    (DCT.title, (DCT.title, SCHEMA.name), False),
    (DCT.description, (DCT.description, SCHEMA.description), False),
    (DCAT.keyword, (DCAT.keyword, SCHEMA.keywords), False),
    (DCT.identifier, (DCT.identifier,), False),
    (DCAT.version, (DCAT.version, SCHEMA.version), True),
]
#: The record's own dates: DCAT-AP property ← source properties (one value each, first found wins).
DATES = [(DCT.issued, (DCT.issued, SCHEMA.datePublished)),
         (DCT.modified, (DCT.modified, SCHEMA.dateModified))]
#: The datatypes DCAT-AP accepts for a date.
DATE_TYPES = frozenset({XSD.date, XSD.dateTime, XSD.gYear, XSD.gYearMonth})
#: Who publishes a record's dataset, most specific first: the publisher of the thing itself, the
#: record's ``dct:publisher``, the provider. Never the publisher of a description alone
#: (``schema:sdPublisher``): the Bioregistry does not make the databases it describes available.
PUBLISHERS = (SCHEMA.publisher, DCT.publisher, SCHEMA.provider)
#: Characteristics of the sample a dataset is about that date what the dataset covers.
COVERAGE_DATES = ("collection date",)
#: The specification the catalogue records conform to.
DCAT_AP = NamedNode("https://semiceu.github.io/DCAT-AP/releases/3.0.1/")
#: ADMS change types of a catalogue record: listed once and unchanged since, or changed since.
CHANGE_TYPES = {True: "Created", False: "Updated"}

#: What the source graphs say about records, by subject IRI, then predicate IRI.
Description = dict[str, dict[str, list[Any]]]


@dataclass
class Entry:
    """One listed dataset: its DCAT-AP description and the shared nodes it refers to."""

    iri: NamedNode
    title: str
    hash: str = ""
    triples: list[Triple] = field(default_factory=list)
    uses: set[str] = field(default_factory=set)
    issued: str = ""
    modified: str = ""

    def add(self, s: NamedNode, p: NamedNode, o: NamedNode | Literal) -> None:
        self.triples.append(Triple(s, p, o))

    def link(self, p: NamedNode, node: NamedNode | None, *, subject: NamedNode | None = None) -> None:
        """Add ``(subject or self) p node``, and bring ``node``'s shared description with the entry."""
        if node is None:
            return
        self.add(subject or self.iri, p, node)
        self.uses.add(node.value)


def catalogue_iri(mint: Minter) -> NamedNode:
    return NamedNode(f"{mint.base}catalog")


def service_iri(mint: Minter) -> NamedNode:
    return NamedNode(f"{mint.base}catalog#sparql-service")


def dump_distribution(mint: Minter, file: str) -> NamedNode:
    return NamedNode(f"{mint.base}catalog#dump-{file.removesuffix('.nq.gz')}")


def record_iri(mint: Minter, dataset: NamedNode) -> NamedNode:
    """The catalogue record of a listed dataset: a fragment of the catalogue named after the dataset.

    >>> record_iri(Minter("http://lc/"), NamedNode("http://lc/void#source-go")).value
    'http://lc/catalog#record-void-source-go'
    """
    local = dataset.value.removeprefix(mint.base).replace("#", "-")
    return NamedNode(f"{catalogue_iri(mint).value}#record-{local}")


def record_dates(record: NamedNode, issued: str, modified: str, vocab: dcatap.Vocabulary) -> list[Triple]:
    """When lifecat first listed a dataset and last changed its entry, on its catalogue record, and
    whether the entry changed since (its ADMS change type, described in ``vocab``)."""
    status = vocab.change_type(CHANGE_TYPES[issued == modified])
    return [Triple(record, DCT.issued, date(issued)), Triple(record, DCT.modified, date(modified)),
            Triple(record, ADMS.status, status)]


def date(value: str) -> Literal:
    return Literal(value, datatype=XSD.dateTime)


def digest(triples: Iterable[Triple]) -> str:
    """A hash of a set of triples, whatever their order or repetitions."""
    return hashlib.sha256("\n".join(sorted({str(t) for t in triples})).encode()).hexdigest()


@dataclass
class Entries:
    """What building entries needs: the settings, the minter and the shared vocabulary."""

    settings: Settings
    mint: Minter
    vocab: dcatap.Vocabulary = field(default_factory=dcatap.Vocabulary)

    @property
    def catalogue(self) -> NamedNode:
        return catalogue_iri(self.mint)

    @cached_property
    def publisher(self) -> NamedNode:
        iri = self.settings.catalog_publisher_iri or f"{self.mint.base}catalog#publisher"
        return self.vocab.agent(NamedNode(iri), self.settings.catalog_publisher,
                                self.settings.catalog_publisher_type)

    @cached_property
    def licence(self) -> NamedNode:
        return self.vocab.licence(NamedNode(self.settings.catalog_licence))

    @cached_property
    def themes(self) -> list[NamedNode]:
        return [self.vocab.theme(code) for code in self.settings.catalog_themes]

    @cached_property
    def contact(self) -> NamedNode | None:
        """The deployment's contact point, where one is configured."""
        if not self.settings.catalog_contact:
            return None
        return self.vocab.contact_point(NamedNode(f"{self.mint.base}catalog#contact"),
                                        self.settings.catalog_publisher,
                                        NamedNode(self.settings.catalog_contact))

    def listed(self, entry: Entry) -> None:
        """What every entry carries: the catalogue lists it and its catalogue record (dated when
        read, :func:`record_dates`), the SPARQL service serves it, themes."""
        entry.add(entry.iri, RDF.type, DCAT.Dataset)
        entry.add(self.catalogue, DCAT.dataset, entry.iri)
        record = record_iri(self.mint, entry.iri)
        entry.add(self.catalogue, DCAT.record, record)
        entry.add(record, RDF.type, DCAT.CatalogRecord)
        entry.add(record, FOAF.primaryTopic, entry.iri)
        entry.link(DCT.conformsTo, self.vocab.standard(DCAT_AP), subject=record)
        entry.add(service_iri(self.mint), DCAT.servesDataset, entry.iri)
        for theme in self.themes:
            entry.link(DCAT.theme, theme)

    def head(self) -> list[Triple]:
        """The catalogue and its SPARQL service, with every node they refer to."""
        c, s = self.catalogue, service_iri(self.mint)
        home = NamedNode(self.settings.catalog_homepage or self.mint.base)
        sparql = NamedNode(f"{self.mint.base}sparql")
        rows: list[tuple[NamedNode, NamedNode, NamedNode | Literal]] = [
            (c, RDF.type, DCAT.Catalog),
            (c, DCT.title, Literal(self.settings.catalog_title)),
            (c, DCT.description, Literal(self.settings.catalog_description)),
            (c, DCT.publisher, self.publisher),
            (c, DCT.license, self.licence),
            (c, FOAF.homepage, self.vocab.document(home)),
            (c, DCAT.themeTaxonomy, self.vocab.theme_scheme()),
            (c, DCAT.service, s),
            *[(c, DCT.language, self.vocab.language(code)) for code in self.settings.catalog_languages],
            (s, RDF.type, DCAT.DataService),
            (s, DCT.title, Literal(f"{self.settings.catalog_title} SPARQL endpoint")),
            (s, DCT.description, Literal("SPARQL 1.1 queries over every public graph.")),
            (s, DCAT.endpointURL, sparql),
            (s, DCAT.endpointDescription, sparql),
            (s, DCT.conformsTo, self.vocab.standard(SPARQL_PROTOCOL)),
            (s, DCAT.keyword, Literal("SPARQL")),
            (s, DCT.publisher, self.publisher),
            (s, DCT.license, self.licence),
            *[(s, DCAT.theme, theme) for theme in self.themes],
        ]
        triples = [Triple(*row) for row in rows]
        if self.contact:
            triples.append(Triple(s, DCAT.contactPoint, self.contact))
        used = {t.object.value for t in triples if isinstance(t.object, NamedNode)}
        return triples + [t for iri in sorted(used & self.vocab.nodes.keys())
                          for t in self.vocab.nodes[iri]]

    def dump(self, dump: Dump) -> tuple[NamedNode, list[Triple]]:
        """A dump file as a ``dcat:Distribution`` with its size, checksum and date, and what it uses."""
        vocab, base = self.vocab, self.mint.base
        node = dump_distribution(self.mint, dump.file)
        what = "every public graph" if dump.everything else f"the graph {dump.graphs[0]}"
        rows: list[tuple[NamedNode, NamedNode | Literal | None]] = [
            (RDF.type, DCAT.Distribution),
            (DCT.title, Literal(f"Dump of {'lifecat' if dump.everything else dump.name} "
                                "(gzipped N-Quads)")),
            (DCT.description, Literal(f"N-Quads of {what}, regenerated on every build.")),
            (DCAT.accessURL, NamedNode(f"{base}dumps/{dump.file}")),  # the file, not the listing
            (DCAT.downloadURL, NamedNode(f"{base}dumps/{dump.file}")),
            (DCAT.mediaType, vocab.media_type("application/n-quads")),
            (DCT.format, vocab.file_type("application/n-quads")),
            (DCAT.compressFormat, vocab.media_type("application/gzip")),
            (DCAT.byteSize, Literal(str(dump.bytes), datatype=XSD.nonNegativeInteger)),
            (DCT.modified, date(dump.modified)),
            (DCT.license, self.licence),
            (DCATAP.availability, vocab.availability("AVAILABLE")),
        ]
        triples = [Triple(node, p, o) for p, o in rows if o is not None]
        triples += checksum_triples(node, dump.sha256)
        used = sorted({t.object.value for t in triples} & vocab.nodes.keys())
        return node, triples + [t for iri in used for t in vocab.nodes[iri]]


def lifecat_entries(entries: Entries, graphs: list[NamedNode], loads: list[dict[str, Any]],
                    source_name: Callable[[NamedNode], str]) -> list[Entry]:
    """lifecat's own datasets: the whole knowledge graph, then each source graph, with their dumps.

    Their hashes and dates come from the dumps, once those are written.
    """
    latest: dict[str, tuple[str, NamedNode, str | None]] = {}
    for row in loads:
        graph, started = row["graph"].value, row["started"].value
        if graph not in latest or started > latest[graph][0]:
            latest[graph] = (started, row["load"], row["label"].value if "label" in row else None)
    whole = Entry(dataset_iri(entries.mint), "lifecat knowledge graph")
    whole.add(whole.iri, DCT.description, Literal(
        "Every record lifecat loaded, from every source, as one graph (with the meta graph: "
        "provenance, shapes, the catalogue and VoID statistics)."))
    whole.link(DCAT.distribution, dump_distribution(entries.mint, dump_file(None)))
    whole.link(DCAT.distribution, dump_distribution(entries.mint, dump_file("meta")))
    result = [whole]
    for graph in graphs:
        name = source_name(graph)
        entry = Entry(dataset_iri(entries.mint, name), f"Source graph {name}")
        entry.add(entry.iri, DCT.description, Literal(f"The records lifecat loaded from {name}."))
        entry.link(DCAT.distribution, dump_distribution(entries.mint, dump_file(name)))
        if graph.value in latest:
            _, load, label = latest[graph.value]
            entry.link(PROV.wasGeneratedBy, entries.vocab.activity(load, label))
        result.append(entry)
    for entry in result:
        entries.listed(entry)
        entry.add(entry.iri, DCT.title, Literal(entry.title))
        entry.link(DCT.publisher, entries.publisher)
        entry.link(DCAT.contactPoint, entries.contact)
        entry.link(DCAT.landingPage, entries.vocab.document(NamedNode(f"{entries.mint.base}void")))
        entry.add(entry.iri, DCAT.keyword, Literal("knowledge graph"))
    return result


def record_entries(entries: Entries, description: Description, graphs: dict[str, list[str]],
                   loads: list[dict[str, Any]]) -> list[Entry]:
    """One entry per dataset-like record in ``description``, in IRI order.

    Records without the title and description DCAT-AP requires are left out.
    """
    generated_by: dict[str, list[tuple[NamedNode, str | None]]] = {}
    for row in loads:
        if "record" in row:
            label = row["label"].value if "label" in row else None
            generated_by.setdefault(row["record"].value, []).append((row["load"], label))
    result = []
    for iri in sorted(graphs):
        entry = _record(entries, iri, description, sorted(set(graphs[iri])),
                        generated_by.get(iri, []))
        if entry is not None:
            result.append(entry)
    return result


def _iris(values: list[Any]) -> list[NamedNode]:
    return sorted((v for v in values if isinstance(v, NamedNode)), key=lambda n: n.value)


def _texts(own: dict[str, list[Any]], predicates: tuple[NamedNode, ...]) -> list[Literal]:
    for predicate in predicates:
        found = [v for v in own.get(predicate.value, []) if isinstance(v, Literal) and v.value.strip()]
        if found:
            return sorted(found, key=lambda lit: (lit.language or "", lit.value))
    return []


def _record(entries: Entries, iri: str, description: Description, sources: list[str],
            loads: list[tuple[NamedNode, str | None]]) -> Entry | None:
    own = description.get(iri, {})
    texts = {target: _texts(own, sources_) for target, sources_, _ in LITERALS}
    if not texts[DCT.title] or not texts[DCT.description]:
        return None
    node = NamedNode(iri)
    samples = [Triple(a, SCHEMA.additionalProperty, c) for a in _iris(own.get(SCHEMA.about.value, []))
               for c in _iris(description.get(a.value, {}).get(SCHEMA.additionalProperty.value, []))]
    characteristics = [t.object for t in samples]
    related = [iri, *(o.value for p in (DCAT.distribution, *PUBLISHERS, SCHEMA.maintainer, DCAT.contactPoint)
                      for o in _iris(own.get(p.value, []))),
               *(c.value for c in characteristics)]
    source_triples = samples + [Triple(NamedNode(s), NamedNode(p), o) for s in related
                                for p, objects in description.get(s, {}).items() for o in objects]
    entry = Entry(node, texts[DCT.title][0].value, digest([*source_triples,
                                                         *(Literal(s) for s in sources)]))
    entries.listed(entry)
    for target, _, single in LITERALS:
        for value in texts[target][:1] if single else texts[target]:
            entry.add(node, target, Literal(value.value, language=value.language))
    for target, sources_ in DATES:
        dates = _dates(own, sources_)
        if dates:
            entry.add(node, target, dates[0])
    vocab = entries.vocab
    for page in _iris(own.get(DCAT.landingPage.value, [])):
        entry.link(DCAT.landingPage, vocab.document(page))
    for standard in _iris(own.get(DCT.conformsTo.value, [])):
        entry.link(DCT.conformsTo, vocab.standard(standard))
    for rights in _iris(own.get(DCT.accessRights.value, []))[:1]:
        entry.link(DCT.accessRights, vocab.rights(rights))
    for origin in _iris(own.get(PROV.wasDerivedFrom.value, [])):
        entry.add(node, PROV.wasDerivedFrom, origin)
    for load, label in loads:
        entry.link(PROV.wasGeneratedBy, vocab.activity(load, label))
    licences = _iris(own.get(DCT.license.value, []) or own.get(SCHEMA.license.value, []))
    licence = vocab.licence(licences[0]) if licences else None
    entry.link(DCT.license, licence)
    _coverage(entry, characteristics, description)
    publisher = _publisher(entries, entry, own, description)
    _contacts(entries, entry, own, description, publisher)
    _distributions(entries, entry, own, description, licence)
    for name in sources:
        entry.link(DCAT.distribution, dump_distribution(entries.mint, dump_file(name)))
    return entry


def _dates(about: dict[str, list[Any]], predicates: tuple[NamedNode, ...]) -> list[Literal]:
    """The first of ``predicates`` with dates DCAT-AP accepts, earliest first."""
    for predicate in predicates:
        found = [v for v in about.get(predicate.value, [])
                 if isinstance(v, Literal) and v.datatype in DATE_TYPES]
        if found:
            return sorted(found, key=lambda lit: lit.value)
    return []


def _coverage(entry: Entry, characteristics: list[NamedNode], description: Description) -> None:
    """``dct:temporal``: when the sample the dataset is about was collected, the moment its data
    describe (a sample's place is text only, so no ``dct:spatial`` is stated)."""
    for characteristic in characteristics:
        about = description.get(characteristic.value, {})
        names = {v.value for v in about.get(SCHEMA.name.value, []) if isinstance(v, Literal)}
        dates = _dates(about, (SCHEMA.value,))
        if names & set(COVERAGE_DATES) and dates:
            period = NamedNode(f"{entry.iri.value}#catalog-temporal")
            entry.add(entry.iri, DCT.temporal, period)
            entry.add(period, RDF.type, DCT.PeriodOfTime)
            entry.add(period, DCAT.startDate, dates[0])
            entry.add(period, DCAT.endDate, dates[-1])
            return


def _name(description: Description, node: NamedNode) -> str | None:
    about = description.get(node.value, {})
    for predicate in (FOAF.name, SCHEMA.name, VCARD.fn):
        names = sorted(v.value for v in about.get(predicate.value, []) if isinstance(v, Literal))
        if names:
            return names[0]
    return None


def _publisher(entries: Entries, entry: Entry, own: dict[str, list[Any]],
               description: Description) -> NamedNode | None:
    """The first named publisher of :data:`PUBLISHERS` (DCAT-AP allows one), as a ``foaf:Agent``."""
    for predicate in PUBLISHERS:
        for candidate in _iris(own.get(predicate.value, [])):
            name = _name(description, candidate)
            if name:
                entry.link(DCT.publisher, entries.vocab.agent(_shared(entries.mint, candidate, description),
                                                              name))
                return candidate
    return None


def _home_page(description: Description, node: NamedNode) -> NamedNode | None:
    about = description.get(node.value, {})
    pages = _iris(about.get(SCHEMA.url.value, []) or about.get(FOAF.homepage.value, []))
    return pages[0] if pages else None


def _shared(mint: Minter, node: NamedNode, description: Description, kind: str = "agent") -> NamedNode:
    """The catalogue's ``kind`` node for an agent: its own IRI, or for a node inside a record with a
    home page (each record of a source names its publisher so) one node per name and home page,
    shared by all. Nodes without a home page stay apart: two people may share a name."""
    page = _home_page(description, node)
    if "#" not in node.value or page is None:
        return node if kind == "agent" else NamedNode(f"{node.value}#catalog-contact")
    key = f"{_name(description, node)}\n{page.value}"
    return NamedNode(f"{catalogue_iri(mint).value}#{kind}-{hashlib.sha256(key.encode()).hexdigest()[:16]}")


def _contacts(entries: Entries, entry: Entry, own: dict[str, list[Any]], description: Description,
              publisher: NamedNode | None) -> None:
    """Contact points: the record's own, else its maintainers, as ``vcard:Kind`` nodes, and an
    organisation publisher's home page (never a person's: their contact details are not published)."""
    people = _iris(own.get(DCAT.contactPoint.value, [])) or _iris(own.get(SCHEMA.maintainer.value, []))
    for n, person in enumerate(people, start=1):
        name = _name(description, person)
        if not name:
            continue
        same = _iris(description.get(person.value, {}).get(SCHEMA.sameAs.value, []))
        point = NamedNode(f"{entry.iri.value}#catalog-contact-{n}")
        entry.add(entry.iri, DCAT.contactPoint, point)
        entry.triples += dcatap.contact(point, name, uid=same[0] if same else None)
    if publisher is None or SCHEMA.Person in description.get(publisher.value, {}).get(RDF.type.value, []):
        return
    page, name = _home_page(description, publisher), _name(description, publisher)
    if page and name:
        point = _shared(entries.mint, publisher, description, "contact")
        entry.link(DCAT.contactPoint, entries.vocab.contact_point(point, name, page))


def _distributions(entries: Entries, entry: Entry, own: dict[str, list[Any]],
                   description: Description, licence: NamedNode | None) -> None:
    """The record's own distributions, then one per RDF representation of its lifecat record."""
    vocab = entries.vocab
    for dist in _iris(own.get(DCAT.distribution.value, [])):
        about = description.get(dist.value, {})
        urls = _iris(about.get(DCAT.accessURL.value, []) or about.get(DCAT.downloadURL.value, []))
        if not urls:
            continue
        entry.add(entry.iri, DCAT.distribution, dist)
        entry.add(dist, RDF.type, DCAT.Distribution)
        for url in urls:
            entry.add(dist, DCAT.accessURL, url)
        for url in _iris(about.get(DCAT.downloadURL.value, [])):
            entry.add(dist, DCAT.downloadURL, url)
        for value in _texts(about, (DCT.title, SCHEMA.name)):
            entry.add(dist, DCT.title, value)
        for value in _texts(about, (DCT.description, SCHEMA.description)) or [
                Literal("A file of this dataset, as its source record lists it.")]:
            entry.add(dist, DCT.description, value)
        media = [v.value for v in [*about.get(DCAT.mediaType.value, []),
                                   *about.get(SCHEMA.encodingFormat.value, [])]]
        media_node = next(filter(None, (vocab.media_type(m.rsplit("media-types/", 1)[-1])
                                        for m in sorted(media))), None)
        entry.link(DCAT.mediaType, media_node, subject=dist)
        file_type = vocab.file_type(media_node.value.rsplit("media-types/", 1)[-1]) if media_node else None
        formats = _iris(about.get(DCT.format.value, []))
        entry.link(DCT.format, file_type or (vocab.file_format(formats[0]) if formats else None),
                   subject=dist)
        sizes = [v.value for v in about.get(DCAT.byteSize.value, []) if isinstance(v, Literal)]
        if sizes and sizes[0].isdigit():  # the store may have read it as an xsd:integer
            entry.add(dist, DCAT.byteSize, Literal(sizes[0], datatype=XSD.nonNegativeInteger))
        entry.link(DCT.license, licence, subject=dist)
    for fragment, name, media, label in REPRESENTATIONS:
        dist = NamedNode(f"{entry.iri.value}#catalog-{fragment}")
        entry.add(entry.iri, DCAT.distribution, dist)
        entry.add(dist, RDF.type, DCAT.Distribution)
        entry.add(dist, DCT.title, Literal(f"lifecat record ({label})"))
        entry.add(dist, DCT.description, Literal(f"What lifecat holds about this dataset, in {label}."))
        entry.add(dist, DCAT.accessURL, entry.iri)
        entry.add(dist, DCAT.downloadURL, NamedNode(f"{entry.iri.value}?format={name}"))
        entry.link(DCAT.mediaType, vocab.media_type(media), subject=dist)
        entry.link(DCT.format, vocab.file_type(media), subject=dist)
        entry.link(DCT.license, entries.licence, subject=dist)
        entry.link(DCATAP.availability, vocab.availability("STABLE"), subject=dist)

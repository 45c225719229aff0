"""The catalogue states DCAT-AP's recommended properties where the data supports them.

Dumps are distributions with their own file as access URL, a description and an availability; a
dataset's publisher and contact come from its record; lifecat's listing dates sit on a
``dcat:CatalogRecord`` per entry, so a dataset keeps only its own source dates.
"""

from __future__ import annotations

import gzip
from collections import Counter
from pathlib import Path

import pytest
import rdflib
from fastapi.testclient import TestClient
from pyoxigraph import Literal, NamedNode, RdfFormat, Store, Triple, parse

from lifecat.core.config import Settings, SourceConfig
from lifecat.core.uris import Minter
from lifecat.core.vocab import ADMS, DCAT, DCATAP, DCT, FOAF, RDF, SCHEMA, VCARD, XSD
from lifecat.graph.build import build
from lifecat.graph.catalog import Catalogue
from lifecat.graph.catalog_entries import Entries, record_entries
from lifecat.graph.store import Store as LifecatStore
from tests.endpoint.test_catalog_dcat_ap import CONFORMANCE, violations
from tests.utils.samples import SAMPLES
from tests.utils.stores import copy_of

BASE = "http://lifecat.test/"
#: Who may publish a record's dataset, as records state it.
PUBLISHED = (DCT.publisher, SCHEMA.publisher, SCHEMA.provider)


def named_publishers(store: Store, dataset: NamedNode, graph: NamedNode | None) -> set[str]:
    """The names of the publishers a record states."""
    return {n.object.value for p in PUBLISHED for q in store.quads_for_pattern(dataset, p, None, graph)
            for n in store.quads_for_pattern(q.object, SCHEMA.name, None, graph)}


class Described(dict):
    """Triples by subject and predicate, so that a whole catalogue is read in one pass."""

    def __init__(self, triples: list[Triple]) -> None:
        super().__init__()
        for t in triples:
            self.setdefault((t.subject, t.predicate), []).append(t.object)


def objects(triples: Described | list[Triple], subject: NamedNode, predicate: NamedNode) -> list:
    if isinstance(triples, Described):
        return triples.get((subject, predicate), [])
    return [t.object for t in triples if t.subject == subject and t.predicate == predicate]


@pytest.fixture(scope="module")
def catalogue(client: TestClient) -> Described:
    response = client.get("/catalog/all", headers={"Accept": "application/n-triples"})
    assert response.status_code == 200
    return Described([q.triple for q in parse(response.content, format=RdfFormat.N_TRIPLES)])


def test_dumps_are_reached_by_their_own_file(client: TestClient, settings: Settings,
                                             catalogue: Described) -> None:
    dumps = [s for (s, p), urls in catalogue.items() if p == DCAT.downloadURL
             and urls[0].value.startswith(f"{settings.base}dumps/")]
    assert len(dumps) >= 3  # all, meta and the bioregistry graph
    for dump in dumps:
        [download] = objects(catalogue, dump, DCAT.downloadURL)
        assert objects(catalogue, dump, DCAT.accessURL) == [download] != NamedNode(f"{settings.base}dumps/")
        [availability] = objects(catalogue, dump, DCATAP.availability)
        assert availability.value.startswith("http://publications.europa.eu/resource/authority/"
                                             "planned-availability/")
        assert objects(catalogue, availability, RDF.type)
        assert [d.value for d in objects(catalogue, dump, DCT.description) if d.value.strip()]
        response = client.get("/" + download.value.removeprefix(settings.base))
        assert response.status_code == 200
        [size] = objects(catalogue, dump, DCAT.byteSize)
        assert int(size.value) == len(response.content)


def test_entries_name_the_publisher_their_record_states(settings: Settings,
                                                        catalogue: Described) -> None:
    store = copy_of(settings)
    graph = Minter(settings.base).graph("bioregistry")
    catalogued = objects(catalogue, NamedNode(f"{settings.base}catalog"), DCAT.dataset)
    stating = [d for d in catalogued if named_publishers(store, d, graph)]
    assert stating
    for dataset in stating:
        [publisher] = objects(catalogue, dataset, DCT.publisher)
        assert FOAF.Agent in objects(catalogue, publisher, RDF.type)
        [name] = objects(catalogue, publisher, FOAF.name)
        assert name.value in named_publishers(store, dataset, graph)
    stating_none = set(catalogued) - set(stating)
    assert not [d for d in stating_none if d.value.startswith(f"{settings.base}id/")
                and objects(catalogue, d, DCT.publisher)]


def test_listing_dates_are_on_a_catalogue_record(settings: Settings, catalogue: Described) -> None:
    catalogue_node = NamedNode(f"{settings.base}catalog")
    datasets = objects(catalogue, catalogue_node, DCAT.dataset)
    records = objects(catalogue, catalogue_node, DCAT.record)
    topics = Counter(o for r in records for o in objects(catalogue, r, FOAF.primaryTopic))
    assert set(topics) == set(datasets) and set(topics.values()) == {1}
    for record in records:
        assert DCAT.CatalogRecord in objects(catalogue, record, RDF.type)
        [issued] = objects(catalogue, record, DCT.issued)
        [modified] = objects(catalogue, record, DCT.modified)
        [status] = objects(catalogue, record, ADMS.status)
        assert issued.value <= modified.value
        assert status.value.rsplit("/", 1)[-1] == ("Created" if issued == modified else "Updated")
    for dataset in datasets:
        assert len(objects(catalogue, dataset, DCT.issued)) <= 1
        assert len(objects(catalogue, dataset, DCT.modified)) <= 1
    # the meta graph dates the same records, never the datasets themselves
    store = copy_of(settings)
    meta = Minter(settings.base).meta_graph
    assert not [q for q in store.quads_for_pattern(None, DCT.issued, None, meta)
                if q.subject in set(datasets)]
    dated = {q.subject for q in store.quads_for_pattern(None, DCT.issued, None, meta)}
    listed = {q.object for q in store.quads_for_pattern(catalogue_node, DCAT.record, None, meta)}
    assert listed & dated and listed <= set(records)


def test_own_datasets_have_the_deployments_contact_only_when_configured(
        client: TestClient, settings: Settings, catalogue: Described) -> None:
    assert settings.catalog_contact is None
    own = NamedNode(f"{settings.base}void#dataset")
    assert objects(catalogue, own, DCT.publisher) and not objects(catalogue, own, DCAT.contactPoint)
    entries = Entries(settings.model_copy(update={"catalog_contact": "https://example.org/help"}),
                      Minter(settings.base))
    assert entries.contact is not None
    described = entries.vocab.nodes[entries.contact.value]
    assert Triple(entries.contact, VCARD.hasURL, NamedNode("https://example.org/help")) in described


def test_publisher_is_never_the_publisher_of_the_description(settings: Settings) -> None:
    """The source that published only the description does not publish the dataset: its provider
    does, and records naming the same publisher share one agent."""
    record = f"{BASE}id/catalog/x"
    described_by = NamedNode(f"{record}#source-publisher")
    provider = NamedNode(f"{BASE}id/organization/o")
    description = {
        record: {DCT.title.value: [Literal("X")], DCT.description.value: [Literal("About x.")],
                 SCHEMA.sdPublisher.value: [described_by], SCHEMA.provider.value: [provider]},
        described_by.value: {SCHEMA.name.value: [Literal("Registry")],
                             SCHEMA.url.value: [NamedNode("https://registry.example/")]},
        provider.value: {SCHEMA.name.value: [Literal("Owner")], RDF.type.value: [SCHEMA.Organization],
                         SCHEMA.url.value: [NamedNode("https://owner.example/")]},
    }
    entries = Entries(settings, Minter(BASE))
    [entry] = record_entries(entries, description, {record: ["alpha"]}, [])
    assert objects(entry.triples, entry.iri, DCT.publisher) == [provider]
    [point] = objects(entry.triples, entry.iri, DCAT.contactPoint)
    assert objects(entries.vocab.nodes[point.value], point, VCARD.hasURL) == [
        NamedNode("https://owner.example/")]
    del description[record][SCHEMA.provider.value]
    [alone] = record_entries(Entries(settings, Minter(BASE)), description, {record: ["alpha"]}, [])
    assert objects(alone.triples, alone.iri, DCT.publisher) == []  # the describer published nothing
    description[record][SCHEMA.publisher.value] = [described_by]  # a registry publishing the thing
    other = f"{BASE}id/catalog/y"  # another record of the same source names the same publisher
    other_publisher = f"{other}#source-publisher"
    description[other] = {**description[record], DCT.title.value: [Literal("Y")],
                          SCHEMA.publisher.value: [NamedNode(other_publisher)]}
    description[other_publisher] = description[described_by.value]
    described = record_entries(entries, description, {record: ["alpha"], other: ["alpha"]}, [])
    [[agent], [same]] = [objects(e.triples, e.iri, DCT.publisher) for e in described]
    assert agent == same and agent.value.startswith(f"{BASE}catalog#agent-")
    assert objects(entries.vocab.nodes[agent.value], agent, FOAF.name) == [Literal("Registry")]


# -- the real samples -----------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def sample_catalogue(samples: Path, tmp_path_factory: pytest.TempPathFactory
                     ) -> tuple[Store, list[Triple], Described]:
    """The whole catalogue of every real sample built together, and the store it describes."""
    settings = Settings(store=tmp_path_factory.mktemp("samples-catalogue"), base=BASE)
    build(settings, [SourceConfig(format=f, path=str(samples / p)) for f, p in SAMPLES],
          progress=False, log=lambda _: None)
    export = Catalogue(LifecatStore.open(settings).artifacts()).export("application/n-triples")
    triples = [q.triple for q in parse(gzip.decompress(export.read_bytes()), format=RdfFormat.N_TRIPLES)]
    return copy_of(settings), triples, Described(triples)


def test_sequence_datasets_keep_their_own_dates_and_coverage(sample_catalogue) -> None:
    store, _, triples = sample_catalogue
    graph = NamedNode(f"{BASE}graph/nextstrain")
    sequences = sorted({q.subject for q in store.quads_for_pattern(None, RDF.type, DCAT.Dataset, graph)
                        if q.subject.value.startswith(f"{BASE}id/dataset/")}, key=str)
    assert len(sequences) > 400
    for dataset in sequences:
        own = {q.object for q in store.quads_for_pattern(dataset, DCT.issued, None, graph)}
        assert set(objects(triples, dataset, DCT.issued)) == own and len(own) <= 1
        [sample] = [q.object for q in store.quads_for_pattern(dataset, SCHEMA.about, None, graph)]
        collected = [q.object for c in store.quads_for_pattern(sample, SCHEMA.additionalProperty, None, graph)
                     if Literal("collection date") in {n.object for n in store.quads_for_pattern(
                         c.object, SCHEMA.name, None, graph)}
                     for q in store.quads_for_pattern(c.object, SCHEMA.value, None, graph)
                     if q.object.datatype in (XSD.date, XSD.gYearMonth, XSD.gYear)]
        periods = objects(triples, dataset, DCT.temporal)
        assert len(periods) == (1 if collected else 0)
        for period in periods:
            assert objects(triples, period, DCAT.startDate) == collected
            assert objects(triples, period, DCAT.endDate) == collected
        assert not objects(triples, dataset, DCT.spatial)


def test_record_distributions_and_publishers_are_carried(sample_catalogue) -> None:
    store, _, triples = sample_catalogue
    datasets = objects(triples, NamedNode(f"{BASE}catalog"), DCAT.dataset)
    stating = [d for d in datasets if named_publishers(store, d, None)]
    assert len(stating) > 400
    assert not [d for d in stating if not objects(triples, d, DCT.publisher)]
    carried = 0
    for dataset in datasets:
        for quad in store.quads_for_pattern(dataset, DCAT.distribution, None, None):
            urls = list(store.quads_for_pattern(quad.object, DCAT.downloadURL, None, None))
            if not urls:
                continue
            carried += 1
            dist = quad.object
            assert dist in objects(triples, dataset, DCAT.distribution)
            assert objects(triples, dist, DCAT.downloadURL) == [urls[0].object]
            assert objects(triples, dist, DCAT.accessURL) and objects(triples, dist, DCT.description)
            for fmt in objects(triples, dist, DCT["format"]):
                assert DCT.MediaTypeOrExtent in objects(triples, fmt, RDF.type)
    assert carried > 400  # every sequence's FASTA, the Bioregistry's downloads


def test_the_samples_catalogue_has_no_dcat_ap_violations(sample_catalogue) -> None:
    if not (CONFORMANCE / "shapes.ttl").is_file():
        pytest.skip(f"the DCAT-AP 3.0.1 shapes are not at {CONFORMANCE}")
    shapes = rdflib.Graph()
    for name in ("shapes.ttl", "range.ttl"):
        shapes.parse(CONFORMANCE / name, format="turtle")
    _, triples, _ = sample_catalogue
    data = rdflib.Graph().parse(data="".join(f"{t} .\n" for t in triples), format="nt")
    assert violations(data, shapes) == []

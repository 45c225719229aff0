"""The Bioregistry mapping: field coverage, URI stability, and what it refuses."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pyoxigraph import Literal, NamedNode

from lifecat.core.uris import Minter
from lifecat.core.vocab import ACCESS_RIGHT, DCAT, DCT, PROV, SCHEMA
from lifecat.mappings import RecordError, SourceFormatError, get_format
from lifecat.mappings.rdf import Record

FIXTURES = Path(__file__).parents[1] / "fixtures" / "bioregistry"
MINT = Minter("http://lifecat.test/")
FORMAT = get_format("bioregistry")


def mapped(path: Path = FIXTURES) -> dict[str, Record]:
    return {item.locator.rsplit("#", 1)[1]: FORMAT.to_rdf(item.data, MINT)
            for item in FORMAT.read(path) if "broken" not in item.locator}


def objects(record: Record, subject: NamedNode, predicate: NamedNode) -> set[str]:
    return {t.object.value for t in record.triples if t.subject == subject and t.predicate == predicate}


def test_resource_fields_are_covered() -> None:
    rec = mapped()["goodres"]
    uri = NamedNode("http://lifecat.test/id/catalog/goodres")
    assert rec.uri == uri
    assert objects(rec, uri, SCHEMA.name) == objects(rec, uri, DCT.title) == {"Good Resource"}
    assert objects(rec, uri, SCHEMA.url) == objects(rec, uri, DCAT.landingPage) == {
        "https://good.example.org"}
    assert {"proteins", "sequences"} <= objects(rec, uri, DCAT.keyword)
    assert objects(rec, uri, DCT.license) == {"http://spdx.org/licenses/CC-BY-4.0"}
    assert {"http://schema.org/DataCatalog", "http://www.w3.org/ns/dcat#Dataset"} <= objects(
        rec, uri, NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"))
    # contact → Person minted from the ORCID, with no e-mail anywhere
    person = NamedNode("http://lifecat.test/id/person/0000-0002-1825-0097")
    assert objects(rec, uri, SCHEMA.maintainer) == {person.value}
    assert objects(rec, person, SCHEMA.sameAs) == {"https://orcid.org/0000-0002-1825-0097"}
    assert not any("@" in t.object.value for t in rec.triples if isinstance(t.object, Literal))
    # owners → provider and publisher, minted from the ROR id
    org = "http://lifecat.test/id/organization/02catss52"
    assert objects(rec, uri, SCHEMA.provider) == objects(rec, uri, DCT.publisher) == {org}
    # publications: DOI lower-cased; PubMed-only gets a pubmed: key
    assert objects(rec, uri, SCHEMA.citation) == {
        "http://lifecat.test/id/article/10.1093/nar/gkab1066",
        "http://lifecat.test/id/article/pubmed:123456",
    }
    # mappings → identifiers, sameAs through the registry's URI format, registry links
    assert "https://www.re3data.org/repository/r3d100000001" in objects(rec, uri, SCHEMA.sameAs)
    assert "re3data:r3d100000001" in objects(rec, uri, SCHEMA.identifier)
    assert "http://lifecat.test/id/registry/miriam" in objects(rec, uri, SCHEMA.includedInDataCatalog)
    assert len(objects(rec, uri, DCAT.distribution)) == 1


def test_registry_and_collection_records() -> None:
    records = mapped()
    assert records["re3data"].uri.value == "http://lifecat.test/id/registry/re3data"
    collection = records["0000001"]
    assert objects(collection, collection.uri, DCAT.dataset) == {
        "http://lifecat.test/id/catalog/goodres", "http://lifecat.test/id/catalog/nodesc"}


def test_bioregistry_published_the_descriptions_under_cc0() -> None:
    records = mapped()
    rec, uri = records["goodres"], records["goodres"].uri
    (publisher,) = map(NamedNode, objects(rec, uri, SCHEMA.sdPublisher))
    assert objects(rec, publisher, SCHEMA.name) == {"Bioregistry"}
    assert objects(rec, publisher, SCHEMA.url) == {"https://bioregistry.io/"}
    # the resource's owner stays its only publisher; its own licence wins over the Bioregistry's CC0
    assert objects(rec, uri, DCT.publisher) == {"http://lifecat.test/id/organization/02catss52"}
    assert objects(rec, uri, SCHEMA.license) == {"http://spdx.org/licenses/CC-BY-4.0"}
    assert objects(rec, uri, DCT.accessRights) == {ACCESS_RIGHT.PUBLIC.value}
    assert objects(rec, uri, SCHEMA.isAccessibleForFree) == set()  # the Bioregistry does not say
    assert objects(rec, uri, PROV.wasDerivedFrom) == {"https://bioregistry.io/registry/goodres"}
    # what it names with pages of its own were read from the same entry
    for page in ("person/0000-0002-1825-0097", "organization/02catss52", "article/pubmed:123456"):
        assert objects(rec, NamedNode(f"http://lifecat.test/id/{page}"), PROV.wasDerivedFrom) == {
            "https://bioregistry.io/registry/goodres"}
    bare = records["nodesc"]
    # a resource without a licence of its own is not under the Bioregistry's: its description is
    assert objects(bare, bare.uri, SCHEMA.license) == objects(bare, bare.uri, DCT.license) == set()
    assert objects(bare, bare.uri, SCHEMA.sdLicense) == {"http://spdx.org/licenses/CC0-1.0"}
    registry = records["re3data"]
    assert objects(registry, registry.uri, SCHEMA.sdPublisher) and not objects(
        registry, registry.uri, DCT.publisher)
    assert objects(registry, registry.uri, PROV.wasDerivedFrom) == {
        "https://bioregistry.io/metaregistry/re3data"}


def test_a_collection_is_the_bioregistrys_own() -> None:
    collection = mapped()["0000001"]
    uri = collection.uri
    (publisher,) = objects(collection, uri, SCHEMA.publisher)
    assert objects(collection, uri, DCT.publisher) == {publisher}
    assert objects(collection, uri, SCHEMA.sdPublisher) == set()
    assert objects(collection, uri, DCT.license) == {"http://spdx.org/licenses/CC0-1.0"}
    assert objects(collection, uri, SCHEMA.isAccessibleForFree) == {"true"}
    assert objects(collection, uri, PROV.wasDerivedFrom) == {"https://bioregistry.io/collection/0000001"}


def test_invalid_iri_is_noted_not_emitted() -> None:
    rec = mapped()["badhome"]
    assert not objects(rec, rec.uri, SCHEMA.url)
    assert rec.notes and rec.notes[0][0] == "homepage"


def test_wrong_shaped_record_is_a_record_error() -> None:
    item = next(i for i in FORMAT.read(FIXTURES) if i.locator.endswith("#broken"))
    with pytest.raises(RecordError, match="mappings"):
        FORMAT.to_rdf(item.data, MINT)


def test_same_input_same_uris_whatever_the_order(tmp_path: Path) -> None:
    data = json.loads((FIXTURES / "bioregistry.json").read_text())
    for name in ("metaregistry.json", "collections.json"):
        (tmp_path / name).write_text((FIXTURES / name).read_text())
    (tmp_path / "bioregistry.json").write_text(json.dumps(dict(reversed(list(data.items())))))
    first = {k: sorted(map(str, r.triples)) for k, r in mapped().items() if k in data}
    second = {k: sorted(map(str, r.triples)) for k, r in mapped(tmp_path).items() if k in data}
    assert first == second


@pytest.mark.parametrize("content", ["{not json", "[1, 2, 3]", '{"a": 1}'])
def test_wrong_format_file_names_the_file(tmp_path: Path, content: str) -> None:
    path = tmp_path / "bioregistry.json"
    path.write_text(content)
    with pytest.raises(SourceFormatError, match=str(path)):
        list(FORMAT.read(path))


def test_embedded_default_maps_every_resource() -> None:
    items = list(FORMAT.read(None))
    resources = [i for i in items if i.data["kind"] == "resource"]
    assert len(resources) >= 2900
    failures = []
    for item in items:
        try:
            FORMAT.to_rdf(item.data, MINT)
        except RecordError as error:
            failures.append((item.locator, str(error)))
    assert failures == []

"""ROR: schema v2 and v1 records, one per file or a dump's array, relationships and external ids."""

from __future__ import annotations

import pytest
from mapping_helpers import FIXTURES, map_fixture, node
from pyoxigraph import Literal, NamedNode

from lifecat.core.vocab import ACCESS_RIGHT, DCT, OWL, PROV, SCHEMA, XSD
from lifecat.mappings import SourceFormatError, get_format

EBI = node("organization", "02catss52")


@pytest.fixture(scope="module")
def orgs():
    return map_fixture("ror", "ror")


def test_v2_record(orgs) -> None:
    rec = orgs["02catss52"]
    assert rec.uri == EBI and rec.kind == "organization"
    assert orgs.types("02catss52", EBI) == {SCHEMA.Organization.value}
    assert orgs.objects("02catss52", EBI, SCHEMA.name) == {"European Bioinformatics Institute"}
    assert Literal("Institut Européen de Bioinformatique", language="fr") in {
        t.object for t in rec.triples if t.predicate == SCHEMA.alternateName}
    assert orgs.objects("02catss52", EBI, SCHEMA.sameAs) == {
        "https://ror.org/02catss52", "https://en.wikipedia.org/wiki/European_Bioinformatics_Institute",
        "https://www.grid.ac/institutes/grid.225360.0", "https://isni.org/isni/0000000097097726",
        "http://www.wikidata.org/entity/Q1341845", "https://doi.org/10.13039/100012116"}
    embl = node("organization", "03mstc592")
    assert orgs.objects("02catss52", EBI, SCHEMA.parentOrganization) == {embl.value}
    assert orgs.objects("02catss52", EBI, DCT.relation) == {node("organization", "044rwnt51").value}
    assert [t.object for t in rec.triples if t.predicate == SCHEMA.foundingDate] == [
        Literal("1992", datatype=XSD.gYear)]
    (address,) = orgs.objects("02catss52", EBI, SCHEMA.address)
    assert orgs.objects("02catss52", NamedNode(address), SCHEMA.addressCountry) == {"GB"}
    assert orgs.objects("02catss52", EBI, SCHEMA.location) == {"https://sws.geonames.org/2653941/"}


def test_ror_published_the_description_under_cc0(orgs) -> None:
    (publisher,) = map(NamedNode, orgs.objects("02catss52", EBI, SCHEMA.sdPublisher))
    assert orgs.objects("02catss52", publisher, SCHEMA.name) == {"Research Organization Registry (ROR)"}
    assert orgs.objects("02catss52", publisher, SCHEMA.url) == {"https://ror.org/"}
    assert orgs.objects("02catss52", EBI, SCHEMA.publisher) == set()
    # ROR's CC0 covers its description of the organisation: the licence of the structured data
    assert orgs.objects("02catss52", EBI, SCHEMA.sdLicense) == {"http://spdx.org/licenses/CC0-1.0"}
    assert orgs.objects("02catss52", EBI, SCHEMA.license) == set()
    assert orgs.objects("02catss52", EBI, DCT.license) == set()
    assert orgs.objects("02catss52", EBI, DCT.accessRights) == {ACCESS_RIGHT.PUBLIC.value}
    assert orgs.objects("02catss52", EBI, SCHEMA.isAccessibleForFree) == {"true"}
    assert orgs.objects("02catss52", EBI, PROV.wasDerivedFrom) == {"https://ror.org/02catss52"}
    # schema v2's admin dates are the record's; v1 records have none
    rec = orgs["02catss52"]
    dates = {SCHEMA.dateCreated, SCHEMA.dateModified}
    assert [(t.predicate, t.object) for t in rec.triples if t.predicate in dates] == [
        (SCHEMA.dateCreated, Literal("2018-11-14", datatype=XSD.date)),
        (SCHEMA.dateModified, Literal("2026-06-23", datatype=XSD.date))]
    v1 = node("organization", "00vawn972")
    assert orgs.objects("00vawn972", v1, SCHEMA.dateModified) == set()
    assert orgs.objects("00vawn972", v1, PROV.wasDerivedFrom) == {"https://ror.org/00vawn972"}


def test_v1_record(orgs) -> None:
    org = node("organization", "00vawn972")
    assert orgs.objects("00vawn972", org, SCHEMA.name) == {"Infrafrontier"}
    assert orgs.objects("00vawn972", org, DCT.relation) == {node("organization", "03mstc592").value}
    assert "grid:grid.474101.7" in orgs.objects("00vawn972", org, SCHEMA.identifier)  # "all" a string in v1
    assert not [v for v in orgs.literals("00vawn972") if "@" in v]  # email_address is never published
    assert not [v for v in orgs.literals("00vawn972") if "12345" in v]  # OrgRef is not an id lifecat keeps
    assert Literal("Infrafrontier GmbH", language="de") in {t.object for t in orgs["00vawn972"].triples}


def test_dump_array(orgs, built) -> None:
    inactive = node("organization", "01t3n1r11")
    assert [t.object for t in orgs["01t3n1r11"].triples if t.predicate == OWL.deprecated] == [
        Literal("true", datatype=XSD.boolean)]
    assert orgs.objects("01t3n1r11", inactive, SCHEMA.alternateName) == {"AnaEE France", "ANAEE"}
    assert orgs.error("0abcdef12").field == "names"
    (report,) = built(("ror", "ror"))
    assert (report.read, report.loaded, report.quarantined) == (6, 5, 1)


def test_wrong_format_names_the_file() -> None:
    with pytest.raises(SourceFormatError, match=r"api-page\.json: not a ror file \(expected a ROR"):
        list(get_format("ror").read(FIXTURES / "biotools" / "api-page.json"))

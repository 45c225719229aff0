"""bio.tools: one tool per file and the API's paged list, EDAM terms, publications, credits, licences."""

from __future__ import annotations

import pytest
from mapping_helpers import FIXTURES, map_fixture, node
from pyoxigraph import Literal, NamedNode

from lifecat.core.uris import Minter
from lifecat.core.vocab import ACCESS_RIGHT, BIOSCHEMAS, DCT, EDAM, OWL, PROV, SCHEMA, XSD
from lifecat.mappings import SourceFormatError, get_format

TOOL = node("tool", "seqtwin")


@pytest.fixture(scope="module")
def tools():
    return map_fixture("biotools", "biotools")


def test_tool_fields_and_edam_terms(tools) -> None:
    rec = tools["SeqTwin"]
    assert rec.uri == TOOL and rec.key == "seqtwin" and rec.kind == "tool"
    assert tools.types("SeqTwin", TOOL) == {SCHEMA.SoftwareApplication.value}
    assert tools.objects("SeqTwin", TOOL, SCHEMA.name) == {"SeqTwin"}
    assert tools.objects("SeqTwin", TOOL, SCHEMA.url) == {"https://seqtwin.example.org"}
    assert tools.objects("SeqTwin", TOOL, SCHEMA.sameAs) == {"https://bio.tools/seqtwin"}
    assert tools.objects("SeqTwin", TOOL, SCHEMA.applicationSubCategory) == {EDAM.topic_0080.value}
    assert tools.objects("SeqTwin", TOOL, SCHEMA.featureList) == {EDAM.operation_0292.value}
    assert tools.objects("SeqTwin", TOOL, SCHEMA.softwareVersion) == {"1.2", "2.0"}
    assert tools.objects("SeqTwin", TOOL, SCHEMA.license) == {"http://spdx.org/licenses/MIT"}
    assert tools.objects("SeqTwin", TOOL, SCHEMA.codeRepository) == {"https://github.com/example/seqtwin"}
    assert tools.objects("SeqTwin", TOOL, SCHEMA.isBasedOn) == {node("tool", "blast").value}
    created = [t.object for t in rec.triples if t.predicate == SCHEMA.dateCreated]
    assert created == [Literal("2019-05-02T10:11:12Z", datatype=XSD.dateTime)]
    (inp,) = tools.objects("SeqTwin", TOOL, BIOSCHEMAS.input)
    assert tools.types("SeqTwin", NamedNode(inp)) == {BIOSCHEMAS.FormalParameter.value}
    assert tools.objects("SeqTwin", NamedNode(inp), SCHEMA.encodingFormat) == {EDAM.format_1929.value}
    assert tools.objects("SeqTwin", NamedNode(inp), SCHEMA.additionalType) == {EDAM.data_2044.value}
    # an invalid link is reported, not emitted
    assert ("link", "'not a url' is not a valid IRI (not an absolute http(s) IRI)") in rec.notes


def test_publications_are_shared_article_nodes(tools) -> None:
    rec = tools["SeqTwin"]
    article = node("article", "10.1101/2020.03.15.000001")
    assert tools.objects("SeqTwin", TOOL, SCHEMA.citation) == {
        article.value, node("article", "pubmed:31000002").value}
    assert tools.objects("SeqTwin", article, OWL.sameAs) == {
        node("article", "pubmed:32000001").value, node("article", "pmc:PMC7000001").value}
    assert tools.objects("SeqTwin", article, SCHEMA.headline) == {"SeqTwin: comparing viral genomes"}
    assert any(field == "publication" for field, _ in rec.notes)  # the one without any id
    legacy = node("tool", "legacy_db")
    paper = node("article", "10.1093/nar/gkab1066")  # written as an upper-case DOI URL
    assert tools.objects("legacy_db", legacy, SCHEMA.citation) == {paper.value}


def test_credits_people_by_orcid_and_no_email(tools) -> None:
    person = node("person", "0000-0002-1825-0097")
    assert tools.objects("SeqTwin", TOOL, SCHEMA.author) == {person.value}
    assert tools.objects("SeqTwin", TOOL, SCHEMA.creator) == {person.value}  # a Developer wrote it
    assert person.value in tools.objects("SeqTwin", TOOL, SCHEMA.maintainer)
    assert tools.objects("SeqTwin", person, SCHEMA.name) == {"Ada Example"}
    (institute,) = tools.objects("SeqTwin", TOOL, SCHEMA.provider)
    assert tools.types("SeqTwin", NamedNode(institute)) == {SCHEMA.Organization.value}
    assert len(tools.objects("SeqTwin", TOOL, SCHEMA.funder)) == 1
    assert not [v for v in tools.literals("SeqTwin") if "@" in v]
    # a credit with only an ORCID links the person without asserting a nameless Person
    legacy = node("tool", "legacy_db")
    assert tools.objects("legacy_db", legacy, SCHEMA.contributor) == {person.value}
    assert tools.types("legacy_db", person) == set()


def test_bio_tools_published_the_description(tools) -> None:
    (publisher,) = tools.objects("SeqTwin", TOOL, SCHEMA.sdPublisher)
    assert tools.objects("SeqTwin", TOOL, DCT.publisher) == set()
    assert tools.objects("SeqTwin", TOOL, SCHEMA.publisher) == set()  # bio.tools did not publish the tool
    assert tools.objects("SeqTwin", NamedNode(publisher), SCHEMA.name) == {"bio.tools (ELIXIR)"}
    assert tools.objects("SeqTwin", NamedNode(publisher), SCHEMA.url) == {"https://bio.tools/"}
    assert tools.objects("SeqTwin", TOOL, PROV.wasDerivedFrom) == {"https://bio.tools/seqtwin"}
    assert tools.objects("SeqTwin", TOOL, DCT.accessRights) == set()  # its entry does not say
    assert tools.objects("SeqTwin", TOOL, SCHEMA.isAccessibleForFree) == {"true"}  # "Free of charge"
    # the tool's own licence is the tool's; bio.tools' licence is its description's
    assert tools.objects("SeqTwin", TOOL, SCHEMA.license) == {"http://spdx.org/licenses/MIT"}
    assert tools.objects("SeqTwin", TOOL, DCT.license) == set()
    assert tools.objects("covtrace", node("tool", "covtrace"), SCHEMA.license) == {
        "http://spdx.org/licenses/GPL-3.0"}
    bare = node("tool", "nodescription")
    # a tool without a licence is not under bio.tools' CC BY 4.0: its description is
    assert tools.objects("nodescription", bare, SCHEMA.license) == tools.objects(
        "nodescription", bare, DCT.license) == set()
    assert tools.objects("nodescription", bare, SCHEMA.sdLicense) == {"http://spdx.org/licenses/CC-BY-4.0"}
    assert tools.objects("nodescription", bare, SCHEMA.isAccessibleForFree) == set()  # no cost given


def test_cited_articles_and_credited_people_say_where_they_were_read(tools) -> None:
    for page in (node("article", "10.1101/2020.03.15.000001"), node("article", "pubmed:31000002"),
                 node("person", "0000-0002-1825-0097")):
        assert tools.objects("SeqTwin", page, PROV.wasDerivedFrom) == {"https://bio.tools/seqtwin"}
        # bio.tools published their description, under its licence; it does not say how open they are
        assert tools.objects("SeqTwin", page, SCHEMA.sdPublisher) == {
            f"{page.value}#source-publisher-bio-tools"}
        assert tools.objects("SeqTwin", page, SCHEMA.sdLicense) == {"http://spdx.org/licenses/CC-BY-4.0"}
        assert not tools.objects("SeqTwin", page, DCT.accessRights)
        assert not tools.objects("SeqTwin", page, SCHEMA.license)
    credits = [t for t in tools["SeqTwin"].triples if "#credit-" in t.subject.value]
    assert credits and not [t for t in credits if t.predicate == PROV.wasDerivedFrom]  # sub-nodes


def test_accessibility_and_cost_say_how_open_the_tool_is() -> None:
    tool = {"biotoolsID": "paywalled", "name": "Paywalled", "description": "A commercial service.",
            "homepage": "https://example.org/paywalled", "accessibility": "Restricted access",
            "cost": "Commercial"}
    record = get_format("biotools").to_rdf(tool, Minter("http://lifecat.test/"))
    access = {(t.predicate, t.object.value) for t in record.triples
              if t.subject == record.uri and t.predicate in {DCT.accessRights, SCHEMA.isAccessibleForFree}}
    assert access == {(DCT.accessRights, ACCESS_RIGHT.RESTRICTED.value),
                      (SCHEMA.isAccessibleForFree, "false")}


def test_unknown_licence_kept_as_rights(tools) -> None:
    legacy = node("tool", "legacy_db")
    assert tools.objects("legacy_db", legacy, DCT.rights) == {"Proprietary"}
    # a rights statement is the tool's own: bio.tools' licence would contradict it
    assert tools.objects("legacy_db", legacy, SCHEMA.license) == set()
    assert tools.objects("legacy_db", legacy, DCT.license) == set()
    assert tools.objects("legacy_db", legacy, SCHEMA.sdPublisher)
    assert tools.objects("legacy_db", legacy, SCHEMA.url) == {"ftp://ftp.legacy.example.org/pub/"}


def test_api_page_and_quarantine(tools, built) -> None:
    assert set(tools.records) == {"SeqTwin", "legacy_db", "covtrace", "item-1", "nodescription"}
    assert tools.error("item-1").field == "biotoolsID"
    (report,) = built(("biotools", "biotools"))
    # a tool without a description lacks a Bioschemas minimum property: it loads, with a warning
    assert (report.read, report.loaded, report.quarantined) == (5, 4, 1)
    assert set(report.reasons) == {"record has no id"}  # quarantined as read, not refused as a file
    assert "ComputationalToolShape description: minCount" in report.warning_rules


def test_wrong_format_names_the_file() -> None:
    path = FIXTURES / "ror" / "v1" / "00vawn972.json"
    with pytest.raises(SourceFormatError, match=r"00vawn972\.json: not a biotools file \(expected biotools"):
        list(get_format("biotools").read(path))


def test_credit_named_by_an_email_address_is_not_published() -> None:
    tool = {"biotoolsID": "mailname", "name": "Mail name", "description": "A tool.",
            "homepage": "https://example.org/mailname",
            "credit": [{"name": "someone@example.org", "typeEntity": "Person"},
                       {"url": "http://example.org/cgi-bin/x@example.org"}]}
    record = get_format("biotools").to_rdf(tool, Minter("http://lifecat.test/"))
    texts = [t.object.value for t in record.triples if isinstance(t.object, Literal)]
    assert not any("@example.org" in text for text in texts)
    assert not any("@example.org" in message for _, message in record.notes)
    assert ("credit.name", "a name that is an e-mail address or phone number, not published") in record.notes

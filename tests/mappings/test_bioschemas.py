"""Bioschemas JSON-LD: any @context style, @graph or not, renamed to lifecat URIs with sameAs the @id."""

from __future__ import annotations

import pytest
from mapping_helpers import FIXTURES, map_fixture, node
from pyoxigraph import NamedNode

from lifecat.core.vocab import DCT, PROV, RDF, SCHEMA
from lifecat.mappings import SourceFormatError, get_format


@pytest.fixture(scope="module")
def docs():
    return map_fixture("bioschemas", "bioschemas")


def test_biotools_markup_meets_the_biotools_record(docs) -> None:
    tool = node("tool", "seqtwin")
    rec = docs["seqtwin"]
    assert rec.uri == tool and rec.kind == "tool"
    assert docs.objects("seqtwin", tool, SCHEMA.sameAs) == {"https://bio.tools/SeqTwin"}
    # schema:url written as a string is an IRI, as schema.org's own context reads it
    assert docs.objects("seqtwin", tool, SCHEMA.url) == {"https://seqtwin.example.org"}
    assert docs.objects("seqtwin", tool, SCHEMA.license) == {"http://spdx.org/licenses/MIT"}
    # citations: the DOI node and the pubmed: CURIE both become shared article nodes
    assert docs.objects("seqtwin", tool, SCHEMA.citation) == {
        node("article", "10.1101/2020.03.15.000001").value, node("article", "pubmed:32000001").value}
    assert docs.objects("seqtwin", tool, DCT.conformsTo) == {
        "https://bioschemas.org/profiles/ComputationalTool/1.0-RELEASE"}


def test_markup_bio_tools_generated_says_who_published_it(docs) -> None:
    tool = node("tool", "seqtwin")
    (publisher,) = docs.objects("seqtwin", tool, SCHEMA.sdPublisher)
    assert publisher == tool.value + "#source-publisher-bio-tools"  # the node the bio.tools record names too
    assert docs.objects("seqtwin", tool, DCT.publisher) == set()  # bio.tools did not publish the tool
    assert docs.objects("seqtwin", NamedNode(publisher), SCHEMA.name) == {
        "bio.tools (ELIXIR)"}
    assert docs.objects("seqtwin", tool, PROV.wasDerivedFrom) == {"https://bio.tools/seqtwin"}
    assert docs.objects("seqtwin", tool, DCT.accessRights) == set()  # neither says how open the tool is
    assert docs.objects("seqtwin", tool, SCHEMA.sdLicense) == {"http://spdx.org/licenses/CC-BY-4.0"}
    # the markup's own licence is the tool's; it says nothing of cost, nor does lifecat
    assert docs.objects("seqtwin", tool, SCHEMA.license) == {"http://spdx.org/licenses/MIT"}
    assert docs.objects("seqtwin", tool, SCHEMA.isAccessibleForFree) == set()
    # markup from any other site says who published it only in its own words
    dataset = node("dataset", "data.example.org/dataset/42")
    for predicate in (SCHEMA.sdPublisher, DCT.accessRights, PROV.wasDerivedFrom):
        assert docs.objects("dataset", dataset, predicate) == set()


def test_reference_only_nodes_and_contacts(docs) -> None:
    person = node("person", "0000-0002-1825-0097")
    rec = docs["seqtwin"]
    # the ORCID stub (typed with the undeclared schema: prefix) stays a link, without its type
    assert person.value in {t.object.value for t in rec.triples}
    assert docs.types("seqtwin", person) == set()
    note = "https://orcid.org/0000-0002-1825-0097 is only referenced; its type is not asserted"
    assert ("@type", note) in rec.notes
    assert not any(t.predicate == SCHEMA.email for t in rec.triples)
    assert not [v for v in docs.literals("seqtwin") if "@" in v]


def test_plain_markup_with_remote_schema_org_context(docs) -> None:
    dataset = node("dataset", "data.example.org/dataset/42")
    rec = docs["dataset"]
    assert rec.uri == dataset
    assert docs.types("dataset", dataset) == {SCHEMA.Dataset.value}  # https://schema.org/ read as http
    assert docs.objects("dataset", dataset, SCHEMA.sameAs) == {"https://data.example.org/dataset/42"}
    assert docs.objects("dataset", dataset, SCHEMA.isBasedOn) == {node("dataset", "SRR11000001").value}
    (creator,) = docs.objects("dataset", dataset, SCHEMA.creator)
    assert creator == f"{dataset.value}#node-1"  # a blank node, named inside the record
    assert not any(t.predicate == SCHEMA.telephone for t in rec.triples)
    assert all(not t.predicate.value.startswith("https://schema.org/") for t in rec.triples)


def test_html_page_script(docs) -> None:
    tool, org = node("tool", "covtrace"), node("organization", "02catss52")
    assert docs["script-1"].uri == tool
    assert docs.objects("script-1", tool, SCHEMA.author) == {org.value}
    assert docs.objects("script-1", org, RDF.type) == {SCHEMA.Organization.value}
    assert docs.objects("script-1", org, SCHEMA.sameAs) == {"https://ror.org/02catss52"}


def test_unusable_documents_are_quarantined(docs, built) -> None:
    assert docs.error("remote-context").field == "@context"
    assert docs.error("no-id").field == "@id"
    (report,) = built(("bioschemas", "bioschemas"))
    assert (report.read, report.loaded, report.quarantined) == (5, 3, 2)


@pytest.mark.parametrize("path", ["preprints/covid19_preprints.csv", "biotools/api-page.json"])
def test_wrong_format_names_the_file(path: str) -> None:
    with pytest.raises(SourceFormatError, match=r"not a bioschemas file \(expected a JSON-LD document"):
        list(get_format("bioschemas").read(FIXTURES / path))

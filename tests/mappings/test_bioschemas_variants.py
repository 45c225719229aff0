"""Bioschemas markup as other sites write it (``tests/fixtures/bioschemas-variants/``): the @id as the
page, HTML in text, expanded JSON-LD, @graph documents about several things, agents written as names,
and links that must never reach a page."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from mapping_helpers import MINT, Mapped, map_fixture, node
from pyoxigraph import Literal, NamedNode

from lifecat.core.vocab import BIOSCHEMAS, RDF, SCHEMA
from lifecat.mappings import RecordError, get_format
from lifecat.mappings.bioschemas import to_rdf
from lifecat.mappings.values import plain_text

VARIANTS = "bioschemas-variants"
FORMAT = get_format("bioschemas")


def variant(name: str) -> Mapped:
    return map_fixture("bioschemas", f"{VARIANTS}/{name}")


def agent(mapped: Mapped, key: str, subject: NamedNode, predicate: NamedNode) -> tuple[set[str], set[str]]:
    """The types and names of the agents ``subject`` names through ``predicate``."""
    (value,) = mapped.objects(key, subject, predicate)
    return mapped.types(key, NamedNode(value)), mapped.objects(key, NamedNode(value), SCHEMA.name)


def test_tool_page_without_url_has_its_id_as_url() -> None:
    page = variant("foldweaver-tool-page.html")
    assert list(page.records) == ["script-1"]  # the analytics scripts are not markup
    tool = node("tool", "foldweaver.example.org/")
    assert page["script-1"].uri == tool
    assert page.types("script-1", tool) == {SCHEMA.SoftwareApplication.value}  # https://schema.org
    assert page.objects("script-1", tool, SCHEMA.url) == {"https://foldweaver.example.org/"}
    assert page.objects("script-1", tool, SCHEMA.sameAs) == {"https://foldweaver.example.org/"}


def test_html_description_is_plain_text() -> None:
    page = variant("foldweaver-tool-page.html")
    tool = node("tool", "foldweaver.example.org/")
    assert page.objects("script-1", tool, SCHEMA.description) == {
        "FoldWeaver predicts RNA secondary structures & base-pairing probabilities.\n"
        "It reads FASTA files\nand writes dot-bracket notation — or CT files."}
    for text in page.literals("script-1"):
        assert "<" not in text and "&amp;" not in text and "&nbsp;" not in text, text


def test_agents_written_as_names_are_people_and_organisations() -> None:
    page = variant("foldweaver-tool-page.html")
    tool = node("tool", "foldweaver.example.org/")
    assert agent(page, "script-1", tool, SCHEMA.author) == ({SCHEMA.Person.value}, {"Marie Exemple"})
    assert agent(page, "script-1", tool, SCHEMA.publisher) == (
        {SCHEMA.Organization.value}, {"Example Institute of RNA Biology"})
    (author,) = page.objects("script-1", tool, SCHEMA.author)
    assert author.startswith(f"{tool.value}#node-")  # a blank node, named inside the record


def test_expanded_document_with_https_schema_org() -> None:
    doc = variant("cohort-serology.expanded.jsonld")
    dataset = node("dataset", "data.example.edu/datasets/cohort-serology-2021")
    rec = doc["cohort-serology"]
    assert rec.uri == dataset and rec.kind == "dataset"
    assert doc.types("cohort-serology", dataset) == {SCHEMA.Dataset.value}
    assert all(not t.predicate.value.startswith("https://schema.org/") for t in rec.triples)
    assert doc.objects("cohort-serology", dataset, SCHEMA.url) == {
        "https://data.example.edu/datasets/cohort-serology-2021"}
    assert doc.objects("cohort-serology", dataset, SCHEMA.description) == {
        "Antibody titres (IgG & IgM) measured in a 2021 cohort.\n412 participants\n3 time points"}
    assert agent(doc, "cohort-serology", dataset, SCHEMA.creator) == (
        {SCHEMA.Person.value}, {"Rosalind Exemple"})
    assert agent(doc, "cohort-serology", dataset, SCHEMA.publisher) == (
        {SCHEMA.Organization.value}, {"Example University Data Office"})


def test_graph_of_two_tools_sharing_an_organisation() -> None:
    doc = variant("genomics-lab-tools.jsonld")
    assert set(doc.records) == {"genomics-lab-tools-1", "genomics-lab-tools-2"}
    readsieve = node("tool", "tools.genomics-lab.example.org/readsieve")
    contigscope = node("tool", "tools.genomics-lab.example.org/contigscope")
    lab = node("organization", "genomics-lab.example.org/")
    assert doc["genomics-lab-tools-1"].uri == readsieve and doc["genomics-lab-tools-2"].uri == contigscope
    for key, tool in (("genomics-lab-tools-1", readsieve), ("genomics-lab-tools-2", contigscope)):
        # the organisation is defined once and referenced by @id: each tool's record describes it
        assert doc.objects(key, tool, SCHEMA.provider) == {lab.value}
        assert doc.types(key, lab) == {SCHEMA.Organization.value}
        assert doc.objects(key, lab, SCHEMA.name) == {"Example Genomics Lab"}
        assert doc.objects(key, lab, SCHEMA.url) == {"https://genomics-lab.example.org/"}
        assert doc.objects(key, tool, SCHEMA.url) == {tool.value.replace(f"{MINT.base}id/tool/", "https://")}
    # a record holds its own tool, not the other one
    assert not doc.objects("genomics-lab-tools-2", readsieve, SCHEMA.name)
    assert not doc.objects("genomics-lab-tools-1", contigscope, SCHEMA.name)
    authors = doc.objects("genomics-lab-tools-1", readsieve, SCHEMA.author)
    names = {n for a in authors for n in doc.objects("genomics-lab-tools-1", NamedNode(a), SCHEMA.name)}
    assert names == {"Ada Exemple", "Grace Exemple"}


def test_script_and_data_links_never_become_links() -> None:
    page = variant("registry-catalogue-page.html")
    catalog = node("catalog", "registry.example.net/")
    rec = page["script-1"]
    assert rec.uri == catalog
    # the javascript: url is dropped, and the @id (the page) is the url
    assert page.objects("script-1", catalog, SCHEMA.url) == {"https://registry.example.net/"}
    assert page.objects("script-1", catalog, SCHEMA.sameAs) == {
        "https://registry.example.net/", "https://fairsharing.example.org/registry/17"}
    for t in rec.triples:
        assert not str(t.object.value).lower().startswith(("javascript:", "data:")), t
    (description,) = page.objects("script-1", catalog, SCHEMA.description)
    assert description == ("About\nA curated registry of model\u2011organism databases, kept by the Société "
                           "Exemple de Génomique.\nBrowse all entries.")
    assert {field for field, _ in rec.notes} >= {"url", "sameAs"}
    assert agent(page, "script-1", catalog, SCHEMA.provider) == (
        {SCHEMA.Organization.value}, {"Example Registry Consortium"})
    funders = page.objects("script-1", catalog, SCHEMA.funder)
    assert {next(iter(page.types("script-1", NamedNode(f)))) for f in funders} == {SCHEMA.Organization.value}


def test_page_furniture_is_left_out_and_a_thing_id_is_no_page() -> None:
    page = variant("helixlab-wordpress-page.html")
    assert list(page.records) == ["script-1"]  # one record: WebPage, WebSite, breadcrumbs are the page's
    tool = node("tool", "www.helixlab.example.com/software/primerforge/#software")
    rec = page["script-1"]
    assert rec.uri == tool
    assert not page.objects("script-1", tool, SCHEMA.url)  # a #fragment @id names a thing, not its page
    assert page.objects("script-1", tool, SCHEMA.description) == {
        "Designs PCR primers & checks them against off-target sites in a reference genome."}
    types = {t.object.value for t in rec.triples if t.predicate == RDF.type}
    assert types == {SCHEMA.SoftwareApplication.value, SCHEMA.Organization.value, SCHEMA.ImageObject.value}
    assert ("@graph", "8 node(s) that no record links to are left out") in rec.notes
    org = node("organization", "www.helixlab.example.com/#organization")
    assert page.objects("script-1", tool, SCHEMA.author) == {org.value}
    assert page.objects("script-1", org, SCHEMA.url) == {"https://www.helixlab.example.com/"}


def test_sample_page_in_schema_org_vocabulary() -> None:
    page = variant("soil-sample-record.html")
    sample = node("sample", "samples.example.org/samples/SAMEA99990001")
    rec = page["script-1"]
    assert rec.uri == sample and rec.kind == "sample"  # the DataRecord's mainEntity, not the wrapper
    assert page.types("script-1", sample) == {
        BIOSCHEMAS.Sample.value, "http://purl.obolibrary.org/obo/OBI_0000747"}  # a JSON-LD 1.0 prefix
    assert page.objects("script-1", sample, SCHEMA.description) == {
        "Soil core from an example field site, 10\u201320 cm depth"}
    references = {t.object.value for t in rec.triples if t.predicate == SCHEMA.valueReference}
    assert references == {"http://purl.obolibrary.org/obo/NCBITaxon_410658"}  # the term, not a lifecat node
    assert not [t for t in rec.triples if t.object == SCHEMA.DataRecord]


def test_strong_identifier_is_no_homepage() -> None:
    rec = to_rdf({"@context": "https://schema.org", "@type": "SoftwareApplication",
                  "@id": "https://bio.tools/foldweaver", "name": "FoldWeaver", "description": "Folds."}, MINT)
    assert rec.uri == node("tool", "foldweaver")
    # bio.tools' page is a sameAs (bio.tools' own home page is its publisher's url)
    assert not [t for t in rec.triples if t.predicate == SCHEMA.url and t.subject == rec.uri]
    assert [t.object for t in rec.triples if t.predicate == SCHEMA.sameAs] == [NamedNode("https://bio.tools/foldweaver")]


@pytest.mark.parametrize("url", [
    "javascript:alert(1)", " JavaScript:alert(1)", {"@id": "javascript:alert(1)"},
    {"@id": "data:text/html;base64,PHNjcmlwdD4="}, "/relative/page", {"@id": "/relative/page"},
    "vbscript:msgbox(1)",
])
def test_no_script_url(url: object) -> None:
    rec = to_rdf({"@context": {"@vocab": "http://schema.org/"}, "@type": "Dataset",
                  "@id": "https://data.example.org/d/1", "name": "D", "url": url,
                  "image": url, "sameAs": url}, MINT)
    assert {t.object for t in rec.triples if t.predicate == SCHEMA.url} == {NamedNode("https://data.example.org/d/1")}
    for t in rec.triples:
        assert not str(t.object.value).strip().lower().startswith(("javascript:", "data:", "vbscript:")), t
    assert "url" in {field for field, _ in rec.notes}


def test_agent_names_and_links() -> None:
    rec = to_rdf({"@context": "https://schema.org/", "@type": "Dataset", "@id": "https://data.example.org/d/2",
                  "name": "D", "author": ["Grace Exemple", "https://orcid.org/0000-0002-1825-0097",
                                          "Example Sequencing Consortium"],
                  "funder": "Grace Exemple Foundation", "contributor": "Grace Exemple",
                  "maintainer": "grace@data.example.org"}, MINT)
    dataset = node("dataset", "data.example.org/d/2")
    authors = {t.object for t in rec.triples if t.subject == dataset and t.predicate == SCHEMA.author}
    assert node("person", "0000-0002-1825-0097") in authors  # a string IRI is a link, to the shared node
    agents = [t for t in rec.triples if t.subject != dataset]
    named = {t.subject: t.object.value for t in agents if t.predicate == SCHEMA.name}
    typed = {t.subject: t.object for t in agents if t.predicate == RDF.type}
    assert {(named[s], typed[s]) for s in named} == {
        ("Grace Exemple", SCHEMA.Person), ("Example Sequencing Consortium", SCHEMA.Organization),
        ("Grace Exemple Foundation", SCHEMA.Organization)}
    contributors = {t.object for t in rec.triples if t.predicate == SCHEMA.contributor}
    assert contributors <= authors  # one node per name
    assert not [t for t in rec.triples if t.predicate == SCHEMA.maintainer]  # an e-mail address is no name
    assert ("maintainer", "contact details are not published") in rec.notes


def test_one_record_per_thing_and_unreadable_scripts(tmp_path: Path) -> None:
    graph = {"@context": "https://schema.org", "@graph": [
        {"@id": "https://a.example.org/", "@type": "Dataset", "name": "A"},
        {"@type": "Dataset", "name": "B, with no @id"}]}
    page = tmp_path / "page.html"
    script = '<script type="application/ld+json">{}</script>'
    page.write_text(f"<html><head>{script.format('{not json')}"
                    f"{script.format(f'<!--{json.dumps(graph)}-->')}</head></html>")
    items = list(FORMAT.read(page))
    assert [item.locator.rsplit("#", 1)[1] for item in items] == ["script-1", "script-2-1", "script-2-2"]
    results = []
    for item in items:
        try:
            results.append(FORMAT.to_rdf(item.data, MINT).uri)
        except RecordError as error:
            results.append(error.field)
    assert results == ["script", node("dataset", "a.example.org/"), "@id"]


def test_language_of_text_is_kept() -> None:
    rec = to_rdf({"@context": {"@vocab": "http://schema.org/", "@language": "fr"}, "@type": "Dataset",
                  "@id": "https://data.example.org/d/3", "name": "Donn&eacute;es",
                  "description": "<p>Premi&egrave;re ligne</p><p>Seconde</p>"}, MINT)
    texts = {t.predicate: t.object for t in rec.triples if isinstance(t.object, Literal)}
    assert texts[SCHEMA.name] == Literal("Données", language="fr")
    assert texts[SCHEMA.description] == Literal("Première ligne\nSeconde", language="fr")


@pytest.mark.parametrize(("text", "lines", "plain"), [
    ("Not HTML:  a < b,  R&D,\nList<T>", True, "Not HTML:  a < b,  R&D,\nList<T>"),
    ("<p>One</p>\n<p>Two<br/>Three</p>", True, "One\nTwo\nThree"),
    ("<p>One</p>\n<p>Two<br/>Three</p>", False, "One Two Three"),
    ("Caf&eacute; &#38; &#x3C;b&#x3E; &lt;i&gt;", True, "Café & <b> <i>"),
    ("<div><style>.x{}</style><script>a = '<p>';</script>Shown<noscript>no</noscript></div>", True, "Shown"),
    ("<ul>\n  <li>a</li>\n  <li>b   c</li>\n</ul>", True, "a\nb c"),
    ("<table><tr><td>1</td><td>2</td></tr></table>", True, "1 2"),
    ("<p>p&lt;0.05 is <em>significant</em></p>", True, "p<0.05 is significant"),
    ("<p>  </p>", True, ""),
])
def test_plain_text(text: str, lines: bool, plain: str) -> None:
    assert plain_text(text, lines=lines) == plain

"""COVID-19 preprints: DOI and arXiv articles, NA markers, an optional arxiv_id column."""

from __future__ import annotations

import pytest
from mapping_helpers import FIXTURES, map_fixture, node
from pyoxigraph import Literal, NamedNode

from lifecat.core.vocab import ACCESS_RIGHT, DCT, PROV, SCHEMA, XSD
from lifecat.mappings import SourceFormatError, get_format


@pytest.fixture(scope="module")
def preprints():
    return map_fixture("preprints", "preprints")


def test_doi_preprint(preprints) -> None:
    key, article = "10.1101/2020.03.15.000001", node("article", "10.1101/2020.03.15.000001")
    rec = preprints[key]
    assert rec.uri == article and rec.kind == "article"
    assert preprints.types(key, article) == {SCHEMA.ScholarlyArticle.value}
    assert preprints.objects(key, article, SCHEMA.creativeWorkStatus) == {"Preprint"}
    assert preprints.objects(key, article, SCHEMA.sameAs) == {"https://doi.org/10.1101/2020.03.15.000001"}
    assert [t.object for t in rec.triples if t.predicate == SCHEMA.datePublished] == [
        Literal("2020-03-18", datatype=XSD.date)]
    (server,) = preprints.objects(key, article, SCHEMA.publisher)
    assert preprints.objects(key, NamedNode(server), SCHEMA.name) == {"medRxiv"}
    assert not [v for v in preprints.literals(key) if "We present" in v]  # abstracts stay out


def test_the_server_published_the_preprint(preprints) -> None:
    key, article = "10.1101/2020.03.15.000001", node("article", "10.1101/2020.03.15.000001")
    (server,) = map(NamedNode, preprints.objects(key, article, SCHEMA.publisher))
    assert preprints.objects(key, article, DCT.publisher) == {server.value}
    assert preprints.objects(key, server, SCHEMA.url) == {"https://www.medrxiv.org/"}
    assert preprints.objects(key, article, PROV.wasDerivedFrom) == {"https://doi.org/10.1101/2020.03.15.000001"}
    assert preprints.objects(key, article, DCT.accessRights) == {ACCESS_RIGHT.PUBLIC.value}
    assert preprints.objects(key, article, SCHEMA.isAccessibleForFree) == {"true"}
    # the file's CC0 is its compilers' licence for their metadata, not the preprint's
    assert not preprints.objects(key, article, SCHEMA.license) | preprints.objects(key, article, DCT.license)
    assert preprints.objects(key, article, SCHEMA.sdLicense) == {"http://spdx.org/licenses/CC0-1.0"}
    arxiv = node("article", "10.48550/arxiv.2003.00003")
    assert preprints.objects("2003.00003v2", arxiv, PROV.wasDerivedFrom) == {
        "https://doi.org/10.48550/arxiv.2003.00003"}


def test_arxiv_preprint_gets_arxivs_doi(preprints) -> None:
    key = "2003.00003v2"
    article = node("article", "10.48550/arxiv.2003.00003")
    assert preprints[key].uri == article
    assert preprints.objects(key, article, SCHEMA.identifier) == {"arXiv:2003.00003"}
    assert preprints.objects(key, article, SCHEMA.sameAs) == {"https://arxiv.org/abs/2003.00003"}
    assert preprints.objects(key, article, SCHEMA.headline) == {
        "A model of epidemic spread, with a comma in the title"}


def test_oddities(preprints, built) -> None:
    assert preprints.error("row-5").field == "doi"  # neither a DOI nor an arXiv id
    assert [field for field, _ in preprints["10.20944/preprints202003.0004.v1"].notes] == ["posted_date"]
    # without an arxiv_id column; the DOI upper-cased
    assert preprints["10.31219/OSF.IO/ABCDE"].uri == node("article", "10.31219/osf.io/abcde")
    reports = built(("preprints", "preprints"))
    assert [(r.read, r.loaded, r.quarantined) for r in reports] == [(6, 5, 1)]


def test_wrong_format_names_the_file() -> None:
    with pytest.raises(SourceFormatError, match=r"metadata\.tsv: not a preprints file .*no column source"):
        list(get_format("preprints").read(FIXTURES / "nextstrain" / "metadata.tsv"))

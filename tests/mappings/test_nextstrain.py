"""Nextstrain/GenBank metadata: the isolate as a Bioschemas Sample, its GenBank record as a dataset."""

from __future__ import annotations

import pytest
from mapping_helpers import FIXTURES, map_fixture, node
from pyoxigraph import Literal, NamedNode

from lifecat.core.vocab import ACCESS_RIGHT, BIOSCHEMAS, DCAT, DCT, EDAM, NCBITAXON, PROV, SCHEMA, XSD
from lifecat.mappings import SourceFormatError, get_format

SAMPLE = node("sample", "Exampleland/EX-001/2020")
SEQUENCE = node("dataset", "MT000001")


@pytest.fixture(scope="module")
def rows():
    return map_fixture("nextstrain", "nextstrain")


def characteristics(rows, key: str, sample: NamedNode) -> dict[str, set[str]]:
    props = [NamedNode(p) for p in rows.objects(key, sample, SCHEMA.additionalProperty)]
    return {next(iter(rows.objects(key, p, SCHEMA.name))): rows.objects(key, p, SCHEMA.value) for p in props}


def test_isolate_is_a_sample_with_characteristics(rows) -> None:
    key = "Exampleland/EX-001/2020"
    rec = rows[key]
    assert rec.uri == SAMPLE and rec.kind == "sample"
    assert rows.types(key, SAMPLE) == {BIOSCHEMAS.Sample.value, SCHEMA.BioChemEntity.value}
    assert characteristics(rows, key, SAMPLE) == {
        "organism": {"SARS-CoV-2"}, "host": {"Homo sapiens"}, "collection date": {"2020-03-05"},
        "geographic location": {"Exampleland: North Province"}, "region": {"Europe"}}
    host = NamedNode(f"{SAMPLE.value}#host")
    assert rows.objects(key, host, SCHEMA.valueReference) == {NCBITAXON["9606"].value}
    date = NamedNode(f"{SAMPLE.value}#collection-date")
    assert [t.object for t in rec.triples if t.subject == date and t.predicate == SCHEMA.value] == [
        Literal("2020-03-05", datatype=XSD.date)]
    # a patient's age and sex are not published
    assert not {"44", "Male"} & set(rows.literals(key))


def test_sequence_record_is_a_dataset_in_genbank(rows) -> None:
    key = "Exampleland/EX-001/2020"
    assert rows.types(key, SEQUENCE) == {SCHEMA.Dataset.value, DCAT.Dataset.value}
    assert rows.objects(key, SEQUENCE, DCAT.landingPage) == {"https://www.ncbi.nlm.nih.gov/nuccore/MT000001"}
    assert rows.objects(key, SEQUENCE, SCHEMA.about) == {SAMPLE.value}
    assert rows.objects(key, SAMPLE, SCHEMA.subjectOf) == {SEQUENCE.value}
    assert rows.objects(key, SEQUENCE, SCHEMA.includedInDataCatalog) == {node("catalog", "genbank").value}
    (title,) = rows.objects(key, SEQUENCE, DCT.title)  # the GenBank definition line
    assert title.endswith("isolate SARS-CoV-2/human/EXL/EX-001/2020, complete genome")
    assert len(rows.objects(key, SEQUENCE, DCT.description)) == 1


def test_sample_says_who_described_it_and_how_open_it_is(rows) -> None:
    key = "Exampleland/EX-001/2020"
    publisher = NamedNode(f"{SAMPLE.value}#source-publisher-ncbi-nlm-nih-gov")
    # GenBank published the description, not the isolate
    assert rows.objects(key, SAMPLE, SCHEMA.sdPublisher) == {publisher.value}
    assert rows.objects(key, SAMPLE, SCHEMA.publisher) == set()
    assert rows.objects(key, SAMPLE, DCT.publisher) == set()
    assert rows.objects(key, publisher, SCHEMA.name) == {"GenBank (NCBI, U.S. National Library of Medicine)"}
    assert rows.objects(key, SAMPLE, DCT.accessRights) == {ACCESS_RIGHT.PUBLIC.value}
    assert rows.objects(key, SAMPLE, SCHEMA.isAccessibleForFree) == {"true"}
    assert rows.objects(key, SAMPLE, SCHEMA.usageInfo) == {"https://www.ncbi.nlm.nih.gov/home/about/policies/"}
    assert rows.objects(key, SAMPLE, SCHEMA.license) == set()  # GenBank grants none; none is invented
    assert rows.objects(key, SAMPLE, PROV.wasDerivedFrom) == {"https://www.ncbi.nlm.nih.gov/nuccore/MT000001"}
    # an isolate without a sequence record has no record at GenBank to be derived from
    lone = node("sample", "Exampleland/EX-003/2020")
    assert rows.objects("Exampleland/EX-003/2020", lone, PROV.wasDerivedFrom) == set()
    assert rows.objects("Exampleland/EX-003/2020", lone, DCT.accessRights) == {ACCESS_RIGHT.PUBLIC.value}


def test_sequence_record_says_who_published_it_when_and_under_which_terms(rows) -> None:
    key = "Exampleland/EX-001/2020"
    rec = rows[key]
    publisher = NamedNode(f"{SEQUENCE.value}#source-publisher-ncbi-nlm-nih-gov")  # on the dataset's own page
    assert rows.objects(key, SEQUENCE, SCHEMA.publisher) == {publisher.value}
    assert rows.objects(key, SEQUENCE, DCT.publisher) == {publisher.value}
    assert rows.objects(key, publisher, SCHEMA.url) == {"https://www.ncbi.nlm.nih.gov/genbank/"}
    assert rows.objects(key, SEQUENCE, SCHEMA.usageInfo) == {"https://www.ncbi.nlm.nih.gov/home/about/policies/"}
    (conditions,) = rows.objects(key, SEQUENCE, SCHEMA.conditionsOfAccess)
    assert "no use restrictions or licensing requirements" in conditions
    assert rows.objects(key, SEQUENCE, DCT.accessRights) == {ACCESS_RIGHT.PUBLIC.value}
    assert rows.objects(key, SEQUENCE, PROV.wasDerivedFrom) == {"https://www.ncbi.nlm.nih.gov/nuccore/MT000001"}
    # the submission date is the only date of publication: the collection date is the isolate's
    for predicate in (SCHEMA.datePublished, DCT.issued):
        assert [t.object for t in rec.triples if t.subject == SEQUENCE and t.predicate == predicate] == [
            Literal("2020-05-11", datatype=XSD.date)]
    assert rows.objects(key, SEQUENCE, SCHEMA.author) == {"Example et al"}  # as written: no person made up
    (lab,) = rows.objects(key, SEQUENCE, SCHEMA.creator)
    assert rows.objects(key, SEQUENCE, DCT.creator) == {lab}
    assert rows.objects(key, NamedNode(lab), SCHEMA.name) == {"Example Public Health Lab"}


def test_sequence_record_links_to_its_fasta(rows) -> None:
    key = "Exampleland/EX-001/2020"
    fasta = NamedNode(f"{SEQUENCE.value}#download-fasta")
    assert rows.objects(key, SEQUENCE, SCHEMA.distribution) == {fasta.value}
    assert rows.objects(key, SEQUENCE, DCAT.distribution) == {fasta.value}
    assert rows.types(key, fasta) == {SCHEMA.DataDownload.value, DCAT.Distribution.value}
    for predicate in (SCHEMA.contentUrl, DCAT.downloadURL):
        assert rows.objects(key, fasta, predicate) == {"https://www.ebi.ac.uk/ena/browser/api/fasta/MT000001"}
    for predicate in (SCHEMA.encodingFormat, DCT["format"]):
        assert rows.objects(key, fasta, predicate) == {EDAM.format_1929.value}
    assert rows.objects(key, fasta, DCAT.accessURL) == {"https://www.ncbi.nlm.nih.gov/nuccore/MT000001"}
    assert rows.objects(key, fasta, DCAT.mediaType) == set()  # FASTA has no registered media type
    # the versioned accession's record, without its version
    other = NamedNode(f"{node('dataset', 'MT000002').value}#download-fasta")
    assert rows.objects("Exampleland/EX-002/2020", other, DCAT.downloadURL) == {
        "https://www.ebi.ac.uk/ena/browser/api/fasta/MT000002"}


def test_oddities_unknowns_versions_and_partial_dates(rows) -> None:
    key = "Exampleland/EX-002/2020"
    sample = node("sample", key)
    sequence = node("dataset", "MT000002")  # the version is not part of the record's identity
    assert rows.objects(key, sample, SCHEMA.subjectOf) == {sequence.value}
    assert characteristics(rows, key, sample)["collection date"] == {"2020-04"}
    assert rows.objects(key, NamedNode(f"{sample.value}#host"), SCHEMA.valueReference) == set()
    assert rows.objects(key, sequence, DCT.title) == {"SARS-CoV-2 isolate Exampleland/EX-002/2020, genome"}
    assert "EPI_ISL_000002" in rows.objects(key, sample, SCHEMA.identifier)
    assert not {"?", "unknown"} & set(rows.literals(key))
    # no accession: the isolate alone, and a note saying why
    lone = rows["Exampleland/EX-003/2020"]
    assert not any(t.subject.value.startswith(node("dataset", "").value) for t in lone.triples)
    assert [field for field, _ in lone.notes] == ["genbank_accession"]


def test_csv_with_other_accession_column(rows) -> None:
    key = "Exampleland/EX-005/2021"
    assert rows.objects(key, node("sample", key), SCHEMA.subjectOf) == {node("dataset", "OK000005").value}
    assert rows.error("row-3").field == "strain"


def test_build_accounting(built) -> None:
    (report,) = built(("nextstrain", "nextstrain"))
    assert (report.read, report.loaded, report.quarantined) == (6, 5, 1)


def test_wrong_format_names_the_file() -> None:
    with pytest.raises(SourceFormatError, match=r"read_run\.tsv: not a nextstrain file .*no column strain"):
        list(get_format("nextstrain").read(FIXTURES / "ena-runs" / "read_run.tsv"))

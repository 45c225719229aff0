"""ENA read_run reports: runs as datasets with FASTQ distributions, about samples, part of studies."""

from __future__ import annotations

import pytest
from mapping_helpers import FIXTURES, map_fixture, node
from pyoxigraph import Literal, NamedNode

from lifecat.core.vocab import ACCESS_RIGHT, BIOSCHEMAS, DCAT, DCT, EDAM, OWL, PROV, SCHEMA, SPDX, XSD
from lifecat.mappings import SourceFormatError, get_format

RUN = node("dataset", "SRR11000001")
SAMPLE = node("sample", "SAMN14000001")
STUDY = node("study", "PRJNA600001")


@pytest.fixture(scope="module")
def runs():
    return map_fixture("ena-runs", "ena-runs")


def test_run_is_a_dataset_with_fastq_distributions(runs) -> None:
    rec = runs["SRR11000001"]
    assert rec.uri == RUN and rec.kind == "dataset"
    assert runs.types("SRR11000001", RUN) == {SCHEMA.Dataset.value, DCAT.Dataset.value}
    assert runs.objects("SRR11000001", RUN, DCAT.landingPage) == {
        "https://www.ebi.ac.uk/ena/browser/view/SRR11000001"}
    files = {NamedNode(d) for d in runs.objects("SRR11000001", RUN, DCAT.distribution)}
    assert {d.value.rsplit("#", 1)[1] for d in files} == {"fastq-1", "fastq-2", "submitted-1"}
    fastq = NamedNode(f"{RUN.value}#fastq-2")
    assert runs.objects("SRR11000001", fastq, DCAT.downloadURL) == {
        "ftp://ftp.sra.ebi.ac.uk/vol1/fastq/SRR110/001/SRR11000001/SRR11000001_2.fastq.gz"}
    assert runs.objects("SRR11000001", fastq, DCT["format"]) == {EDAM.format_1930.value}
    assert [t.object for t in rec.triples if t.subject == fastq and t.predicate == DCAT.byteSize] == [
        Literal("2000", datatype=XSD.nonNegativeInteger)]
    bam = NamedNode(f"{RUN.value}#submitted-1")
    assert runs.objects("SRR11000001", bam, DCT["format"]) == {EDAM.format_2572.value}
    assert runs.objects("SRR11000001", RUN, SCHEMA.measurementTechnique) == {
        "AMPLICON, PAIRED, ILLUMINA Illumina MiSeq"}


def test_fastq_files_say_format_size_and_checksum(runs) -> None:
    rec = runs["SRR11000001"]
    fastq = NamedNode(f"{RUN.value}#fastq-1")
    url = "ftp://ftp.sra.ebi.ac.uk/vol1/fastq/SRR110/001/SRR11000001/SRR11000001_1.fastq.gz"
    assert runs.types("SRR11000001", fastq) == {DCAT.Distribution.value, SCHEMA.DataDownload.value}
    for predicate in (SCHEMA.contentUrl, DCAT.downloadURL, DCAT.accessURL):
        assert runs.objects("SRR11000001", fastq, predicate) == {url}
    for predicate in (SCHEMA.encodingFormat, DCT["format"]):
        assert runs.objects("SRR11000001", fastq, predicate) == {EDAM.format_1930.value}
    assert runs.objects("SRR11000001", fastq, SCHEMA.contentSize) == {"1000 bytes"}
    assert runs.objects("SRR11000001", RUN, SCHEMA.distribution) == runs.objects(
        "SRR11000001", RUN, DCAT.distribution)
    checksums = {}
    for n in (1, 2):
        (checksum,) = runs.objects("SRR11000001", NamedNode(f"{RUN.value}#fastq-{n}"), SPDX.checksum)
        assert runs.objects("SRR11000001", NamedNode(checksum), SPDX.algorithm) == {
            SPDX.checksumAlgorithm_md5.value}
        checksums[n] = [t.object for t in rec.triples
                        if t.subject == NamedNode(checksum) and t.predicate == SPDX.checksumValue]
    assert checksums == {1: [Literal("0123456789abcdef0123456789abcdef", datatype=XSD.hexBinary)],
                         2: [Literal("fedcba9876543210fedcba9876543210", datatype=XSD.hexBinary)]}
    # a value that is no MD5 checksum is not stated as one
    assert runs.objects("SRR11000002", NamedNode(f"{node('dataset', 'SRR11000002').value}#fastq-1"),
                        SPDX.checksum) == set()


def test_run_says_who_published_it_when_and_under_which_terms(runs) -> None:
    rec = runs["SRR11000001"]
    publisher = NamedNode(f"{RUN.value}#source-publisher-ebi-ac-uk")
    assert runs.objects("SRR11000001", RUN, SCHEMA.publisher) == {publisher.value}
    assert runs.objects("SRR11000001", RUN, DCT.publisher) == {publisher.value}
    assert runs.objects("SRR11000001", publisher, SCHEMA.name) == {
        "European Nucleotide Archive (ENA), EMBL-EBI"}
    assert runs.objects("SRR11000001", RUN, SCHEMA.usageInfo) == {
        "https://www.ebi.ac.uk/ena/standards-and-policies"}
    assert runs.objects("SRR11000001", RUN, SCHEMA.license) == set()
    assert runs.objects("SRR11000001", RUN, DCT.accessRights) == {ACCESS_RIGHT.PUBLIC.value}
    assert runs.objects("SRR11000001", RUN, SCHEMA.isAccessibleForFree) == {"true"}
    (conditions,) = runs.objects("SRR11000001", RUN, SCHEMA.conditionsOfAccess)
    assert conditions.startswith("INSDC policy: free and unrestricted access")
    assert runs.objects("SRR11000001", RUN, PROV.wasDerivedFrom) == {
        "https://www.ebi.ac.uk/ena/browser/view/SRR11000001"}
    dates = {t.predicate: t.object for t in rec.triples if t.subject == RUN and t.predicate in {
        SCHEMA.datePublished, SCHEMA.dateModified, DCT.issued, DCT.modified}}
    assert dates == {SCHEMA.datePublished: Literal("2020-04-15", datatype=XSD.date),
                     DCT.issued: Literal("2020-04-15", datatype=XSD.date),
                     SCHEMA.dateModified: Literal("2020-05-01", datatype=XSD.date),
                     DCT.modified: Literal("2020-05-01", datatype=XSD.date)}
    (center,) = runs.objects("SRR11000001", RUN, SCHEMA.creator)
    assert runs.objects("SRR11000001", NamedNode(center), SCHEMA.name) == {"Example Genome Centre"}
    assert runs.objects("SRR11000002", node("dataset", "SRR11000002"), SCHEMA.creator) == set()


def test_sample_and_study_pages_say_who_published_them(runs) -> None:
    sample_publisher = NamedNode(f"{SAMPLE.value}#source-publisher-ebi-ac-uk")
    assert runs.objects("SRR11000001", SAMPLE, SCHEMA.sdPublisher) == {sample_publisher.value}
    assert runs.objects("SRR11000001", SAMPLE, SCHEMA.publisher) == set()
    assert runs.objects("SRR11000001", sample_publisher, SCHEMA.name) == {
        "European Nucleotide Archive (ENA), EMBL-EBI"}
    assert runs.objects("SRR11000001", SAMPLE, PROV.wasDerivedFrom) == {
        "https://www.ebi.ac.uk/ena/browser/view/SAMN14000001"}
    assert runs.objects("SRR11000001", SAMPLE, DCT.accessRights) == {ACCESS_RIGHT.PUBLIC.value}
    assert runs.objects("SRR11000001", STUDY, SCHEMA.publisher) == {
        f"{STUDY.value}#source-publisher-ebi-ac-uk"}
    assert runs.objects("SRR11000001", STUDY, PROV.wasDerivedFrom) == {
        "https://www.ebi.ac.uk/ena/browser/view/PRJNA600001"}


def test_sample_and_study_links(runs) -> None:
    assert runs.objects("SRR11000001", RUN, SCHEMA.about) == {SAMPLE.value}
    assert runs.types("SRR11000001", SAMPLE) == {BIOSCHEMAS.Sample.value, SCHEMA.BioChemEntity.value}
    assert runs.objects("SRR11000001", SAMPLE, OWL.sameAs) == {node("sample", "SRS6000001").value}
    assert runs.objects("SRR11000001", RUN, SCHEMA.isPartOf) == {STUDY.value}
    assert runs.objects("SRR11000001", STUDY, OWL.sameAs) == {node("study", "SRP250001").value}
    assert runs.objects("SRR11000001", STUDY, SCHEMA.name) == {"SARS-CoV-2 genomes from Exampleland"}
    organism = NamedNode(f"{SAMPLE.value}#organism")
    assert runs.objects("SRR11000001", organism, SCHEMA.valueReference) == {
        "http://purl.obolibrary.org/obo/NCBITaxon_2697049"}
    # two runs of one sample: one sample node
    assert runs.objects("SRR11000002", node("dataset", "SRR11000002"), SCHEMA.about) == {SAMPLE.value}


def test_missing_sample_bad_accession_and_csv(runs) -> None:
    assert [field for field, _ in runs["ERR4000003"].notes] == ["sample_accession"]
    assert runs.error("not-a-run").field == "run_accession"
    run = node("dataset", "ERR4000005")
    assert runs.objects("ERR4000005", run, SCHEMA.about) == {node("sample", "SAMEA7000005").value}
    assert not [v for v in runs.literals("ERR4000005") if "ignored" in v]  # non-ENA column


def test_build_accounting(built) -> None:
    (report,) = built(("ena-runs", "ena-runs"))
    assert (report.read, report.loaded, report.quarantined) == (5, 4, 1)


def test_wrong_format_names_the_file() -> None:
    with pytest.raises(SourceFormatError, match=r"metadata\.tsv: not a ena-runs file .*no column run_acc"):
        list(get_format("ena-runs").read(FIXTURES / "nextstrain" / "metadata.tsv"))

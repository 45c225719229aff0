"""Samples and sequence data from the INSDC archives (GenBank, ENA), shared by nextstrain and ena-runs.

A sample is a Bioschemas Sample (and a ``schema:BioChemEntity``, as EBI BioSamples marks samples up)
whose characteristics (organism, host, collection date and place) are ``schema:additionalProperty``
PropertyValues, with NCBI Taxonomy IRIs where the name is known; a sequence record or sequencing run
is a ``schema:Dataset`` and ``dcat:Dataset`` about the sample, with its files as distributions.

INSDC records carry no licence: the INSDC policy gives free and unrestricted access to every record
and attaches no use restrictions or licensing requirements to any, which records state as their
access conditions beside the archive's policy page (:data:`CONDITIONS`).

>>> taxon("Homo sapiens"), taxon("human"), taxon("Mustela lutreola") is None
('http://purl.obolibrary.org/obo/NCBITaxon_9606', 'http://purl.obolibrary.org/obo/NCBITaxon_9606', True)
"""

from __future__ import annotations

import re

from pyoxigraph import Literal, NamedNode

from lifecat.core.uris import Minter
from lifecat.core.vocab import BIOSCHEMAS, BIOSCHEMAS_PROFILE, DCAT, DCT, NCBITAXON, SCHEMA, SPDX, XSD
from lifecat.mappings import identity
from lifecat.mappings.rdf import Record
from lifecat.mappings.values import date, slug

#: Organism names as sources write them → NCBI Taxonomy id. Only names that are unambiguous.
TAXA = {
    "homo sapiens": 9606, "human": 9606,
    "ncov": 2697049, "sars-cov-2": 2697049, "hcov-19": 2697049,
    "severe acute respiratory syndrome coronavirus 2": 2697049,
    "mpox": 10244, "hmpxv": 10244, "monkeypox virus": 10244,
}
#: The INSDC policy on access to its records (Nucleotide Sequence Database Policies, 2002), in short.
CONDITIONS = ("INSDC policy: free and unrestricted access to all data records; no use restrictions or "
              "licensing requirements are attached to them.")
#: Where an archive serves any INSDC sequence record as FASTA (the ENA Browser API).
FASTA = "https://www.ebi.ac.uk/ena/browser/api/fasta/{}"
_MD5 = re.compile(r"[0-9a-fA-F]{32}")
#: Names of viruses as Nextstrain's ``virus`` column writes them.
VIRUS_NAMES = {2697049: "SARS-CoV-2", 10244: "Monkeypox virus", 9606: "Homo sapiens"}


def taxon(name: str | None, tax_id: str | int | None = None) -> str | None:
    """The NCBI Taxonomy IRI for an organism, from its id or a known name."""
    if tax_id and str(tax_id).strip().isdigit():
        return NCBITAXON[str(tax_id).strip()].value
    number = TAXA.get((name or "").strip().lower())
    return NCBITAXON[str(number)].value if number else None


def sample(rec: Record, mint: Minter, ids: list[tuple[str, object]], *, name: str | None,
           field: str) -> NamedNode | None:
    """The Bioschemas Sample named by ``ids`` (best first), typed and named; ``None`` without ids."""
    node = identity.describe(rec, mint, ids, field=field)
    if node is None:
        return None
    rec.types(node, BIOSCHEMAS.Sample, SCHEMA.BioChemEntity)
    rec.add(node, DCT.conformsTo, BIOSCHEMAS_PROFILE["Sample"])
    rec.text(node, SCHEMA.name, name)
    return node


def characteristic(rec: Record, node: NamedNode, name: str, value: str | None, *,
                   reference: str | None = None) -> None:
    """A sample characteristic as a ``schema:PropertyValue`` (dates typed, known terms linked).

    >>> rec = Record("s", NamedNode("http://lc/id/sample/s"), "sample")
    >>> characteristic(rec, rec.uri, "collection date", "2020-03-XX")
    >>> [str(t.object) for t in rec.triples if t.predicate == SCHEMA.value]
    ['"2020-03"^^<http://www.w3.org/2001/XMLSchema#gYearMonth>']
    """
    if not value or not value.strip():
        return
    prop = NamedNode(f"{node.value}#{slug(name)}")
    rec.types(prop, SCHEMA.PropertyValue)
    rec.text(prop, SCHEMA.name, name)
    parsed = date(value) if "date" in name else None
    if parsed:
        rec.add(prop, SCHEMA.value, Literal(parsed[0], datatype=XSD[parsed[1]]))
    else:
        rec.text(prop, SCHEMA.value, value)
    rec.link(prop, SCHEMA.valueReference, reference, field=name)
    rec.add(node, SCHEMA.additionalProperty, prop)


def dataset(rec: Record, node: NamedNode, *, title: str, description: str, about: NamedNode | None,
            catalog: NamedNode | None, keywords: list[str]) -> None:
    """Type ``node`` as a Bioschemas and DCAT dataset about a sample, in an archive's catalogue."""
    rec.types(node, SCHEMA.Dataset, DCAT.Dataset)
    rec.add(node, DCT.conformsTo, BIOSCHEMAS_PROFILE["Dataset"])
    for predicate in (SCHEMA.name, DCT.title):
        rec.text(node, predicate, title)
    for predicate in (SCHEMA.description, DCT.description):
        rec.text(node, predicate, description)
    for predicate in (SCHEMA.keywords, DCAT.keyword):
        rec.texts(node, predicate, keywords)
    if about is not None:
        rec.add(node, SCHEMA.about, about)
        rec.add(about, SCHEMA.subjectOf, node)
    if catalog is not None:
        rec.add(node, SCHEMA.includedInDataCatalog, catalog)


def landing_page(rec: Record, node: NamedNode, url: str | None, *, field: str) -> None:
    """A dataset's page, as Bioschemas (``schema:url``) and DCAT (``dcat:landingPage``) name it."""
    for predicate in (SCHEMA.url, DCAT.landingPage):
        rec.link(node, predicate, url, field=field)


def distribution(rec: Record, dataset: NamedNode, fragment: str, url: str, *, field: str,
                 file_format: NamedNode | None, access_url: str | None = None, size: str | None = None,
                 md5: str | None = None) -> None:
    """A file of ``dataset`` at ``url`` as a ``dcat:Distribution`` and ``schema:DataDownload`` at
    ``#{fragment}``: its EDAM format, size in bytes and MD5 checksum where the archive gives them.
    ``access_url`` is the page that gives access to it (the file itself when ``None``).

    >>> rec = Record("d", NamedNode("http://lc/id/dataset/d"), "dataset")
    >>> distribution(rec, rec.uri, "fastq-1", "ftp://h/d_1.fastq.gz", field="fastq_ftp", file_format=None,
    ...              size="2000", md5="0123456789ABCDEF0123456789ABCDEF")
    >>> sorted(str(t.object) for t in rec.triples if t.predicate.value.endswith(("contentSize", "Value")))
    ['"0123456789abcdef0123456789abcdef"^^<http://www.w3.org/2001/XMLSchema#hexBinary>', '"2000 bytes"']
    """
    node = NamedNode(f"{dataset.value}#{fragment}")
    if rec.link(node, DCAT.downloadURL, url, field=field) is None:
        return
    rec.types(node, DCAT.Distribution, SCHEMA.DataDownload)
    rec.text(node, DCT.title, url.rstrip("/").rsplit("/", 1)[-1])
    rec.link(node, SCHEMA.contentUrl, url, field=field)
    rec.link(node, DCAT.accessURL, access_url or url, field=field)
    if file_format is not None:
        rec.add(node, DCT["format"], file_format)
        rec.add(node, SCHEMA.encodingFormat, file_format)
    if size and size.isdigit():
        rec.typed(node, DCAT.byteSize, size, XSD.nonNegativeInteger)
        rec.text(node, SCHEMA.contentSize, f"{size} bytes")
    if md5 and _MD5.fullmatch(md5):
        checksum = NamedNode(f"{node.value}-md5")
        rec.types(checksum, SPDX.Checksum)
        rec.add(checksum, SPDX.algorithm, SPDX.checksumAlgorithm_md5)
        rec.typed(checksum, SPDX.checksumValue, md5.lower(), XSD.hexBinary)
        rec.add(node, SPDX.checksum, checksum)
    rec.add(dataset, DCAT.distribution, node)
    rec.add(dataset, SCHEMA.distribution, node)

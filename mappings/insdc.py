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

from pyoxigraph import Literal, NamedNode

from lifecat.core.uris import Minter
from lifecat.core.vocab import BIOSCHEMAS, BIOSCHEMAS_PROFILE, DCAT, DCT, NCBITAXON, SCHEMA, XSD
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

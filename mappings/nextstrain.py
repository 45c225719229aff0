"""Nextstrain / GenBank sequence metadata: a TSV (or CSV) with one row per genome record.

Each row gives the isolate, a Bioschemas Sample at ``id/sample/{strain}`` (taxon, host, collection
date and place), and its GenBank sequence record, a ``dcat:Dataset`` at ``id/dataset/{accession}``
in the GenBank catalogue (the Bioregistry's ``genbank`` record) with its NCBI landing page and its
sequence as a FASTA download. GenBank published the sequence record, and the description of the
isolate both are derived from (:data:`TERMS`). Unknown values (``?``) are left out; so are host age
and sex, which describe a patient.

>>> from lifecat.core.uris import Minter
>>> row = {"strain": "Australia/VIC05/2020", "virus": "ncov", "genbank_accession": "MT450922",
...        "date": "2020-03-05", "country": "Australia", "division": "Victoria", "host": "Homo sapiens",
...        "age": "44", "sex": "Male"}
>>> record = to_rdf(row, Minter("http://lc/"))
>>> record.uri
<NamedNode value=http://lc/id/sample/Australia/VIC05/2020>
>>> any(t.object.value in {"44", "Male"} for t in record.triples)
False
>>> sorted(t.object.value for t in record.triples if t.predicate.value.endswith("wasDerivedFrom"))
['https://www.ncbi.nlm.nih.gov/nuccore/MT450922', 'https://www.ncbi.nlm.nih.gov/nuccore/MT450922']
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path
from typing import Any, ClassVar

from pydantic import AliasChoices
from pydantic import Field as Described
from pyoxigraph import NamedNode

from lifecat.core import identifiers
from lifecat.core.uris import Minter
from lifecat.core.vocab import ACCESS_RIGHT, DCT, EDAM, SCHEMA
from lifecat.mappings import identity, insdc
from lifecat.mappings.rdf import Format, Record, RecordError, SourceItem
from lifecat.mappings.source_terms import Publisher, SourceTerms, state
from lifecat.mappings.sourcefiles import Row, files, parse, read_table
from lifecat.mappings.values import add_date, distribution

NAME = "nextstrain"
EXPECTED = "Nextstrain/GenBank metadata TSV with columns strain and genbank_accession (or accession)"
#: GenBank publishes the sequence records (open INSDC records, with no licence: NCBI's policies page
#: says it places no restrictions on their use or distribution).
TERMS = SourceTerms(
    publisher=Publisher("GenBank (NCBI, U.S. National Library of Medicine)", "https://www.ncbi.nlm.nih.gov/genbank/"),
    published_thing=True, access=ACCESS_RIGHT.PUBLIC, free=True,
    terms="https://www.ncbi.nlm.nih.gov/home/about/policies/", conditions=insdc.CONDITIONS)
#: The labs a row names (``{role}_lab`` columns) → how they relate to the sequence record.
LABS = {"submitting": (SCHEMA.creator, DCT.creator), "originating": (SCHEMA.contributor, DCT.contributor)}
#: The isolate's description is GenBank's too (the sequence record's source feature), not the isolate.
SAMPLE_TERMS = dataclasses.replace(TERMS, published_thing=False)


class Isolate(Row):
    """One row of a Nextstrain metadata file (the columns lifecat maps)."""

    missing: ClassVar[frozenset[str]] = Row.missing | {"unknown", "Unknown"}

    strain: str = Described(description="The isolate's name, Nextstrain's key.")
    virus: str | None = Described(None, description="Virus (ncov for SARS-CoV-2).")
    gisaid_epi_isl: str | None = Described(None, description="GISAID's id of the isolate's record.")
    accession: str | None = Described(
        None, validation_alias=AliasChoices("genbank_accession", "accession"),
        description="GenBank (INSDC) accession of the sequence record.")
    date: str | None = Described(None, description="Collection date; XX for unknown parts.")
    region: str | None = Described(None, description="Continent of collection.")
    country: str | None = Described(None, description="Country of collection.")
    division: str | None = Described(None, description="Region within the country.")
    location: str | None = Described(None, description="Place within the division.")
    segment: str | None = Described(None, description="Genome segment sequenced.")
    length: str | None = Described(None, description="Sequence length in bases.")
    host: str | None = Described(None, description="Host organism.")
    originating_lab: str | None = Described(None, description="Lab that collected the sample.")
    submitting_lab: str | None = Described(None, description="Lab that submitted the sequence.")
    authors: str | None = Described(None, description="Authors of the sequence record.")
    title: str | None = Described(None, description="GenBank definition line.")
    date_submitted: str | None = Described(None, description="Date the sequence was submitted.")


def read(path: Path | None) -> Iterator[SourceItem]:
    """Every row of a Nextstrain metadata file, or of every such file in a folder."""
    for file in files(path, (".tsv", ".csv", ".txt")):
        yield from read_table(file, NAME, required=["strain", ("genbank_accession", "accession")],
                              key=("strain",), expected=EXPECTED)


def to_rdf(data: dict[str, Any], mint: Minter) -> Record:
    """Map one metadata row to the isolate's sample record and its sequence dataset."""
    row = parse(Isolate, data)
    key = identifiers.key("strain", row.strain)
    if key is None:
        raise RecordError("strain", f"{row.strain!r} names no isolate")
    uri = mint.record("sample", key)
    rec = Record(key=key, uri=uri, kind="sample")
    insdc.sample(rec, mint, [("strain", row.strain)], name=row.strain, field="strain")
    rec.text(uri, SCHEMA.identifier, row.gisaid_epi_isl)
    organism = insdc.taxon(row.virus)
    virus = insdc.VIRUS_NAMES.get(int(organism.rsplit("_", 1)[1])) if organism else row.virus
    insdc.characteristic(rec, uri, "organism", virus, reference=organism)
    insdc.characteristic(rec, uri, "host", row.host, reference=insdc.taxon(row.host))
    insdc.characteristic(rec, uri, "collection date", row.date)
    place = ", ".join(filter(None, [row.division, row.location]))
    insdc.characteristic(rec, uri, "geographic location", f"{row.country}: {place}" if row.country and place
                         else row.country)
    insdc.characteristic(rec, uri, "region", row.region)
    state(rec, uri, SAMPLE_TERMS, derived_from=_page(row))
    _sequence(rec, mint, row, virus)
    return rec


def _page(row: Isolate) -> str | None:
    """The sequence record's page at NCBI, where the row's values come from."""
    accession = identifiers.key("sequence", row.accession)
    return identifiers.SCHEMES["sequence"].resolver(accession) if accession else None


def _sequence(rec: Record, mint: Minter, row: Isolate, virus: str | None) -> None:
    node = identity.describe(rec, mint, [("sequence", row.accession)], field="genbank_accession")
    if node is None:
        rec.notes.append(("genbank_accession", f"{row.accession!r}: no INSDC sequence record to describe"))
        return
    accession = identifiers.key("sequence", row.accession)
    size = f", {row.length} bases" if row.length else ""
    where = ", ".join(filter(None, [row.division, row.country]))
    segment = row.segment or "sequence"
    description = (f"GenBank sequence record {accession} of {virus or 'the'} isolate {row.strain} "
                   f"({segment}{size})" + (f", collected on {row.date}" if row.date else "")
                   + (f" in {where}" if where else "") + ".")
    insdc.dataset(rec, node, title=row.title or f"{virus or 'Virus'} isolate {row.strain}, {segment}",
                  description=description, about=rec.uri,
                  catalog=identifiers.uri(mint, "bioregistry", "genbank"),
                  keywords=list(filter(None, [virus, row.segment])))
    page = _page(row)
    insdc.landing_page(rec, node, page, field="genbank_accession")
    rec.text(node, DCT.identifier, accession)
    for predicate in (SCHEMA.datePublished, DCT.issued):
        add_date(rec, node, predicate, row.date_submitted, field="date_submitted")
    for predicate in (SCHEMA.author, SCHEMA.creditText):  # "Name et al": no person to name
        rec.text(node, predicate, row.authors)
    for role, predicates in LABS.items():
        lab = getattr(row, f"{role}_lab")
        if lab:
            org = NamedNode(f"{node.value}#{role}-lab")
            rec.types(org, SCHEMA.Organization)
            rec.text(org, SCHEMA.name, lab)
            for predicate in predicates:
                rec.add(node, predicate, org)
    state(rec, node, TERMS, derived_from=page)
    distribution(rec, node, "download-fasta", insdc.FASTA.format(accession), field="genbank_accession",
                       file_format=EDAM.format_1929, access_url=page)


FORMAT = Format(
    name=NAME,
    summary="Nextstrain/GenBank sequence metadata TSV (strain, virus, genbank_accession, date, …)",
    read=read,
    to_rdf=to_rdf,
)

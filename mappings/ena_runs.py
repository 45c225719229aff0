"""ENA portal ``read_run`` reports: TSV or CSV, any subset of the standard columns.

Each row is one sequencing run: a ``dcat:Dataset`` at ``id/dataset/{run_accession}`` with its FASTQ
(and submitted) files as distributions, about its sample (a Bioschemas Sample at
``id/sample/{sample_accession}``, ``owl:sameAs`` the node of its secondary ERS/SRS accession) and part
of its study (``id/study/{study_accession}``). ENA published the run and the study, and the
descriptions of the sample (:data:`TERMS`): each says so, with its record at ENA. Columns that are not
ENA's are ignored.

>>> from lifecat.core.uris import Minter
>>> row = {"run_accession": "SRR11542289", "sample_accession": "SAMN14572251",
...        "study_accession": "PRJNA625551", "instrument_platform": "ILLUMINA",
...        "fastq_ftp": "ftp.sra.ebi.ac.uk/vol1/fastq/SRR115/089/SRR11542289/SRR11542289_1.fastq.gz"}
>>> record = to_rdf(row, Minter("http://lc/"))
>>> record.uri
<NamedNode value=http://lc/id/dataset/SRR11542289>
>>> sorted({t.object.value for t in record.triples if t.predicate.value.endswith("downloadURL")})
['ftp://ftp.sra.ebi.ac.uk/vol1/fastq/SRR115/089/SRR11542289/SRR11542289_1.fastq.gz']
>>> sorted(t.object.value.split("/")[-1] for t in record.triples if "DerivedFrom" in t.predicate.value)
['PRJNA625551', 'SAMN14572251', 'SRR11542289']
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from itertools import zip_longest
from pathlib import Path
from typing import Any

from pydantic import Field as Described
from pyoxigraph import NamedNode

from lifecat.core import identifiers
from lifecat.core.uris import Minter
from lifecat.core.vocab import ACCESS_RIGHT, DCT, EDAM, SCHEMA, SHAPES
from lifecat.mappings import identity, insdc
from lifecat.mappings.rdf import Format, Record, RecordError, SourceItem
from lifecat.mappings.source_terms import Publisher, SourceTerms, state
from lifecat.mappings.sourcefiles import Row, files, parse, read_table
from lifecat.mappings.values import add_date, distribution, split

NAME = "ena-runs"
EXPECTED = "an ENA portal read_run report (TSV or CSV) with a run_accession column"
#: ENA publishes the runs and studies (open INSDC records, with no licence: its standards and policies
#: page states the INSDC policy).
TERMS = SourceTerms(
    publisher=Publisher("European Nucleotide Archive (ENA), EMBL-EBI", "https://www.ebi.ac.uk/ena/browser/"),
    published_thing=True, access=ACCESS_RIGHT.PUBLIC, free=True,
    terms="https://www.ebi.ac.uk/ena/standards-and-policies", conditions=insdc.CONDITIONS)
#: ENA publishes a description of the sample, not the sample.
SAMPLE_TERMS = dataclasses.replace(TERMS, published_thing=False)
#: File formats as ENA names them → EDAM format.
FILE_FORMATS = {"FASTQ": EDAM.format_1930, "BAM": EDAM.format_2572, "CRAM": EDAM.format_3462,
                "SAM": EDAM.format_2573, "FASTA": EDAM.format_1929}


class Run(Row):
    """One row of a read_run report (the columns lifecat maps)."""

    run_accession: str = Described(description="The run's accession (ERR/SRR/DRR).")
    sample_accession: str | None = Described(None, description="BioSample accession (SAMEA/SAMN/SAMD).")
    secondary_sample_accession: str | None = Described(None, description="ERS/SRS/DRS accession.")
    study_accession: str | None = Described(None, description="Study (PRJ…) accession.")
    secondary_study_accession: str | None = Described(None, description="ERP/SRP/DRP accession.")
    experiment_accession: str | None = Described(None, description="Experiment (ERX/SRX/DRX) accession.")
    experiment_title: str | None = Described(None, description="Title of the experiment.")
    study_title: str | None = Described(None, description="Title of the study.")
    sample_title: str | None = Described(None, description="Title of the sample.")
    sample_alias: str | None = Described(None, description="The submitter's name for the sample.")
    scientific_name: str | None = Described(None, description="Organism sequenced.")
    tax_id: str | None = Described(None, description="NCBI Taxonomy id of the organism.")
    instrument_platform: str | None = Described(None, description="ILLUMINA, OXFORD_NANOPORE, ….")
    instrument_model: str | None = Described(None, description="Instrument model.")
    library_strategy: str | None = Described(None, description="WGS, AMPLICON, RNA-Seq, ….")
    library_layout: str | None = Described(None, description="SINGLE or PAIRED.")
    collection_date: str | None = Described(None, description="When the sample was collected.")
    country: str | None = Described(None, description="Country: region, where it was collected.")
    host: str | None = Described(None, description="Host organism.")
    host_tax_id: str | None = Described(None, description="NCBI Taxonomy id of the host.")
    center_name: str | None = Described(None, description="The centre that submitted the run.")
    first_public: str | None = Described(None, description="When the run was made public.")
    last_updated: str | None = Described(None, description="When the run last changed.")
    fastq_ftp: str | None = Described(None, description="FASTQ file locations, ;-separated, no scheme.")
    fastq_bytes: str | None = Described(None, description="FASTQ file sizes, ;-separated.")
    fastq_md5: str | None = Described(None, description="FASTQ files' MD5 checksums, ;-separated.")
    submitted_ftp: str | None = Described(None, description="Submitted file locations, ;-separated.")
    submitted_bytes: str | None = Described(None, description="Submitted file sizes, ;-separated.")
    submitted_format: str | None = Described(None, description="Submitted file formats, ;-separated.")


def read(path: Path | None) -> Iterator[SourceItem]:
    """Every row of a read_run report (TSV or CSV), or of every such file in a folder."""
    for file in files(path, (".tsv", ".csv", ".txt")):
        yield from read_table(file, NAME, required=["run_accession"], key=("run_accession",),
                              expected=EXPECTED)


def to_rdf(data: dict[str, Any], mint: Minter) -> Record:
    """Map one run to its dataset record, with its sample and study."""
    run = parse(Run, data)
    key = identifiers.key("run", run.run_accession)
    if key is None:
        raise RecordError("run_accession", f"{run.run_accession!r} is not an INSDC run accession")
    uri = mint.record("dataset", key)
    rec = Record(key=key, uri=uri, kind="dataset")
    identity.describe(rec, mint, [("run", key)], field="run_accession", node=uri)
    sample = _sample(rec, mint, run)
    instrument = " ".join(filter(None, [run.instrument_platform, run.instrument_model]))
    technique = ", ".join(filter(None, [run.library_strategy, run.library_layout, instrument]))
    insdc.dataset(
        rec, uri,
        title=run.experiment_title or f"Sequencing run {key}" + (f" ({instrument})" if instrument else ""),
        description=f"Sequencing run {key}" + (f" ({technique})" if technique else "")
        + (f" of sample {run.sample_accession}" if run.sample_accession else "")
        + (f" in study {run.study_accession}" if run.study_accession else "") + ", archived in ENA.",
        about=sample, catalog=identifiers.uri(mint, "bioregistry", "ena.embl"),
        keywords=list(filter(None, [run.library_strategy, run.scientific_name])))
    page = identifiers.SCHEMES["run"].resolver(key)
    insdc.landing_page(rec, uri, page, field="run_accession")
    rec.text(uri, DCT.identifier, key)
    rec.text(uri, SCHEMA.identifier, run.experiment_accession)
    rec.text(uri, SCHEMA.measurementTechnique, technique)
    for predicates, value, field in (((SCHEMA.datePublished, DCT.issued), run.first_public, "first_public"),
                                     ((SCHEMA.dateModified, DCT.modified), run.last_updated, "last_updated")):
        for predicate in predicates:
            add_date(rec, uri, predicate, value, field=field)
    if run.center_name:
        center = NamedNode(f"{uri.value}#center")
        rec.types(center, SCHEMA.Organization)
        rec.text(center, SCHEMA.name, run.center_name)
        rec.add(uri, SCHEMA.creator, center)
        rec.add(uri, DCT.creator, center)
    state(rec, uri, TERMS, derived_from=page)
    _study(rec, mint, run)
    _files(rec, "fastq", run.fastq_ftp, run.fastq_bytes, None, run.fastq_md5)
    _files(rec, "submitted", run.submitted_ftp, run.submitted_bytes, run.submitted_format, None)
    return rec


def _sample(rec: Record, mint: Minter, run: Run) -> NamedNode | None:
    ids = [("sample", run.sample_accession), ("sample", run.secondary_sample_accession)]
    node = insdc.sample(rec, mint, ids, name=run.sample_title or run.sample_alias, field="sample_accession")
    if node is None:
        rec.notes.append(("sample_accession", "no sample accession: the run's sample is not described"))
        return None
    key = next(filter(None, (identifiers.key(scheme, value) for scheme, value in ids)), "")
    page = identifiers.SCHEMES["sample"].resolver(key or "")
    rec.link(node, SCHEMA.url, page, field="sample_accession")
    state(rec, node, SAMPLE_TERMS, derived_from=page)
    insdc.characteristic(rec, node, "organism", run.scientific_name,
                         reference=insdc.taxon(run.scientific_name, run.tax_id))
    insdc.characteristic(rec, node, "host", run.host, reference=insdc.taxon(run.host, run.host_tax_id))
    insdc.characteristic(rec, node, "collection date", run.collection_date)
    insdc.characteristic(rec, node, "geographic location", run.country)
    return node


def _study(rec: Record, mint: Minter, run: Run) -> None:
    ids = [("study", run.study_accession), ("study", run.secondary_study_accession)]
    node = identity.describe(rec, mint, ids, field="study_accession")
    if node is None:
        return
    rec.types(node, SCHEMA.ResearchProject)
    rec.add(node, DCT.conformsTo, SHAPES.StudyShape)
    rec.text(node, SCHEMA.name, run.study_title)
    key = (identifiers.key("study", run.study_accession)
           or identifiers.key("study", run.secondary_study_accession))
    page = identifiers.SCHEMES["study"].resolver(key or "")
    rec.link(node, SCHEMA.url, page, field="study_accession")
    state(rec, node, TERMS, derived_from=page)
    rec.add(rec.uri, SCHEMA.isPartOf, node)
    rec.add(node, SCHEMA.hasPart, rec.uri)


def _files(rec: Record, kind: str, locations: str | None, sizes: str | None, formats: str | None,
           checksums: str | None) -> None:
    """One distribution per file; ENA writes locations without a scheme (its FTP server), lists by ``;``."""
    rows = zip_longest(split(locations, ";"), split(sizes, ";"), split(formats, ";"), split(checksums, ";"))
    for n, (location, size, fmt, md5) in enumerate(rows, start=1):
        if not location:
            continue
        file_format = FILE_FORMATS.get((fmt or ("FASTQ" if kind == "fastq" else "")).upper())
        distribution(rec, rec.uri, f"{kind}-{n}", location if "://" in location else f"ftp://{location}",
                           field=f"{kind}_ftp", file_format=file_format, size=size, md5=md5)


FORMAT = Format(
    name=NAME,
    summary="ENA portal read_run report, TSV or CSV (run_accession, sample_accession, fastq_ftp, …)",
    read=read,
    to_rdf=to_rdf,
)

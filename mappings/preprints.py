"""COVID-19 preprints (Fraser & Kramer): a CSV of source, doi, arxiv_id, posted_date, title, abstract.

Each row becomes a ``schema:ScholarlyArticle`` with ``creativeWorkStatus`` "Preprint" at the DOI's
article node, the one every source citing that DOI mints. arXiv rows have no DOI (``NA``) but an
arXiv id (and the ``arxiv_id`` column may be absent): they get arXiv's own DOI, ``10.48550/arXiv.…``,
so a citation of either form meets them. Abstracts are not published: the authors keep their
copyright on them, while the metadata is CC0.

The server published the preprint (``schema:publisher``, with its home page where :data:`SERVERS`
knows it); it is open to read, free, and was derived from the record its DOI resolves to. The file's
CC0 covers its compilers' metadata, the description lifecat holds (``schema:sdLicense``), not the
preprint, whose licence the file does not give.

>>> from lifecat.core.uris import Minter
>>> row = {"source": "arXiv", "doi": "NA", "arxiv_id": "2001.10530v2", "posted_date": "2020-01-28",
...        "title": "A preprint", "abstract": "Text."}
>>> record = to_rdf(row, Minter("http://lc/"))
>>> record.uri
<NamedNode value=http://lc/id/article/10.48550/arxiv.2001.10530>
>>> sorted(t.object.value for t in record.triples if t.predicate.value.endswith("identifier"))
['arXiv:2001.10530']
>>> sorted(t.object.value for t in record.triples if t.predicate.value.endswith(("url", "DerivedFrom")))
['https://arxiv.org/', 'https://doi.org/10.48550/arxiv.2001.10530']
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from pydantic import Field as Described

from lifecat.core import identifiers
from lifecat.core.uris import Minter
from lifecat.core.vocab import ACCESS_RIGHT, BIOSCHEMAS_PROFILE, DCT, SCHEMA
from lifecat.mappings import identity
from lifecat.mappings.rdf import Format, Record, RecordError, SourceItem
from lifecat.mappings.source_terms import Publisher, SourceTerms, state
from lifecat.mappings.sourcefiles import Row, files, parse, read_table
from lifecat.mappings.values import Field, emit

NAME = "preprints"
EXPECTED = "a COVID-19 preprints CSV with columns source, doi, posted_date, title (arxiv_id optional)"
#: Home pages of the preprint servers, by the name the file's ``source`` column gives them.
#: The licence of the compiled metadata (SOURCE.md of the sample: the repository's LICENSE).
METADATA_LICENCE = "http://spdx.org/licenses/CC0-1.0"
SERVERS = {
    "medRxiv": "https://www.medrxiv.org/",
    "bioRxiv": "https://www.biorxiv.org/",
    "Research Square": "https://www.researchsquare.com/",
    "Preprints.org": "https://www.preprints.org/",
    "arXiv": "https://arxiv.org/",
    "OSF Preprints": "https://osf.io/preprints/",
    "ChemRxiv": "https://chemrxiv.org/",
    "JMIR": "https://preprints.jmir.org/",
    "PsyArXiv (OSF)": "https://osf.io/preprints/psyarxiv",
    "SocArXiv (OSF)": "https://osf.io/preprints/socarxiv",
}


class Preprint(Row):
    """One row of the preprints file."""

    source: str | None = Described(None, description="The preprint server.")
    doi: str | None = Described(None, description="The preprint's DOI; NA for arXiv.")
    arxiv_id: str | None = Described(None, description="The arXiv id (with version); NA otherwise.")
    posted_date: str | None = Described(None, description="When the preprint was posted (YYYY-MM-DD).")
    title: str | None = Described(None, description="Title.")


FIELDS: list[Field] = [
    ("title", (SCHEMA.headline, SCHEMA.name), "text"),
    ("posted_date", (SCHEMA.datePublished,), "date"),
]


def read(path: Path | None) -> Iterator[SourceItem]:
    """Every row of a preprints CSV (or TSV), or of every such file in a folder."""
    for file in files(path, (".csv", ".tsv")):
        yield from read_table(file, NAME, required=["source", "doi", "posted_date", "title"],
                              key=("doi", "arxiv_id"), expected=EXPECTED)


def to_rdf(data: dict[str, Any], mint: Minter) -> Record:
    """Map one preprint row to its article record."""
    row = parse(Preprint, data)
    ids = [("doi", row.doi), ("arxiv", row.arxiv_id)]
    key = next(filter(None, (identifiers.key(scheme, value) for scheme, value in ids)), None)
    if key is None:
        raise RecordError("doi", f"neither a DOI ({row.doi!r}) nor an arXiv id ({row.arxiv_id!r})")
    uri = mint.record("article", key)
    rec = Record(key=key, uri=uri, kind="article")
    identity.describe(rec, mint, ids, field="doi", node=uri)
    rec.types(uri, SCHEMA.ScholarlyArticle)
    rec.add(uri, DCT.conformsTo, BIOSCHEMAS_PROFILE["ScholarlyArticle"])
    rec.text(uri, SCHEMA.creativeWorkStatus, "Preprint")
    emit(rec, uri, row, FIELDS)
    if row.source:  # preprint servers are open to every reader, at no cost
        server = Publisher(row.source, SERVERS.get(row.source, ""))
        terms = SourceTerms(publisher=server, published_thing=True, access=ACCESS_RIGHT.PUBLIC, free=True)
        state(rec, uri, terms, derived_from=identifiers.SCHEMES["doi"].resolver(key))
    rec.link(uri, SCHEMA.sdLicense, METADATA_LICENCE, field="licence")
    return rec


FORMAT = Format(
    name=NAME,
    summary="COVID-19 preprints CSV (source, doi, arxiv_id, posted_date, title, abstract)",
    read=read,
    to_rdf=to_rdf,
)

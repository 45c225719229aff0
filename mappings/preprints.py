"""COVID-19 preprints (Fraser & Kramer): a CSV of source, doi, arxiv_id, posted_date, title, abstract.

Each row becomes a ``schema:ScholarlyArticle`` with ``creativeWorkStatus`` "Preprint" at the DOI's
article node, the one every source citing that DOI mints. arXiv rows have no DOI (``NA``) but an
arXiv id (and the ``arxiv_id`` column may be absent): they get arXiv's own DOI, ``10.48550/arXiv.…``,
so a citation of either form meets them. Abstracts are not published: the authors keep their
copyright on them, while the metadata is CC0.

>>> from lifecat.core.uris import Minter
>>> row = {"source": "arXiv", "doi": "NA", "arxiv_id": "2001.10530v2", "posted_date": "2020-01-28",
...        "title": "A preprint", "abstract": "Text."}
>>> record = to_rdf(row, Minter("http://lc/"))
>>> record.uri
<NamedNode value=http://lc/id/article/10.48550/arxiv.2001.10530>
>>> sorted(t.object.value for t in record.triples if t.predicate.value.endswith("identifier"))
['arXiv:2001.10530']
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from pydantic import Field as Described
from pyoxigraph import NamedNode

from lifecat.core import identifiers
from lifecat.core.uris import Minter
from lifecat.core.vocab import BIOSCHEMAS_PROFILE, DCT, SCHEMA
from lifecat.mappings import identity
from lifecat.mappings.rdf import Format, Record, RecordError, SourceItem
from lifecat.mappings.sourcefiles import Row, files, parse, read_table
from lifecat.mappings.values import Field, emit, slug

NAME = "preprints"
EXPECTED = "a COVID-19 preprints CSV with columns source, doi, posted_date, title (arxiv_id optional)"


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
    if row.source:
        server = NamedNode(f"{uri.value}#publisher-{slug(row.source)}")
        rec.types(server, SCHEMA.Organization)
        rec.text(server, SCHEMA.name, row.source)
        rec.add(uri, SCHEMA.publisher, server)
    return rec


FORMAT = Format(
    name=NAME,
    summary="COVID-19 preprints CSV (source, doi, arxiv_id, posted_date, title, abstract)",
    read=read,
    to_rdf=to_rdf,
)

"""The text index: an SQLite FTS5 file written beside each store generation, so it swaps with the graph.

Oxigraph has no full-text index, and a ``CONTAINS`` scan grows with the graph, so every build writes
``search.sqlite`` into the new generation's folder. It holds one row per public record (an IRI
``{base}id/{kind}/{key}`` with a type): its names, keywords, identifiers and descriptions for
ranked keyword search, its facets (type, source, licence, keyword), the normalised forms of its
external identifiers for lookup by accession, and the time its source was loaded for sitemaps.
Which properties feed which column is a table (:data:`COLUMNS`), not per-source code.

Facet values keep their labels from the graph (``graph/labels.py`` writes them first): types and
licences show by name. A licence IRI the graph does not name is no known licence (a publisher's terms
of use page): those are counted together as :data:`OTHER_TERMS`, and each record page keeps its link.

>>> import tempfile
>>> from pathlib import Path
>>> from pyoxigraph import Literal, NamedNode, Quad, Store
>>> from lifecat.core.config import Settings
>>> from lifecat.core.uris import Minter
>>> from lifecat.core.vocab import RDF, SCHEMA
>>> from lifecat.graph.derive import DeriveContext
>>> from lifecat.graph.store.embedded import EmbeddedSnapshot
>>> store, g = Store(), NamedNode("http://lc/graph/demo")
>>> uri = NamedNode("http://lc/id/tool/blast")
>>> for p, o in [(RDF.type, SCHEMA.SoftwareApplication), (SCHEMA.name, Literal("BLAST")),
...              (SCHEMA.sameAs, NamedNode("https://bio.tools/blast"))]:
...     store.add(Quad(uri, p, o, g))
>>> folder = Path(tempfile.mkdtemp())
>>> snapshot = EmbeddedSnapshot(store, folder, None, None)
>>> write(DeriveContext(snapshot, Settings(base="http://lc/"), Minter("http://lc/")), folder / FILENAME)
1
>>> path = folder / FILENAME
>>> index = SearchIndex(path)
>>> [hit.uri for hit in index.search("blast").hits]
['http://lc/id/tool/blast']
>>> index.lookup("biotools", "BLAST")
'http://lc/id/tool/blast'
"""

from __future__ import annotations

import os
import re
import sqlite3
import threading
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import unquote

from pyoxigraph import Literal, NamedNode

from lifecat.core.identifiers import identifier_keys, normalize_scheme
from lifecat.core.vocab import (
    DESCRIPTIONS,
    FOAF,
    IDENTIFIERS,
    KEYWORDS,
    LABELS,
    LICENCES,
    RDF,
    RDFS,
    SCHEMA,
    compact,
)
from lifecat.graph.dumps import ArtifactMissing
from lifecat.graph.labels import read_labels
from lifecat.graph.store import Store

if TYPE_CHECKING:
    from lifecat.graph.derive import DeriveContext

FILENAME = "search.sqlite"

#: FTS column ← the properties whose literal (or IRI) values fill it, and its bm25 weight.
COLUMNS: dict[str, tuple[tuple[NamedNode, ...], float]] = {
    "name": ((*LABELS, RDFS.label, FOAF.name), 10.0),
    "alternate": ((SCHEMA.alternateName,), 4.0),
    "keywords": (KEYWORDS, 4.0),
    "identifiers": (IDENTIFIERS, 6.0),
    "description": ((*DESCRIPTIONS, SCHEMA.abstract), 1.0),
}
#: Facet ← the properties whose values it counts (``type`` comes from ``rdf:type``).
FACETS: dict[str, tuple[NamedNode, ...]] = {
    "type": (RDF.type,),
    "licence": LICENCES,
    "keyword": KEYWORDS,
}
#: Facet names in display order (``source`` is the graph a record is in).
FACET_NAMES = ("type", "source", "licence", "keyword")
#: The licence facet value (and its label) standing for every licence that is no known licence.
OTHER_TERMS = ("other", "other terms")

_SCHEMA_SQL = """
CREATE TABLE records (id INTEGER PRIMARY KEY, uri TEXT NOT NULL UNIQUE, kind TEXT NOT NULL,
                      name TEXT NOT NULL, description TEXT NOT NULL, modified TEXT);
CREATE VIRTUAL TABLE text USING fts5(name, alternate, keywords, identifiers, description,
                                     content='', tokenize='unicode61 remove_diacritics 2');
CREATE TABLE facets (id INTEGER NOT NULL, facet TEXT NOT NULL, value TEXT NOT NULL);
CREATE TABLE identifiers (key TEXT NOT NULL, id INTEGER NOT NULL);
CREATE TABLE labels (facet TEXT NOT NULL, value TEXT NOT NULL, label TEXT NOT NULL,
                     PRIMARY KEY (facet, value));
"""
_INDEX_SQL = """
CREATE INDEX facets_by_value ON facets (facet, value, id);
CREATE INDEX facets_by_id ON facets (id, facet, value);
CREATE INDEX identifiers_by_key ON identifiers (key, id);
CREATE INDEX records_by_kind ON records (kind, name);
"""


@dataclass
class _Record:
    """What the index keeps of one record while the store is scanned."""

    uri: str
    kind: str
    text: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    facets: set[tuple[str, str]] = field(default_factory=set)
    identifiers: set[str] = field(default_factory=set)
    graphs: set[str] = field(default_factory=set)


def derive(context: DeriveContext) -> None:
    """The deriver: index the new state's records into its folder."""
    write(context, context.directory / FILENAME)


def write(context: DeriveContext, path: Path) -> int:
    """Index the public records of the new state into a new SQLite file at ``path``; return their
    count.

    The file is written under a temporary name and renamed, so readers never see half an index.
    """
    records, loaded, labels = _scan(context)
    base = context.mint.base
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}")
    tmp.unlink(missing_ok=True)
    db = sqlite3.connect(tmp)
    try:
        db.executescript(_SCHEMA_SQL)
        for rowid, record in enumerate(sorted(records.values(), key=lambda r: r.uri), start=1):
            _insert(db, rowid, record, base, loaded)
        db.executemany("INSERT INTO labels VALUES (?, ?, ?)",
                       [(facet, value, label) for (facet, value), label in sorted(labels.items())])
        db.executescript(_INDEX_SQL)
        db.execute("INSERT INTO text(text) VALUES ('optimize')")
        db.commit()
    finally:
        db.close()
    os.replace(tmp, path)
    return len(records)


#: Every property the index reads (``rdf:type`` makes a record of its subject).
INDEXED = tuple(sorted({RDF.type, *(p for predicates, _ in COLUMNS.values() for p in predicates),
                        *(p for predicates in FACETS.values() for p in predicates)}, key=lambda p: p.value))


def _scan(context: DeriveContext
          ) -> tuple[dict[str, _Record], dict[str, str], dict[tuple[str, str], str]]:
    """Public records by IRI, the latest load time of each graph, and the labels of facet values.

    One query per public graph reads only the indexed properties of the records in it.
    """
    base = context.mint.base
    prefix, meta = f"{base}id/", context.mint.meta_graph
    columns = {p.value: name for name, (predicates, _) in COLUMNS.items() for p in predicates}
    facets = {p.value: name for name, predicates in FACETS.items() for p in predicates}
    records: dict[str, _Record] = {}
    pending: dict[str, list[tuple[str, NamedNode | Literal]]] = defaultdict(list)
    in_graphs: dict[str, set[str]] = defaultdict(set)
    # minimal records are no one's records: their pages answer, but search and sitemaps leave them out
    for graph in [*context.source_graphs(), meta]:
        rows: Iterable[tuple[str, str, NamedNode | Literal]] = (
            (row["s"].value, row["p"].value, row["o"])
            for row in context.select("index_terms", [graph], prefix=Literal(prefix), predicates=INDEXED))
        if graph == meta:
            rows = list(rows)
            # The meta graph also says things about source records (their load, catalogue dates):
            # from it, index only the records it holds itself, such as the example queries.
            own = {uri for uri, name, _ in rows if name == RDF.type.value}
            rows = [row for row in rows if row[0] in own]
        for uri, name, obj in rows:
            if "#" in uri:
                continue
            if name == RDF.type.value and uri not in records:
                kind = uri[len(prefix):].partition("/")[0]
                if kind:
                    records[uri] = _Record(uri, kind)
            pending[uri].append((name, obj))
            in_graphs[uri].add(graph.value)
    named = read_labels(context, {obj.value for uri in records for predicate, obj in pending[uri]
                                  if predicate in facets and facets[predicate] != "keyword"
                                  and isinstance(obj, NamedNode)})
    labels: dict[tuple[str, str], str] = {("licence", OTHER_TERMS[0]): OTHER_TERMS[1]}
    for uri, record in records.items():
        record.graphs = in_graphs[uri]
        record.facets.update(("source", g.removeprefix(f"{base}graph/")) for g in record.graphs)
        for predicate, obj in pending[uri]:
            if predicate in columns and (isinstance(obj, Literal) or columns[predicate] == "identifiers"):
                record.text[columns[predicate]].append(obj.value)
            if predicate in facets:
                facet = facets[predicate]
                if facet == "keyword" and isinstance(obj, Literal):
                    record.facets.add((facet, obj.value.strip().lower()))
                elif facet != "keyword" and isinstance(obj, NamedNode):
                    value = _facet_value(facet, obj.value, named)
                    record.facets.add((facet, value))
                    if obj.value in named:
                        labels[facet, value] = named[obj.value]
            if columns.get(predicate) == "identifiers":
                record.identifiers.update(identifier_keys(obj.value))
        key = unquote(uri[len(prefix) + len(record.kind) + 1:])
        record.text["identifiers"].append(key)
        record.identifiers.update(identifier_keys(key) | {uri.lower()})
    loaded = {row["graph"].value: row["loaded"].value for row in context.select("loads", [meta])}
    if loaded:  # the meta graph's own records (example queries) date from the newest load
        loaded[meta.value] = max(loaded.values())
    return records, loaded, labels


def _facet_value(facet: str, iri: str, named: dict[str, str]) -> str:
    """How an IRI is counted in ``facet``: types compacted, licences the graph does not name as other.

    >>> _facet_value("type", "http://schema.org/Dataset", {})
    'schema:Dataset'
    >>> _facet_value("licence", "https://example.org/termsofuse.html", {}), OTHER_TERMS[0]
    ('other', 'other')
    """
    if facet == "type":
        return compact(iri)
    return iri if facet != "licence" or iri in named else OTHER_TERMS[0]


def _insert(db: sqlite3.Connection, rowid: int, record: _Record, base: str,
            loaded: dict[str, str]) -> None:
    names = record.text.get("name") or [record.uri]
    descriptions = record.text.get("description") or [""]
    modified = max((loaded[g] for g in record.graphs if g in loaded), default=None)
    db.execute("INSERT INTO records VALUES (?, ?, ?, ?, ?, ?)",
               (rowid, record.uri, record.kind, names[0], descriptions[0], modified))
    db.execute("INSERT INTO text(rowid, name, alternate, keywords, identifiers, description) "
               "VALUES (?, ?, ?, ?, ?, ?)",
               (rowid, *("\n".join(dict.fromkeys(record.text.get(c, []))) for c in COLUMNS)))
    db.executemany("INSERT INTO facets VALUES (?, ?, ?)",
                   [(rowid, f, v) for f, v in sorted(record.facets) if v])
    db.executemany("INSERT INTO identifiers VALUES (?, ?)",
                   [(k, rowid) for k in sorted(record.identifiers)])


@dataclass(frozen=True)
class Hit:
    """One search result."""

    uri: str
    kind: str
    name: str
    description: str
    score: float


@dataclass(frozen=True)
class FacetValue:
    """One facet value, how people read it, and how many matching records have it."""

    value: str
    label: str
    count: int


@dataclass
class SearchResult:
    """A page of hits, how many there are in all, and the facet counts over all of them."""

    total: int
    hits: list[Hit]
    facets: dict[str, list[FacetValue]]


class SearchError(ValueError):
    """A search that cannot be run as asked; the message says why."""


class SearchIndex:
    """Read access to one generation's index (one SQLite connection per thread, read-only)."""

    def __init__(self, path: Path) -> None:
        if not path.exists():
            raise FileNotFoundError(f"no search index at {path}")
        self.path = path
        self._local = threading.local()

    @property
    def _db(self) -> sqlite3.Connection:
        db = getattr(self._local, "db", None)
        if db is None:
            db = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, check_same_thread=False)
            self._local.db = db
        return db

    def search(self, query: str, *, filters: Iterable[tuple[str, str]] = (), limit: int = 20,
               offset: int = 0, facet_limit: int = 15) -> SearchResult:
        """Records matching every word of ``query`` (all records when it is blank), best first.

        A query that is an identifier (a DOI, an ORCID, a CURIE) ranks its record first.

        :raises SearchError: for a facet name that does not exist.
        """
        filters = list(filters)
        for facet, _ in filters:
            if facet not in FACET_NAMES:
                raise SearchError(f"unknown facet {facet!r}; facets are {', '.join(FACET_NAMES)}")
        match = fts_query(query)
        keys = sorted(identifier_keys(query)) if query.strip() else []
        if match or keys:
            weights = ", ".join(str(w) for _, w in COLUMNS.values())
            parts, params = [], []
            if match:
                parts.append(f"SELECT rowid AS id, bm25(text, {weights}) AS score "
                             "FROM text WHERE text MATCH ?")
                params.append(match)
            if keys:
                parts.append("SELECT id, -1000000.0 AS score FROM identifiers WHERE key IN "
                             f"({', '.join('?' * len(keys))})")
                params.extend(keys)
            hits_sql = f"SELECT id, MIN(score) AS score FROM ({' UNION ALL '.join(parts)}) GROUP BY id"
        else:
            hits_sql, params = "SELECT id, 0.0 AS score FROM records", []
        where = "".join(" AND h.id IN (SELECT id FROM facets WHERE facet = ? AND value = ?)"
                        for _ in filters)
        params += [v for pair in filters for v in pair]
        matched = f"SELECT h.id, h.score FROM ({hits_sql}) h WHERE 1 = 1{where}"
        try:
            return self._run(matched, params, limit, offset, facet_limit)
        except sqlite3.OperationalError as error:
            raise SearchError(f"cannot search for {query!r}: {error}") from None

    def _run(self, matched: str, params: list[str], limit: int, offset: int, facet_limit: int
             ) -> SearchResult:
        db = self._db
        total = db.execute(f"SELECT COUNT(*) FROM ({matched})", params).fetchone()[0]
        rows = db.execute(
            f"SELECT r.uri, r.kind, r.name, r.description, m.score FROM ({matched}) m "
            "JOIN records r ON r.id = m.id ORDER BY m.score, r.name COLLATE NOCASE, r.uri "
            "LIMIT ? OFFSET ?", [*params, limit, offset]).fetchall()
        counted = db.execute(
            "SELECT c.facet, c.value, COALESCE(l.label, c.value), c.n FROM (SELECT f.facet, f.value, "
            "COUNT(*) AS n, ROW_NUMBER() OVER (PARTITION BY f.facet ORDER BY COUNT(*) DESC, f.value) AS rank "
            f"FROM facets f JOIN ({matched}) m ON m.id = f.id GROUP BY f.facet, f.value) c "
            "LEFT JOIN labels l ON l.facet = c.facet AND l.value = c.value "
            "WHERE c.rank <= ? ORDER BY c.facet, c.n DESC, c.value", [*params, facet_limit]).fetchall()
        facets: dict[str, list[FacetValue]] = {name: [] for name in FACET_NAMES}
        for facet, value, label, n in counted:
            facets[facet].append(FacetValue(value, label, n))
        return SearchResult(total, [Hit(*row) for row in rows], facets)

    def lookup(self, scheme: str, accession: str) -> str | None:
        """The record carrying identifier ``accession`` of ``scheme`` (a Bioregistry prefix)."""
        name = normalize_scheme(scheme)
        if name is None:
            return None
        row = self._db.execute(
            "SELECT r.uri FROM identifiers i JOIN records r ON r.id = i.id WHERE i.key = ? "
            "ORDER BY r.uri LIMIT 1", (f"{name}:{accession.strip()}".lower(),)).fetchone()
        return row[0] if row else None

    def browse(self, kind: str, limit: int, offset: int) -> tuple[int, list[tuple[str, str]]]:
        """How many records of ``kind`` there are, and a page of them (IRI, name) by name."""
        db = self._db
        total = db.execute("SELECT COUNT(*) FROM records WHERE kind = ?", (kind,)).fetchone()[0]
        rows = db.execute("SELECT uri, name FROM records WHERE kind = ? ORDER BY name COLLATE NOCASE, uri "
                          "LIMIT ? OFFSET ?", (kind, limit, offset)).fetchall()
        return total, rows

    def kinds(self) -> list[str]:
        """The record kinds present (the ``{kind}`` of ``/id/{kind}/{key}``), sorted."""
        return [kind for (kind,) in self._db.execute("SELECT DISTINCT kind FROM records ORDER BY kind")]

    def records(self) -> Iterator[tuple[str, str | None]]:
        """Every indexed record IRI with the time its source was last loaded, in IRI order."""
        yield from self._db.execute("SELECT uri, modified FROM records ORDER BY id")

    def count(self) -> int:
        return self._db.execute("SELECT COUNT(*) FROM records").fetchone()[0]

    def page(self, offset: int, limit: int) -> list[tuple[str, str | None]]:
        """A slice of :meth:`records`."""
        return self._db.execute("SELECT uri, modified FROM records ORDER BY id LIMIT ? OFFSET ?",
                                (limit, offset)).fetchall()


class CurrentIndex:
    """The index of a store's current generation, reopened after a swap."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._lock = threading.Lock()
        self._open: tuple[str, SearchIndex] | None = None

    def get(self) -> SearchIndex:
        """:raises ArtifactMissing: if the current generation has no index."""
        generation = self.store.generation()
        with self._lock:
            if self._open is None or self._open[0] != generation:
                path = self.store.artifacts() / FILENAME
                if not path.is_file():
                    raise ArtifactMissing(f"no search index for generation {generation}: "
                                          "rebuild the store with `lifecat build`")
                self._open = (generation, SearchIndex(path))
                identifier_keys("https://doi.org/10.1000/1")  # load the registry before the first query
            return self._open[1]


_WORD = re.compile(r"\w", re.UNICODE)


def fts_query(text: str) -> str:
    """An FTS5 query that matches every word of ``text``, the last also as a prefix.

    Each word is quoted, so FTS5 operators in user input are plain text.

    >>> fts_query("gene OR onto")
    '"gene" AND "OR" AND "onto"*'
    >>> fts_query("10.1093/nar/gkab1066")
    '"10.1093/nar/gkab1066"*'
    >>> fts_query("  - ")
    ''
    """
    words = [w for w in text.split() if _WORD.search(w)]
    quoted = ['"' + w.replace('"', '""') + '"' for w in words]
    if quoted:
        quoted[-1] += "*"
    return " AND ".join(quoted)

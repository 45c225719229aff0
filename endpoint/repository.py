"""Read access to the public graphs: every query the endpoint runs goes through here.

The dataset a query sees is fixed here and nowhere else: its default graph is the union of the
public graphs (and the store's own default graph), and only public graphs can be named, whatever
``FROM``/``FROM NAMED``/``GRAPH`` the query says or the protocol asks for. A private graph (the
quarantine graphs and any configured ``private_graphs``) is indistinguishable from a missing one.
"""

from __future__ import annotations

import csv
import io
import json
import threading
from collections.abc import Iterator
from itertools import islice
from typing import Any

from pyoxigraph import (
    DefaultGraph,
    NamedNode,
    QueryBoolean,
    QuerySolutions,
    QueryTriples,
    Store,
    Triple,
    Variable,
    serialize,
)

from lifecat import queries
from lifecat.core.config import Settings
from lifecat.core.uris import Minter
from lifecat.core.vocab import PREFIXES
from lifecat.endpoint.negotiation import RDF_MEDIA_TYPES, RESULTS_MEDIA_TYPES
from lifecat.graph.store import GraphStore
from lifecat.graph.visibility import is_public, private_prefixes


class QueryError(ValueError):
    """A query that cannot be run as given (syntax, too many results); the message says why."""


class TooManyRows(QueryError):
    """The answer has more rows (or triples) than the endpoint's configured cap."""

    def __init__(self, limit: int) -> None:
        super().__init__(
            f"the query returns more than {limit} results, the most this endpoint returns at once: "
            f"add LIMIT {limit} (and page with OFFSET) or a more selective pattern"
        )


class QueryResult:
    """A query's answer, read once: serialised in the negotiated format or listed as rows."""

    def __init__(self, answer: QueryBoolean | QuerySolutions | QueryTriples) -> None:
        self._answer = answer
        if isinstance(answer, QueryBoolean):
            self.kind, self.variables = "boolean", []
        elif isinstance(answer, QueryTriples):
            self.kind, self.variables = "graph", []
        else:
            self.kind, self.variables = "select", [v.value for v in answer.variables]

    @property
    def boolean(self) -> bool:
        return bool(self._answer)

    @property
    def media_types(self) -> list[str]:
        """What this kind of result can be serialised as, the default first."""
        return list(RDF_MEDIA_TYPES if self.kind == "graph" else RESULTS_MEDIA_TYPES)

    def solutions(self) -> Iterator[dict[str, Any]]:
        """SELECT solutions as ``{variable: term}`` (unbound variables left out)."""
        for solution in self._answer:  # type: ignore[union-attr]
            yield {v: solution[v] for v in self.variables if solution[v] is not None}

    def triples(self) -> list[Triple]:
        triples = list(self._answer)  # type: ignore[arg-type]
        self.close()
        return triples

    @property
    def rows(self) -> list[list[str]]:
        return [[_text(s[v]) if v in s else "" for v in self.variables] for s in self.solutions()]

    def close(self) -> None:
        """Drop the store's answer on this thread (pyoxigraph answers must not cross threads)."""
        self._answer = None  # type: ignore[assignment]

    def serialize(self, media_type: str, *, max_rows: int | None = None) -> bytes:
        """The answer in ``media_type`` (one of :attr:`media_types`), at most ``max_rows`` results.

        :raises TooManyRows: if the answer has more than ``max_rows`` solutions or triples.
        """
        if self.kind == "graph":
            found = list(islice(self._answer, max_rows + 1 if max_rows else None))  # type: ignore[arg-type]
            if max_rows and len(found) > max_rows:
                raise TooManyRows(max_rows)
            return serialize(found, format=RDF_MEDIA_TYPES[media_type], prefixes=PREFIXES) or b""
        if self.kind == "boolean" or not max_rows:
            return self._answer.serialize(format=RESULTS_MEDIA_TYPES[media_type]) or b""  # type: ignore[union-attr]
        sink = _RowCounter(media_type, max_rows)
        self._answer.serialize(sink, format=RESULTS_MEDIA_TYPES[media_type])  # type: ignore[union-attr]
        return sink.body()


#: Per results format: a byte sequence that marks row boundaries outside values (so counting it is
#: exact, or a lower bound for JSON, where an all-unbound solution has no marker), and how many
#: rows a count of ``n`` markers means. TSV and XML escape values; a JSON string cannot hold an
#: unescaped ``"``; CSV may hold raw newlines in quoted values, so for it the count is an upper bound.
_MARKERS = {
    "text/tab-separated-values": (b"\n", -1),
    "application/sparql-results+xml": (b"<result>", 0),
    "application/sparql-results+json": (b'}},{"', 1),
    "text/csv": (b"\n", -1),
}


class _RowCounter:
    """Collects a serialised SELECT answer, counting its rows as pyoxigraph writes it, and stops
    the serialisation (and so the query's evaluation) as soon as there are more than allowed.

    >>> sink = _RowCounter("text/tab-separated-values", 1)
    >>> sink.write(b"?x\\n1\\n"), sink.body()
    (5, b'?x\\n1\\n')
    >>> sink.write(b"2\\n")  # doctest: +IGNORE_EXCEPTION_DETAIL
    Traceback (most recent call last):
    TooManyRows: the query returns more than 1 results, ...
    """

    def __init__(self, media_type: str, max_rows: int) -> None:
        self.media_type, self.max_rows = media_type, max_rows
        self.marker, self.offset = _MARKERS[media_type]
        self.parts: list[bytes] = []
        self.markers = 0
        self.tail = b""

    def write(self, chunk: bytes) -> int:
        data = bytes(chunk)
        width = len(self.marker) - 1
        edge = self.tail + data[:width]  # a marker may straddle two chunks
        self.markers += data.count(self.marker) + edge.count(self.marker)
        self.tail = (self.tail + data[-width:])[-width:] if width else b""
        self.parts.append(data)
        if self.media_type != "text/csv" and self.markers + self.offset > self.max_rows:
            raise TooManyRows(self.max_rows)
        return len(data)

    def flush(self) -> None:
        """Nothing to flush: parts are kept in memory."""

    def body(self) -> bytes:
        """The whole answer, once its exact row count is known to be within the cap (every row takes
        at least a byte, so a short answer needs no count)."""
        body = b"".join(self.parts)
        if len(body) > self.max_rows and self._upper_bound(body) > self.max_rows \
                and self._exact(body) > self.max_rows:
            raise TooManyRows(self.max_rows)
        return body

    def _upper_bound(self, body: bytes) -> int:
        if self.media_type == "text/csv":
            return self.markers - 1
        if self.media_type.endswith("json"):
            return body.count(b"{") - 3  # every solution opens one, as do the head and results
        return self.markers + self.offset

    def _exact(self, body: bytes) -> int:
        """Only for the rare answers the cheap bounds cannot settle."""
        if self.media_type == "text/csv":
            return sum(1 for _ in csv.reader(io.StringIO(body.decode("utf-8")))) - 1
        return len(json.loads(body)["results"]["bindings"])


def _text(term: Any) -> str:
    return term.value if hasattr(term, "value") else str(term)


class Repository:
    """The public view of a :class:`GraphStore`.

    >>> import tempfile
    >>> from lifecat.core.uris import Minter
    >>> repo = Repository(GraphStore(tempfile.mkdtemp()), Minter("http://ex/"), private=("http://ex/p/",))
    >>> repo.is_public("http://ex/graph/src"), repo.is_public("http://ex/graph/quarantine/src")
    (True, False)
    >>> repo.is_public("http://ex/p/secret")
    False
    """

    def __init__(self, graphs: GraphStore, mint: Minter, *, private: tuple[str, ...] = ()) -> None:
        self.graphs = graphs
        self.mint = mint
        self.private = private_prefixes(mint.base, private)
        self._base_iri = f"{mint.base}sparql"
        self._lock = threading.Lock()
        self._public: tuple[Store, list[NamedNode], bool] | None = None

    @classmethod
    def open(cls, settings: Settings) -> Repository:
        """The repository over the configured store.

        :raises LookupError: if the store has not been built.
        """
        graphs = GraphStore(settings.store)
        graphs.generation()
        return cls(graphs, Minter(settings.base), private=tuple(settings.private_graphs))

    @property
    def store(self) -> Store:
        return self.graphs.reader()

    @property
    def base_iri(self) -> str:
        """The base IRI relative IRIs in queries resolve against: the endpoint itself."""
        return self._base_iri

    def is_public(self, graph: str) -> bool:
        """Whether anonymous readers may see the graph named ``graph``."""
        return is_public(graph, self.private)

    def public_graphs(self) -> list[NamedNode]:
        """Every named graph anonymous readers may see (all but the private ones)."""
        return self._public_in(store=self.store)[0]

    def _public_in(self, store: Store) -> tuple[list[NamedNode], bool]:
        """The public graphs of ``store`` and whether they are all its graphs, listed once per
        generation (one handle each)."""
        with self._lock:
            if self._public is None or self._public[0] is not store:
                graphs = list(store.named_graphs())
                names = sorted((g for g in graphs if isinstance(g, NamedNode) and self.is_public(g.value)),
                               key=lambda g: g.value)
                self._public = (store, names, len(names) == len(graphs))
            return self._public[1], self._public[2]

    def run(
        self,
        query: str,
        *,
        substitutions: dict[Variable, Any] | None = None,
        default_graphs: list[str] | None = None,
        named_graphs: list[str] | None = None,
    ) -> QueryResult:
        """Run ``query`` over the public dataset (or the public graphs the protocol names).

        A dataset given by the protocol (or the query's ``FROM``) replaces the whole default one:
        named graphs only if some are named. Graphs that are missing or private count as empty, as
        SPARQL treats a graph the store does not hold.

        :raises QueryError: for a syntax error.
        """
        store = self.store
        public, everything = self._public_in(store)
        # With nothing private in the store, its union default graph is the public dataset, and
        # oxigraph evaluates that faster than the same graphs listed one by one.
        dataset: dict[str, Any] = {"use_default_graph_as_union": True} if everything else {
            "default_graph": [DefaultGraph(), *public], "named_graphs": public}
        if default_graphs or named_graphs:
            dataset = {"default_graph": self._pick(default_graphs or [], public),
                       "named_graphs": self._pick(named_graphs or [], public)}
        try:
            answer = store.query(query, substitutions=substitutions, base_iri=self.base_iri, **dataset)
            return QueryResult(answer)
        except SyntaxError as error:
            raise QueryError(f"invalid SPARQL query: {error}") from None

    def named(self, name: str, **bindings: Any) -> QueryResult:
        """Run the named query ``queries/{name}.rq`` with ``bindings`` substituted."""
        return self.run(queries.load(name),
                        substitutions={Variable(k): v for k, v in bindings.items()})

    @staticmethod
    def _pick(iris: list[str], public: list[NamedNode]) -> list[Any]:
        allowed = {g.value for g in public}
        return [NamedNode(i) for i in dict.fromkeys(iris) if i in allowed]

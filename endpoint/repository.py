"""Read access to the public graphs: every query the endpoint runs goes through here.

The dataset a query sees is fixed here and nowhere else: its default graph is the union of the
public graphs (and the store's own default graph), and only public graphs can be named, whatever
``FROM``/``FROM NAMED``/``GRAPH`` the query says or the protocol asks for. A private graph (the
quarantine graphs and any configured ``private_graphs``) is indistinguishable from a missing one.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from itertools import islice
from typing import Any

from lifecat.endpoint.negotiation import RDF_MEDIA_TYPES, RESULTS_MEDIA_TYPES
from lifecat.graph.store import GraphStore
from lifecat.graph.vocab import PREFIXES
from lifecat.mappings import Minter
from pyoxigraph import (
    DefaultGraph,
    NamedNode,
    QueryBoolean,
    QueryResultsFormat,
    QuerySolutions,
    QueryTriples,
    Store,
    Triple,
    Variable,
    parse_query_results,
    serialize,
)

from lifecat import queries
from lifecat.config import Settings


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
        answer: Any = self._answer
        if self.kind == "select" and max_rows and self.variables:
            answer = _capped(answer, max_rows)
        return answer.serialize(format=RESULTS_MEDIA_TYPES[media_type]) or b""


def _capped(solutions: QuerySolutions, max_rows: int) -> Any:
    """The solutions as TSV, counted (one line each, as TSV escapes newlines), then reparsed.

    Everything stays in Rust: about 15 % slower than serialising straight away, where a Python
    loop over the solutions would double the cost of a small query.
    """
    tsv = solutions.serialize(format=QueryResultsFormat.TSV) or b""
    if tsv.count(b"\n") - 1 > max_rows:
        raise TooManyRows(max_rows)
    return _Reparsed(tsv)


class _Reparsed:
    """TSV results that serialise to TSV as they are and to other formats through pyoxigraph."""

    def __init__(self, tsv: bytes) -> None:
        self.tsv = tsv

    def serialize(self, *, format: QueryResultsFormat) -> bytes:
        if format == QueryResultsFormat.TSV:
            return self.tsv
        return parse_query_results(self.tsv, QueryResultsFormat.TSV).serialize(format=format) or b""


def _text(term: Any) -> str:
    return term.value if hasattr(term, "value") else str(term)


class Repository:
    """The public view of a :class:`GraphStore`.

    >>> import tempfile
    >>> from lifecat.mappings import Minter
    >>> repo = Repository(GraphStore(tempfile.mkdtemp()), Minter("http://ex/"), private=("http://ex/p/",))
    >>> repo.is_public("http://ex/graph/src"), repo.is_public("http://ex/graph/quarantine/src")
    (True, False)
    >>> repo.is_public("http://ex/p/secret")
    False
    """

    def __init__(self, graphs: GraphStore, mint: Minter, *, private: tuple[str, ...] = ()) -> None:
        self.graphs = graphs
        self.mint = mint
        self.private = (f"{mint.base}graph/quarantine/", *private)
        self._lock = threading.Lock()
        self._public: tuple[str, list[NamedNode]] | None = None

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
        return f"{self.mint.base}sparql"

    def is_public(self, graph: str) -> bool:
        """Whether anonymous readers may see the graph named ``graph``."""
        return not graph.startswith(self.private)

    def public_graphs(self) -> list[NamedNode]:
        """Every named graph anonymous readers may see (all but the private ones)."""
        generation = self.graphs.generation()
        with self._lock:
            if self._public is None or self._public[0] != generation:
                names = sorted(
                    (g for g in self.store.named_graphs()
                     if isinstance(g, NamedNode) and self.is_public(g.value)),
                    key=lambda g: g.value,
                )
                self._public = (generation, names)
            return self._public[1]

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
        public = self.public_graphs()
        default: list[Any] = [DefaultGraph(), *public]
        named: list[Any] = public
        if default_graphs or named_graphs:
            default = self._pick(default_graphs or [], public)
            named = self._pick(named_graphs or [], public)
        try:
            answer = self.store.query(query, substitutions=substitutions, base_iri=self.base_iri,
                                      default_graph=default, named_graphs=named)
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

"""Read access to the public graphs: every query the endpoint runs goes through here.

The dataset a query sees is fixed here and nowhere else: its default graph is the union of the
public graphs, and only public graphs can be named, whatever ``FROM``/``GRAPH`` the query says.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

from pyoxigraph import (
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
from lifecat.config import Settings
from lifecat.endpoint.negotiation import RDF_MEDIA_TYPES, RESULTS_MEDIA_TYPES
from lifecat.graph.store import GraphStore
from lifecat.graph.vocab import PREFIXES
from lifecat.mappings import Minter


class QueryError(ValueError):
    """A query that cannot be run as given (syntax, unknown graph); the message says why."""


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

    def serialize(self, media_type: str) -> bytes:
        """The answer in ``media_type`` (one of :attr:`media_types`)."""
        if self.kind == "graph":
            return serialize(self.triples(), format=RDF_MEDIA_TYPES[media_type],
                             prefixes=PREFIXES) or b""
        return self._answer.serialize(format=RESULTS_MEDIA_TYPES[media_type]) or b""  # type: ignore[union-attr]


def _text(term: Any) -> str:
    return term.value if hasattr(term, "value") else str(term)


class Repository:
    """The public view of a :class:`GraphStore`."""

    def __init__(self, graphs: GraphStore, mint: Minter) -> None:
        self.graphs = graphs
        self.mint = mint
        self._lock = threading.Lock()
        self._public: tuple[str, list[NamedNode]] | None = None

    @classmethod
    def open(cls, settings: Settings) -> Repository:
        """The repository over the configured store.

        :raises LookupError: if the store has not been built.
        """
        graphs = GraphStore(settings.store)
        graphs.generation()
        return cls(graphs, Minter(settings.base))

    @property
    def store(self) -> Store:
        return self.graphs.reader()

    def public_graphs(self) -> list[NamedNode]:
        """Every named graph anonymous readers may see (all but the quarantine graphs)."""
        generation = self.graphs.generation()
        with self._lock:
            if self._public is None or self._public[0] != generation:
                private = f"{self.mint.base}graph/quarantine/"
                names = sorted(
                    (g for g in self.store.named_graphs()
                     if isinstance(g, NamedNode) and not g.value.startswith(private)),
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

        :raises QueryError: for a syntax error or a graph that is not public.
        """
        public = self.public_graphs()
        default = self._pick(default_graphs, public) if default_graphs else public
        named = self._pick(named_graphs, public) if named_graphs else public
        try:
            answer = self.store.query(
                query,
                substitutions=substitutions,
                default_graph=default or [NamedNode(f"{self.mint.base}graph/none")],
                named_graphs=named,
            )
            return QueryResult(answer)
        except SyntaxError as error:
            raise QueryError(f"invalid SPARQL query: {error}") from None

    def named(self, name: str, **bindings: Any) -> QueryResult:
        """Run the named query ``queries/{name}.rq`` with ``bindings`` substituted."""
        return self.run(queries.load(name),
                        substitutions={Variable(k): v for k, v in bindings.items()})

    @staticmethod
    def _pick(iris: list[str], public: list[NamedNode]) -> list[NamedNode]:
        allowed = {g.value for g in public}
        unknown = [i for i in iris if i not in allowed]
        if unknown:
            raise QueryError(f"no public graph named {', '.join(unknown)}")
        return [NamedNode(i) for i in iris]

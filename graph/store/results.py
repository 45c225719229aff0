"""A query's answer, whichever store gave it: serialised in each result format, within the row cap.

Both stores hand over pyoxigraph's own result objects (the embedded store evaluates into them; the
remote store parses its answer into them), so every answer is written by the same serialisers and
reads the same from either backend.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable, Iterator
from itertools import islice
from typing import Any

from pyoxigraph import QueryBoolean, QueryResultsFormat, QuerySolutions, RdfFormat, Triple, serialize

from lifecat.core.vocab import PREFIXES

#: Graph results and record representations, first is the default.
RDF_MEDIA_TYPES = {
    "text/turtle": RdfFormat.TURTLE,
    "application/n-triples": RdfFormat.N_TRIPLES,
    "application/ld+json": RdfFormat.JSON_LD,
    "application/rdf+xml": RdfFormat.RDF_XML,
}
#: SELECT and ASK results, first is the default.
RESULTS_MEDIA_TYPES = {
    "application/sparql-results+json": QueryResultsFormat.JSON,
    "application/sparql-results+xml": QueryResultsFormat.XML,
    "text/csv": QueryResultsFormat.CSV,
    "text/tab-separated-values": QueryResultsFormat.TSV,
}


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
    """A query's answer, read once: serialised in the negotiated format or listed as rows.

    ``answer`` is a boolean, solutions, or (for CONSTRUCT and DESCRIBE) an iterable of triples;
    ``on_close`` releases what it is read from (a remote store's response).
    """

    def __init__(self, answer: QueryBoolean | QuerySolutions | Iterable[Triple], *,
                 on_close: Callable[[], None] | None = None) -> None:
        self._answer: Any = answer
        self._on_close = on_close
        self._names: dict[Any, Any] = {}
        if isinstance(answer, QueryBoolean):
            self.kind, self.variables = "boolean", []
        elif isinstance(answer, QuerySolutions):
            self.kind, self.variables = "select", [v.value for v in answer.variables]
        else:
            self.kind, self.variables = "graph", []

    @property
    def boolean(self) -> bool:
        return bool(self._answer)

    @property
    def media_types(self) -> list[str]:
        """What this kind of result can be serialised as, the default first."""
        return list(RDF_MEDIA_TYPES if self.kind == "graph" else RESULTS_MEDIA_TYPES)

    def renamed(self, names: dict[Any, Any]) -> QueryResult:
        """This result with the terms in ``names`` replaced in its solutions and triples (the graph
        names a store staged a change under, say, read back as the graphs' real names)."""
        self._names = names
        return self

    def solutions(self) -> Iterator[dict[str, Any]]:
        """SELECT solutions as ``{variable: term}`` (unbound variables left out)."""
        names = self._names
        for solution in self._answer:
            row = {v: solution[v] for v in self.variables if solution[v] is not None}
            yield {v: names.get(term, term) for v, term in row.items()} if names else row

    def triples(self) -> list[Triple]:
        triples = list(self._answer)
        self.close()
        if self._names:
            names = self._names
            return [Triple(names.get(t.subject, t.subject), t.predicate, names.get(t.object, t.object))
                    for t in triples]
        return triples

    @property
    def rows(self) -> list[list[str]]:
        return [[_text(s[v]) if v in s else "" for v in self.variables] for s in self.solutions()]

    def close(self) -> None:
        """Drop the answer on this thread (pyoxigraph answers must not cross threads)."""
        self._answer = None
        if self._on_close:
            self._on_close()

    def serialize(self, media_type: str, *, max_rows: int | None = None) -> bytes:
        """The answer in ``media_type`` (one of :attr:`media_types`), at most ``max_rows`` results.

        :raises TooManyRows: if the answer has more than ``max_rows`` solutions or triples.
        """
        if self.kind == "graph":
            found = list(islice(self._answer, max_rows + 1 if max_rows else None))
            if max_rows and len(found) > max_rows:
                raise TooManyRows(max_rows)
            return serialize(found, format=RDF_MEDIA_TYPES[media_type], prefixes=PREFIXES) or b""
        if self.kind == "boolean" or not max_rows:
            return self._answer.serialize(format=RESULTS_MEDIA_TYPES[media_type]) or b""
        sink = _RowCounter(media_type, max_rows)
        self._answer.serialize(sink, format=RESULTS_MEDIA_TYPES[media_type])
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

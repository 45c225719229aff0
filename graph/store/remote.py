"""The remote store: any SPARQL 1.1 store, spoken to over the SPARQL 1.1 Protocol, SPARQL 1.1 Update
and the Graph Store HTTP Protocol (Virtuoso, QLever, GraphDB, Neptune, Fuseki, ``oxigraph serve``).

**Generations.** The store's meta graph says which generation is current (``lifecat:generation``) and
which graphs it holds (``lifecat:holdsGraph``); every front-end reads that marker at each request, so
several front-ends on several machines see a swap together. Derived artifacts live in the shared
``artifacts`` folder, one sub-folder per generation.

**Changes.** Every graph a change touches is staged under a fresh, private name
(``{base}graph/staging/{generation}/{n}``): new quads are loaded in chunks (Graph Store ``POST`` of
N-Triples, or ``INSERT DATA`` without a Graph Store endpoint), edited graphs are copied through a
filter. The derived artifacts are computed from the staged graphs, and then one SPARQL Update moves
every staged graph onto its real name, so the previous graphs are served until that request. Which
graphs a change stages is written down in the artifacts folder first, so that a change that died
half-way leaves nothing behind after the next one.

**Queries.** A public query is parsed strictly first (by pyoxigraph, so a store's own extensions and
pre-declared prefixes are refused alike on every backend), then sent as a form POST with the public
dataset imposed by ``default-graph-uri`` and ``named-graph-uri`` (and its own ``FROM`` clauses taken
out, which the protocol's dataset replaces). The answer, asked for in a standard format for its form,
is parsed as it streams in into pyoxigraph's result objects, so it is serialised, capped and timed
exactly as the embedded store's (SPARQL XML keeps the blanks at a literal's ends, which pyoxigraph's
XML parser trims, as character references). The time limit is enforced here, by abandoning the request.

**Virtuoso** (7.2.5, measured; recognised by its ``Server`` header): what it does → what lifecat does.

- runs an abandoned query to its end → sends the time limit as ``timeout`` (ms) with public queries;
- answers a timed-out query 200, empty or partial, with ``X-SQL-State`` → read as a timeout;
- cuts answers at ``ResultSetMaxRows``, saying so only in ``X-SPARQL-MaxRows`` → a query error (page);
- fails a query on a run-time error (a string function given an IRI, 1/0, a path with no fixed end)
  with HTTP 500 → the query's error (400) with its reason; its own time limit (``S1T00``) a timeout;
- writes SPARQL JSON several times slower than XML, and booleans in it as 1 and 0 → asks for XML;
- labels blank nodes ``nodeID://b1`` → rewritten ``b1``;
- never answers a POST of ``application/sparql-query`` → queries are form POSTs;
- answers CONSTRUCT and DESCRIBE in SPARQL JSON if the Accept header allows → Accept per query form;
- adds a query's ``FROM``/``FROM NAMED`` graphs to the protocol's dataset (any graph could be read)
  → they are taken out of the query;
- with ``default-graph-uri`` alone ranges ``GRAPH ?g`` over every graph, with ``named-graph-uri``
  alone has an empty default graph → both are always sent;
- answers ``GRAPH ?g {}`` with one unbound row → sent as ``VALUES ?g { …named graphs… }``;
- answers ``GRAPH <g> {…}``, ``g`` outside the dataset, with one empty solution (ASK true, COUNT 1)
  → sent as ``GRAPH <a dataset graph> { {…} FILTER (false) }``;
- fails ``GROUP_CONCAT`` without ``separator`` → sent with ``separator=" "``, SPARQL's default;
- tells ``"a"^^xsd:string`` from ``"a"`` → lifecat loads plain literals and drops ``^^xsd:string``
  from queries;
- takes ``DEFINE`` pragmas, pre-declared prefixes and ``bif:``/``sql:`` functions (SQL, server-side
  requests) → strict parsing first, ``bif:`` and ``sql:`` refused;
- refuses blank nodes and more than ~5,000 triples a block in ``INSERT DATA`` → loads with the Graph
  Store Protocol (or 2,000-triple ``INSERT DATA``, blank nodes by ``INSERT … WHERE {}``);
- fails ``DROP GRAPH`` of a graph never ``CREATE``d → ``DROP SILENT``;
- joins ``$r ?p ?s . ?s ?q ?o`` over a listed dataset by scanning it (~1.5 s for 200k triples)
  → lifecat's page queries write the second pattern ``OPTIONAL`` (the same answers, in ms).

Left as they are: DESCRIBE adds incoming triples (a store's DESCRIBE is its own); language tags come
back lowercased (as pyoxigraph writes them anyway); a projected boolean expression comes back as an
integer 1 or 0 (``xsd:boolean(…)`` keeps it boolean; lifecat's own queries project none); ``SELECT *``
over no variable adds ``_star_fake``; ``ENCODE_FOR_URI`` and ``DATATYPE`` of a tagged literal are wrong;
IRIs are cut at 1,879 bytes, decimals at ~16 digits. ``docs/remote-store.md`` has the deployment rules.
"""

from __future__ import annotations

import contextlib
import fcntl
import io
import os
import re
import shutil
import tempfile
import threading
import time
import uuid
from collections import defaultdict, deque
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO, NoReturn
from urllib.parse import urlencode

import httpx
from pyoxigraph import (
    BlankNode,
    NamedNode,
    Quad,
    QueryResultsFormat,
    RdfFormat,
    Triple,
    parse,
    parse_query_results,
    serialize,
)
from pyoxigraph import Store as Oxigraph

from lifecat import queries
from lifecat.core.config import Settings
from lifecat.core.sparql import (
    bind,
    edit,
    graph_names,
    graph_patterns,
    named_iris,
    plain_strings,
    query_form,
    term,
    uses_service,
    with_separators,
    without_dataset,
)
from lifecat.core.uris import Minter
from lifecat.core.version import __version__
from lifecat.graph.store import (
    Bound,
    Change,
    Dataset,
    Derive,
    QueryError,
    QueryResult,
    QueryTimeout,
    Snapshot,
    Store,
    StoreMissingError,
    StoreUnavailable,
    Swapped,
    marker_quads,
    prune,
    with_marker,
)
from lifecat.graph.store.freshness import SharedReads
from lifecat.graph.visibility import staging_prefix

#: Quads per load request: big enough to load fast, small enough for any store's request limits.
CHUNK = 20_000
#: Chunks made ahead of the one being sent.
AHEAD = 2
#: Triples per ``INSERT DATA`` (without a Graph Store endpoint): Virtuoso's parser takes ~5,000.
INSERT_CHUNK = 2_000
#: The folder of each generation's artifacts (the current one's and the one before, which front-ends
#: may still be reading).
GENERATIONS = "generations"
STAGING = "staging"
#: What lifecat asks for, per query form: standard formats pyoxigraph parses as they stream in.
#: JSON first, the cheaper to parse; XML first from Virtuoso, which writes it several times faster
#: than JSON (whose booleans it writes as 1 and 0).
SOLUTIONS_ACCEPT = "application/sparql-results+json, application/sparql-results+xml;q=0.9"
VIRTUOSO_SOLUTIONS_ACCEPT = "application/sparql-results+xml, application/sparql-results+json;q=0.9"
GRAPH_ACCEPT = "application/n-triples, text/turtle;q=0.9"
RESULT_FORMATS: dict[str, QueryResultsFormat | RdfFormat] = {
    "application/sparql-results+xml": QueryResultsFormat.XML,
    "application/xml": QueryResultsFormat.XML,
    "application/sparql-results+json": QueryResultsFormat.JSON,
    "application/json": QueryResultsFormat.JSON,
    "application/n-triples": RdfFormat.N_TRIPLES,
    "text/plain": RdfFormat.N_TRIPLES,
    "text/turtle": RdfFormat.TURTLE,
    "application/rdf+xml": RdfFormat.RDF_XML,
}
#: A graph name no store holds: a dataset that must name no graph at all lists it.
NO_GRAPH = NamedNode("urn:lifecat:no-graph")
#: Virtuoso's built-in function namespaces, which run SQL: never in a public query.
SQL_FUNCTIONS = ("bif:", "sql:")
_MAY_CALL_SQL = re.compile(r"bif:|sql:|\\[uU]", re.IGNORECASE)
#: Blanks at either end of a SPARQL XML literal (pyoxigraph's XML parser trims them) and Virtuoso's
#: ``nodeID://b123`` blank nodes (no blank node label).
XML_BLANKS = (re.compile(rb"(<literal\b[^>]*(?<!/)>)([ \t\r\n]+)"), re.compile(rb"([ \t\r\n]+)(</literal>)"))
VIRTUOSO_BLANK = (b"<bnode>nodeID://", b"<bnode>")
BINDING_END = b"</binding>"
#: Virtuoso's error answers: ``Virtuoso <SQLSTATE> Error <code>: <message>``, then the query.
VIRTUOSO_ERROR = re.compile(r"Virtuoso (\w{5}) Error (.*?)(?:\s+SPARQL query:|$)", re.DOTALL)
#: SQLSTATE classes of Virtuoso errors that are the query's (evaluation, syntax, access), not the store's.
QUERY_STATES = ("07", "22", "37", "42")
#: What to check when a store refuses lifecat's credentials (never the credentials themselves).
CREDENTIALS = "check store_auth, store_user and LIFECAT_STORE_PASSWORD or LIFECAT_STORE_TOKEN"
#: How long a store may take to accept a connection, and to answer lifecat's own requests.
CONNECT_TIMEOUT = 10.0
REQUEST_TIMEOUT = 600.0
#: An empty store that public queries are parsed against before a remote store sees them.
_PARSER = Oxigraph()


@dataclass(frozen=True)
class Endpoints:
    """Where a remote store answers, and how lifecat authenticates to it."""

    query: str
    update: str
    graph_store: str | None = None
    auth: httpx.Auth | None = None
    headers: tuple[tuple[str, str], ...] = ()

    @classmethod
    def from_settings(cls, settings: Settings) -> Endpoints:
        """The endpoints the settings name; credentials come from the settings (the environment),
        never from a URL, and are never part of a message."""
        user = settings.store_user or ""
        password = settings.store_password.get_secret_value() if settings.store_password else ""
        auth: httpx.Auth | None = None
        headers: tuple[tuple[str, str], ...] = ()
        if settings.store_auth == "basic":
            auth = httpx.BasicAuth(user, password)
        elif settings.store_auth == "digest":
            auth = httpx.DigestAuth(user, password)
        elif settings.store_auth == "bearer":
            token = settings.store_token.get_secret_value() if settings.store_token else ""
            headers = (("Authorization", f"Bearer {token}"),)
        return cls(settings.store, settings.store_update or settings.store, settings.store_graph_store,
                   auth, headers)


class _Body(io.RawIOBase):
    """A streamed answer as a file pyoxigraph reads as it parses, abandoned at the deadline; SPARQL XML
    results go through :func:`_xml_literals` a whole number of bindings at a time."""

    def __init__(self, response: httpx.Response, deadline: float, limit: float, *, xml: bool = False,
                 virtuoso: bool = False) -> None:
        self.response, self.deadline, self.limit = response, deadline, limit
        self.xml, self.virtuoso = xml, virtuoso
        self.chunks = response.iter_bytes()
        self.pending = b""
        self.held = b""  # XML after the last whole binding, whose literal may go on in the next chunk

    def readable(self) -> bool:
        return True

    def _next(self) -> bytes | None:
        """The next piece of the answer (``None`` at its end)."""
        if time.monotonic() > self.deadline:
            self.response.close()
            raise QueryTimeout(self.limit)
        chunk = next(self.chunks, None)
        if not self.xml or (chunk is None and not self.held):
            return chunk
        data = self.held + (chunk or b"")
        end = data.rfind(BINDING_END)
        cut = len(data) if chunk is None else 0 if end < 0 else end + len(BINDING_END)
        self.held = data[cut:]
        return _xml_literals(data[:cut], virtuoso=self.virtuoso)

    def readinto(self, buffer: Any) -> int:
        while not self.pending:
            piece = self._next()
            if piece is None:
                return 0
            self.pending = piece
        size = min(len(buffer), len(self.pending))
        buffer[:size] = self.pending[:size]
        self.pending = self.pending[size:]
        return size


class RemoteSnapshot(Snapshot):
    """A change staged in a remote store: staged graphs are read under their staging names."""

    def __init__(self, store: RemoteStore, staged: dict[NamedNode, NamedNode], graphs: list[NamedNode],
                 folder: Path, previous: Path | None) -> None:
        self.store, self.staged, self._graphs = store, staged, graphs
        self.folder, self.previous = folder, previous
        self.final = {s: g for g, s in staged.items()}

    def graphs(self) -> list[NamedNode]:
        return self._graphs

    def changed(self, graph: NamedNode) -> bool:
        return graph in self.staged

    def query(self, text: str, graphs: Sequence[NamedNode], **values: Bound) -> QueryResult:
        physical = tuple(self.staged.get(g, g) for g in graphs) or (NO_GRAPH,)
        staged = {name: (tuple(self.staged.get(v, v) for v in value) if isinstance(value, tuple | list)
                         else self.staged.get(value, value))  # type: ignore[call-overload]
                  for name, value in values.items()}
        result = self.store.request_query(bind(text, **staged), Dataset(physical, physical), None)
        return result.renamed(self.final) if self.final else result

    def dump(self, graph: NamedNode, out: BinaryIO) -> None:
        self.store.dump_graph(self.staged.get(graph, graph), out)

    def add(self, quads: Iterable[Quad]) -> None:
        self.store.load(quads, self.staged)


class RemoteStore(Store):
    """A SPARQL 1.1 store on the network (see the module docs)."""

    runaway_costs_cpu = False

    def __init__(self, endpoints: Endpoints, mint: Minter, *, private: Iterable[str] = (),
                 artifacts: str | os.PathLike[str] = "lifecat-artifacts") -> None:
        super().__init__(mint, private)
        self.endpoints = endpoints
        self.artifacts_root = Path(artifacts)
        self.client = httpx.Client(
            auth=endpoints.auth, headers={"User-Agent": f"lifecat/{__version__}", **dict(endpoints.headers)},
            timeout=httpx.Timeout(REQUEST_TIMEOUT, connect=CONNECT_TIMEOUT),
            limits=httpx.Limits(max_connections=64, max_keepalive_connections=32))
        self._graphs: tuple[str, list[NamedNode]] | None = None
        self._marker = SharedReads(self._read_marker)
        self._sender = ThreadPoolExecutor(1, thread_name_prefix="lifecat-load")
        self._assumed = threading.local()  # the generation whose graphs this thread's query uses
        #: Whether the store is Virtuoso (learnt from its answers' ``Server`` header, before the first
        #: query is written for it: queries, the formats asked for and their reading depend on it).
        self.virtuoso: bool | None = None

    @classmethod
    def from_settings(cls, settings: Settings) -> RemoteStore:
        return cls(Endpoints.from_settings(settings), Minter(settings.base),
                   private=settings.private_graphs, artifacts=settings.artifacts)

    def __repr__(self) -> str:
        return f"RemoteStore({self.endpoints.query!r})"

    # The current state

    def generation(self) -> str:
        found = self._marker.fresh().result()
        if found is None:
            raise self._missing()
        return found

    def _missing(self) -> StoreMissingError:
        return StoreMissingError(f"no lifecat generation for {self.mint.base} in the store at "
                                 f"{self.endpoints.query} yet: run `lifecat build`, or set the base "
                                 "IRI the store was built with (LIFECAT_BASE)")

    def _read_marker(self) -> str | None:
        """One read of the generation marker (shared by the queries that wait for it)."""
        text = bind(queries.load("store/generation"), meta=self.mint.meta_graph)
        rows = list(self.request_query(text, None, None).solutions())
        return min(row["generation"].value for row in rows) if rows else None

    def graphs(self) -> list[NamedNode]:
        return self._graphs_of(self.generation())

    def _scan(self, text: str) -> Iterator[dict[str, Any]]:
        return self.request_query(text, None, None).solutions()

    def _graphs_of(self, generation: str) -> list[NamedNode]:
        cached = self._graphs
        if cached is None or cached[0] != generation:
            text = bind(queries.load("store/graphs"), meta=self.mint.meta_graph)
            graphs = sorted({row["graph"] for row in self.request_query(text, None, None).solutions()},
                            key=lambda g: g.value)
            cached = self._graphs = (generation, graphs)
        return cached[1]

    def _query_graphs(self) -> list[NamedNode]:
        """The graphs of the latest generation this process knows, at no round trip: :meth:`_run`
        checks, beside the query, that the store still is at it."""
        cached = self._graphs
        if cached is None:
            self._graphs_of(self.generation())
            cached = self._graphs
        assert cached is not None
        self._assumed.generation = cached[0]
        return cached[1]

    def artifacts(self) -> Path:
        return self.artifacts_root / GENERATIONS / self.generation()

    # Reading

    def _run(self, text: str, dataset: Dataset, timeout: float | None) -> QueryResult:
        """The query sent with the dataset of the generation last known, while a fresh read of the
        marker goes beside it: the answer stands if the store is still at that generation, else the
        query is run again (:class:`Swapped`) over the new one's graphs."""
        if _MAY_CALL_SQL.search(text) and any(iri.startswith(SQL_FUNCTIONS)
                                               for iri in named_iris(text, self.base_iri)):
            raise QueryError("bif: and sql: functions are not SPARQL, and this endpoint does not run them")
        if not uses_service(text):  # parsing alone would call no service, but ASK evaluates at once
            try:
                _PARSER.query(text, base_iri=self.base_iri)
            except SyntaxError as error:
                raise QueryError(f"invalid SPARQL query: {error}") from None
        assumed = getattr(self._assumed, "generation", None)
        marker = self._marker.fresh()
        # relative IRIs resolve against the endpoint (lifecat's), not the store's
        result = self.request_query(f"BASE <{self.base_iri}>\n{text}", dataset, timeout, public=True)
        try:
            current = marker.result(timeout or REQUEST_TIMEOUT)
        except BaseException:
            result.close()
            raise
        if current == assumed:
            return result
        result.close()
        if current is None:
            raise self._missing()
        self._graphs_of(current)
        raise Swapped

    def request_query(self, text: str, dataset: Dataset | None, timeout: float | None, *,
                      public: bool = False) -> QueryResult:
        """Send a query (over ``dataset``: ``None`` sends none, for lifecat's own queries that name
        their graphs) and parse the answer as it streams in.

        :raises QueryTimeout: past ``timeout`` seconds; the request is abandoned.
        :raises QueryError: if the store refuses the query, or cuts its answer short.
        :raises StoreUnavailable: if the store cannot be reached or fails.
        """
        if self.virtuoso is None:
            self._introduce()
        graph = query_form(text) in ("construct", "describe")
        form: list[tuple[str, str]] = []
        if dataset is not None:
            named = dataset.named or (NO_GRAPH,)
            default = named if dataset.default is None else (dataset.default or (NO_GRAPH,))
            form += [("default-graph-uri", g.value) for g in default]
            form += [("named-graph-uri", g.value) for g in named]
            # the protocol's dataset replaces the query's own; some stores (Virtuoso) add the two up
            text = without_dataset(text)
        if self.virtuoso:
            text = self._virtuoso_text(text, dataset)
        form.insert(0, ("query", text))
        limit = timeout or REQUEST_TIMEOUT
        if self.virtuoso and public:  # it evaluates an abandoned query to the end otherwise
            form.append(("timeout", str(max(1, int(limit * 1000) - 100))))
        request = self.client.build_request(
            "POST", self.endpoints.query, content=urlencode(form).encode(),
            headers={"Accept": GRAPH_ACCEPT if graph else
                     VIRTUOSO_SOLUTIONS_ACCEPT if self.virtuoso else SOLUTIONS_ACCEPT,
                     "Content-Type": "application/x-www-form-urlencoded"},
            timeout=httpx.Timeout(limit, connect=min(limit, CONNECT_TIMEOUT)))
        deadline = time.monotonic() + limit
        try:
            response = self.client.send(request, stream=True)
        except httpx.TimeoutException:
            raise QueryTimeout(limit) from None
        except httpx.HTTPError as error:
            raise StoreUnavailable(f"cannot reach the store at {self.endpoints.query}: {error}") from None
        self._learn(response)
        if self.virtuoso and response.status_code == 500:
            _virtuoso_error(response, limit)
        _check(response, self.endpoints.query, query=True)
        if response.headers.get("x-sql-state") or response.headers.get("x-sql-message", "").startswith("RC"):
            response.close()
            raise QueryTimeout(limit)  # Virtuoso's "anytime" answer: whatever it had when time was up
        if "x-sparql-maxrows" in response.headers:
            response.close()
            raise QueryError(f"the store cuts answers at {response.headers['x-sparql-maxrows']} rows: add "
                             "LIMIT (and page with OFFSET) or a more selective pattern")
        media = response.headers.get("content-type", "").split(";")[0].strip().lower()
        fmt = RESULT_FORMATS.get(media)
        if fmt is None or isinstance(fmt, RdfFormat) != graph:
            response.close()
            raise StoreUnavailable(f"the store at {self.endpoints.query} answered a {query_form(text)} query "
                                   f"in {media or 'no format'}, which lifecat cannot read as that")
        body = io.BufferedReader(_Body(response, deadline, limit, xml=fmt == QueryResultsFormat.XML,
                                       virtuoso=self.virtuoso), 1 << 16)
        if isinstance(fmt, QueryResultsFormat):
            return QueryResult(parse_query_results(body, format=fmt), on_close=response.close)
        return QueryResult((q.triple for q in parse(body, format=fmt)), on_close=response.close)

    def _virtuoso_text(self, text: str, dataset: Dataset | None) -> str:
        """``text`` written so that Virtuoso answers it as SPARQL says: ``GROUP_CONCAT`` given its default
        separator, ``"a"^^xsd:string`` written ``"a"`` (Virtuoso matches neither with the other), and,
        over ``dataset``, ``GRAPH ?g {}`` as the named graphs (Virtuoso answers one unbound row) and
        ``GRAPH <iri>`` outside the named graphs as matching nothing (Virtuoso answers it with one empty
        solution: ASK says true, COUNT(*) 1)."""
        try:
            text = plain_strings(with_separators(text), self.base_iri)
            patterns = graph_patterns(text, self.base_iri) if dataset is not None else []
        except ValueError as error:  # only a query no parser has checked (one with SERVICE) gets here
            raise QueryError(f"invalid SPARQL query: {error}") from None
        if dataset is None:
            return text
        names = {g.value for g in dataset.named}
        edits: list[tuple[int, int, str]] = []
        for pattern in patterns:
            opening, closing = pattern.group
            if pattern.variable and pattern.empty:
                edits.append((pattern.start, closing, f"VALUES {pattern.graph} {{ {term(dataset.named)} }}"))
            elif not pattern.variable and pattern.graph not in names:
                edits += [(*pattern.term, str((dataset.named or (NO_GRAPH,))[0])),
                          (opening, opening + 1, "{ {"), (closing - 1, closing, "} FILTER (false) }")]
        return edit(text, edits)

    def _introduce(self) -> None:
        """Learn which store answers, from its answer to the smallest query."""
        try:
            response = self.client.post(self.endpoints.query, data={"query": "ASK {}"},
                                        headers={"Accept": SOLUTIONS_ACCEPT})
        except httpx.HTTPError as error:
            raise StoreUnavailable(f"cannot reach the store at {self.endpoints.query}: {error}") from None
        _check(response, self.endpoints.query, query=True)
        self._learn(response)

    def _learn(self, response: httpx.Response) -> None:
        self.virtuoso = response.headers.get("server", "").lower().startswith("virtuoso")

    def dump(self, graph: NamedNode, out: BinaryIO) -> None:
        self.dump_graph(graph, out)

    def dump_graph(self, graph: NamedNode, out: BinaryIO) -> None:
        """Write the graph named ``graph`` (staging names included) as N-Triples, streamed through
        pyoxigraph so that every store's answer comes out written the same way."""
        serialize(self._triples(graph), output=out, format=RdfFormat.N_TRIPLES)

    def _triples(self, graph: NamedNode) -> Iterator[Triple]:
        if not self.endpoints.graph_store:
            yield from self.request_query(queries.load("pages/graph"), Dataset((NO_GRAPH,), (graph,)),
                                          None).triples()
            return
        url = self.endpoints.graph_store
        request = self.client.build_request("GET", url, params={"graph": graph.value},
                                            headers={"Accept": GRAPH_ACCEPT})
        response = self._send(request, "read a graph")
        if response.status_code == 404:  # the graph is empty
            response.close()
            return
        _check(response, url)
        fmt = RESULT_FORMATS.get(response.headers.get("content-type", "").split(";")[0].strip().lower())
        if not isinstance(fmt, RdfFormat):
            response.close()
            raise StoreUnavailable(f"the Graph Store at {url} answered a graph in "
                                   f"{response.headers.get('content-type')!r}, which lifecat does not read")
        body = io.BufferedReader(_Body(response, time.monotonic() + REQUEST_TIMEOUT, REQUEST_TIMEOUT))
        try:
            yield from (q.triple for q in parse(body, format=fmt, base_iri=graph.value))
        finally:
            response.close()

    # Writing

    def replace(self, change: Change, derive: Derive) -> None:
        self._replace(self.rebased(change), derive, None)

    def _replace(self, change: Change, derive: Derive,
                 current: tuple[list[NamedNode], Path | None] | None) -> None:
        """:meth:`replace`, the store holding the graphs ``current`` lists, whose artifacts are in the
        folder it names (``None``: as the store's marker says)."""
        self.artifacts_root.mkdir(parents=True, exist_ok=True)
        with open(self.artifacts_root / ".write-lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)  # one writer at a time per artifacts folder
            self._clear_stale_staging()
            generation = f"{time.strftime('%Y%m%dT%H%M%S')}-{uuid.uuid4().hex[:12]}"
            change = with_marker(change, self.mint)
            staged = {g: NamedNode(f"{staging_prefix(self.mint.base)}{generation}/{n}")
                      for n, g in enumerate(sorted(change.graphs, key=lambda g: g.value))}
            record = self.artifacts_root / STAGING / f"{generation}.txt"
            record.parent.mkdir(exist_ok=True)
            record.write_text("".join(f"{s.value}\n" for s in staged.values()), encoding="utf-8")
            folder = self.artifacts_root / GENERATIONS / generation
            try:
                filled = self._stage(change, staged)
                if current is None:
                    exists = self.exists()
                    current = (self.graphs(), self.artifacts()) if exists else ([], None)
                before, previous = current
                meta = self.mint.meta_graph  # never empty: it holds the marker
                graphs = sorted({*(g for g in before if g not in staged), *filled, meta},
                                key=lambda g: g.value)
                self.load(marker_quads(self.mint, generation, graphs), staged)
                folder.mkdir(parents=True)
                derive(RemoteSnapshot(self, staged, graphs, folder, previous))
                self._swap(staged)
            except BaseException:
                shutil.rmtree(folder, ignore_errors=True)
                self._drop([*staged.values()], record)
                raise
            record.unlink()
            prune(self.artifacts_root / GENERATIONS, {generation, *([previous.name] if previous else [])})

    def _stage(self, change: Change, staged: dict[NamedNode, NamedNode]) -> set[NamedNode]:
        """Fill the staging graphs; return the graphs that will hold something."""
        filled: set[NamedNode] = set()
        for graph, drop in change.edit.items():
            if drop is None:
                self.send_update(f"COPY SILENT GRAPH {graph} TO GRAPH {staged[graph]}")
                filled.add(graph)
                continue
            with tempfile.TemporaryFile() as copy:
                self.dump_graph(graph, copy)
                copy.seek(0)
                current = (Quad(q.subject, q.predicate, q.object, graph)
                           for q in parse(copy, format=RdfFormat.N_TRIPLES))
                filled.update(self.load((q for q in current if not drop(q)), staged))
        filled.update(self.load(change.quads, staged))
        return filled

    def load(self, quads: Iterable[Quad], staged: dict[NamedNode, NamedNode]) -> set[NamedNode]:
        """Load ``quads`` into the staging graphs of their graphs, a chunk per request; return the
        graphs that received any.

        A chunk is sent by another thread while the next is made (mapping and validating, in a build),
        so the two use the machine's cores at once; at most :data:`AHEAD` chunks wait to be sent. Blank
        nodes are scoped to one request, so quads with a blank node are kept for one last request per
        graph (lifecat's records have none; its shapes do).
        """
        chunk: dict[NamedNode, list[Triple]] = defaultdict(list)
        blank: dict[NamedNode, list[Triple]] = defaultdict(list)
        size = 0
        received: set[NamedNode] = set()
        sending: deque[Future[None]] = deque()

        def send(triples: dict[NamedNode, list[Triple]], *, together: bool = False) -> None:
            while len(sending) >= AHEAD:
                sending.popleft().result()
            sending.append(self._sender.submit(self._post, triples, staged, together=together))

        try:
            for quad in quads:
                graph = quad.graph_name
                if graph not in staged:
                    raise ValueError(f"a quad for {graph}, a graph the change does not name")
                received.add(graph)  # type: ignore[arg-type]
                if isinstance(quad.subject, BlankNode) or isinstance(quad.object, BlankNode):
                    blank[graph].append(quad.triple)  # type: ignore[index]
                    continue
                chunk[graph].append(quad.triple)  # type: ignore[index]
                size += 1
                if size >= CHUNK:
                    send(chunk)
                    chunk, size = defaultdict(list), 0
            send(chunk)
            send(blank, together=True)
        except BaseException:
            wait(sending)  # they end before the change drops its staging graphs
            raise
        for sent in sending:
            sent.result()
        return received

    def _post(self, triples: dict[NamedNode, list[Triple]], staged: dict[NamedNode, NamedNode], *,
              together: bool = False) -> None:
        """Add each graph's triples to its staging graph; ``together``: in one request per graph."""
        for graph, batch in triples.items():
            target = staged[graph]
            if self.endpoints.graph_store:
                if batch:
                    self._post_graph(target, serialize(batch, format=RdfFormat.N_TRIPLES) or b"")
                continue
            step = len(batch) if together else INSERT_CHUNK
            for start in range(0, len(batch), step or 1):
                body = (serialize(batch[start:start + step], format=RdfFormat.N_TRIPLES) or b"").decode()
                # INSERT … WHERE {} takes blank nodes, which some stores refuse in INSERT DATA
                template = "INSERT {{ GRAPH {} {{\n{}}} }} WHERE {{}}" if together else \
                    "INSERT DATA {{ GRAPH {} {{\n{}}} }}"
                self.send_update(template.format(target, body))

    def _post_graph(self, target: NamedNode, body: bytes) -> None:
        url = self.endpoints.graph_store
        assert url is not None
        request = self.client.build_request("POST", url, params={"graph": target.value}, content=body,
                                            headers={"Content-Type": "application/n-triples"})
        response = self._send(request, "load a graph")
        _check(response, url)
        response.close()  # a streamed answer holds its connection until closed

    def _swap(self, staged: dict[NamedNode, NamedNode]) -> None:
        """Move every staged graph onto its real name in one update (one transaction in stores that
        run an update request as one)."""
        self.send_update(" ;\n".join(f"DROP SILENT GRAPH {graph} ;\n"
                                     f"MOVE SILENT GRAPH {stage} TO GRAPH {graph}"
                                     for graph, stage in staged.items()))

    def update(self, text: str, derive: Derive) -> None:
        """Apply the update to the served graphs, then derive the artifacts of the store it leaves,
        whose graphs are the ones it held and those the update names that now hold something."""
        exists = self.exists()
        before, previous = (self.graphs(), self.artifacts()) if exists else ([], None)
        self.send_update(text, base=self.base_iri)
        candidates = {*before, *(NamedNode(iri) for iri in graph_names(text, self.base_iri))}
        holding = bind(queries.load("store/holding"), graphs=sorted(candidates, key=lambda g: g.value))
        graphs = [row["graph"] for row in self.request_query(holding, None, None).solutions()]
        self._replace(Change([], edit={self.mint.meta_graph: lambda _: False}), derive, (graphs, previous))

    def send_update(self, text: str, *, base: str | None = None) -> None:
        """Run a SPARQL Update on the store.

        :raises QueryError: if the store refuses it as malformed.
        :raises StoreUnavailable: if the store cannot be reached, refuses to be written, or fails.
        """
        if base:
            text = f"BASE <{base}>\n{text}"
        request = self.client.build_request(
            "POST", self.endpoints.update, content=text.encode(),
            headers={"Content-Type": "application/sparql-update; charset=utf-8"})
        response = self._send(request, "update")
        _check(response, self.endpoints.update, what="invalid SPARQL update")
        response.close()  # a streamed answer holds its connection until closed

    def _drop(self, graphs: list[NamedNode], record: Path) -> None:
        """Drop staging graphs, then their record; if that fails, the next change tries again."""
        with contextlib.suppress(StoreUnavailable, QueryError):
            if graphs:
                self.send_update(" ;\n".join(f"DROP SILENT GRAPH {g}" for g in graphs))
            record.unlink(missing_ok=True)

    def _clear_stale_staging(self) -> None:
        """Drop the staging graphs of changes that failed (or died) before they were cleared."""
        for record in sorted((self.artifacts_root / STAGING).glob("*.txt")):
            graphs = [NamedNode(line) for line in record.read_text(encoding="utf-8").split()]
            self._drop(graphs, record)

    def check(self, *, write: bool) -> None:
        try:
            self.request_query("ASK {}", None, CONNECT_TIMEOUT).boolean  # noqa: B018
        except (QueryError, QueryTimeout, StoreUnavailable) as error:
            raise StoreUnavailable(f"the SPARQL endpoint {self.endpoints.query} does not answer queries: "
                                   f"{error}") from None
        if not write:
            return
        probe = NamedNode(f"urn:lifecat:check:{uuid.uuid4().hex}")
        try:
            self.send_update(f"DROP SILENT GRAPH {probe}")
        except (QueryError, StoreUnavailable) as error:
            raise StoreUnavailable(f"the store refuses updates at {self.endpoints.update}, so lifecat "
                                   f"cannot write to it: {error}") from None
        if self.endpoints.graph_store:  # a graph written and deleted: what loading and reading need
            url = self.endpoints.graph_store
            statuses = []
            for method, body in (("PUT", f"{probe} {probe} {probe} .\n".encode()), ("DELETE", None)):
                request = self.client.build_request(method, url, params={"graph": probe.value}, content=body,
                                                    headers={"Content-Type": "application/n-triples"})
                response = self._send(request, "write a graph")
                response.close()
                statuses.append(response.status_code)
            if {401, 403} & set(statuses):
                raise StoreUnavailable(f"the Graph Store at {url} refused lifecat's credentials (HTTP "
                                       f"{max(statuses)}): {CREDENTIALS}")
            if not all(200 <= status < 300 for status in statuses):
                raise StoreUnavailable(f"no Graph Store HTTP Protocol at {url} (writing and deleting a graph "
                                       f"answered HTTP {statuses[0]} and {statuses[1]}): check "
                                       "store_graph_store, or leave it unset to load with SPARQL Update")
        artifacts = self.artifacts_root if self.artifacts_root.exists() else self.artifacts_root.parent
        if not os.access(artifacts, os.W_OK):
            raise StoreUnavailable(f"cannot write the artifacts folder {self.artifacts_root}")

    def _send(self, request: httpx.Request, what: str) -> httpx.Response:
        try:
            response = self.client.send(request, stream=True)
        except httpx.HTTPError as error:
            raise StoreUnavailable(f"cannot {what} at {request.url.copy_with(query=None)}: {error}") from None
        self._learn(response)
        return response


def _check(response: httpx.Response, url: str, *, query: bool = False,
           what: str = "the store refused the request") -> None:
    """Turn a store's error answer into lifecat's errors (reading at most a few kB of its message)."""
    if response.status_code < 300:
        return
    message = _excerpt(response)
    status = response.status_code
    if status in (401, 403):
        raise StoreUnavailable(f"the store at {url} refused lifecat's credentials (HTTP {status}): "
                               f"{CREDENTIALS}")
    if query and status < 500:
        raise QueryError(f"invalid SPARQL query (the store says: {message})")
    if status == 400:
        raise QueryError(f"{what} (the store says: {message})")
    raise StoreUnavailable(f"the store at {url} failed (HTTP {status}): {message}")


def _xml_literals(xml: bytes, *, virtuoso: bool) -> bytes:
    """SPARQL XML results with the blanks at either end of each literal written as character references,
    which pyoxigraph's parser keeps, and (from Virtuoso) blank nodes with their labels.

    >>> _xml_literals(
    ...     b'<literal xml:lang="en"> a\\n</literal><literal/> <bnode>nodeID://b1</bnode>', virtuoso=True)
    b'<literal xml:lang="en">&#32;a&#10;</literal><literal/> <bnode>b1</bnode>'
    """
    leading, trailing = XML_BLANKS
    xml = leading.sub(lambda m: m[1] + _references(m[2]), xml)
    xml = trailing.sub(lambda m: _references(m[1]) + m[2], xml)
    return xml.replace(*VIRTUOSO_BLANK) if virtuoso else xml


def _references(blanks: bytes) -> bytes:
    return b"".join(b"&#%d;" % byte for byte in blanks)


def _virtuoso_error(response: httpx.Response, limit: float) -> NoReturn:
    """Raise what a Virtuoso 500 answer to a query means: Virtuoso fails queries that fail as they run
    (a string function given an IRI, a division by zero, a path with no fixed end) so, not only itself."""
    message = _excerpt(response)
    found = VIRTUOSO_ERROR.match(message)
    state, said = found.groups() if found else ("", message)
    if state == "S1T00":  # its own query time limit
        raise QueryTimeout(limit)
    if state.startswith(QUERY_STATES):
        raise QueryError(f"the store cannot evaluate this query (it says: {said})")
    raise StoreUnavailable(f"the store at {response.request.url.copy_with(query=None)} failed "
                           f"(HTTP 500): {said}")


def _excerpt(response: httpx.Response, limit: int = 2000) -> str:
    text = b""
    for chunk in response.iter_bytes():
        text += chunk
        if len(text) >= limit:
            break
    response.close()
    return " ".join(text[:limit].decode("utf-8", "replace").split())


__all__ = ["Endpoints", "RemoteSnapshot", "RemoteStore"]

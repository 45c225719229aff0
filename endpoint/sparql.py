"""``/sparql``: the SPARQL 1.1 Protocol.

Queries by GET, POST form and POST direct, with ``default-graph-uri``/``named-graph-uri``, answered in
the negotiated format by the query runner (see :mod:`lifecat.endpoint.workers`) within the time
limit. Updates by POST form and POST direct, only with the write token. ``GET /sparql`` without a
query answers with the Service Description, or the query editor for a browser.

:func:`protocol` is answered by the application ahead of its routing and middleware: this is the hot
path, and that machinery costs more than a point lookup (see ``docs/performance.md``). Its errors are
still answered by the application's exception handlers.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any
from urllib.parse import parse_qsl

from fastapi import Request, Response
from starlette.exceptions import HTTPException

from lifecat.core.config import Settings
from lifecat.core.sparql import MAX_NESTING, nesting, uses_service
from lifecat.endpoint import service_description, writes
from lifecat.endpoint.negotiation import ALIASES, RDF_MEDIA_TYPES, RESULTS_MEDIA_TYPES, choose
from lifecat.endpoint.workers import QueryJob, QueryRunner

FORM = "application/x-www-form-urlencoded"
QUERY = "application/sparql-query"
UPDATE = "application/sparql-update"
#: The parameters the protocol gives a meaning to, per operation.
DATASET = {"query": ("default-graph-uri", "named-graph-uri"),
           "update": ("using-graph-uri", "using-named-graph-uri")}


class ProtocolError(ValueError):
    """A request that breaks the SPARQL 1.1 Protocol (answered 400 with the reason)."""


class QueryTooLong(ValueError):
    """The query (or request body) is longer than the configured cap (answered 413)."""

    def __init__(self, limit: int) -> None:
        super().__init__(f"the request is longer than {limit} bytes, the most this endpoint accepts")


@dataclass(frozen=True)
class Operation:
    """One protocol request, read: a query or an update and its dataset and options."""

    kind: str
    text: str
    default_graphs: list[str]
    named_graphs: list[str]
    timeout: str | None = None
    formats: tuple[str, ...] = ()


def read_params(pairs: Iterable[tuple[str, Any]], *, text: str | None = None,
                kind: str | None = None) -> Operation | None:
    """The operation in the request's parameters (or ``text`` of a direct POST); ``None`` if none.

    >>> read_params([("query", "ASK {}"), ("default-graph-uri", "http://ex/g")]).default_graphs
    ['http://ex/g']
    >>> read_params([("query", "ASK {}"), ("query", "ASK {}")])  # doctest: +IGNORE_EXCEPTION_DETAIL
    Traceback (most recent call last):
    ProtocolError: exactly one 'query' parameter is allowed, got 2
    """
    params: dict[str, list[str]] = {}
    for name, value in pairs:
        params.setdefault(name, []).append(str(value))
    if text is not None and kind is not None:
        if "query" in params or "update" in params:
            raise ProtocolError(f"a direct POST carries its {kind} in the body, not in a parameter")
        params[kind] = [text]
    present = [name for name in ("query", "update") if name in params]
    if not present:
        return None
    if len(present) > 1:
        raise ProtocolError("a request carries either a 'query' or an 'update', not both")
    kind = present[0]
    if len(params[kind]) > 1:
        raise ProtocolError(f"exactly one {kind!r} parameter is allowed, got {len(params[kind])}")
    other = DATASET["update" if kind == "query" else "query"]
    if any(name in params for name in other):
        raise ProtocolError(f"{' and '.join(other)} do not apply to a {kind}")
    defaults, named = (params.get(name, []) for name in DATASET[kind])
    hints = (*params.get("format", ()), *params.get("output", ()))
    timeout = params.get("timeout", [])
    if len(timeout) > 1:
        raise ProtocolError("at most one 'timeout' parameter is allowed")
    return Operation(kind, params[kind][0], defaults, named, timeout[0] if timeout else None, hints)


def time_limit(settings: Settings, asked: str | None) -> float:
    """The query's time limit: the configured one, or less if the client asks for less.

    >>> s = Settings(query_timeout=30)
    >>> time_limit(s, None), time_limit(s, "2.5"), time_limit(s, "90")
    (30.0, 2.5, 30.0)
    """
    if asked is None:
        return settings.query_timeout
    try:
        value = float(asked)
    except ValueError:
        value = -1.0
    if not value > 0:
        raise ProtocolError(f"timeout must be a positive number of seconds, got {asked!r}")
    return min(value, settings.query_timeout)


#: ``format``/``output`` values clients send, per kind of answer ("xml" means SPARQL XML results for a
#: SELECT but RDF/XML for a CONSTRUCT).
RESULT_NAMES = {"json": "application/sparql-results+json", "srj": "application/sparql-results+json",
                "xml": "application/sparql-results+xml", "srx": "application/sparql-results+xml",
                "csv": "text/csv", "tsv": "text/tab-separated-values"}
GRAPH_NAMES = {"ttl": "text/turtle", "turtle": "text/turtle", "n3": "text/turtle",
               "nt": "application/n-triples", "ntriples": "application/n-triples",
               "xml": "application/rdf+xml", "rdf": "application/rdf+xml", "rdfxml": "application/rdf+xml",
               "json": "application/ld+json", "jsonld": "application/ld+json",
               "json-ld": "application/ld+json"}
#: What each kind of answer can be given as (the default first), and the names clients use.
KINDS = {"results": (list(RESULTS_MEDIA_TYPES), RESULT_NAMES), "graph": (list(RDF_MEDIA_TYPES), GRAPH_NAMES)}


@lru_cache(maxsize=1024)
def choose_media(accept: str | None, hints: tuple[str, ...], kind: str) -> str:
    """The format for one ``kind`` of answer: the first ``format``/``output`` hint that names an offered
    type, else the Accept header's favourite, else the default (a SPARQL client asking for an
    unusual type is better served than refused).

    Clients send the same few headers again and again, so choices are cached.

    >>> choose_media(None, ("xml",), "results")
    'application/sparql-results+xml'
    >>> choose_media("text/csv", ("n3",), "results")
    'text/csv'
    >>> choose_media("image/png", (), "graph")
    'text/turtle'
    """
    offered, names = KINDS[kind]
    for hint in hints:
        media = names.get(hint.lower()) or ALIASES.get(hint.lower(), hint.lower())
        if media in offered:
            return media
    return choose(accept, offered) or offered[0]


async def _body_text(request: Request, settings: Settings) -> str:
    charset = _param(request.headers.get("content-type", ""), "charset")
    if charset and charset.lower().replace("_", "-") not in ("utf-8", "utf8"):
        raise ProtocolError(f"the request body must be UTF-8, not {charset}")
    body = await request.body()
    if len(body) > settings.max_query_length:
        raise QueryTooLong(settings.max_query_length)
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as error:
        raise ProtocolError(f"the request body is not valid UTF-8: {error}") from None


def _param(header: str, name: str) -> str | None:
    for part in header.split(";")[1:]:
        key, _, value = part.partition("=")
        if key.strip().lower() == name:
            return value.strip().strip('"')
    return None


def _check_length(request: Request, settings: Settings) -> None:
    declared = request.headers.get("content-length", "")
    # A form-encoded query grows by percent-encoding: allow three bytes per byte of query.
    if declared.isdigit() and int(declared) > 3 * settings.max_query_length + 4096:
        raise QueryTooLong(settings.max_query_length)


async def protocol(request: Request) -> Response:
    """``/sparql``, every method: queries by GET and POST, updates by POST, nothing else."""
    method = request.method
    if method in ("GET", "HEAD"):
        return await sparql_get(request)
    if method == "POST":
        return await sparql_post(request)
    raise HTTPException(405, f"{method} is not a SPARQL protocol method: use GET or POST",
                        headers={"Allow": "GET, HEAD, POST"})


async def sparql_get(request: Request) -> Response:
    """A query by GET; without one, the Service Description (or the editor, for a browser)."""
    state = request.app.state
    settings, pool = state.settings, state.pool
    # The query string read as Starlette's QueryParams would, without building one.
    query_string = request.scope["query_string"].decode("latin-1")
    operation = read_params(parse_qsl(query_string, keep_blank_values=True))
    if operation is None:
        return await service_description.respond(request, state.store, state.templates, settings)
    if operation.kind == "update":
        raise ProtocolError("an update must be sent by POST (SPARQL 1.1 Protocol, section 2.2)")
    return await answer(request, operation, settings, pool)


async def sparql_post(request: Request) -> Response:
    """A query or an update by POST, form-encoded or direct."""
    state = request.app.state
    settings, pool = state.settings, state.pool
    _check_length(request, settings)
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type == FORM:
        form = await request.form()
        operation = read_params([*request.query_params.multi_items(), *form.multi_items()])
    elif content_type in (QUERY, UPDATE):
        kind = "query" if content_type == QUERY else "update"
        text = await _body_text(request, settings)
        operation = read_params(request.query_params.multi_items(), text=text, kind=kind)
    else:
        raise ProtocolError(f"unsupported Content-Type {content_type or '(none)'!r}: "
                            f"use {FORM}, {QUERY} or {UPDATE}")
    if operation is None:
        raise ProtocolError("a form-encoded SPARQL request needs a 'query' or an 'update' field")
    if operation.kind == "update":
        using = [*operation.default_graphs, *operation.named_graphs]
        return await writes.update(request, operation.text, using, state.store, settings)
    return await answer(request, operation, settings, pool)


async def answer(request: Request, operation: Operation, settings: Settings, pool: QueryRunner) -> Response:
    """Run a query in a worker, within its time limit and row cap, in the negotiated format."""
    if len(operation.text.encode("utf-8")) > settings.max_query_length:
        raise QueryTooLong(settings.max_query_length)
    if not settings.federation and uses_service(operation.text):
        raise ProtocolError("SERVICE (federated query) is disabled on this endpoint")
    if (depth := nesting(operation.text)) > MAX_NESTING:
        raise ProtocolError(f"the query nests {depth} levels deep; this endpoint accepts at most "
                            f"{MAX_NESTING}")
    limit = time_limit(settings, operation.timeout)
    accept = request.headers.get("accept")
    job = QueryJob(operation.text, operation.default_graphs, operation.named_graphs,
                   choose_media(accept, operation.formats, "results"),
                   choose_media(accept, operation.formats, "graph"),
                   settings.max_rows, limit)
    client = request.client.host if request.client else ""
    result = await pool.run(job, timeout=limit, client=client)
    charset = "" if "charset" in result.media_type else "; charset=utf-8"
    return Response(result.body, media_type=f"{result.media_type}{charset}",
                    headers={"Vary": "Accept"})

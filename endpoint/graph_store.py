"""``/graph-store``: the SPARQL 1.1 Graph Store HTTP Protocol (indirect identification).

``?graph=IRI`` names one graph and ``?default`` the default graph (the union of the public graphs).
Anyone may read a public graph: a read is a query like any other, run by the query runner within the
endpoint's time limit and row cap, so no read can make a server hold a whole graph of any size.
PUT, POST and DELETE need the write token and a public named graph.
"""

from __future__ import annotations

from fastapi import Request, Response
from pyoxigraph import NamedNode, Quad, RdfFormat, parse
from starlette.concurrency import run_in_threadpool

from lifecat import queries
from lifecat.endpoint import writes
from lifecat.endpoint.deps import PoolDep, SettingsDep, StoreDep
from lifecat.endpoint.negotiation import RDF_MEDIA_TYPES, choose
from lifecat.endpoint.workers import QueryJob
from lifecat.graph.store.results import TooManyRows


class GraphNotFound(LookupError):
    """No public graph has this name."""


class UnsupportedMediaType(ValueError):
    """A write whose body is not in an RDF graph format lifecat reads (answered 415)."""


class GraphStoreError(ValueError):
    """A Graph Store request that names no graph, both kinds, or a graph that is not an IRI (answered
    400)."""


def target(request: Request) -> str | None:
    """The graph a request names: an IRI, or ``None`` for the default graph.

    :raises GraphStoreError: unless exactly one of ``graph=`` and ``default`` is given.
    """
    params = request.query_params
    graphs = params.getlist("graph")
    if ("default" in params) == bool(graphs) or len(graphs) > 1:
        raise GraphStoreError("name exactly one graph: ?graph=IRI or ?default")
    if graphs:
        try:
            NamedNode(graphs[0])
        except ValueError:
            raise GraphStoreError(f"the graph must be an absolute IRI, got {graphs[0]!r}") from None
    return graphs[0] if graphs else None


async def read(request: Request, store: StoreDep, pool: PoolDep, settings: SettingsDep) -> Response:
    """GET (or HEAD) a public graph in the negotiated RDF format."""
    graph = target(request)
    offered = list(RDF_MEDIA_TYPES)
    media = choose(request.headers.get("accept"), offered) or offered[0]
    if graph is None:
        text, named = queries.load("pages/default_graph"), []
    else:
        if NamedNode(graph) not in await run_in_threadpool(store.public_graphs):
            raise GraphNotFound(graph)
        text, named = queries.load("pages/graph"), [graph]
    job = QueryJob(text, [], named, media, media, settings.max_rows, settings.query_timeout)
    try:
        answer = await pool.run(job, timeout=settings.query_timeout,
                                client=request.client.host if request.client else "")
    except TooManyRows:
        raise GraphStoreError(f"the graph holds more than {settings.max_rows} triples, the most one read "
                              f"returns: download it from {settings.base}dumps/ instead") from None
    return Response(answer.body, media_type=f"{media}; charset=utf-8", headers={"Vary": "Accept"})


def _quads(request_type: str, body: bytes, graph: str) -> list[Quad]:
    try:
        fmt = RdfFormat.from_media_type(request_type) if request_type else None
    except ValueError:
        fmt = None
    if fmt is None or fmt in (RdfFormat.N_QUADS, RdfFormat.TRIG):
        raise UnsupportedMediaType(
            f"send the graph as one of {', '.join(RDF_MEDIA_TYPES)}, not {request_type or '(none)'}")
    name = NamedNode(graph)
    try:
        return [Quad(t.subject, t.predicate, t.object, name)
                for t in parse(body, format=fmt, base_iri=graph, rename_blank_nodes=True,
                                                     without_named_graphs=True)]
    except SyntaxError as error:
        raise GraphStoreError(f"the request body is not valid {fmt.name}: {error}") from None


async def write(request: Request, store: StoreDep, settings: SettingsDep) -> Response:
    """PUT (replace), POST (add to) or DELETE a public named graph, with the write token."""
    writes.authorise(request, settings)
    graph = target(request)
    if graph is None:
        raise GraphStoreError("the default graph is the union of the public graphs and cannot be "
                              "written: name a graph with ?graph=IRI")
    if not store.is_public(graph):
        raise writes.Forbidden(f"{graph} is a private graph; private graphs change only by builds")
    existed = NamedNode(graph) in await run_in_threadpool(store.public_graphs)
    if request.method == "DELETE":
        if not existed:
            raise GraphNotFound(graph)
        await run_in_threadpool(writes.replace_graph, store, settings, graph, [], keep=False)
        return Response(status_code=204)
    quads = _quads(request.headers.get("content-type", ""), await request.body(), graph)
    await run_in_threadpool(writes.replace_graph, store, settings, graph, quads,
                            keep=request.method == "POST")
    return Response(status_code=204 if existed else 201)

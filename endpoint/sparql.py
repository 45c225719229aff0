"""``/sparql``: SPARQL 1.1 queries over GET, POST form and POST direct, answered in the negotiated format."""

from __future__ import annotations

from fastapi import Request, Response
from starlette.concurrency import run_in_threadpool

from lifecat import queries
from lifecat.endpoint.deps import RepositoryDep, TemplatesDep
from lifecat.endpoint.negotiation import NotAcceptable, negotiate
from lifecat.endpoint.repository import Repository

FORM = "application/x-www-form-urlencoded"
DIRECT = "application/sparql-query"


class ProtocolError(ValueError):
    """A request that breaks the SPARQL 1.1 Protocol (answered 400 with the reason)."""


def answer(repo: Repository, query: str, accept: str | None, explicit: str | None,
           default_graphs: list[str], named_graphs: list[str]) -> Response:
    """Run ``query`` and serialise it in the format the client asked for."""
    result = repo.run(query, default_graphs=default_graphs, named_graphs=named_graphs)
    try:
        try:
            media = negotiate(accept, result.media_types, explicit=explicit)
        except NotAcceptable:
            if explicit:
                raise
            media = result.media_types[0]  # a sensible default beats a 406 for SPARQL clients
        body = result.serialize(media)
    finally:
        result.close()
    charset = "" if "charset" in media else "; charset=utf-8"
    return Response(body, media_type=f"{media}{charset}", headers={"Vary": "Accept"})


async def query_get(request: Request, repo: RepositoryDep, templates: TemplatesDep) -> Response:
    """SPARQL query via GET; without a query, the query editor."""
    params = request.query_params
    found = params.getlist("query")
    if not found:
        return templates.TemplateResponse(request, "sparql.html", {"example": _example()})
    if len(found) > 1:
        raise ProtocolError("exactly one 'query' parameter is allowed")
    return await run_in_threadpool(
        answer, repo, found[0], request.headers.get("accept"), params.get("format"),
        params.getlist("default-graph-uri"), params.getlist("named-graph-uri"),
    )


async def query_post(request: Request, repo: RepositoryDep) -> Response:
    """SPARQL query via POST, form-encoded or direct."""
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    params = request.query_params
    if content_type == FORM:
        form = await request.form()
        found = form.getlist("query")
        if len(found) != 1:
            raise ProtocolError("a form-encoded SPARQL request needs exactly one 'query' field")
        query = str(found[0])
        defaults = [str(v) for v in form.getlist("default-graph-uri")]
        named = [str(v) for v in form.getlist("named-graph-uri")]
    elif content_type == DIRECT:
        query = (await request.body()).decode("utf-8", errors="replace")
        defaults, named = params.getlist("default-graph-uri"), params.getlist("named-graph-uri")
    else:
        raise ProtocolError(
            f"unsupported Content-Type {content_type or '(none)'!r}: use {FORM} or {DIRECT}"
        )
    return await run_in_threadpool(answer, repo, query, request.headers.get("accept"),
                                   params.get("format"), defaults, named)


def _example() -> str:
    return queries.load("count_by_type")

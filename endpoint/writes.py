"""Authenticated writes: SPARQL Update and Graph Store Protocol writes, only with the write token.

Served store generations are immutable, so a write makes a new generation: a copy of the current
one with the change applied and its derived artifacts rebuilt, swapped in atomically (see
:meth:`GraphStore.transform`). Readers keep answering from the previous generation meanwhile, and a
write that fails leaves the store as it was. Writes never change a private graph: those come only
from builds.
"""

from __future__ import annotations

import hmac
from collections.abc import Callable, Iterable
from pathlib import Path

from fastapi import Request, Response
from pyoxigraph import NamedNode, Quad, Store
from starlette.concurrency import run_in_threadpool

from lifecat.core.config import Settings
from lifecat.endpoint.repository import QueryError, Repository
from lifecat.graph.derive import DeriveContext, derive_all


class Unauthorized(PermissionError):
    """A write without credentials (answered 401 with a ``WWW-Authenticate: Bearer`` challenge)."""


class Forbidden(PermissionError):
    """A write this client may not make: a wrong token, writes disabled, or a private graph (403)."""


def authorise(request: Request, settings: Settings) -> None:
    """Let the request write only if it bears the configured token (compared in constant time).

    :raises Unauthorized: without an ``Authorization: Bearer`` header.
    :raises Forbidden: if writes are disabled or the token is wrong.
    """
    if not settings.write_token:
        raise Forbidden("this endpoint is read-only: no write token is configured")
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthorized("writes need an 'Authorization: Bearer <token>' header")
    if not hmac.compare_digest(token.strip().encode(), settings.write_token.encode()):
        raise Forbidden("the bearer token does not authorise writes")


def _derive(settings: Settings, repo: Repository) -> Callable[[Store, Path], None]:
    return lambda store, folder: derive_all(DeriveContext(store, folder, settings, repo.mint))


def _private_quads(store: Store, repo: Repository) -> set[Quad]:
    return {q for g in store.named_graphs() if isinstance(g, NamedNode) and not repo.is_public(g.value)
            for q in store.quads_for_pattern(None, None, None, g)}


def apply_update(repo: Repository, settings: Settings, update: str) -> None:
    """Apply a SPARQL Update as a new generation.

    :raises QueryError: for a syntax error.
    :raises Forbidden: if the update would change a private graph (nothing is written).
    """

    def change(store: Store) -> None:
        before = _private_quads(store, repo)
        try:
            store.update(update, base_iri=repo.base_iri)
        except SyntaxError as error:
            raise QueryError(f"invalid SPARQL update: {error}") from None
        if _private_quads(store, repo) != before:
            raise Forbidden("the update would change a private graph; private graphs change only by builds")

    repo.graphs.transform(change, before_swap=_derive(settings, repo))


def replace_graph(repo: Repository, settings: Settings, graph: str, quads: Iterable[Quad], *,
                  keep: bool) -> None:
    """Write ``quads`` into the public graph ``graph`` as a new generation: added to what it holds
    (``keep``) or replacing it."""
    if not repo.is_public(graph):
        raise Forbidden(f"{graph} is a private graph; private graphs change only by builds")
    target = NamedNode(graph)
    repo.graphs.replace_graphs(lambda q: not keep and q.graph_name == target, quads,
                               before_swap=_derive(settings, repo))


async def update(request: Request, text: str, using: list[str], repo: Repository,
                 settings: Settings) -> Response:
    """``POST /sparql`` with an update: authorised, applied, answered 204."""
    authorise(request, settings)
    if using:
        raise QueryError("using-graph-uri and using-named-graph-uri are not supported: "
                         "write USING / USING NAMED in the update instead")
    await run_in_threadpool(apply_update, repo, settings, text)
    return Response(status_code=204)

"""Authenticated writes: SPARQL Update and Graph Store Protocol writes, only with the write token.

A write is a change like a build's: applied to the store with its derived artifacts rebuilt and
swapped in (:meth:`Store.replace`, :meth:`Store.update`); readers keep answering from the previous
generation meanwhile, and a write that fails leaves the store as it was. Writes never change a
private graph (those come only from builds): an update must name every graph it reads or writes by
IRI, none of them private, and may not ``LOAD`` or ``DROP``/``CLEAR`` ``DEFAULT``; ``ALL`` and
``NAMED`` mean the public graphs, and are written out as them. The text is checked and rewritten
before any store sees it, so the rule holds on every backend.
"""

from __future__ import annotations

import hmac
import re
from collections.abc import Iterable

from fastapi import Request, Response
from pyoxigraph import NamedNode, Quad
from starlette.concurrency import run_in_threadpool

from lifecat.core.config import Settings
from lifecat.core.sparql import blank_literals, named_iris
from lifecat.graph import meta
from lifecat.graph.derive import deriving
from lifecat.graph.store import QueryError, Store


class Unauthorized(PermissionError):
    """A write without credentials (answered 401 with a ``WWW-Authenticate: Bearer`` challenge)."""


class Forbidden(PermissionError):
    """A write this client may not make: a wrong token, writes disabled, or a private graph (403)."""


#: What an update may not say, and why.
_REFUSED = [
    (re.compile(r"(?<![\w?$:])LOAD(?![\w:-])", re.IGNORECASE),
     "LOAD is not allowed: send the data with the Graph Store Protocol (PUT or POST /graph-store?graph=IRI)"),
    (re.compile(r"(?<![\w?$:])(?:DROP|CLEAR)\s+(?:SILENT\s+)?DEFAULT(?![\w:-])", re.IGNORECASE),
     "lifecat keeps nothing in the store's default graph, which some stores take for all graphs, "
     "private graphs included: name the graphs to drop or clear (DROP GRAPH <iri>)"),
    (re.compile(r"(?<![\w?$:])(?:GRAPH|WITH|USING(?:\s+NAMED)?)\s+[?$]", re.IGNORECASE),
     "an update must name every graph it reads or writes by its IRI (GRAPH <iri>), not by a variable, "
     "which could reach private graphs"),
]


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


#: ``DROP ALL``, ``CLEAR NAMED`` and the like: operations on every graph, written out per public graph.
_EVERY_GRAPH = re.compile(r"(?<![\w?$:])(DROP|CLEAR)\s+(?:SILENT\s+)?(?:ALL|NAMED)(?![\w:-])", re.IGNORECASE)


def checked_update(store: Store, text: str) -> str:
    """``text``, with operations on all or named graphs written out for each public graph, once it
    is known to touch no private graph nor any graph it does not name.

    :raises Forbidden: saying what the update may not do.
    """
    code = blank_literals(text)
    for pattern, reason in _REFUSED:
        if pattern.search(code):
            raise Forbidden(reason)
    for iri in sorted(named_iris(text, store.base_iri)):
        if not store.is_public(iri):
            raise Forbidden(f"the update names {iri}, a private graph; private graphs change only by builds")
    matches = list(_EVERY_GRAPH.finditer(code))
    if not matches:
        return text
    graphs = store.public_graphs() or [NamedNode("urn:lifecat:no-graph")]
    for match in reversed(matches):  # offsets in ``code`` are offsets in ``text``
        written = " ;\n".join(f"{match.group(1).upper()} SILENT GRAPH {graph}" for graph in graphs)
        text = text[:match.start()] + written + text[match.end():]
    return text


def apply_update(store: Store, settings: Settings, update: str) -> None:
    """Apply a SPARQL Update as a new generation.

    :raises QueryError: for a syntax error.
    :raises Forbidden: if the update could change a private graph (nothing is written).
    """
    store.update(checked_update(store, update), deriving(settings))


def replace_graph(store: Store, settings: Settings, graph: str, quads: Iterable[Quad], *,
                  keep: bool) -> None:
    """Write ``quads`` into the public graph ``graph`` as a new generation: added to what it holds
    (``keep``) or replacing it."""
    if not store.is_public(graph):
        raise Forbidden(f"{graph} is a private graph; private graphs change only by builds")
    target = NamedNode(graph)
    change = (meta.rederive(store.mint, quads, edit={target: None}) if keep
              else meta.rederive(store.mint, quads, replace=[target]))
    store.replace(change, deriving(settings))


async def update(request: Request, text: str, using: list[str], store: Store,
                 settings: Settings) -> Response:
    """``POST /sparql`` with an update: authorised, applied, answered 204."""
    authorise(request, settings)
    if using:
        raise QueryError("using-graph-uri and using-named-graph-uri are not supported: "
                         "write USING / USING NAMED in the update instead")
    await run_in_threadpool(apply_update, store, settings, text)
    return Response(status_code=204)

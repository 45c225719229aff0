"""``/``: what lifecat holds, counted per source and record type, and ``/browse/{kind}``."""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field

from fastapi import Query, Request, Response
from pyoxigraph import Quad
from pyoxigraph import Store as Oxigraph
from starlette.concurrency import run_in_threadpool

from lifecat import queries
from lifecat.core.version import __version__
from lifecat.endpoint.deps import SearchDep, SettingsDep, StoreDep, TemplatesDep
from lifecat.endpoint.terms import compact
from lifecat.graph.search_index import SearchIndex
from lifecat.graph.store import Store
from lifecat.graph.void import read_void


@dataclass
class SourceCount:
    """Records of one source, by type, and how many of them loaded with warnings."""

    name: str
    graph: str
    types: list[tuple[str, int]]
    loaded_with_warnings: int | None = None


@dataclass
class HomeContext:
    """Template context of ``home.html``."""

    version: str = field(metadata={"help": "lifecat version."})
    sources: list[SourceCount] = field(metadata={"help": "Per source graph, record counts by type and "
                                                 "records loaded with warnings."})
    totals: list[tuple[str, int]] = field(metadata={"help": "Record counts by type over all sources."})
    kinds: list[str] = field(metadata={"help": "Record kinds that can be browsed."})


def counts(store: Store, index: SearchIndex) -> HomeContext:
    """Counts per source and type from the VoID statistics the build computed; kinds from its index."""
    void = Oxigraph()
    void.extend(Quad(t.subject, t.predicate, t.object) for t in read_void(store.artifacts()))
    per_graph: dict[str, list[tuple[str, int]]] = defaultdict(list)
    warned: dict[str, int] = {}
    totals: list[tuple[str, int]] = []
    for row in void.query(queries.load("pages/home_counts")):
        figure = (compact(row["class"].value), int(row["entities"].value))
        if row["graph"] is None:
            totals.append(figure)
        else:
            per_graph[row["graph"].value].append(figure)
            if row["warned"] is not None:
                warned[row["graph"].value] = int(row["warned"].value)
    prefix = f"{store.mint.base}graph/"
    sources = [SourceCount(g.removeprefix(prefix), g, types, warned.get(g))
               for g, types in sorted(per_graph.items())]
    return HomeContext(__version__, sources, totals, index.kinds())


async def home(request: Request, store: StoreDep, index: SearchDep,
               templates: TemplatesDep) -> Response:
    context = await run_in_threadpool(lambda: counts(store, index.get()))
    return templates.TemplateResponse(request, "home.html", {"page": context})


class KindNotFound(LookupError):
    """No record of this kind exists."""


@dataclass
class BrowseContext:
    """Template context of ``browse.html``."""

    kind: str = field(metadata={"help": "The record kind listed."})
    total: int = field(metadata={"help": "How many records of the kind there are."})
    items: list[tuple[str, str]] = field(metadata={"help": "This page's (link, name) pairs, by name."})
    page: int = field(metadata={"help": "This page's number, from 1."})
    pages: int = field(metadata={"help": "How many pages there are."})


async def browse(request: Request, kind: str, index: SearchDep, templates: TemplatesDep,
                 settings: SettingsDep, page: int = Query(1, ge=1, le=1_000_000)) -> Response:
    """Records of one kind by name, a page at a time (from the build's index)."""
    size = settings.page_size
    total, rows = await run_in_threadpool(lambda: index.get().browse(kind, size, (page - 1) * size))
    if not total:
        raise KindNotFound(kind)
    items = [("/" + iri.removeprefix(settings.base), label) for iri, label in rows]
    context = BrowseContext(kind, total, items, page, max(1, math.ceil(total / size)))
    return templates.TemplateResponse(request, "browse.html", {"page": context})

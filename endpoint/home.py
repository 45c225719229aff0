"""``/``: what lifecat holds, counted per source and record type, and ``/browse/{kind}``."""

from __future__ import annotations

import math
import threading
from collections import defaultdict
from dataclasses import dataclass, field

from fastapi import Query, Request, Response
from pyoxigraph import Literal
from starlette.concurrency import run_in_threadpool

from lifecat import __version__
from lifecat.endpoint.deps import RepositoryDep, SearchDep, SettingsDep, TemplatesDep
from lifecat.endpoint.repository import Repository
from lifecat.endpoint.terms import compact


@dataclass
class SourceCount:
    """Records of one source, by type."""

    name: str
    graph: str
    types: list[tuple[str, int]]


@dataclass
class HomeContext:
    """Template context of ``home.html``."""

    version: str = field(metadata={"help": "lifecat version."})
    sources: list[SourceCount] = field(metadata={"help": "Per source graph, record counts by type."})
    totals: list[tuple[str, int]] = field(metadata={"help": "Record counts by type over all sources."})
    kinds: list[str] = field(metadata={"help": "Record kinds that can be browsed."})


_cache: dict[int, tuple[str, HomeContext]] = {}
_cache_lock = threading.Lock()


def counts(repo: Repository) -> HomeContext:
    """Counts per source and type, computed once per store generation."""
    generation = repo.graphs.generation()
    with _cache_lock:
        cached = _cache.get(id(repo))
        if cached and cached[0] == generation:
            return cached[1]
    meta = repo.mint.meta_graph
    per_graph: dict[str, list[tuple[str, int]]] = defaultdict(list)
    for row in repo.named("pages/counts", meta=meta).solutions():
        per_graph[row["g"].value].append((compact(row["type"].value), int(row["n"].value)))
    totals = [(compact(row["type"].value), int(row["n"].value))
              for row in repo.named("pages/count_totals", meta=meta).solutions()]
    prefix = f"{repo.mint.base}graph/"
    sources = [SourceCount(g.removeprefix(prefix), g, types) for g, types in sorted(per_graph.items())]
    context = HomeContext(__version__, sources, totals, kinds(repo))
    with _cache_lock:
        _cache[id(repo)] = (generation, context)
    return context


def kinds(repo: Repository) -> list[str]:
    """Kinds of records present (the ``{kind}`` in ``/id/{kind}/{key}``)."""
    rows = repo.named("pages/kinds", prefix=Literal(f"{repo.mint.base}id/")).solutions()
    return [r["kind"].value for r in rows if "kind" in r and r["kind"].value]


async def home(request: Request, repo: RepositoryDep, templates: TemplatesDep) -> Response:
    context = await run_in_threadpool(counts, repo)
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
                 settings: SettingsDep, page: int = Query(1, ge=1)) -> Response:
    """Records of one kind by name, a page at a time (from the build's index)."""
    size = settings.page_size
    total, rows = await run_in_threadpool(lambda: index.get().browse(kind, size, (page - 1) * size))
    if not total:
        raise KindNotFound(kind)
    items = [("/" + iri.removeprefix(settings.base), label) for iri, label in rows]
    context = BrowseContext(kind, total, items, page, max(1, math.ceil(total / size)))
    return templates.TemplateResponse(request, "browse.html", {"page": context})

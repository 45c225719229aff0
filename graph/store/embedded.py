"""The embedded store: immutable Oxigraph generations in a folder, behind one ``current`` link.

A change never writes into the generation being served. It bulk-loads a new generation (the graphs
it keeps plus the graphs it changes), lets the derived artifacts (search index, statistics,
catalogue, dumps) be written beside it, and then repoints ``current`` with one ``rename``; a change
that fails half-way leaves the previous generation in place and served. Readers open generations
read-only and notice a swap at their next request.

A generation is a folder: ``oxigraph/`` holds the store, everything else in it is derived from it.

>>> import tempfile
>>> from pyoxigraph import Literal
>>> store = EmbeddedStore(tempfile.mkdtemp(), Minter("http://ex/"))
>>> store.exists()
False
>>> g, s = NamedNode("http://ex/graph/g"), NamedNode("http://ex/s")
>>> store.replace(Change([Quad(s, s, Literal("v"), g)], replace=frozenset({g})), lambda snapshot: None)
>>> store.query("SELECT ?o { GRAPH <http://ex/graph/g> { ?s ?p ?o } }").rows
[['v']]
"""

from __future__ import annotations

import fcntl
import gc
import os
import shutil
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any, BinaryIO

from pyoxigraph import DefaultGraph, NamedNode, Quad, RdfFormat
from pyoxigraph import Store as Oxigraph

from lifecat.core.sparql import bind
from lifecat.core.uris import Minter
from lifecat.graph.store import (
    MARKER,
    Bound,
    Change,
    Dataset,
    Derive,
    QueryError,
    QueryResult,
    Snapshot,
    Store,
    StoreMissingError,
    StoreUnavailable,
    marker_quads,
    prune,
)

CURRENT = "current"
GENERATIONS = "generations"
OXIGRAPH = "oxigraph"
#: A dataset that names no graph at all (an empty list would mean every graph to pyoxigraph).
_NO_GRAPH = NamedNode("urn:lifecat:no-graph")


def _evaluate(store: Oxigraph, text: str, base_iri: str | None, **dataset: Any) -> QueryResult:
    try:
        return QueryResult(store.query(text, base_iri=base_iri, **dataset))
    except SyntaxError as error:
        raise QueryError(f"invalid SPARQL query: {error}") from None


class EmbeddedSnapshot(Snapshot):
    """A new generation, open for writing, before it is swapped in."""

    def __init__(self, store: Oxigraph, folder: Path, previous: Path | None,
                 changed: set[NamedNode] | None) -> None:
        self.store, self.folder, self.previous = store, folder, previous
        self._changed = changed

    def graphs(self) -> list[NamedNode]:
        return sorted((g for g in self.store.named_graphs() if isinstance(g, NamedNode)),
                      key=lambda g: g.value)

    def changed(self, graph: NamedNode) -> bool:
        return self._changed is None or graph in self._changed

    def query(self, text: str, graphs: Sequence[NamedNode], **values: Bound) -> QueryResult:
        chosen = list(graphs) or [_NO_GRAPH]
        return _evaluate(self.store, bind(text, **values), None, default_graph=chosen, named_graphs=chosen)

    def dump(self, graph: NamedNode, out: BinaryIO) -> None:
        self.store.dump(out, RdfFormat.N_TRIPLES, from_graph=graph)

    def add(self, quads: Iterable[Quad]) -> None:
        self.store.extend(quads)
        self.store.flush()


class EmbeddedStore(Store):
    """A folder of Oxigraph generations, the current one served (see the module docs)."""

    runaway_costs_cpu = True

    def __init__(self, directory: str | os.PathLike[str], mint: Minter, *,
                 private: Iterable[str] = ()) -> None:
        super().__init__(mint, private)
        self.directory = Path(directory)
        self._lock = threading.Lock()
        self._open: tuple[str, Oxigraph, list[NamedNode]] | None = None
        self._link = str(self.directory / CURRENT)  # read on every query: no Path arithmetic then

    def generation(self) -> str:
        """One system call, as every query asks."""
        try:
            return os.readlink(self._link)
        except OSError:
            raise StoreMissingError(f"no store built in {self.directory} yet (run `lifecat build`)") from None

    def artifacts(self) -> Path:
        return self.directory / self.generation()

    def _current(self) -> tuple[Oxigraph, list[NamedNode]]:
        """A read-only handle on the current generation and its graphs, reopened after a swap."""
        name = self.generation()
        with self._lock:
            if self._open is None or self._open[0] != name:
                store = Oxigraph.read_only(str(self.directory / name / OXIGRAPH))
                graphs = sorted((g for g in store.named_graphs() if isinstance(g, NamedNode)),
                                key=lambda g: g.value)
                self._open = (name, store, graphs)
            return self._open[1], self._open[2]

    def reader(self) -> Oxigraph:
        """The current generation's Oxigraph store, read-only (for tests and benchmarks that look
        underneath the interface)."""
        return self._current()[0]

    def graphs(self) -> list[NamedNode]:
        return self._current()[1]

    def _run(self, text: str, dataset: Dataset, timeout: float | None) -> QueryResult:
        store = self._current()[0]
        if dataset.default is None and dataset.everything:
            # Nothing private in the store: its union default graph is the public dataset, and
            # oxigraph evaluates that faster than the same graphs listed one by one.
            return _evaluate(store, text, self.base_iri, use_default_graph_as_union=True)
        default = [DefaultGraph(), *dataset.named] if dataset.default is None else list(dataset.default)
        return _evaluate(store, text, self.base_iri, default_graph=default or [_NO_GRAPH],
                         named_graphs=list(dataset.named) or [_NO_GRAPH])

    def dump(self, graph: NamedNode, out: BinaryIO) -> None:
        self._current()[0].dump(out, RdfFormat.N_TRIPLES, from_graph=graph)

    def _scan(self, text: str) -> Iterator[dict[str, Any]]:
        return QueryResult(self._current()[0].query(text)).solutions() if self.exists() else iter(())

    def replace(self, change: Change, derive: Derive) -> None:
        change = self.rebased(change)
        touched = change.graphs

        def fill(store: Oxigraph, previous: Oxigraph | None) -> None:
            if previous is not None:
                for graph in [DefaultGraph(), *previous.named_graphs()]:
                    if graph in change.replace:
                        continue
                    quads = previous.quads_for_pattern(None, None, None, graph)
                    drop = change.edit.get(graph)  # type: ignore[call-overload]
                    store.bulk_extend((q for q in quads if not drop(q)) if drop else quads)
            store.bulk_extend(_only(change.quads, touched))

        self._new_generation(fill, derive, touched)

    def update(self, text: str, derive: Derive) -> None:
        def fill(store: Oxigraph, previous: Oxigraph | None) -> None:
            if previous is not None:
                store.bulk_extend(previous.quads_for_pattern(None, None, None))
            try:
                store.update(text, base_iri=self.base_iri)
            except SyntaxError as error:
                raise QueryError(f"invalid SPARQL update: {error}") from None

        self._new_generation(fill, derive, None)

    def check(self, *, write: bool) -> None:
        folder = self.directory if self.directory.exists() else self.directory.parent
        if write and not os.access(folder, os.W_OK):
            raise StoreUnavailable(f"cannot write the store folder {self.directory}: check its permissions")

    def _new_generation(self, fill: Callable[[Oxigraph, Oxigraph | None], None], derive: Derive,
                        changed: set[NamedNode] | None) -> None:
        """Fill a new generation from the current one (or ``None``), derive its artifacts, then swap it
        in, one writer at a time across processes."""
        generations = self.directory / GENERATIONS
        generations.mkdir(parents=True, exist_ok=True)
        with open(self.directory / ".write-lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            name = f"{GENERATIONS}/{time.strftime('%Y%m%dT%H%M%S')}-{os.getpid()}-{time.monotonic_ns()}"
            target = self.directory / name
            previous = self.artifacts() if self.exists() else None
            try:
                target.mkdir()
                store = Oxigraph(str(target / OXIGRAPH))
                fill(store, self._current()[0] if previous else None)
                self._mark(store, name)
                store.flush()
                derive(EmbeddedSnapshot(store, target, previous, changed))
                del store
                gc.collect()
            except BaseException:
                gc.collect()
                shutil.rmtree(target, ignore_errors=True)
                raise
            for stray in self.directory.glob(f".{CURRENT}.*"):  # ours, or a killed writer's
                stray.unlink(missing_ok=True)
            link = self.directory / f".{CURRENT}.{os.getpid()}"
            link.symlink_to(name)
            os.replace(link, self.directory / CURRENT)
            prune(generations, {target.name, *([previous.name] if previous else [])})

    def _mark(self, store: Oxigraph, name: str) -> None:
        """State the generation and its graphs in its meta graph (the same marker a remote store has)."""
        meta = self.mint.meta_graph
        for predicate in MARKER:
            for quad in list(store.quads_for_pattern(meta, predicate, None, meta)):
                store.remove(quad)
        graphs = {g for g in store.named_graphs() if isinstance(g, NamedNode)} | {meta}
        store.extend(marker_quads(self.mint, name, sorted(graphs, key=lambda g: g.value)))


def _only(quads: Iterable[Quad], graphs: set[NamedNode]) -> Iterator[Quad]:
    """``quads``, each checked to go to a graph the change touches (a change says what it writes)."""
    for quad in quads:
        if quad.graph_name not in graphs:
            raise ValueError(f"a quad for {quad.graph_name}, a graph the change does not name")
        yield quad

"""The store: where the graph lives, behind one interface with two implementations.

Everything the build and the endpoint need from a store is a method of :class:`Store`, and nothing
in lifecat reaches a store any other way:

- **state**: the current *generation* (a name that changes with every swap, so that every reader
  notices a rebuild at its next request), its named graphs, and the folder where the derived
  artifacts of that state live (search index, VoID, catalogue, dumps, from which sitemaps come);
- **reading**: a query under the public-dataset rules within a time limit (:meth:`Store.query`), a
  named query with bound values (:meth:`Store.named`), one graph as N-Triples (:meth:`Store.dump`);
- **writing**: a :class:`Change` to a set of graphs, staged, derived from and swapped in atomically
  (:meth:`Store.replace`), and SPARQL Update (:meth:`Store.update`);
- **checking**: whether the store can be reached and written, with a message that says what is
  wrong (:meth:`Store.check`).

:class:`~lifecat.graph.store.embedded.EmbeddedStore` keeps immutable Oxigraph generations in a
folder; :class:`~lifecat.graph.store.remote.RemoteStore` speaks the SPARQL 1.1 Protocol, Update and
the Graph Store HTTP Protocol to any SPARQL 1.1 store. ``Store.open(settings)`` picks one from the
``store`` setting: a path or an ``http(s)`` URL.

The public-dataset rules live here, once, for both: an anonymous query sees the union of the public
graphs as its default graph and can name only public graphs (``FROM``, ``FROM NAMED``, the protocol's
``default-graph-uri``/``named-graph-uri`` narrow that dataset, never widen it); a query whose text
names a private graph is refused (:class:`PrivateGraphError`).
"""

from __future__ import annotations

import shutil
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, ClassVar

from pyoxigraph import Literal as LiteralTerm
from pyoxigraph import NamedNode, Quad

from lifecat import queries
from lifecat.core.sparql import bind, named_under, query_dataset
from lifecat.core.uris import Minter
from lifecat.core.vocab import LIFECAT
from lifecat.graph.store.results import QueryError, QueryResult
from lifecat.graph.visibility import is_public, private_prefixes

if TYPE_CHECKING:
    from pyoxigraph import Literal

    from lifecat.core.config import Settings

#: The generation marker, the graphs of that generation and the base IRI it was built under, stated
#: about the meta graph in the meta graph.
GENERATION = LIFECAT.generation
HOLDS_GRAPH = LIFECAT.holdsGraph
BASE_IRI = LIFECAT.baseIRI
MARKER = (GENERATION, HOLDS_GRAPH, BASE_IRI)


class StoreMissingError(LookupError):
    """Nothing has been built into this store yet."""


class StoreUnavailable(RuntimeError):
    """The store cannot be used as configured: unreachable, read-only, or lacking a protocol lifecat
    needs. The message says which, and what to check."""


class PrivateGraphError(PermissionError):
    """An anonymous query names a private graph (answered 403)."""


class Swapped(Exception):
    """The store swapped in a new generation while a query ran over the previous one's dataset (a
    remote store learns so as the answer comes); the query is run again."""


#: How often a query is run again after a swap it ran into, before its client is told to retry.
SWAPS = 3


class QueryTimeout(Exception):
    """The query did not finish within its time limit (waiting for a slot is bounded apart, see
    :mod:`lifecat.endpoint.admission`)."""

    def __init__(self, limit: float) -> None:
        super().__init__(f"the query was stopped: it ran longer than {limit:g} s, the time limit of "
                         "this query; simplify it, add LIMIT, or try again later")
        self.limit = limit


@dataclass(frozen=True)
class Dataset:
    """The graphs one query reads: ``default`` (``None``: the union of ``named``) and ``named``.

    ``everything`` says that ``named`` is every graph of the store, so that the store's own union of
    all graphs may stand for the default graph (faster on the embedded store).
    """

    default: tuple[NamedNode, ...] | None
    named: tuple[NamedNode, ...]
    everything: bool = False


#: A value bound to a query's ``$parameter``: a term, or terms for a ``VALUES`` block.
Bound = NamedNode | LiteralTerm | Sequence[NamedNode | LiteralTerm]
#: Which of a graph's current quads a change drops (``None``: keep them all).
Drop = Callable[[Quad], bool] | None


@dataclass
class Change:
    """A change to some graphs, applied as one: the graphs ``replace`` names are emptied, those
    ``edit`` names keep their current quads but those its function drops, and ``quads`` are added
    (each to the graph it names, which must be one of those). Other graphs stay as they are.
    """

    quads: Iterable[Quad]
    replace: frozenset[NamedNode] = frozenset()
    edit: dict[NamedNode, Drop] = field(default_factory=dict)

    @property
    def graphs(self) -> set[NamedNode]:
        """Every graph the change touches."""
        return {*self.replace, *self.edit}


class Snapshot(ABC):
    """The next state of a store, complete but not yet served: derivers read it and add to it.

    Graph names are the ones the state will have once swapped in, whatever names the store stages
    them under.
    """

    #: Where this state's derived artifacts are written.
    folder: Path
    #: The artifacts of the state being replaced (to carry dates and unchanged files over), if any.
    previous: Path | None

    @abstractmethod
    def graphs(self) -> list[NamedNode]:
        """Every named graph of the new state, by IRI."""

    @abstractmethod
    def changed(self, graph: NamedNode) -> bool:
        """Whether ``graph``'s content may differ from the state being replaced."""

    @abstractmethod
    def query(self, text: str, graphs: Sequence[NamedNode], **values: Bound) -> QueryResult:
        """Run ``text`` with ``values`` bound to its ``$parameters`` and ``graphs`` as both its default
        graph (merged) and its named graphs; graphs given as values are read under their new names
        too."""

    @abstractmethod
    def dump(self, graph: NamedNode, out: BinaryIO) -> None:
        """Write ``graph`` as N-Triples to ``out``, streamed."""

    @abstractmethod
    def add(self, quads: Iterable[Quad]) -> None:
        """Add ``quads`` to the new state (to graphs the change touches, such as the meta graph)."""


Derive = Callable[[Snapshot], None]


@dataclass(frozen=True)
class Built:
    """A lifecat state found in a store, whatever base it was built under."""

    #: The base IRI its records, graphs and links start with.
    base: str
    #: Whether its marker records the base (``False``: a marker from before lifecat recorded it, the
    #: base read off the meta graph's IRI, ``{base}graph/meta``).
    recorded: bool
    #: Its named graphs, the meta graph included.
    graphs: frozenset[NamedNode]


class Store(ABC):
    """A store lifecat builds into and serves from (see the module docs)."""

    #: Whether a query that overruns its time limit goes on using this process's CPU (so that only
    #: stopping the process stops it); a remote store's query only costs a wait, abandoned in time.
    runaway_costs_cpu: ClassVar[bool]

    def __init__(self, mint: Minter, private: Iterable[str] = ()) -> None:
        self.mint = mint
        self.private = private_prefixes(mint.base, tuple(private))
        #: Relative IRIs in queries resolve against the endpoint itself.
        self.base_iri = f"{mint.base}sparql"
        self._public: tuple[list[NamedNode], Dataset] | None = None

    @staticmethod
    def open(settings: Settings) -> Store:
        """The store ``settings.store`` names: an ``http(s)`` URL or a folder."""
        if settings.remote:
            from lifecat.graph.store.remote import RemoteStore

            return RemoteStore.from_settings(settings)
        from lifecat.graph.store.embedded import EmbeddedStore

        return EmbeddedStore(settings.store_path, Minter(settings.base), private=settings.private_graphs)

    # The current state

    @abstractmethod
    def generation(self) -> str:
        """The name of the current generation; it changes with every swap.

        :raises StoreMissingError: if nothing has been built yet.
        """

    def exists(self) -> bool:
        """Whether a generation has been built."""
        try:
            self.generation()
        except StoreMissingError:
            return False
        return True

    @abstractmethod
    def graphs(self) -> list[NamedNode]:
        """Every named graph of the current generation, by IRI (listed once per generation)."""

    @abstractmethod
    def artifacts(self) -> Path:
        """The folder of the current generation's derived artifacts."""

    def built(self) -> list[Built]:
        """Every lifecat state in the store, read from the generation markers whatever the configured
        base (so that a store built under another base is told from an empty one); one, unless an
        older lifecat built states of several bases into one remote store."""
        graphs: dict[str, set[NamedNode]] = {}
        recorded: set[str] = set()
        for row in self._scan(queries.load("store/built")):
            meta = row["meta"].value
            if "base" in row:
                recorded.add(meta)
            graphs.setdefault(meta, {row["meta"]}).add(row["graph"])
        return [Built(meta.removesuffix("graph/meta"), meta in recorded, frozenset(held))  # {base}graph/meta
                for meta, held in sorted(graphs.items())]

    @abstractmethod
    def _scan(self, text: str) -> Iterable[dict[str, Any]]:
        """The solutions of ``text`` over the whole store as it is, no public-dataset rule applied
        (for lifecat's own queries about the store); nothing if nothing was built."""

    def is_public(self, graph: str) -> bool:
        """Whether anonymous readers may see the graph named ``graph``."""
        return is_public(graph, self.private)

    def public_graphs(self) -> list[NamedNode]:
        """Every named graph of the current generation anonymous readers may see."""
        return [g for g in self.graphs() if self.is_public(g.value)]

    # Reading

    def query(self, text: str, *, default_graphs: Sequence[str] = (), named_graphs: Sequence[str] = (),
              timeout: float | None = None) -> QueryResult:
        """Run an anonymous query over the public dataset, narrowed by the protocol's dataset or by
        the query's own ``FROM`` clauses; graphs that are missing count as empty, as in SPARQL.

        :raises PrivateGraphError: if the query or its protocol dataset names a private graph.
        :raises QueryError: for a query the store refuses (syntax, evaluation).
        :raises QueryTimeout: if ``timeout`` passes first (a remote store abandons the request).
        """
        named = next((iri for iri in (*default_graphs, *named_graphs) if not self.is_public(iri)), None)
        named = named or named_under(text, self.base_iri, self.private)
        if named:
            raise PrivateGraphError(f"the query names {named}, in a private graph: "
                                    "anonymous queries read public graphs only")
        if not (default_graphs or named_graphs):
            default_graphs, named_graphs = query_dataset(text, self.base_iri)
        return self._answer(text, lambda: self.dataset(default_graphs, named_graphs), timeout)

    def _answer(self, text: str, dataset: Callable[[], Dataset], timeout: float | None) -> QueryResult:
        """``text`` run over ``dataset()``, asked again after every swap it runs into."""
        for _ in range(SWAPS):
            try:
                return self._run(text, dataset(), timeout)
            except Swapped:
                continue
        raise StoreUnavailable(f"the store swapped generations {SWAPS} times during one query: try again")

    def dataset(self, default_graphs: Sequence[str] = (), named_graphs: Sequence[str] = ()) -> Dataset:
        """The public dataset, or the public graphs of the one the protocol (or ``FROM``) gives: then
        named graphs only if some are named."""
        graphs = self._query_graphs()
        cached = self._public
        if cached is None or cached[0] is not graphs:  # once per generation: every query asks
            public = tuple(g for g in graphs if self.is_public(g.value))
            cached = self._public = (graphs, Dataset(None, public, everything=len(public) == len(graphs)))
        if default_graphs or named_graphs:
            allowed = {g.value for g in cached[1].named}
            return Dataset(tuple(NamedNode(i) for i in dict.fromkeys(default_graphs) if i in allowed),
                           tuple(NamedNode(i) for i in dict.fromkeys(named_graphs) if i in allowed))
        return cached[1]

    def named(self, name: str, **values: NamedNode | Literal) -> QueryResult:
        """Run the named query ``queries/{name}.rq`` over the public dataset, ``values`` bound to its
        ``$parameters``."""
        return self._answer(bind(queries.load(name), **values), self.dataset, None)

    def named_private(self, name: str, graphs: Sequence[NamedNode], **values: Bound) -> QueryResult:
        """Run the named query ``queries/{name}.rq`` over ``graphs``, private ones included (those the
        current generation holds, merged as the default graph and each a named graph), ``values``
        bound to its ``$parameters``: for lifecat's own readers of private graphs, which their
        callers authorise (the quarantine command and pages), never for a client's query text."""

        def holding() -> Dataset:
            current = set(self._query_graphs())
            return Dataset(None, tuple(g for g in graphs if g in current))

        return self._answer(bind(queries.load(name), **values), holding, None)

    def _query_graphs(self) -> list[NamedNode]:
        """The graphs a query's dataset is made of (the current ones, unless :meth:`_run` checks)."""
        return self.graphs()

    @abstractmethod
    def _run(self, text: str, dataset: Dataset, timeout: float | None) -> QueryResult:
        """Evaluate ``text`` over ``dataset`` (its own ``FROM`` clauses do not widen it).

        :raises QueryError: for a syntax or evaluation error.
        :raises Swapped: if the dataset is no longer the current one's.
        """

    @abstractmethod
    def dump(self, graph: NamedNode, out: BinaryIO) -> None:
        """Write one graph of the current generation as N-Triples to ``out``, streamed."""

    # Writing

    def rebased(self, change: Change) -> Change:
        """``change``, also emptying every graph of a state built under another base than this
        store's, so that a store never holds two bases: a build under a new base replaces everything."""
        others = frozenset(g for built in self.built() if built.base != self.mint.base for g in built.graphs)
        return Change(change.quads, change.replace | others, change.edit) if others else change

    @abstractmethod
    def replace(self, change: Change, derive: Derive) -> None:
        """Apply ``change`` as a new generation: staged, handed to ``derive`` to write its artifacts
        (and add to it), then swapped in at once. Readers see the previous generation until the
        swap; if anything fails before it, the current generation stays and nothing staged remains.
        """

    @abstractmethod
    def update(self, text: str, derive: Derive) -> None:
        """Apply a SPARQL Update (checked by the caller), then derive the new state's artifacts.

        :raises QueryError: for a syntax error.
        """

    @abstractmethod
    def check(self, *, write: bool) -> None:
        """Make sure the store can be used (and written, with ``write``).

        :raises StoreUnavailable: saying what is wrong.
        """


def prune(generations: Path, keep: Iterable[str]) -> None:
    """Remove every generation folder in ``generations`` but those named in ``keep``: the generation
    just swapped in and the one it replaced, which readers opened before the swap still use.

    Any other folder is an older generation or what a killed change left half-written (which may be
    newer than the last complete one, so age decides nothing); the caller holds the write lock, so no
    change is writing one.
    """
    kept = set(keep)
    for folder in generations.iterdir():
        if folder.name not in kept:
            shutil.rmtree(folder, ignore_errors=True)


def marker_quads(mint: Minter, generation: str, graphs: Iterable[NamedNode]) -> list[Quad]:
    """The meta graph's statements of which generation is current, the base it was built under and
    which graphs it holds.

    >>> [str(q.object) for q in marker_quads(Minter("http://ex/"), "g1", [NamedNode("http://ex/graph/a")])]
    ['"g1"', '<http://ex/>', '<http://ex/graph/a>']
    """
    meta = mint.meta_graph
    return [Quad(meta, GENERATION, LiteralTerm(generation), meta),
            Quad(meta, BASE_IRI, NamedNode(mint.base), meta),
            *(Quad(meta, HOLDS_GRAPH, graph, meta) for graph in graphs)]


def with_marker(change: Change, mint: Minter) -> Change:
    """``change``, also replacing the meta graph's generation marker (every change makes a new one)."""
    meta = mint.meta_graph
    drop = change.edit.get(meta)

    def drop_marker(quad: Quad) -> bool:
        return quad.predicate in MARKER or (drop is not None and drop(quad))

    edit = change.edit if meta in change.replace else {**change.edit, meta: drop_marker}
    return Change(change.quads, change.replace, edit)


__all__ = [
    "Built",
    "Change",
    "Dataset",
    "Derive",
    "PrivateGraphError",
    "QueryError",
    "QueryResult",
    "QueryTimeout",
    "Snapshot",
    "Store",
    "StoreMissingError",
    "StoreUnavailable",
    "Swapped",
]

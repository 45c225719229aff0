"""The on-disk store: immutable Oxigraph generations behind one ``current`` link, swapped atomically.

A build never writes into the store being served. It bulk-loads a new generation (the graphs it
keeps plus the graphs it rebuilds), lets derived artifacts (search index, statistics, dumps) be
written beside it, and then repoints ``current`` with one ``rename``; a build that fails half-way
leaves the previous generation in place and served. Readers open generations read-only and notice a
swap at their next request.

A generation is a folder: ``oxigraph/`` holds the store, everything else in it is derived from it.
"""

from __future__ import annotations

import fcntl
import gc
import os
import shutil
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path

from pyoxigraph import Quad, Store

CURRENT = "current"
GENERATIONS = "generations"
OXIGRAPH = "oxigraph"
#: Generations kept besides the current one, so readers of the previous one keep working.
KEEP_PREVIOUS = 1


class StoreMissingError(LookupError):
    """No generation has been built in this store directory yet."""


class GraphStore:
    """A directory of store generations, the current one served.

    >>> import tempfile
    >>> from pyoxigraph import Literal, NamedNode
    >>> gs = GraphStore(tempfile.mkdtemp())
    >>> gs.exists()
    False
    >>> g, s = NamedNode("http://ex/g"), NamedNode("http://ex/s")
    >>> gs.replace_graphs(lambda q: q.graph_name == g, [Quad(s, s, Literal("v"), g)])
    >>> [str(q.object) for q in gs.reader().quads_for_pattern(None, None, None, g)]
    ['"v"']
    """

    def __init__(self, directory: str | os.PathLike[str]) -> None:
        self.directory = Path(directory)
        self._lock = threading.Lock()
        self._open: tuple[str, Store] | None = None
        self._link = str(self.directory / CURRENT)  # read on every query: no Path arithmetic then

    @property
    def _current(self) -> Path:
        return self.directory / CURRENT

    def exists(self) -> bool:
        """Whether a generation has been built."""
        return self._current.is_symlink() and self._current.resolve().is_dir()

    def generation(self) -> str:
        """The name of the current generation (changes on every swap); one system call, as every
        query asks."""
        try:
            return os.readlink(self._link)
        except OSError:
            raise StoreMissingError(f"no store built in {self.directory} yet (run `lifecat build`)") from None

    def path(self) -> Path:
        """The folder of the current generation, where its derived artifacts live."""
        return self.directory / self.generation()

    def reader(self) -> Store:
        """A read-only handle on the current generation, reopened after a swap."""
        name = self.generation()
        with self._lock:
            if self._open is None or self._open[0] != name:
                self._open = (name, Store.read_only(str(self.directory / name / OXIGRAPH)))
            return self._open[1]

    def replace_graphs(
        self,
        drop: Callable[[Quad], bool],
        quads: Iterable[Quad],
        *,
        before_swap: Callable[[Store, Path], None] | None = None,
    ) -> None:
        """Make a new generation: the current quads except those ``drop`` selects, plus ``quads``.

        Then swap it in. ``before_swap`` gets the finished store and the generation's folder, to
        write derived artifacts there; if it (or anything before it) raises, the new generation is
        discarded and the current one stays.
        """

        def fill(store: Store, previous: Store | None) -> None:
            if previous is not None:
                store.bulk_extend(q for q in previous.quads_for_pattern(None, None, None) if not drop(q))
            store.bulk_extend(quads)

        self._new_generation(fill, before_swap)

    def transform(
        self,
        change: Callable[[Store], None],
        *,
        before_swap: Callable[[Store, Path], None] | None = None,
    ) -> None:
        """Make a new generation: a copy of the current one changed in place by ``change`` (a SPARQL
        update, say), then swap it in; if anything raises, the current generation stays.

        >>> import tempfile
        >>> gs = GraphStore(tempfile.mkdtemp())
        >>> insert = "INSERT DATA { GRAPH <http://ex/g> { <http://ex/s> <http://ex/p> 1 } }"
        >>> gs.transform(lambda store: store.update(insert))
        >>> len(gs.reader())
        1
        """

        def fill(store: Store, previous: Store | None) -> None:
            if previous is not None:
                store.bulk_extend(previous.quads_for_pattern(None, None, None))
            change(store)

        self._new_generation(fill, before_swap)

    def _new_generation(
        self,
        fill: Callable[[Store, Store | None], None],
        before_swap: Callable[[Store, Path], None] | None,
    ) -> None:
        """Fill a new generation from the current one (or ``None``), then swap it in, one writer at
        a time across processes."""
        generations = self.directory / GENERATIONS
        generations.mkdir(parents=True, exist_ok=True)
        with open(self.directory / ".write-lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            name = f"{GENERATIONS}/{time.strftime('%Y%m%dT%H%M%S')}-{os.getpid()}-{time.monotonic_ns()}"
            target = self.directory / name
            try:
                target.mkdir()
                store = Store(str(target / OXIGRAPH))
                fill(store, self.reader() if self.exists() else None)
                store.flush()
                if before_swap:
                    before_swap(store, target)
                del store
                gc.collect()
            except BaseException:
                gc.collect()
                shutil.rmtree(target, ignore_errors=True)
                raise
            link = self.directory / f".{CURRENT}.{os.getpid()}"
            link.unlink(missing_ok=True)
            link.symlink_to(name)
            os.replace(link, self._current)
            self._prune(keep={name})

    def _prune(self, keep: set[str]) -> None:
        generations = sorted((self.directory / GENERATIONS).iterdir(), key=lambda p: p.name)
        old = [g for g in generations if f"{GENERATIONS}/{g.name}" not in keep]
        for stale in old[: max(0, len(old) - KEEP_PREVIOUS)]:
            shutil.rmtree(stale, ignore_errors=True)


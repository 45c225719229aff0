"""Artifacts derived from a new store state, written before the swap.

Each deriver reads the staged state through its :class:`~lifecat.graph.store.Snapshot` (queries and
graph dumps, so it works with either store) and writes files into the state's artifact folder, or
adds statements to it; every change runs them all, in order, so a state is only served once
everything derived from it exists. Add a deriver to ``DERIVERS``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pyoxigraph import NamedNode, Triple

from lifecat import queries
from lifecat.core.config import Settings
from lifecat.core.uris import Minter
from lifecat.graph import catalog, dumps, labels, references, search_index, void
from lifecat.graph.dumps import timestamp
from lifecat.graph.store import Snapshot
from lifecat.graph.visibility import is_public, private_prefixes


@dataclass(frozen=True)
class DeriveContext:
    """What a deriver gets: the new state, the settings and the minter."""

    snapshot: Snapshot
    settings: Settings
    mint: Minter
    #: The time of this change, to the second: every date the derivers write for it.
    now: str = field(default_factory=lambda: timestamp(datetime.now(UTC)))

    @property
    def directory(self) -> Path:
        """Where the new state's artifacts go."""
        return self.snapshot.folder

    @property
    def previous(self) -> Path | None:
        """The artifacts of the state being replaced, if any."""
        return self.snapshot.previous

    def public_graphs(self) -> list[NamedNode]:
        """The named graphs anyone may read, by IRI."""
        private = private_prefixes(self.mint.base, self.settings.private_graphs)
        return [g for g in self.snapshot.graphs() if is_public(g.value, private)]

    def source_graphs(self) -> list[NamedNode]:
        """The public graphs holding loaded sources: all public graphs but lifecat's own, the meta
        graph and the minimal records of nodes no source describes (which no publisher published)."""
        prefix = self.mint.graph("").value
        own = {self.mint.meta_graph, references.graph(self.mint)}
        return [g for g in self.public_graphs() if g not in own and g.value.startswith(prefix)]

    def construct(self, name: str, graphs: list[NamedNode], **values: Any) -> list[Triple]:
        """The triples of ``queries/pages/{name}.rq`` over ``graphs`` (as default and named graphs)."""
        return self.snapshot.query(queries.load(f"pages/{name}"), graphs, **values).triples()

    def select(self, name: str, graphs: list[NamedNode], **values: Any) -> Iterator[dict[str, Any]]:
        """The rows of a SELECT query (see :meth:`construct`), unbound variables left out."""
        return self.snapshot.query(queries.load(f"pages/{name}"), graphs, **values).solutions()

    def source_name(self, graph: NamedNode) -> str:
        """The source a graph holds: ``{base}graph/{source}`` → ``source``."""
        return graph.value.removeprefix(self.mint.graph("").value)


Deriver = Callable[[DeriveContext], None]

#: The derivers, run in this order on every build. Statements added to the meta graph come before
#: the dumps, so the dumps hold them; the catalogue's files come last, to describe the dumps.
DERIVERS: list[Deriver] = [
    labels.derive,  # labels of the vocabulary terms in use, in the meta graph: the facets read them
    search_index.derive,  # search.sqlite: keyword search, facets, identifier lookup, sitemaps
    catalog.record_catalogue,
    void.write_void,
    dumps.write_dumps,
    catalog.finish_catalogue,
]


def deriving(settings: Settings) -> Callable[[Snapshot], None]:
    """The derivation a change hands its store: every deriver over the new state."""
    mint = Minter(settings.base)

    def derive(snapshot: Snapshot) -> None:
        context = DeriveContext(snapshot, settings, mint)
        for deriver in DERIVERS:
            deriver(context)

    return derive

"""Artifacts derived from a finished store generation, written into its folder before the swap.

Each deriver reads the new store and writes files beside it; the build runs them all, in order, so a
generation is only served once everything derived from it exists. Add a deriver to ``DERIVERS``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pyoxigraph import NamedNode, Store, Variable

from lifecat import queries
from lifecat.core.config import Settings
from lifecat.core.uris import Minter
from lifecat.graph import catalog, dumps, search_index, void
from lifecat.graph.visibility import private_prefixes, public_graphs


@dataclass(frozen=True)
class DeriveContext:
    """What a deriver gets: the new store, its folder, the settings and the minter."""

    store: Store
    directory: Path
    settings: Settings
    mint: Minter

    def public_graphs(self) -> list[NamedNode]:
        """The named graphs anyone may read, by IRI."""
        return public_graphs(self.store, private_prefixes(self.mint.base, self.settings.private_graphs))

    def source_graphs(self) -> list[NamedNode]:
        """The public graphs holding loaded sources (all public graphs but the meta graph)."""
        prefix = self.mint.graph("").value
        return [g for g in self.public_graphs()
                if g != self.mint.meta_graph and g.value.startswith(prefix)]

    def query(self, name: str, graphs: list[NamedNode], **bindings: Any) -> Any:
        """Run ``queries/pages/{name}.rq`` over ``graphs`` (as default and named graphs)."""
        graphs = graphs or [NamedNode("urn:lifecat:no-graph")]  # no graph at all, not every graph
        return self.store.query(queries.load(f"pages/{name}"), default_graph=graphs,
                                named_graphs=graphs,
                                substitutions={Variable(k): v for k, v in bindings.items()})

    def select(self, name: str, graphs: list[NamedNode], **bindings: Any) -> list[dict[str, Any]]:
        """The rows of a SELECT query (see :meth:`query`), unbound variables left out."""
        answer = self.query(name, graphs, **bindings)
        return [{v.value: row[v] for v in answer.variables if row[v] is not None} for row in answer]

    def source_name(self, graph: NamedNode) -> str:
        """The source a graph holds: ``{base}graph/{source}`` → ``source``."""
        return graph.value.removeprefix(self.mint.graph("").value)


Deriver = Callable[[DeriveContext], None]

#: The derivers, run in this order on every build. Statements added to the meta graph come before
#: the dumps, so the dumps hold them; the catalogue's files come last, to describe the dumps.
DERIVERS: list[Deriver] = [
    search_index.derive,  # search.sqlite: keyword search, facets, identifier lookup, sitemaps
    catalog.record_catalogue,
    void.write_void,
    dumps.write_dumps,
    catalog.finish_catalogue,
]


def derive_all(context: DeriveContext) -> None:
    for deriver in DERIVERS:
        deriver(context)

"""Artifacts derived from a finished store generation, written into its folder before the swap.

Each deriver reads the new store and writes files beside it; the build runs them all, in order, so a
generation is only served once everything derived from it exists. Add a deriver to ``DERIVERS``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from lifecat.graph import search_index
from lifecat.mappings import Minter
from pyoxigraph import Store

from lifecat.config import Settings


@dataclass(frozen=True)
class DeriveContext:
    """What a deriver gets: the new store, its folder, the settings and the minter."""

    store: Store
    directory: Path
    settings: Settings
    mint: Minter


Deriver = Callable[[DeriveContext], None]

#: The derivers, run in this order on every build.
DERIVERS: list[Deriver] = [
    search_index.derive,  # search.sqlite: keyword search, facets, identifier lookup, sitemaps
]


def derive_all(context: DeriveContext) -> None:
    for deriver in DERIVERS:
        deriver(context)

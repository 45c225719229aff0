"""Counting where the graph joins sources: record nodes that two or more source graphs mention."""

from __future__ import annotations

from collections import Counter

from pyoxigraph import NamedNode, Store, Variable

from lifecat import queries
from lifecat.core import identifiers

#: Which graphs mention a node (as subject or object); public source graphs only.
GRAPHS_OF = """SELECT DISTINCT ?g ?node WHERE { GRAPH ?g { { ?node ?p ?o } UNION { ?s ?p ?node } } }"""


def joined(store: Store, base: str) -> dict[str, int]:
    """Every record node mentioned in two or more public source graphs → how many."""
    rows = store.query(queries.load("pages/cross_source_links"))
    return {row["node"].value: int(row["graphs"].value) for row in rows if row["node"].value.startswith(base)}


def by_scheme(nodes: dict[str, int], base: str) -> Counter[str]:
    """How many joined nodes each identifier scheme minted (DOI, PubMed id, ORCID, ROR id, …)."""
    counts: Counter[str] = Counter()
    for uri in nodes:
        kind, _, key = uri[len(f"{base}id/"):].partition("/")
        counts[identifiers.scheme_of(kind, key) or kind] += 1
    return counts


def graphs_of(store: Store, node: NamedNode, base: str) -> set[str]:
    """The source names whose public graphs mention ``node`` (lifecat's own graphs left out)."""
    prefix = f"{base}graph/"
    rows = store.query(GRAPHS_OF, substitutions={Variable("node"): node})
    names = {row["g"].value[len(prefix):] for row in rows}
    return {n for n in names if n not in ("meta", "references") and not n.startswith("quarantine/")}


def pairs(store: Store, base: str, nodes: dict[str, int]) -> Counter[tuple[str, str]]:
    """For the joined ``nodes``: how many each (identifier scheme, sources joined) pair counts."""
    counts: Counter[tuple[str, str]] = Counter()
    for uri in nodes:
        kind, _, key = uri[len(f"{base}id/"):].partition("/")
        sources = "+".join(sorted(graphs_of(store, NamedNode(uri), base)))
        counts[(identifiers.scheme_of(kind, key) or kind, sources)] += 1
    return counts

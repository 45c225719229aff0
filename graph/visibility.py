"""Which graphs anonymous readers may see: one rule for the endpoint and every derived artifact.

Quarantine graphs are always private, and so are the graphs a store stages a change under;
``private_graphs`` in the settings adds IRI prefixes. The
SPARQL endpoint, the search index, the sitemaps, the dumps, VoID and the catalogue all ask here.

>>> private = private_prefixes("http://ex/", ["http://ex/graph/secret"])
>>> is_public("http://ex/graph/src", private), is_public("http://ex/graph/quarantine/src", private)
(True, False)
>>> is_public("http://ex/graph/secret", private)
False
"""

from __future__ import annotations

from collections.abc import Iterable

from pyoxigraph import NamedNode, Store


def private_prefixes(base: str, configured: Iterable[str] = ()) -> tuple[str, ...]:
    """The IRI prefixes of private graphs: the quarantine and staging graphs and the ``configured`` ones."""
    return (f"{base}graph/quarantine/", staging_prefix(base), *configured)


def staging_prefix(base: str) -> str:
    """Where a store stages the graphs of a change before it swaps them in."""
    return f"{base}graph/staging/"


def is_public(graph: str, private: tuple[str, ...]) -> bool:
    """Whether anonymous readers may see the graph named ``graph``."""
    return not graph.startswith(private)


def public_graphs(store: Store, private: tuple[str, ...]) -> list[NamedNode]:
    """The store's public named graphs, by IRI."""
    graphs = (g for g in store.named_graphs() if isinstance(g, NamedNode) and is_public(g.value, private))
    return sorted(graphs, key=lambda g: g.value)

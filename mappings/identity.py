"""Cross-source identity in a record: a thing's node, its strong identifiers, ``owl:sameAs`` between them.

Nodes are minted from strong identifiers by :mod:`lifecat.core.identifiers`, the same in every
source, so a publication cited by a Bioregistry resource and listed in the preprints file is one
node, whose statements stay apart in each source's named graph. When a record knows two strong
identifiers of one thing (a DOI and a PubMed id, a BioSample and an SRA sample accession, an NCT
number and an EudraCT number), the node is minted from the preferred one and ``owl:sameAs``-linked to
the node the other would mint, so that a source knowing only the other still meets it.
"""

from __future__ import annotations

from collections.abc import Iterable

from pyoxigraph import NamedNode

from lifecat.core.identifiers import SCHEMES, uri
from lifecat.core.uris import Minter
from lifecat.core.vocab import OWL, SCHEMA
from lifecat.mappings.rdf import Record


def describe(rec: Record, mint: Minter, ids: Iterable[tuple[str, object]], *, field: str,
             node: NamedNode | None = None) -> NamedNode | None:
    """Mint the node of a thing from its strong ids (best first) and state each id on it.

    Each id becomes a ``schema:identifier`` and, where it resolves, a ``schema:sameAs`` link; an id
    that would mint another node is ``owl:sameAs``-linked to it. ``node`` is the record's own node
    when the mapping minted it already. Returns the node, or ``None`` when no id is valid.

    >>> rec = Record("x", NamedNode("http://lc/id/x"), "x")
    >>> describe(rec, Minter("http://lc/"), [("doi", "10.1000/A"), ("pubmed", "12")], field="pub")
    <NamedNode value=http://lc/id/article/10.1000/a>
    >>> sorted(t.object.value for t in rec.triples)[:3]
    ['http://lc/id/article/pubmed:12', 'https://doi.org/10.1000/a', 'https://doi.org/10.1000/a']
    """
    found = []
    for name, raw in ids:
        scheme = SCHEMES[name]
        value = scheme.normalise(str(raw)) if raw not in (None, "") else None
        if value:
            found.append((scheme, value))
    if not found:
        return None
    primary = node or mint.record(found[0][0].kind, found[0][0].key.format(found[0][1]))
    for scheme, value in found:
        rec.text(primary, SCHEMA.identifier, scheme.identifier.format(value))
        rec.link(primary, SCHEMA.sameAs, scheme.resolver(value), field=field)
        other = mint.record(scheme.kind, scheme.key.format(value))
        if other != primary and scheme.kind == found[0][0].kind:
            rec.add(primary, OWL.sameAs, other)
    return primary


def same_as(rec: Record, node: NamedNode, mint: Minter, ids: Iterable[tuple[str, object]]) -> None:
    """Link ``node`` with ``owl:sameAs`` to the nodes its other strong ids would mint.

    >>> rec = Record("x", NamedNode("http://lc/id/x"), "x")
    >>> same_as(rec, NamedNode("http://lc/id/article/10.1000/a"), Minter("http://lc/"), [("pubmed", "12")])
    >>> [t.object.value for t in rec.triples]
    ['http://lc/id/article/pubmed:12']
    """
    for scheme, value in ids:
        other = uri(mint, scheme, value)
        if other is not None and other != node:
            rec.add(node, OWL.sameAs, other)

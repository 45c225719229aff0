"""Minimal records for nodes that are only referred to, so that every ``{base}id/`` IRI answers.

Records link to things no source describes: the PubMed Central id of a resource's publication, the
parent of a ROR organisation, a trial's id in another registry. Those links are lifecat IRIs all the
same, and a link must lead somewhere. So every build ends with this stage: each ``{base}id/`` IRI that
a public graph names (as an object) but that no public graph describes (as a subject) gets a minimal
record in a public graph of its own, ``{base}graph/references``:

- its type, from its kind (``article`` → ``schema:ScholarlyArticle``, ``person`` → ``schema:Person``…);
- ``schema:identifier``, the identifier its key was minted from (``pmc:PMC6323947``, a ROR URL…);
- ``schema:name``: the name a record that is ``owl:sameAs``/``schema:sameAs`` it gives, else the
  identifier's scheme and value (``PubMed 31142266``);
- ``schema:url`` and ``schema:sameAs``: where the identifier resolves, when lifecat knows;
- ``dct:conformsTo lifecat:MinimalRecord``, which tells a minimal record from a described one.

A node that any source describes gets none: records win. The references graph is replaced by every
build in the same change as the sources it is computed from, so it never lags them; the graphs a
build keeps (sources not rebuilt, graphs written through the Graph Store Protocol) are read from the
store and count too. Writes between builds leave it as it is until the next build.

>>> from lifecat.core.uris import Minter
>>> mint = Minter("http://lc/")
>>> refs = References(mint)
>>> tool, paper = mint.record("tool", "x"), mint.record("article", "pubmed:31142266")
>>> _ = list(refs.watch([Quad(tool, SCHEMA.citation, paper, mint.graph("s"))]))
>>> sorted(str(q.object) for q in refs.records())[:3]
['"PubMed 31142266"', '"pubmed:31142266"', '<http://schema.org/ScholarlyArticle>']
"""

from __future__ import annotations

import tempfile
from collections import defaultdict
from collections.abc import Iterable, Iterator
from itertools import chain
from urllib.parse import unquote

from pyoxigraph import Literal, NamedNode, Quad, RdfFormat, Triple, parse

from lifecat.core.identifiers import SCHEMES, scheme_of
from lifecat.core.uris import Minter
from lifecat.core.vocab import DCT, LIFECAT, OWL, RDF, SCHEMA
from lifecat.graph.store import Change, Store
from lifecat.graph.visibility import is_public, private_prefixes
from lifecat.mappings.bioschemas import RECORD_TYPES

#: The source name of the references graph: ``{base}graph/references``.
SOURCE = "references"
#: The type of a minimal record of each kind: the best Bioschemas type minting that kind, and the rest.
KIND_TYPES: dict[str, NamedNode] = {kind: cls for cls, kind, _ in reversed(RECORD_TYPES)} | {
    "registry": SCHEMA.DataCatalog, "collection": SCHEMA.Collection, "study": SCHEMA.ResearchProject}
#: How a label names each identifier scheme (``PubMed 31142266``); others by the scheme's name.
TITLES = {"doi": "DOI", "arxiv": "arXiv", "pubmed": "PubMed", "pmc": "PubMed Central", "orcid": "ORCID",
          "ror": "ROR", "biotools": "bio.tools", "sample": "BioSample", "sequence": "INSDC sequence",
          "run": "INSDC run", "study": "INSDC study", "trial": "Trial", "bioregistry": "Bioregistry"}
SAME_AS = (OWL.sameAs, SCHEMA.sameAs)


def graph(mint: Minter) -> NamedNode:
    """The references graph."""
    return mint.graph(SOURCE)


class References:
    """What the public quads of a build state: the ``{base}id/`` nodes described, those referred to,
    their names, and which nodes say they are the same as which."""

    def __init__(self, mint: Minter, private: tuple[str, ...] | None = None) -> None:
        self.mint = mint
        self.private = private_prefixes(mint.base) if private is None else private
        self.prefix = f"{mint.base}id/"
        self.described: set[str] = set()
        self.referred: set[str] = set()
        self.names: dict[str, str] = {}
        self.aliases: dict[str, set[str]] = defaultdict(set)

    def watch(self, quads: Iterable[Quad]) -> Iterator[Quad]:
        """``quads``, unchanged, noting what those of public graphs state."""
        for quad in quads:
            if is_public(quad.graph_name.value, self.private):  # type: ignore[union-attr]
                self.note(quad.triple)
            yield quad

    def note(self, triple: Triple) -> None:
        """Note one public statement."""
        subject, predicate, obj = triple.subject, triple.predicate, triple.object
        ours = isinstance(subject, NamedNode) and subject.value.startswith(self.prefix)
        if ours:
            self.described.add(subject.value)
            if predicate == SCHEMA.name and isinstance(obj, Literal):
                self.names.setdefault(subject.value, obj.value)
        if isinstance(obj, NamedNode) and obj.value.startswith(self.prefix):
            node = obj.value.partition("#")[0]  # a fragment is a part of its record's page
            self.referred.add(node)
            if ours and predicate in SAME_AS:
                self.aliases[node].add(subject.value)

    def records(self) -> Iterator[Quad]:
        """The minimal record of every node referred to and described by no one."""
        target = graph(self.mint)
        for node in sorted(self.referred - self.described):
            kind, _, key = node.removeprefix(self.prefix).partition("/")
            if not key:
                continue  # no record IRI: ``{base}id/{kind}/`` names no record
            for predicate, value in self._minimal(node, kind, unquote(key)):
                yield Quad(NamedNode(node), predicate, value, target)

    def _minimal(self, node: str, kind: str, key: str) -> list[tuple[NamedNode, NamedNode | Literal]]:
        scheme = scheme_of(kind, key)
        entry = SCHEMES[scheme] if scheme else None
        value = key.removeprefix(entry.key.split("{}")[0]) if entry else key
        identifier = entry.identifier.format(value) if entry else key
        named = sorted(self.names[alias] for alias in self.aliases.get(node, ()) if alias in self.names)
        label = named[0] if named else f"{TITLES.get(scheme or '', scheme or kind)} {value}"
        rows: list[tuple[NamedNode, NamedNode | Literal]] = [
            (RDF.type, KIND_TYPES.get(kind, SCHEMA.Thing)),
            (DCT.conformsTo, LIFECAT.MinimalRecord),
            (SCHEMA.identifier, Literal(identifier)),
            (SCHEMA.name, Literal(label)),
        ]
        resolver = entry.resolver(value) if entry else None
        if resolver:
            rows += [(SCHEMA.url, NamedNode(resolver)), (SCHEMA.sameAs, NamedNode(resolver))]
        return rows


def completing(change: Change, store: Store) -> Change:
    """A build's ``change``, also replacing the references graph with the minimal records of the
    state it leaves: its own public quads and those of the public graphs it keeps."""
    refs = References(store.mint, store.private)
    target = graph(store.mint)
    kept = [g for g in (store.graphs() if store.exists() else [])
            if store.is_public(g.value) and g not in change.graphs and g != target]

    def quads() -> Iterator[Quad]:
        yield from refs.watch(change.quads)
        for triple in chain.from_iterable(_triples(store, g) for g in kept):
            refs.note(triple)
        yield from refs.records()

    return Change(quads(), replace=change.replace | {target}, edit=change.edit)


def _triples(store: Store, kept: NamedNode) -> Iterator[Triple]:
    """The triples of one graph the change keeps, read from the store as it is."""
    with tempfile.TemporaryFile() as dump:
        store.dump(kept, dump)
        dump.seek(0)
        yield from parse(dump, format=RdfFormat.N_TRIPLES)

"""Labels for the vocabulary terms records use, written into the graph so that every reader sees the
same names.

Records name their types, licences and EDAM topics, operations, formats and data by IRI. On every
change the deriver :func:`derive` finds the terms the new state uses
(``queries/pages/vocabulary_terms.rq``) and adds to the meta graph an ``rdfs:label`` for each one a
label table names:

- schema.org, Bioschemas and DCAT terms: ``ontologies/labels/types.ttl``;
- EDAM terms: the preferred labels of the EDAM release the ``edam-ontology`` package ships. EDAM is
  CC BY-SA 4.0, which the meta graph says of the EDAM term set; each EDAM term is a
  ``schema:DefinedTerm`` in that set, as Bioschemas cites them;
- licences: the SPDX name of the licence an IRI stands for (SPDX, Creative Commons and other licence
  pages: :func:`~lifecat.mappings.licences.licence_name`). A licence IRI without one is no known
  licence: the search facet groups those as other terms.

The labels live in the graph, not in a lookup beside it, so record pages (``pages/labels.rq``), the
search facets, the embedded JSON-LD, the dumps and SPARQL users all read the same statements, on
either store. They go to the meta graph because every change (a build of some sources, a write)
rewrites it, so they follow the data atomically; only terms in use are labelled, to keep it small.

>>> labels = labels_for(["http://edamontology.org/topic_0080", "http://schema.org/SoftwareApplication",
...                      "https://creativecommons.org/licenses/by/4.0/", "https://example.org/terms.html"])
>>> for term, label in sorted(labels.items()):
...     print(term, "→", label)
http://edamontology.org/topic_0080 → Sequence analysis
http://schema.org/SoftwareApplication → Computational tool
https://creativecommons.org/licenses/by/4.0/ → Creative Commons Attribution 4.0 International
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from functools import cache
from importlib.resources import files
from typing import TYPE_CHECKING

from edam_ontology.streams import tabular_stream
from pyoxigraph import Literal, NamedNode, Quad, RdfFormat, parse

from lifecat.core.vocab import DCT, EDAM, RDF, RDFS, SCHEMA
from lifecat.mappings.licences import licence_name

if TYPE_CHECKING:
    from lifecat.graph.derive import DeriveContext

#: The EDAM term set, and the licence of its labels.
EDAM_SET = NamedNode("http://edamontology.org")
EDAM_LICENCE = NamedNode("https://creativecommons.org/licenses/by-sa/4.0/")


@cache
def type_labels() -> dict[str, str]:
    """Labels of the schema.org, Bioschemas and DCAT terms lifecat uses, from its label table."""
    table = files("lifecat.ontologies") / "labels" / "types.ttl"
    return {t.subject.value: t.object.value for t in parse(table.read_bytes(), format=RdfFormat.TURTLE)
            if t.predicate == RDFS.label}


def edam_labels() -> dict[str, str]:
    """The preferred label of every EDAM term (read when a state uses EDAM terms: 2 MB of TSV)."""
    with tabular_stream() as stream:
        return {row["Class ID"]: row["Preferred Label"] for row in csv.DictReader(stream, delimiter="\t")
                if row["Class ID"].startswith(EDAM.iri) and row["Preferred Label"]}


def labels_for(terms: Iterable[str]) -> dict[str, str]:
    """The label of each of ``terms`` a table names."""
    terms = set(terms)
    edam = edam_labels() if any(t.startswith(EDAM.iri) for t in terms) else {}
    found = {}
    for term in terms:
        label = type_labels().get(term) or edam.get(term) or licence_name(term)
        if label:
            found[term] = label
    return found


def label_quads(terms: Iterable[str], graph: NamedNode) -> Iterator[Quad]:
    """The statements naming ``terms`` (those a table names), in ``graph``.

    >>> quads = list(label_quads(["http://edamontology.org/format_1930"], NamedNode("http://ex/graph/meta")))
    >>> for q in quads:
    ...     if q.predicate == RDFS.label:
    ...         print(q.subject.value, q.object.value, sep=" → ")
    http://edamontology.org/format_1930 → FASTQ
    https://creativecommons.org/licenses/by-sa/4.0/ → Creative Commons Attribution Share Alike 4.0 ...
    http://edamontology.org → EDAM ontology
    >>> [q.object.value for q in quads if q.predicate == RDF.type]
    ['http://schema.org/DefinedTerm', 'http://schema.org/DefinedTermSet']
    """
    terms = set(terms)
    edam_used = any(t.startswith(EDAM.iri) for t in terms)
    if edam_used:
        terms.add(EDAM_LICENCE.value)
    for term, label in sorted(labels_for(terms).items()):
        node = NamedNode(term)
        yield Quad(node, RDFS.label, Literal(label, language="en"), graph)
        if term.startswith(EDAM.iri):
            yield Quad(node, RDF.type, SCHEMA.DefinedTerm, graph)
            yield Quad(node, SCHEMA.inDefinedTermSet, EDAM_SET, graph)
    if edam_used:
        yield Quad(EDAM_SET, RDFS.label, Literal("EDAM ontology", language="en"), graph)
        yield Quad(EDAM_SET, RDF.type, SCHEMA.DefinedTermSet, graph)
        yield Quad(EDAM_SET, DCT.license, EDAM_LICENCE, graph)


def derive(context: DeriveContext) -> None:
    """The deriver: label, in the meta graph, the vocabulary terms the new state uses."""
    terms = {row["term"].value for row in context.select("vocabulary_terms", context.public_graphs())}
    context.snapshot.add(list(label_quads(terms, context.mint.meta_graph)))


def read_labels(context: DeriveContext, terms: Iterable[str]) -> dict[str, str]:
    """The labels the new state gives ``terms`` (for derived artifacts, such as the search facets)."""
    chosen = [NamedNode(t) for t in sorted(set(terms))]
    if not chosen:
        return {}
    rows = context.select("term_labels", context.public_graphs(), terms=chosen)
    return {row["term"].value: row["label"].value for row in rows}

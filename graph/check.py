"""Checking a provider's metadata against profiles, before it is published: which records were
checked against what, and each finding with the property in words, its level and what to add.

Nothing checked is loaded anywhere: every profile runs over a staging store of its own, in memory,
in which every document sits in its own named graph (as a build validates records), so one pass of
the compiled shapes checks a whole folder.

- Bioschemas: a node is checked against the profile it declares (``dct:conformsTo``), else against
  the one its type implies when it is one of the things its document is about (a node no other
  node contains); a profile asked for by name applies to those nodes whatever their type.
- DCAT-AP applies to documents that describe catalogues, datasets, distributions or services.
- lifecat: a JSON-LD, RDFa or microdata document is mapped as the ``bioschemas`` format maps it,
  then validated as a build would, so the report says whether lifecat would load each record;
  other RDF is validated as it is.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import rdflib
from pyoxigraph import BlankNode, Literal, NamedNode, Store, Triple
from rdflib.namespace import SH as RDFLIB_SH

from lifecat.core.uris import Minter
from lifecat.core.vocab import DCT, RDF, SCHEMA
from lifecat.graph.build import staging_graph
from lifecat.graph.markup import Document
from lifecat.graph.profiles import (
    DCAT_CLASSES,
    VIOLATION,
    Part,
    Profile,
    by_type,
    declared,
    profiles,
)
from lifecat.graph.shacl import Result, staging_quad
from lifecat.mappings import bioschemas
from lifecat.mappings.rdf import RecordError

#: Where records mapped for the lifecat profile are named; nothing is published under it.
CHECK_BASE = "https://lifecat.invalid/"
#: Properties through which a page points at what it is about, or names a node by its address:
#: a node reached only through them is still a thing its document is about.
NOT_CONTAINING = bioschemas.POINTERS | bioschemas.AS_WRITTEN | {DCT.conformsTo}
#: What to do about a failed constraint, when its shape does not say: by SHACL constraint component.
ADVICE = {
    "minCount": "add {prop}",
    "maxCount": "keep one {prop} (the profile allows {n})",
    "nodeKind": "give {prop} as {kind}",
    "datatype": "write {prop} as a literal of type {n}",
    "class": "make each {prop} value a {n} (state its type)",
    "pattern": "make {prop} match {n}",
    "minLength": "give {prop} at least {n} characters",
    "node": "make each {prop} value conform to {n}",
    "or": "make each {prop} value one of the kinds the profile allows",
    "type": "add {prop}",
    "mapping": "fix {prop} so lifecat can read the record",
}
NODE_KINDS = {"IRI": "a link (IRI), not text", "Literal": "text (a literal)",
              "BlankNodeOrIRI": "a node (an IRI or a nested object), not text",
              "BlankNode": "a nested object", "IRIOrLiteral": "a link or text",
              "BlankNodeOrLiteral": "a nested object or text"}
SEVERITY = {VIOLATION: "violation", "http://www.w3.org/ns/shacl#Warning": "warning",
            "http://www.w3.org/ns/shacl#Info": "info"}


@dataclass(frozen=True)
class Checked:
    """One node checked against one profile."""

    document: str
    focus: str
    profile: str
    label: str


@dataclass(frozen=True)
class Finding:
    """One thing to act on: where, against what, at which level, what was found and what to add."""

    document: str
    focus: str
    label: str
    profile: str
    level: str
    severity: str
    property: str
    path: str
    component: str
    found: str
    advice: str
    value: str | None = None


@dataclass
class Report:
    """Everything a check found, in the order it was found."""

    documents: list[str] = field(default_factory=list)
    checked: list[Checked] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    notes: list[tuple[str, str]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def conforms(self) -> bool:
        """Whether nothing blocks: every input read, and no finding at a profile's strictest level."""
        return not self.errors and not any(f.severity == "violation" for f in self.findings)

    def failed(self, severities: Iterable[str]) -> bool:
        """Whether an input failed to read, or a finding has one of ``severities``."""
        wanted = set(severities)
        return bool(self.errors) or any(f.severity in wanted for f in self.findings)


def check(documents: list[Document], chosen: list[Profile] | None = None) -> Report:
    """Check ``documents`` against the ``chosen`` profiles, or against those each record declares or
    its type implies, DCAT-AP where there is DCAT, and lifecat's own."""
    report = Report(documents=[d.locator for d in documents])
    if not documents:
        return report
    families = {p.family for p in chosen} if chosen else {"bioschemas", "dcat-ap", "lifecat"}
    if "bioschemas" in families:
        _bioschemas(documents, [p for p in chosen or () if p.family == "bioschemas"], report)
    if "dcat-ap" in families:
        _dcat_ap(documents, forced=bool(chosen), report=report)
    if "lifecat" in families:
        _lifecat(documents, report)
    for document in documents:
        if not any(c.document == document.locator for c in report.checked):
            report.notes.append((document.locator, "no record of a profile's type to check"))
    return report


def _bioschemas(documents: list[Document], forced: list[Profile], report: Report) -> None:
    """Each record against its Bioschemas profile(s)."""
    targets: dict[str, list[tuple[int, NamedNode | BlankNode]]] = defaultdict(list)
    added: dict[int, list[Triple]] = defaultdict(list)
    for index, document in enumerate(documents):
        nodes = _Nodes(document.triples)
        for node in nodes.subjects:
            chosen: list[Profile] = []
            if forced:
                if node in nodes.roots:
                    chosen = forced
                    for profile in forced:
                        target = profile.targets[0]
                        if target not in nodes.types[node]:
                            added[index].append(Triple(node, RDF.type, target))
                            report.findings.append(_untyped(document, node, nodes, profile))
            else:
                for iri in nodes.conforms_to[node]:
                    profile, note = declared(iri)
                    if note:
                        report.notes.append((document.locator, f"{nodes.describe(node)} {note}"))
                    if profile:
                        chosen.append(profile)
                if not chosen and node in nodes.roots:
                    chosen = by_type(nodes.types[node])
            for profile in dict.fromkeys(chosen):
                targets[profile.key].append((index, node))
                report.checked.append(Checked(document.locator, _term(node), profile.title,
                                              nodes.describe(node)))
    for key, focus in targets.items():
        profile = profiles()[key]
        wanted = {(staging_graph(index), node) for index, node in focus}
        staging, read = _staging(documents, sorted({i for i, _ in focus}), added), _Read(documents)
        for part in profile.parts:
            for result in part.compiled.validate(staging):
                if (result.graph, result.focus) in wanted:
                    report.findings.append(_finding(read, result, profile, part))


def _dcat_ap(documents: list[Document], *, forced: bool, report: Report) -> None:
    """DCAT-AP over the documents that describe DCAT resources (every document, when asked for)."""
    profile = profiles()["dcat-ap-3.0.1"]
    chosen = []
    for index, document in enumerate(documents):
        nodes = _Nodes(document.triples)
        described = [n for n in nodes.subjects if nodes.types[n] & DCAT_CLASSES]
        if described or forced:
            chosen.append(index)
        for node in described:
            report.checked.append(Checked(document.locator, _term(node), profile.title, nodes.describe(node)))
    if not chosen:
        return
    staging, read = _staging(documents, chosen, {}), _Read(documents)
    for part in profile.parts:
        for result in part.compiled.validate(staging):
            report.findings.append(_finding(read, result, profile, part))


def _lifecat(documents: list[Document], report: Report) -> None:
    """Whether lifecat would load each record: markup mapped as the ``bioschemas`` format maps it,
    other RDF as it is; then lifecat's shapes, as a build runs them."""
    profile = profiles()["lifecat"]
    mint = Minter(CHECK_BASE)
    staged: list[tuple[Document, list[Triple]]] = []
    for document in documents:
        if document.json_ld is None:
            staged.append((document, document.triples))
            nodes = _Nodes(document.triples)
            report.checked.extend(Checked(document.locator, _term(n), profile.title, nodes.describe(n))
                                  for n in nodes.roots)
            continue
        try:
            records = bioschemas.records_of(document.json_ld, mint)
        except RecordError as error:
            records = [error]
        for n, record in enumerate(records, start=1):
            if isinstance(record, RecordError):
                where = f"{document.locator} record {n}"
                report.checked.append(Checked(document.locator, where, profile.title, "a record"))
                report.findings.append(Finding(
                    document.locator, where, "a record", profile.title, "refused", "violation",
                    record.field, record.field, "mapping", f"lifecat cannot read it: {record.message}",
                    ADVICE["mapping"].format(prop=f"`{record.field}`")))
                continue
            mapped = Document(document.locator, document.syntax, record.triples)
            staged.append((mapped, record.triples))
            nodes = _Nodes(record.triples)
            report.checked.append(Checked(document.locator, nodes.published(record.uri), profile.title,
                                          f"a {record.kind} record"))
            for where, note in record.notes:
                report.notes.append((document.locator, f"{nodes.published(record.uri)}: {where}: {note}"))
    if not staged:
        return
    mapped_documents = [d for d, _ in staged]
    staging = _staging(mapped_documents, list(range(len(mapped_documents))), {})
    read = _Read(mapped_documents)
    for part in profile.parts:
        for result in part.compiled.validate(staging):
            report.findings.append(_finding(read, result, profile, part))


def _staging(documents: list[Document], indexes: list[int], added: dict[int, list[Triple]]) -> Store:
    """A staging store of the documents, literals kept as written (:func:`staging_quad`)."""
    staging = Store()
    staging.bulk_extend(staging_quad(t, staging_graph(i))
                        for i in indexes for t in [*documents[i].triples, *added.get(i, ())])
    return staging


class _Nodes:
    """A document's nodes: their types, declared profiles, and which ones it is about."""

    def __init__(self, triples: list[Triple]) -> None:
        self.triples = triples
        self.types: dict[NamedNode | BlankNode, set[NamedNode]] = defaultdict(set)
        self.conforms_to: dict[NamedNode | BlankNode, list[str]] = defaultdict(list)
        self.names: dict[NamedNode | BlankNode, str] = {}
        self.same_as: dict[NamedNode | BlankNode, str] = {}
        contained = set()
        for s, p, o in triples:
            self.types.setdefault(s, set())  # every subject is listed, typed or not
            if p == RDF.type and isinstance(o, NamedNode):
                self.types[s].add(o)
            elif p == DCT.conformsTo and isinstance(o, NamedNode):
                self.conforms_to[s].append(o.value)
            elif p in (SCHEMA.name, DCT.title) and isinstance(o, Literal):
                self.names.setdefault(s, o.value)
            elif p == SCHEMA.sameAs and isinstance(o, NamedNode):
                self.same_as.setdefault(s, o.value)
            if p not in NOT_CONTAINING and o != s:
                contained.add(o)
        self.subjects = list(self.types)
        self.roots = [s for s in self.subjects if self.types[s] and s not in contained]

    def describe(self, node: object) -> str:
        """A node in words: its type and name."""
        kinds = sorted(_local(t.value) for t in self.types.get(node, ()))  # type: ignore[arg-type]
        name = self.names.get(node)  # type: ignore[arg-type]
        kind = "/".join(kinds) or "node"
        return f"{kind} {name[:80]!r}" if name else f"a {kind}"

    def published(self, node: NamedNode) -> str:
        """The publisher's name for a mapped node (its ``sameAs``), else lifecat's."""
        return self.same_as.get(node, node.value)


class _Read(dict[int, "_Nodes"]):
    """The documents' nodes by staging index, each read once however many findings it has."""

    def __init__(self, documents: list[Document]) -> None:
        super().__init__()
        self.documents = documents

    def __missing__(self, index: int) -> _Nodes:
        self[index] = _Nodes(self.documents[index].triples)
        return self[index]


def _finding(read: _Read, result: Result, profile: Profile, part: Part) -> Finding:
    index = int(result.graph.value.rsplit(":", 1)[1])
    document, nodes = read.documents[index], read[index]
    path = _path_text(result)
    severity = result.severity.value
    key = (part.paths, result.shape.value, result.component, path, severity)
    words, message, advice = _words(*key)
    component = result.component
    value = _term(result.value) if result.value is not None else None
    found = message or result.message
    if value is not None and value not in found:
        found = f"{found}: {value[:200]}"
    if not advice:
        advice = ADVICE.get(component, "see the profile for {prop}").format(
            prop=f"`{_prefixed(path)}`" if path else "the node", n=_constraint_value(*key, component),
            kind=NODE_KINDS.get(_constraint_value(*key, "nodeKind"), "the kind expected"))
    focus = nodes.published(result.focus) if isinstance(result.focus, NamedNode) else _term(result.focus)
    return Finding(document.locator, focus, nodes.describe(result.focus), profile.title,
                   part.levels.get(severity, "?"), SEVERITY.get(severity, severity),
                   words or _prefixed(path) or "the node itself",
                   path, component, found, advice, value)


def _untyped(document: Document, node: NamedNode | BlankNode, nodes: _Nodes, profile: Profile) -> Finding:
    target = profile.targets[0].value
    return Finding(document.locator, _term(node), nodes.describe(node), profile.title, "minimum", "violation",
                   "type", RDF.type.value, "type",
                   f"not typed {_prefixed(target)}, the type the profile describes",
                   f"add \"@type\": \"{_local(target)}\"")


@cache
def _words(paths: tuple[Path, ...], node_shape: str, component: str, path: str, severity: str
           ) -> tuple[str | None, str | None, str | None]:
    """The property shape's own words for a result: its name, message and advice (``sh:description``)."""
    shapes = Part(paths, {}).graph
    for shape in _property_shapes(shapes, node_shape, component, path, severity):
        values = [shapes.value(shape, p) for p in (RDFLIB_SH.name, RDFLIB_SH.message, RDFLIB_SH.description)]
        return tuple(str(v) if v is not None else None for v in values)  # type: ignore[return-value]
    return None, None, None


def _property_shapes(shapes: rdflib.Graph, node_shape: str, component: str, path: str, severity: str
                     ) -> Iterator[rdflib.term.Node]:
    """The property shapes of a node shape on ``path`` that have the constraint ``component``."""
    for shape in shapes.objects(rdflib.URIRef(node_shape), RDFLIB_SH.property):
        if (shapes.value(shape, rdflib.URIRef(str(RDFLIB_SH) + component)) is not None
                and str(shapes.value(shape, RDFLIB_SH.path)) == path
                and str(shapes.value(shape, RDFLIB_SH.severity) or VIOLATION) == severity):
            yield shape


@cache
def _constraint_value(paths: tuple[Path, ...], node_shape: str, component: str, path: str, severity: str,
                      parameter: str) -> str:
    """The value of a result's constraint (the class, datatype, count…), for advice."""
    shapes = Part(paths, {}).graph
    for shape in _property_shapes(shapes, node_shape, component, path, severity):
        value = shapes.value(shape, rdflib.URIRef(str(RDFLIB_SH) + parameter))
        if value is not None:
            return _local(str(value)) if isinstance(value, rdflib.URIRef) else str(value)
    return "?"


def _path_text(result: Result) -> str:
    """A result's path as SPARQL writes it (``^<p>`` for an inverse path); empty for a node shape's
    own constraint."""
    return "" if result.path is None else result.path.value


def _term(term: object) -> str:
    if isinstance(term, NamedNode):
        return term.value.removeprefix(bioschemas.RELATIVE)
    if isinstance(term, BlankNode):
        return f"_:{term.value}"
    if isinstance(term, Literal):
        return term.value
    return str(term)


#: Prefixes used to write properties in advice.
PREFIXED = {"http://schema.org/": "", "http://purl.org/dc/terms/": "dct:",
            "http://www.w3.org/ns/dcat#": "dcat:",
            "http://xmlns.com/foaf/0.1/": "foaf:", "http://www.w3.org/ns/adms#": "adms:",
            "http://www.w3.org/1999/02/22-rdf-syntax-ns#": "rdf:", "http://www.w3.org/ns/prov#": "prov:",
            "http://www.w3.org/2006/vcard/ns#": "vcard:", "http://www.w3.org/ns/odrl/2/": "odrl:",
            "http://spdx.org/rdf/terms#": "spdx:", "http://www.w3.org/2004/02/skos/core#": "skos:",
            "http://data.europa.eu/r5r/": "dcatap:", "http://www.w3.org/2000/01/rdf-schema#": "rdfs:",
            "http://www.w3.org/2001/XMLSchema#": "xsd:", "http://www.w3.org/ns/locn#": "locn:"}


def _prefixed(iri: str) -> str:
    """``iri`` as markup writes it: schema.org terms bare, others with their usual prefix."""
    for namespace, prefix in PREFIXED.items():
        if iri.startswith(namespace):
            return prefix + iri[len(namespace):]
    return iri


def _local(iri: str) -> str:
    return iri.rstrip("/#").rsplit("#", 1)[-1].rsplit("/", 1)[-1]

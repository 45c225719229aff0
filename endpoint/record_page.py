"""What a record page shows, gathered from the store: the record's statements with labels, where it
came from, whether it validated, who links to it, and its Bioschemas JSON-LD.

Everything is driven by the RDF, so a record of any kind (and any source) gets the same page.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field, replace

from pyoxigraph import Literal, NamedNode, Triple

from lifecat.core.identifiers import SCHEMES, orcid_url, ror
from lifecat.core.vocab import DESCRIPTIONS, IDENTIFIERS, LABELS, LICENCES, RDF, SH
from lifecat.endpoint import dublin_core, jsonld
from lifecat.endpoint.dublin_core import Meta
from lifecat.endpoint.jsonld import Linked
from lifecat.endpoint.signposting import Signpost
from lifecat.endpoint.terms import TermView, compact, identifier_link, inverse_label, web_link
from lifecat.graph.store import Store


@dataclass
class PropertyView:
    """One property of a node and its values, ready for the template."""

    predicate: TermView
    values: list[TermView]


@dataclass
class NodeView:
    """The record, or one of its ``#fragment`` sub-nodes."""

    iri: str
    anchor: str
    types: list[TermView]
    properties: list[PropertyView]


@dataclass
class IncomingGroup:
    """Records linking to this one through one property, a page of them at a time."""

    predicate: TermView
    label: str
    total: int
    items: list[TermView]
    page: int
    pages: int


@dataclass
class Load:
    """A source graph the record is in, and the latest load of that graph."""

    source: str
    graph: str
    activity: str | None
    ended: str | None


#: A SHACL severity as a page names it.
LEVELS = {SH.Violation.value: "problem", SH.Warning.value: "warning", SH.Info.value: "note"}
#: The headings findings are listed under, in order: (level, says a property is missing, heading).
GROUPS = [
    ("problem", None, "Problems"),
    ("warning", True, "Missing, though its profile requires it"),
    ("warning", False, "Warnings"),
    ("note", True, "Missing, recommended"),
    ("note", False, "Notes"),
]


@dataclass(frozen=True)
class Finding:
    """One validation result as the page states it: the shape's message in plain words."""

    level: str  # "problem", "warning" or "note" (sh:Violation, sh:Warning, sh:Info)
    message: str
    missing: bool  # the result says a property is missing (a minimum count not met)
    focus: str | None = None  # the node it is about, when that is not the record itself
    about: TermView | None = None  # that node as a link, labelled


@dataclass
class Validation:
    """The record's SHACL outcome: it conforms unless a violation was reported; findings listed."""

    conforms: bool
    findings: list[Finding] = field(default_factory=list)

    def count(self, level: str) -> int:
        """How many findings of ``level`` there are.

        >>> Validation(True, [Finding("warning", "no homepage (schema:url)", True)]).count("warning")
        1
        """
        return sum(f.level == level for f in self.findings)

    @property
    def groups(self) -> list[tuple[str, str, list[Finding]]]:
        """The findings under their headings, as (level, heading, findings); empty groups left out.

        >>> found = [Finding("note", "no version (schema:softwareVersion)", True),
        ...          Finding("warning", "no homepage (schema:url)", True)]
        >>> [(level, heading) for level, heading, _ in Validation(True, found).groups]
        [('warning', 'Missing, though its profile requires it'), ('note', 'Missing, recommended')]
        """
        out = []
        for level, missing, heading in GROUPS:
            chosen = [f for f in self.findings
                      if f.level == level and (missing is None or f.missing == missing)]
            if chosen:
                out.append((level, heading, chosen))
        return out


@dataclass
class RecordContext:
    """Template context of ``record.html``."""

    uri: str = field(metadata={"help": "The record URI, exactly as requested."})
    title: str = field(metadata={"help": "The record's name, or its URI without one."})
    description: str | None = field(metadata={"help": "The record's description, if any."})
    types: list[TermView] = field(metadata={"help": "The record's classes, labelled."})
    identifiers: list[TermView] = field(metadata={"help": "External identifiers, as links."})
    licences: list[TermView] = field(metadata={"help": "Licences the record is under."})
    loads: list[Load] = field(metadata={"help": "Source graphs holding the record and when loaded."})
    validation: Validation = field(metadata={"help": "SHACL status of the record, its findings in "
                                             "plain words."})
    profile: str | None = field(metadata={"help": "Bioschemas profile the JSON-LD follows."})
    profile_gaps: list[str] = field(metadata={"help": "Profile minimum properties the data lacks."})
    nodes: list[NodeView] = field(metadata={"help": "The record first, then its sub-nodes."})
    incoming: list[IncomingGroup] = field(metadata={"help": "Links from other records, by property."})
    alternates: dict[str, str] = field(metadata={"help": "Media type → URL of each RDF format."})
    signposts: list[Signpost] = field(metadata={"help": "FAIR Signposting links, also sent as headers."})
    dublin_core: list[Meta] = field(metadata={"help": "Dublin Core <meta> tags, from the record's RDF."})
    jsonld: str = field(metadata={"help": "Bioschemas JSON-LD, escaped for a <script> element."})


def load(store: Store, uri: NamedNode) -> list[Triple]:
    """The record's statements and those of its ``#fragment`` sub-nodes."""
    return store.named("pages/record", record=uri).triples()


def linked(store: Store, triples: list[Triple]) -> dict[str, Linked]:
    """Labels and types of every node the record (or a sub-node) links to, ``triples`` being its
    statements."""
    nodes = sorted({t.object for t in triples if isinstance(t.object, NamedNode)}, key=str)
    if not nodes:
        return {}
    out = {}
    for row in store.named("pages/labels", nodes=nodes).solutions():
        types = tuple(row["types"].value.split()) if "types" in row else ()
        out[row["node"].value] = Linked(row["label"].value if "label" in row else None, types)
    return out


def authors(store: Store, uri: NamedNode) -> list[str]:
    """Web identifiers of the record's authors and creators, for Signposting: one per author, its
    ORCID URL, else its ROR URL, else another web IRI it is the same as. An author known only by
    its lifecat IRI has none: that IRI identifies no one elsewhere."""
    ids: dict[str, list[str]] = defaultdict(list)
    for row in store.named("pages/authors", record=uri).solutions():
        ids[row["author"].value].append(row["author"].value)
        if "id" in row:
            ids[row["author"].value].append(row["id"].value)
    return sorted({found for values in ids.values() if (found := web_identifier(values, store.mint.base))})


def web_identifier(values: list[str], base: str) -> str | None:
    """The web identifier among an agent's IRI and identifiers: ORCID, then ROR, then any web IRI
    outside lifecat (``base``).

    >>> web_identifier(["http://lc/id/organization/x", "https://ror.org/02catss52",
    ...                 "https://doi.org/10.13039/100000001"], "http://lc/")
    'https://ror.org/02catss52'
    >>> web_identifier(["http://lc/id/person/x", "javascript:alert(1)"], "http://lc/") is None
    True
    """
    elsewhere = sorted(v for v in values if web_link(v) and not v.startswith(base))
    return (orcid_url(values) or next((SCHEMES["ror"].resolver(r) for v in elsewhere if (r := ror(v))), None)
            or next(iter(elsewhere), None))


def loads(store: Store, uri: NamedNode) -> list[Load]:
    prefix = f"{store.mint.base}graph/"
    latest: dict[str, Load] = {}
    for row in store.named("pages/provenance", record=uri).solutions():
        graph = row["g"].value
        if graph not in latest and graph != store.mint.meta_graph.value:
            latest[graph] = Load(graph.removeprefix(prefix), graph,
                                 row["activity"].value if "activity" in row else None,
                                 row["ended"].value if "ended" in row else None)
    return list(latest.values())


def validation(store: Store, uri: NamedNode) -> Validation:
    """The record's validation reports, one finding per distinct result (sources may repeat one)."""
    status = Validation(conforms=True)
    seen: set[Finding] = set()
    for row in store.named("pages/validation", record=uri).solutions():
        status.conforms = status.conforms and row["conforms"].value == "true"
        if "severity" not in row or "message" not in row:
            continue
        focus = row["focus"].value if "focus" in row and row["focus"] != uri else None
        finding = Finding(LEVELS.get(row["severity"].value, "note"), row["message"].value,
                          "component" in row and row["component"] == SH.MinCountConstraintComponent,
                          focus)
        if finding not in seen:
            seen.add(finding)
            status.findings.append(finding)
    order = {level: n for n, (level, _, _) in enumerate(GROUPS)}
    status.findings.sort(key=lambda f: (order[f.level], not f.missing, f.message, f.focus or ""))
    return status


def labelled(status: Validation, uri: NamedNode, labels: dict[str, str], base: str) -> Validation:
    """``status`` with the node each finding is about as a link: a sub-node's anchor on this page,
    another record by its label."""
    findings = []
    for f in status.findings:
        about = None
        if f.focus and f.focus.startswith(f"{uri.value}#"):
            anchor = f.focus.partition("#")[2]
            about = TermView(f"#{anchor}", f.focus, f"#{anchor}")
        elif f.focus:
            about = TermView.of(NamedNode(f.focus), labels, base)
        findings.append(replace(f, about=about))
    return Validation(status.conforms, findings)


def incoming(store: Store, uri: NamedNode, *, size: int, focus: str | None, page: int
             ) -> list[IncomingGroup]:
    """Links into the record grouped by property; ``focus`` names the group shown at ``page``."""
    base, meta = store.mint.base, store.mint.meta_graph
    groups = []
    for row in store.named("pages/incoming_counts", record=uri, meta=meta).solutions():
        predicate, total = row["p"], int(row["n"].value)
        pages = max(1, math.ceil(total / size))
        current = min(page, pages) if predicate.value == focus else 1
        rows = store.named("pages/incoming", record=uri, meta=meta, p=predicate).solutions()
        items = []
        for n, item in enumerate(rows):
            if n >= current * size:
                break
            if n >= (current - 1) * size:
                labels = {item["s"].value: item["label"].value} if "label" in item else {}
                items.append(TermView.of(item["s"], labels, base))
        groups.append(IncomingGroup(TermView.of(predicate, {}, base, text=compact(predicate.value)),
                                    inverse_label(predicate.value), total, items, current, pages))
    return groups


def nodes(uri: NamedNode, triples: list[Triple], labels: dict[str, str], base: str) -> list[NodeView]:
    """The record's node first, then its sub-nodes, each property with its labelled values."""
    by_subject: dict[str, dict[str, list[NamedNode | Literal]]] = defaultdict(lambda: defaultdict(list))
    for t in triples:
        by_subject[t.subject.value][t.predicate.value].append(t.object)  # type: ignore[arg-type]
    order = [uri.value, *sorted(s for s in by_subject if s != uri.value)]
    views = []
    for subject in order:
        props = by_subject[subject]
        types = [TermView.of(t, labels, base) for t in sorted(props.get(RDF.type.value, []),
                                                                key=lambda o: o.value)]
        views.append(NodeView(
            iri=subject,
            anchor=subject.partition("#")[2],
            types=types,
            properties=[
                PropertyView(TermView.of(NamedNode(p), labels, base, text=compact(p)),
                             [TermView.of(o, labels, base) for o in sorted(values, key=lambda o: o.value)])
                for p, values in sorted(props.items(), key=lambda kv: compact(kv[0]))
                if p != RDF.type.value
            ],
        ))
    return views


def first(uri: NamedNode, triples: list[Triple], predicates: tuple[NamedNode, ...]) -> str | None:
    """The first value of the first of ``predicates`` the record has."""
    for predicate in predicates:
        values = sorted(t.object.value for t in triples if t.subject == uri and t.predicate == predicate)
        if values:
            return values[0]
    return None


def summary_terms(uri: NamedNode, triples: list[Triple], predicates: tuple[NamedNode, ...],
                  labels: dict[str, str], base: str) -> list[TermView]:
    values = {t.object.value: t.object for t in triples if t.subject == uri and t.predicate in predicates}
    if predicates == IDENTIFIERS:
        return [identifier_link(term) for _, term in sorted(values.items())]
    return [TermView.of(term, labels, base) for _, term in sorted(values.items())]  # type: ignore[arg-type]


def context(uri: NamedNode, triples: list[Triple], *, links: dict[str, Linked], base: str,
            alternates: dict[str, str], signposts: list[Signpost], loaded: list[Load],
            status: Validation, groups: list[IncomingGroup]) -> RecordContext:
    """Assemble the page from what was gathered."""
    labels = {iri: info.label for iri, info in links.items() if info.label}
    doc = jsonld.document(uri, triples, links)
    types = sorted({t.object.value: t.object for t in triples
                    if t.subject == uri and t.predicate == RDF.type}.items())
    return RecordContext(
        uri=uri.value,
        title=first(uri, triples, LABELS) or uri.value,
        description=first(uri, triples, DESCRIPTIONS),
        types=[TermView.of(term, labels, base) for _, term in types],  # type: ignore[arg-type]
        identifiers=summary_terms(uri, triples, IDENTIFIERS, labels, base),
        licences=summary_terms(uri, triples, LICENCES, labels, base),
        loads=loaded,
        validation=labelled(status, uri, labels, base),
        profile=doc.get(jsonld.CONFORMS_TO, {}).get("@id"),
        profile_gaps=jsonld.gaps(doc),
        nodes=nodes(uri, triples, labels, base),
        incoming=groups,
        alternates=alternates,
        signposts=signposts,
        dublin_core=dublin_core.tags(uri, triples, labels),
        jsonld=jsonld.script(doc),
    )

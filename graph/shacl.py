"""SHACL validation of many records at once, by compiling the shapes to SPARQL over Oxigraph.

pyshacl validates one rdflib graph at a time (a few hundred records per second); lifecat's shapes
use a small part of SHACL Core, which compiles to one SPARQL query per constraint, run once over a
staging store in which every record sits in its own named graph. The results are the ones pyshacl
gives record by record (``tests/graph/test_shacl.py`` checks this); a shape that uses anything
outside the supported part is refused when the shapes are loaded, never silently ignored.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path

import rdflib
from pyoxigraph import Literal, NamedNode, Store
from rdflib.namespace import RDF as RDFLIB_RDF
from rdflib.namespace import SH as RDFLIB_SH

from lifecat import queries
from lifecat.core.sparql import bind

SH = "http://www.w3.org/ns/shacl#"

#: SHACL parameter → the query template it compiles to and the template parameter its value binds.
CONSTRAINTS: dict[str, tuple[str, str]] = {
    "minCount": ("shacl/minCount", "n"),
    "maxCount": ("shacl/maxCount", "n"),
    "datatype": ("shacl/datatype", "datatype"),
    "nodeKind": ("shacl/nodeKind", "nodeKind"),
    "pattern": ("shacl/pattern", "pattern"),
    "minLength": ("shacl/minLength", "n"),
    "class": ("shacl/class", "class"),
}
#: Constraints on how many values there are, whose results name no value.
COUNTS = {"minCount", "maxCount"}
#: Property-shape terms that carry no constraint.
ANNOTATIONS = {"path", "name", "description", "message", "severity", "order", "group", "flags"}


@dataclass(frozen=True)
class Constraint:
    """One compiled constraint: a property shape's parameter on a target class."""

    shape: NamedNode
    target_class: NamedNode
    path: NamedNode
    component: str
    value: NamedNode | Literal
    flags: str
    severity: NamedNode
    message: str | None


@dataclass(frozen=True)
class Result:
    """One validation result, as ``sh:ValidationResult`` would state it."""

    graph: NamedNode
    focus: NamedNode
    path: NamedNode
    value: NamedNode | Literal | None
    component: str
    severity: NamedNode
    shape: NamedNode
    message: str

    @property
    def is_violation(self) -> bool:
        return self.severity.value == SH + "Violation"

    @property
    def reason(self) -> str:
        """A short text naming the rule, stable across records, for counting reasons."""
        return f"{_local(self.shape.value)} {_local(self.path.value)}: {self.component}"


def shape_files() -> list[Path]:
    """The Turtle files of the shapes lifecat ships."""
    return sorted(Path(str(p)) for p in files("lifecat.shapes").iterdir() if p.name.endswith(".ttl"))


def load_shapes(paths: list[Path] | None = None) -> rdflib.Graph:
    """All shapes as one rdflib graph."""
    graph = rdflib.Graph()
    for path in paths or shape_files():
        graph.parse(path, format="turtle")
    return graph


class CompiledShapes:
    """Shapes compiled to SPARQL.

    :raises ValueError: if a shape uses SHACL beyond the supported part.
    """

    def __init__(self, shapes: rdflib.Graph) -> None:
        self.graph = shapes
        self.constraints = list(_compile(shapes))

    def validate(self, staging: Store) -> Iterator[Result]:
        """Every result over the records in ``staging`` (one record per named graph)."""
        for c in self.constraints:
            template, parameter = CONSTRAINTS[c.component]
            values = {"targetClass": c.target_class, "path": c.path, parameter: c.value}
            if c.component == "pattern":
                values["flags"] = Literal(c.flags)
            for row in staging.query(bind(queries.load(template), **values)):
                yield Result(
                    graph=row["g"],
                    focus=row["focus"],
                    path=c.path,
                    value=None if c.component in COUNTS else row["value"],
                    component=c.component,
                    severity=c.severity,
                    shape=c.shape,
                    message=c.message or _default_message(c),
                )


def _compile(shapes: rdflib.Graph) -> Iterator[Constraint]:
    for shape in sorted(set(shapes.subjects(RDFLIB_RDF.type, RDFLIB_SH.NodeShape))):
        targets = list(shapes.objects(shape, RDFLIB_SH.targetClass))
        unsupported = {
            str(p).removeprefix(SH)
            for p in shapes.predicates(shape)
            if str(p).startswith(SH)
        } - {"targetClass", "property", "name", "description", "severity", "message"}
        if unsupported:
            raise ValueError(f"shape {shape} uses unsupported SHACL: {', '.join(sorted(unsupported))}")
        node_severity = shapes.value(shape, RDFLIB_SH.severity)
        for prop in shapes.objects(shape, RDFLIB_SH.property):
            path = shapes.value(prop, RDFLIB_SH.path)
            if not isinstance(path, rdflib.URIRef):
                raise ValueError(f"shape {shape}: only IRI paths are supported, got {path!r}")
            terms = {str(p).removeprefix(SH): o for p, o in shapes.predicate_objects(prop)
                     if str(p).startswith(SH)}
            unknown = set(terms) - ANNOTATIONS - set(CONSTRAINTS)
            if unknown:
                raise ValueError(f"shape {shape} {path}: unsupported SHACL {', '.join(sorted(unknown))}")
            severity = terms.get("severity") or node_severity or RDFLIB_SH.Violation
            message = terms.get("message")
            for component in CONSTRAINTS:
                if component not in terms:
                    continue
                for target in targets:
                    yield Constraint(
                        shape=NamedNode(str(shape)),
                        target_class=NamedNode(str(target)),
                        path=NamedNode(str(path)),
                        component=component,
                        value=_term(terms[component]),
                        flags=str(terms.get("flags") or ""),
                        severity=NamedNode(str(severity)),
                        message=str(message) if message else None,
                    )


def _term(node: rdflib.term.Node) -> NamedNode | Literal:
    if isinstance(node, rdflib.URIRef):
        return NamedNode(str(node))
    if isinstance(node, rdflib.Literal):
        return Literal(str(node), datatype=NamedNode(str(node.datatype))) if node.datatype else Literal(
            str(node)
        )
    raise ValueError(f"unsupported SHACL parameter value {node!r}")


def _default_message(c: Constraint) -> str:
    path = _local(c.path.value)
    value = c.value.value
    return {
        "minCount": f"{path}: at least {value} value(s) required",
        "maxCount": f"{path}: at most {value} value(s) allowed",
        "datatype": f"{path}: value must be a literal of type {_local(value)}",
        "nodeKind": f"{path}: value must be of node kind {_local(value)}",
        "pattern": f"{path}: value must match {value}",
        "minLength": f"{path}: value must be at least {value} characters long",
        "class": f"{path}: value must be a {_local(value)}",
    }[c.component]


def _local(iri: str) -> str:
    return iri.rstrip("/#").rsplit("#", 1)[-1].rsplit("/", 1)[-1]

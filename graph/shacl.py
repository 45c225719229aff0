"""SHACL validation of many records at once, by compiling the shapes to SPARQL over Oxigraph.

pyshacl validates one rdflib graph at a time (a few hundred records per second); the shapes lifecat
runs (its own, and the official DCAT-AP 3.0.1 shapes in ``shapes/dcat-ap-3.0.1/``) use a part of SHACL
Core that compiles to one SPARQL query per constraint, run once over a staging store in which every
record sits in its own named graph. The results are the ones pyshacl gives record by record
(``tests/graph/test_shacl.py``, ``tests/graph/test_shacl_dcat_ap.py``); a shape that uses anything
outside the supported part is refused when the shapes are loaded, never silently ignored.

The supported part:

- targets: ``sh:targetClass``, which SHACL extends to instances of subclasses
  (``rdf:type/rdfs:subClassOf*`` in the record's graph);
- paths: an IRI, or ``[ sh:inversePath iri ]`` (:class:`InversePath`);
- on property shapes: ``sh:minCount``, ``sh:maxCount``, ``sh:datatype``, ``sh:nodeKind``,
  ``sh:pattern`` (with ``sh:flags``), ``sh:minLength``, ``sh:class``, ``sh:or`` and ``sh:node``;
  a property shape may be a blank node or an IRI that several node shapes share;
- on node shapes: ``sh:property`` and ``sh:or``;
- the alternatives of ``sh:or``, and the node shape ``sh:node`` names (which may have no target of its
  own, and is then never run on its own), are each one ``sh:class``, one ``sh:datatype``, or a
  property shape ``[ sh:path iri ; sh:minCount 1 ]``.

``sh:datatype`` is met by a literal of the datatype whose lexical form is valid for it, as pyshacl
decides through rdflib (Python's ``datetime.fromisoformat``, ``Decimal``, ``int``…): looser than XML
Schema in places (``"2020-01-05"^^xsd:dateTime`` is valid), stricter in others (no year before 1 or
after 9999), and with no check of some datatypes (``xsd:gYear``, ``xsd:string``…). :data:`LEXICAL`
states it as a regular expression per datatype. They differ from rdflib on a few forms: they count as
ill-typed ISO week 53 (``2020-W53-1``), CPython's own leniencies in reading a date-time (a stray
character after the minutes or seconds, a fraction of an hour or minute, a time zone of more than 59
minutes) and positive or negative integers in digits other than ASCII's, and as valid durations out
of Python's range (``P1000000000D``). Datatypes rdflib checks in ways not compiled here
(:data:`UNCOMPILED_DATATYPES`) are refused.

Oxigraph stores a literal of an XML Schema datatype by its value, in canonical form and with the
integer types derived from xsd:integer as xsd:integer; records staged by :func:`staging_quad` keep
their literals as written, and get pyshacl's results. (Records added as they are get the results of
their canonical forms: ``"5"^^xsd:nonNegativeInteger`` then fails ``sh:datatype
xsd:nonNegativeInteger``.) rdflib, for its part, normalises lexical forms as it parses (``" 12 "^^
xsd:integer`` as ``"12"``, even ``"TRUE"^^xsd:boolean``, which is ill-typed, as ``"true"``), so that
two literals of one node that rdflib makes equal are one value for pyshacl, and two here.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path

import rdflib
from pyoxigraph import BlankNode, Literal, NamedNode, Quad, Store, Triple
from rdflib.collection import Collection
from rdflib.namespace import OWL
from rdflib.namespace import RDF as RDFLIB_RDF
from rdflib.namespace import RDFS as RDFLIB_RDFS
from rdflib.namespace import SH as RDFLIB_SH

from lifecat import queries
from lifecat.core.sparql import bind

SH = "http://www.w3.org/ns/shacl#"
XSD = "http://www.w3.org/2001/XMLSchema#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"

#: SHACL parameter → the query template it compiles to and the template parameter its value binds.
CONSTRAINTS: dict[str, tuple[str, str]] = {
    "minCount": ("shacl/minCount", "n"),
    "maxCount": ("shacl/maxCount", "n"),
    "datatype": ("shacl/datatype", "datatypes"),
    "nodeKind": ("shacl/nodeKind", "nodeKind"),
    "pattern": ("shacl/pattern", "pattern"),
    "minLength": ("shacl/minLength", "n"),
    "class": ("shacl/class", "class"),
}
#: Parameters met by meeting one of several alternatives (:class:`Alternatives`), on a property shape's
#: values; ``sh:or`` on a node shape runs on its focus nodes.
ALTERNATIVE_CONSTRAINTS = {"node", "or"}
ALTERNATIVES_TEMPLATE, FOCUS_ALTERNATIVES_TEMPLATE = "shacl/or", "shacl/orFocus"
#: Constraints on how many values there are, whose results name no value.
COUNTS = {"minCount", "maxCount"}
#: Property-shape terms that carry no constraint. ``sh:shape`` is no SHACL term: DCAT-AP 3.0.1's
#: ``shapes.ttl`` writes it where it means ``sh:node``; SHACL processors (pyshacl among them) ignore
#: terms SHACL does not define, so it is an annotation here too.
ANNOTATIONS = {"path", "name", "description", "message", "severity", "order", "group", "flags", "shape"}
#: Node-shape terms that carry no constraint, and those that do.
NODE_ANNOTATIONS = {"name", "description", "severity", "message"}
NODE_TERMS = NODE_ANNOTATIONS | {"targetClass", "property", "or"}
#: Datatypes whose lexical forms rdflib checks in ways not compiled here (the sizes of bounded
#: integers, times, base64, markup), and the two whose every literal matches in pyshacl.
UNCOMPILED_DATATYPES = {
    *(XSD + name for name in ("time", "int", "short", "byte", "unsignedInt", "unsignedLong",
                              "unsignedShort", "unsignedByte", "base64Binary")),
    RDF + "XMLLiteral", RDF + "HTML", RDFS + "Literal", RDFS + "Datatype",
}


def _lexical() -> dict[str, str]:
    """The lexical space of each datatype whose literals rdflib reads, as Oxigraph's REGEX takes it.

    Written to accept what rdflib 7 accepts on Python 3.11 and later (``rdflib.term.XSDToPython``):
    ``datetime.fromisoformat`` for dates and date-times, its ISO 8601 duration expression, Python's
    ``Decimal``, ``int`` and ``float``. Dates are checked against the calendar (month lengths, leap
    years) and years run from 0001 to 9999, as Python's dates do.
    """
    year = "(000[1-9]|00[1-9][0-9]|0[1-9][0-9]{2}|[1-9][0-9]{3})"
    leap_year = "([0-9]{2}(0[48]|[2468][048]|[13579][26])|(0[48]|[2468][048]|[13579][26])00)"

    def calendar(sep: str) -> str:
        days = (f"((0[13578]|1[02]){sep}(0[1-9]|[12][0-9]|3[01])|(0[469]|11){sep}(0[1-9]|[12][0-9]|30)"
                f"|02{sep}(0[1-9]|1[0-9]|2[0-8]))")
        return f"({year}{sep}{days}|{leap_year}{sep}02{sep}29)"

    week = "W(0[1-9]|[1-4][0-9]|5[0-2])"
    date = f"({calendar('-')}|{year}-{week}(-[1-7])?)"
    clock = ("([01][0-9]|2[0-3])(:[0-5][0-9](:[0-5][0-9]([.,][0-9]+)?)?)?"
             "|([01][0-9]|2[0-3])([0-5][0-9]([0-5][0-9]([.,][0-9]+)?)?)?")
    time = f"({clock})(Z|[+-]({clock}))?"
    # any character separates date and time, but a digit after a week date with its day is the time's
    date_time = (f"({calendar('-')}|{calendar('')}|{year}-{week})([\\s\\S]{time})?"
                 f"|({year}-{week}-[1-7]|{year}{week}[1-7]?)([^0-9]{time})?")
    number = "[0-9]+([,.][0-9]+)?"
    time_part = f"T({number}H)?({number}M)?({number}S)?"
    parts = [f"{number}Y", f"{number}M", f"{number}W", f"{number}D"]
    # rdflib's duration expression with at least one part after "P" ("PT" is one)
    period = "|".join("".join([parts[i], *(f"({p})?" for p in parts[i + 1:]), f"({time_part})?"])
                      for i in range(len(parts))) + f"|{time_part}"
    digits = "\\d(_?\\d)*"
    integer = f"[+-]?{digits}"
    # Decimal strips white space, then drops every underscore
    udigits = "(\\d_*)+"
    decimal = (f"_*([+-]_*)?(({udigits}(\\._*({udigits})?)?|\\._*{udigits})([eE]_*([+-]_*)?{udigits})?"
               "|[Ii]_*[Nn]_*[Ff]_*([Ii]_*[Nn]_*[Ii]_*[Tt]_*[Yy]_*)?|([Ss]_*)?[Nn]_*[Aa]_*[Nn]_*(\\d_*)*)")
    double = (f"[+-]?((({digits})?\\.{digits}|{digits}\\.?)([eE][+-]?{digits})?"
              "|[Ii][Nn][Ff]([Ii][Nn][Ii][Tt][Yy])?|[Nn][Aa][Nn])")
    spaced = "^\\s*({})\\s*$".format
    return {
        XSD + "date": f"^{date}(T[\\s\\S]*|\\+[^+T]*|-[^-+T]*:[^-+T]*)?[Zz]?$",
        XSD + "dateTime": f"^({date_time})$",
        **{XSD + name: f"^([+-]?P({period})\\n?|P({date_time}))$"
           for name in ("duration", "dayTimeDuration", "yearMonthDuration")},
        XSD + "hexBinary": "^([0-9A-Fa-f]{2})*$",
        XSD + "boolean": "^(true|false|1|0)$",
        XSD + "decimal": spaced(decimal),
        XSD + "integer": spaced(integer),
        XSD + "long": spaced(integer),
        XSD + "nonNegativeInteger": spaced(f"\\+?{digits}|-0(_?0)*"),
        XSD + "positiveInteger": spaced("\\+?(0_?)*[1-9](_?\\d)*"),
        XSD + "nonPositiveInteger": spaced(f"-{digits}|\\+?0(_?0)*"),
        XSD + "negativeInteger": spaced("-(0_?)*[1-9](_?\\d)*"),
        XSD + "float": spaced(double),
        XSD + "double": spaced(double),
    }


#: Datatype IRI → the lexical forms pyshacl reads as a value of it; a literal of another form is
#: ill-typed and meets no ``sh:datatype``. Datatypes not named have no lexical check in pyshacl.
LEXICAL: dict[str, str] = _lexical()


#: Staged literals carry ``STAGED`` + their XML Schema datatype IRI in place of it (:func:`staging_quad`).
STAGED = "urn:lifecat:staged:"


def staging_quad(triple: Triple, graph: NamedNode) -> Quad:
    """``triple`` in ``graph`` of a staging store, its object staged so that the store keeps it as it is.

    Oxigraph stores a literal of an XML Schema datatype by its value: in canonical form (``"01"^^
    xsd:integer`` as ``"1"``, ``"T24:00:00"`` as the next day), and a literal of a type derived from
    xsd:integer (``xsd:nonNegativeInteger``, ``xsd:int``…) as an xsd:integer, so that it would not
    meet its own ``sh:datatype``. Under a datatype of lifecat's own, which Oxigraph keeps verbatim, a
    literal keeps its datatype and lexical form; the compiled shapes read both datatypes, and results
    give the literal back as it was.
    """
    value = triple.object
    datatype = value.datatype.value if isinstance(value, Literal) else ""
    if datatype.startswith(XSD) and datatype != XSD + "string":
        value = Literal(value.value, datatype=NamedNode(STAGED + datatype))
    return Quad(triple.subject, triple.predicate, value, graph)


def _unstaged(term: NamedNode | BlankNode | Literal) -> NamedNode | BlankNode | Literal:
    if isinstance(term, Literal) and term.datatype.value.startswith(STAGED):
        return Literal(term.value, datatype=NamedNode(term.datatype.value.removeprefix(STAGED)))
    return term


def _spellings(datatype: NamedNode) -> tuple[NamedNode, NamedNode]:
    """A datatype as a staging store may hold it: as itself, or staged (:func:`staging_quad`)."""
    return datatype, NamedNode(STAGED + datatype.value)


@dataclass(frozen=True)
class InversePath:
    """The path ``[ sh:inversePath predicate ]``: the values are the subjects of ``predicate`` whose
    object is the focus node."""

    predicate: NamedNode

    @property
    def value(self) -> str:
        """The path as SPARQL writes it, ``^<predicate>``: a text, as ``NamedNode.value`` is."""
        return f"^<{self.predicate.value}>"


#: A result path: a predicate, or the inverse of one.
ResultPath = NamedNode | InversePath
#: A value bound into a template: a term, or terms for a ``VALUES`` block.
Bound = NamedNode | Literal | tuple[NamedNode | Literal, ...]


@dataclass(frozen=True)
class Alternatives:
    """What ``sh:or`` (or the node shape ``sh:node`` names) asks of a node: to meet at least one of
    being an instance of one of ``classes``, a well-typed literal of one of ``datatypes``, or having a
    value of one of ``paths``."""

    classes: tuple[NamedNode, ...] = ()
    datatypes: tuple[NamedNode, ...] = ()
    paths: tuple[NamedNode, ...] = ()

    def __or__(self, other: Alternatives) -> Alternatives:
        return Alternatives(self.classes + other.classes, self.datatypes + other.datatypes,
                            self.paths + other.paths)


@dataclass(frozen=True)
class Constraint:
    """One compiled constraint: a shape's parameter, on the focus nodes of its target classes.

    ``path`` is ``None`` for a node shape's own constraint (``sh:or``), which is on the focus node;
    ``value`` is the parameter's value (the node shape ``sh:node`` names), ``None`` for ``sh:or``,
    whose alternatives are in ``alternatives``.
    """

    shape: NamedNode
    targets: tuple[NamedNode, ...]
    path: ResultPath | None
    component: str
    value: NamedNode | Literal | None
    flags: str
    severity: NamedNode
    message: str | None
    alternatives: Alternatives | None = None


@dataclass(frozen=True)
class Result:
    """One validation result, as ``sh:ValidationResult`` would state it.

    ``path`` is an :class:`InversePath` for ``[ sh:inversePath p ]``, and ``None`` for a node shape's
    own constraint, whose result has no ``sh:resultPath`` (its value is the focus node).
    """

    graph: NamedNode
    focus: NamedNode
    path: ResultPath | None
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
        if self.path is None:
            return f"{_local(self.shape.value)}: {self.component}"
        return f"{_local(self.shape.value)} {_path_label(self.path)}: {self.component}"


def shape_files() -> list[Path]:
    """The Turtle files of the shapes lifecat ships (its own: not those in sub-folders)."""
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
        #: Datatype → the predicates whose literals of it must be told well- or ill-typed: the paths of
        #: the constraints that name it (the values of an inverse path are subjects, never literals).
        self.checked: dict[NamedNode, tuple[NamedNode, ...]] = {}
        for c in self.constraints:
            datatypes = c.alternatives.datatypes if c.alternatives else (
                (c.value,) if c.component == "datatype" else ())
            for d in datatypes:
                if isinstance(d, NamedNode) and d.value in LEXICAL and isinstance(c.path, NamedNode):
                    self.checked[d] = tuple(dict.fromkeys((*self.checked.get(d, ()), c.path)))

    def validate(self, staging: Store) -> Iterator[Result]:
        """Every result over the records in ``staging`` (one record per named graph, its quads made by
        :func:`staging_quad` for the results pyshacl gives on typed literals)."""
        ill_typed = {d: tuple(row["value"] for row in staging.query(bind(
            queries.load("shacl/illTyped"), datatypes=_spellings(d), predicates=predicates,
            lexical=Literal(LEXICAL[d.value])))) for d, predicates in self.checked.items()}
        for c in self.constraints:
            template, values = _bound(c, ill_typed)
            for row in staging.query(bind(queries.load(template), **values)):
                focus = row["focus"]
                value = None if c.component in COUNTS else focus if c.path is None else row["value"]
                yield Result(
                    graph=row["g"],
                    focus=focus,
                    path=c.path,
                    value=_unstaged(value) if value is not None else None,
                    component=c.component,
                    severity=c.severity,
                    shape=c.shape,
                    message=c.message or _default_message(c),
                )


def _bound(c: Constraint, ill_typed: dict[NamedNode | Literal | None, tuple[Literal, ...]]
           ) -> tuple[str, dict[str, Bound]]:
    """The template a constraint runs, and the values bound into it."""
    values: dict[str, Bound] = {"targets": c.targets}
    alternatives = c.alternatives
    if c.path is None:  # a node shape's sh:or, on its focus nodes
        assert alternatives is not None
        return FOCUS_ALTERNATIVES_TEMPLATE, values | {"classes": alternatives.classes,
                                                      "properties": alternatives.paths}
    inverse = isinstance(c.path, InversePath)
    values |= {"path": c.path.predicate if isinstance(c.path, InversePath) else c.path,
               "inverse": Literal(inverse)}
    if alternatives is not None:
        return ALTERNATIVES_TEMPLATE, values | {
            "classes": alternatives.classes,
            "datatypes": tuple(s for d in alternatives.datatypes for s in _spellings(d)),
            "properties": alternatives.paths,
            "illTyped": tuple(v for d in alternatives.datatypes for v in ill_typed.get(d, ()))}
    template, parameter = CONSTRAINTS[c.component]
    assert c.value is not None
    if c.component == "datatype":
        assert isinstance(c.value, NamedNode)
        return template, values | {"datatypes": _spellings(c.value), "illTyped": ill_typed.get(c.value, ())}
    values[parameter] = c.value
    if c.component == "pattern":
        values["flags"] = Literal(c.flags)
    return template, values


def _compile(shapes: rdflib.Graph) -> Iterator[Constraint]:
    for kind in ("target", "targetNode", "targetSubjectsOf", "targetObjectsOf"):
        for shape in shapes.subjects(RDFLIB_SH[kind], None):
            raise ValueError(f"shape {shape} uses unsupported SHACL: {kind}")
    # what each node shape sh:node names asks of a value (refused if it asks more than alternatives)
    referenced = {shape: _shape_alternatives(shapes, shape)
                  for shape in sorted(set(shapes.objects(None, RDFLIB_SH.node)))}
    node_shapes = set(shapes.subjects(RDFLIB_RDF.type, RDFLIB_SH.NodeShape)) | set(
        shapes.subjects(RDFLIB_SH.targetClass, None))
    for shape in sorted(node_shapes):
        targets = tuple(NamedNode(str(t)) for t in sorted(set(shapes.objects(shape, RDFLIB_SH.targetClass))))
        unsupported = _sh_terms(shapes, shape) - NODE_TERMS
        if unsupported and (targets or shape not in referenced):
            raise ValueError(f"shape {shape} uses unsupported SHACL: {', '.join(sorted(unsupported))}")
        if {RDFLIB_RDFS.Class, OWL.Class} & set(shapes.objects(shape, RDFLIB_RDF.type)):
            raise ValueError(f"shape {shape}: implicit class targets are not supported")
        severity = shapes.value(shape, RDFLIB_SH.severity)
        message = shapes.value(shape, RDFLIB_SH.message)
        # a shape without targets is still compiled, so that what it uses is checked
        constraints = [Constraint(
            shape=NamedNode(str(shape)), targets=targets, path=None, component="or", value=None, flags="",
            severity=NamedNode(str(severity or RDFLIB_SH.Violation)),
            message=str(message) if message else None,
            alternatives=_or_alternatives(shapes, members, f"shape {shape}"),
        ) for members in shapes.objects(shape, RDFLIB_SH["or"])]
        for prop in shapes.objects(shape, RDFLIB_SH.property):
            constraints += _property_constraints(shapes, shape, targets, prop, severity, referenced)
        if targets:
            yield from constraints


def _property_constraints(shapes: rdflib.Graph, shape: rdflib.term.Node, targets: tuple[NamedNode, ...],
                          prop: rdflib.term.Node, node_severity: rdflib.term.Node | None,
                          referenced: dict[rdflib.term.Node, Alternatives]) -> Iterator[Constraint]:
    """The constraints of one property shape of ``shape``: one per parameter value."""
    path = _path(shapes, shapes.value(prop, RDFLIB_SH.path), f"shape {shape}")
    where = f"shape {shape} {path.value}"
    unknown = _sh_terms(shapes, prop) - ANNOTATIONS - set(CONSTRAINTS) - ALTERNATIVE_CONSTRAINTS
    if unknown:
        raise ValueError(f"{where}: unsupported SHACL {', '.join(sorted(unknown))}")
    severity = shapes.value(prop, RDFLIB_SH.severity) or node_severity or RDFLIB_SH.Violation
    message = shapes.value(prop, RDFLIB_SH.message)
    for component in [*CONSTRAINTS, *sorted(ALTERNATIVE_CONSTRAINTS)]:
        for value in sorted(shapes.objects(prop, RDFLIB_SH[component])):
            if component == "datatype" and str(value) in UNCOMPILED_DATATYPES:
                raise ValueError(f"{where}: sh:datatype {value} is not supported")
            said = message
            if component == "node":  # the named shape's message says what it asks
                said = message or shapes.value(value, RDFLIB_SH.message)
            yield Constraint(
                shape=NamedNode(str(shape)), targets=targets, path=path, component=component,
                value=None if component == "or" else _term(value),
                flags=str(shapes.value(prop, RDFLIB_SH.flags) or ""), severity=NamedNode(str(severity)),
                message=str(said) if said else None,
                alternatives=referenced[value] if component == "node"
                else _or_alternatives(shapes, value, where) if component == "or" else None,
            )


def _sh_terms(shapes: rdflib.Graph, node: rdflib.term.Node) -> set[str]:
    return {str(p).removeprefix(SH) for p in shapes.predicates(node) if str(p).startswith(SH)}


def _path(shapes: rdflib.Graph, path: rdflib.term.Node | None, where: str) -> ResultPath:
    """An IRI path, or ``[ sh:inversePath iri ]``; any other path is refused."""
    if isinstance(path, rdflib.URIRef):
        return NamedNode(str(path))
    inverse = shapes.value(path, RDFLIB_SH.inversePath) if isinstance(path, rdflib.BNode) else None
    if isinstance(inverse, rdflib.URIRef) and len(set(shapes.predicate_objects(path))) == 1:
        return InversePath(NamedNode(str(inverse)))
    raise ValueError(f"{where}: only IRI and sh:inversePath paths are supported, got {path!r}")


def _shape_alternatives(shapes: rdflib.Graph, shape: rdflib.term.Node) -> Alternatives:
    """What the node shape ``sh:node`` names asks of a value: its one ``sh:or``, ``sh:class`` or
    ``sh:datatype``."""
    lists = list(shapes.objects(shape, RDFLIB_SH["or"]))
    if _sh_terms(shapes, shape) - NODE_ANNOTATIONS == {"or"} and len(lists) == 1:
        return _or_alternatives(shapes, lists[0], f"shape {shape}")
    return _alternative(shapes, shape, f"shape {shape}, named by sh:node")


def _or_alternatives(shapes: rdflib.Graph, members: rdflib.term.Node, where: str) -> Alternatives:
    alternatives = Alternatives()
    for member in Collection(shapes, members):
        alternatives |= _alternative(shapes, member, f"{where}, sh:or alternative {member}")
    return alternatives


def _alternative(shapes: rdflib.Graph, node: rdflib.term.Node, where: str) -> Alternatives:
    """One alternative: one ``sh:class``, one ``sh:datatype``, or ``[ sh:path iri ; sh:minCount 1 ]``."""
    terms = {p: list(shapes.objects(node, RDFLIB_SH[p])) for p in _sh_terms(shapes, node) - NODE_ANNOTATIONS}
    values = [v for vs in terms.values() for v in vs]
    if set(terms) == {"class"} and len(values) == 1 and isinstance(values[0], rdflib.URIRef):
        return Alternatives(classes=(NamedNode(str(values[0])),))
    if (set(terms) == {"datatype"} and len(values) == 1 and isinstance(values[0], rdflib.URIRef)
            and str(values[0]) not in UNCOMPILED_DATATYPES):
        return Alternatives(datatypes=(NamedNode(str(values[0])),))
    if (set(terms) == {"path", "minCount"} and len(values) == 2 and terms["minCount"][0] == rdflib.Literal(1)
            and isinstance(terms["path"][0], rdflib.URIRef)):
        return Alternatives(paths=(NamedNode(str(terms["path"][0])),))
    raise ValueError(f"{where}: only one sh:class, one sh:datatype or [ sh:path iri ; sh:minCount 1 ] "
                     f"is supported, got {', '.join(sorted(terms)) or 'nothing'}")


def _term(node: rdflib.term.Node) -> NamedNode | Literal:
    if isinstance(node, rdflib.URIRef):
        return NamedNode(str(node))
    if isinstance(node, rdflib.Literal):
        return Literal(str(node), datatype=NamedNode(str(node.datatype))) if node.datatype else Literal(
            str(node)
        )
    raise ValueError(f"unsupported SHACL parameter value {node!r}")


def _default_message(c: Constraint) -> str:
    if c.alternatives is not None:
        options = " or ".join([*(f"a {_local(k.value)}" for k in c.alternatives.classes),
                               *(f"a literal of type {_local(d.value)}" for d in c.alternatives.datatypes),
                               *(f"a node with a {_local(p.value)}" for p in c.alternatives.paths)])
        return f"{_path_label(c.path)}: value must be {options}" if c.path else f"must be {options}"
    path = _path_label(c.path) if c.path is not None else ""
    value = c.value.value if c.value is not None else ""
    return {
        "minCount": f"{path}: at least {value} value(s) required",
        "maxCount": f"{path}: at most {value} value(s) allowed",
        "datatype": f"{path}: value must be a literal of type {_local(value)}",
        "nodeKind": f"{path}: value must be of node kind {_local(value)}",
        "pattern": f"{path}: value must match {value}",
        "minLength": f"{path}: value must be at least {value} characters long",
        "class": f"{path}: value must be a {_local(value)}",
    }[c.component]


def _path_label(path: ResultPath) -> str:
    return f"^{_local(path.predicate.value)}" if isinstance(path, InversePath) else _local(path.value)


def _local(iri: str) -> str:
    return iri.rstrip("/#").rsplit("#", 1)[-1].rsplit("/", 1)[-1]

"""Compiled SHACL runs the official DCAT-AP 3.0.1 shapes with pyshacl's results.

Each document sits in its own named graph of one staging store for the compiled shapes, and in its own
rdflib graph for pyshacl. Results are compared as multisets of (document, focus node, result path, value,
constraint component, severity), level by level. Blank nodes are compared by what they state (their
predicates and non-blank objects) and literals by their value: each parser names blank nodes its own way,
and rdflib normalises lexical forms as it parses (``"1.50"^^xsd:decimal`` as ``"1.5"``), which the staging
store keeps as written (:func:`lifecat.graph.shacl.staging_quad`).
"""

from __future__ import annotations

import os
import time
from collections import Counter
from collections.abc import Hashable, Iterator
from functools import cached_property
from pathlib import Path

import pyshacl
import pytest
import rdflib
from pyoxigraph import BlankNode, Literal, NamedNode, Quad, RdfFormat, Store, parse

from lifecat.graph.shacl import CompiledShapes, InversePath, Result, load_shapes, staging_quad

RDF = rdflib.Namespace("http://www.w3.org/1999/02/22-rdf-syntax-ns#")
SH = rdflib.Namespace("http://www.w3.org/ns/shacl#")
XSD_STRING = rdflib.URIRef("http://www.w3.org/2001/XMLSchema#string")
ROOT = Path(__file__).resolve().parents[2]
SHAPES = ROOT / "shapes" / "dcat-ap-3.0.1"
OFFICIAL = ROOT / "../shared/conformance/dcat-ap-3.0.1"
FIXTURES = Path(__file__).parents[1] / "fixtures" / "dcat-ap"
#: The files of each level, and both levels together.
LEVELS = {"mandatory": ("shapes.ttl", "range.ttl"), "recommended": ("shapes_recommended.ttl",),
          "both": ("shapes.ttl", "range.ttl", "shapes_recommended.ttl")}
VENDORED = LEVELS["both"]

#: (document, focus node, result path, value, constraint component, severity)
Key = tuple[str, Hashable, Hashable, Hashable, str, str]


def shapes(level: str) -> rdflib.Graph:
    return load_shapes([SHAPES / name for name in LEVELS[level]])


class Document:
    """A Turtle document read by both parsers, or why one of them cannot read it."""

    def __init__(self, name: str, text: str, base: str) -> None:
        self.name, self.graph_name = name, NamedNode(f"urn:lifecat:test:{name}")
        self.errors: list[str] = []
        try:
            self.quads = list(parse(text, format=RdfFormat.TURTLE, base_iri=base))
        except SyntaxError as error:
            self.errors.append(f"pyoxigraph cannot parse {name}: {error}")
        try:
            self.graph = rdflib.Graph().parse(data=text, format="turtle", publicID=base)
        except Exception as error:  # rdflib raises many kinds
            self.errors.append(f"rdflib cannot parse {name}: {error}")

    @classmethod
    def read(cls, path: Path) -> Document:
        return cls(path.name, path.read_text(encoding="utf-8"), path.resolve().as_uri())

    def staged(self) -> Iterator[Quad]:
        return (staging_quad(q.triple, self.graph_name) for q in self.quads)

    @cached_property
    def oxigraph_graph(self) -> rdflib.Graph:
        """What pyoxigraph read, as rdflib terms, to describe the blank nodes of compiled results."""
        graph = rdflib.Graph()
        for q in self.quads:
            graph.add((to_rdflib(q.subject), to_rdflib(q.predicate), to_rdflib(q.object)))
        return graph


def to_rdflib(term: NamedNode | BlankNode | Literal) -> rdflib.term.Node:
    if isinstance(term, NamedNode):
        return rdflib.URIRef(term.value)
    if isinstance(term, BlankNode):
        return rdflib.BNode(term.value)
    if term.language:
        return rdflib.Literal(term.value, lang=term.language)
    return rdflib.Literal(term.value, datatype=rdflib.URIRef(term.datatype.value))


def plain(term: rdflib.term.Node) -> Hashable:
    """A term as both validators can state it: blank nodes alike, literals by value."""
    if isinstance(term, rdflib.BNode):
        return "_:"
    if isinstance(term, rdflib.Literal):
        datatype = term.datatype or (RDF.langString if term.language else XSD_STRING)
        value = str(term) if term.value is None or term.ill_typed else term.value
        return "literal", str(datatype), (term.language or "").lower(), value
    return str(term)


def node_key(graph: rdflib.Graph, term: rdflib.term.Node) -> Hashable:
    """A term, a blank node by what it states."""
    if isinstance(term, rdflib.BNode):
        return "_:", frozenset((str(p), plain(o)) for p, o in graph.predicate_objects(term))
    return plain(term)


def pyshacl_results(document: Document, shapes_graph: rdflib.Graph) -> Counter[Key]:
    _, report, _ = pyshacl.validate(document.graph, shacl_graph=shapes_graph, inference="none",
                                    advanced=False)
    (node,) = report.subjects(RDF.type, SH.ValidationReport)
    found: Counter[Key] = Counter()
    for r in report.objects(node, SH.result):  # not the sh:detail results nested in them
        path = report.value(r, SH.resultPath)
        value = report.value(r, SH.value)
        found[(document.name, node_key(document.graph, report.value(r, SH.focusNode)),
               f"^{report.value(path, SH.inversePath)}" if isinstance(path, rdflib.BNode)
               else str(path) if path is not None else None,
               node_key(document.graph, value) if value is not None else None,
               str(report.value(r, SH.sourceConstraintComponent)).rsplit("#", 1)[-1],
               str(report.value(r, SH.resultSeverity)).rsplit("#", 1)[-1])] += 1
    return found


def compiled_key(result: Result, documents: dict[str, Document]) -> Key:
    name = result.graph.value.rsplit(":", 1)[-1]
    graph = documents[name].oxigraph_graph
    path = result.path
    return (name, node_key(graph, to_rdflib(result.focus)),
            f"^{path.predicate.value}" if isinstance(path, InversePath) else path.value if path else None,
            node_key(graph, to_rdflib(result.value)) if result.value is not None else None,
            f"{result.component[0].upper()}{result.component[1:]}ConstraintComponent",
            result.severity.value.rsplit("#", 1)[-1])


def compiled_results(documents: list[Document], level: str) -> dict[str, Counter[Key]]:
    """The compiled shapes' results on all documents at once, document by document."""
    staging = Store()
    for document in documents:
        staging.extend(document.staged())
    by_name = {d.name: d for d in documents}
    found: dict[str, Counter[Key]] = {d.name: Counter() for d in documents}
    for result in CompiledShapes(shapes(level)).validate(staging):
        key = compiled_key(result, by_name)
        found[key[0]][key] += 1
    return found


def readable(results: Counter[Key]) -> list[str]:
    return sorted(f"{n}x {k[1:]}" for k, n in results.items())


def assert_same(ours: Counter[Key], theirs: Counter[Key]) -> None:
    assert readable(ours - theirs) == [] and readable(theirs - ours) == [], "compiled differs from pyshacl"


# -- the project's fixtures: every construct, met and not met ------------------------------------------

FIXTURE_FILES = sorted(FIXTURES.glob("*.ttl"))


@pytest.fixture(scope="module")
def fixtures() -> list[Document]:
    documents = [Document.read(path) for path in FIXTURE_FILES]
    assert not [e for d in documents for e in d.errors], "the fixtures are valid Turtle"
    return documents


@pytest.fixture(scope="module")
def fixture_results(fixtures: list[Document]) -> dict[str, dict[str, Counter[Key]]]:
    return {level: compiled_results(fixtures, level) for level in LEVELS}


@pytest.mark.parametrize("level", LEVELS)
@pytest.mark.parametrize("path", FIXTURE_FILES, ids=lambda p: p.stem)
def test_fixture_results_equal_pyshacl(path: Path, level: str, fixtures: list[Document],
                                       fixture_results: dict[str, dict[str, Counter[Key]]]) -> None:
    (document,) = (d for d in fixtures if d.name == path.name)
    assert_same(fixture_results[level][path.name], pyshacl_results(document, shapes(level)))


def test_fixtures_exercise_every_construct(fixture_results: dict[str, dict[str, Counter[Key]]]) -> None:
    """Each component fails somewhere, inverse paths and node-shape sh:or included; complete.ttl is clean."""
    keys = [k for results in fixture_results["both"].values() for k in results]
    assert {k[4] for k in keys} >= {f"{c}ConstraintComponent" for c in (
        "MinCount", "MaxCount", "NodeKind", "Datatype", "Class", "Node", "Or")}
    assert any(isinstance(k[2], str) and k[2].startswith("^") and k[4] == "MinCountConstraintComponent"
               for k in keys)
    assert any(isinstance(k[2], str) and k[2].startswith("^") and k[4] == "ClassConstraintComponent"
               for k in keys)
    assert any(k[2] is None and k[4] == "OrConstraintComponent" for k in keys)
    assert not fixture_results["mandatory"]["complete.ttl"]
    assert not fixture_results["recommended"]["complete.ttl"]


def test_ill_typed_dates_are_datatype_failures(fixture_results: dict[str, dict[str, Counter[Key]]]) -> None:
    dates = fixture_results["mandatory"]["dates.ttl"]
    failing = {(k[1], k[3][3]) for k in dates
               if k[4] == "NodeConstraintComponent" and isinstance(k[3], tuple) and k[3][0] == "literal"}
    assert ("http://example.org/badDate", "2020-13-45") in failing
    assert ("http://example.org/badDate", "2021-02-29") in failing
    assert not {focus for focus, _ in failing} & {"http://example.org/goodDate", "http://example.org/goodYear",
                                                    "http://example.org/leapDay"}
    # pyshacl reads a date alone, or a time without seconds, as a date-time, and checks no year
    assert {value for focus, value in failing if focus == "http://example.org/pythonic"} == {
        "0000-01-01", "-0044-03-15", "10000-01-01", "2020-01-05T24:00:00"}


# -- the W3C DCAT 3 examples ----------------------------------------------------------------------------

SAMPLES = os.environ.get("LIFECAT_SAMPLES")
EXAMPLES = Path(SAMPLES) / "dcat" if SAMPLES else None
EXAMPLE_FILES = sorted(EXAMPLES.glob("*.ttl")) if EXAMPLES and EXAMPLES.is_dir() else []


@pytest.fixture(scope="module")
def examples() -> list[Document]:
    return [Document.read(path) for path in EXAMPLE_FILES]


@pytest.fixture(scope="module")
def example_results(examples: list[Document]) -> dict[str, dict[str, Counter[Key]]]:
    readable_examples = [d for d in examples if not d.errors]
    return {level: compiled_results(readable_examples, level) for level in LEVELS}


@pytest.mark.skipif(not EXAMPLE_FILES, reason="LIFECAT_SAMPLES is not set (or has no dcat/*.ttl): the W3C "
                    "DCAT 3 examples are not checked")
@pytest.mark.parametrize("level", LEVELS)
@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=lambda p: p.stem)
def test_w3c_example_results_equal_pyshacl(path: Path, level: str, examples: list[Document],
                                           example_results: dict[str, dict[str, Counter[Key]]]) -> None:
    (document,) = (d for d in examples if d.name == path.name)
    if document.errors:
        pytest.skip("; ".join(document.errors))
    assert_same(example_results[level][path.name], pyshacl_results(document, shapes(level)))


def test_w3c_examples_are_found_when_samples_are_set() -> None:
    if not SAMPLES or not Path(SAMPLES).is_dir():
        pytest.skip(f"LIFECAT_SAMPLES is not set or not a folder ({SAMPLES!r}): the W3C DCAT 3 examples are "
                    "not checked")
    assert EXAMPLE_FILES, f"no *.ttl in {EXAMPLES}"


# -- the vendored shapes ------------------------------------------------------------------------------

@pytest.mark.parametrize("name", VENDORED)
def test_vendored_shapes_equal_the_official_ones(name: str) -> None:
    if not OFFICIAL.is_dir():
        pytest.skip(f"no official copies at {OFFICIAL.resolve()}")
    assert (SHAPES / name).read_bytes() == (OFFICIAL / name).read_bytes()


@pytest.mark.parametrize("level", LEVELS)
def test_official_shapes_compile(level: str) -> None:
    compiled = CompiledShapes(shapes(level))
    assert {c.component for c in compiled.constraints} >= ({"minCount", "or"} if level == "recommended" else {
        "minCount", "maxCount", "nodeKind", "datatype", "class", "node"})
    # node shapes used only through sh:node are not run on their own
    assert not {c.shape.value.rsplit("#", 1)[-1] for c in compiled.constraints} & {
        "DateOrDateTimeDataType_Shape", "DcatResource_Shape"}


# -- what is refused, and what is not SHACL ----------------------------------------------------------

PREFIXES = """@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <http://ex/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
"""


@pytest.mark.parametrize("turtle, refused", [
    ("ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:property [ sh:path ex:p ; sh:qualifiedMinCount 1 ] .",
     "qualifiedMinCount"),
    ("ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:xone ( [ sh:class ex:A ] [ sh:class ex:B ] ) .", "xone"),
    ("ex:S a sh:NodeShape ; sh:targetNode ex:n ; sh:property [ sh:path ex:p ; sh:minCount 1 ] .",
     "targetNode"),
    ("ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:class ex:D .", "class"),
    ("ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:property [ sh:path ( ex:p ex:q ) ; sh:minCount 1 ] .",
     "paths"),
    ("ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:property [ sh:path ex:p ; sh:datatype xsd:int ] .",
     "XMLSchema#int is not supported"),
    ("ex:S a sh:NodeShape ; sh:targetClass ex:C ;\n"
     "  sh:property [ sh:path ex:p ; sh:or ( [ sh:nodeKind sh:IRI ] ) ] .", "nodeKind"),
    ("ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:property [ sh:path ex:p ; sh:node ex:N ] .\n"
     "ex:N a sh:NodeShape ; sh:property [ sh:path ex:q ; sh:minCount 1 ] .", "property"),
    ("ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:or ( [ sh:path ex:p ; sh:minCount 2 ] ) .", "minCount"),
    ("ex:N a sh:NodeShape ; sh:deactivated true .", "deactivated"),
], ids=["qualified", "xone", "targetNode", "node-shape class", "sequence path", "int", "or nodeKind",
        "sh:node to properties", "or minCount 2", "untargeted"])
def test_unsupported_shacl_is_refused(turtle: str, refused: str) -> None:
    with pytest.raises(ValueError, match=refused):
        CompiledShapes(rdflib.Graph().parse(data=PREFIXES + turtle, format="turtle"))


def test_sh_shape_is_an_annotation() -> None:
    """``sh:shape`` (no SHACL term, written in DCAT-AP's shapes.ttl) is ignored, as pyshacl ignores it."""
    graph = rdflib.Graph().parse(data=PREFIXES + """
        ex:S a sh:NodeShape ; sh:targetClass ex:C ;
            sh:property [ sh:path ex:p ; sh:maxCount 1 ; sh:shape ex:D ] .
        ex:D a sh:NodeShape ; sh:or ( [ sh:datatype xsd:date ] ) .""", format="turtle")
    assert [c.component for c in CompiledShapes(graph).constraints] == ["maxCount"]


def test_shared_property_shapes_targets_and_inverse_paths_equal_pyshacl() -> None:
    """Beyond DCAT-AP's own use: a property shape shared by IRI, several targets, subclasses, and every
    constraint on an inverse path."""
    graph = rdflib.Graph().parse(data=PREFIXES + """
        ex:Named a sh:PropertyShape ; sh:path ex:name ; sh:minCount 1 ; sh:maxCount 1 ; sh:minLength 3 ;
            sh:pattern "^[A-Z]" ; sh:nodeKind sh:Literal .
        ex:A a sh:NodeShape ; sh:targetClass ex:C, ex:D ; sh:property ex:Named ;
            sh:property [ sh:path [ sh:inversePath ex:partOf ] ; sh:minCount 1 ; sh:maxCount 2 ;
                          sh:class ex:Part ; sh:nodeKind sh:IRI ; sh:severity sh:Info ;
                          sh:or ( [ sh:class ex:Part ] [ sh:path ex:label ; sh:minCount 1 ] ) ] .
        ex:B a sh:NodeShape ; sh:targetClass ex:E ; sh:property ex:Named ;
            sh:property [ sh:path [ sh:inversePath ex:partOf ] ; sh:datatype xsd:string ; sh:minLength 4 ;
                          sh:pattern "^urn:" ] .
        """, format="turtle")
    document = Document("shared", PREFIXES + """@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
        ex:Sub rdfs:subClassOf ex:C . ex:SubSub rdfs:subClassOf ex:Sub .
        ex:both a ex:C, ex:D, ex:E ; ex:name "ab", "Cd" .
        ex:sub a ex:SubSub ; ex:name ex:iri .
        ex:empty a ex:D .
        ex:whole a ex:C ; ex:name "Whole" .
        ex:p1 a ex:Part ; ex:partOf ex:whole . ex:p2 ex:partOf ex:whole ; ex:label "two" .
        _:p3 ex:partOf ex:whole . ex:p4 a ex:Part ; ex:partOf ex:both .
        """, "http://ex/")
    staging = Store()
    staging.extend(document.staged())
    ours = Counter(compiled_key(r, {"shared": document}) for r in CompiledShapes(graph).validate(staging))
    assert_same(ours, pyshacl_results(document, graph))
    assert {k[4] for k in ours} >= {f"{c}ConstraintComponent" for c in (
        "MinCount", "MaxCount", "MinLength", "Pattern", "NodeKind", "Class", "Datatype", "Or")}


# -- lexical forms, as pyshacl reads them -----------------------------------------------------------

LEXICAL_FORMS = {
    "date": ["2020-01-05", "2020-02-29", "2021-02-29", "1900-02-29", "2000-02-29", "2020-04-31", "2020-13-45",
             "2020-01-05Z", "2020-01-05+01:00", "2020-01-05-05:00", "2020-01-05T10:00:00", "2020-W01-1",
             "2020-W52", "20200105", "0001-01-01", "9999-12-31", "0000-01-01", "-0044-03-15", "2020-1-5",
             " 2020-01-05", "2020-01-05ZZ"],
    "dateTime": ["2020-01-05T10:00:00", "2020-01-05T10:00:00Z", "2020-01-05T10:00:00.123456789+01:00",
                 "2020-01-05", "2020-01-05T10:00", "2020-01-05T10", "2020-01-05 10:00:00", "20200105T100000",
                 "2020-01-05T24:00:00", "2020-01-05T23:59:60", "2020-01-05T10:00:00z", "2020-01-05T",
                 "2020-02-30T10:00:00", "2020-01-05T10:00:00+24:00", "2020-W01-1T10:00",
                 "10000-01-01T00:00:00"],
    "duration": ["P1Y", "P1Y2M3DT4H5M6.5S", "-P1D", "PT1.5S", "P1W", "PT", "P", "P1,5Y", "PT1.S", "P1D1Y",
                 "P0001-01-01T00:00:00", "1 day"],
    "decimal": ["1", "1.50", "-1.5", "+.5", "1.", "1e5", " 1.5 ", "1_000", "NaN", "-Infinity", "abc", ".",
                "1.2.3"],
    "integer": ["1", "-1", "+1", "01", " 12 ", "1_000", "1.0", "abc", "1__0"],
    "nonNegativeInteger": ["0", "5", "007", "-0", "-1", "+5", " 3 ", "1_0", "5.0"],
    "positiveInteger": ["1", "0", "-1", "0_1"],
    "double": ["1", "1.5", "1e5", "INF", "-inf", "NaN", "1_0.5", "1__0", ".5", "abc"],
    "boolean": ["true", "false", "1", "0", "TRUE", "yes"],
    "hexBinary": ["", "AB", "abcd", "ABC", "0g"],
    "gYear": ["2020", "abcd", "-0044"],
    "string": ["anything"],
}


def test_lexical_forms_are_valid_as_pyshacl_reads_them() -> None:
    """Each datatype's well- and ill-typed literals, staged, as sh:datatype and as an sh:or alternative.

    Each literal is the value of a node of its own: rdflib normalises lexical forms as it parses, even
    some ill-typed ones (``"TRUE"^^xsd:boolean`` becomes ``"true"``), so two literals of one node could
    become one value for pyshacl.
    """
    properties = "\n".join(
        f"ex:S sh:property [ sh:path ex:{name} ; sh:datatype xsd:{name} ] , "
        f"[ sh:path ex:{name} ; sh:or ( [ sh:datatype xsd:{name} ] [ sh:class ex:Never ] ) ] ."
        for name in LEXICAL_FORMS)
    graph = rdflib.Graph().parse(data=PREFIXES + "ex:S a sh:NodeShape ; sh:targetClass ex:C .\n" + properties,
                                 format="turtle")
    cases = [(name, form) for name, forms in LEXICAL_FORMS.items() for form in forms]
    values = "\n".join(f"ex:x{n} a ex:C ; ex:{name} {rdflib.Literal(form).n3()}^^xsd:{name} ."
                       for n, (name, form) in enumerate(cases))
    document = Document("forms", PREFIXES + values, "http://ex/")
    assert not document.errors
    staging = Store()
    staging.extend(document.staged())
    ours = Counter(compiled_key(r, {"forms": document}) for r in CompiledShapes(graph).validate(staging))
    assert_same(ours, pyshacl_results(document, graph))
    assert sum(ours.values()) > 40, "the forms should include ill-typed ones"


# -- 1,000 datasets in one document -------------------------------------------------------------------

def synthetic_catalogue(size: int) -> str:
    """A catalogue of ``size`` datasets, each with a title, description, keyword and a distribution with
    an access URL; every tenth lacks its description, every hundredth's distribution its access URL, and
    every fiftieth's issue date is ill-typed."""
    lines = ["@prefix dcat: <http://www.w3.org/ns/dcat#> . @prefix dct: <http://purl.org/dc/terms/> .",
             "@prefix foaf: <http://xmlns.com/foaf/0.1/> .",
             "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> . @prefix ex: <http://example.org/> .",
             'ex:catalogue a dcat:Catalog ; dct:title "Catalogue"@en ; dct:description "Synthetic."@en ;',
             "  dct:publisher ex:publisher .",
             'ex:publisher a foaf:Agent ; foaf:name "Publisher" .']
    for i in range(size):
        description = "" if i % 10 == 0 else f'dct:description "About dataset {i}."@en ; '
        issued = '"2020-13-45"' if i % 50 == 0 else f'"2020-01-{1 + i % 28:02d}"'
        access = "" if i % 100 == 0 else f"dcat:accessURL <http://example.org/data/{i}> ; "
        lines += [f"ex:catalogue dcat:dataset ex:dataset{i} .",
                  f'ex:dataset{i} a dcat:Dataset ; dct:title "Dataset {i}"@en ; {description}'
                  f'dcat:keyword "keyword {i}"@en ; dct:issued {issued}^^xsd:date ; '
                  f"dcat:distribution ex:distribution{i} .",
                  f"ex:distribution{i} a dcat:Distribution ; {access}dct:format ex:csv ."]
    return "\n".join(lines)


@pytest.mark.parametrize("level", ["mandatory", "both"])
def test_a_thousand_datasets(level: str) -> None:
    """Compiled and pyshacl agree on a 1,000-dataset catalogue; their times are printed, not asserted."""
    document = Document("catalogue", synthetic_catalogue(1000), "http://example.org/")
    shapes_graph = shapes(level)
    started = time.perf_counter()
    compiled = CompiledShapes(shapes_graph)
    staging = Store()
    staging.extend(document.staged())
    results = list(compiled.validate(staging))
    compiled_time = time.perf_counter() - started
    started = time.perf_counter()
    theirs = pyshacl_results(document, shapes_graph)
    pyshacl_time = time.perf_counter() - started
    ours = Counter(compiled_key(r, {"catalogue": document}) for r in results)
    print(f"\n{level}, 1,000 datasets: compiled {compiled_time:.2f} s ({len(results)} results), "
          f"pyshacl {pyshacl_time:.2f} s")
    assert_same(ours, theirs)

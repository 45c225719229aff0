"""The Bioschemas profile shapes (``shapes/profiles/``): one well-formed profile per file, each level at
its own severity, compiled to SPARQL with the results pyshacl gives, document by document."""

from __future__ import annotations

import re
from pathlib import Path

import pyshacl
import pytest
import rdflib
from pyoxigraph import NamedNode, Quad, RdfFormat, Store, Triple, parse, serialize
from rdflib.namespace import OWL, RDF, RDFS, SH

from lifecat.graph.shacl import CompiledShapes, Result

ROOT = Path(__file__).parents[2]
PROFILES = ROOT / "shapes" / "profiles"
FIXTURES = Path(__file__).parents[1] / "fixtures" / "profiles"
PROFILE_FILES = sorted(PROFILES.glob("*.ttl"))
FIXTURE_FILES = sorted(p for p in FIXTURES.iterdir() if p.suffix in {".jsonld", ".ttl"})

SCHEMA = rdflib.Namespace("http://schema.org/")
BIOSCHEMAS = rdflib.Namespace("https://bioschemas.org/")
DCT_CONFORMS_TO = rdflib.URIRef("http://purl.org/dc/terms/conformsTo")
SEVERITIES = {SH.Violation, SH.Warning, SH.Info}
#: The constraint each property shape carries, and the only value it may have.
CONSTRAINTS = {SH.minCount: rdflib.Literal(1), SH.maxCount: rdflib.Literal(1), SH.nodeKind: SH.IRI}
NODE_TERMS = {SH.targetClass, SH.property, SH.name, SH.description, SH.message, SH.severity}
PROPERTY_TERMS = {SH.path, SH.severity, SH.name, SH.message, SH.description, *CONSTRAINTS}
VERSION = re.compile(r"\d+\.\d+-(RELEASE|DRAFT)(-\d{4}_\d{2}_\d{2})?")
#: The profiles the provider check needs at least.
REQUIRED = {"ComputationalTool", "Dataset", "DataCatalog", "Sample", "Organization", "Person",
            "ScholarlyArticle", "TrainingMaterial", "MolecularEntity", "Protein", "Gene", "Taxon",
            "ChemicalSubstance", "ComputationalWorkflow"}

Key = tuple[str, str, str, str]


def profile_graph(path: Path) -> rdflib.Graph:
    return rdflib.Graph().parse(path, format="turtle")


def all_profiles() -> rdflib.Graph:
    graph = rdflib.Graph()
    for path in PROFILE_FILES:
        graph.parse(path, format="turtle")
    return graph


def property_shapes(graph: rdflib.Graph) -> list[rdflib.term.Node]:
    return list(graph.objects(None, SH.property))


def document(path: Path) -> list[Triple]:
    """A fixture's statements: JSON-LD with an inline context, or Turtle, so no network is needed."""
    fmt = RdfFormat.JSON_LD if path.suffix == ".jsonld" else RdfFormat.TURTLE
    return [Triple(q.subject, q.predicate, q.object) for q in parse(path=path, format=fmt)]


def key(focus: str, path: str, component: str, severity: str) -> Key:
    """A result as both validators can state it: what is checked where, and how bad it is."""
    return focus, path, component.rsplit("#", 1)[-1], severity.rsplit("#", 1)[-1]


def compiled_key(result: Result) -> Key:
    component = result.component[0].upper() + result.component[1:] + "ConstraintComponent"
    return key(result.focus.value, result.path.value, component, result.severity.value)


def pyshacl_results(triples: list[Triple], shapes: rdflib.Graph) -> set[Key]:
    data = rdflib.Graph().parse(data=serialize(triples, format=RdfFormat.N_TRIPLES), format="nt")
    _, report, _ = pyshacl.validate(data, shacl_graph=shapes)
    return {key(str(report.value(r, SH.focusNode)), str(report.value(r, SH.resultPath)),
                str(report.value(r, SH.sourceConstraintComponent)), str(report.value(r, SH.resultSeverity)))
            for r in report.subjects(SH.focusNode, None)}


@pytest.fixture(scope="module")
def compiled_by_fixture() -> dict[str, set[Key]]:
    """Every fixture validated at once against every profile, each document in its own named graph."""
    store = Store()
    for path in FIXTURE_FILES:
        graph = NamedNode(f"urn:lifecat:fixture:{path.name}")
        store.extend(Quad(t.subject, t.predicate, t.object, graph) for t in document(path))
    results: dict[str, set[Key]] = {path.name: set() for path in FIXTURE_FILES}
    for result in CompiledShapes(all_profiles()).validate(store):
        results[result.graph.value.rsplit(":", 1)[1]].add(compiled_key(result))
    return results


def test_the_required_profiles_are_there() -> None:
    assert {path.stem for path in PROFILE_FILES} >= REQUIRED


@pytest.mark.parametrize("path", PROFILE_FILES, ids=lambda p: p.stem)
def test_profile_is_one_well_formed_node_shape(path: Path) -> None:
    graph = profile_graph(path)
    (shape,) = graph.subjects(RDF.type, SH.NodeShape)
    (target,) = graph.objects(shape, SH.targetClass)
    assert str(target).startswith((str(SCHEMA), str(BIOSCHEMAS)))
    assert {p for p in graph.predicates(shape) if str(p).startswith(str(SH))} <= NODE_TERMS
    label, version = str(graph.value(shape, RDFS.label)), str(graph.value(shape, OWL.versionInfo))
    assert label == path.stem
    assert VERSION.fullmatch(version), version
    assert graph.value(shape, RDFS.isDefinedBy) == rdflib.URIRef(
        f"https://bioschemas.org/profiles/{label}/{version}")
    assert str(graph.value(shape, SH.name)) == f"Bioschemas {label} {version}"
    assert shape == rdflib.URIRef(f"https://w3id.org/lifecat/shapes/bioschemas#{label}")


@pytest.mark.parametrize("path", PROFILE_FILES, ids=lambda p: p.stem)
def test_every_property_shape_is_annotated_and_levelled(path: Path) -> None:
    """Each property is missing at one level, and a repeated or non-URL value is reported at the same one."""
    graph = profile_graph(path)
    (shape,) = graph.subjects(RDF.type, SH.NodeShape)
    level: dict[rdflib.term.Node, rdflib.term.Node] = {}
    checks: set[tuple[rdflib.term.Node, rdflib.term.Node]] = set()
    for prop in property_shapes(graph):
        assert set(graph.predicates(prop)) <= PROPERTY_TERMS
        path_iri = graph.value(prop, SH.path)
        assert isinstance(path_iri, rdflib.URIRef)
        assert str(path_iri).startswith(str(SCHEMA)) or path_iri in {RDF.type, DCT_CONFORMS_TO}
        (constraint,) = set(graph.predicates(prop)) & set(CONSTRAINTS)
        assert graph.value(prop, constraint) == CONSTRAINTS[constraint]
        assert (path_iri, constraint) not in checks, f"{path_iri} {constraint} twice"
        checks.add((path_iri, constraint))
        for annotation in (SH.name, SH.message, SH.description):
            value = graph.value(prop, annotation)
            assert isinstance(value, rdflib.Literal) and str(value).strip(), f"{path_iri}: no {annotation}"
        local = str(path_iri).rsplit("/", 1)[-1].rsplit("#", 1)[-1]
        assert f"({local})" in str(graph.value(prop, SH.message))
        severity = graph.value(prop, SH.severity)
        assert severity in SEVERITIES
        if constraint == SH.minCount:
            level[path_iri] = severity
    assert level, f"{shape} checks no property"
    for path_iri, constraint in checks:
        assert path_iri in level, f"{path_iri} has {constraint} but no minCount"
    for prop in property_shapes(graph):
        assert graph.value(prop, SH.severity) == level[graph.value(prop, SH.path)]
    if DCT_CONFORMS_TO in level:
        iri = str(graph.value(shape, RDFS.isDefinedBy))
        assert any(iri in str(graph.value(p, SH.description)) for p in property_shapes(graph)
                   if graph.value(p, SH.path) == DCT_CONFORMS_TO)


def test_profiles_do_not_share_an_iri() -> None:
    iris = [iri for path in PROFILE_FILES for iri in profile_graph(path).objects(None, RDFS.isDefinedBy)]
    assert len(iris) == len(PROFILE_FILES) == len(set(iris))


@pytest.mark.parametrize("path", PROFILE_FILES, ids=lambda p: p.stem)
def test_profile_compiles(path: Path) -> None:
    graph = profile_graph(path)
    assert len(CompiledShapes(graph).constraints) == len(property_shapes(graph))


def test_the_readme_names_each_profile_its_version_and_target() -> None:
    readme = (PROFILES / "README.md").read_text()
    for path in PROFILE_FILES:
        graph = profile_graph(path)
        (shape,) = graph.subjects(RDF.type, SH.NodeShape)
        target = str(graph.value(shape, SH.targetClass))
        target = target.replace(str(SCHEMA), "schema:").replace(str(BIOSCHEMAS), "bioschemas:")
        row = next((line for line in readme.splitlines() if line.startswith(f"| {path.stem} |")), "")
        assert str(graph.value(shape, OWL.versionInfo)) in row and f"`{target}`" in row, path.stem


@pytest.mark.parametrize("path", FIXTURE_FILES, ids=lambda p: p.name)
def test_compiled_results_equal_pyshacl(path: Path, compiled_by_fixture: dict[str, set[Key]]) -> None:
    assert compiled_by_fixture[path.name] == pyshacl_results(document(path), all_profiles())


def test_the_fixtures_exercise_every_constraint_at_every_level(
        compiled_by_fixture: dict[str, set[Key]]) -> None:
    """So that the comparison with pyshacl covers each kind of result the checker reports."""
    found = {(component, severity) for results in compiled_by_fixture.values()
             for _, _, component, severity in results}
    assert found == {(f"{c}ConstraintComponent", s) for c in ("MinCount", "MaxCount", "NodeKind")
                     for s in ("Violation", "Warning", "Info")}


def levels(results: set[Key], focus: str) -> dict[str, set[tuple[str, str]]]:
    """A focus node's results by severity, as (property, constraint) pairs."""
    out: dict[str, set[tuple[str, str]]] = {"Violation": set(), "Warning": set(), "Info": set()}
    for node, path, component, severity in results:
        if node == focus:
            out[severity].add((path.rsplit("/", 1)[-1], component.removesuffix("ConstraintComponent")))
    return out


def test_a_tool_with_only_the_minimum_is_warned_of_each_missing_recommended_property(
        compiled_by_fixture: dict[str, set[Key]]) -> None:
    found = levels(compiled_by_fixture["tool-minimum.jsonld"], "https://tools.example.org/aligner")
    assert found["Violation"] == set()
    assert found["Warning"] == {(p, "MinCount") for p in (
        "applicationCategory", "applicationSubCategory", "author", "citation", "featureList", "license",
        "softwareVersion")}
    assert ("codeRepository", "MinCount") in found["Info"]


def test_a_complete_tool_only_lacks_optional_properties(compiled_by_fixture: dict[str, set[Key]]) -> None:
    found = levels(compiled_by_fixture["tool-complete.jsonld"], "https://tools.example.org/peakfinder")
    assert found["Violation"] == found["Warning"] == set()
    assert ("codeRepository", "MinCount") not in found["Info"]
    assert ("identifier", "MinCount") in found["Info"]


#: Findings per fixture, focus node and level. An empty set: nothing at that level. Otherwise each listed
#: finding is there, and the repeated-value and not-a-URL findings are exactly those listed; missing
#: properties beyond the listed ones are left to the comparison with pyshacl.
FINDINGS = [
    pytest.param(
        "tool-text-urls.jsonld", "https://tools.example.org/trimmer",
        {"Violation": {("url", "NodeKind")},
         "Info": {("codeRepository", "NodeKind"), ("thumbnailUrl", "NodeKind")}},
        id="tool-text-urls"),
    pytest.param(
        "tool-repeated.jsonld", "https://tools.example.org/counter",
        {"Violation": {("name", "MaxCount"), ("description", "MaxCount"), ("url", "MaxCount")},
         "Info": {("isAccessibleForFree", "MaxCount")}},
        id="tool-repeated"),
    pytest.param(
        "dataset-missing-minimum.jsonld", "https://data.example.org/dataset/42",
        {"Violation": {(p, "MinCount") for p in ("identifier", "keywords", "license", "url")}},
        id="dataset-missing-minimum"),
    pytest.param(
        "dataset-missing-minimum.jsonld", "https://orcid.org/0000-0002-1825-0097",
        {"Violation": {("mainEntityOfPage", "MinCount")}},
        id="dataset-creator"),
    pytest.param(
        "dataset-complete.ttl", "https://data.example.org/dataset/7",
        {"Violation": set(), "Warning": set(), "Info": {("sameAs", "NodeKind")}},
        id="dataset-complete"),
    pytest.param(
        "sample-text-url.jsonld", "https://samples.example.org/S001",
        {"Violation": set(), "Warning": {("url", "NodeKind")}},
        id="sample-text-url"),
    pytest.param(
        "taxon-two-names.ttl", "https://taxa.example.org/delphinapterus-leucas",
        {"Violation": {("name", "MaxCount")},
         "Warning": {("scientificName", "MinCount"), ("sameAs", "MinCount")}},
        id="taxon-two-names"),
    pytest.param(
        "training-material-two-urls.jsonld", "https://training.example.org/materials/shell",
        {"Violation": set(), "Warning": {("url", "MaxCount")}},
        id="training-material-two-urls"),
    pytest.param(
        "gene-and-protein.jsonld", "https://genes.example.org/G1",
        {"Violation": {("identifier", "MaxCount")},
         "Warning": {("description", "MinCount"), ("isPartOfBioChemEntity", "MinCount")}},
        id="gene"),
    pytest.param(
        "gene-and-protein.jsonld", "https://proteins.example.org/P1",
        {"Violation": {("name", "MinCount")}, "Info": {("mainEntityOfPage", "NodeKind")}},
        id="protein"),
    pytest.param(
        "organization-minimum.jsonld", "https://orgs.example.org/genome-institute",
        {"Violation": set(), "Warning": {("url", "NodeKind")}},
        id="organization-minimum"),
    pytest.param(
        "workflow.jsonld", "https://workflows.example.org/variant-calling/1",
        {"Violation": set()},
        id="workflow"),
    pytest.param(
        "workflow.jsonld", "https://workflows.example.org/variant-calling/1#variants",
        {"Violation": {("name", "MaxCount")}, "Warning": {("additionalType", "NodeKind")}},
        id="workflow-output"),
]


@pytest.mark.parametrize("fixture, focus, expected", FINDINGS)
def test_findings_are_reported_at_the_level_of_the_property(
        fixture: str, focus: str, expected: dict[str, set[tuple[str, str]]],
        compiled_by_fixture: dict[str, set[Key]]) -> None:
    found = levels(compiled_by_fixture[fixture], focus)
    for severity, pairs in expected.items():
        if not pairs:
            assert found[severity] == set(), severity
            continue
        assert pairs <= found[severity], severity
        assert {p for p in found[severity] if p[1] != "MinCount"} == {p for p in pairs if p[1] != "MinCount"}


def test_a_page_no_profile_targets_has_no_results(compiled_by_fixture: dict[str, set[Key]]) -> None:
    assert compiled_by_fixture["webpage.jsonld"] == set()

"""Severities that match what a problem means, on every backend.

Only a record that cannot stand (no identifier, no name, a value present but unusable, conflicting
values) is quarantined. A missing minimum property is a warning and a missing recommended one a note:
the record loads, its page lists what it lacks in plain words, and the build summary, VoID and the
home page count the records loaded with warnings per source.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack
from html.parser import HTMLParser
from pathlib import Path

import pytest
import rdflib
from fastapi.testclient import TestClient
from pyoxigraph import Quad, RdfFormat, parse
from pyoxigraph import Store as Oxigraph

from lifecat.core.config import Settings, SourceConfig
from lifecat.core.uris import Minter
from lifecat.core.vocab import LIFECAT, compact
from lifecat.core.vocab import SH as SHACL
from lifecat.endpoint.app import create_app
from lifecat.graph import void
from lifecat.graph.build import SourceReport, build, staging_graph
from lifecat.graph.shacl import CompiledShapes, load_shapes, shape_files
from tests.utils.stores import copy_of, store_settings

FIXTURES = Path(__file__).parents[1] / "fixtures"
BASE = "http://lifecat.test/"
MINT = Minter(BASE)
SOURCES = [SourceConfig(format="biotools", path=str(FIXTURES / "severities"), name="tools"),
           SourceConfig(format="bioregistry", path=str(FIXTURES / "bioregistry"), name="registry")]
SH = rdflib.Namespace("http://www.w3.org/ns/shacl#")


@pytest.fixture(scope="module")
def built(backend: str, tmp_path_factory: pytest.TempPathFactory
          ) -> Iterator[tuple[Settings, dict[str, SourceReport], list[str]]]:
    """Both fixture sources built once per backend through the real build, with what it printed."""
    with ExitStack() as stack:
        settings = store_settings(backend, tmp_path_factory.mktemp(f"severities-{backend}"), stack, base=BASE)
        printed: list[str] = []
        reports = build(settings, SOURCES, progress=False, log=printed.append)
        yield settings, {r.name: r for r in reports}, printed


@pytest.fixture(scope="module")
def client(built: tuple[Settings, dict[str, SourceReport], list[str]]) -> Iterator[TestClient]:
    with TestClient(create_app(built[0])) as test_client:
        yield test_client


# -- the shapes, on records written by hand (independent of any mapping) -----------------------------

TOOL = """@prefix schema: <http://schema.org/> .
<http://lifecat.test/id/tool/t> a schema:SoftwareApplication ; {}"""
TOOL_MINIMUM = 'schema:name "T" ; schema:description "A tool." ; schema:url <https://t.example.org> .'
TOOL_ALL = TOOL_MINIMUM[:-1] + """; schema:softwareVersion "1" ;
  schema:license <http://spdx.org/licenses/MIT> ; schema:citation <http://lifecat.test/id/article/x> ;
  schema:featureList <http://edamontology.org/operation_0292> ;
  schema:applicationSubCategory <http://edamontology.org/topic_0080> ."""
DATASET = """@prefix schema: <http://schema.org/> .
<http://lifecat.test/id/dataset/d> a schema:Dataset ; schema:name "D" ; schema:description "Data." ;
  schema:url <https://d.example.org> ; schema:keywords "k" ;
  schema:license <http://spdx.org/licenses/MIT> ; {}"""


@pytest.mark.parametrize("turtle, expected", [
    (TOOL.format(TOOL_ALL), set()),
    (TOOL.format(TOOL_MINIMUM), {
        ("Info", "no version (schema:softwareVersion)"), ("Info", "no licence (schema:license)"),
        ("Info", "no publication about the tool (schema:citation)"),
        ("Info", "no EDAM operations (schema:featureList)"),
        ("Info", "no EDAM topics (schema:applicationSubCategory)")}),
    (TOOL.format(TOOL_ALL.replace('schema:url <https://t.example.org> ;', '')),
     {("Warning", "no homepage (schema:url)")}),
    (TOOL.format(TOOL_ALL.replace('schema:description "A tool." ;', '')),
     {("Warning", "no description (schema:description)")}),
    (TOOL.format(TOOL_ALL.replace('<https://t.example.org>', '"see our website"')),
     {("Violation", "the homepage is not a link (schema:url)")}),
    (TOOL.format(TOOL_ALL.replace('<http://spdx.org/licenses/MIT>', '"free for academics"')),
     {("Info", "the licence is text, not a link (schema:license)")}),
    (TOOL.format(TOOL_ALL.replace('schema:name "T" ;', '')), {("Violation", "no name (schema:name)")}),
    (DATASET.format('schema:identifier "D1" .'), set()),
    (DATASET.format('schema:identifier "D1" .').replace('schema:url <https://d.example.org> ;', ''),
     {("Warning", "no landing page (schema:url)")}),
    (DATASET.format("."), {("Violation", "no identifier (schema:identifier)")}),
], ids=["tool complete", "tool minimum only", "tool without homepage", "tool without description",
        "tool homepage not a link", "tool licence as text", "tool without name", "dataset complete",
        "dataset without landing page", "dataset without identifier"])
def test_severity_says_whether_the_record_can_stand(turtle: str, expected: set[tuple[str, str]]) -> None:
    staging = Oxigraph()
    staging.extend(Quad(t.subject, t.predicate, t.object, staging_graph(0))
                   for t in parse(turtle, format=RdfFormat.TURTLE))
    found = {(r.severity.value.rpartition("#")[2], r.message)
             for r in CompiledShapes(load_shapes()).validate(staging)}
    assert found == expected


def property_shapes() -> list[tuple[str, rdflib.term.Node]]:
    shapes = load_shapes()
    return [(str(path), message) for prop in shapes.objects(None, SH.property)
            for path in [shapes.value(prop, SH.path)] for message in [shapes.value(prop, SH.message)]]


@pytest.mark.parametrize("path, message", property_shapes(), ids=lambda v: compact(str(v)))
def test_every_constraint_says_what_is_wrong_in_plain_words(path: str, message: rdflib.term.Node) -> None:
    """A record page shows these messages as they are: no SHACL jargon, and the property named."""
    assert message is not None, f"{path}: the property shape has no sh:message"
    assert f"({compact(path)})" in str(message), message
    for jargon in ("minCount", "maxCount", "nodeKind", "datatype", "sh:", "Shape", "must"):
        assert jargon not in str(message), message


@pytest.mark.parametrize("path", shape_files(), ids=lambda p: p.name)
def test_every_shape_file_states_the_severity_rule(path: Path) -> None:
    header = path.read_text(encoding="utf-8")
    assert "sh:Violation only where a record\n# cannot stand" in header
    assert "a missing minimum property is a sh:Warning and a missing recommended one sh:Info" in " ".join(
        line.removeprefix("# ") for line in header.splitlines())


# -- the real build on a small fixture -----------------------------------------------------------------

def test_missing_minimum_properties_load_with_warnings(built) -> None:
    _, reports, _ = built
    tools = reports["tools"]
    assert (tools.read, tools.loaded, tools.quarantined) == (7, 5, 2)
    assert tools.read == tools.loaded + tools.quarantined
    # nohomepage, nodescription and bare lack a minimum property; complete and recommended do not
    assert tools.loaded_with_warnings == 3
    assert set(tools.warning_rules) == {"ComputationalToolShape url: minCount",
                                   "ComputationalToolShape description: minCount"}
    registry = reports["registry"]
    assert (registry.read, registry.loaded, registry.quarantined) == (7, 6, 1)
    # nodesc (no description), badhome (its homepage is not an IRI, so the mapping dropped it) and
    # both registries (no keywords, no provider: Bioschemas DataCatalog minimum properties)
    assert registry.loaded_with_warnings == 4


def test_records_without_name_or_identifier_are_still_quarantined(built) -> None:
    settings, reports, _ = built
    assert set(reports["tools"].reasons) == {"ComputationalToolShape name: minCount",
                                             "record has no id"}
    assert set(reports["registry"].reasons) == {"cannot map record: mappings"}
    store = copy_of(settings)
    noname = MINT.record("tool", "noname")
    assert not any(store.quads_for_pattern(noname, None, None, MINT.graph("tools")))
    assert any(store.quads_for_pattern(noname, None, None, MINT.quarantine_graph("tools")))
    messages = {q.object.value for q in store.quads_for_pattern(None, SHACL.resultMessage, None,
                                                                 MINT.quarantine_graph("tools"))}
    assert "no name (schema:name)" in messages
    for key in ("nohomepage", "nodescription", "bare", "recommended", "complete"):
        assert any(store.quads_for_pattern(MINT.record("tool", key), None, None, MINT.graph("tools"))), key


def test_the_summary_counts_loaded_with_warnings(built) -> None:
    _, reports, printed = built
    assert reports["tools"].summary() == (
        "tools (biotools): read 7, loaded 5, quarantined 2, loaded with warnings 3")
    assert reports["tools"].summary() in printed
    assert "registry (bioregistry): read 7, loaded 6, quarantined 1, loaded with warnings 4" in printed
    assert "  loaded with warnings 2: ComputationalToolShape url: minCount" in printed


class Validation(HTMLParser):
    """The record page's validation cell: its attributes, and each list's items by level."""

    def __init__(self) -> None:
        super().__init__()
        self.cell: dict[str, str | None] = {}
        self.headings: list[str] = []
        self.items: dict[str, list[str]] = {}
        self._depth = 0
        self._level: str | None = None
        self._heading = False
        self._item: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "td" and values.get("id") == "validation":
            self.cell, self._depth = values, 1
        elif self._depth and tag == "p":
            self._heading = True
            self.headings.append("")
        elif self._depth and tag == "ul":
            self._level = values.get("data-level")
            self.items.setdefault(self._level or "", [])
        elif self._depth and tag == "li":
            self._item = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "td":
            self._depth = 0
        elif tag == "p":
            self._heading = False
        elif tag == "li" and self._item is not None:
            self.items[self._level or ""].append(" ".join("".join(self._item).split()))
            self._item = None

    def handle_data(self, data: str) -> None:
        if self._heading:
            self.headings[-1] += data
        elif self._item is not None:
            self._item.append(data)


def validation_cell(client: TestClient, path: str) -> Validation:
    response = client.get(path, headers={"Accept": "text/html"})
    assert response.status_code == 200, path
    parser = Validation()
    parser.feed(response.text)
    return parser


def test_the_page_lists_what_is_missing_in_plain_words(client: TestClient) -> None:
    page = validation_cell(client, "/id/tool/bare")
    assert page.cell["data-conforms"] == "true" and page.cell["data-warnings"] == "2"
    assert page.headings[0] == "Missing, though its profile requires it:"
    assert page.items["warning"] == ["no description (schema:description)", "no homepage (schema:url)"]
    assert "no version (schema:softwareVersion)" in page.items["note"]
    assert "Missing, recommended:" in page.headings
    for items in page.items.values():
        assert not [i for i in items if "minCount" in i or "Shape" in i]


def test_a_record_with_its_minimum_has_no_warnings_on_its_page(client: TestClient) -> None:
    page = validation_cell(client, "/id/tool/recommended")
    assert page.cell["data-conforms"] == "true" and page.cell["data-warnings"] == "0"
    assert "warning" not in page.items
    assert "no licence (schema:license)" in page.items["note"]


def test_void_counts_loaded_with_warnings_per_source(client: TestClient, built) -> None:
    _, reports, _ = built
    response = client.get("/void", headers={"Accept": "text/turtle"})
    triples = list(parse(response.content, format=RdfFormat.TURTLE))
    for name, report in reports.items():
        dataset = void.dataset_iri(MINT, name)
        [count] = [t.object.value for t in triples
                   if t.subject == dataset and t.predicate == LIFECAT.recordsLoadedWithWarnings]
        assert int(count) == report.loaded_with_warnings, name


class SourceFigures(HTMLParser):
    """The home page's loaded-with-warnings figure of each source."""

    def __init__(self) -> None:
        super().__init__()
        self.figures: dict[str, int] = {}
        self._source: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._source = dict(attrs).get("data-loaded-with-warnings")

    def handle_data(self, data: str) -> None:
        if self._source and data.strip():
            self.figures[self._source] = int(data)
            self._source = None


def test_home_page_counts_loaded_with_warnings_per_source(client: TestClient, built) -> None:
    _, reports, _ = built
    figures = SourceFigures()
    figures.feed(client.get("/", headers={"Accept": "text/html"}).text)
    shown = {name: figures.figures.get(name) for name in reports}
    assert shown == {name: r.loaded_with_warnings for name, r in reports.items()}
    assert shown == {"tools": 3, "registry": 4}

"""Bioschemas markup as other publishers write it, built as a ``bioschemas`` source: every record loads,
and what a record lacks of its Bioschemas profile is reported as a warning, not a reason to quarantine.

The fixtures are ``tests/fixtures/bioschemas-variants/`` (a tool page whose @id is its url, an expanded
document, an @graph of two tools sharing an organisation, a catalogue page with HTML and script links,
a sample page, a WordPress page about a tool).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path

import pytest
from pyoxigraph import Literal, NamedNode, Store

from lifecat.core.config import Settings, SourceConfig
from lifecat.core.uris import Minter
from lifecat.core.vocab import LIFECAT, RDF, SCHEMA, SH
from lifecat.graph.build import SourceReport, build
from tests.utils.stores import copy_of, store_settings

FIXTURES = Path(__file__).parents[1] / "fixtures" / "bioschemas-variants"
BASE = "http://lifecat.test/"
MINT = Minter(BASE)
SOURCE = [SourceConfig(format="bioschemas", path=str(FIXTURES), name="markup")]
#: Every record of the fixtures: one per thing described, however many a file describes.
RECORDS = [MINT.record(kind, key) for kind, key in [
    ("tool", "foldweaver.example.org/"),
    ("dataset", "data.example.edu/datasets/cohort-serology-2021"),
    ("tool", "tools.genomics-lab.example.org/readsieve"),
    ("tool", "tools.genomics-lab.example.org/contigscope"),  # no description
    ("catalog", "registry.example.net/"),
    ("sample", "samples.example.org/samples/SAMEA99990001"),
    ("tool", "www.helixlab.example.com/software/primerforge/#software"),  # no url: its @id names a thing
]]


@pytest.fixture(scope="module")
def built(backend: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[SourceReport, Store]]:
    """The variants built once per backend: their report, and what the store holds."""
    with ExitStack() as stack:
        settings: Settings = store_settings(backend, tmp_path_factory.mktemp(f"markup-{backend}"), stack,
                                            base=BASE)
        [report] = build(settings, SOURCE, progress=False, log=lambda _: None)
        yield report, copy_of(settings)


def subjects(store: Store, graph: NamedNode) -> set[NamedNode]:
    return {q.subject for q in store.quads_for_pattern(None, None, None, graph)}


def test_every_record_is_loaded(built: tuple[SourceReport, Store]) -> None:
    report, store = built
    assert (report.read, report.loaded, report.quarantined) == (len(RECORDS), len(RECORDS), 0), report.reasons
    assert set(RECORDS) <= subjects(store, MINT.graph("markup"))
    assert not subjects(store, MINT.quarantine_graph("markup"))


def test_complete_records_are_loaded(built: tuple[SourceReport, Store]) -> None:
    report, store = built
    assert report.read == len(RECORDS) == report.loaded + report.quarantined
    public = subjects(store, MINT.graph("markup"))
    assert set(RECORDS[:3] + RECORDS[4:6]) <= public


def test_missing_recommended_properties_are_noted(built: tuple[SourceReport, Store]) -> None:
    report, store = built
    assert set(report.warnings) >= {
        "ComputationalToolShape applicationSubCategory: minCount",  # FoldWeaver
        "ComputationalToolShape featureList: minCount",
        "ComputationalToolShape citation: minCount",
        "DataCatalogShape license: minCount",
        "PersonShape identifier: minCount",  # an author given as a name has no ORCID
    }
    # the loaded record's report is kept beside it: what it lacks of the recommended properties is sh:Info
    (report_node,) = {q.subject for q in store.quads_for_pattern(None, LIFECAT.reportFor, RECORDS[0],
                                                                 MINT.meta_graph)}
    severities = {q.object for result in store.quads_for_pattern(report_node, SH.result, None, None)
                  for q in store.quads_for_pattern(result.object, SH.resultSeverity, None, None)}
    assert SH.Info in severities and SH.Violation not in severities


def test_missing_minimum_properties_are_warnings(built: tuple[SourceReport, Store]) -> None:
    report, _ = built
    assert set(report.warning_rules) >= {"ComputationalToolShape description: minCount",
                                         "ComputationalToolShape url: minCount"}
    assert report.loaded_with_warnings >= 2 and not report.reasons


def test_loaded_markup_has_urls_plain_text_and_agents(built: tuple[SourceReport, Store]) -> None:
    _, store = built
    public = MINT.graph("markup")

    def objects(subject: NamedNode, predicate: NamedNode) -> set[str]:
        return {q.object.value for q in store.quads_for_pattern(subject, predicate, None, public)}

    foldweaver, catalog = RECORDS[0], RECORDS[4]
    assert objects(foldweaver, SCHEMA.url) == {"https://foldweaver.example.org/"}
    assert objects(catalog, SCHEMA.url) == {"https://registry.example.net/"}
    (author,) = objects(foldweaver, SCHEMA.author)
    assert objects(NamedNode(author), RDF.type) == {SCHEMA.Person.value}
    assert objects(NamedNode(author), SCHEMA.name) == {"Marie Exemple"}
    for subject in (foldweaver, catalog, RECORDS[1]):
        (description,) = objects(subject, SCHEMA.description)
        assert not re.search(r"<|&#?\w+;", description), description  # no tag, no character reference


def test_no_script_link_is_stored(built: tuple[SourceReport, Store]) -> None:
    _, store = built
    for quad in store:
        if not quad.graph_name.value.startswith(BASE):  # a remote store's own graphs
            continue
        value = quad.object.value.strip().lower() if isinstance(quad.object, (NamedNode, Literal)) else ""
        assert not value.startswith(("javascript:", "data:")), quad
        assert "document.cookie" not in value or quad.predicate == SH.resultMessage, quad

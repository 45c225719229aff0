"""The build, on every backend: accounting, quarantine with reports, identical rebuilds, atomic swaps."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from pyoxigraph import NamedNode

from lifecat.core.config import Settings, SourceConfig
from lifecat.core.uris import Minter
from lifecat.graph.build import BuildError, build
from lifecat.graph.store import Store
from tests.utils.stores import raw_query

FIXTURES = Path(__file__).parents[1] / "fixtures" / "bioregistry"
BASE = "http://lifecat.test/"
MINT = Minter(BASE)
SOURCE = [SourceConfig(format="bioregistry", path=str(FIXTURES), name="fixture")]


def graph_quads(settings: Settings, graph: NamedNode) -> set[str]:
    """Every statement of ``graph``, blank nodes included (none of them is in a source graph)."""
    rows = raw_query(settings, f"SELECT ?s ?p ?o WHERE {{ GRAPH {graph} {{ ?s ?p ?o }} }}").solutions()
    return {f"{row['s']} {row['p']} {row['o']}" for row in rows}


def subjects(settings: Settings, graph: NamedNode) -> set[str]:
    rows = raw_query(settings, f"SELECT DISTINCT ?s WHERE {{ GRAPH {graph} {{ ?s ?p ?o }} }}").solutions()
    return {row["s"].value for row in rows}


@pytest.fixture
def built(new_store: Callable[..., Settings]) -> tuple[Settings, Store]:
    settings = new_store(base=BASE)
    build(settings, SOURCE, progress=False, log=lambda _: None)
    return settings, Store.open(settings)


def test_read_equals_loaded_plus_quarantined(new_store: Callable[..., Settings]) -> None:
    settings = new_store(base=BASE)
    [report] = build(settings, SOURCE, progress=False, log=lambda _: None)
    assert report.read == 7  # 2 registries, 1 collection, 4 resources
    assert report.read == report.loaded + report.quarantined
    # only the record that cannot be mapped; nodesc (no description) and badhome (its homepage is
    # not an IRI, so the mapping drops it) lack Bioschemas minimum properties: they load with warnings
    assert report.quarantined == 1
    assert set(report.reasons) == {"cannot map record: mappings"}
    assert report.loaded_with_warnings == 4  # nodesc, badhome, and both registries (no keywords, provider)


def test_quarantined_records_are_kept_with_their_report(built: tuple[Settings, Store]) -> None:
    settings, _ = built
    public = subjects(settings, MINT.graph("fixture"))
    quarantine = subjects(settings, MINT.quarantine_graph("fixture"))
    for key in ("nodesc", "badhome", "goodres"):  # missing minimum properties are warnings
        uri = MINT.record("catalog", key).value
        assert uri in public and uri not in quarantine
    reports = list(raw_query(settings,
        "PREFIX sh: <http://www.w3.org/ns/shacl#> "
        f"SELECT ?locator ?message WHERE {{ GRAPH {MINT.quarantine_graph('fixture')} {{ "
        "?r a sh:ValidationReport ; sh:conforms false ; "
        "<https://w3id.org/lifecat/ontology#sourceLocator> ?locator ; sh:result/sh:resultMessage ?message "
        "} }").solutions())
    by_locator = {r["locator"].value.rsplit("#", 1)[1]: r["message"].value for r in reports}
    assert set(by_locator) == {"broken"}
    assert "mappings" in by_locator["broken"]
    # every quarantined record's source JSON is kept (the unmappable one's too), so nothing is lost
    raw = raw_query(settings, f"SELECT ?o WHERE {{ GRAPH {MINT.quarantine_graph('fixture')} {{ "
                              "?s <https://w3id.org/lifecat/ontology#sourceRecord> ?o } }").rows
    # (only the unmappable record is quarantined here: what nodesc and badhome lack only warns)
    assert len(raw) == 1 and any('"mappings": ["not", "an", "object"]' in row[0] for row in raw)


def test_build_twice_gives_the_identical_graph(built: tuple[Settings, Store]) -> None:
    settings, store = built
    first = graph_quads(settings, MINT.graph("fixture"))
    generation = store.generation()
    build(settings, SOURCE, progress=False, log=lambda _: None)
    assert store.generation() != generation
    assert graph_quads(settings, MINT.graph("fixture")) == first


def test_unreadable_source_keeps_the_previous_graph(built: tuple[Settings, Store], tmp_path: Path) -> None:
    settings, store = built
    before, generation = graph_quads(settings, MINT.graph("fixture")), store.generation()
    bad = tmp_path / "bad"
    shutil.copytree(FIXTURES, bad)
    (bad / "bioregistry.json").write_text("{ this is not JSON")
    with pytest.raises(BuildError, match=r"bad/bioregistry\.json"):
        build(settings, [SourceConfig(format="bioregistry", path=str(bad), name="fixture")],
              progress=False, log=lambda _: None)
    assert store.generation() == generation
    assert graph_quads(settings, MINT.graph("fixture")) == before
    graphs = raw_query(settings, "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }").rows
    assert not [g for g in graphs if "/staging/" in g[0]]


def test_rebuilding_one_source_keeps_the_others(built: tuple[Settings, Store]) -> None:
    settings, _ = built
    other = [SourceConfig(format="bioregistry", path=str(FIXTURES), name="other")]
    build(settings, other, progress=False, log=lambda _: None)
    assert graph_quads(settings, MINT.graph("fixture"))
    assert graph_quads(settings, MINT.graph("other"))


@pytest.mark.parametrize("config, message", [
    (SourceConfig(format="nope", path="x"), "unknown format 'nope'"),
    (SourceConfig(format="bioregistry", path="/no/such/file.json"), "no such file"),
])
def test_bad_source_configuration(tmp_path: Path, config: SourceConfig, message: str) -> None:
    with pytest.raises(BuildError, match=message):
        build(Settings(store=str(tmp_path)), [config], progress=False, log=lambda _: None)


def test_default_build_loads_the_registry(default_build) -> None:  # type: ignore[no-untyped-def]
    _, [report] = default_build
    assert report.read == report.loaded + report.quarantined
    assert report.loaded >= 2900
    assert report.quarantined < report.read * 0.02

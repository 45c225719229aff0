"""Provenance: every load is a prov:Activity with its files and checksums; every record points to it."""

from __future__ import annotations

import doctest
import hashlib
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlparse

import pytest
from fastapi.testclient import TestClient
from pyoxigraph import NamedNode, RdfFormat, Store, parse

from lifecat.core.config import Settings
from lifecat.core.uris import Minter
from lifecat.core.version import __version__
from lifecat.core.vocab import DCAT, DCT, LIFECAT, PROV, SPDX
from lifecat.graph import provenance
from lifecat.graph.build import SourceReport
from tests.utils.stores import copy_of


def test_doctests() -> None:
    assert doctest.testmod(provenance).failed == 0


def _values(store: Store, subject: NamedNode, predicate: NamedNode, graph: NamedNode) -> list:
    return [q.object for q in store.quads_for_pattern(subject, predicate, None, graph)]


def _load(store: Store, mint: Minter, source: str) -> NamedNode:
    [load] = [q.subject for q in store.quads_for_pattern(None, PROV.generated, mint.graph(source),
                                                        mint.meta_graph)]
    return load


def test_load_activity_names_files_checksums_times_version_and_counts(
        default_build: tuple[Settings, list[SourceReport]]) -> None:
    settings, [report] = default_build
    mint, store = Minter(settings.base), copy_of(settings)
    load, meta = _load(store, mint, "bioregistry"), mint.meta_graph

    def one(predicate: NamedNode) -> str:
        [value] = _values(store, load, predicate, meta)
        return value.value

    assert one(LIFECAT.softwareVersion) == __version__
    assert one(LIFECAT.mapping) == "bioregistry"
    assert one(PROV.startedAtTime) <= one(PROV.endedAtTime)
    read, loaded, quarantined = (int(one(p)) for p in (
        LIFECAT.recordsRead, LIFECAT.recordsLoaded, LIFECAT.recordsQuarantined))
    assert (read, loaded, quarantined) == (report.read, report.loaded, report.quarantined)
    assert read == loaded + quarantined
    used = _values(store, load, PROV.used, meta)
    assert {f.value for f in used} and len(used) == 3  # bioregistry, metaregistry, collections
    for entity in used:
        [location] = _values(store, entity, PROV.atLocation, meta)
        path = Path(urlparse(location.value).path)
        [checksum] = _values(store, entity, SPDX.checksum, meta)
        [value] = _values(store, checksum, SPDX.checksumValue, meta)
        assert value.value == hashlib.sha256(path.read_bytes()).hexdigest(), path
        [size] = _values(store, entity, DCAT.byteSize, meta)
        assert int(size.value) == path.stat().st_size


def test_every_loaded_record_points_to_its_load_and_its_original(
        default_build: tuple[Settings, list[SourceReport]]) -> None:
    settings, [report] = default_build
    mint, store = Minter(settings.base), copy_of(settings)
    load = _load(store, mint, "bioregistry")
    records = [q.subject for q in store.quads_for_pattern(None, PROV.wasGeneratedBy, load,
                                                         mint.meta_graph)]
    source = mint.graph("bioregistry")
    # the records read, each derived from its Bioregistry entry; besides them, the load generated
    # what they say about other records (the people they name, the resources they link)
    read = [r for r in records
            if _values(store, r, PROV.wasDerivedFrom, source) and _values(store, r, DCT.source, source)]
    assert len(read) == report.loaded < len(records)
    assert all(r.value.startswith(f"{settings.base}id/") and "#" not in r.value for r in records)
    quarantined = {q.subject for q in store.quads_for_pattern(None, None, None,
                                                               mint.quarantine_graph("bioregistry"))}
    assert not quarantined & set(records)


def test_the_record_page_carries_its_provenance(settings: Settings, client: TestClient) -> None:
    response = client.get("/id/catalog/go", headers={"Accept": "application/n-triples"})
    triples = list(parse(response.content, format=RdfFormat.N_TRIPLES))
    go = Minter(settings.base).record("catalog", "go")
    [load] = [t.object for t in triples if t.subject == go and t.predicate == PROV.wasGeneratedBy]
    assert load.value.startswith(f"{settings.base}graph/bioregistry/load/")
    assert [t for t in triples if t.subject == go and t.predicate == PROV.wasDerivedFrom]


def test_a_record_follows_its_sources_latest_load_only(build_tiny: Callable[..., Settings],
                                                      tiny_resource: Callable[..., dict]) -> None:
    alpha = {"go": tiny_resource("Gene Ontology")}
    beta = {"chebi": tiny_resource("ChEBI")}
    settings = build_tiny({"alpha": alpha, "beta": beta})
    mint = Minter(settings.base)

    def loads_of(prefix: str) -> list[str]:
        store = copy_of(settings)
        return [q.object.value for q in store.quads_for_pattern(
            mint.record("catalog", prefix), PROV.wasGeneratedBy, None, mint.meta_graph)]

    [go_first], [chebi_first] = loads_of("go"), loads_of("chebi")
    settings = build_tiny({"alpha": alpha})  # rebuild alpha only: beta keeps its load
    [go_second], [chebi_second] = loads_of("go"), loads_of("chebi")
    assert go_second != go_first and chebi_second == chebi_first
    store = copy_of(settings)
    history = {q.subject.value for q in store.quads_for_pattern(None, PROV.generated, mint.graph("alpha"),
                                                                mint.meta_graph)}
    assert history == {go_first, go_second}  # earlier loads stay as history


@pytest.mark.parametrize("locator, location", [
    ("/data/bioregistry.json#go", "/data/bioregistry.json"),
    ("https://example.org/api?page=2", "https://example.org/api?page=2"),
])
def test_file_location(locator: str, location: str) -> None:
    assert provenance.file_location(locator) == location

"""The text index: written beside each generation, in step with its graph, and its doctests."""

from __future__ import annotations

import doctest

import pytest

from lifecat.core.config import Settings
from lifecat.endpoint import jsonld, record_page, search, signposting, sitemaps, terms
from lifecat.graph import search_index
from lifecat.graph.dumps import ArtifactMissing
from lifecat.graph.search_index import FILENAME, SearchError, SearchIndex
from lifecat.graph.store import Store


@pytest.mark.parametrize("module", [search_index, jsonld, signposting, sitemaps, search, terms, record_page])
def test_doctests(module: object) -> None:
    result = doctest.testmod(module)  # type: ignore[arg-type]
    assert result.failed == 0


def test_index_lives_in_the_served_generation(settings: Settings) -> None:
    store = Store.open(settings)
    path = store.artifacts() / FILENAME
    assert path.exists()
    index = SearchIndex(path)
    catalogs = store.query("SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a <http://schema.org/DataCatalog> "
                           "FILTER (STRSTARTS(STR(?s), 'http://lifecat.test/id/catalog/')) }")
    expected = int(next(catalogs.solutions())["n"].value)
    assert index.browse("catalog", 1, 0)[0] == expected


def test_missing_index_says_to_rebuild(settings: Settings, tmp_path) -> None:
    store = Store.open(settings)
    current = search_index.CurrentIndex(store)
    path = store.artifacts() / FILENAME
    moved = tmp_path / FILENAME
    path.rename(moved)
    try:
        with pytest.raises(ArtifactMissing, match="lifecat build"):
            current.get()
    finally:
        moved.replace(path)
    assert current.get().count() == SearchIndex(path).count()


def test_unknown_facet_is_refused(settings: Settings) -> None:
    index = SearchIndex(Store.open(settings).artifacts() / FILENAME)
    with pytest.raises(SearchError, match="unknown facet"):
        index.search("x", filters=[("colour", "blue")])

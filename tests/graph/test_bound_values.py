"""Bound values are written into queries as RDF terms, never pasted: hostile values stay one term on
every backend, and find exactly what they name."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient
from pyoxigraph import Literal, NamedNode, Quad

from lifecat.core.config import Settings
from lifecat.core.sparql import UnboundParameter, bind, parameters
from lifecat.endpoint.app import create_app
from lifecat.graph.derive import deriving
from lifecat.graph.store import Change, Store
from tests.utils.stores import raw_query

BASE = "http://lifecat.test/"
GRAPH = NamedNode(f"{BASE}graph/hostile")
NAME = NamedNode("http://schema.org/name")
HOSTILE = [
    'quote " and \'single\'',
    "angle > and < brackets",
    "new\nline, tab\t, return\r",
    "} ; DROP ALL ; INSERT DATA { <http://x> <http://y> <http://z> } #",
    '""" ; CLEAR ALL """',
    "back\\slash \\u0022 \\n",
    "$record ?p <http://lifecat.test/graph/quarantine/x>",
    "émoji 😀 and 日本",
]
FIND = "SELECT ?s WHERE { ?s <http://schema.org/name> $value }"


@pytest.fixture
def settings(new_store: Callable[..., Settings]) -> Settings:
    """A store of the test's backend whose records are named with hostile text."""
    settings = new_store(base=BASE)
    quads = [Quad(NamedNode(f"{BASE}id/thing/{n}"), NAME, Literal(text), GRAPH)
             for n, text in enumerate(HOSTILE)]
    quads.append(Quad(NamedNode(f"{BASE}id/thing/lang"), NAME, Literal("} ; DROP ALL", language="en"), GRAPH))
    Store.open(settings).replace(Change(quads, replace=frozenset({GRAPH})), deriving(settings))
    return settings


@pytest.fixture
def store(settings: Settings) -> Store:
    return Store.open(settings)


@pytest.mark.parametrize("n", range(len(HOSTILE)))
def test_a_hostile_literal_finds_exactly_its_record(store: Store, n: int) -> None:
    rows = store.query(bind(FIND, value=Literal(HOSTILE[n]))).rows
    assert rows == [[f"{BASE}id/thing/{n}"]]


def test_language_and_datatype_are_part_of_the_term(store: Store) -> None:
    assert store.query(bind(FIND, value=Literal("} ; DROP ALL", language="en"))).rows == [
        [f"{BASE}id/thing/lang"]]
    assert store.query(bind(FIND, value=Literal("} ; DROP ALL"))).rows == []


def test_nothing_hostile_ran(store: Store) -> None:
    for text in HOSTILE:
        store.query(bind(FIND, value=Literal(text))).rows  # noqa: B018
    graphs = {g.value for g in store.graphs()}
    assert GRAPH.value in graphs
    count = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s <http://schema.org/name> ?o } }"
    assert store.query(count).rows == [[str(len(HOSTILE) + 1)]]


def test_hostile_iris_cannot_be_made() -> None:
    for text in ("http://x> } ; DROP ALL #", "http://x/\n", 'http://x/"'):
        with pytest.raises(ValueError):
            NamedNode(text)


def test_record_paths_with_hostile_keys_are_just_missing(settings: Settings) -> None:
    with TestClient(create_app(settings)) as client:
        for key in ("x%22%7D%20%3B%20DROP%20ALL%20%23", "x%3E%20%3Cy", "x%0Ay", "%3E%20%7D"):
            response = client.get(f"/id/thing/{key}", headers={"Accept": "text/turtle"})
            assert response.status_code == 404
    assert raw_query(settings, f"ASK {{ GRAPH {GRAPH} {{ ?s ?p ?o }} }}").boolean


def test_parameters_in_strings_iris_and_comments_are_text() -> None:
    text = 'SELECT * { $s ?p "$not" . <http://x/$nor> ?q ?o } # $neither'
    assert parameters(text) == {"s"}
    assert bind(text, s=NamedNode("http://ex/s")) == \
        'SELECT * { <http://ex/s> ?p "$not" . <http://x/$nor> ?q ?o } # $neither'


def test_every_parameter_gets_a_value_and_every_value_a_parameter() -> None:
    with pytest.raises(UnboundParameter):
        bind("SELECT * { $s ?p ?o }")
    with pytest.raises(UnboundParameter):
        bind("SELECT * { ?s ?p ?o }", s=NamedNode("http://ex/s"))
    with pytest.raises(TypeError):
        bind("SELECT * { $s ?p ?o }", s="http://ex/s")  # type: ignore[arg-type]

"""The same answers from every store, where stores evaluate SPARQL differently: the query forms a remote
store (Virtuoso above all) gets wrong or spells otherwise, each asked on every backend."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack

import pytest
from pyoxigraph import BlankNode, Literal, NamedNode, Quad

from lifecat.core.config import Settings
from lifecat.graph.store import Change, QueryError, Store
from lifecat.graph.store.remote import RemoteStore
from tests.utils.stores import raw_query, store_settings

BASE = "http://ex/"
G1, G2 = NamedNode(f"{BASE}graph/g1"), NamedNode(f"{BASE}graph/g2")
QUARANTINE = NamedNode(f"{BASE}graph/quarantine/g1")
MISSING = f"{BASE}graph/missing"
S, P = NamedNode(f"{BASE}id/thing/s"), NamedNode(f"{BASE}vocab/p")
XSD_BOOLEAN = NamedNode("http://www.w3.org/2001/XMLSchema#boolean")
PADDED = "  text between blanks\n\n"


@pytest.fixture(scope="module")
def settings(backend: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Settings]:
    """One store per backend: a few values in two public graphs, and one in the quarantine."""
    with ExitStack() as stack:
        settings = store_settings(backend, tmp_path_factory.mktemp(f"answers-{backend}"), stack, base=BASE)
        quads = [Quad(S, P, Literal(PADDED), G1), Quad(S, P, Literal("true", datatype=XSD_BOOLEAN), G1),
                 Quad(S, P, Literal("false", datatype=XSD_BOOLEAN), G1), Quad(S, P, BlankNode(), G1),
                 Quad(S, P, Literal("b"), G2), Quad(S, P, Literal("q"), QUARANTINE)]
        Store.open(settings).replace(Change(quads, replace=frozenset({G1, G2, QUARANTINE})), lambda _: None)
        yield settings


@pytest.fixture(scope="module")
def store(settings: Settings) -> Store:
    return Store.open(settings)


def objects(store: Store, text: str, **dataset: list[str]) -> list[object]:
    return [row["o"] for row in store.query(text, **dataset).solutions()]


def test_literals_keep_their_blanks(store: Store) -> None:
    assert Literal(PADDED) in objects(store, "SELECT ?o { ?s ?p ?o }")


def test_booleans_and_blank_nodes_read_as_themselves(store: Store) -> None:
    found = objects(store, "SELECT ?o { ?s ?p ?o }")
    assert {o for o in found if isinstance(o, Literal) and o.datatype == XSD_BOOLEAN} == {
        Literal("true", datatype=XSD_BOOLEAN), Literal("false", datatype=XSD_BOOLEAN)}
    assert sum(isinstance(o, BlankNode) for o in found) == 1


def test_a_new_connections_first_answer_reads_the_same(settings: Settings) -> None:
    """The first query of a newly opened store (one of lifecat's own, which names its graphs) is written
    and read for the store that answers it."""
    found = [row["o"] for row in raw_query(settings, "SELECT ?o { GRAPH ?g { ?s ?p ?o } }").solutions()]
    assert sum(isinstance(o, BlankNode) for o in found) == 1
    assert Literal("true", datatype=XSD_BOOLEAN) in found


def test_empty_graph_patterns_list_the_named_graphs(store: Store) -> None:
    rows = store.query("SELECT ?g { GRAPH ?g { } }").rows
    assert sorted(rows) == sorted([[G1.value], [G2.value], [f"{BASE}graph/meta"]])
    assert store.query("SELECT ?g { GRAPH ?g { } }", named_graphs=[G2.value]).rows == [[G2.value]]
    assert store.query(f"SELECT (COUNT(*) AS ?n) {{ GRAPH <{G1.value}> {{ }} }}").rows == [["1"]]
    assert store.query(f"SELECT (COUNT(*) AS ?n) {{ GRAPH <{MISSING}> {{ }} }}").rows == [["0"]]


@pytest.mark.parametrize("graph", [MISSING, G1.value])
def test_a_graph_outside_the_dataset_matches_nothing(store: Store, graph: str) -> None:
    narrowed = {"default_graphs": [G2.value], "named_graphs": [G2.value]}
    assert store.query(f"ASK {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}", **narrowed).boolean is False
    count = f"SELECT (COUNT(*) AS ?n) {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"
    assert store.query(count, **narrowed).rows == [["0"]]


def test_the_protocol_dataset_replaces_from_clauses(store: Store) -> None:
    text = f"SELECT ?o FROM <{G1.value}> {{ ?s ?p ?o }}"
    assert objects(store, text, default_graphs=[G2.value]) == [Literal("b")]


def test_from_reads_no_graph_beyond_lifecats(store: Store) -> None:
    if not isinstance(store, RemoteStore):
        pytest.skip("an embedded store holds lifecat's graphs only")
    elsewhere = "http://elsewhere.example/graph"
    store.send_update(f'INSERT DATA {{ GRAPH <{elsewhere}> {{ <{S.value}> <{P.value}> "other" }} }}')
    assert objects(store, f"SELECT ?o FROM <{elsewhere}> {{ ?s ?p ?o }}") == []
    assert store.query(f"ASK FROM NAMED <{elsewhere}> {{ GRAPH ?g {{ ?s ?p ?o }} }}").boolean is False


def test_string_literals_are_plain_literals(store: Store) -> None:
    typed = ("PREFIX xsd: <http://www.w3.org/2001/XMLSchema#> "
             "SELECT ?o { ?s ?p ?o FILTER (?o = 'b'^^xsd:string) }")
    assert objects(store, typed) == [Literal("b")]
    assert store.query(f"ASK {{ <{S.value}> <{P.value}> 'b'^^<http://www.w3.org/2001/XMLSchema#string> }}"
                       ).boolean is True


def test_group_concat_has_a_default_separator(store: Store) -> None:
    text = "SELECT (GROUP_CONCAT(?o) AS ?all) { ?s ?p ?o FILTER (?o IN ('b', 'q')) }"
    assert store.query(text).rows == [["b"]]
    assert store.query(text, named_graphs=[G1.value]).rows == [[""]]
    (joined,), = store.query("SELECT (GROUP_CONCAT(?o) AS ?all) { VALUES ?o { 'x' 'y' } }").rows
    assert sorted(joined.split(" ")) == ["x", "y"]


def test_evaluation_errors_are_the_querys(store: Store, backend: str) -> None:
    """A string function given an IRI is an error SPARQL turns into a false filter; Virtuoso fails the
    whole query, which lifecat reports as the query's fault (400), not the store's (503)."""
    text = "SELECT ?s { ?s ?p ?o FILTER (STRSTARTS(?s, 'http')) }"
    if backend == "virtuoso":
        with pytest.raises(QueryError, match="STRSTARTS"):
            store.query(text)
    else:
        assert store.query(text).rows == []

"""The store interface, on every backend: changes swapped in at once, failed changes leaving no trace,
readers across swaps, and stray staging graphs cleared."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from pyoxigraph import Literal, NamedNode, Quad

from lifecat.core.config import Settings
from lifecat.core.uris import Minter
from lifecat.graph.store import Change, Snapshot, Store, StoreMissingError
from lifecat.graph.store.embedded import EmbeddedStore
from lifecat.graph.store.remote import RemoteStore
from tests.utils.stores import raw_query

BASE = "http://ex/"
G1, G2 = NamedNode(f"{BASE}graph/g1"), NamedNode(f"{BASE}graph/g2")
S = NamedNode(f"{BASE}id/thing/s")
NOTHING: Callable[[Snapshot], None] = lambda snapshot: None  # noqa: E731


@pytest.fixture
def settings(new_store: Callable[..., Settings]) -> Settings:
    return new_store(base=BASE)


@pytest.fixture
def store(settings: Settings) -> Store:
    return Store.open(settings)


def values(store: Store, graph: NamedNode) -> list[str]:
    rows = store.query("SELECT ?o WHERE { GRAPH ?g { ?s ?p ?o } }", named_graphs=[graph.value]).rows
    return sorted(row[0] for row in rows)


def put(store: Store, **graphs: str) -> None:
    """Replace the graphs named (``g1``, ``g2``) with one value each."""
    named = {name: NamedNode(f"{BASE}graph/{name}") for name in graphs}
    store.replace(Change([Quad(S, S, Literal(v), named[n]) for n, v in graphs.items()],
                         replace=frozenset(named.values())), NOTHING)


def test_missing_store_is_reported(store: Store) -> None:
    assert not store.exists()
    with pytest.raises(StoreMissingError, match="lifecat build"):
        store.generation()


def test_replace_one_graph_keeps_the_other(store: Store) -> None:
    put(store, g1="a", g2="b")
    put(store, g1="c")
    assert values(store, G1) == ["c"]
    assert values(store, G2) == ["b"]
    assert [g.value for g in store.graphs()] == [G1.value, G2.value, store.mint.meta_graph.value]


def test_edits_keep_what_they_do_not_drop(store: Store) -> None:
    put(store, g1="a")
    store.replace(Change([Quad(S, S, Literal("b"), G1)], edit={G1: None}), NOTHING)
    assert values(store, G1) == ["a", "b"]
    store.replace(Change([], edit={G1: lambda q: q.object == Literal("a")}), NOTHING)
    assert values(store, G1) == ["b"]
    store.replace(Change([], replace=frozenset({G1})), NOTHING)
    assert G1 not in store.graphs()


def test_every_change_is_a_new_generation(store: Store) -> None:
    put(store, g1="a")
    first = store.generation()
    put(store, g1="a")
    assert store.generation() != first
    marker = store.named("store/generation", meta=store.mint.meta_graph).rows
    assert marker == [[store.generation()]]


def test_a_change_names_the_graphs_it_writes(store: Store) -> None:
    with pytest.raises(ValueError, match="does not name"):
        store.replace(Change([Quad(S, S, Literal("a"), G2)], replace=frozenset({G1})), NOTHING)
    assert not store.exists()


def test_failure_before_swap_leaves_no_trace(store: Store, settings: Settings) -> None:
    put(store, g1="kept")
    generation = store.generation()

    def failing() -> Iterator[Quad]:
        yield Quad(S, S, Literal("half"), G1)
        raise RuntimeError("source broke half-way")

    with pytest.raises(RuntimeError, match="half-way"):
        store.replace(Change(failing(), replace=frozenset({G1})), NOTHING)

    def broken(snapshot: Snapshot) -> None:
        raise ValueError("derived artifact failed")

    with pytest.raises(ValueError, match="derived"):
        store.replace(Change([Quad(S, S, Literal("new"), G1)], replace=frozenset({G1})), broken)
    assert store.generation() == generation
    assert values(store, G1) == ["kept"]
    graphs = raw_query(settings, "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }").rows
    assert not [g for g in graphs if "/staging/" in g[0]]
    if isinstance(store, EmbeddedStore):
        assert len(list((store.directory / "generations").iterdir())) == 1


def test_derivers_see_the_new_state_under_its_real_names(store: Store) -> None:
    put(store, g1="a", g2="b")
    seen: dict[str, object] = {}

    def derive(snapshot: Snapshot) -> None:
        seen["graphs"] = [g.value for g in snapshot.graphs()]
        rows = snapshot.query("SELECT ?g ?o WHERE { GRAPH ?g { ?s ?p ?o } }", [G1, G2]).solutions()
        seen["rows"] = sorted((row["g"].value, row["o"].value) for row in rows)
        seen["changed"] = (snapshot.changed(G1), snapshot.changed(G2))
        (snapshot.folder / "artifact").write_text("x")

    store.replace(Change([Quad(S, S, Literal("c"), G1)], replace=frozenset({G1})), derive)
    assert seen["rows"] == [(G1.value, "c"), (G2.value, "b")]
    assert seen["changed"] == (True, False)
    assert G1.value in seen["graphs"]  # type: ignore[operator]
    assert (store.artifacts() / "artifact").read_text() == "x"


def test_old_generations_are_pruned(store: Store, settings: Settings) -> None:
    for n in range(4):
        put(store, g1=str(n))
    folder = store.directory if isinstance(store, EmbeddedStore) else Path(settings.artifacts)
    assert len(list((folder / "generations").iterdir())) == 2


def test_readers_opened_before_a_swap_keep_working(tmp_path: Path) -> None:
    store = EmbeddedStore(tmp_path, Minter(BASE))
    put(store, g1="old")
    old_reader = store.reader()
    put(store, g1="new")
    assert [q.object.value for q in old_reader.quads_for_pattern(None, None, None, G1)] == ["old"]
    assert values(store, G1) == ["new"]


def test_a_change_that_died_leaves_nothing_after_the_next(store: Store, settings: Settings,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    if not isinstance(store, RemoteStore):
        pytest.skip("the embedded store stages a change in a folder of its own generations")
    put(store, g1="served")

    def dies(snapshot: Snapshot) -> None:
        raise KeyboardInterrupt("the build process was stopped")

    with monkeypatch.context() as patch:  # as if the process died before it could clean up
        patch.setattr(store, "_drop", lambda graphs, record: None)
        with pytest.raises(KeyboardInterrupt):
            store.replace(Change([Quad(S, S, Literal("half"), G1)], replace=frozenset({G1})), dies)
    staging = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } FILTER(CONTAINS(STR(?g), '/staging/')) }"
    assert raw_query(settings, staging).rows  # left behind, and still not served
    assert values(store, G1) == ["served"]
    put(store, g1="next")
    assert raw_query(settings, staging).rows == []
    assert not list((Path(settings.artifacts) / "staging").iterdir())
    assert values(store, G1) == ["next"]

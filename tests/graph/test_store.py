"""Store generations: atomic swap, readers across swaps, failed builds leave no trace."""

from __future__ import annotations

from pathlib import Path

import pytest
from pyoxigraph import Literal, NamedNode, Quad, Store

from lifecat.graph.store import GraphStore, StoreMissingError

G1, G2 = NamedNode("http://ex/g1"), NamedNode("http://ex/g2")
S = NamedNode("http://ex/s")


def values(store: Store, graph: NamedNode) -> list[str]:
    return sorted(q.object.value for q in store.quads_for_pattern(None, None, None, graph))


def test_missing_store_is_reported(tmp_path: Path) -> None:
    with pytest.raises(StoreMissingError, match="lifecat build"):
        GraphStore(tmp_path).reader()


def test_replace_one_graph_keeps_the_other(tmp_path: Path) -> None:
    gs = GraphStore(tmp_path)
    gs.replace_graphs(lambda q: True, [Quad(S, S, Literal("a"), G1), Quad(S, S, Literal("b"), G2)])
    gs.replace_graphs(lambda q: q.graph_name == G1, [Quad(S, S, Literal("c"), G1)])
    assert values(gs.reader(), G1) == ["c"]
    assert values(gs.reader(), G2) == ["b"]


def test_reader_opened_before_a_swap_keeps_working(tmp_path: Path) -> None:
    gs = GraphStore(tmp_path)
    gs.replace_graphs(lambda q: True, [Quad(S, S, Literal("old"), G1)])
    old_reader = gs.reader()
    gs.replace_graphs(lambda q: True, [Quad(S, S, Literal("new"), G1)])
    assert values(old_reader, G1) == ["old"]
    assert values(gs.reader(), G1) == ["new"]


def test_failure_before_swap_discards_the_new_generation(tmp_path: Path) -> None:
    gs = GraphStore(tmp_path)
    gs.replace_graphs(lambda q: True, [Quad(S, S, Literal("kept"), G1)])
    generation = gs.generation()

    def failing() -> object:
        yield Quad(S, S, Literal("half"), G1)
        raise RuntimeError("source broke half-way")

    with pytest.raises(RuntimeError, match="half-way"):
        gs.replace_graphs(lambda q: True, failing())  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="derived"):
        gs.replace_graphs(lambda q: True, [], before_swap=lambda s, d: (_ for _ in ()).throw(
            ValueError("derived artifact failed")))
    assert gs.generation() == generation
    assert values(gs.reader(), G1) == ["kept"]
    assert len(list((tmp_path / "generations").iterdir())) == 1


def test_old_generations_are_pruned(tmp_path: Path) -> None:
    gs = GraphStore(tmp_path)
    for n in range(4):
        gs.replace_graphs(lambda q: True, [Quad(S, S, Literal(str(n)), G1)])
    assert len(list((tmp_path / "generations").iterdir())) == 2

"""The layers hold: core ← mappings ← graph ← endpoint ← the command line, and nothing imports upwards.

Every module is read with :mod:`ast`, not imported, so an import inside a function or an
``if TYPE_CHECKING:`` block counts as much as one at the top of the file. A layer may import its own
layer and those below it; the core imports nothing of lifecat but the core, so that every layer can
build on it. Within all of them the imports that run when a module loads form no cycle.
"""

from __future__ import annotations

import ast
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

ROOT = Path(__file__).parents[1]

#: Layer rank ← module prefixes; a module may import only modules of its own rank or below.
RANKS: dict[str, int] = {
    "lifecat": 0,  # the package ``__init__`` alone (its version); cli and __main__ are the top layer
    "lifecat.core": 0,
    "lifecat.queries": 0,
    "lifecat.shapes": 0,
    "lifecat.ontologies": 0,
    "lifecat.mappings": 1,
    "lifecat.graph": 2,
    "lifecat.endpoint": 3,
    "lifecat.cli": 4,
    "lifecat.__main__": 4,
}
CORE = "lifecat.core"


@dataclass(frozen=True)
class Import:
    """One ``lifecat.*`` import: where it is written and what it loads."""

    path: Path
    line: int
    importer: str
    imported: str
    at_load: bool  # runs when the module is loaded (not in a function or a TYPE_CHECKING block)

    def __str__(self) -> str:
        return f"{self.path.relative_to(ROOT)}:{self.line}: {self.importer} imports {self.imported}"


def in_layer(module: str, prefix: str) -> bool:
    return module == prefix or (prefix != "lifecat" and module.startswith(prefix + "."))


def rank(module: str) -> int | None:
    """The layer of ``module``: that of its longest matching prefix in :data:`RANKS`."""
    matches = [prefix for prefix in RANKS if in_layer(module, prefix)]
    return RANKS[max(matches, key=len)] if matches else None


@cache
def modules() -> dict[str, Path]:
    """Every lifecat module by dotted name, from the package folders ``pyproject.toml`` maps."""
    folders = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["package-dir"]
    tops = {package: ROOT / folder for package, folder in folders.items()
            if not any(folder.startswith(other + "/") for other in folders.values())}
    found = {}
    for package, folder in tops.items():
        for path in sorted(folder.rglob("*.py")):
            parts = list(path.relative_to(folder).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            found[".".join([package, *parts])] = path
    return found


def _resolve(node: ast.ImportFrom, importer: str, is_package: bool) -> str:
    """The absolute module a ``from … import`` names, relative imports included."""
    if not node.level:
        return node.module or ""
    package = importer.split(".") if is_package else importer.split(".")[:-1]
    base = package[: len(package) - node.level + 1]
    return ".".join([*base, node.module] if node.module else base)


def _walk(node: ast.AST, at_load: bool = True) -> Iterator[tuple[ast.Import | ast.ImportFrom, bool]]:
    """Every import statement under ``node``, with whether it runs when the module is loaded.

    Function bodies run later and ``if TYPE_CHECKING:`` blocks never; class bodies run at load.
    """
    if isinstance(node, ast.Import | ast.ImportFrom):
        yield node, at_load
    elif isinstance(node, ast.If) and _is_type_checking(node.test):
        for stmt in node.body:
            yield from _walk(stmt, False)
        for stmt in node.orelse:
            yield from _walk(stmt, at_load)
    else:
        deferred = isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda)
        for child in ast.iter_child_nodes(node):
            yield from _walk(child, at_load and not deferred)


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


@cache
def imports() -> list[Import]:
    """Every ``lifecat.*`` import in every module; ``from pkg import mod`` counts as importing ``mod``."""
    known = modules()
    found = []
    for importer, path in known.items():
        tree = ast.parse(path.read_text(), filename=str(path))
        for node, at_load in _walk(tree):
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            else:
                module = _resolve(node, importer, path.name == "__init__.py")
                targets = [f"{module}.{alias.name}" if f"{module}.{alias.name}" in known else module
                           for alias in node.names]
            found += [Import(path, node.lineno, importer, target, at_load) for target in targets
                      if target == "lifecat" or target.startswith("lifecat.")]
    return found


def test_the_scan_sees_the_imports() -> None:
    """Guards the other tests against passing on nothing."""
    seen = {(i.importer, i.imported) for i in imports()}
    assert ("lifecat.graph.search_index", "lifecat.core.identifiers") in seen
    assert ("lifecat.mappings.identity", "lifecat.core.identifiers") in seen
    assert ("lifecat", "lifecat.core.version") in seen


def test_every_module_has_a_layer() -> None:
    unranked = sorted({m for m in modules() if rank(m) is None}
                      | {str(i) for i in imports() if rank(i.imported) is None})
    assert not unranked, "\n".join(["no layer assigned (add it to RANKS in this file):", *unranked])


def test_no_module_imports_a_higher_layer() -> None:
    upward = [f"{i} (layer {rank(i.importer)} → {rank(i.imported)})" for i in imports()
              if (rank(i.imported) or 0) > (rank(i.importer) or 0)]
    assert not upward, "\n".join(["imports against the layers (core ← mappings ← graph ← endpoint ← cli):",
                                   *upward])


def test_core_imports_only_core() -> None:
    outside = [str(i) for i in imports() if in_layer(i.importer, CORE) and not in_layer(i.imported, CORE)]
    assert not outside, "the core imports nothing of lifecat but the core:\n" + "\n".join(outside)


def test_load_time_imports_have_no_cycle() -> None:
    edges: dict[str, dict[str, Import]] = {}
    for i in imports():
        if i.at_load and i.imported in modules() and i.imported != i.importer:
            edges.setdefault(i.importer, {}).setdefault(i.imported, i)
    cycles = _cycles(edges)
    assert not cycles, "import cycles:\n" + "\n\n".join(
        "\n".join(str(edges[a][b]) for a, b in zip(cycle, [*cycle[1:], cycle[0]], strict=True))
        for cycle in cycles)


def _cycles(edges: dict[str, dict[str, Import]]) -> list[list[str]]:
    """One cycle through each strongly connected group of modules (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[set[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in edges.get(node, {}):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.add(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(group)

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return [_cycle_in(sorted(group)[0], group, edges) for group in groups]


def _cycle_in(start: str, group: set[str], edges: dict[str, dict[str, Import]]) -> list[str]:
    """A shortest path from ``start`` back to itself within ``group``."""
    paths = {start: [start]}
    queue = [start]
    while queue:
        node = queue.pop(0)
        for target in sorted(edges.get(node, {})):
            if target == start:
                return paths[node]
            if target in group and target not in paths:
                paths[target] = [*paths[node], target]
                queue.append(target)
    raise AssertionError(f"no cycle through {start}")

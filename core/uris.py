"""lifecat's IRIs, minted in one place: records, source graphs, quarantine graphs and the meta graph.

See the URI contract in the design: ``{base}id/{kind}/{key}`` for records, ``{base}graph/{source}``
for the graph of each loaded source.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote

from pyoxigraph import NamedNode

#: Characters kept as they are in a record key; everything else is percent-encoded.
_KEY_SAFE = "-._~:@!$&'()*+,;=/"
#: Path segments that clients resolve away (``a/../b`` is ``b``).
_DOT_SEGMENTS = frozenset({".", ".."})


@dataclass(frozen=True)
class Minter:
    """Mints lifecat IRIs under one base.

    >>> mint = Minter("http://localhost:8000/")
    >>> mint.record("article", "10.1000/XYZ 1")
    <NamedNode value=http://localhost:8000/id/article/10.1000/XYZ%201>
    >>> mint.record("sample", "../../etc/passwd")
    <NamedNode value=http://localhost:8000/id/sample/..%2F..%2Fetc%2Fpasswd>
    >>> mint.graph("bioregistry")
    <NamedNode value=http://localhost:8000/graph/bioregistry>
    """

    base: str

    def record(self, kind: str, key: str) -> NamedNode:
        # kinds are lowercase names; one read off a request path may be anything, and is escaped too.
        # A key with a segment a client would resolve away (or a server merge: ``a//b``) is one
        # segment, its slashes escaped; a trailing slash is kept.
        segments = key.split("/")
        unsafe = _DOT_SEGMENTS & set(segments) or "" in segments[:-1]
        safe = _KEY_SAFE.replace("/", "") if unsafe else _KEY_SAFE
        return NamedNode(f"{self.base}id/{quote(kind, safe='')}/{quote(key, safe=safe)}")

    def graph(self, source: str) -> NamedNode:
        return NamedNode(f"{self.base}graph/{source}")

    def quarantine_graph(self, source: str) -> NamedNode:
        return NamedNode(f"{self.base}graph/quarantine/{source}")

    @property
    def meta_graph(self) -> NamedNode:
        return NamedNode(f"{self.base}graph/meta")

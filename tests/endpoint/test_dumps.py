"""/dumps/: gzipped N-Quads of every public graph, whose checksums match the files served."""

from __future__ import annotations

import base64
import doctest
import gzip
import hashlib
from collections import Counter
from collections.abc import Callable

from fastapi.testclient import TestClient
from pyoxigraph import NamedNode, RdfFormat, parse

from lifecat.core.config import Settings
from lifecat.core.uris import Minter
from lifecat.endpoint.app import create_app
from lifecat.graph import dumps
from lifecat.graph.store import Store
from tests.utils.dates import until_after
from tests.utils.pages import Links
from tests.utils.stores import copy_of


def test_doctests() -> None:
    assert doctest.testmod(dumps).failed == 0


def listing(client: TestClient) -> list[dict]:
    response = client.get("/dumps/", headers={"Accept": "application/json"})
    assert response.status_code == 200 and response.headers["content-type"] == "application/json"
    return response.json()


def test_every_public_graph_is_dumped_and_nothing_private(client: TestClient, settings: Settings) -> None:
    mint = Minter(settings.base)
    files = {d["file"]: d for d in listing(client)}
    assert set(files) == {"graph-bioregistry.nq.gz", "graph-meta.nq.gz", "graph-references.nq.gz",
                          "all.nq.gz"}
    store = copy_of(settings)
    for dump in files.values():
        body = client.get(f"/dumps/{dump['file']}").content
        graphs = Counter(q.graph_name.value for q in parse(gzip.decompress(body), format=RdfFormat.N_QUADS))
        assert sum(graphs.values()) == dump["quads"]
        assert set(graphs) == set(dump["graphs"])
        for graph, count in graphs.items():
            assert count == sum(1 for _ in store.quads_for_pattern(None, None, None, NamedNode(graph)))
    assert mint.quarantine_graph("bioregistry").value not in files["all.nq.gz"]["graphs"]


def test_dump_checksums_match_the_files_served(client: TestClient, settings: Settings) -> None:
    for dump in listing(client):
        response = client.get(dump["url"].removeprefix(settings.base.rstrip("/")))
        assert response.status_code == 200
        assert response.headers["content-type"] == "application/gzip"
        assert "content-encoding" not in response.headers  # served as stored, so checksums hold
        assert len(response.content) == dump["bytes"]
        assert hashlib.sha256(response.content).hexdigest() == dump["sha256"]
        digest = base64.b64encode(hashlib.sha256(response.content).digest()).decode()
        assert response.headers["repr-digest"] == f"sha-256=:{digest}:"
        assert response.headers["etag"] == f'"{dump["sha256"]}"'


def test_a_dump_is_served_with_head_and_ranges(client: TestClient) -> None:
    head = client.head("/dumps/graph-meta.nq.gz")
    assert head.status_code == 200 and int(head.headers["content-length"]) > 0
    part = client.get("/dumps/graph-meta.nq.gz", headers={"Range": "bytes=0-1"})
    assert part.status_code == 206 and part.content == b"\x1f\x8b"  # the gzip magic number


def test_unknown_dumps_are_404_with_a_reason(client: TestClient) -> None:
    for name in ["nope.nq.gz", "..%2Foxigraph", "manifest.json"]:
        response = client.get(f"/dumps/{name}")
        assert response.status_code == 404, name


def test_the_listing_page_links_every_dump(client: TestClient) -> None:
    response = client.get("/dumps", headers={"Accept": "text/html"})
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/html")
    links = Links()
    links.feed(response.text)
    assert {f"/dumps/{d['file']}" for d in listing(client)} <= set(links.hrefs)
    for dump in listing(client):
        assert dump["sha256"] in response.text


def test_unchanged_graphs_keep_their_checksum_and_date(build_tiny: Callable[..., Settings],
                                                       tiny_resource: Callable[..., dict]) -> None:
    alpha, beta = {"go": tiny_resource("Gene Ontology")}, {"chebi": tiny_resource("ChEBI")}
    first = {d.file: d for d in dumps.read_manifest(Store.open(
        build_tiny({"alpha": alpha, "beta": beta})).artifacts())}
    beta["chebi"]["description"] = "ChEBI, now with a new description."
    until_after(first["graph-beta.nq.gz"].modified)
    settings = build_tiny({"alpha": alpha, "beta": beta})
    second = {d.file: d for d in dumps.read_manifest(Store.open(settings).artifacts())}
    assert second["graph-alpha.nq.gz"] == first["graph-alpha.nq.gz"]
    assert second["graph-beta.nq.gz"].sha256 != first["graph-beta.nq.gz"].sha256
    assert second["graph-beta.nq.gz"].modified > first["graph-beta.nq.gz"].modified
    with TestClient(create_app(settings)) as client:
        for dump in second.values():
            assert hashlib.sha256(client.get(f"/dumps/{dump.file}").content).hexdigest() == dump.sha256

"""The base IRI is part of the store: a build records it and says it; a store is served under it
only; an empty store first served is built under the address it is served at, so that its links work
there; a store built before lifecat recorded its base still serves."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from html.parser import HTMLParser
from pathlib import Path

import httpx
import pytest
import signposting
from click.testing import CliRunner, Result
from pyoxigraph import RdfFormat, parse
from pyoxigraph import Store as Oxigraph

from lifecat.cli import main
from lifecat.core.config import Settings
from lifecat.core.vocab import LIFECAT
from lifecat.graph.store import Store
from lifecat.graph.store.embedded import OXIGRAPH, EmbeddedStore
from lifecat.graph.store.remote import RemoteStore
from tests.utils.stores import environment, free_port, raw_query

FIXTURES = Path(__file__).parent / "fixtures" / "bioregistry"
SOURCE = f"bioregistry:{FIXTURES}"
#: The fixture registry as the configured sources: a build without --source rebuilds every one.
SOURCES = json.dumps([{"format": "bioregistry", "path": str(FIXTURES)}])
BUILT, OTHER = "http://built.test/", "http://other.test/"
LIFECAT_COMMAND = str(Path(sys.executable).with_name("lifecat"))
HYDRA_NEXT = "http://www.w3.org/ns/hydra/core#next"


def unset_base(settings: Settings) -> dict[str, str | None]:
    """The environment for a ``lifecat`` command on these settings' store, with no base configured."""
    return {**environment(settings), "LIFECAT_BASE": None, "LIFECAT_SOURCES": SOURCES}


def run(env: dict[str, str | None], *args: str) -> Result:
    return CliRunner().invoke(main, list(args), env=env)


def refused(result: Result) -> bool:
    """A clear refusal: exit status 1 from a message, no traceback."""
    return (result.exit_code == 1 and isinstance(result.exception, SystemExit)
            and "Traceback" not in result.output)


def graph_names(settings: Settings) -> list[str]:
    rows = raw_query(settings, "SELECT DISTINCT ?g { GRAPH ?g { ?s ?p ?o } }").solutions()
    return sorted(row["g"].value for row in rows)


@pytest.fixture(autouse=True)
def elsewhere(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Commands run in an empty folder: no ``lifecat.toml`` configures them."""
    monkeypatch.chdir(tmp_path)


def test_build_records_and_prints_its_base(new_store: Callable[..., Settings]) -> None:
    settings = new_store()
    env = unset_base(settings)
    first = run(env, "build", "--quiet", "--source", SOURCE)
    assert first.exit_code == 0, first.output
    assert "Building under the base IRI http://localhost:8000/ (the default)" in first.output
    again = run({**env, "LIFECAT_BASE": BUILT}, "build", "--quiet")  # every source: moves the store
    assert again.exit_code == 0, again.output
    assert f"Building under the base IRI {BUILT} (configured)" in again.output
    assert "built under http://localhost:8000/, so every graph of it is replaced" in again.output
    [state] = Store.open(settings).built()
    assert (state.base, state.recorded) == (BUILT, True)
    names = graph_names(settings)  # a store may hold graphs of its own (Virtuoso does): not lifecat's
    assert f"{BUILT}graph/bioregistry" in names
    assert not [g for g in names if g.startswith("http://localhost:8000/")], names

    partial = run(env, "--base", OTHER, "build", "--quiet", "--source", SOURCE)
    assert refused(partial), partial.output
    assert f"built under the base IRI {BUILT}, not {OTHER}" in partial.output
    assert f"`lifecat build --base {OTHER}` (no --source)" in partial.output
    assert [s.base for s in Store.open(settings).built()] == [BUILT]

    unset = run(env, "build", "--quiet", "--source", SOURCE)  # no base set: the store's
    assert f"Building under the base IRI {BUILT}, the one the store was built under." in unset.output
    count = run(env, "query", "--format", "csv", f"ASK {{ <{BUILT}id/catalog/goodres> ?p ?o }}")
    assert count.output.strip() == "true", count.output


def test_serve_refuses_another_base(new_store: Callable[..., Settings], tmp_path: Path) -> None:
    settings = new_store(base=BUILT)
    env = {**unset_base(settings), "LIFECAT_BASE": BUILT}
    assert run(env, "build", "--quiet").exit_code == 0
    env = {k: v for k, v in {**env, "LIFECAT_BASE": OTHER}.items() if v is not None}
    done = subprocess.run([LIFECAT_COMMAND, "serve", "--workers", "1", "--port", str(free_port())],
                          env={**clean_environ(), **env}, cwd=tmp_path, capture_output=True, text=True,
                          timeout=120, check=False)
    assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr
    assert f"was built under the base IRI {BUILT}, not {OTHER}" in done.stderr
    assert f"serve it with --base {BUILT}" in done.stderr
    assert f"`lifecat build --base {OTHER}`" in done.stderr
    query = run(env, "query", "ASK {}")
    assert refused(query) and f"query it with --base {BUILT}" in query.output


def test_first_serve_builds_under_its_address(new_store: Callable[..., Settings], tmp_path: Path) -> None:
    settings = new_store()
    port = free_port()
    address = f"http://127.0.0.1:{port}/"
    with serving(unset_base(settings), tmp_path, port) as said:
        assert f"Building under the base IRI {address}, the address served at" in said()
        assert Store.open(settings).built()[0].base == address
        record = follow_to_a_record(address)
        page = httpx.get(record, headers={"Accept": "text/html"})
        assert page.status_code == 200
        posts = signposting.find_signposting_http_link([page.headers["link"]], record)
        assert posts.citeAs.target == record
        for described in posts.describedBy:
            assert described.target.startswith(address)
            assert httpx.get(described.target).status_code == 200, described.target
        hits = httpx.get(f"{address}search", params={"q": "resource"},
                         headers={"Accept": "application/json"}).json()["hits"]
        assert hits and all(httpx.get(hit["uri"]).status_code == 200 for hit in hits)
        catalog = httpx.get(f"{address}catalog", headers={"Accept": "application/n-triples"})
        [following] = [str(t.object.value) for t in parse(catalog.content, format=RdfFormat.N_TRIPLES)
                       if t.predicate.value == HYDRA_NEXT]
        assert following.startswith(address) and httpx.get(following).status_code == 200


def test_a_store_without_a_recorded_base_still_serves(new_store: Callable[..., Settings],
                                                      tmp_path: Path) -> None:
    settings = new_store(base=BUILT)
    assert run({**unset_base(settings), "LIFECAT_BASE": BUILT}, "build", "--quiet").exit_code == 0
    forget_base(Store.open(settings))
    [state] = Store.open(settings).built()
    assert (state.base, state.recorded) == (BUILT, False)
    port = free_port()
    with serving(unset_base(settings), tmp_path, port) as said:
        assert f"Serving under the base IRI {BUILT}, the one the store was built under (read off" in said()
        record = httpx.get(f"http://127.0.0.1:{port}/id/catalog/goodres", headers={"Accept": "text/html"})
        assert record.status_code == 200
        posts = signposting.find_signposting_http_link([record.headers["link"]], BUILT)
        assert posts.citeAs.target == f"{BUILT}id/catalog/goodres"


def forget_base(store: Store) -> None:
    """Take the recorded base out of the store's marker, as a store built before lifecat recorded it."""
    if isinstance(store, RemoteStore):
        store.send_update(f"DELETE WHERE {{ GRAPH ?g {{ ?g <{LIFECAT.baseIRI.value}> ?base }} }}")
        return
    assert isinstance(store, EmbeddedStore)
    generation = Oxigraph(str(store.artifacts() / OXIGRAPH))  # beneath the interface, which never edits one
    for quad in list(generation.quads_for_pattern(None, LIFECAT.baseIRI, None)):
        generation.remove(quad)
    generation.flush()
    del generation


def clean_environ() -> dict[str, str]:
    """This process's environment without any lifecat setting (the test gives its own)."""
    return {k: v for k, v in os.environ.items() if not k.startswith("LIFECAT_")}


@contextmanager
def serving(env: dict[str, str | None], folder: Path, port: int) -> Iterator[Callable[[], str]]:
    """``lifecat serve --port port`` until the block ends (stopped by its PID); yields a function that
    reads what it has printed."""
    log = folder / f"serve-{port}.log"
    settings = {k: v for k, v in env.items() if v is not None}
    with open(log, "w") as out:
        process = subprocess.Popen(
            [LIFECAT_COMMAND, "serve", "--workers", "1", "--no-access-log", "--port", str(port)],
            env={**clean_environ(), **settings, "LIFECAT_CATALOG_PAGE_SIZE": "1"}, cwd=folder,
            stdout=out, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 120
        while not answers(f"http://127.0.0.1:{port}/health"):
            assert process.poll() is None, log.read_text()
            assert time.monotonic() < deadline, f"lifecat serve did not start: {log.read_text()}"
            time.sleep(0.1)
        yield log.read_text
    finally:
        process.terminate()
        process.wait(timeout=30)


def answers(url: str) -> bool:
    try:
        return httpx.get(url, timeout=5).status_code == 200
    except httpx.HTTPError:
        return False


class Links(HTMLParser):
    """The ``href`` of every link on a page."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self.found += [value for name, value in attrs if name == "href" and value]


def links(url: str) -> list[str]:
    page = httpx.get(url, headers={"Accept": "text/html"})
    assert page.status_code == 200, url
    parser = Links()
    parser.feed(page.text)
    return [str(httpx.URL(url).join(href)) for href in parser.found]


def follow_to_a_record(address: str) -> str:
    """A catalogue record's IRI (which cites itself), reached from the home page through its browse
    list, as a visitor would."""
    browse = next(link for link in links(address) if link == f"{address}browse/catalog")
    return next(link for link in links(browse) if link.startswith(f"{address}id/"))

"""Several front-ends on one store, as a deployment runs them: ``lifecat serve`` processes on their own
ports answer identically, and all see a rebuild at their next request after ``lifecat build`` swaps it
in. On a remote store the front-ends share nothing but the store and the artifacts folder, as on
separate machines; an overrunning query there costs a front-end no process."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest
from pyoxigraph import RdfFormat, parse

from lifecat.core.config import Settings
from tests.utils.processes import RUNAWAY
from tests.utils.stores import environment, free_port

FIXTURES = Path(__file__).parents[1] / "fixtures" / "bioregistry"
BASE = "http://lifecat.test/"
RECORD = "/id/catalog/goodres"
LIFECAT = str(Path(sys.executable).with_name("lifecat"))


def lifecat(env: dict[str, str], *args: str) -> str:
    done = subprocess.run([LIFECAT, *args], env={**os.environ, **env}, capture_output=True, text=True,
                          timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.fixture
def deployment(new_store: Callable[..., Settings], tmp_path: Path
               ) -> Iterator[tuple[dict[str, str], Path, list[str]]]:
    """A store built by ``lifecat build`` from a copy of the fixtures, and two front-ends on it."""
    env = {**environment(new_store(base=BASE)), "LIFECAT_QUERY_TIMEOUT": "2"}
    source = tmp_path / "source"
    shutil.copytree(FIXTURES, source)
    lifecat(env, "build", "--quiet", "--source", f"bioregistry:{source}")
    ports = [free_port(), free_port()]
    command = [LIFECAT, "serve", "--workers", "1", "--no-access-log", "--port"]
    fronts = [subprocess.Popen([*command, str(port)], env={**os.environ, **env}, cwd=tmp_path,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) for port in ports]
    urls = [f"http://127.0.0.1:{port}" for port in ports]
    try:
        deadline = time.monotonic() + 60
        while not all(health(url) for url in urls):
            running = all(front.poll() is None for front in fronts)
            assert running and time.monotonic() < deadline, "lifecat serve did not start"
            time.sleep(0.1)
        yield env, source, urls
    finally:
        for front in fronts:
            front.terminate()
        for front in fronts:
            front.wait(timeout=30)


def health(url: str) -> dict[str, object] | None:
    try:
        response = httpx.get(f"{url}/health", timeout=5)
    except httpx.HTTPError:
        return None
    return response.json() if response.status_code == 200 else None


def views(url: str) -> dict[str, object]:
    """What a user and a harvester see on a front-end: a query, a record, a search, VoID."""
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    return {
        "sparql": httpx.get(f"{url}/sparql", params={"query": count}, headers={"Accept": "text/csv"}).text,
        "record": sorted(str(t) for t in parse(httpx.get(f"{url}{RECORD}", headers={
            "Accept": "application/n-triples"}).content, format=RdfFormat.N_TRIPLES)),
        "search": [hit["uri"] for hit in httpx.get(f"{url}/search", params={"q": "resource"}, headers={
            "Accept": "application/json"}).json()["hits"]],
        "void": sorted(str(t) for t in parse(httpx.get(f"{url}/void", headers={
            "Accept": "application/n-triples"}).content, format=RdfFormat.N_TRIPLES)),
    }


def test_front_ends_answer_identically_and_see_a_rebuild_together(
        deployment: tuple[dict[str, str], Path, list[str]], backend: str) -> None:
    env, source, (one, two) = deployment
    first = views(one)
    assert first == views(two)
    assert "Good Resource" in str(first["record"])
    generation = health(one)["generation"]  # type: ignore[index]

    registry = source / "bioregistry.json"
    records = json.loads(registry.read_text())
    records["goodres"]["name"] = "Renamed Resource"
    registry.write_text(json.dumps(records))
    lifecat(env, "build", "--quiet", "--source", f"bioregistry:{source}")
    for url in (one, two):  # the very next request to each front-end sees the new generation
        assert health(url)["generation"] != generation  # type: ignore[index]
    second = views(one)
    assert second == views(two)
    assert "Renamed Resource" in str(second["record"]) and "Good Resource" not in str(second["record"])
    found = httpx.get(f"{two}/search", params={"q": "renamed"}, headers={"Accept": "application/json"}).json()
    assert [hit["uri"] for hit in found["hits"]] == [f"{BASE}{RECORD[1:]}"]

    if backend != "embedded":  # a front-end without the shared artifacts still serves what the store holds
        folder = Path(env["LIFECAT_ARTIFACTS"]) / "generations" / str(health(one)["generation"])
        hidden = folder.with_name("elsewhere")
        folder.rename(hidden)
        try:
            for path in ("/void", "/dumps/", "/catalog"):  # read from the artifacts at each request
                assert httpx.get(f"{one}{path}").status_code == 503, path
            assert httpx.get(f"{one}{RECORD}", headers={"Accept": "text/html"}).status_code == 200
            assert httpx.get(f"{one}/sparql", params={"query": "ASK {}"}).status_code == 200
        finally:
            hidden.rename(folder)

    if backend != "embedded":  # the query runs in the store: its front-end answers 503 and goes on
        before = health(one)["process"]  # type: ignore[index]
        started = time.monotonic()
        response = httpx.get(f"{one}/sparql", params={"query": RUNAWAY}, timeout=30)
        assert response.status_code == 503 and "time limit" in response.text
        assert time.monotonic() - started < 2 + 1.5
        assert health(one)["process"] == before
        assert health(two) is not None

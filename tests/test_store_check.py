"""``lifecat build`` and ``lifecat serve`` check a remote store at start and say what is wrong with it
(unreachable, read-only, no Graph Store Protocol, refused credentials), never a traceback, never a
credential."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner
from pyoxigraph import Store as Oxigraph

from lifecat.cli import main
from lifecat.core.config import Settings
from tests.utils.stores import OxigraphServer, free_port, running_oxigraph

FIXTURES = Path(__file__).parent / "fixtures" / "bioregistry"
SECRET = "correct-horse-battery-staple"


@pytest.fixture(scope="module")
def server() -> Iterator[OxigraphServer]:
    with running_oxigraph() as running:
        yield running


@pytest.fixture
def read_only(tmp_path: Path) -> Iterator[OxigraphServer]:
    Oxigraph(str(tmp_path / "data")).flush()  # an empty store for the read-only server to open
    port = free_port()
    process = subprocess.Popen(["oxigraph", "serve-read-only", "--location", str(tmp_path / "data"),
                                "--bind", f"127.0.0.1:{port}"], stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            httpx.post(f"{url}/query", data={"query": "ASK {}"}, timeout=1).raise_for_status()
            break
        except httpx.HTTPError:
            assert time.monotonic() < deadline and process.poll() is None, "oxigraph did not start"
            time.sleep(0.05)
    yield OxigraphServer(url, process.pid)
    process.terminate()
    process.wait(timeout=10)


def build(env: dict[str, str], tmp_path: Path) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["build", "--quiet", "--source", f"bioregistry:{FIXTURES}"],
                                env={"LIFECAT_ARTIFACTS": str(tmp_path / "artifacts"), **env})
    assert not isinstance(result.exception, Exception) or isinstance(result.exception, SystemExit), \
        result.exception
    return result.exit_code, result.output


def test_an_unreachable_store_is_named(tmp_path: Path) -> None:
    url = f"http://127.0.0.1:{free_port()}/query"
    code, output = build({"LIFECAT_STORE": url}, tmp_path)
    assert code == 1
    assert "build failed, the store is unchanged" in output
    assert f"the SPARQL endpoint {url} does not answer queries" in output


def test_a_read_only_store_is_named(read_only: OxigraphServer, tmp_path: Path) -> None:
    env = {"LIFECAT_STORE": read_only.query_url, "LIFECAT_STORE_UPDATE": read_only.update_url}
    code, output = build(env, tmp_path)
    assert code == 1
    assert f"the store refuses updates at {read_only.update_url}" in output


def test_a_missing_graph_store_is_named(server: OxigraphServer, tmp_path: Path) -> None:
    wrong = f"{server.url}/no-such-endpoint"
    code, output = build({"LIFECAT_STORE": server.query_url, "LIFECAT_STORE_UPDATE": server.update_url,
                          "LIFECAT_STORE_GRAPH_STORE": wrong}, tmp_path)
    assert code == 1
    assert f"no Graph Store HTTP Protocol at {wrong}" in output


def test_credentials_are_never_shown(tmp_path: Path) -> None:
    url = f"http://127.0.0.1:{free_port()}/query"
    code, output = build({"LIFECAT_STORE": url, "LIFECAT_STORE_AUTH": "basic",
                          "LIFECAT_STORE_USER": "curator", "LIFECAT_STORE_PASSWORD": SECRET}, tmp_path)
    assert code == 1 and SECRET not in output
    assert SECRET not in repr(Settings(store=url, store_password=SECRET, store_token=SECRET))


def test_a_good_store_builds_and_says_so(server: OxigraphServer, tmp_path: Path) -> None:
    env = {"LIFECAT_STORE": server.query_url, "LIFECAT_STORE_UPDATE": server.update_url,
           "LIFECAT_STORE_GRAPH_STORE": server.graph_store_url}
    code, output = build(env, tmp_path)
    assert code == 0, output
    assert "bioregistry (bioregistry): read 7, loaded 6, quarantined 1, loaded with warnings 4" in output


def test_serve_says_what_is_wrong_before_serving(tmp_path: Path) -> None:
    url = f"http://127.0.0.1:{free_port()}/query"
    done = subprocess.run([str(Path(sys.executable).with_name("lifecat")), "--store", url, "serve",
                           "--port", str(free_port())], capture_output=True, text=True, timeout=60,
                          cwd=tmp_path, check=False)
    assert done.returncode == 1
    assert f"cannot serve {url}: the SPARQL endpoint {url} does not answer queries" in done.stderr
    assert "Traceback" not in done.stderr

"""The shared real samples on each remote store, run as a user runs lifecat: ``lifecat build`` and
``lifecat serve --workers 2`` as commands configured by ``LIFECAT_*`` variables (the store's password
among them), then the live server read as browsers, RDF clients and SPARQL clients read it.

One build per remote store in ``LIFECAT_TEST_STORES``; skipped without one, or without
``LIFECAT_SAMPLES``. Marked ``slow`` (a minute or more per store): ``.ci/run`` runs it on Virtuoso.
Every process started here is stopped by its id afterwards."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

import extruct
import httpx
import pytest
import rdflib
from pyoxigraph import NamedNode, RdfFormat, parse
from SPARQLWrapper import JSON, TURTLE, SPARQLWrapper

from lifecat.core.config import Settings
from lifecat.graph.store import Store
from tests.utils.samples import EXPECTED, EXPECTED_WARNED, SAMPLES
from tests.utils.stores import chosen_backends, environment, free_port, raw_query, store_settings, unavailable

REMOTE = [backend for backend in chosen_backends() if backend != "embedded"]
if not REMOTE:
    pytest.skip("no remote store in LIFECAT_TEST_STORES (set it to oxigraph and/or virtuoso)",
                allow_module_level=True)

BASE = "http://lifecat.test/"
LIFECAT = str(Path(sys.executable).with_name("lifecat"))
#: The build of every sample takes about a minute; the first test waits for it and for the server.
pytestmark = [pytest.mark.timeout(900), pytest.mark.slow]
#: Seconds a page may take on a remote store under load (Virtuoso joins a record's graphs slowly).
SLOW_STORE = 120
START_TIMEOUT = 60.0
STOP_TIMEOUT = 20.0
#: Records of different kinds, one per source, and how they are named.
RECORDS = {"catalog": "catalog/uniprot", "tool": "tool/1000genomes", "trial": "trial/NCT00571389",
           "article": "article/10.1000/292", "organization": "organization/0000ev088",
           "sample": "sample/Australia/VIC05/2020", "dataset": "dataset/LC547528"}
UNIPROT = f"{BASE}id/catalog/uniprot"
NAME = "http://schema.org/name"
#: No shared sample has a record that cannot stand, so the ICTRP fixture is built beside them: one of its
#: trials has no title, and is quarantined.
INVALID = ("ictrp", Path(__file__).parent / "fixtures" / "ictrp")
QUARANTINE = f"{BASE}graph/quarantine/ictrp"
REPORT = re.compile(r"^([\w-]+) \(([\w-]+)\): read (\d+), loaded (\d+), quarantined (\d+), "
                    r"loaded with warnings (\d+)$", re.MULTILINE)


@dataclass(frozen=True)
class Served:
    """A remote store with every sample built into it by ``lifecat build``, served by ``lifecat serve``."""

    url: str
    settings: Settings
    build_output: str


@contextmanager
def command(args: list[str], env: dict[str, str], folder: Path,
            log: str) -> Iterator[subprocess.Popen[bytes]]:
    """Run ``lifecat *args`` in a process group of its own until the block ends, then stop that group
    (the command and the server processes it started) through the started process's id."""
    with open(folder / log, "wb") as out:
        process = subprocess.Popen([LIFECAT, *args], env=env, cwd=folder, stdout=out,
                                   stderr=subprocess.STDOUT, start_new_session=True)
    try:
        yield process
    finally:
        with suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=STOP_TIMEOUT)
        finally:
            with suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)  # whatever the command left behind
            process.wait()


def wait_for(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"lifecat serve exited with {process.returncode}:\n{log.read_text()}")
        try:
            if httpx.get(f"{url}/health", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    pytest.fail(f"lifecat serve did not answer within {START_TIMEOUT:.0f} s:\n{log.read_text()}")


@pytest.fixture(scope="module", params=REMOTE)
def served(request: pytest.FixtureRequest, samples: Path,
           tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    if reason := unavailable(request.param):
        pytest.fail(f"cannot test on {request.param}: {reason}")
    folder = tmp_path_factory.mktemp(f"remote-samples-{request.param}")
    with ExitStack() as stack:
        settings = store_settings(request.param, folder, stack, base=BASE)
        env = {k: v for k, v in os.environ.items() if not k.startswith("LIFECAT_")} | environment(settings)
        sources = [f"--source={fmt}:{samples / path}" for fmt, path in SAMPLES]
        sources.append(f"--source={INVALID[0]}:{INVALID[1]}")
        built = subprocess.run([LIFECAT, "build", "--quiet", *sources], env=env, cwd=folder,
                               capture_output=True, text=True, timeout=600, check=False)
        assert built.returncode == 0, built.stdout + built.stderr
        port = free_port()
        server = stack.enter_context(command(["serve", "--host", "127.0.0.1", "--port", str(port),
                                              "--workers", "2"], env, folder, "serve.log"))
        url = f"http://127.0.0.1:{port}"
        wait_for(url, server, folder / "serve.log")
        yield Served(url, settings, built.stdout)


@pytest.fixture(scope="module")
def quarantined(served: Served) -> str:
    """A record only the quarantine graph holds, read from the store itself."""
    rows = raw_query(served.settings, f"""SELECT DISTINCT ?s WHERE {{
        GRAPH <{QUARANTINE}> {{ ?s a ?type }}
        FILTER (STRSTARTS(STR(?s), "{BASE}id/") && !CONTAINS(STR(?s), "#"))
        FILTER NOT EXISTS {{ GRAPH ?public {{ ?s ?p ?o }} FILTER (?public != <{QUARANTINE}>) }}
    }} LIMIT 1""").rows
    assert rows, "the build quarantined no record"
    return rows[0][0]


def test_the_build_reports_every_source(served: Served) -> None:
    reports = {m[1]: (int(m[3]), int(m[4]), int(m[5]), int(m[6]))
               for m in REPORT.finditer(served.build_output)}
    assert {name: (read, quarantined) for name, (read, _, quarantined, _) in reports.items()} == {
        **EXPECTED, "ictrp": (7, 2)}
    assert {name: warned for name, (*_, warned) in reports.items() if name != "ictrp"} == EXPECTED_WARNED
    assert all(read == loaded + quarantined for read, loaded, quarantined, _ in reports.values())


def test_health_names_the_generation_built(served: Served) -> None:
    generation = Store.open(served.settings).generation()
    for _ in range(6):  # either server process may answer
        health = httpx.get(f"{served.url}/health", timeout=SLOW_STORE).json()
        assert (health["status"], health["store"], health["generation"]) == ("ok", "remote", generation)


@pytest.mark.parametrize("kind", list(RECORDS))
def test_record_pages_in_html_and_turtle(served: Served, kind: str) -> None:
    uri = f"{BASE}id/{RECORDS[kind]}"
    url = f"{served.url}/id/{RECORDS[kind]}"
    html = httpx.get(url, headers={"Accept": "text/html"}, timeout=SLOW_STORE)
    assert html.status_code == 200, html.text
    assert html.headers["content-type"].startswith("text/html")
    (document,) = extruct.extract(html.text, base_url=url, syntaxes=["json-ld"])["json-ld"]
    assert document["@id"] == uri
    turtle = httpx.get(url, headers={"Accept": "text/turtle"}, timeout=SLOW_STORE)
    assert turtle.status_code == 200, turtle.text
    assert turtle.headers["content-type"].startswith("text/turtle")
    triples = list(parse(turtle.content, format=RdfFormat.TURTLE, base_iri=url))
    subjects = {t.subject for t in triples}
    assert NamedNode(uri) in subjects
    assert all(s.value == uri or s.value.startswith(f"{uri}#") for s in subjects)
    assert any(t.subject == NamedNode(uri) and t.predicate.value.startswith("http://schema.org/")
               for t in triples)


def test_sparqlwrapper_select_ask_describe(served: Served) -> None:
    client = SPARQLWrapper(f"{served.url}/sparql")
    client.setReturnFormat(JSON)
    client.setQuery(f"SELECT ?name WHERE {{ <{UNIPROT}> <{NAME}> ?name }}")
    rows = client.queryAndConvert()["results"]["bindings"]  # type: ignore[index, call-overload]
    assert [row["name"]["value"] for row in rows] == ["UniProt Protein"]
    client.setQuery(f"ASK {{ <{UNIPROT}> a <http://schema.org/DataCatalog> }}")
    assert client.queryAndConvert()["boolean"] is True  # type: ignore[index, call-overload]
    client.setReturnFormat(TURTLE)
    client.setQuery(f"DESCRIBE <{UNIPROT}>")
    graph = rdflib.Graph().parse(data=client.queryAndConvert(), format="turtle")  # type: ignore[arg-type]
    assert (rdflib.URIRef(UNIPROT), rdflib.URIRef(NAME), rdflib.Literal("UniProt Protein")) in graph


def test_the_quarantine_is_not_visible(served: Served, quarantined: str) -> None:
    def sparql(query: str, accept: str = "application/sparql-results+json") -> httpx.Response:
        return httpx.post(f"{served.url}/sparql", data={"query": query}, headers={"Accept": accept})

    for query in (f"ASK {{ <{quarantined}> ?p ?o }}", f"ASK {{ GRAPH ?g {{ <{quarantined}> ?p ?o }} }}",
                  f"ASK {{ ?report <http://www.w3.org/ns/shacl#focusNode> <{quarantined}> }}"):
        answer = sparql(query)
        assert answer.status_code == 200, answer.text
        assert answer.json()["boolean"] is False, query
    described = sparql(f"DESCRIBE <{quarantined}>", "application/n-triples")
    assert described.status_code == 200, described.text
    # nothing the record says; a store's DESCRIBE may add public records' links to it (Virtuoso's does)
    assert all(t.subject.value != quarantined for t in parse(described.content, format=RdfFormat.N_TRIPLES))
    for query in (f"ASK {{ GRAPH <{QUARANTINE}> {{ ?s ?p ?o }} }}",
                  f"ASK FROM <{QUARANTINE}> {{ ?s ?p ?o }}"):
        refused = sparql(query)
        assert refused.status_code == 403, refused.text
    page = quarantined.removeprefix(BASE.rstrip("/"))
    turtle = httpx.get(f"{served.url}{page}", headers={"Accept": "text/turtle"}, timeout=SLOW_STORE)
    assert turtle.status_code == 404
    graph = httpx.get(f"{served.url}/graph-store", params={"graph": QUARANTINE}, timeout=SLOW_STORE)
    assert graph.status_code == 404

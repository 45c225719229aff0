"""``/validate``: the page and the API check a provider's document without storing it; oversize,
malformed and hostile input (URLs to loopback and private addresses) is refused with a reason."""

from __future__ import annotations

import json
import threading
from collections import Counter
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import rdflib
from click.testing import CliRunner
from fastapi.testclient import TestClient
from httpx import Response
from lxml import html

from lifecat.cli import main
from lifecat.core.config import Settings
from lifecat.endpoint.app import create_app

FIXTURES = Path(__file__).parents[1] / "fixtures" / "check"
SH = rdflib.Namespace("http://www.w3.org/ns/shacl#")


@pytest.fixture(scope="module")
def checking(settings: Settings) -> Iterator[TestClient]:
    """The app with small limits, fetching allowed but (by default) only from public addresses."""
    limited = settings.model_copy(update={"validate_max_bytes": 20_000, "validate_fetch": True})
    with TestClient(create_app(limited)) as client:
        yield client


def post(client: TestClient, path: str, media: str, accept: str = "application/json", **params: str):
    return client.post("/validate", params=params, content=(FIXTURES / path).read_bytes(),
                       headers={"Content-Type": media, "Accept": accept})


def test_the_api_checks_a_posted_document(checking: TestClient) -> None:
    response = post(checking, "tool-no-name.jsonld", "application/ld+json")
    assert response.status_code == 200
    report = response.json()
    assert report["conforms"] is False and report["summary"]["violation"] >= 1
    names = [f for r in report["records"] for f in r["findings"] if f["path"] == "http://schema.org/name"]
    assert names and names[0]["level"] == "minimum"
    turtle = post(checking, "tool-no-name.jsonld", "application/ld+json", accept="text/turtle")
    graph = rdflib.Graph().parse(data=turtle.text, format="turtle")
    assert next(graph.subjects(rdflib.RDF.type, SH.ValidationReport), None) is not None


def test_a_pasted_document_gets_an_html_report(checking: TestClient) -> None:
    form = {"content": (FIXTURES / "tool-no-licence.jsonld").read_text(), "media_type": ""}
    response = checking.post("/validate", data=form, headers={"Accept": "text/html"})
    assert response.status_code == 200
    page = html.fromstring(response.text)
    assert page.get_element_by_id("verdict") is not None
    rows = page.xpath("//table[@class='findings']//tr[td]")
    assert any("licence" in row.text_content() and "spdx.org" in row.text_content() for row in rows)


def test_an_uploaded_page_is_checked_and_nothing_is_loaded(checking: TestClient) -> None:
    files = {"file": ("page.html", (FIXTURES / "page.html").read_bytes(), "text/html")}
    response = checking.post("/validate", files=files, headers={"Accept": "application/json"})
    assert response.status_code == 200
    assert "https://samples.example.org/SAMEA1" in {r["focus"] for r in response.json()["records"]}
    lookup = checking.get("/sparql", params={"query": "ASK { ?s ?p <https://samples.example.org/SAMEA1> }"},
                          headers={"Accept": "application/sparql-results+json"})
    assert lookup.json()["boolean"] is False


def test_the_form_page_and_the_openapi_document(checking: TestClient) -> None:
    page = html.fromstring(checking.get("/validate", headers={"Accept": "text/html"}).text)
    assert page.xpath("//form[@id='validate-form']//textarea[@name='content']")
    assert page.xpath("//input[@name='url']"), "fetching is on in this app"
    spec = checking.get("/openapi.json").json()
    body = spec["paths"]["/validate"]["post"]["requestBody"]["content"]
    assert {"application/ld+json", "text/turtle", "multipart/form-data"} <= set(body)


@pytest.mark.parametrize("body, media, reason", [
    (b'{"@context": "https://schema.org", "name": ', "application/ld+json", "not JSON"),
    (b"\xff\xfe\x00garbage", "text/turtle", "UTF-8"),
    (b"<a> <b> .", "text/turtle", "not valid"),
    (b"", "application/ld+json", "no body"),
    (b'{"@context": "https://example.org/remote-context", "name": "x"}', "application/ld+json", "context"),
])
def test_unreadable_documents_are_refused_with_a_reason(checking: TestClient, body: bytes, media: str,
                                                        reason: str) -> None:
    response = checking.post("/validate", content=body,
                             headers={"Content-Type": media, "Accept": "text/plain"})
    assert response.status_code == 400, response.text
    assert reason in response.text


def test_oversize_input_is_refused_before_it_is_read(checking: TestClient) -> None:
    big = b"{" + b'"name": "x",' * 5_000 + b'"a": 1}'
    response = checking.post("/validate", content=big, headers={"Content-Type": "application/ld+json"})
    assert response.status_code == 413 and "20000" in response.text
    form = {"content": "x" * 30_000}
    refused = checking.post("/validate", data=form, headers={"Accept": "text/plain"})
    assert refused.status_code == 413, refused.text


@pytest.mark.parametrize("url", [
    "http://127.0.0.1:9/page.html", "http://localhost/", "http://10.0.0.1/catalog.ttl",
    "http://169.254.169.254/latest/meta-data/", "http://[::1]/", "http://192.168.1.1/", "file:///etc/passwd",
])
def test_urls_to_private_addresses_are_refused(checking: TestClient, url: str) -> None:
    response = checking.get("/validate", params={"url": url}, headers={"Accept": "text/plain"})
    assert response.status_code == 400, response.text
    assert url.split("/")[2] in response.text or "scheme" in response.text.lower()


def test_fetching_is_off_unless_configured(client: TestClient) -> None:
    response = client.get("/validate", params={"url": "https://example.org/"},
                          headers={"Accept": "text/plain"})
    assert response.status_code == 403 and "validate_fetch" in response.text
    page = html.fromstring(client.get("/validate", headers={"Accept": "text/html"}).text)
    assert not page.xpath("//input[@name='url']")


def test_a_check_past_its_time_limit_is_stopped(settings: Settings) -> None:
    hurried = settings.model_copy(update={"validate_timeout": 0.001})
    with TestClient(create_app(hurried)) as client:
        response = post(client, "tool-complete.jsonld", "application/ld+json", accept="text/plain")
    assert response.status_code == 503 and "Retry-After" in response.headers
    assert "longer than" in response.text


def findings(report: dict) -> Counter[tuple[str, ...]]:
    """A report's findings, blank nodes (named anew by each reading) as such."""
    return Counter((r["profile"], f["level"], f["path"], f["component"],
                    "_:" if (f["value"] or "").startswith("_:") else f["value"] or "")
                   for r in report["records"] for f in r["findings"])


@pytest.fixture(scope="module")
def roomy(settings: Settings) -> Iterator[TestClient]:
    """The app with room for the real pages (the largest is 240 kB)."""
    with TestClient(create_app(settings.model_copy(update={"validate_max_bytes": 1_000_000}))) as client:
        yield client


def test_the_real_pages_and_dcat_examples_give_the_cli_report(roomy: TestClient, samples: Path) -> None:
    media = {".html": "text/html", ".ttl": "text/turtle", ".jsonld": "application/ld+json"}
    pages = samples / "api" / "bioschemas"
    inputs = [*sorted(pages.glob("*.html")), *sorted((samples / "dcat").glob("*.*"))]
    checked = 0
    for path in (p for p in inputs if p.suffix in media):
        profile = ["dcat-ap"] if path.parent.name == "dcat" else []
        response = roomy.post("/validate", params={"profile": profile}, content=path.read_bytes(),
                              headers={"Content-Type": media[path.suffix], "Accept": "application/json"})
        assert response.status_code == 200, (path.name, response.text)
        web = response.json()
        cli = CliRunner().invoke(main, ["check", "--format", "json", *(f"--profile={p}" for p in profile),
                                        str(path)])
        assert findings(web) == findings(json.loads(cli.output)), path.name
        checked += 1
    assert checked >= 60
    training = roomy.post("/validate", content=(pages / "tess-gtn-galaxy-intro-101.html").read_bytes(),
                          headers={"Content-Type": "text/html", "Accept": "application/json"})
    assert any(r["profile"].startswith("Bioschemas TrainingMaterial") for r in training.json()["records"])


class Held(BaseHTTPRequestHandler):
    """Answers a JSON-LD document once the test lets it (``release``), saying when a request came."""

    arrived = threading.Event()
    release = threading.Event()

    def do_GET(self) -> None:
        type(self).arrived.set()
        type(self).release.wait(timeout=60)
        body = (FIXTURES / "tool-no-licence.jsonld").read_bytes()
        self.send_response(200)
        self.send_header("Content-Type", "application/ld+json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


def test_a_url_on_an_allowed_network_is_fetched_and_one_client_runs_one_check(settings: Settings) -> None:
    Held.arrived.clear()
    Held.release.clear()
    server = ThreadingHTTPServer(("127.0.0.1", 0), Held)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/tool.jsonld"
    allowed = settings.model_copy(update={"validate_fetch": True, "validate_fetch_networks": ["127.0.0.1/32"],
                                          "validate_workers": 2})
    answers: list[Response] = []
    try:
        with TestClient(create_app(allowed)) as client:
            first = threading.Thread(target=lambda: answers.append(client.get(
                "/validate", params={"url": url}, headers={"Accept": "application/json"})))
            first.start()
            assert Held.arrived.wait(timeout=60), "the check fetched the URL"
            second = client.get("/validate", params={"url": url}, headers={"Accept": "text/plain"})
            assert second.status_code == 503 and "still running" in second.text
            assert second.headers["Retry-After"]
            Held.release.set()
            first.join(timeout=60)
    finally:
        Held.release.set()
        server.shutdown()
        server.server_close()
    [answer] = answers
    assert answer.status_code == 200
    assert "https://tools.example.org/foldit" in {r["focus"] for r in answer.json()["records"]}

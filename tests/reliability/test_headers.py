"""Every answer carries the security headers, whatever route made it (the SPARQL protocol, answered
ahead of the framework's stack, included), and the pages need nothing the policy forbids: no inline
script or style, nothing loaded from elsewhere."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from httpx import Response

from tests.utils.pages import Links

HTML = {"Accept": "text/html"}
POLICY = {
    "default-src": {"'self'"}, "script-src": {"'self'"}, "style-src": {"'self'"},
    "img-src": {"'self'", "data:"}, "object-src": {"'none'"}, "base-uri": {"'none'"},
    "frame-ancestors": {"'none'"}, "form-action": {"'self'"},
}
#: (what, method, path, request headers): an answer of every kind.
ANSWERS = [
    ("home page", "GET", "/", HTML),
    ("record page", "GET", "/id/catalog/uniprot", HTML),
    ("record in Turtle", "GET", "/id/catalog/uniprot", {"Accept": "text/turtle"}),
    ("record headers", "HEAD", "/id/catalog/uniprot", {}),
    ("search JSON", "GET", "/search?q=gene&format=json", {}),
    ("SPARQL editor", "GET", "/sparql", HTML),
    ("Service Description", "GET", "/sparql", {"Accept": "text/turtle"}),
    ("SPARQL results", "GET", "/sparql?query=ASK%20%7B%7D", {"Accept": "application/sparql-results+json"}),
    ("SPARQL error", "GET", "/sparql?query=SELEKT", {}),
    ("SPARQL preflight", "OPTIONS", "/sparql", {"Origin": "https://example.org",
                                                "Access-Control-Request-Method": "POST"}),
    ("static file", "GET", "/static/lifecat.css", {}),
    ("sitemap", "GET", "/sitemap.xml", {}),
    ("404 page", "GET", "/no/such/page", HTML),
    ("404 text", "GET", "/id/catalog/no-such-prefix", {"Accept": "text/plain"}),
    ("400 parameter", "GET", "/browse/catalog?page=zero", HTML),
    ("401 quarantine", "GET", "/quarantine", {}),
    ("OpenAPI document", "GET", "/openapi.json", {}),
]


def policy(response: Response) -> dict[str, set[str]]:
    """The response's Content-Security-Policy, directive by directive."""
    directives = [d.split() for d in response.headers["content-security-policy"].split(";")]
    return {name: set(values) for name, *values in directives}


def assert_secured(response: Response) -> None:
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["referrer-policy"] == "strict-origin-when-cross-origin"
    for name in ("content-security-policy", "x-content-type-options", "x-frame-options", "referrer-policy"):
        assert len(response.headers.get_list(name)) == 1, name


@pytest.mark.parametrize(("method", "path", "headers"), [a[1:] for a in ANSWERS], ids=[a[0] for a in ANSWERS])
def test_every_answer_is_secured(client: TestClient, method: str, path: str, headers: dict[str, str]) -> None:
    response = client.request(method, path, headers=headers)
    assert response.status_code < 500, response.text
    assert_secured(response)
    assert policy(response) == POLICY


def test_the_api_reference_alone_may_load_swagger_ui(client: TestClient) -> None:
    response = client.get("/api")
    assert_secured(response)
    found = policy(response)
    assert "https://cdn.jsdelivr.net" in found["script-src"]
    assert {k: v for k, v in found.items() if k not in ("script-src", "style-src", "img-src")} == {
        k: v for k, v in POLICY.items() if k not in ("script-src", "style-src", "img-src")}


class Inline(Links):
    """A page's inline scripts and styles: executable ``<script>`` without ``src``, ``<style>``
    elements, ``style`` and ``on…`` attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.inline: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        super().handle_starttag(tag, attrs)
        found = dict(attrs)
        data_only = found.get("type") in ("application/json", "application/ld+json")
        if (tag == "script" and "src" not in found and not data_only) or tag == "style":
            self.inline.append(tag)
        self.inline += [name for name in found if name == "style" or name.startswith("on")]


@pytest.mark.parametrize("path", ["/", "/sparql", "/id/catalog/uniprot", "/search?q=gene", "/catalog",
                                  "/browse/catalog", "/dumps/", "/graph/bioregistry", "/no/such/page"])
def test_pages_need_nothing_the_policy_forbids(client: TestClient, path: str) -> None:
    page = Inline()
    page.feed(client.get(path, headers=HTML).text)
    assert page.inline == []
    loaded = [t for t in page.targets if t.startswith("/static/")]
    assert "/static/lifecat.css" in loaded
    for asset in loaded:  # every script and stylesheet is lifecat's own, and served
        assert client.get(asset).status_code == 200

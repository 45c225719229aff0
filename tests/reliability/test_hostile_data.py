"""Nothing in the data becomes a script: ``javascript:``, ``data:`` and ``vbscript:`` IRIs are never
links (in ``<a>``, ``<link>`` or a ``Link`` header) on any page, markup in text stays text, the record
page's JSON-LD cannot be closed from the data, and the shapes report such links when a record is
validated. The store is built from ``tests/reliability/fixtures_hostile/`` (``tests/utils/hostile.py``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from contextlib import ExitStack
from html.parser import HTMLParser

import pyshacl
import pytest
import rdflib
from fastapi.testclient import TestClient
from pyoxigraph import Quad, Store

from lifecat.core.config import Settings
from lifecat.endpoint.app import create_app
from lifecat.graph.build import staging_graph
from lifecat.graph.shacl import CompiledShapes, load_shapes
from tests.utils.hostile import (
    BASE,
    MARKUP_RECORD,
    PAYLOADS,
    QUARANTINED,
    TOKEN,
    WRITTEN_RECORD,
    build_hostile,
    is_script_link,
    written_quads,
)
from tests.utils.pages import Links
from tests.utils.stores import store_settings

MARKUP_PAGE = "/" + MARKUP_RECORD.value.removeprefix(BASE)
WRITTEN_PAGE = "/" + WRITTEN_RECORD.value.removeprefix(BASE)
#: Every kind of page that shows data, over the hostile records.
PAGES = [MARKUP_PAGE, WRITTEN_PAGE, f"{WRITTEN_PAGE}?incoming=http://schema.org/citation&page=1",
         "/graph/written", "/graph/written/about", "/graph/markup", "/search?q=hostile",
         "/search?q=written", "/browse/dataset", "/catalog", "/", "/quarantine",
         f"/quarantine/markup/{QUARANTINED}"]
HTML = {"Accept": "text/html", "Authorization": f"Bearer {TOKEN}"}
#: How the shapes' results about script links begin.
REPORTED = "a javascript:, vbscript: or data: link"


@pytest.fixture(scope="module")
def hostile(backend: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Settings]:
    with ExitStack() as stack:
        yield build_hostile(store_settings(backend, tmp_path_factory.mktemp(f"hostile-{backend}"), stack,
                                           base=BASE))


@pytest.fixture(scope="module")
def client(hostile: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(hostile)) as test_client:
        yield test_client


class Scripts(HTMLParser):
    """Every ``<script>`` of a page: its type and its text."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str | None, str]] = []
        self._open = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "script":
            self.found.append((dict(attrs).get("type"), ""))
            self._open = True

    def handle_endtag(self, tag: str) -> None:
        self._open = self._open and tag != "script"

    def handle_data(self, data: str) -> None:
        if self._open:
            kind, text = self.found[-1]
            self.found[-1] = (kind, text + data)


@pytest.mark.parametrize("path", PAGES)
def test_no_page_links_to_a_script(client: TestClient, path: str) -> None:
    response = client.get(path, headers=HTML)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/html")
    targets = Links.of(response.text).targets
    assert targets, "the page links nowhere: the check would pass on anything"
    assert not [t for t in targets if is_script_link(t)]
    assert not [t for t in re.findall(r"<([^>]*)>", response.headers.get("link", "")) if is_script_link(t)]
    for payload in PAYLOADS:
        assert payload not in response.text


def test_script_links_are_shown_as_text(client: TestClient) -> None:
    html = client.get(WRITTEN_PAGE, headers=HTML).text
    for value in ("javascript:alert(1)", "vbscript:msgbox(1)", "javascript:alert(5)", "data:text/csv,a,b",
                  "javascript:alert(6)"):
        assert value in html
    assert "a property named by a script link" in html
    link = client.head(WRITTEN_PAGE).headers["link"]
    assert 'rel="license"' not in link and 'rel="item"' not in link  # both are script links here


def test_markup_in_text_stays_text(client: TestClient) -> None:
    html = client.get(MARKUP_PAGE, headers=HTML).text
    assert "Hostile &lt;script&gt;alert(1)&lt;/script&gt; &#34;&gt;&lt;img src=x onerror=alert(1)&gt;" in html


@pytest.mark.parametrize("path", [MARKUP_PAGE, WRITTEN_PAGE])
def test_json_ld_cannot_be_closed_from_the_data(client: TestClient, path: str) -> None:
    html = client.get(path, headers=HTML).text
    scripts = Scripts()
    scripts.feed(html)
    assert [kind for kind, _ in scripts.found] == ["application/ld+json"]
    text = scripts.found[0][1]
    assert "<" not in text and ">" not in text
    doc = json.loads(text)
    assert "</script><script>alert(1)</script><!--" in doc["name"] + doc["description"]


def test_script_links_are_reported_by_the_shapes() -> None:
    quads = written_quads()
    staging = Store()
    staging.extend(Quad(q.subject, q.predicate, q.object, staging_graph(0)) for q in quads)
    found = {(r.focus.value, r.path.value, r.value.value)
             for r in CompiledShapes(load_shapes()).validate(staging)
             if r.message.startswith(REPORTED) and r.value is not None}
    written, download = WRITTEN_RECORD.value, f"{WRITTEN_RECORD.value}#download"
    assert found == {
        (written, "http://schema.org/url", "javascript:alert(1)"),
        (written, "http://schema.org/identifier", "javascript:alert(2)"),
        (written, "http://schema.org/sameAs", "data:text/html,%3Cscript%3Ealert(1)%3C/script%3E"),
        (written, "http://schema.org/sameAs", "VBScript:msgbox(1)"),
        (written, "http://schema.org/license", "vbscript:msgbox(1)"),
        (written, "http://purl.org/dc/terms/license", "javascript:alert(3)"),
        (download, "http://schema.org/contentUrl", "javascript:alert(5)"),
        (download, "http://www.w3.org/ns/dcat#downloadURL", "data:text/csv,a,b"),
    }
    # pyshacl reads the hand-written pattern as the compiled query does
    graph = rdflib.Graph()
    graph.parse(data="\n".join(f"{q.triple} ." for q in quads), format="nt")
    _, report, _ = pyshacl.validate(graph, shacl_graph=load_shapes())
    sh = rdflib.Namespace("http://www.w3.org/ns/shacl#")
    assert found == {(str(report.value(r, sh.focusNode)), str(report.value(r, sh.resultPath)),
                      str(report.value(r, sh.value))) for r in report.subjects(sh.focusNode, None)
                     if str(report.value(r, sh.resultMessage)).startswith(REPORTED)}


def test_a_built_record_with_a_script_link_loads_with_a_warning(client: TestClient) -> None:
    """The markup's mapping drops script IRIs; the identifier it keeps as text is still reported."""
    html = client.get(MARKUP_PAGE, headers=HTML).text
    assert f"{REPORTED}, shown as text (schema:identifier)" in html

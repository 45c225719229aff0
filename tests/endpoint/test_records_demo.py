"""Record pages over the demo store: a record with 10,000 incoming links, markup in its literals, a
DOI (not its cite-as: it is no article), an ORCID author, a download, a warning; and a quarantined
record that must stay invisible."""

from __future__ import annotations

from html.parser import HTMLParser

import extruct
import signposting
from fastapi.testclient import TestClient

from tests.utils.demo_store import AUTHOR, CITING, DEMO_BASE, ENDED, HOSTILE, INCOMING, TARGET

TARGET_PATH = "/" + TARGET.value.removeprefix(DEMO_BASE)
IS_PART_OF = "http://schema.org/isPartOf"


class Sections(HTMLParser):
    """Incoming-link sections of a page: property → (total, item texts)."""

    def __init__(self) -> None:
        super().__init__()
        self.groups: dict[str, tuple[int, list[str]]] = {}
        self._current: str | None = None
        self._in_item = False
        self.scripts: list[str] = []
        self._in_script = False
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "section" and "data-property" in found:
            self._current = found["data-property"]
            self.groups[self._current] = (int(found["data-total"] or 0), [])
        self._in_item = bool(self._current) and tag == "a" and "title" in found and "rel" not in found
        self._in_script = tag == "script"

    def handle_endtag(self, tag: str) -> None:
        if tag == "section":
            self._current = None
        self._in_item = self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_item and self._current:
            self.groups[self._current][1].append(data)
        elif self._in_script:
            self.scripts.append(data)
        else:
            self.text.append(data)


def sections(html: str) -> Sections:
    parser = Sections()
    parser.feed(html)
    return parser


def test_literals_are_escaped(demo_client: TestClient) -> None:
    html = demo_client.get(TARGET_PATH).text
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &lt;b&gt;more&lt;/b&gt;" in html
    page = sections(html)
    assert HOSTILE in "".join(page.text)
    assert len(page.scripts) == 1  # only the JSON-LD script element
    doc = extruct.extract(html, base_url=TARGET.value, syntaxes=["json-ld"])["json-ld"][0]
    assert doc["description"] == HOSTILE
    assert doc["name"] == "Target <b>dataset</b>"


def test_incoming_links_grouped_counted_and_paged(demo_client: TestClient) -> None:
    html = demo_client.get(TARGET_PATH).text
    groups = sections(html).groups
    assert set(groups) == {IS_PART_OF, "http://schema.org/citation"}
    total, items = groups[IS_PART_OF]
    assert total == INCOMING
    assert items == [f"Sample {n:05d}" for n in range(50)]
    assert groups["http://schema.org/citation"] == (CITING, [f"Article {n}" for n in range(CITING)])
    assert "cited by" in html and "has part" in html
    last = demo_client.get(TARGET_PATH, params={"incoming": IS_PART_OF, "page": INCOMING // 50}).text
    assert sections(last).groups[IS_PART_OF][1] == [f"Sample {n:05d}" for n in range(INCOMING - 50, INCOMING)]
    assert 'rel="prev"' in last and f"page {INCOMING // 50} of {INCOMING // 50}" in last
    assert "Quarantined dataset" not in html


def test_signposts_doi_author_licence_item(demo_client: TestClient) -> None:
    response = demo_client.head(TARGET_PATH)
    posts = signposting.find_signposting_http_link([response.headers["link"]], TARGET.value)
    assert posts.citeAs.target == TARGET.value  # a DOI names the record only for an article
    assert {a.target for a in posts.authors} == {"https://orcid.org/0000-0002-1825-0097"}
    assert posts.license.target == "http://spdx.org/licenses/CC0-1.0"
    assert {(i.target, i.type) for i in posts.items} == {("https://example.org/target.csv", "text/csv")}
    assert {t.target for t in posts.types} == {"https://schema.org/Dataset", "https://schema.org/AboutPage"}


def test_provenance_validation_and_profile(demo_client: TestClient) -> None:
    html = demo_client.get(TARGET_PATH).text
    assert f'<time datetime="{ENDED}">' in html
    assert 'data-conforms="true"' in html and "a demo warning" in html
    assert "https://bioschemas.org/profiles/Dataset/1.0-RELEASE" in html
    doc = extruct.extract(html, base_url=TARGET.value, syntaxes=["json-ld"])["json-ld"][0]
    assert doc["creator"] == {"@id": AUTHOR.value, "@type": "Person", "name": "Josiah Carberry"}
    assert doc["distribution"] == {"@id": f"{TARGET.value}#download", "@type": ["DataDownload",
                                                                                "dcat:Distribution"],
                                   "contentUrl": "https://example.org/target.csv",
                                   "dcat:downloadURL": "https://example.org/target.csv",
                                   "dcat:mediaType": "https://www.iana.org/assignments/media-types/text/csv"}
    assert doc["dcat:distribution"] == doc["distribution"]
    assert all(p in doc for p in ("description", "identifier", "keywords", "license", "name", "url"))


def test_quarantined_record_is_not_served(demo_client: TestClient) -> None:
    assert demo_client.get("/id/dataset/quarantined").status_code == 404

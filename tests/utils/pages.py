"""Reading what HTML pages link to, for tests that follow or check a page's links."""

from __future__ import annotations

from html.parser import HTMLParser


class Links(HTMLParser):
    """The ``href`` of every ``<a>`` in a page: ``Links.of(html).hrefs``."""

    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    @classmethod
    def of(cls, html: str) -> Links:
        links = cls()
        links.feed(html)
        return links

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        href = dict(attrs).get("href")
        if tag == "a" and href:
            self.hrefs.append(href)

"""Reading what HTML pages link to, for tests that follow or check a page's links."""

from __future__ import annotations

from html.parser import HTMLParser

#: Attributes whose value a browser follows, loads or submits to.
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "srcset", "poster", "data"}


class Links(HTMLParser):
    """The ``href`` of every ``<a>`` in a page (``Links.of(html).hrefs``), and every URL any element
    carries (``targets``: ``<link href>``, ``<script src>``, ``<form action>``, …)."""

    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []
        self.targets: list[str] = []

    @classmethod
    def of(cls, html: str) -> Links:
        links = cls()
        links.feed(html)
        return links

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        href = dict(attrs).get("href")
        if tag == "a" and href:
            self.hrefs.append(href)
        self.targets += [value for name, value in attrs if name in URL_ATTRIBUTES and value]

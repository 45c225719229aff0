"""Content negotiation, decided once per request: the Accept header against what a route offers.

A client asking for ``application/json`` reads any JSON, so it gets an offered ``+json`` type (RFC
6839): SPARQL JSON results where a route offers those, JSON-LD where it offers RDF.

>>> choose("text/html,application/xhtml+xml;q=0.9,*/*;q=0.8", ["text/turtle", "text/html"])
'text/html'
>>> choose("application/rdf+xml;q=0.5, text/turtle", ["application/rdf+xml", "text/turtle"])
'text/turtle'
>>> choose("image/png", ["text/turtle"]) is None
True
>>> choose("", ["text/turtle", "text/html"])
'text/turtle'
"""

from __future__ import annotations

from dataclasses import dataclass

from lifecat.graph.store.results import RDF_MEDIA_TYPES, RESULTS_MEDIA_TYPES

__all__ = ["RDF_MEDIA_TYPES", "RESULTS_MEDIA_TYPES", "choose", "negotiate"]
#: The generic JSON type, which names any ``+json`` type too.
JSON = "application/json"
#: Aliases clients send for the types above.
ALIASES = {
    JSON: "application/sparql-results+json",
    "application/xml": "application/sparql-results+xml",
    "text/xml": "application/sparql-results+xml",
    "text/plain": "application/n-triples",
    "application/x-turtle": "text/turtle",
    "application/json+ld": "application/ld+json",
}
#: ``?format=`` values and file suffixes people use instead of Accept headers.
FORMAT_NAMES = {
    "ttl": "text/turtle",
    "turtle": "text/turtle",
    "nt": "application/n-triples",
    "ntriples": "application/n-triples",
    "jsonld": "application/ld+json",
    "json-ld": "application/ld+json",
    "rdf": "application/rdf+xml",
    "xml": "application/rdf+xml",
    "html": "text/html",
    "json": "application/sparql-results+json",
    "srj": "application/sparql-results+json",
    "srx": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
}


@dataclass(frozen=True)
class MediaRange:
    type: str
    q: float
    specificity: int


def parse_accept(header: str) -> list[MediaRange]:
    """The media ranges of an Accept header, best first.

    >>> [m.type for m in parse_accept("text/*;q=0.5, text/turtle, */*;q=0.1")]
    ['text/turtle', 'text/*', '*/*']
    """
    ranges = []
    for part in header.split(","):
        fields = [f.strip() for f in part.split(";")]
        media = fields[0].lower()
        if not media:
            continue
        q = 1.0
        for param in fields[1:]:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = max(0.0, min(1.0, float(value)))
                except ValueError:
                    q = 0.0
        specificity = 0 if media == "*/*" else 1 if media.endswith("/*") else 2
        ranges.append(MediaRange(media, q, specificity))
    return sorted(ranges, key=lambda m: (-m.q, -m.specificity))


def same(requested: str, offered: str) -> bool:
    """Whether a requested media type names an offered one, directly, through an alias, or as JSON.

    >>> same("application/json", "application/sparql-results+json"), same("text/plain", "text/plain")
    (True, True)
    >>> same("application/sparql-results+json", "application/json")
    True
    >>> same("application/json", "application/ld+json"), same("application/ld+json", "application/json")
    (True, False)
    """
    return (requested == offered or ALIASES.get(requested) == offered or ALIASES.get(offered) == requested
            or (requested == JSON and offered.endswith("+json")))


def choose(header: str | None, offered: list[str]) -> str | None:
    """The offered type the Accept header prefers most (the first offered when it is absent)."""
    if not header or not header.strip():
        return offered[0]
    best: tuple[float, int, int] | None = None
    chosen = None
    ranges = parse_accept(header)
    for position, media in enumerate(offered):
        for r in ranges:
            if same(r.type, media) or r.type == "*/*" or (
                r.type.endswith("/*") and media.startswith(r.type[:-1])
            ):
                key = (r.q, r.specificity, -position)
                if r.q > 0 and (best is None or key > best):
                    best, chosen = key, media
                break
    return chosen


class NotAcceptable(Exception):
    """No offered representation matches the request; answered with 406 and the offered list."""

    def __init__(self, offered: list[str]) -> None:
        super().__init__(f"no acceptable representation; available: {', '.join(offered)}")
        self.offered = offered


def negotiate(accept: str | None, offered: list[str], *, explicit: str | None = None) -> str:
    """The media type to answer with: an explicit ``?format=``/suffix wins over Accept.

    :raises NotAcceptable: if nothing offered is acceptable or the explicit format is not offered.

    >>> negotiate("text/html", ["text/turtle", "text/html"], explicit="ttl")
    'text/turtle'
    """
    if explicit:
        media = FORMAT_NAMES.get(explicit.lower(), explicit.lower())
        for candidate in offered:
            if same(media, candidate):
                return candidate
        raise NotAcceptable(offered)
    chosen = choose(accept, offered)
    if chosen is None:
        raise NotAcceptable(offered)
    return chosen

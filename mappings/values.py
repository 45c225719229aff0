"""Source values as publishers write them, read into RDF terms: dates, lists, names, contact details.

>>> date("June 1, 2020")
('2020-06-01', 'date')
>>> date("September 2020"), date("2020-03-XX"), date("22/03/2020")
(('2020-09', 'gYearMonth'), ('2020-03', 'gYearMonth'), ('2020-03-22', 'date'))
>>> split("Phase 2|Phase 3", "|")
['Phase 2', 'Phase 3']
>>> has_contact_details("write to covid19@umn.edu"), has_contact_details("Tel: +86 189 0253 6585")
(True, True)
>>> plain_text("<p>Aligns &amp; compares</p><p>genomes</p>", lines=False)
'Aligns & compares genomes'
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from datetime import datetime
from html.parser import HTMLParser
from typing import Any

from pyoxigraph import NamedNode

from lifecat.core.vocab import DCAT, DCT, IANA_MEDIA, SCHEMA, SPDX, XSD
from lifecat.mappings.rdf import Record

#: An MD5 checksum as publishers write it.
_MD5 = re.compile(r"[0-9a-fA-F]{32}")

_MONTHS = {m: n for n, m in enumerate(
    ["january", "february", "march", "april", "may", "june", "july", "august", "september",
     "october", "november", "december"], start=1)}
#: Date layouts publishers use: (pattern, XSD type, how to write the value from the match).
_DATES: list[tuple[re.Pattern[str], str, str]] = [
    (re.compile(p), t, f) for p, t, f in [
        (r"(\d{4})-(\d{2})-(\d{2})[T ](\d{2}:\d{2}:\d{2}(?:\.\d+)?)(Z|[+-]\d{2}:\d{2})?", "dateTime",
         "{0}-{1}-{2}T{3}{4}"),
        (r"(\d{4})-(\d{2})-(\d{2})", "date", "{0}-{1}-{2}"),
        (r"(\d{4})(\d{2})(\d{2})", "date", "{0}-{1}-{2}"),
        (r"(\d{1,2})/(\d{1,2})/(\d{4})", "date", "{2}-{1:0>2}-{0:0>2}"),
        (r"(\d{4})-(\d{2})(?:-XX)?", "gYearMonth", "{0}-{1}"),
        (r"(\d{4})(?:-XX-XX)?", "gYear", "{0}"),
        (r"([A-Za-z]+)\.? (\d{1,2}), (\d{4})", "date", "{2}-{0}-{1:0>2}"),
        (r"(\d{1,2}) ([A-Za-z]+) (\d{4})", "date", "{2}-{1}-{0:0>2}"),
        (r"([A-Za-z]+) (\d{4})", "gYearMonth", "{1}-{0}"),
    ]
]

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
#: International numbers, bracketed area codes, NANP numbers, and anything labelled as a phone.
PHONE = re.compile(
    r"(?<![\w+])\+\d[\d ().-]{7,}\d"
    r"|\(\d{2,5}\)[ .-]?\d{2,4}[ .-]?\d{3,4}"
    r"|\b\d{3}[ .-]\d{3}[ .-]\d{4}\b"
    r"|(?i:\b(?:tel|t[ée]l[ée]phone|phone|mobile|fax)\b\.?:?\s*)\+?\d[\d ().-]{4,}\d"
)


def date(text: str | None) -> tuple[str, str] | None:
    """``text`` as an XSD date, dateTime, gYearMonth or gYear: (lexical value, type name)."""
    text = (text or "").strip()
    for pattern, xsd_type, layout in _DATES:
        match = pattern.fullmatch(text)
        if not match:
            continue
        parts = [_month(p) if len(p) > 2 and p.isalpha() else p for p in match.groups(default="")]
        if "" in parts[:3]:  # a month name that is no month
            continue
        value = layout.format(*parts)
        if _valid(value, xsd_type):
            return value, xsd_type
    return None


def _month(name: str) -> str:
    number = _MONTHS.get(name.lower()) or next(
        (n for full, n in _MONTHS.items() if len(name) >= 3 and full.startswith(name.lower())), 0)
    return f"{number:02d}" if number else ""


def _valid(value: str, xsd_type: str) -> bool:
    try:
        if xsd_type == "dateTime":
            datetime.fromisoformat(value.replace("Z", "+00:00"))
        else:
            year, month, day = ([*map(int, value.split("-")), 1, 1])[:3]
            datetime(year, month, day)
    except ValueError:
        return False
    return True


def add_date(rec: Record, subject: NamedNode, predicate: NamedNode, text: str | None, *, field: str) -> None:
    """Add ``text`` as a typed date; a value that is no date is noted against ``field``."""
    if not text or not str(text).strip():
        return
    parsed = date(str(text))
    if parsed:
        rec.typed(subject, predicate, parsed[0], XSD[parsed[1]])
    else:
        rec.notes.append((field, f"{text!r} is not a date"))


def split(text: str | None, *separators: str) -> list[str]:
    """The non-empty, stripped parts of ``text`` between any of ``separators``."""
    if not text:
        return []
    parts = [text]
    for separator in separators:
        parts = [piece for part in parts for piece in part.split(separator)]
    return [p.strip() for p in parts if p.strip()]


def slug(text: str | None) -> str:
    """A lowercase, URL-safe fragment made from ``text``.

    >>> slug("Assistance Publique - Hôpitaux de Paris")
    'assistance-publique-h-pitaux-de-paris'
    """
    return re.sub(r"[^a-z0-9]+", "-", (text or "unnamed").lower()).strip("-") or "unnamed"


def has_contact_details(text: str | None) -> bool:
    """Whether ``text`` holds an e-mail address or a phone number, which lifecat never publishes."""
    return bool(text) and bool(EMAIL.search(text) or PHONE.search(text))  # type: ignore[arg-type]


#: Text that is HTML: a tag of an HTML element, or a character reference. Text without either is
#: left as written, so that ``List<T>`` or ``p<0.05`` is not read as markup.
_HTML = re.compile(
    r"</?(?:a|abbr|address|article|aside|b|big|blockquote|body|br|caption|center|cite|code|dd|del|details|"
    r"dfn|div|dl|dt|em|figcaption|figure|font|footer|h[1-6]|head|header|hr|html|i|iframe|img|ins|kbd|li|"
    r"link|main|mark|meta|nav|noscript|object|ol|p|pre|q|s|samp|section|small|span|strike|strong|style|"
    r"sub|summary|sup|table|tbody|td|template|tfoot|th|thead|title|tr|tt|u|ul|var|wbr|script|svg)"
    r"(?:\s[^<>]*)?/?>"
    r"|<!--"
    r"|&(?:[A-Za-z][A-Za-z0-9]{1,31}|#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6});",
    re.I,
)
#: Elements whose content is never text.
_HIDDEN = frozenset({"script", "style", "template", "noscript", "head", "iframe", "object", "svg"})
#: Elements that start a new line of text.
_BREAKS = frozenset({
    "address", "article", "aside", "blockquote", "br", "caption", "center", "dd", "details", "div", "dl",
    "dt", "figcaption", "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main",
    "nav", "ol", "p", "pre", "section", "summary", "table", "tbody", "tfoot", "thead", "tr", "ul",
})
#: Elements set apart from their neighbours by a space.
_CELLS = frozenset({"td", "th", "img"})


class _Text(HTMLParser):
    """The text of an HTML fragment, a line per block, without what a browser does not show as text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag: str, attrs: object) -> None:
        if tag in _HIDDEN:
            self.hidden += 1
        elif tag in _BREAKS:
            self.parts.append("\n")
        elif tag in _CELLS:
            self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in _HIDDEN:
            self.hidden = max(0, self.hidden - 1)
        elif tag in _BREAKS:
            self.parts.append("\n")
        elif tag in _CELLS:
            self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        if not self.hidden:  # in HTML, a line break in the source is a space
            self.parts.append(re.sub(r"\s+", " ", data))


def plain_text(text: str, *, lines: bool = True) -> str:
    r"""``text`` as plain text, when it is HTML; any other text is returned as written.

    HTML is read with an HTML parser: character references are decoded, tags dropped, the content
    of ``<script>``, ``<style>`` and the like dropped, block elements and ``<br>`` start a new line
    (with ``lines=False``, a space), and whitespace is collapsed. The result is text, never markup:
    it is for a page to escape, like any other value.

    :param text: a source value.
    :param lines: keep the line breaks of block elements (descriptions); ``False`` for names.
    :return: the text a reader of the rendered HTML would see.

    >>> plain_text("Reads <b>FASTQ</b> &amp; BAM.<br>Fast.<script>alert(1)</script>")
    'Reads FASTQ & BAM.\nFast.'
    >>> plain_text("<p>Line one</p>\n\n<p>  Line\n two </p>", lines=False)
    'Line one Line two'
    >>> plain_text("List<T> with p<0.05 & more")
    'List<T> with p<0.05 & more'
    """
    if not _HTML.search(text):
        return text
    parser = _Text()
    parser.feed(text)
    parser.close()
    rows = (" ".join(row.split()) for row in "".join(parser.parts).split("\n"))
    return ("\n" if lines else " ").join(row for row in rows if row)


#: One row of a mapping table: (source field or getter, predicates, how to write the value).
Field = tuple[str | Callable[[Any], Any], tuple[NamedNode, ...], str]
KINDS = ("text", "texts", "iri", "iris", "date")


def emit(rec: Record, subject: NamedNode, source: Any, table: Iterable[Field]) -> None:
    """Write the plain fields of ``source`` listed in ``table``; only relations need their own code.

    A row's kind says how: ``text``/``texts`` (one or many strings), ``iri``/``iris`` (links, a value
    that is no IRI is noted) or ``date`` (a typed date, a value that is no date is noted).

    >>> from types import SimpleNamespace
    >>> from lifecat.core.vocab import SCHEMA
    >>> rec = Record("x", NamedNode("http://lc/id/x"), "x")
    >>> emit(rec, rec.uri, SimpleNamespace(name="X", url="nope"),
    ...      [("name", (SCHEMA.name,), "text"), ("url", (SCHEMA.url,), "iri")])
    >>> [str(t.object) for t in rec.triples], rec.notes
    (['"X"'], [('url', "'nope' is not a valid IRI (not an absolute http(s) IRI)")])
    """
    for getter, predicates, kind in table:
        name = getter if isinstance(getter, str) else getter.__name__.strip("_")
        value = getattr(source, getter) if isinstance(getter, str) else getter(source)
        if value is None or value == [] or value == "":
            continue
        values = value if kind in {"texts", "iris"} else [value]
        for predicate in predicates:
            for item in values:
                if kind in {"text", "texts"}:
                    rec.text(subject, predicate, item)
                elif kind in {"iri", "iris"}:
                    rec.link(subject, predicate, item, field=name)
                elif kind == "date":
                    add_date(rec, subject, predicate, item, field=name)
                else:
                    raise ValueError(f"unknown field kind {kind!r}; expected one of {KINDS}")


def distribution(rec: Record, dataset: NamedNode, fragment: str, url: str, *, field: str,
                 title: str | None = None, file_format: NamedNode | None = None,
                 media_type: str | None = None, access_url: str | None = None, size: str | None = None,
                 md5: str | None = None) -> None:
    """A file of ``dataset`` at ``url`` as a ``dcat:Distribution`` and ``schema:DataDownload`` at
    ``#{fragment}``: its title (else its file name), its format (an EDAM format IRI) or IANA media
    type, size in bytes and MD5 checksum where the publisher gives them. ``access_url`` is the page
    that gives access to it (the file itself when ``None``).

    >>> rec = Record("d", NamedNode("http://lc/id/dataset/d"), "dataset")
    >>> distribution(rec, rec.uri, "fastq-1", "ftp://h/d_1.fastq.gz", field="fastq_ftp", file_format=None,
    ...              size="2000", md5="0123456789ABCDEF0123456789ABCDEF")
    >>> sorted(str(t.object) for t in rec.triples if t.predicate.value.endswith(("contentSize", "Value")))
    ['"0123456789abcdef0123456789abcdef"^^<http://www.w3.org/2001/XMLSchema#hexBinary>', '"2000 bytes"']
    """
    node = NamedNode(f"{dataset.value}#{fragment}")
    if rec.link(node, DCAT.downloadURL, url, field=field) is None:
        return
    rec.types(node, DCAT.Distribution, SCHEMA.DataDownload)
    rec.text(node, DCT.title, title or url.rstrip("/").rsplit("/", 1)[-1])
    rec.link(node, SCHEMA.contentUrl, url, field=field)
    rec.link(node, DCAT.accessURL, access_url or url, field=field)
    if file_format is not None:
        rec.add(node, DCT["format"], file_format)
        rec.add(node, SCHEMA.encodingFormat, file_format)
    if media_type is not None:
        rec.add(node, DCAT.mediaType, IANA_MEDIA[media_type])
        rec.text(node, SCHEMA.encodingFormat, media_type)
    if size and size.isdigit():
        rec.typed(node, DCAT.byteSize, size, XSD.nonNegativeInteger)
        rec.text(node, SCHEMA.contentSize, f"{size} bytes")
    if md5 and _MD5.fullmatch(md5):
        checksum = NamedNode(f"{node.value}-md5")
        rec.types(checksum, SPDX.Checksum)
        rec.add(checksum, SPDX.algorithm, SPDX.checksumAlgorithm_md5)
        rec.typed(checksum, SPDX.checksumValue, md5.lower(), XSD.hexBinary)
        rec.add(node, SPDX.checksum, checksum)
    rec.add(dataset, DCAT.distribution, node)
    rec.add(dataset, SCHEMA.distribution, node)

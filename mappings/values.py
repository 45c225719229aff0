"""Source values as publishers write them, read into RDF terms: dates, lists, names, contact details.

>>> date("June 1, 2020")
('2020-06-01', 'date')
>>> date("September 2020"), date("2020-03-XX"), date("22/03/2020")
(('2020-09', 'gYearMonth'), ('2020-03', 'gYearMonth'), ('2020-03-22', 'date'))
>>> split("Phase 2|Phase 3", "|")
['Phase 2', 'Phase 3']
>>> has_contact_details("write to covid19@umn.edu"), has_contact_details("Tel: +86 189 0253 6585")
(True, True)
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any

from pyoxigraph import NamedNode

from lifecat.core.vocab import XSD
from lifecat.mappings.rdf import Record

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

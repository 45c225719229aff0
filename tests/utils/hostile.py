"""Hostile data for the tests that check nothing in the data becomes a script or a link to one
(``tests/reliability/fixtures_hostile/``): Bioschemas markup whose links are ``javascript:``, ``data:``
and ``vbscript:`` and whose text is markup, built as a source (one record loads, one is quarantined),
and a graph written straight into the store with such IRIs, as a write may."""

from __future__ import annotations

from pathlib import Path

from pyoxigraph import Quad, RdfFormat, parse

from lifecat.core.config import Settings, SourceConfig
from lifecat.core.uris import Minter
from lifecat.graph.build import build
from lifecat.graph.derive import deriving
from lifecat.graph.store import Change, Store

FIXTURES = Path(__file__).parents[1] / "reliability" / "fixtures_hostile"
BASE = "http://lifecat.test/"
MINT = Minter(BASE)
SOURCE = SourceConfig(format="bioschemas", path=str(FIXTURES / "markup"), name="markup")
#: The graph ``written.ttl`` is written to.
WRITTEN = MINT.graph("written")
MARKUP_RECORD = MINT.record("dataset", "data.example.org/hostile")
WRITTEN_RECORD = MINT.record("dataset", "written")
#: The quarantined markup record's key, as the quarantine pages name it.
QUARANTINED = "data.example.org/nameless"
TOKEN = "hostile-write-token"
#: Schemes a browser runs or renders as a document: no page may link to them.
SCRIPT_SCHEMES = ("javascript:", "data:", "vbscript:")
#: Text in the fixtures that would run if it became markup.
PAYLOADS = ("<script>alert(1)</script>", '"><img src=x onerror=alert(1)>')


def is_script_link(href: str) -> bool:
    """Whether a browser would run ``href`` or open it as a document (it strips leading blanks).

    >>> is_script_link(" JavaScript:alert(1)"), is_script_link("/id/dataset/javascript:x")
    (True, False)
    """
    return href.strip().lower().startswith(SCRIPT_SCHEMES)


def written_quads() -> list[Quad]:
    return [Quad(t.subject, t.predicate, t.object, WRITTEN)
            for t in parse(path=FIXTURES / "written.ttl", format=RdfFormat.TURTLE)]


def build_hostile(settings: Settings) -> Settings:
    """The markup built into ``settings``' store and ``written.ttl`` written beside it (the derived
    artifacts rebuilt, as a write does); the settings returned carry the source and :data:`TOKEN`."""
    settings = settings.model_copy(update={"sources": [SOURCE], "write_token": TOKEN, "base": BASE})
    [report] = build(settings, progress=False, log=lambda _: None)
    assert (report.loaded, report.quarantined) == (1, 1), report
    quads = written_quads()
    Store.open(settings).replace(Change(quads, replace=frozenset({WRITTEN})), deriving(settings))
    return settings

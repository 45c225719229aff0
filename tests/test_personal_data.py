"""Trial contacts are never published: no e-mail address or phone number anywhere in the store.

The scan covers every literal of every graph, the quarantine and meta graphs included, since a
record that fails to map is kept there with its raw source record.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pyoxigraph import Literal, NamedNode, Quad, Store

from lifecat.core.config import Settings, SourceConfig
from lifecat.graph.build import build
from lifecat.mappings import get_format
from tests.utils.stores import copy_of

FIXTURES = Path(__file__).parent / "fixtures"
#: Deliberately independent of lifecat's own patterns, so a gap in those fails here.
EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+\.[A-Za-z0-9.-]+")
PHONE = re.compile(r"\+\d[\d ()-]{7,}\d|\b\d{3}[-. ]\d{3}[-. ]\d{4}\b|\(\d{3}\) ?\d{3}-\d{4}|\b00\d{2} \d")
#: Names and an address of contacts in the fixtures.
CONTACTS = ["Pengfei", "Maria", "Alice Example", "Bob Example", "Carol Example", "52 Example Road"]


def leaks(store: Store) -> list[str]:
    """Every literal in the store that looks like contact details."""
    found = []
    for quad in store:
        if isinstance(quad.object, Literal):
            text = quad.object.value
            if EMAIL.search(text) or PHONE.search(text) or any(name in text for name in CONTACTS):
                found.append(f"{quad.graph_name}: {text[:120]}")
    return found


def test_trial_fixtures_publish_no_contact_details(tmp_path: Path) -> None:
    settings = Settings(store=tmp_path, base="http://lifecat.test/")
    reports = build(settings, [SourceConfig(format="ctgov", path=str(FIXTURES / "ctgov")),
                               SourceConfig(format="ictrp", path=str(FIXTURES / "ictrp"))],
                    progress=False, log=lambda _: None)
    assert all(r.quarantined for r in reports)  # quarantined raw records are scanned too
    assert leaks(copy_of(settings)) == []


def test_the_scan_finds_what_it_looks_for() -> None:
    store = Store()
    s = NamedNode("http://lifecat.test/id/x")
    for text in ("write to someone@example.org", "call +44 20 7946 0000", "(617) 555-0100", "Carol Example"):
        store.add(Quad(s, s, Literal(text), s))
    assert len(leaks(store)) == 4


@pytest.mark.parametrize("fmt", ["ctgov", "ictrp"])
def test_raw_rows_lose_contacts_as_read(fmt: str) -> None:
    for item in get_format(fmt).read(FIXTURES / fmt):
        text = repr(item.data)
        assert not EMAIL.search(text) and not PHONE.search(text), item.locator
        assert not any(name in text for name in CONTACTS), item.locator

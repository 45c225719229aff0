"""Every shared real sample built together (``LIFECAT_SAMPLES``): accounting, cross-source links,
and no personal data from the trial sources. Skipped when ``LIFECAT_SAMPLES`` is unset."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from cross_source import by_scheme, joined, pairs
from pyoxigraph import Literal, NamedNode, Store

from lifecat.core.config import Settings, SourceConfig
from lifecat.graph.build import SourceReport, build
from tests.utils.samples import EXPECTED, EXPECTED_WARNED, SAMPLES
from tests.utils.stores import copy_of

BASE = "http://lifecat.test/"
EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+\.[A-Za-z0-9.-]+")
PHONE = re.compile(r"\+\d[\d ()-]{7,}\d|\b\d{3}[-. ]\d{3}[-. ]\d{4}\b|\(\d{3}\) ?\d{3}-\d{4}")


@pytest.fixture(scope="module")
def everything(samples: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Store, list[SourceReport]]:
    settings = Settings(store=tmp_path_factory.mktemp("samples"), base=BASE)
    reports = build(settings, [SourceConfig(format=f, path=str(samples / p)) for f, p in SAMPLES],
                    progress=False, log=lambda _: None)
    return copy_of(settings), reports


def test_accounting_per_source(everything) -> None:
    _, reports = everything
    assert {r.name: (r.read, r.quarantined) for r in reports} == EXPECTED
    assert {r.name: r.loaded_with_warnings for r in reports} == EXPECTED_WARNED
    for report in reports:
        assert report.read == report.loaded + report.quarantined
        assert report.loaded >= 0.98 * report.read, report.summary()
    # the 36 resources the Bioregistry gives no description or no homepage load, with warnings
    bioregistry = next(r for r in reports if r.name == "bioregistry")
    assert bioregistry.warning_rules["DataCatalogShape description: minCount"] == 25
    assert bioregistry.warning_rules["DataCatalogShape url: minCount"] == 23


def test_cross_source_links_by_identifier(everything) -> None:
    store, _ = everything
    nodes = joined(store, BASE)
    assert by_scheme(nodes, BASE) == {"biotools": 200, "doi": 176, "pubmed": 145, "pmc": 69, "orcid": 20,
                                      "ror": 7, "bioregistry": 1}
    joins = pairs(store, BASE, nodes)
    # every bio.tools markup document met its biotoolsSchema record
    assert joins[("biotools", "bioschemas+biotools")] == 200
    # publications cited by Bioregistry resources and by tools, people and organisations across sources
    assert joins[("doi", "bioregistry+biotools")] + joins[("doi", "bioregistry+bioschemas+biotools")] == 17
    assert sum(n for (scheme, sources), n in joins.items() if scheme == "ror" and "ror" in sources) == 7
    assert joins[("bioregistry", "bioregistry+nextstrain")] == 1  # GenBank, the sequences' catalogue


def test_no_contact_details_from_trial_sources(everything, samples: Path) -> None:
    store, _ = everything
    for graph in (f"{BASE}graph/ctgov", f"{BASE}graph/quarantine/ctgov"):
        for quad in store.quads_for_pattern(None, None, None, NamedNode(graph)):
            if isinstance(quad.object, Literal):
                assert not EMAIL.search(quad.object.value), quad
                assert not PHONE.search(quad.object.value), quad
    raw = (samples / "clinicaltrials-gov" / "clinicalTrials-20201012.tsv").read_text(encoding="utf-8")
    addresses = set(EMAIL.findall(raw))
    assert addresses  # the sample does hold e-mail addresses, in its Locations column
    for quad in store:
        if isinstance(quad.object, Literal):
            assert not any(address in quad.object.value for address in addresses), quad

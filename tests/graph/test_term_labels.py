"""Vocabulary labels: the tables they come from, and the meta graph statements every change writes for
the terms its state uses (and only those), on every store."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from lifecat.core.config import Settings, SourceConfig
from lifecat.graph.build import build
from lifecat.graph.labels import labels_for
from lifecat.graph.store import Store
from lifecat.mappings.licences import licence_name, spdx_id

TOOLS = Path(__file__).parents[1] / "fixtures" / "biotools" / "tools"
BASE = "http://labels.test/"
EDAM_LABELS = """PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?term ?label WHERE {
  GRAPH <http://labels.test/graph/meta> { ?term rdfs:label ?label }
  FILTER (STRSTARTS(STR(?term), "http://edamontology.org/"))
}"""
EDAM_USED = """SELECT DISTINCT ?term WHERE {
  GRAPH <http://labels.test/graph/tools> { ?s ?p ?term }
  FILTER (isIRI(?term) && STRSTARTS(STR(?term), "http://edamontology.org/"))
}"""


@pytest.mark.parametrize(("iri", "spdx"), [
    ("http://spdx.org/licenses/CC-BY-4.0", "CC-BY-4.0"),
    ("https://spdx.org/licenses/Apache-2.0.html", "Apache-2.0"),
    ("https://creativecommons.org/licenses/by/4.0/", "CC-BY-4.0"),
    ("http://creativecommons.org/licenses/by-nc-sa/3.0/legalcode", "CC-BY-NC-SA-3.0"),
    ("https://creativecommons.org/licenses/by/3.0/igo/", "CC-BY-3.0-IGO"),
    ("https://creativecommons.org/publicdomain/zero/1.0/", "CC0-1.0"),
    ("https://opensource.org/licenses/MIT", "MIT"),
    ("https://www.gnu.org/licenses/gpl-3.0.en.html", "GPL-3.0-only"),
    ("http://www.ebi.ac.uk/Information/termsofuse.html", None),
    ("http://rightsstatements.org/vocab/InC/1.0", None),
    ("http://spdx.org/licenses/No-Such-Licence", None),
])
def test_licence_pages_resolve_to_spdx(iri: str, spdx: str | None) -> None:
    assert spdx_id(iri) == spdx


def test_licence_names_come_from_the_spdx_list() -> None:
    assert licence_name("http://spdx.org/licenses/MIT") == "MIT License"
    assert licence_name("https://creativecommons.org/licenses/by/4.0/") == \
        "Creative Commons Attribution 4.0 International"


def test_tables_label_types_edam_and_licences_only() -> None:
    labels = labels_for(["http://schema.org/Dataset", "http://www.w3.org/ns/dcat#Dataset",
                         "http://edamontology.org/operation_0292", "http://edamontology.org/format_1929",
                         "http://spdx.org/licenses/CC0-1.0", "https://example.org/terms.html",
                         "http://edamontology.org/topic_9999999"])
    assert labels == {"http://schema.org/Dataset": "Dataset",
                      "http://www.w3.org/ns/dcat#Dataset": "Dataset (DCAT)",
                      "http://edamontology.org/operation_0292": "Sequence alignment",
                      "http://edamontology.org/format_1929": "FASTA",
                      "http://spdx.org/licenses/CC0-1.0": "Creative Commons Zero v1.0 Universal"}


def test_a_build_labels_the_terms_in_use_and_a_rebuild_drops_the_rest(
        new_store: Callable[..., Settings], tmp_path: Path) -> None:
    settings = new_store(base=BASE)
    store = Store.open(settings)
    build(settings, [SourceConfig(format="biotools", path=str(TOOLS), name="tools")], progress=False,
          log=lambda _: None)
    used = {row["term"].value for row in store.query(EDAM_USED).solutions()}
    labelled = {row["term"].value: row["label"].value for row in store.query(EDAM_LABELS).solutions()}
    assert "http://edamontology.org/topic_0080" in used
    assert set(labelled) == used  # every EDAM term in use, and no other of EDAM's 3,400
    assert labelled["http://edamontology.org/topic_0080"] == "Sequence analysis"

    legacy = tmp_path / "legacy"
    legacy.mkdir()
    (legacy / "legacy.biotools.json").write_bytes((TOOLS / "legacy.biotools.json").read_bytes())
    build(settings, [SourceConfig(format="biotools", path=str(legacy), name="tools")], progress=False,
          log=lambda _: None)
    assert not list(store.query(EDAM_USED).solutions())
    assert not list(store.query(EDAM_LABELS).solutions())

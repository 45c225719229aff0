"""A small Bioregistry source whose build quarantines records of every kind: one that cannot stand
(no name), one whose fields carry markup and a ``javascript:`` homepage (and no name), and one that
cannot be mapped."""

from __future__ import annotations

import json
from pathlib import Path

from lifecat.core.config import Settings, SourceConfig
from lifecat.graph.build import build

SOURCE = "tiny"
HOSTILE = "<script>alert('x')</script> & <b>bold</b>"
RECORDS: dict[str, dict[str, object]] = {
    "goodres": {"name": "Good Resource", "description": "Passes every shape.",
                "homepage": "https://good.example.org", "license": "CC-BY-4.0", "keywords": ["test"]},
    "hostile": {"description": HOSTILE, "homepage": "javascript:alert(1)", "keywords": [HOSTILE]},
    "noname": {"description": "Has no name.", "homepage": "https://noname.example.org"},
    "unmappable": {"name": "Unmappable", "description": "Its mappings are a list.",
                   "homepage": "https://unmappable.example.org", "mappings": ["not", "an", "object"]},
}
#: The keys the build quarantines, in the order listings give them.
QUARANTINED = ["hostile", "noname", "unmappable"]


def write_source(folder: Path) -> SourceConfig:
    """The source, written as a Bioregistry file in ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "bioregistry.json").write_text(json.dumps(RECORDS), encoding="utf-8")
    return SourceConfig(format="bioregistry", path=str(folder), name=SOURCE)


def build_quarantine(settings: Settings, folder: Path) -> Settings:
    """``settings``' store with the source built into it; the settings name it as their source."""
    settings = settings.model_copy(update={"sources": [write_source(folder)]})
    reports = build(settings, progress=False, log=lambda _: None)
    assert [(r.loaded, r.quarantined) for r in reports] == [(1, len(QUARANTINED))], reports
    return settings

"""The quarantine, read back for people: which records each source's build kept out, and why.

A build writes every record that fails a shape (or cannot be mapped) into the private graph
``{base}graph/quarantine/{source}``, with its validation report ``{base}graph/{source}/report/{key}``
and the source record as it was read (``graph/build.py``). This module lists and shows them through
the store's interface, so the command and the pages read an embedded and a remote store alike; its
callers decide who may (the quarantine is never public).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote

from pyoxigraph import NamedNode

from lifecat.core.vocab import compact
from lifecat.graph.build import report_node
from lifecat.graph.store import Store

#: Results shown most serious first.
SEVERITIES = ("Violation", "Warning", "Info")


class QuarantineNotFound(LookupError):
    """No source or no quarantined record of that name; the message says which."""


@dataclass(frozen=True)
class Quarantined:
    """One quarantined record in a listing."""

    source: str = field(metadata={"help": "The source whose build kept it out."})
    key: str = field(metadata={"help": "The record's key in its source, as its report names it."})
    record: str | None = field(metadata={"help": "The record IRI it would have had (none if unmappable)."})
    reasons: list[str] = field(metadata={"help": "Why it was kept out: its violations, in plain words."})


@dataclass(frozen=True)
class Finding:
    """One result of a record's validation report."""

    severity: str = field(metadata={"help": "Violation, Warning or Info."})
    path: str | None = field(metadata={"help": "The property at fault, compacted (schema:url)."})
    message: str = field(metadata={"help": "What is wrong, in plain words."})
    value: str | None = field(metadata={"help": "The offending value, if the result names one."})
    iri: bool = field(metadata={"help": "Whether that value is an IRI (else a literal)."})


@dataclass(frozen=True)
class QuarantinedRecord:
    """One quarantined record with its source input and its report."""

    source: str = field(metadata={"help": "The source whose build kept it out."})
    key: str = field(metadata={"help": "The record's key in its source."})
    record: str | None = field(metadata={"help": "The record IRI it would have had (none if unmappable)."})
    locator: str | None = field(metadata={"help": "Where it was read: the file and the record in it."})
    original: object = field(metadata={"help": "The source record as read (JSON), if kept."})
    results: list[Finding] = field(metadata={"help": "The report's results, most serious first."})


def graphs(store: Store) -> dict[str, NamedNode]:
    """Every source with quarantined records, by name: its quarantine graph."""
    prefix = store.mint.quarantine_graph("").value
    return {g.value.removeprefix(prefix): g for g in store.graphs() if g.value.startswith(prefix)}


def _chosen(store: Store, source: str | None) -> dict[str, NamedNode]:
    """The quarantine graphs of ``source`` (every source when ``None``).

    :raises QuarantineNotFound: if the store holds no graph of that source.
    """
    found = graphs(store)
    if source is None:
        return found
    if source in found:
        return {source: found[source]}
    if store.mint.graph(source) in store.graphs():
        return {}
    known = ", ".join(sorted({*found, *_loaded(store)})) or "none"
    raise QuarantineNotFound(f"no source {source!r} in this store (sources: {known})")


def _loaded(store: Store) -> list[str]:
    prefix = store.mint.graph("").value
    return [g.value.removeprefix(prefix) for g in store.graphs()
            if g.value.startswith(prefix) and "/" not in g.value.removeprefix(prefix)
            and g != store.mint.meta_graph]


def counts(store: Store, source: str | None = None) -> dict[str, int]:
    """How many records each source (or ``source``) has in quarantine.

    :raises QuarantineNotFound: for an unknown ``source``.
    """
    chosen = _chosen(store, source)
    totals = dict.fromkeys(chosen, 0) if chosen or source is None else {source: 0}
    by_graph = {g: name for name, g in chosen.items()}
    if chosen:
        for row in store.named_private("pages/quarantine_counts", list(chosen.values())).solutions():
            totals[by_graph[row["graph"]]] = int(row["records"].value)
    return totals


def listing(store: Store, source: str | None = None, *, offset: int = 0,
            limit: int | None = None) -> list[Quarantined]:
    """The quarantined records of every source (or ``source``), by source and key, from ``offset``.

    :raises QuarantineNotFound: for an unknown ``source``.
    """
    chosen = _chosen(store, source)
    if not chosen:
        return []
    names = {g: name for name, g in chosen.items()}
    records: list[Quarantined] = []
    result = store.named_private("pages/quarantine_list", list(chosen.values()))
    seen = -1
    last = None
    for row in result.solutions():
        if row["report"] != last:
            last = row["report"]
            seen += 1
            if limit is not None and seen >= offset + limit:
                break
            if seen >= offset:
                name = names[row["graph"]]
                records.append(Quarantined(name, _key(store, name, last),
                                           row["record"].value if "record" in row else None, []))
        if seen >= offset and "message" in row and row["message"].value not in records[-1].reasons:
            records[-1].reasons.append(row["message"].value)
    result.close()
    return records


def _key(store: Store, source: str, report: NamedNode) -> str:
    """The record key a report IRI names (``report_node`` read backwards)."""
    return unquote(report.value.removeprefix(report_node(store.mint.graph(source), "").value))


def record(store: Store, source: str, key: str) -> QuarantinedRecord:
    """The quarantined record ``key`` of ``source``: its source input and its report.

    :raises QuarantineNotFound: if the source is unknown or has no such quarantined record.
    """
    chosen = _chosen(store, source)
    rows = list(store.named_private("pages/quarantine_record", list(chosen.values()),
                                    report=report_node(store.mint.graph(source), key)).solutions())
    if not rows:
        raise QuarantineNotFound(f"{source} has no quarantined record {key!r}")
    first = rows[0]
    original = first["original"].value if "original" in first else None
    findings = {row["result"].value: _finding(row) for row in rows if "result" in row}
    return QuarantinedRecord(
        source, key,
        first["record"].value if "record" in first else None,
        first["locator"].value if "locator" in first else None,
        json.loads(original) if original is not None else None,
        sorted(findings.values(), key=lambda f: (SEVERITIES.index(f.severity)
                                                 if f.severity in SEVERITIES else len(SEVERITIES),
                                                 f.path or "", f.message)),
    )


def _finding(row: dict[str, Any]) -> Finding:
    return Finding(row["severity"].value.rpartition("#")[2] if "severity" in row else "Info",
                   compact(row["path"].value) if "path" in row else None,
                   row["message"].value if "message" in row else "",
                   row["value"].value if "value" in row else None,
                   isinstance(row.get("value"), NamedNode))

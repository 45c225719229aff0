"""A check's report as a person reads it (text), as a program reads it (JSON), and as a SHACL
validation report in RDF (Turtle), for pipelines that consume SHACL.

Findings are grouped by record (each record, each profile it was checked against, each level with
what is there and what is missing) and by problem (how many records share it), with counts.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from typing import Any

import rdflib
from rdflib.namespace import RDF, SH

from lifecat.core.vocab import DCT, LIFECAT
from lifecat.graph.check import Checked, Finding, Report
from lifecat.graph.profiles import profiles

#: SHACL severities by the words a finding uses.
SEVERITIES = {"violation": SH.Violation, "warning": SH.Warning, "info": SH.Info}
#: A lifecat-only component (the record could not be mapped, or is not of the profile's type).
OWN_COMPONENTS = {"mapping": "MappingFailure", "type": "MappingFailure"}
#: How many records each problem lists by name in text.
EXAMPLES = 3


def records(report: Report) -> list[dict[str, Any]]:
    """One entry per record and profile: its levels (what the profile expects, what is missing) and
    its findings, in the order the records were read."""
    by_record: dict[tuple[str, str, str], list[Finding]] = defaultdict(list)
    for finding in report.findings:
        by_record[(finding.document, finding.focus, finding.profile)].append(finding)
    titles = {p.title: p for p in profiles().values()}
    out = []
    for checked in dict.fromkeys(report.checked):
        found = by_record.pop((checked.document, checked.focus, checked.profile), [])
        out.append(_entry(checked, found, titles.get(checked.profile)))
    for (document, focus, title), found in by_record.items():  # nodes found by the shapes' own targets
        out.append(_entry(Checked(document, focus, title, found[0].label), found, titles.get(title)))
    return out


def _entry(checked: Checked, found: list[Finding], profile: Any) -> dict[str, Any]:
    levels: dict[str, dict[str, Any]] = {}
    for level in profile.levels if profile else sorted({f.level for f in found}):
        here = [f for f in found if f.level == level]
        entry: dict[str, Any] = {"findings": len(here)}
        if profile is not None and profile.family == "bioschemas":
            expected = set(profile.properties(level))
            missing = [f for f in here if f.component == "minCount"]
            entry |= {"expected": len(expected), "present": len(expected - {f.path for f in missing}),
                      "missing": [f.property for f in missing]}
        levels[level] = entry
    return {"document": checked.document, "focus": checked.focus, "label": checked.label,
            "profile": checked.profile, "conforms": not any(f.severity == "violation" for f in found),
            "levels": levels, "findings": [_finding(f) for f in found]}


def problems(report: Report) -> list[dict[str, Any]]:
    """Findings grouped by problem (profile, level, property, what was found), most frequent first."""
    groups: dict[tuple[str, str, str, str, str], list[Finding]] = defaultdict(list)
    for f in report.findings:
        groups[(f.profile, f.level, f.severity, f.property, _stem(f))].append(f)
    ordered = sorted(groups.items(), key=lambda item: (-len(item[1]), item[0]))
    return [{"profile": profile, "level": level, "severity": severity, "property": prop, "found": found,
             "advice": group[0].advice, "count": len(group),
             "records": list(dict.fromkeys(f"{f.document} {f.focus}" for f in group))}
            for (profile, level, severity, prop, found), group in ordered]


def as_json(report: Report) -> str:
    counts = Counter(f.severity for f in report.findings)
    return json.dumps({
        "conforms": report.conforms,
        "summary": {"documents": len(report.documents), "records": len(dict.fromkeys(report.checked)),
                    **{s: counts.get(s, 0) for s in SEVERITIES}, "errors": len(report.errors)},
        "records": records(report), "problems": problems(report),
        "notes": [{"document": d, "note": n} for d, n in report.notes], "errors": report.errors,
    }, indent=2, ensure_ascii=False)


def as_text(report: Report, *, optional: bool = True) -> str:
    """The report for a person: each record's profiles and levels with advice, then the problems."""
    lines = []
    for entry in records(report):
        lines.append(f"{entry['document']}\n  {entry['label']} — {entry['focus']}")
        lines.append(f"    {entry['profile']}: " + " · ".join(_level_summary(name, level)
                                                            for name, level in entry["levels"].items()))
        detailed = [f for f in entry["findings"] if f["severity"] != "info" or entry["profile"] == "lifecat"]
        for f in detailed:
            lines.append(f"      {f['level']:<12} {f['property']}: {f['found']}")
            lines.append(f"      {'':<12} → {f['advice']}")
        missing = [f["property"] for f in entry["findings"] if f["severity"] == "info"
                   and f["component"] == "minCount" and entry["profile"] != "lifecat"]
        if missing and optional:
            lines.append(f"      {'optional':<12} not given: {', '.join(missing)}")
    for document, note in report.notes:
        lines.append(f"note: {document}: {note}")
    for error in report.errors:
        lines.append(f"error: {error}")
    grouped = [p for p in problems(report) if p["severity"] != "info"]
    if grouped:
        lines.append("\nBy problem:")
        for p in grouped:
            named = ", ".join(p["records"][:EXAMPLES]) + (" …" if len(p["records"]) > EXAMPLES else "")
            lines.append(f"  {p['count']:>5} x {p['profile']} {p['level']}: {p['property']}: {p['found']}")
            lines.append(f"          → {p['advice']}  ({named})")
    counts = Counter(f.severity for f in report.findings)
    verdict = "conforms" if report.conforms else "does not conform"
    checks = len(dict.fromkeys(report.checked))
    lines.append(f"\n{len(report.documents)} document(s), {checks} record check(s): "
                 f"{counts['violation']} violation(s), {counts['warning']} warning(s), {counts['info']} "
                 f"note(s), {len(report.errors)} unreadable input(s) — {verdict}")
    return "\n".join(lines) + "\n"


def as_turtle(report: Report) -> str:
    """The report as a SHACL validation report (``sh:ValidationReport``), each result with its level,
    the document it is in and the advice (lifecat's terms ``profileLevel``, ``sourceLocator``, ``advice``)."""
    graph = rdflib.Graph()
    graph.bind("sh", SH)
    graph.bind("lifecat", LIFECAT.iri)
    node = rdflib.BNode()
    graph.add((node, RDF.type, SH.ValidationReport))
    graph.add((node, SH.conforms, rdflib.Literal(report.conforms)))
    names = {p.title: p for p in profiles().values()}
    for f in report.findings:
        result = rdflib.BNode()
        graph.add((node, SH.result, result))
        graph.add((result, RDF.type, SH.ValidationResult))
        graph.add((result, SH.focusNode, _node(f.focus)))
        if f.path.startswith("^<"):
            inverse = rdflib.BNode()
            graph.add((result, SH.resultPath, inverse))
            graph.add((inverse, SH.inversePath, rdflib.URIRef(f.path[2:-1])))
        elif f.path:
            graph.add((result, SH.resultPath, rdflib.URIRef(f.path)))
        graph.add((result, SH.resultSeverity, SEVERITIES[f.severity]))
        own = OWN_COMPONENTS.get(f.component)
        shacl = f"{f.component[0].upper()}{f.component[1:]}ConstraintComponent"
        component = rdflib.URIRef(LIFECAT[own].value) if own else SH[shacl]
        graph.add((result, SH.sourceConstraintComponent, component))
        graph.add((result, SH.resultMessage, rdflib.Literal(f.found)))
        if f.value is not None:
            graph.add((result, SH.value, rdflib.Literal(f.value)))
        profile = names.get(f.profile)
        if profile is not None and profile.iri:
            graph.add((result, rdflib.URIRef(DCT.conformsTo.value), rdflib.URIRef(profile.iri)))
        graph.add((result, rdflib.URIRef(LIFECAT.profileLevel.value), rdflib.Literal(f.level)))
        graph.add((result, rdflib.URIRef(LIFECAT.sourceLocator.value), rdflib.Literal(f.document)))
        graph.add((result, rdflib.URIRef(LIFECAT.advice.value), rdflib.Literal(f.advice)))
    return graph.serialize(format="turtle")


def _node(focus: str) -> rdflib.term.Node:
    return rdflib.BNode(focus[2:]) if focus.startswith("_:") else rdflib.URIRef(focus)


def _finding(f: Finding) -> dict[str, Any]:
    return {"level": f.level, "severity": f.severity, "property": f.property, "path": f.path,
            "component": f.component, "found": f.found, "advice": f.advice, "value": f.value}


def _stem(f: Finding) -> str:
    """What was found, without the value that differs from record to record."""
    return f.found[: -len(f.value) - 2] if f.value and f.found.endswith(f": {f.value[:200]}") else f.found


def _level_summary(name: str, level: dict[str, Any]) -> str:
    if "expected" in level:
        return f"{name} {level['present']}/{level['expected']}"
    return f"{name} {'✓' if not level['findings'] else level['findings']}"


#: The report formats, by the name ``lifecat check --format`` gives them.
FORMATS = {"text": as_text, "json": as_json, "turtle": as_turtle}

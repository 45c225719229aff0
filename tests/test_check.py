"""``lifecat check``: files, folders, pages and sitemaps checked against the Bioschemas profiles,
DCAT-AP 3.0.1 and lifecat's shapes, with exit codes for a provider's CI and three report formats."""

from __future__ import annotations

import json
import shutil
import threading
from collections.abc import Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import pyshacl
import pytest
import rdflib
from click.testing import CliRunner

from lifecat.cli import main
from lifecat.graph.profiles import profiles

FIXTURES = Path(__file__).parent / "fixtures" / "check"
SH = rdflib.Namespace("http://www.w3.org/ns/shacl#")
TOOL_PROFILE = "Bioschemas ComputationalTool 1.0-RELEASE"


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["check", *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, result.output


def as_json(*args: str) -> tuple[int, dict]:
    code, output = run("--format", "json", *args)
    return code, json.loads(output)


def findings(report: dict, **wanted: str) -> list[dict]:
    return [dict(f, profile=r["profile"], focus=r["focus"]) for r in report["records"] for f in r["findings"]
            if all(dict(f, profile=r["profile"], focus=r["focus"]).get(k) == v for k, v in wanted.items())]


def test_a_complete_tool_passes_and_the_exit_code_says_so() -> None:
    code, report = as_json(str(FIXTURES / "tool-complete.jsonld"))
    assert code == 0 and report["conforms"] is True
    tool = next(r for r in report["records"] if r["profile"] == TOOL_PROFILE)
    assert tool["focus"] == "https://tools.example.org/seqfold"
    assert tool["levels"]["minimum"]["present"] == tool["levels"]["minimum"]["expected"]
    assert not [f for f in tool["findings"] if f["level"] in {"minimum", "recommended"}]
    lifecat = next(r for r in report["records"] if r["profile"] == "lifecat")
    assert lifecat["conforms"] is True


def test_a_missing_recommended_property_is_a_warning_with_advice() -> None:
    code, report = as_json(str(FIXTURES / "tool-no-licence.jsonld"))
    assert code == 0, "a recommended property missing does not fail by default"
    [licence] = findings(report, profile=TOOL_PROFILE, path="http://schema.org/license", component="minCount")
    assert licence["level"] == "recommended" and licence["severity"] == "warning"
    assert "spdx.org/licenses" in licence["advice"]
    assert run("--fail-on", "warning", str(FIXTURES / "tool-no-licence.jsonld"))[0] == 1
    text = run(str(FIXTURES / "tool-no-licence.jsonld"))[1]
    assert "recommended" in text and "license" in text and "By problem" in text


def test_a_missing_minimum_property_fails_with_the_property_named() -> None:
    code, report = as_json(str(FIXTURES / "tool-no-name.jsonld"))
    assert code == 1 and report["conforms"] is False
    [name] = findings(report, profile=TOOL_PROFILE, path="http://schema.org/name", component="minCount")
    assert name["level"] == "minimum" and name["severity"] == "violation"
    url = findings(report, profile=TOOL_PROFILE, path="http://schema.org/url", component="nodeKind")
    assert url and url[0]["value"] == "not a link"
    refused = findings(report, profile="lifecat", severity="violation")
    assert refused, "lifecat would quarantine a tool with no name"


def test_a_page_is_read_for_json_ld_and_microdata_and_a_page_without_markup_is_said_so() -> None:
    _code, report = as_json(str(FIXTURES / "page.html"), str(FIXTURES / "no-markup.html"))
    checked = {(r["profile"], r["focus"]) for r in report["records"]}
    assert any(p.startswith("Bioschemas Sample") and f == "https://samples.example.org/SAMEA1"
               for p, f in checked)
    assert any(p.startswith("Bioschemas Dataset") for p, _ in checked), "the microdata Dataset is checked"
    assert any("no-markup.html" in n["document"] and "no markup" in n["note"] for n in report["notes"])


def test_a_folder_is_checked_file_by_file_and_a_bad_file_is_named(tmp_path: Path) -> None:
    for name in ("tool-complete.jsonld", "tool-no-licence.jsonld"):
        shutil.copy(FIXTURES / name, tmp_path / name)
    (tmp_path / "broken.jsonld").write_text('{"@context": "https://schema.org", "name": ')
    (tmp_path / "notes.txt").write_text("not markup")
    code, report = as_json(str(tmp_path))
    assert code == 1 and report["summary"]["documents"] == 2
    assert any("broken.jsonld" in e and "not JSON" in e for e in report["errors"])
    assert {r["focus"] for r in report["records"]} >= {"https://tools.example.org/seqfold",
                                                       "https://tools.example.org/foldit"}


def test_a_profile_can_be_chosen_and_an_unknown_one_is_refused() -> None:
    code, report = as_json("--profile", "Dataset", str(FIXTURES / "tool-no-licence.jsonld"))
    assert {r["profile"] for r in report["records"]} == {profiles()["Dataset"].title}
    assert findings(report, component="type"), "a tool checked as a Dataset is told it is not typed one"
    code, output = run("--profile", "NoSuchProfile", str(FIXTURES / "tool-complete.jsonld"))
    assert code == 2 and "no profile 'NoSuchProfile'" in output and "ComputationalTool" in output


def test_dcat_ap_findings_are_pyshacls_on_the_official_shapes() -> None:
    code, report = as_json("--profile", "dcat-ap", str(FIXTURES / "catalogue.ttl"))
    assert code == 1
    ours = {(f["focus"], f["path"], f["severity"]) for f in findings(report, profile="DCAT-AP 3.0.1")}
    data = rdflib.Graph().parse(FIXTURES / "catalogue.ttl")
    expected = set()
    for part in profiles()["dcat-ap-3.0.1"].parts:
        _, results, _ = pyshacl.validate(data, shacl_graph=part.graph, inference="none", advanced=False)
        expected |= {(str(results.value(r, SH.focusNode)), str(results.value(r, SH.resultPath)),
                      str(results.value(r, SH.resultSeverity)).rsplit("#")[-1].lower())
                     for r in results.subjects(rdflib.RDF.type, SH.ValidationResult)}
    assert ours == expected
    assert ("https://data.example.org/dataset/2", "http://purl.org/dc/terms/description", "violation") in ours


def test_the_report_is_also_a_shacl_validation_report() -> None:
    _code, output = run("--format", "turtle", str(FIXTURES / "tool-no-name.jsonld"))
    graph = rdflib.Graph().parse(data=output, format="turtle")
    [report] = graph.subjects(rdflib.RDF.type, SH.ValidationReport)
    assert graph.value(report, SH.conforms).toPython() is False
    results = list(graph.objects(report, SH.result))
    assert results and all(graph.value(r, SH.resultSeverity) in {SH.Violation, SH.Warning, SH.Info}
                           for r in results)
    assert any(graph.value(r, SH.resultPath) == rdflib.URIRef("http://schema.org/name") for r in results)


def test_profiles_are_listed_with_their_levels() -> None:
    code, output = run("--profiles")
    assert code == 0
    assert "minimum, recommended, optional" in output and "mandatory, recommended" in output


@pytest.fixture
def site(tmp_path: Path) -> Iterator[str]:
    """A loopback site serving the fixtures, with a sitemap of two of its pages."""
    for name in ("page.html", "tool-no-licence.jsonld"):
        shutil.copy(FIXTURES / name, tmp_path / name)
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(QuietHandler, directory=str(tmp_path)))
    root = f"http://127.0.0.1:{server.server_address[1]}/"
    (tmp_path / "sitemap.xml").write_text((FIXTURES / "sitemap.xml").read_text()
                                          .replace("PAGE_ONE", root + "page.html")
                                          .replace("PAGE_TWO", root + "tool-no-licence.jsonld"))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield root
    server.shutdown()
    server.server_close()


class QuietHandler(SimpleHTTPRequestHandler):
    extensions_map: ClassVar[dict[str, str]] = {**SimpleHTTPRequestHandler.extensions_map,
                                                ".jsonld": "application/ld+json"}

    def log_message(self, format: str, *args: object) -> None:
        pass


def test_a_sitemap_and_a_url_are_fetched(site: str) -> None:
    code, report = as_json(site + "sitemap.xml")
    documents = report["summary"]["documents"]
    assert documents >= 3, report  # the page's JSON-LD and microdata, and the JSON-LD file
    assert {"https://samples.example.org/SAMEA1", "https://tools.example.org/foldit"} <= {
        r["focus"] for r in report["records"]}
    code, report = as_json(site + "missing.html")
    assert code == 1 and any("404" in e for e in report["errors"])


def test_real_bioschemas_pages_are_checked(samples: Path) -> None:
    pages = sorted(str(page) for page in (samples / "api" / "bioschemas").glob("*.html"))
    _code, report = as_json(*pages)
    assert not report["errors"], report["errors"]
    by_profile = {r["profile"].split(" ")[1] for r in report["records"]
                  if r["profile"].startswith("Bioschemas")}
    assert {"TrainingMaterial", "DataCatalog", "MolecularEntity"} <= by_profile
    faq = [r for r in report["records"] if "tess-gtn-faq.html" in r["document"]]
    assert not [r for r in faq if r["profile"].startswith("Bioschemas")], "the FAQ page has no markup"
    assert all(not r["conforms"] for r in faq), "lifecat finds no record it could load on it"


def test_the_w3c_dcat_examples_are_checked_against_dcat_ap(samples: Path) -> None:
    described = 0
    for example in sorted((samples / "dcat").glob("*.ttl")):
        _code, report = as_json("--profile", "dcat-ap", str(example))
        assert not report["errors"], (example.name, report["errors"])
        described += report["summary"]["records"] >= 1
    assert described >= 20, "the examples with DCAT resources are checked (schema.org-only ones have none)"

"""The command line: every command's help, query output, validation report and build errors."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from lifecat.cli import main
from lifecat.core.config import Settings

FIXTURES = Path(__file__).parent / "fixtures" / "bioregistry"


@pytest.mark.parametrize("command", ["build", "serve", "query", "validate", "check", "formats"])
def test_every_command_has_help(command: str) -> None:
    result = CliRunner().invoke(main, [command, "--help"])
    assert result.exit_code == 0
    assert "Usage:" in result.output


def test_query_outputs(settings: Settings) -> None:
    runner = CliRunner()
    query = "SELECT ?name WHERE { <http://lifecat.test/id/catalog/uniprot> <http://schema.org/name> ?name }"
    table = runner.invoke(main, ["--store", str(settings.store), "--base", settings.base, "query", query])
    assert table.exit_code == 0, table.output
    assert table.output.splitlines()[0].strip() == "name"
    assert "UniProt Protein" in table.output and "(1 row)" in table.output
    as_csv = runner.invoke(main, ["--store", str(settings.store), "--base", settings.base,
                                  "query", "--format", "csv", query])
    assert as_csv.output.splitlines() == ["name", "UniProt Protein"]
    as_json = runner.invoke(main, ["--store", str(settings.store), "--base", settings.base,
                                   "query", "--format", "json", query])
    assert json.loads(as_json.output)["results"]["bindings"][0]["name"]["value"] == "UniProt Protein"


def test_query_errors_are_messages(settings: Settings, tmp_path: Path) -> None:
    runner = CliRunner()
    bad = runner.invoke(main, ["--store", str(settings.store), "--base", settings.base, "query", "SELEC x"])
    assert bad.exit_code == 1 and "invalid SPARQL query" in bad.output
    missing = runner.invoke(main, ["--store", str(tmp_path / "none"), "query", "ASK {}"])
    assert missing.exit_code == 1 and "lifecat build" in missing.output


def test_build_and_validate_report_per_source(tmp_path: Path) -> None:
    runner = CliRunner()
    source = f"bioregistry:{FIXTURES}"
    built = runner.invoke(main, ["--store", str(tmp_path), "build", "--quiet", "--source", source])
    assert built.exit_code == 0, built.output
    assert "read 7, loaded 6, quarantined 1, loaded with warnings 4" in built.output
    report = runner.invoke(main, ["--store", str(tmp_path), "validate", "--json", "--source", source])
    [entry] = json.loads(report.output)
    assert (entry["read"], entry["valid"], entry["invalid"]) == (7, 6, 1)
    rules = {r["rule"]: r["records"] for r in entry["results"] if r["severity"] == "Warning"}
    assert rules["DataCatalogShape url: minCount"] == 1  # a missing homepage warns, it does not quarantine


def test_unparseable_source_is_named_and_the_store_unchanged(tmp_path: Path) -> None:
    runner = CliRunner()
    store = tmp_path / "store"
    runner.invoke(main, ["--store", str(store), "build", "--quiet", "--source", f"bioregistry:{FIXTURES}"])
    bad = tmp_path / "bad"
    shutil.copytree(FIXTURES, bad)
    (bad / "bioregistry.json").write_text("[")
    result = runner.invoke(main, ["--store", str(store), "build", "--quiet",
                                  "--source", f"bioregistry:{bad}"])
    assert result.exit_code == 1
    assert "store is unchanged" in result.output and str(bad / "bioregistry.json") in result.output
    count = runner.invoke(main, ["--store", str(store), "query", "--format", "csv",
                                 "SELECT (COUNT(*) AS ?n) WHERE { ?s a <http://schema.org/DataCatalog> }"])
    assert int(count.output.splitlines()[1]) > 0


def test_formats_lists_bioregistry() -> None:
    result = CliRunner().invoke(main, ["formats"])
    assert result.output.startswith("bioregistry")

"""``lifecat quarantine`` lists what a build kept out and shows one record's input and report, on every
backend; ``lifecat validate`` names each failing record."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from lifecat.cli import main
from lifecat.core.config import Settings
from tests.utils.quarantined import HOSTILE, QUARANTINED, SOURCE, build_quarantine, write_source
from tests.utils.stores import environment, store_settings


@pytest.fixture(scope="module")
def built(backend: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Settings]:
    folder = tmp_path_factory.mktemp(f"cli-quarantine-{backend}")
    with ExitStack() as stack:
        settings = store_settings(backend, folder / "store", stack, base="http://lifecat.test/")
        yield build_quarantine(settings, folder / "source")


def run(settings: Settings, *args: str) -> Result:
    return CliRunner().invoke(main, ["quarantine", *args], env=environment(settings))


def test_help() -> None:
    result = CliRunner().invoke(main, ["quarantine", "--help"])
    assert result.exit_code == 0 and "SOURCE KEY" in result.output


def test_the_list_names_each_record_and_why(built: Settings) -> None:
    result = run(built)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == f"{SOURCE}: {len(QUARANTINED)} quarantined"
    assert [line.split(":")[0].strip() for line in lines[1:]] == QUARANTINED
    assert "  noname: no name (schema:name)" in result.output
    assert "  unmappable: cannot map record: mappings" in result.output


def test_the_list_as_json_and_by_source(built: Settings) -> None:
    for args in ([], ["--source", SOURCE], [SOURCE]):
        result = run(built, "--json", *args)
        assert result.exit_code == 0, result.output
        [entry] = json.loads(result.output)
        assert (entry["source"], entry["quarantined"]) == (SOURCE, len(QUARANTINED))
        assert [r["key"] for r in entry["records"]] == QUARANTINED
        assert entry["records"][2]["record"] is None


def test_one_record_shows_its_input_and_report(built: Settings) -> None:
    result = run(built, SOURCE, "hostile")
    assert result.exit_code == 0, result.output
    assert "bioregistry.json#hostile" in result.output
    assert json.dumps(HOSTILE) in result.output  # the input, as read
    assert "Violation schema:name: no name (schema:name)" in result.output
    as_json = json.loads(run(built, SOURCE, "hostile", "--json").output)
    assert as_json["original"]["record"]["description"] == HOSTILE
    assert as_json["results"][0]["severity"] == "Violation"


@pytest.mark.parametrize(("args", "message"), [
    ([SOURCE, "nosuch"], f"{SOURCE} has no quarantined record 'nosuch'"),
    ([SOURCE, "goodres"], f"{SOURCE} has no quarantined record 'goodres'"),
    (["nosuch", "hostile"], f"no source 'nosuch' in this store (sources: {SOURCE})"),
    (["--source", "nosuch"], "no source 'nosuch'"),
])
def test_unknown_records_are_a_message(built: Settings, args: list[str], message: str) -> None:
    result = run(built, *args)
    assert result.exit_code == 1
    assert message in result.output
    assert "Traceback" not in result.output and isinstance(result.exception, SystemExit)


def test_validate_names_each_failing_record(tmp_path: Path) -> None:
    source = write_source(tmp_path / "source")
    args = ["--store", str(tmp_path / "store"), "validate", "--source", f"bioregistry:{source.path}"]
    text = CliRunner().invoke(main, args)
    assert text.exit_code == 0, text.output
    assert "  invalid noname: no name (schema:name); no title (dct:title)\n" in text.output
    assert "  invalid unmappable: cannot map record: mappings: Input should be" in text.output
    [entry] = json.loads(CliRunner().invoke(main, [*args, "--json"]).output)
    assert [r["key"] for r in entry["invalid_records"]] == QUARANTINED
    assert entry["invalid"] == len(entry["invalid_records"])

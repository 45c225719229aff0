"""Sources as users give them: ``--source FORMAT:PATH`` (file, folder or glob), a config file's sources
section, ``lifecat formats``, and a clear error for a file of the wrong format."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from lifecat.cli import main
from lifecat.mappings import FORMATS

FIXTURES = Path(__file__).parent / "fixtures"
NEW_FORMATS = ["bioschemas", "biotools", "ctgov", "ena-runs", "ictrp", "nextstrain", "preprints", "ror"]


def test_formats_lists_every_format_on_one_line() -> None:
    result = CliRunner().invoke(main, ["formats"])
    lines = result.output.splitlines()
    assert result.exit_code == 0 and len(lines) == len(FORMATS)
    assert [line.split()[0] for line in lines] == sorted(FORMATS)
    assert set(NEW_FORMATS) <= set(FORMATS)


def test_build_from_file_folder_and_glob(tmp_path: Path) -> None:
    store = tmp_path / "store"
    result = CliRunner().invoke(main, [
        "--store", str(store), "build", "--quiet",
        "--source", f"preprints:{FIXTURES / 'preprints' / 'covid19_preprints.csv'}",
        "--source", f"ror:{FIXTURES / 'ror'}",
        "--source", f"ena-runs:{FIXTURES / 'ena-runs'}/*.tsv",
    ])
    assert result.exit_code == 0, result.output
    assert "preprints (preprints): read 5, loaded 4, quarantined 1" in result.output
    assert "ror (ror): read 6, loaded 5, quarantined 1" in result.output
    assert "ena-runs (ena-runs): read 4, loaded 3, quarantined 1" in result.output


def test_sources_from_the_config_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "lifecat.toml").write_text(
        f'store = "{tmp_path / "store"}"\n'
        f'[[sources]]\nformat = "nextstrain"\npath = "{FIXTURES / "nextstrain" / "metadata.tsv"}"\n'
        f'[[sources]]\nformat = "ictrp"\npath = "{FIXTURES / "ictrp"}"\nname = "who-trials"\n'
    )
    monkeypatch.chdir(tmp_path)
    for variable in [v for v in os.environ if v.startswith("LIFECAT_")]:
        monkeypatch.delenv(variable)
    result = CliRunner().invoke(main, ["build", "--quiet"])
    assert result.exit_code == 0, result.output
    assert "nextstrain (nextstrain): read 4, loaded 4, quarantined 0" in result.output
    assert "who-trials (ictrp): read 7, loaded 5, quarantined 2" in result.output


@pytest.mark.parametrize(("fmt", "path", "expected"), [
    ("ror", "biotools/api-page.json", "not a ror file (expected a ROR organisation record"),
    ("ctgov", "ictrp/covid19-trials.csv", "not a ctgov file (expected a ClinicalTrials.gov download"),
    ("biotools", "bioschemas/dataset.json", "not a biotools file (expected biotoolsSchema JSON"),
])
def test_wrong_format_stops_the_build(tmp_path: Path, fmt: str, path: str, expected: str) -> None:
    result = CliRunner().invoke(main, ["--store", str(tmp_path), "build", "--quiet",
                                       "--source", f"{fmt}:{FIXTURES / path}"])
    assert result.exit_code == 1
    assert "store is unchanged" in result.output and expected in result.output
    assert Path(path).name in result.output

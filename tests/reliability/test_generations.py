"""A build killed at any stage never costs the served generation, and the next build cleans up.

The embedded store serves one generation folder and keeps the one before it for readers that opened
it before the swap. A ``lifecat build`` process is killed (SIGKILL: no clean-up runs) while it maps and
loads records into its new generation, and while it derives that generation's artifacts; the store must
go on serving the last complete generation, and the next build must remove the half-written folder
while keeping the generation it replaces.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from lifecat.core.config import Settings, SourceConfig
from lifecat.graph.build import build
from lifecat.graph.store import Store
from lifecat.graph.store.embedded import GENERATIONS, OXIGRAPH

BASE = "http://lifecat.test/"
HEADER = "run_accession,sample_accession,study_accession,instrument_platform,host,country\n"
#: Records in the build that is killed: enough for each stage to last a while, however fast the machine.
RECORDS = 300
#: The run numbers of the first good build, the killed one and the next one.
GOOD, KILLED, NEXT = 4_000_001, 4_100_000, 4_000_002
#: The longest a build may take to reach the stage it is killed in, on a loaded machine.
DEADLINE = 120.0


def runs(path: Path, first: int, count: int) -> Path:
    rows = (f"ERR{n},SAMEA{n},PRJEB{38000 + n % 7},ILLUMINA,Homo sapiens,United Kingdom\n"
            for n in range(first, first + count))
    path.write_text(HEADER + "".join(rows), encoding="utf-8")
    return path


def has_run(settings: Settings, number: int) -> bool:
    """Whether the served generation holds the run ``ERR{number}``."""
    return bool(Store.open(settings).query(f"ASK {{ <{BASE}id/dataset/ERR{number}> ?p ?o }}").boolean)


def reached(stage: str, folder: Path) -> bool:
    """Whether a new generation folder shows the build at ``stage``: mapping and loading records into
    its store, or deriving its artifacts (files beside the store)."""
    try:
        entries = {entry.name for entry in folder.iterdir()}
    except FileNotFoundError:
        return False
    return OXIGRAPH in entries and (stage == "mapping") == (entries == {OXIGRAPH})


@pytest.mark.parametrize("stage", ["mapping", "deriving"])
def test_a_killed_build_keeps_the_served_generation(tmp_path: Path, stage: str) -> None:
    settings = Settings(store=str(tmp_path / "store"), base=BASE)
    build(settings, [SourceConfig(format="ena-runs", path=str(runs(tmp_path / "good.csv", GOOD, 1)))],
          progress=False, log=lambda _: None)
    store = Store.open(settings)
    served = store.generation()
    generations = tmp_path / "store" / GENERATIONS
    before = {folder.name for folder in generations.iterdir()}

    env = {k: v for k, v in os.environ.items() if not k.startswith("LIFECAT_")}
    with (tmp_path / "killed.log").open("w") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "lifecat", "--store", str(tmp_path / "store"), "--base", BASE, "build",
             "--quiet", "--source", f"ena-runs:{runs(tmp_path / 'big.csv', KILLED, RECORDS)}"],
            stdout=output, stderr=subprocess.STDOUT, env=env)
        try:
            deadline = time.monotonic() + DEADLINE
            partial = None
            while partial is None and process.poll() is None and time.monotonic() < deadline:
                time.sleep(0.005)  # a poll, leaving the CPU to the build
                partial = next((f for f in generations.iterdir()
                                if f.name not in before and reached(stage, f)), None)
            assert partial is not None, f"the build never showed the {stage} stage: " + (
                tmp_path / "killed.log").read_text()
            os.kill(process.pid, signal.SIGKILL)
        finally:
            if process.poll() is None:
                process.kill()
            process.wait(timeout=60)
    assert process.returncode == -signal.SIGKILL

    # the killed build left its folder behind, and changed nothing served
    assert partial.is_dir()
    assert store.generation() == served
    assert has_run(settings, GOOD) and not has_run(settings, KILLED)

    build(settings, [SourceConfig(format="ena-runs", path=str(runs(tmp_path / "next.csv", NEXT, 1)))],
          progress=False, log=lambda _: None)
    assert store.generation() != served
    assert has_run(settings, NEXT) and not has_run(settings, GOOD)
    # the next build removed the half-written folder and kept the one it replaced, for its readers
    assert {folder.name for folder in generations.iterdir()} == {
        Path(served).name, Path(store.generation()).name}
    assert not list((tmp_path / "store").glob(".current.*"))

"""Mapping speed per format: records/s of ``Format.to_rdf`` alone (no reading, validation or store).

Inputs are the shared samples (``LIFECAT_SAMPLES``) where a format has one, else the test fixtures
repeated. Each format gets a warm-up pass, then shuffled repeats, of which the fastest is reported
(the machine is shared: slower repeats measure the neighbours); failures (records the mapping
refuses) are counted beside the timings. Results go to ``bench/results/mapping_speed.json``.

    LIFECAT_SAMPLES=../shared/data python bench/mapping_speed.py
"""

from __future__ import annotations

import json
import os
import random
import statistics
import time
from pathlib import Path

from lifecat.core.uris import Minter
from lifecat.mappings import RecordError, get_format

ROOT = Path(__file__).parents[1]
FIXTURES = ROOT / "tests" / "fixtures"
#: format → sample path under LIFECAT_SAMPLES (None: no sample; the fixtures are used).
SAMPLES = {
    "bioregistry": "bioregistry", "biotools": "biotools/records",
    "bioschemas": "bioschemas/biotools-generated", "nextstrain": "sars-cov-2/example_metadata.tsv",
    "ctgov": "clinicaltrials-gov",
    "preprints": "preprints/covid19_preprints.csv", "ror": "ror", "ena-runs": None, "ictrp": None,
}
REPEATS = 5
MINIMUM = 2000  # records per pass; small inputs are repeated up to this


def inputs(fmt: str, samples: Path | None) -> tuple[list[object], str]:
    sample = SAMPLES[fmt]
    path = samples / sample if samples and sample else FIXTURES / fmt
    items = [item.data for item in get_format(fmt).read(path)]
    origin = "sample" if samples and sample else "fixtures"
    return items * max(1, -(-MINIMUM // len(items))), origin


def run(fmt: str, items: list[object], mint: Minter) -> tuple[float, int, int]:
    """Seconds for one pass, triples made, records refused."""
    to_rdf, triples, refused = get_format(fmt).to_rdf, 0, 0
    start = time.perf_counter()
    for data in items:
        try:
            triples += len(to_rdf(data, mint).triples)
        except RecordError:
            refused += 1
    return time.perf_counter() - start, triples, refused


def main() -> None:
    samples = Path(os.environ["LIFECAT_SAMPLES"]) if os.environ.get("LIFECAT_SAMPLES") else None
    mint, rng, results = Minter("http://localhost:8000/"), random.Random(6), []
    for fmt in SAMPLES:
        items, origin = inputs(fmt, samples)
        run(fmt, items[:200], mint)  # warm-up
        times = []
        for _ in range(REPEATS):
            rng.shuffle(items)
            seconds, triples, refused = run(fmt, items, mint)
            times.append(seconds)
        best = min(times)
        results.append({"format": fmt, "input": origin, "records": len(items),
                        "records_per_second": round(len(items) / best),
                        "median_records_per_second": round(len(items) / statistics.median(times)),
                        "load_average": os.getloadavg()[0], "triples_per_record":
                        round(triples / max(1, len(items) - refused), 1), "refused": refused})
        print(f"{fmt:<12} {origin:<8} {len(items):>6} records  {len(items) / best:>9,.0f} records/s  "
              f"{triples / max(1, len(items) - refused):5.1f} triples/record  refused {refused}")
    out = ROOT / "bench" / "results" / "mapping_speed.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()

"""The shared real samples (``LIFECAT_SAMPLES``) as lifecat sources, and what a build of them reports."""

from __future__ import annotations

#: (format, folder under the samples) of every sample a lifecat format reads.
SAMPLES = [("bioregistry", "bioregistry"), ("biotools", "biotools/records"),
           ("bioschemas", "bioschemas/biotools-generated"), ("nextstrain", "sars-cov-2/example_metadata.tsv"),
           ("ctgov", "clinicaltrials-gov"), ("preprints", "preprints/covid19_preprints.csv"), ("ror", "ror")]
#: Records read and quarantined per source (the samples' SOURCE.md give the record counts). Every
#: sample record can stand as a record: what some lack are minimum properties, which only warn.
EXPECTED = {"bioregistry": (3018, 0), "biotools": (983, 0), "bioschemas": (200, 0), "nextstrain": (418, 0),
            "ctgov": (3584, 0), "preprints": (2080, 0), "ror": (2454, 0)}
#: Records loaded with warnings per source: Bioregistry resources without a provider, keywords,
#: description or homepage (Bioschemas DataCatalog minimum properties), bio.tools tools citing an
#: article whose title bio.tools did not harvest, and GenBank sequences, which state no licence.
EXPECTED_WARNED = {"bioregistry": 1747, "biotools": 370, "bioschemas": 0, "nextstrain": 418, "ctgov": 0,
                   "preprints": 0, "ror": 0}

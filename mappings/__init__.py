"""Source formats: each turns one publisher record into lifecat RDF.

Every format is registered here, in one table, under the name users give to ``--source FORMAT:PATH``.
"""

from __future__ import annotations

from lifecat.mappings import (
    bioregistry,
    bioschemas,
    biotools,
    ctgov,
    ena_runs,
    ictrp,
    nextstrain,
    preprints,
    ror,
)
from lifecat.mappings.rdf import (
    Format,
    ReadError,
    Record,
    RecordError,
    SourceFormatError,
    SourceItem,
)

FORMATS: dict[str, Format] = {
    fmt.name: fmt
    for fmt in [
        bioregistry.FORMAT,
        bioschemas.FORMAT,
        biotools.FORMAT,
        ctgov.FORMAT,
        ena_runs.FORMAT,
        ictrp.FORMAT,
        nextstrain.FORMAT,
        preprints.FORMAT,
        ror.FORMAT,
    ]
}


def get_format(name: str) -> Format:
    """The registered format called ``name``.

    >>> get_format("bioregistry").name
    'bioregistry'
    >>> get_format("nope")
    Traceback (most recent call last):
    ...
    KeyError: "unknown format 'nope'; known formats: bioregistry, ..."
    """
    try:
        return FORMATS[name]
    except KeyError:
        raise KeyError(f"unknown format {name!r}; known formats: {', '.join(sorted(FORMATS))}") from None


__all__ = [
    "FORMATS",
    "Format",
    "ReadError",
    "Record",
    "RecordError",
    "SourceFormatError",
    "SourceItem",
    "get_format",
]

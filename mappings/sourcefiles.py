"""Reading publisher files: folders, JSON documents and CSV/TSV tables, as publishers ship them.

Shared by the mappings so that every format accepts a file or a folder, a UTF-8 byte-order mark, a
comma or a tab, and fails on a file of another format with one message naming the file and the
format expected. Rows and documents are parsed into pydantic models (:func:`parse`), so a bad record
is quarantined with the field at fault.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, ClassVar, TypeVar

import pydantic

from lifecat.mappings.rdf import RecordError, SourceFormatError, SourceItem

Model = TypeVar("Model", bound=pydantic.BaseModel)

#: Cells that mean "no value" in publishers' tables.
MISSING = frozenset({"", "?", "NA", "N/A", "n/a", "null", "NULL", "None", "none", "-"})


def files(path: Path | None, suffixes: tuple[str, ...]) -> list[Path]:
    """``path`` itself, or the files with one of ``suffixes`` below a folder, in name order.

    :raises SourceFormatError: for ``None``: only the Bioregistry format has embedded data.

    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> for name in ("b.json", "a.json", "notes.txt"):
    ...     _ = (folder / name).write_text("{}")
    >>> [p.name for p in files(folder, (".json",))]
    ['a.json', 'b.json']
    """
    if path is None:
        raise SourceFormatError("this format has no embedded data; give FORMAT:PATH")
    if path.is_dir():
        return sorted(p for p in path.rglob("*") if p.is_file() and p.name.lower().endswith(suffixes))
    return [path]


def not_format(path: Path, name: str, expected: str, detail: str = "") -> SourceFormatError:
    """The error for a file that is not in format ``name``."""
    suffix = f": {detail}" if detail else ""
    return SourceFormatError(f"{path}: not a {name} file (expected {expected}){suffix}")


def load_json(path: Path, name: str, expected: str) -> Any:
    """The JSON document in ``path`` (a byte-order mark is allowed).

    :raises SourceFormatError: when the file is not JSON.
    """
    try:
        return json.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise not_format(path, name, expected, str(error)) from error


def read_table(path: Path, name: str, *, required: Iterable[str | tuple[str, ...]], key: tuple[str, ...],
               expected: str) -> Iterator[SourceItem]:
    r"""Every row of a CSV or TSV file as a dict keyed by the (stripped) column names.

    The delimiter is the header's: a tab if it has one, else a comma. ``required`` columns (or, for a
    tuple, one of them) must be present, else the file is of another format. Each row's locator ends
    with the first ``key`` column it has a value in, else its row number.

    :raises SourceFormatError: for an undecodable file or a missing required column.

    >>> import tempfile
    >>> path = Path(tempfile.mkdtemp()) / "runs.tsv"
    >>> _ = path.write_text("\ufeffrun_accession\thost\nSRR1\t?\n", encoding="utf-8")
    >>> [(item.locator.rsplit("#")[1], item.data) for item in read_table(
    ...     path, "ena-runs", required=["run_accession"], key=("run_accession",), expected="a report")]
    [('SRR1', {'run_accession': 'SRR1', 'host': '?'})]
    >>> list(read_table(path, "ror", required=["id"], key=(), expected="ROR JSON"))
    Traceback (most recent call last):
    ...
    lifecat.mappings.rdf.SourceFormatError: ...runs.tsv: not a ror file (expected ROR JSON): no column id
    """
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            header = handle.readline()
            delimiter = "\t" if "\t" in header else ","
            columns = [c.strip() for c in next(csv.reader([header], delimiter=delimiter), [])]
            missing = [" or ".join(r) if isinstance(r, tuple) else r for r in required
                       if not set(r if isinstance(r, tuple) else (r,)) & set(columns)]
            if missing:
                raise not_format(path, name, expected, f"no column {', '.join(missing)}")
            for number, row in enumerate(csv.DictReader(handle, fieldnames=columns, delimiter=delimiter),
                                         start=2):
                if not any((v or "").strip() for v in row.values() if isinstance(v, str)):
                    continue
                row.pop(None, None)  # cells beyond the header: nothing to name them by
                ident = next((row[k].strip() for k in key if (row.get(k) or "").strip() not in MISSING),
                             f"row-{number}")
                yield SourceItem(f"{path}#{ident}", row)
    except UnicodeDecodeError as error:
        raise not_format(path, name, expected, f"not UTF-8 text ({error})") from error


class Row(pydantic.BaseModel):
    """A table row or JSON record: unknown columns ignored, blanks and missing markers read as ``None``."""

    model_config = pydantic.ConfigDict(extra="ignore", populate_by_name=True, str_strip_whitespace=True,
                                       coerce_numbers_to_str=True)
    missing: ClassVar[frozenset[str]] = MISSING

    @pydantic.model_validator(mode="before")
    @classmethod
    def _blanks(cls, data: Any) -> Any:
        if isinstance(data, dict):
            return {k: None if isinstance(v, str) and v.strip() in cls.missing else v
                    for k, v in data.items()}
        return data


def parse(model: type[Model], data: Any) -> Model:
    """``data`` as ``model``.

    :raises RecordError: naming the first field at fault.

    >>> class Tool(Row):
    ...     name: str
    >>> parse(Tool, {"name": "?"})
    Traceback (most recent call last):
    ...
    lifecat.mappings.rdf.RecordError: name: Input should be a valid string
    """
    try:
        return model.model_validate(data)
    except pydantic.ValidationError as error:
        first = error.errors()[0]
        field = ".".join(str(part) for part in first["loc"]) or model.__name__
        raise RecordError(field, first["msg"]) from None

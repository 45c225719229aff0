"""Reading publisher files: folders, JSON documents and CSV/TSV tables, as publishers ship them.

Shared by the mappings so that every format accepts a file or a folder, a UTF-8 byte-order mark, a
comma or a tab, and fails on a file of another format with one message naming the file and the
format expected. Rows and documents are parsed into pydantic models (:func:`parse`), so a bad record
is quarantined with the field at fault.
"""

from __future__ import annotations

import csv
import json
import re
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import Any, ClassVar, TextIO, TypeVar

import pydantic

from lifecat.core.config import MAX_FIELD_SIZE
from lifecat.mappings.rdf import ReadError, RecordError, SourceFormatError, SourceItem

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

    :raises SourceFormatError: when the file is not UTF-8 JSON, or nests too deeply to be read at all
        (a record that nests too deeply within a readable file is quarantined by the build).
    """
    try:
        data = path.read_bytes()
        return json.loads(data.decode("utf-8-sig"))
    except OSError as error:
        raise not_format(path, name, expected, str(error)) from error
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise not_format(path, name, expected, f"line {line}: not UTF-8 text ({error.reason}, byte "
                         f"0x{data[error.start]:02x}); save it as UTF-8") from None
    except json.JSONDecodeError as error:
        raise not_format(path, name, expected, str(error)) from error
    except RecursionError:
        raise not_format(path, name, expected, "JSON nested too deeply to read") from None


#: The largest table value read, in characters (``max_field_size``); the build sets it with
#: :func:`field_limit`.
FIELD_LIMIT: ContextVar[int] = ContextVar("field_limit", default=MAX_FIELD_SIZE)


@contextmanager
def field_limit(size: int) -> Iterator[None]:
    """Read tables with values of up to ``size`` characters while the block runs."""
    token = FIELD_LIMIT.set(size)
    try:
        yield
    finally:
        FIELD_LIMIT.reset(token)


def read_table(path: Path, name: str, *, required: Iterable[str | tuple[str, ...]], key: tuple[str, ...],
               expected: str) -> Iterator[SourceItem]:
    r"""Every row of a CSV or TSV file as a dict keyed by the (stripped) column names.

    The delimiter is the header's: a tab if it has one, else a comma. ``required`` columns (or, for a
    tuple, one of them) must be present, else the file is of another format. Each row's locator ends
    with the first ``key`` column it has a value in, else ``row-{line}``. A row without a value in any
    ``key`` column, with more or fewer cells than the header, or with a value longer than
    :data:`FIELD_LIMIT`, is yielded with its :class:`ReadError`: the build quarantines it.

    :raises SourceFormatError: for an empty or undecodable file (naming the line) or a missing
        required column.

    >>> import tempfile
    >>> path = Path(tempfile.mkdtemp()) / "runs.tsv"
    >>> _ = path.write_text("\ufeffrun_accession\thost\nSRR1\t?\n\t?\n", encoding="utf-8")
    >>> for item in read_table(path, "ena-runs", required=["run_accession"], key=("run_accession",),
    ...                        expected="a report"):
    ...     print(item.locator.rsplit("#")[1], item.data, item.error)
    SRR1 {'run_accession': 'SRR1', 'host': '?'} None
    row-3 {'run_accession': '', 'host': '?'} record has no id: line 3: no value in column run_accession
    >>> list(read_table(path, "ror", required=["id"], key=(), expected="ROR JSON"))
    Traceback (most recent call last):
    ...
    lifecat.mappings.rdf.SourceFormatError: ...runs.tsv: not a ror file (expected ROR JSON): no column id
    """
    limit = FIELD_LIMIT.get()
    csv.field_size_limit(limit)
    with path.open(encoding="utf-8-sig", errors="surrogateescape", newline="") as handle:
        lines = _decoded(handle, lambda detail: not_format(path, name, expected, detail))
        header = next(lines, "")
        if not header.strip():
            raise not_format(path, name, expected, "the file is empty")
        delimiter = "\t" if "\t" in header else ","
        columns = [c.strip() for c in next(csv.reader([header], delimiter=delimiter), [])]
        missing = [" or ".join(r) if isinstance(r, tuple) else r for r in required
                   if not set(r if isinstance(r, tuple) else (r,)) & set(columns)]
        if missing:
            raise not_format(path, name, expected, f"no column {', '.join(missing)}")
        for line, cells, error in _records(lines, delimiter, len(columns), limit):
            if error is None and not any(c.strip() for c in cells):
                continue
            row = dict(zip(columns, cells, strict=False))
            if len(cells) > len(columns) and error:  # kept for the quarantine, named by position
                row |= {f"(cell {n})": cell for n, cell in enumerate(cells[len(columns):], len(columns) + 1)}
            ident = next((row[k].strip() for k in key if (row.get(k) or "").strip() not in MISSING), None)
            if ident is None and error is None and key:
                error = ReadError("record has no id", f"line {line}: no value in column {' or '.join(key)}")
            yield SourceItem(f"{path}#{ident or f'row-{line}'}", row, line, error)


def _decoded(handle: TextIO, refuse: Callable[[str], SourceFormatError]) -> Iterator[str]:
    """The lines of a file opened with ``errors="surrogateescape"``, refusing the first one that is not
    UTF-8 (by its number: a decoder error would only name a position in a block of the file)."""
    for number, text in enumerate(handle, start=1):
        bad = _UNDECODED.search(text)
        if bad:
            raise refuse(f"line {number}: not UTF-8 text (byte 0x{ord(bad.group()) - 0xDC00:02x}); "
                         "save it as UTF-8")
        yield text


#: What ``surrogateescape`` decodes a byte that is not UTF-8 to.
_UNDECODED = re.compile("[\udc80-\udcff]")


def _records(lines: Iterator[str], delimiter: str, width: int, limit: int
             ) -> Iterator[tuple[int, list[str], ReadError | None]]:
    """Every record of a table's body: the line it starts on, its cells, and what is wrong with it.

    A record is wrong when it has a value longer than ``limit`` or another number of (non-empty) cells
    than the header's ``width``. A wrong record that spans several lines is what a quote that is never
    closed does: it swallows the lines after it. So reading goes on from its second line, and every
    line is read as a record or kept in one that is quarantined.
    """
    replay: deque[str] = deque()
    taken: list[str] = []

    def feed() -> Iterator[str]:
        while (text := replay.popleft() if replay else next(lines, None)) is not None:
            taken.append(text)
            yield text

    reader = csv.reader(feed(), delimiter=delimiter)
    line = 2
    while True:
        taken.clear()
        error: ReadError | None = None
        try:
            cells = next(reader, None)
        except csv.Error:
            cells = []
            error = ReadError("value too large", f"line {line}: a value longer than {limit:,} characters "
                              f"(max_field_size), in the row that starts {taken[0][:60]!r}")
        if cells is None:
            return
        if error is None and any(c.strip() for c in cells) and (
                len(cells) < width or any(c.strip() for c in cells[width:])):
            error = ReadError("row does not fit the header",
                              f"line {line}: {len(cells)} cells where the header has {width}")
        if error is not None and len(taken) > 1:
            yield line, cells, ReadError(
                "quote never closed", f"{str(error).partition(': ')[2]}; a quoted value runs from line "
                f"{line} to line {line + len(taken) - 1}, read again from line {line + 1}")
            replay.extendleft(reversed(taken[1:]))
            reader = csv.reader(feed(), delimiter=delimiter)
            line += 1
        else:
            yield line, cells, error
            line += len(taken)


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

"""The profiles a provider's metadata is checked against, each with its own levels.

- **Bioschemas** profiles (``shapes/profiles/*.ttl``, one SHACL node shape each): a property's level
  is its severity: minimum (``sh:Violation``), recommended (``sh:Warning``), optional (``sh:Info``).
- **DCAT-AP 3.0.1**, the official shapes (``shapes/dcat-ap-3.0.1/``): mandatory (``shapes.ttl`` and
  ``range.ttl``) and recommended (``shapes_recommended.ttl``).
- **lifecat**'s own shapes (``shapes/*.ttl``): what lifecat would refuse (quarantine), and the
  warnings and notes a loaded record carries.

All run on lifecat's compiled SHACL (:mod:`lifecat.graph.shacl`), which gives pyshacl's results.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from importlib.resources import files
from pathlib import Path

import rdflib
from pyoxigraph import NamedNode
from rdflib.namespace import OWL, RDFS
from rdflib.namespace import RDF as RDFLIB_RDF
from rdflib.namespace import SH as RDFLIB_SH

from lifecat.core.vocab import DCAT
from lifecat.graph.shacl import CompiledShapes, load_shapes, shape_files

VIOLATION, WARNING, INFO = (f"http://www.w3.org/ns/shacl#{s}" for s in ("Violation", "Warning", "Info"))
BIOSCHEMAS_LEVELS = {VIOLATION: "minimum", WARNING: "recommended", INFO: "optional"}
LIFECAT_LEVELS = {VIOLATION: "refused", WARNING: "warning", INFO: "note"}
#: A Bioschemas profile IRI as markup declares it: name and version, with or without a trailing slash.
PROFILE_IRI = re.compile(r"https?://bioschemas\.org/profiles/(?P<name>[^/]+)(?:/(?P<version>[^/]+))?/?")
#: Classes whose nodes make a document DCAT metadata, for which DCAT-AP applies.
DCAT_CLASSES = frozenset(DCAT[c] for c in ("Catalog", "Dataset", "Distribution", "DataService",
                                           "DatasetSeries", "CatalogRecord"))
DCAT_AP = "dcat-ap-3.0.1"


@dataclass(frozen=True, eq=False)
class Part:
    """Shapes of a profile run together, and the level each severity of theirs is reported at."""

    paths: tuple[Path, ...]
    levels: dict[str, str]

    @property
    def graph(self) -> rdflib.Graph:
        return _graph(self.paths)

    @property
    def compiled(self) -> CompiledShapes:
        return _compiled(self.paths)


@dataclass(frozen=True, eq=False)
class Profile:
    """A specification records are checked against: Bioschemas' profiles, DCAT-AP, lifecat's own."""

    key: str
    title: str
    family: str
    parts: tuple[Part, ...]
    iri: str | None = None
    version: str | None = None
    #: The classes whose nodes the profile describes (Bioschemas: one).
    targets: tuple[NamedNode, ...] = field(default=())

    @property
    def levels(self) -> list[str]:
        """The profile's levels, strictest first."""
        return list(dict.fromkeys(level for part in self.parts for level in part.levels.values()))

    def properties(self, level: str) -> list[str]:
        """The properties the profile expects at ``level`` (its ``sh:minCount`` paths)."""
        out = []
        for part in self.parts:
            graph = part.graph
            for shape in graph.subjects(RDFLIB_SH.minCount, None):
                severity = str(graph.value(shape, RDFLIB_SH.severity) or VIOLATION)
                path = graph.value(shape, RDFLIB_SH.path)
                if part.levels.get(severity) == level and isinstance(path, rdflib.URIRef):
                    out.append(str(path))
        return sorted(set(out))


def shapes_folder(name: str) -> Path:
    return Path(str(files("lifecat.shapes"))) / name


@cache
def profiles() -> dict[str, Profile]:
    """Every profile, by key: the Bioschemas profiles by name, ``dcat-ap-3.0.1`` and ``lifecat``."""
    found: dict[str, Profile] = {}
    for path in sorted(shapes_folder("profiles").glob("*.ttl")):
        graph = _graph((path,))
        shape = next(graph.subjects(RDFLIB_RDF.type, RDFLIB_SH.NodeShape))
        key = str(graph.value(shape, RDFS.label))
        found[key] = Profile(
            key=key, title=str(graph.value(shape, RDFLIB_SH.name)), family="bioschemas",
            parts=(Part((path,), BIOSCHEMAS_LEVELS),), iri=str(graph.value(shape, RDFS.isDefinedBy)),
            version=str(graph.value(shape, OWL.versionInfo)),
            targets=tuple(NamedNode(str(t)) for t in graph.objects(shape, RDFLIB_SH.targetClass)))
    dcat_ap = shapes_folder(DCAT_AP)
    found[DCAT_AP] = Profile(
        key=DCAT_AP, title="DCAT-AP 3.0.1", family="dcat-ap", version="3.0.1",
        iri="https://semiceu.github.io/DCAT-AP/releases/3.0.1/",
        parts=(Part((dcat_ap / "shapes.ttl", dcat_ap / "range.ttl"),
                    {VIOLATION: "mandatory", WARNING: "mandatory", INFO: "mandatory"}),
               Part((dcat_ap / "shapes_recommended.ttl",),
                    {VIOLATION: "recommended", WARNING: "recommended", INFO: "recommended"})),
        targets=tuple(sorted(DCAT_CLASSES, key=str)))
    found["lifecat"] = Profile(key="lifecat", title="lifecat", family="lifecat",
                               parts=(Part(tuple(shape_files()), LIFECAT_LEVELS),))
    return found


def declared(iri: str) -> tuple[Profile | None, str | None]:
    """The Bioschemas profile a ``dct:conformsTo`` IRI names, and a note when lifecat checks another
    version of it than the one declared.

    >>> profile, note = declared("https://bioschemas.org/profiles/ComputationalTool/1.0-RELEASE")
    >>> profile.key, note
    ('ComputationalTool', None)
    >>> declared("https://example.org/profile")
    (None, None)
    """
    match = PROFILE_IRI.fullmatch(iri.strip())
    if not match:
        return None, None
    profile = next((p for p in profiles().values() if p.family == "bioschemas"
                    and p.key.casefold() == match["name"].casefold()), None)
    if profile is None:
        return None, f"lifecat has no shapes for the Bioschemas profile {match['name']}"
    if match["version"] and match["version"] != profile.version:
        return profile, (f"declares {match['name']} {match['version']}; checked against {profile.version}, "
                         "the version lifecat has")
    return profile, None


def by_type(types: set[NamedNode]) -> list[Profile]:
    """The Bioschemas profiles a node's types imply."""
    return [p for p in profiles().values() if p.family == "bioschemas" and types & set(p.targets)]


class UnknownProfile(ValueError):
    """A profile name lifecat has no shapes for; the message lists those it has."""


def find(name: str) -> Profile:
    """The profile named ``name`` (its key, any case; ``dcat-ap`` for DCAT-AP 3.0.1).

    :raises UnknownProfile: naming the profiles there are.
    """
    wanted = {"dcat-ap": DCAT_AP}.get(name.casefold(), name).casefold()
    for key, profile in profiles().items():
        if key.casefold() == wanted:
            return profile
    known = ", ".join(sorted(profiles(), key=str.casefold))
    raise UnknownProfile(f"no profile {name!r}; lifecat has: {known}")


@cache
def _graph(paths: tuple[Path, ...]) -> rdflib.Graph:
    return load_shapes(list(paths))


@cache
def _compiled(paths: tuple[Path, ...]) -> CompiledShapes:
    return CompiledShapes(_graph(paths))

"""Strong identifiers, normalised once so that every source mints the same URI for the same thing.

Each function takes what a publisher wrote (a bare id, a CURIE or a resolver URL) and returns the
canonical form, or ``None`` when the text is not such an identifier.

>>> doi("https://doi.org/10.1093/NAR/gkab1066")
'10.1093/nar/gkab1066'
>>> orcid("http://orcid.org/0000-0002-6982-4660")
'0000-0002-6982-4660'
>>> ror("https://ror.org/02catss52")
'02catss52'
>>> pubmed("PMID:31665441")
'31665441'
>>> doi("not a doi") is None
True
"""

from __future__ import annotations

import re

_DOI = re.compile(r"(10\.\d{4,9}/\S+)", re.IGNORECASE)
_ORCID = re.compile(r"(\d{4}-\d{4}-\d{4}-\d{3}[\dX])", re.IGNORECASE)
_ROR = re.compile(r"^(?:https?://ror\.org/|ror:)?(0[a-hj-km-np-tv-z0-9]{6}\d{2})$", re.IGNORECASE)
_PUBMED = re.compile(r"^(?:pmid:|pubmed:|https?://pubmed\.ncbi\.nlm\.nih\.gov/)?(\d{1,9})/?$", re.I)


def doi(text: str | None) -> str | None:
    """The DOI in ``text``, lower-cased (DOIs are case-insensitive)."""
    if not text:
        return None
    match = _DOI.search(text.strip())
    return match.group(1).rstrip(".,;").lower() if match else None


def orcid(text: str | None) -> str | None:
    """The ORCID iD in ``text`` if its check digit is right."""
    if not text:
        return None
    match = _ORCID.search(text.strip())
    if not match:
        return None
    value = match.group(1).upper()
    digits = value.replace("-", "")
    total = 0
    for char in digits[:-1]:
        total = (total + int(char)) * 2
    check = (12 - total % 11) % 11
    return value if digits[-1] == ("X" if check == 10 else str(check)) else None


def ror(text: str | None) -> str | None:
    """The ROR id in ``text`` (a bare id, ``ror:`` CURIE or ``https://ror.org/`` URL)."""
    if not text:
        return None
    match = _ROR.match(text.strip())
    return match.group(1).lower() if match else None


def pubmed(text: str | int | None) -> str | None:
    """The PubMed id in ``text``."""
    if text is None or text == "":
        return None
    match = _PUBMED.match(str(text).strip())
    return match.group(1) if match else None

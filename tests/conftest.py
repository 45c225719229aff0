"""Shared fixtures: one real store built from the embedded default, the real app, a live server.

The store fixtures are parametrised by backend (``tests/utils/stores.py``): every test that uses them
runs on the embedded store and on each remote store ``LIFECAT_TEST_STORES`` names.
"""

from __future__ import annotations

import json
import os
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, ExitStack, contextmanager
from pathlib import Path

import httpx
import pytest
import uvicorn
from fastapi import FastAPI
from fastapi.testclient import TestClient

from lifecat.core.config import Settings, SourceConfig
from lifecat.endpoint.app import create_app
from lifecat.graph.build import SourceReport, build
from tests.utils.stores import chosen_backends, free_port, store_settings, unavailable

BASE = "http://lifecat.test/"


@pytest.fixture(scope="session")
def samples() -> Path:
    """The shared real samples (``LIFECAT_SAMPLES``); tests using them skip where it is unset."""
    value = os.environ.get("LIFECAT_SAMPLES")
    if not value:
        pytest.skip("LIFECAT_SAMPLES is not set: point it at the shared samples (../shared/data)")
    path = Path(value)
    if not path.is_dir():
        pytest.skip(f"LIFECAT_SAMPLES={value} is not a folder")
    return path


@pytest.fixture(scope="session", params=chosen_backends())
def backend(request: pytest.FixtureRequest) -> str:
    """The kind of store a test runs on; one that cannot run here fails the test with the reason."""
    reason = unavailable(request.param)
    if reason:
        pytest.fail(f"cannot test on {request.param}: {reason}")
    return request.param


@pytest.fixture
def new_store(backend: str, tmp_path: Path) -> Iterator[Callable[..., Settings]]:
    """Makes settings for a new, empty store of the test's backend: ``new_store(**settings)``."""
    with ExitStack() as stack:
        count = iter(range(1_000))
        yield lambda **values: store_settings(backend, tmp_path / f"store-{next(count)}", stack, **values)


@pytest.fixture(scope="session")
def default_build(backend: str, tmp_path_factory: pytest.TempPathFactory
                  ) -> Iterator[tuple[Settings, list[SourceReport]]]:
    """The embedded default (Bioregistry from the installed package), built once per backend."""
    with ExitStack() as stack:
        settings = store_settings(backend, tmp_path_factory.mktemp(f"default-{backend}"), stack, base=BASE)
        reports = build(settings, progress=False, log=lambda _: None)
        yield settings, reports


@pytest.fixture(scope="session")
def settings(default_build: tuple[Settings, list[SourceReport]]) -> Settings:
    return default_build[0]


@pytest.fixture(scope="session")
def client(settings: Settings) -> Iterator[TestClient]:
    """The real app over the default store, called in-process."""
    with TestClient(create_app(settings)) as test_client:
        yield test_client


@contextmanager
def serving(app: FastAPI) -> Iterator[str]:
    """Serve ``app`` with uvicorn on 127.0.0.1 (a free port) while the block runs; yields its URL."""
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            httpx.get(f"{url}/health", timeout=1)
            break
        except httpx.HTTPError:
            time.sleep(0.1)
    else:
        raise RuntimeError("the live server did not start")
    try:
        yield url
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@pytest.fixture(scope="session")
def serve() -> Callable[[FastAPI], AbstractContextManager[str]]:
    """Serve another app (other settings or store) on a socket: ``with serve(app) as url: ...``."""
    return serving


@pytest.fixture(scope="session")
def live_server(settings: Settings) -> Iterator[str]:
    """The real app served by uvicorn on 127.0.0.1, for clients that need a socket."""
    with serving(create_app(settings)) as url:
        yield url


@pytest.fixture(scope="session")
def tiny_resource() -> Callable[..., dict[str, object]]:
    """Makes a Bioregistry resource that passes lifecat's shapes: ``tiny_resource(name, **fields)``."""

    def make(name: str, **fields: object) -> dict[str, object]:
        return {"name": name, "description": f"{name}, a small test resource.",
                "homepage": f"https://example.org/{name.lower().replace(' ', '-')}",
                "license": "CC-BY-4.0", "keywords": ["test"], **fields}

    return make


@pytest.fixture
def build_tiny(tmp_path: Path, new_store: Callable[..., Settings]) -> Callable[..., Settings]:
    """Build small Bioregistry sources into one new store of the test's backend, as often as a test
    needs.

    Call it with ``{source name: {prefix: resource}}``; every call rebuilds those sources into the
    same store (so a test can change a record and rebuild) and returns the store's settings.
    """
    store = new_store(base=BASE)

    def run(sources: dict[str, dict[str, dict[str, object]]]) -> Settings:
        configs = []
        for name, resources in sources.items():
            folder = tmp_path / "sources" / name
            folder.mkdir(parents=True, exist_ok=True)
            (folder / "bioregistry.json").write_text(json.dumps(resources), encoding="utf-8")
            configs.append(SourceConfig(format="bioregistry", path=str(folder), name=name))
        settings = store.model_copy(update={"sources": configs})
        build(settings, progress=False, log=lambda _: None)
        return settings

    return run

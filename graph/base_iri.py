"""Which base IRI a store is built and served under, checked against the base the store records.

Every IRI lifecat mints starts with the base, and every build records it in the store's generation
marker (:meth:`~lifecat.graph.store.Store.built`), so the base is part of the store:

- a configured base (``LIFECAT_BASE``, ``lifecat.toml`` or ``--base``) must be the store's: serving
  or querying the store under another is refused (:class:`BaseMismatch`), as every record page, link
  and private graph would be missed; a build under another base must rebuild every configured source,
  and then replaces the whole store (the store never holds two bases);
- without a configured base, the store's recorded base is used; an empty store is built under the
  address ``lifecat serve`` listens at, or under the default base by ``lifecat build``.

A store built before lifecat recorded its base has its base read off its meta graph's IRI
(``{base}graph/meta``, which the marker is stated about); its next build records it.
"""

from __future__ import annotations

from dataclasses import dataclass

from lifecat.core.config import WILDCARD_HOSTS, Settings, address_base
from lifecat.graph.store import Built, Store


class BaseMismatch(ValueError):
    """The configured base is not the one the store was built under; the message says how to fix it."""


@dataclass(frozen=True)
class Chosen:
    """The settings to use a store with (their base the one it is used under) and what to tell the user."""

    settings: Settings
    notes: list[str]


def for_serving(settings: Settings, store: Store, host: str, port: int) -> Chosen:
    """The base ``lifecat serve --host host --port port`` serves ``store`` under.

    :raises BaseMismatch: if the configured base is not the store's.
    :raises StoreUnavailable: if a remote store cannot be read.
    """
    address = address_base(host, port)
    state = _state(settings, store, "serve")
    if settings.base_configured:
        return Chosen(settings, [f"Serving under the base IRI {settings.base} (configured)."])
    if state is None:
        stands = f" (localhost stands for {host}, every interface)" if host in WILDCARD_HOSTS else ""
        return Chosen(_based(settings, address), [
            f"Building under the base IRI {address}, the address served at{stands}; "
            "set LIFECAT_BASE or --base to choose another."])
    notes = [f"Serving under the base IRI {state.base}, the one the store was built under{_how(state)}."]
    if state.base != address:
        notes.append(f"Its links point there, not at {address}: to serve it here, rebuild it with "
                     f"`lifecat build --base {address}`.")
    return Chosen(_based(settings, state.base), notes)


def for_building(settings: Settings, store: Store, *, every_source: bool) -> Chosen:
    """The base ``lifecat build`` builds ``store`` under; ``every_source`` says the build rebuilds every
    configured source (no ``--source``), which alone may move the store to another base.

    :raises BaseMismatch: if a partial build names another base than the store's.
    :raises StoreUnavailable: if a remote store cannot be read.
    """
    state = _state(settings, store, "build", allow=every_source)
    if state is not None and settings.base_configured and state.base != settings.base:
        return Chosen(settings, [f"Building under the base IRI {settings.base} (configured): the store was "
                                 f"built under {state.base}, so every graph of it is replaced."])
    if settings.base_configured:
        return Chosen(settings, [f"Building under the base IRI {settings.base} (configured)."])
    if state is not None:
        return Chosen(_based(settings, state.base), [
            f"Building under the base IRI {state.base}, the one the store was built under{_how(state)}."])
    return Chosen(settings, [f"Building under the base IRI {settings.base} (the default); set LIFECAT_BASE "
                             "or --base to choose another."])


def for_reading(settings: Settings, store: Store) -> Settings:
    """The settings to query ``store`` with: under its recorded base, unless one is configured.

    :raises BaseMismatch: if the configured base is not the store's.
    :raises StoreUnavailable: if a remote store cannot be read.
    """
    state = _state(settings, store, "query")
    return settings if settings.base_configured or state is None else _based(settings, state.base)


def _state(settings: Settings, store: Store, command: str, *, allow: bool = False) -> Built | None:
    """The store's one state (``None``: nothing built), checked against a configured base unless
    ``allow``."""
    states = store.built()
    if settings.base_configured and any(s.base == settings.base for s in states):
        return next(s for s in states if s.base == settings.base)
    if len(states) > 1:
        bases = ", ".join(s.base for s in states)
        raise BaseMismatch(f"the store {settings.store} holds states built under several base IRIs "
                           f"({bases}): {command} one of them with --base (or LIFECAT_BASE), or rebuild "
                           "the store with `lifecat build --base <base>`")
    state = states[0] if states else None
    if state is not None and settings.base_configured and not allow:
        fix = (f"rebuild every source under the new base with `lifecat build --base {settings.base}` "
               "(no --source)" if command == "build"
               else f"rebuild it under the new base with `lifecat build --base {settings.base}`")
        raise BaseMismatch(f"the store {settings.store} was built under the base IRI {state.base}, not "
                           f"{settings.base}: {command} it with --base {state.base} (or "
                           f"LIFECAT_BASE={state.base}, or no base set), or {fix}")
    return state


def _how(state: Built) -> str:
    return "" if state.recorded else (" (read off its meta graph: built by a lifecat that did not record "
                                      "its base; the next build records it)")


def _based(settings: Settings, base: str) -> Settings:
    return settings.model_copy(update={"base": base})

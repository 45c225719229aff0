"""The ``lifecat`` command: build, serve, query and validate the graph."""

from __future__ import annotations

import json
import sys
from typing import TYPE_CHECKING, Any

import click

from lifecat.core.config import Settings

if TYPE_CHECKING:
    from lifecat.graph.quarantine import QuarantinedRecord


def _settings(ctx: click.Context, **overrides: Any) -> Settings:
    values = {k: v for k, v in {**ctx.obj, **overrides}.items() if v is not None}
    try:
        return Settings(**values)
    except ValueError as error:
        raise click.UsageError(f"invalid configuration: {error}") from None


def _sources(values: tuple[str, ...]) -> list[Any] | None:
    from lifecat.graph.sources import parse_source

    return [parse_source(v) for v in values] or None


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--store", help="Store folder, or a remote SPARQL store's query URL [LIFECAT_STORE].")
@click.option("--base", help="Base IRI for records, recorded in the store by each build [LIFECAT_BASE; "
              "default: the store's, else for serve the address it serves at].")
@click.version_option(package_name="lifecat")
@click.pass_context
def main(ctx: click.Context, store: str | None, base: str | None) -> None:
    """lifecat: a FAIR knowledge graph of life-science resource metadata.

    Settings come from LIFECAT_* environment variables over ./lifecat.toml; options override both.
    """
    ctx.obj = {"store": store, "base": base}


source_option = click.option(
    "--source", "sources", multiple=True, metavar="FORMAT:PATH",
    help="A source to build (repeatable); PATH is a file, folder or glob. "
    "Default: the configured sources, else the embedded Bioregistry.",
)


@main.command()
@source_option
@click.option("--quiet", is_flag=True, help="No progress bars.")
@click.option("--allow-empty", is_flag=True,
              help="Let a source that loads no record empty its graph in the store (else the build stops).")
@click.pass_context
def build(ctx: click.Context, sources: tuple[str, ...], quiet: bool, allow_empty: bool) -> None:
    """Map, validate and load sources into a new store generation, then swap it in."""
    from lifecat.graph import base_iri
    from lifecat.graph.build import BuildError
    from lifecat.graph.build import build as run_build
    from lifecat.graph.store import Store, StoreUnavailable

    settings = _settings(ctx)
    store = Store.open(settings)
    try:
        store.check(write=False)  # reachable, to read its base (the build checks writing)
        chosen = base_iri.for_building(settings, store, every_source=not sources)
    except StoreUnavailable as error:
        raise click.ClickException(f"build failed, the store is unchanged: {error}") from None
    except base_iri.BaseMismatch as error:
        raise click.ClickException(f"build refused, the store is unchanged: {error}") from None
    for note in chosen.notes:
        click.echo(note)
    try:
        run_build(chosen.settings, _sources(sources), progress=not quiet, log=click.echo,
                  allow_empty=allow_empty)
    except BuildError as error:
        raise click.ClickException(f"build failed, the store is unchanged: {error}") from None


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to bind.")
@click.option("--port", default=8000, show_default=True, type=int, help="Port to listen on.")
@click.option("--workers", default=2, show_default=True, type=click.IntRange(min=1),
              help="Server processes sharing the port (two or more: one answers while another is "
              "replaced).")
@click.option("--query-workers", type=click.IntRange(min=1),
              help="Queries one server process runs at once, in threads or worker processes "
              "[LIFECAT_QUERY_WORKERS].")
@click.option("--query-mode", type=click.Choice(["inline", "workers"]),
              help="Run queries in the server processes' threads (fastest; an overrunning query makes "
              "its process be replaced) or in separate killable worker processes [LIFECAT_QUERY_MODE; "
              "default for serve: inline].")
@click.option("--access-log/--no-access-log", default=True, show_default=True,
              help="Log every request (costs some throughput).")
@click.option("--cpu-affinity/--no-cpu-affinity", default=True, show_default=True,
              help="Keep each server process on one CPU when there are at least as many processes as "
              "CPUs (faster hand-offs to query threads; turn off on a machine busy with other work).")
@click.pass_context
def serve(ctx: click.Context, host: str, port: int, workers: int, query_workers: int | None,
          query_mode: str | None, access_log: bool, cpu_affinity: bool) -> None:
    """Serve the graph over HTTP; on first start, build the configured sources."""
    from lifecat.endpoint import serve as serving
    from lifecat.graph import base_iri
    from lifecat.graph.build import BuildError
    from lifecat.graph.build import build as run_build
    from lifecat.graph.store import Store, StoreUnavailable

    settings = _settings(ctx, query_workers=query_workers, query_mode=query_mode)
    if "query_mode" not in settings.model_fields_set:  # not configured: serve's supervisor allows inline
        settings = settings.model_copy(update={"query_mode": "inline"})
    store = Store.open(settings)
    try:
        store.check(write=bool(settings.write_token))
        chosen = base_iri.for_serving(settings, store, host, port)
    except StoreUnavailable as error:
        raise click.ClickException(f"cannot serve {settings.store}: {error}") from None
    except base_iri.BaseMismatch as error:
        raise click.ClickException(str(error)) from None
    settings = chosen.settings
    for note in chosen.notes:
        click.echo(note)
    if not Store.open(settings).exists():
        click.echo(f"No lifecat generation in {settings.store}: building the configured sources first.")
        try:
            run_build(settings, progress=True, log=click.echo)
        except BuildError as error:
            raise click.ClickException(f"build failed: {error}") from None
    click.echo(f"lifecat serving {settings.store} at http://{host}:{port}/ "
               f"({workers} server process{'es' if workers > 1 else ''}, "
               f"{settings.query_workers} {settings.query_mode} queries at once in each)")
    serving.run(settings, host=host, port=port, workers=workers, access_log=access_log,
                cpu_affinity=cpu_affinity)


@main.command()
@click.argument("sparql")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table",
              show_default=True, help="Output format for SELECT and ASK.")
@click.pass_context
def query(ctx: click.Context, sparql: str, fmt: str) -> None:
    """Run a SPARQL query (use - to read it from standard input) over the public graphs."""
    from lifecat.graph import base_iri
    from lifecat.graph.store import PrivateGraphError, QueryError, Store, StoreUnavailable

    settings = _settings(ctx)
    if sparql == "-":
        sparql = sys.stdin.read()
    try:
        result = Store.open(base_iri.for_reading(settings, Store.open(settings))).query(sparql)
    except (QueryError, LookupError, PrivateGraphError, StoreUnavailable, base_iri.BaseMismatch) as error:
        raise click.ClickException(str(error)) from None
    if result.kind == "graph":
        click.echo(result.serialize("text/turtle").decode(), nl=False)
        return
    if fmt == "json":
        click.echo(result.serialize("application/sparql-results+json").decode())
    elif fmt == "csv":
        click.echo(result.serialize("text/csv").decode(), nl=False)
    elif result.kind == "boolean":
        click.echo("true" if result.boolean else "false")
    else:
        _table(result.variables, result.rows)


def _table(variables: list[str], rows: list[list[str]]) -> None:
    widths = [max([len(v), *(len(r[i]) for r in rows)]) for i, v in enumerate(variables)]
    line = "  ".join(v.ljust(w) for v, w in zip(variables, widths, strict=True))
    click.echo(line)
    click.echo("  ".join("-" * w for w in widths))
    for row in rows:
        click.echo("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)))
    click.echo(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")


@main.command()
@source_option
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@click.pass_context
def validate(ctx: click.Context, sources: tuple[str, ...], as_json: bool) -> None:
    """Validate sources against the shapes without loading them; report per shape."""
    from lifecat.graph.build import BuildError
    from lifecat.graph.build import validate as run_validate

    settings = _settings(ctx)
    try:
        staged = run_validate(settings, _sources(sources), progress=not as_json)
    except BuildError as error:
        raise click.ClickException(str(error)) from None
    out = [{
        "source": run.report.name, "read": run.report.read, "valid": run.report.loaded,
        "invalid": run.report.quarantined,
        "results": [{"severity": severity, "rule": rule, "records": n}
                    for (severity, rule), n in run.rules.most_common()],
        "invalid_records": [{"key": key, "reasons": reasons} for key, reasons in run.failures],
    } for run in staged]
    if as_json:
        click.echo(json.dumps(out, indent=2))
        return
    for entry in out:
        click.echo(f"{entry['source']}: read {entry['read']}, valid {entry['valid']}, "
                   f"invalid {entry['invalid']}")
        for r in entry["results"]:
            click.echo(f"  {r['severity']:<9} {r['records']:>6} records  {r['rule']}")
        for failed in entry["invalid_records"]:
            click.echo(f"  invalid {failed['key']}: {'; '.join(failed['reasons'])}")


@main.command()
@click.argument("source", required=False)
@click.argument("key", required=False)
@click.option("--source", "only", metavar="NAME", help="List only this source's records.")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@click.pass_context
def quarantine(ctx: click.Context, source: str | None, key: str | None, only: str | None,
               as_json: bool) -> None:
    """List the records the build kept out of each source, and why; SOURCE KEY shows one record's
    input as read and its validation report."""
    from dataclasses import asdict

    from lifecat.graph import base_iri
    from lifecat.graph import quarantine as kept
    from lifecat.graph.store import Store, StoreMissingError, StoreUnavailable

    if only and source and only != source:
        raise click.UsageError(f"two sources named: {source} and --source {only}")
    settings = _settings(ctx)
    try:
        store = Store.open(base_iri.for_reading(settings, Store.open(settings)))
        if source is not None and key is not None:
            found = kept.record(store, source, key)
            click.echo(json.dumps(asdict(found), indent=2) if as_json else _kept_record(found))
            return
        counts = kept.counts(store, only or source)
        records = kept.listing(store, only or source)
    except (kept.QuarantineNotFound, StoreMissingError, StoreUnavailable, base_iri.BaseMismatch) as error:
        raise click.ClickException(str(error)) from None
    listed = [{"source": name, "quarantined": n,
               "records": [{"key": r.key, "record": r.record, "reasons": r.reasons}
                           for r in records if r.source == name]} for name, n in counts.items()]
    if as_json:
        click.echo(json.dumps(listed, indent=2))
        return
    if not listed:
        click.echo("No record is quarantined.")
    for entry in listed:
        click.echo(f"{entry['source']}: {entry['quarantined']} quarantined")
        for r in entry["records"]:
            click.echo(f"  {r['key']}: {'; '.join(r['reasons']) or '(no violation recorded)'}")


def _kept_record(found: QuarantinedRecord) -> str:
    """A quarantined record as text: where it came from, its input as read, its report."""
    lines = [f"{found.source} {found.key}", f"  read from: {found.locator or '(unknown)'}",
             f"  record IRI: {found.record or '(none: it could not be mapped)'}", "", "Input as read:"]
    lines += ["  " + line for line in (json.dumps(found.original, indent=2, ensure_ascii=False)
                                       if found.original is not None else "(not kept)").splitlines()]
    lines += ["", f"Report ({len(found.results)} result{'s' if len(found.results) != 1 else ''}):"]
    for f in found.results:
        lines.append(f"  {f.severity:<9} {f.path or '-'}: {f.message}"
                     + (f" (value: {f.value})" if f.value is not None else ""))
    return "\n".join(lines)


@main.command()
@click.argument("targets", nargs=-1, metavar="FILE|FOLDER|URL...")
@click.option("--profile", "chosen", multiple=True, metavar="NAME",
              help="Check against this profile (repeatable): a Bioschemas profile (ComputationalTool, "
              "Dataset, …), dcat-ap or lifecat. Default: the profile each record declares or its type "
              "implies, DCAT-AP where there is DCAT, and lifecat's own.")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "turtle"]), default="text",
              show_default=True, help="Report format; turtle is a SHACL validation report.")
@click.option("--fail-on", type=click.Choice(["violation", "warning"]), default="violation",
              show_default=True,
              help="Exit 1 on findings of this severity or stricter (violation: a profile's minimum or "
              "mandatory level, or what lifecat would refuse).")
@click.option("--max-pages", type=click.IntRange(min=1), default=1000, show_default=True,
              help="Pages checked from a sitemap.")
@click.option("--profiles", "list_profiles", is_flag=True,
              help="List the profiles and their levels, then exit.")
def check(targets: tuple[str, ...], chosen: tuple[str, ...], fmt: str, fail_on: str, max_pages: int,
          list_profiles: bool) -> None:
    """Check metadata before publishing it: Bioschemas markup (JSON-LD, RDFa, microdata in pages, or
    JSON-LD files) and DCAT-AP metadata (Turtle, RDF/XML, N-Triples, JSON-LD), from files, folders,
    URLs or sitemaps. Exits 0 when nothing fails, 1 otherwise."""
    from lifecat.core.version import __version__
    from lifecat.graph import check_report
    from lifecat.graph.check import check as run_check
    from lifecat.graph.check_inputs import gather
    from lifecat.graph.fetch import Policy
    from lifecat.graph.profiles import UnknownProfile, find, profiles

    if list_profiles:
        for profile in profiles().values():
            click.echo(f"{profile.key:<20} {profile.title} — levels: {', '.join(profile.levels)}")
        return
    if not targets:
        raise click.UsageError("give a file, folder, URL or sitemap to check")
    try:
        selected = [find(name) for name in chosen] or None
    except UnknownProfile as error:
        raise click.UsageError(str(error)) from None
    policy = Policy(allow_private=True, max_bytes=100_000_000, timeout=60.0,
                    user_agent=f"lifecat/{__version__} (check)")
    inputs = gather(list(targets), policy, max_pages=max_pages)
    report = run_check(inputs.documents, selected)
    report.errors[:0] = inputs.errors
    report.notes[:0] = inputs.notes
    click.echo(check_report.FORMATS[fmt](report), nl=False)
    severities = ["violation", "warning"] if fail_on == "warning" else ["violation"]
    sys.exit(1 if report.failed(severities) else 0)


@main.command()
def formats() -> None:
    """List the source formats lifecat can read."""
    from lifecat.mappings import FORMATS

    for name, fmt in sorted(FORMATS.items()):
        click.echo(f"{name:<14} {fmt.summary}")

"""The ``kennisgraaf`` command: build, validate, export, stats, query (and serve).

Exit codes: 0 success (warnings allowed), 1 invalid content (shape violations, quotes not in
their source), 2 unusable input (unparsable Turtle, missing files, bad options).
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from kennisgraaf.build.export import EXPORT_FORMATS, export
from kennisgraaf.build.pipeline import BuildError, Progress, load_or_build, validate_files, validate_root
from kennisgraaf.config import Settings, SettingsError, load_settings
from kennisgraaf.site.cannedresults import run_canned
from kennisgraaf.site.stats import dataset_stats
from kennisgraaf.sparql.catalogue import ParameterError, UnknownQuery
from kennisgraaf.sparql.local import QueryFailed, run_local_query
from kennisgraaf.sparql.queryfiles import load_catalogue
from kennisgraaf.vocab import UriStrategy


class UsageProblem(click.ClickException):
    """A user error with our exit code for unusable input."""

    exit_code = 2


class InvalidContent(click.ClickException):
    """Content that violates the rules (shapes, quotes)."""

    exit_code = 1


def _settings(ctx: click.Context) -> Settings:
    return ctx.obj["settings"]


def _warn_userinfo(url: str | None, option: str) -> None:
    """A password in a URL on the command line is visible to every user of the machine (ps): say so."""
    if url and "@" in url.split("//", 1)[-1].split("/", 1)[0]:
        click.echo(f"warning: {option} holds credentials, which other users of this machine can see in the process "
                   "list; set them in kennisgraaf.toml or KENNISGRAAF_STORE_USER / _PASSWORD instead "
                   "(docs/stores.md)", err=True)


def _built(ctx: click.Context):
    try:
        return load_or_build(_settings(ctx))
    except BuildError as exc:
        _fail(exc)


def _fail(exc: BuildError) -> None:
    if exc.report is not None:
        click.echo(exc.report.to_text(), err=True)
    raise (InvalidContent if exc.exit_code == 1 else UsageProblem)(str(exc))


@click.group(context_settings={"help_option_names": ["-h", "--help"]}, invoke_without_command=True)
@click.option("--root", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Working copy with ontology/, data/ and shapes/ (env KENNISGRAAF_ROOT; default: bundled data).")
@click.option("--base-iri", default=None, help="Base IRI of the dataset (env KENNISGRAAF_BASE_IRI).")
@click.option("--cache-dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Cache folder for built datasets (env KENNISGRAAF_CACHE_DIR).")
@click.version_option(package_name="kennisgraaf")
@click.pass_context
def main(ctx: click.Context, root: Path | None, base_iri: str | None, cache_dir: Path | None) -> None:
    """kennisgraaf: a linked-data knowledge graph of who does what in the Dutch sociaal domein.

    Without a command, `kennisgraaf` runs `kennisgraaf serve`.
    """
    try:
        settings = load_settings({"root": str(root) if root else None, "base_iri": base_iri,
                                  "cache_dir": str(cache_dir) if cache_dir else None})
    except SettingsError as exc:
        raise UsageProblem(str(exc)) from None
    if settings.root and not settings.root_path.is_dir():
        raise UsageProblem(f"--root {settings.root}: no such folder")
    ctx.obj = {"settings": settings}
    if ctx.invoked_subcommand is None:  # `kennisgraaf` alone serves, as `datasette` does
        ctx.invoke(serve)


@main.command()
@click.option("--force", is_flag=True, help="Rebuild even when a cached build matches the inputs.")
@click.pass_context
def build(ctx: click.Context, force: bool) -> None:
    """Build the dataset (parse, check quotes, validate, infer) and cache it."""
    try:
        built = load_or_build(_settings(ctx), progress=Progress(), force=force)
    except BuildError as exc:
        _fail(exc)
    click.echo(f"built {sum(built.meta['triples'].values())} quads in {len(built.graph_names)} graphs: {built.path}")


@main.command()
@click.argument("files", nargs=-1, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["text", "turtle", "json"]), default="text",
              help="Report format.")
@click.pass_context
def validate(ctx: click.Context, files: tuple[Path, ...], fmt: str) -> None:
    """Validate the data (or the given Turtle FILES, with the ontology) against the shapes.

    Exit 0 when valid (warnings are shown), 1 on violations, 2 when the input is unusable.
    """
    settings = _settings(ctx)
    try:
        report = validate_files(settings, list(files)) if files else validate_root(settings)
    except BuildError as exc:
        _fail(exc)
    output = {"text": report.to_text, "turtle": report.to_turtle, "json": report.to_json}[fmt]()
    click.echo(output)
    if not report.conforms:
        sys.exit(1)


@main.command("export")
@click.option("--format", "fmt", type=click.Choice(sorted(EXPORT_FORMATS)), default="trig", help="Export format.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write to this file instead of standard output.")
@click.option("--inferred", is_flag=True, help="Add the OWL-RL closure to Turtle/JSON-LD (TriG, N-Quads: always).")
@click.pass_context
def export_command(ctx: click.Context, fmt: str, output: Path | None, inferred: bool) -> None:
    """Export the dataset canonically: same input, same bytes."""
    data = export(_built(ctx), fmt, inferred=inferred)
    if output:
        output.write_bytes(data)
        click.echo(f"wrote {len(data)} bytes to {output}", err=True)
    else:
        sys.stdout.buffer.write(data)


@main.command()
@click.pass_context
def stats(ctx: click.Context) -> None:
    """Show triples per graph and instances per class."""
    click.echo(dataset_stats(_built(ctx)))


@main.command()
@click.argument("sparql", required=False)
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table", help="Result format.")
@click.option("--asserted", is_flag=True, help="Query the asserted facts only (without the OWL-RL closure).")
@click.option("--name", default=None, help="Run the canned query of this name instead (see `kennisgraaf queries`).")
@click.option("--param", "params", multiple=True, metavar="KEY=VALUE", help="A canned query's parameter (repeatable).")
@click.pass_context
def query(ctx: click.Context, sparql: str | None, fmt: str, asserted: bool, name: str | None,
          params: tuple[str, ...]) -> None:
    """Run a SPARQL query (argument, or standard input), or a canned query (--name), over the built dataset."""
    if name is not None:
        _canned(ctx, name, params, fmt, asserted)
        return
    text = sparql if sparql is not None else sys.stdin.read()
    if not text.strip():
        raise UsageProblem("no query given")
    try:
        click.echo(run_local_query(_built(ctx), text, fmt, asserted=asserted), nl=False)
    except QueryFailed as exc:
        raise UsageProblem(str(exc)) from None


def _canned(ctx: click.Context, name: str, params: tuple[str, ...], fmt: str, asserted: bool) -> None:
    given = dict(p.split("=", 1) for p in params if "=" in p)
    if len(given) != len(params):
        raise UsageProblem("--param takes KEY=VALUE, each key once")
    dataset = _built(ctx)
    try:
        click.echo(run_canned(dataset, load_catalogue(UriStrategy(dataset.base)), name, given, fmt,
                              asserted=asserted), nl=False)
    except (UnknownQuery, ParameterError, QueryFailed) as exc:
        raise UsageProblem(str(exc)) from None


@main.command("queries")
@click.pass_context
def queries_command(ctx: click.Context) -> None:
    """List the canned queries: name, parameters (with defaults) and title (nl / en)."""
    for canned in load_catalogue(UriStrategy(_settings(ctx).base_iri)):
        params = ", ".join(f"{p.name}={p.default if p.default is not None else '*'}" for p in canned.parameters)
        click.echo(f"{canned.name}  [{params}]\n    {canned.title['nl']}\n    {canned.title['en']}")


@main.command()
@click.option("--host", default=None,
              help="Interface to listen on (env KENNISGRAAF_HOST). Default 127.0.0.1: only this machine can "
                   "connect, which is safe for trying things out; use 0.0.0.0 to serve the network.")
@click.option("-p", "--port", type=click.IntRange(0, 65535), default=None,
              help="Port (env KENNISGRAAF_PORT, default 8000); 0 picks a free port and prints the bound URL.")
@click.option("--threads", type=click.IntRange(1, 512), default=None,
              help="Request threads of the WSGI server (env KENNISGRAAF_THREADS, default 16); keep it above "
                   "--max-in-flight, so that requests past the cap get 503 rather than wait.")
@click.option("--workers", type=click.IntRange(1, 64), default=None,
              help="Query worker processes of the embedded store (env KENNISGRAAF_WORKERS, default 2).")
@click.option("--timeout", "query_timeout", type=click.FloatRange(0.1, 3600), default=None,
              help="Seconds a query may run (env KENNISGRAAF_QUERY_TIMEOUT, default 10).")
@click.option("--result-limit", type=click.IntRange(1), default=None,
              help="Most result rows or triples per query; more is cut off and signalled "
                   "(env KENNISGRAAF_RESULT_LIMIT, default 50000).")
@click.option("--max-query-bytes", type=click.IntRange(1024), default=None,
              help="Largest query text; larger gets 413 (env KENNISGRAAF_MAX_QUERY_BYTES, default 262144).")
@click.option("--max-in-flight", type=click.IntRange(1), default=None,
              help="Queries running or waiting at once; past it 503 with Retry-After "
                   "(env KENNISGRAAF_MAX_IN_FLIGHT, default 12).")
@click.option("--max-nesting", type=click.IntRange(1, 1000), default=None,
              help="Deepest nesting of { } ( ) [ ] in a query (env KENNISGRAAF_MAX_NESTING, default 64).")
@click.option("--worker-memory-mb", type=click.IntRange(0), default=None,
              help="Address-space limit of each query worker in MB, 0 for none "
                   "(env KENNISGRAAF_WORKER_MEMORY_MB, default 2048).")
@click.option("--store", default=None,
              help="URL of a remote SPARQL 1.1 query endpoint to use instead of the embedded store "
                   "(env KENNISGRAAF_STORE). Give that store its own server-side query time limit.")
@click.option("--base-iri", default=None,
              help="Base IRI of the dataset (as the group option; env KENNISGRAAF_BASE_IRI).")
@click.pass_context
def serve(ctx: click.Context, **options: object) -> None:
    """Serve the dataset: SPARQL endpoint, pages and exports (production WSGI server, waitress).

    This is the default command: `kennisgraaf` alone runs `kennisgraaf serve`.
    """
    from kennisgraaf.web import create_app, server

    settings = _settings(ctx).replace(**options)
    _warn_userinfo(options.get("store"), "--store")  # type: ignore[arg-type]
    ctx.obj["settings"] = settings  # the dataset is built for this base IRI
    if settings.threads <= settings.max_in_flight:
        click.echo(f"warning: threads ({settings.threads}) <= max_in_flight ({settings.max_in_flight}): requests "
                   "past the cap wait in the server's queue instead of getting 503", err=True)
    from kennisgraaf.store.credentials import CredentialsError

    try:
        app = create_app(settings, dataset=_built(ctx))
    except CredentialsError as exc:
        raise UsageProblem(str(exc)) from None
    store = app.extensions["kennisgraaf"].store
    warm_up = getattr(store, "warm_up", None)
    if warm_up is not None:
        warm_up()
    close = getattr(store, "close", None)
    try:
        server.run(app, settings, click.echo, on_stop=close)
    except OSError as exc:
        raise UsageProblem(f"cannot listen on {settings.host}:{settings.port}: {exc}") from None


@main.command()
@click.option("--into", "into", default=None,
              help="Graph Store Protocol URL of the store, e.g. http://127.0.0.1:7878/store for Oxigraph or "
                   "http://127.0.0.1:8890/sparql-graph-crud-auth for Virtuoso (env KENNISGRAAF_STORE_UPDATE).")
@click.option("--default-graph", "default_graph", type=click.Choice(["auto", "yes", "no"]), default=None,
              help="Also put the union into the store's default graph: auto (when the store accepts it), yes "
                   "(a refusal is an error) or no (env KENNISGRAAF_STORE_DEFAULT_GRAPH, default auto).")
@click.option("--graph", "graphs", multiple=True, metavar="NAME",
              help="Load only this graph (its last path segment: reference, union, default, …); repeat it. "
                   "To finish a partial load, as the report of a failed load suggests.")
@click.pass_context
def load(ctx: click.Context, into: str | None, default_graph: str | None, graphs: tuple[str, ...]) -> None:
    """Put the built dataset, with its named graphs, into a SPARQL store (Graph Store Protocol PUT).

    Every named graph is replaced, and graph/asserted and graph/union hold the two unions; the
    full union also goes into the store's default graph where the store accepts one. Progress
    per graph on stderr. Credentials come from the settings store_update_user,
    store_update_password, store_update_auth (basic or digest), store_update_token and
    store_update_headers, each falling back to its store_* setting: in kennisgraaf.toml or the
    environment, never on the command line. Then point `kennisgraaf serve --store <query URL>`
    at the store.
    """
    from kennisgraaf.store.credentials import CredentialsError, credentials_for
    from kennisgraaf.store.remote import LoadStopped, graph_names, load_into

    settings = _settings(ctx)
    _warn_userinfo(into, "--into")
    url = into or settings.store_update
    if not url:
        raise UsageProblem("give the store's Graph Store Protocol URL with --into (or KENNISGRAAF_STORE_UPDATE)")
    mode = default_graph or settings.store_default_graph
    if mode not in ("auto", "yes", "no"):
        raise UsageProblem(f"setting 'store_default_graph': {mode!r} is not one of auto, yes, no")
    try:
        url, credentials = credentials_for(settings, url, update=True)
    except CredentialsError as exc:
        raise UsageProblem(str(exc)) from None
    dataset = _built(ctx)
    only = None
    if graphs:
        known = graph_names(dataset)
        unknown = [name for name in graphs if name not in known]
        if unknown:
            raise UsageProblem(f"no graph {', '.join(unknown)}; the graphs are: {', '.join(known)}")
        only = {known[name] for name in graphs}
    try:
        report = load_into(url, dataset, credentials=credentials, default_graph=mode,  # type: ignore[arg-type]
                           only=only, progress=lambda line: click.echo(line, err=True))
    except LoadStopped as exc:
        done = exc.report.loaded()
        raise UsageProblem(f"{exc.message} (loaded before stopping: {len(done)} graphs)") from None
    if not report.complete:
        raise UsageProblem(f"{report.summary()}. Run load again to retry them (each PUT replaces its graph): "
                           f"kennisgraaf load {report.retry_options()}")
    click.echo(report.summary())

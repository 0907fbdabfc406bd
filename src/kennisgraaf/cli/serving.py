"""Serving commands: ``serve`` (the default command) and ``load`` (into a remote store).

``serve`` with a warm build cache starts in this order, so that the two interpreters work at once:
open the cached build (no build stack), start the query workers' fork server loading the store in
the background, build the app (Flask, the blueprints, the canned-query catalogue), start compiling
the first pages' templates and loading the page index in the background, then wait for the fork
server and the warm workers, and only then listen. A build, store or catalogue that
cannot be used stops ``serve`` with its reason before it listens: nothing is served half-built.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

import click

from kennisgraaf.cli.options import UsageProblem, built, settings_of, warn_userinfo
from kennisgraaf.config import Settings

if TYPE_CHECKING:
    from kennisgraaf.build.dataset import BuiltDataset
    from kennisgraaf.store.base import Store


@click.command()
@click.pass_context
def serve(ctx: click.Context) -> None:
    """Serve the dataset: SPARQL endpoint, pages and exports (production WSGI server, waitress).

    This is the default command: `kennisgraaf` alone runs `kennisgraaf serve`.
    """
    from kennisgraaf.store.pool import WorkerFailed

    settings = settings_of(ctx)
    warn_userinfo(ctx, "store", "--store")
    if settings.threads <= settings.max_in_flight:
        click.echo(f"warning: threads ({settings.threads}) <= max_in_flight ({settings.max_in_flight}): requests "
                   "past the cap wait in the server's queue instead of getting 503", err=True)
    dataset = built(ctx)
    store = _open_store(settings, dataset)
    start = getattr(store, "start", None)  # the embedded store's fork server loads while the app is built
    if start is not None:
        start()
    close = getattr(store, "close", None)
    try:
        from kennisgraaf.web import create_app, server
        from kennisgraaf.web.state import prepare

        app = create_app(settings, dataset=dataset, store=store)
        store_ready = threading.Event()
        prepare(app, store_ready)  # templates and page index in the background: the first page need not wait
        warm_up = getattr(store, "warm_up", None)
        if warm_up is not None:
            warm_up()
        store_ready.set()
    except WorkerFailed as exc:
        _close(close)
        raise UsageProblem(f"cannot serve the build in {dataset.path}: {exc}; `kennisgraaf build --force` "
                           "builds it again") from None
    except BaseException:
        _close(close)
        raise
    try:
        server.run(app, settings, click.echo, on_stop=close)
    except OSError as exc:
        raise UsageProblem(f"cannot listen on {settings.host}:{settings.port}: {exc}") from None


def _open_store(settings: Settings, dataset: BuiltDataset) -> Store:
    """The store the settings ask for; unusable credentials of a remote store stop ``serve`` with their reason."""
    from kennisgraaf.store.backend import open_store

    if not settings.store:  # embedded: no credentials, and no HTTP client to import
        return open_store(settings, dataset)
    from kennisgraaf.store.credentials import CredentialsError

    try:
        return open_store(settings, dataset)
    except CredentialsError as exc:
        raise UsageProblem(str(exc)) from None


def _close(close: object) -> None:
    if callable(close):
        close()


@click.command()
@click.option("--graph", "graphs", multiple=True, metavar="NAME",
              help="Load only this graph (its last path segment: reference, union, default, …); repeat it. "
                   "To finish a partial load, as the report of a failed load suggests.")
@click.pass_context
def load(ctx: click.Context, graphs: tuple[str, ...]) -> None:
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
    from kennisgraaf.store.loader import LoadStopped, graph_names, load_into

    settings = settings_of(ctx)
    warn_userinfo(ctx, "store_update", "--into")
    url = settings.store_update
    if not url:
        raise UsageProblem("give the store's Graph Store Protocol URL with --into (or KENNISGRAAF_STORE_UPDATE)")
    mode = settings.store_default_graph
    if mode not in ("auto", "yes", "no"):
        raise UsageProblem(f"setting 'store_default_graph': {mode!r} is not one of auto, yes, no")
    try:
        url, credentials = credentials_for(settings, url, update=True)
    except CredentialsError as exc:
        raise UsageProblem(str(exc)) from None
    dataset = built(ctx)
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

"""The ``kennisgraaf`` command: build, validate, export, stats, query (and serve).

Exit codes: 0 success (warnings allowed), 1 invalid content (shape violations, quotes not in
their source), 2 unusable input (unparsable Turtle, missing files, bad options).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import click

from kennisgraaf.build.export import EXPORT_FORMATS, export
from kennisgraaf.build.newdoc import new_document
from kennisgraaf.build.pipeline import BuildError, Progress, build_or_reuse, check, load_or_build, watched_state
from kennisgraaf.build.quotes import nearest_passages, sentence_around, turtle_literal
from kennisgraaf.build.sources import read_source
from kennisgraaf.config import GLOBAL, SETTINGS, Setting, Settings, SettingsError, load_settings
from kennisgraaf.site.cannedresults import run_canned
from kennisgraaf.site.stats import dataset_stats
from kennisgraaf.sparql.catalogue import ParameterError, UnknownQuery
from kennisgraaf.sparql.local import QueryFailed, run_local_query
from kennisgraaf.sparql.queryfiles import load_catalogue
from kennisgraaf.sparql.verify import ensure_verified
from kennisgraaf.vocab import UriStrategy

WATCH_INTERVAL = 0.5  # seconds between looks at the input files in `validate --watch`


class UsageProblem(click.ClickException):
    """A user error with our exit code for unusable input."""

    exit_code = 2


class InvalidContent(click.ClickException):
    """Content that violates the rules (shapes, quotes)."""

    exit_code = 1


# Settings flags are made from the settings table (kennisgraaf.config): each flag only records its
# value; the settings are resolved (defaults < kennisgraaf.toml < environment < flags) when a command
# first asks for them, after every flag before and after the command name has been read.
_GIVEN = "kennisgraaf.given"


def _settings(ctx: click.Context) -> Settings:
    """The settings of this run, resolved once (see above)."""
    obj = ctx.ensure_object(dict)
    if "settings" not in obj:
        obj["settings"] = _resolve(setting_overrides(ctx))
    return obj["settings"]


def setting_overrides(ctx: click.Context) -> dict[str, object]:
    """The settings given as flags so far, before or after the command name (shared by the contexts)."""
    return ctx.meta.setdefault(_GIVEN, {})


def _resolve(given: dict[str, object]) -> Settings:
    try:
        settings = load_settings(given)
    except SettingsError as exc:
        raise UsageProblem(str(exc)) from None
    if settings.root and not settings.root_path.is_dir():
        raise UsageProblem(f"--root {settings.root}: no such folder")
    return settings


def _record(ctx: click.Context, param: click.Parameter, value: object) -> None:
    if value is None or param.name is None:
        return
    setting_overrides(ctx)[param.name] = str(value) if isinstance(value, Path) else value


def setting_options(command: str, table: tuple[Setting, ...] = SETTINGS) -> list[click.Option]:
    """The flags, with their help, of the settings in ``table`` that ``command`` takes (GLOBAL: every one)."""
    options = []
    for row in table:
        if command not in row.commands and GLOBAL not in row.commands:
            continue
        kind: click.ParamType | type
        if row.folder:
            kind = click.Path(file_okay=False, path_type=Path)
        elif row.bounds is not None:
            low, high = row.bounds
            kind = (click.IntRange if row.type is int else click.FloatRange)(low, high)
        else:
            kind = row.type
        shown = f"; default {row.default:g}" if isinstance(row.default, float) else (
            f"; default {row.default}" if row.default != "" else "")
        if row.type is bool:  # --name / --no-name; None when neither is given, so lower layers still count
            flag = row.cli_flags[0]
            options.append(click.Option([f"{flag}/--no-{flag[2:]}", row.name], default=None, expose_value=False,
                                        callback=_record, help=f"{row.help} (env {row.env}{shown})"))
            continue
        options.append(click.Option([*row.cli_flags, row.name], type=kind, default=None, expose_value=False,
                                    callback=_record, help=f"{row.help} (env {row.env}{shown})"))
    return options


class _Group(click.Group):
    """A group whose commands take their settings flags from the table, the global ones included."""

    def add_command(self, cmd: click.Command, name: str | None = None) -> None:
        cmd.params.extend(setting_options(name or cmd.name or ""))
        super().add_command(cmd, name)


def _warn_userinfo(ctx: click.Context, name: str, flag: str) -> None:
    """A password in a URL on the command line is visible to every user of the machine (ps): say so."""
    url = setting_overrides(ctx).get(name)
    if isinstance(url, str) and "@" in url.split("//", 1)[-1].split("/", 1)[0]:
        click.echo(f"warning: {flag} holds credentials, which other users of this machine can see in the process "
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


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]}, invoke_without_command=True)
@click.version_option(package_name="kennisgraaf")
@click.pass_context
def main(ctx: click.Context) -> None:
    """kennisgraaf: a linked-data knowledge graph of who does what in the Dutch sociaal domein.

    Without a command, `kennisgraaf` runs `kennisgraaf serve`. The global options (--root,
    --base-iri, --cache-dir) may also follow the command.
    """
    ctx.ensure_object(dict)
    if ctx.invoked_subcommand is None:  # `kennisgraaf` alone serves, as `datasette` does
        ctx.invoke(serve)


main.params.extend(setting_options(GLOBAL))


@main.command()
@click.option("--force", is_flag=True, help="Rebuild even when a cached build matches the inputs.")
@click.pass_context
def build(ctx: click.Context, force: bool) -> None:
    """Build the dataset (parse, check quotes, validate, infer) and cache it."""
    try:
        outcome = build_or_reuse(_settings(ctx), progress=Progress(), force=force)
    except BuildError as exc:
        _fail(exc)
    built = outcome.dataset
    size = f"{sum(built.meta['triples'].values())} quads in {len(built.graph_names)} graphs"
    if outcome.built:
        click.echo(f"built {size} ({outcome.reason}): {built.path}")
    else:
        click.echo(f"reused the cached build of {size} ({outcome.reason}): {built.path}")
    # The canned queries' expected rows, checked on this build and recorded in its meta.json.
    verification = ensure_verified(built, load_catalogue(UriStrategy(built.base)))
    failed = sorted(name for name, q in verification["queries"].items() if q["missing"])
    rows = sum(q["expected"] for q in verification["queries"].values())
    click.echo(f"verified {len(verification['queries'])} canned queries: {rows} expected rows, "
               + ("all present" if not failed else f"missing in {', '.join(failed)}"))


@main.command()
@click.argument("files", nargs=-1, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["text", "turtle", "json"]), default="text",
              help="Report format.")
@click.option("--watch", is_flag=True, help="Validate again each time an input file is saved (Ctrl-C stops).")
@click.pass_context
def validate(ctx: click.Context, files: tuple[Path, ...], fmt: str, watch: bool) -> None:
    """Validate the data (or the given Turtle FILES, with the rest of the working copy): parse errors,
    quotes not in their source, kg: terms not in the ontology and SHACL findings, all in one report.

    Unchanged inputs are answered from a cache. Exit 0 when valid (warnings are shown),
    1 on violations, 2 when the input is unusable (a file that does not parse).
    """
    settings = _settings(ctx)
    if watch:
        _watch(settings, list(files), fmt)
        return
    sys.exit(_validate_once(settings, list(files), fmt))


def _validate_once(settings: Settings, files: list[Path], fmt: str) -> int:
    """Validate, print the report, return the exit code."""
    started = time.perf_counter()
    try:
        answer = check(settings, files)
    except BuildError as exc:
        _fail(exc)
    report = answer.report
    click.echo({"text": report.to_text, "turtle": report.to_turtle, "json": report.to_json}[fmt]())
    if fmt == "text":  # the other formats stay parseable on a combined stream
        click.echo(f"validate: {answer.how()} in {time.perf_counter() - started:.2f} s", err=True)
    return 2 if report.unusable else (0 if report.conforms else 1)


def _watch(settings: Settings, files: list[Path], fmt: str) -> None:
    """Validate, then again whenever an input file's modification time or size changes (polling)."""
    try:
        seen = None
        while True:
            state = watched_state(settings.root_path, files)
            if state != seen:
                seen = state
                try:
                    code = _validate_once(settings, files, fmt)
                except click.ClickException as exc:  # e.g. a folder renamed away: say so, keep watching
                    exc.show()
                    code = exc.exit_code
                click.echo(f"watch: exit status {code}; waiting for changes to {len(state)} files (Ctrl-C stops)",
                           err=True)
            time.sleep(WATCH_INTERVAL)
    except KeyboardInterrupt:
        return


@main.command("new-document")
@click.argument("source", type=click.Path(dir_okay=False, exists=True, path_type=Path))
@click.option("--slug", required=True, help="Slug of the document and its data file, e.g. drenthe-2012-brief.")
@click.option("--kind", required=True, help="Kind of document: letter, memo, position-paper, call (or brief, notitie, "
              "positionpaper, oproep).")
@click.option("--title", default=None, help="The document's title (default: the first line of the text).")
@click.pass_context
def new_document_command(ctx: click.Context, source: Path, slug: str, kind: str, title: str | None) -> None:
    """Add a document: copy its SOURCE text into data/bronnen/ byte for byte, register it in
    data/reference/bronnen.ttl and write a skeleton data/documenten/SLUG.ttl to fill in
    (see docs/maintaining.md). Works on the working copy given with --root."""
    settings = _settings(ctx)
    if not settings.root:
        raise UsageProblem("give the working copy to add the document to with --root (the bundled data is read-only)")
    try:
        added = new_document(settings.root_path, source, slug, kind, title)
    except BuildError as exc:
        _fail(exc)
    click.echo(f"copied {source} to {added.source} (<{added.source_iri}>, registered in data/reference/bronnen.ttl)")
    click.echo(f"wrote {added.data_file} (<{added.document_iri}>): fill it in, then run `kennisgraaf validate`")


@main.command("quote")
@click.argument("source")
@click.argument("words")
@click.option("-n", "--count", type=click.IntRange(1, 20), default=1, help="How many passages to show, best first.")
@click.option("--sentence", is_flag=True, help="Widen each passage to the whole sentence(s) it lies in.")
@click.pass_context
def quote_command(ctx: click.Context, source: str, words: str, count: int, sentence: bool) -> None:
    """Find the passage of a SOURCE text nearest to WORDS (fuzzy; across line breaks and words broken
    with a hyphen) and print it as the exact kg:quote literal to paste, with its line in the source.

    SOURCE is a text file, or the name or number of a file in the working copy's data/bronnen/ (e.g. 004).
    """
    path = _source_path(_settings(ctx), source)
    text = read_source(path)
    passages = nearest_passages(words, text, limit=count)
    if not passages:
        raise UsageProblem(f"no passage of {path} is like {words!r}")
    for passage in passages:
        if sentence:
            passage = sentence_around(passage, text)
        click.echo(turtle_literal(passage.text))
        click.echo(f"    {path}:{passage.line} (similarity {passage.score:.2f})", err=True)


def _source_path(settings: Settings, source: str) -> Path:
    given = Path(source)
    if given.is_file():
        return given
    bronnen = settings.root_path / "data" / "bronnen"
    matches = sorted(p for p in bronnen.glob("*.txt") if p.name == source or p.name.startswith(f"{source}_"))
    if len(matches) != 1:
        raise UsageProblem(f"{source}: no such file, and not the name or number of one text in {bronnen}")
    return matches[0]


@main.command("export")
@click.option("--format", "fmt", type=click.Choice(sorted(EXPORT_FORMATS)), default="trig", help="Export format.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write to this file instead of standard output.")
@click.option("--inferred", is_flag=True, help="Add the OWL-RL closure to Turtle (TriG, N-Quads, JSON-LD: always).")
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
@click.pass_context
def serve(ctx: click.Context) -> None:
    """Serve the dataset: SPARQL endpoint, pages and exports (production WSGI server, waitress).

    This is the default command: `kennisgraaf` alone runs `kennisgraaf serve`.
    """
    from kennisgraaf.store.credentials import CredentialsError
    from kennisgraaf.web import create_app, server

    settings = _settings(ctx)
    _warn_userinfo(ctx, "store", "--store")
    if settings.threads <= settings.max_in_flight:
        click.echo(f"warning: threads ({settings.threads}) <= max_in_flight ({settings.max_in_flight}): requests "
                   "past the cap wait in the server's queue instead of getting 503", err=True)
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

    settings = _settings(ctx)
    _warn_userinfo(ctx, "store_update", "--into")
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

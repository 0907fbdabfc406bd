"""The data commands: ``export``, ``stats``, ``query`` (SPARQL or a canned query) and ``queries``.

What a command runs beyond the light modules is imported inside it (see :mod:`kennisgraaf.cli.options`).
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from kennisgraaf.build.export import EXPORT_FORMATS, export
from kennisgraaf.cli.options import UsageProblem, built, settings_of
from kennisgraaf.vocab import UriStrategy


@click.command("export")
@click.option("--format", "fmt", type=click.Choice(sorted(EXPORT_FORMATS)), default="trig", help="Export format.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write to this file instead of standard output.")
@click.option("--inferred", is_flag=True, help="Add the OWL-RL closure to Turtle (TriG, N-Quads, JSON-LD: always).")
@click.pass_context
def export_command(ctx: click.Context, fmt: str, output: Path | None, inferred: bool) -> None:
    """Export the dataset canonically: same input, same bytes."""
    data = export(built(ctx), fmt, inferred=inferred)
    if output:
        output.write_bytes(data)
        click.echo(f"wrote {len(data)} bytes to {output}", err=True)
    else:
        sys.stdout.buffer.write(data)


@click.command()
@click.pass_context
def stats(ctx: click.Context) -> None:
    """Show triples per graph and instances per class."""
    from kennisgraaf.site.stats import dataset_stats

    click.echo(dataset_stats(built(ctx)))


@click.command()
@click.argument("sparql", required=False)
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table", help="Result format.")
@click.option("--asserted", is_flag=True, help="Query the asserted facts only (without the OWL-RL closure).")
@click.option("--name", default=None, help="Run the canned query of this name instead (see `kennisgraaf queries`).")
@click.option("--param", "params", multiple=True, metavar="KEY=VALUE", help="A canned query's parameter (repeatable).")
@click.pass_context
def query(ctx: click.Context, sparql: str | None, fmt: str, asserted: bool, name: str | None,
          params: tuple[str, ...]) -> None:
    """Run a SPARQL query (argument, or standard input), or a canned query (--name), over the built dataset."""
    from kennisgraaf.sparql.local import QueryFailed, run_local_query

    if name is not None:
        _canned(ctx, name, params, fmt, asserted)
        return
    text = sparql if sparql is not None else sys.stdin.read()
    if not text.strip():
        raise UsageProblem("no query given")
    try:
        click.echo(run_local_query(built(ctx), text, fmt, asserted=asserted), nl=False)
    except QueryFailed as exc:
        raise UsageProblem(str(exc)) from None


def _canned(ctx: click.Context, name: str, params: tuple[str, ...], fmt: str, asserted: bool) -> None:
    from kennisgraaf.site.cannedresults import run_canned
    from kennisgraaf.sparql.catalogue import ParameterError, UnknownQuery
    from kennisgraaf.sparql.local import QueryFailed
    from kennisgraaf.sparql.queryfiles import load_catalogue

    given = dict(p.split("=", 1) for p in params if "=" in p)
    if len(given) != len(params):
        raise UsageProblem("--param takes KEY=VALUE, each key once")
    dataset = built(ctx)
    try:
        click.echo(run_canned(dataset, load_catalogue(UriStrategy(dataset.base)), name, given, fmt,
                              asserted=asserted), nl=False)
    except (UnknownQuery, ParameterError, QueryFailed) as exc:
        raise UsageProblem(str(exc)) from None


@click.command("queries")
@click.pass_context
def queries_command(ctx: click.Context) -> None:
    """List the canned queries: name, parameters (with defaults) and title (nl / en)."""
    from kennisgraaf.sparql.queryfiles import load_catalogue

    for canned in load_catalogue(UriStrategy(settings_of(ctx).base_iri)):
        params = ", ".join(f"{p.name}={p.default if p.default is not None else '*'}" for p in canned.parameters)
        click.echo(f"{canned.name}  [{params}]\n    {canned.title['nl']}\n    {canned.title['en']}")

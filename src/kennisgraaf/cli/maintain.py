"""The maintainers' commands: ``build``, ``validate`` (``--watch``), ``new-document`` and ``quote``.

Each imports the build modules it runs inside its own function (see :mod:`kennisgraaf.cli.options`).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import click

from kennisgraaf.build.inputs import BuildError
from kennisgraaf.cli.options import UsageProblem, fail, settings_of
from kennisgraaf.config import Settings

WATCH_INTERVAL = 0.5  # seconds between looks at the input files in `validate --watch`


@click.command()
@click.option("--force", is_flag=True, help="Rebuild even when a cached build matches the inputs.")
@click.pass_context
def build(ctx: click.Context, force: bool) -> None:
    """Build the dataset (parse, check quotes, validate, infer) and cache it."""
    from kennisgraaf.build.pipeline import Progress, build_or_reuse
    from kennisgraaf.sparql.queryfiles import load_catalogue
    from kennisgraaf.sparql.verify import ensure_verified
    from kennisgraaf.vocab import UriStrategy

    try:
        outcome = build_or_reuse(settings_of(ctx), progress=Progress(), force=force)
    except BuildError as exc:
        fail(exc)
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


@click.command()
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
    settings = settings_of(ctx)
    if watch:
        _watch(settings, list(files), fmt)
        return
    sys.exit(_validate_once(settings, list(files), fmt))


def _validate_once(settings: Settings, files: list[Path], fmt: str) -> int:
    """Validate, print the report, return the exit code."""
    from kennisgraaf.build.checks import check

    started = time.perf_counter()
    try:
        answer = check(settings, files)
    except BuildError as exc:
        fail(exc)
    report = answer.report
    click.echo({"text": report.to_text, "turtle": report.to_turtle, "json": report.to_json}[fmt]())
    if fmt == "text":  # the other formats stay parseable on a combined stream
        click.echo(f"validate: {answer.how()} in {time.perf_counter() - started:.2f} s", err=True)
    return 2 if report.unusable else (0 if report.conforms else 1)


def _watch(settings: Settings, files: list[Path], fmt: str) -> None:
    """Validate, then again whenever an input file's modification time or size changes (polling)."""
    from kennisgraaf.build.checks import watched_state

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


@click.command("new-document")
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
    from kennisgraaf.build.newdoc import new_document

    settings = settings_of(ctx)
    if not settings.root:
        raise UsageProblem("give the working copy to add the document to with --root (the bundled data is read-only)")
    try:
        added = new_document(settings.root_path, source, slug, kind, title)
    except BuildError as exc:
        fail(exc)
    click.echo(f"copied {source} to {added.source} (<{added.source_iri}>, registered in data/reference/bronnen.ttl)")
    click.echo(f"wrote {added.data_file} (<{added.document_iri}>): fill it in, then run `kennisgraaf validate`")


@click.command("quote")
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
    from kennisgraaf.build.quotes import nearest_passages, sentence_around, turtle_literal
    from kennisgraaf.build.sources import read_source

    path = _source_path(settings_of(ctx), source)
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

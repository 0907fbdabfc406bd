"""The ``kennisgraaf`` command: a click group, with one module per command group.

- :mod:`~kennisgraaf.cli.options`: exit codes, the settings flags (from the settings table), the dataset;
- :mod:`~kennisgraaf.cli.maintain`: ``build``, ``validate``, ``new-document``, ``quote``;
- :mod:`~kennisgraaf.cli.data`: ``export``, ``stats``, ``query``, ``queries``;
- :mod:`~kennisgraaf.cli.serving`: ``serve`` (the default command) and ``load``.

Exit codes: 0 success (warnings allowed), 1 invalid content (shape violations, quotes not in
their source), 2 unusable input (unparsable Turtle, missing files, bad options).
"""

from __future__ import annotations

import click

from kennisgraaf.cli.data import export_command, queries_command, query, stats
from kennisgraaf.cli.maintain import build, new_document_command, quote_command, validate
from kennisgraaf.cli.options import Group, setting_options, setting_overrides
from kennisgraaf.cli.serving import load, serve
from kennisgraaf.config import GLOBAL

__all__ = ["main", "setting_options", "setting_overrides"]


@click.group(cls=Group, context_settings={"help_option_names": ["-h", "--help"]}, invoke_without_command=True)
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
# In the order of the original module, which `kennisgraaf --help` lists alphabetically anyway.
for _command in (build, validate, new_document_command, quote_command, export_command, stats, query,
                 queries_command, serve, load):
    main.add_command(_command)

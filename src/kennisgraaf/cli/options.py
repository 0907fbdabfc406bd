"""What every command shares: our exit codes, the settings flags made from the settings table, the dataset.

Exit codes: 0 success (warnings allowed), 1 invalid content (shape violations, quotes not in
their source), 2 unusable input (unparsable Turtle, missing files, bad options).

Imports stay light here and in every command module: each command imports what it runs inside its
own function, so `kennisgraaf --help` and `serve` with a warm cache load no build stack.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import click

from kennisgraaf.build.inputs import BuildError
from kennisgraaf.config import GLOBAL, SETTINGS, Setting, Settings, SettingsError, load_settings

if TYPE_CHECKING:
    from kennisgraaf.build.dataset import BuiltDataset


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


def settings_of(ctx: click.Context) -> Settings:
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


class Group(click.Group):
    """A group whose commands take their settings flags from the table, the global ones included."""

    def add_command(self, cmd: click.Command, name: str | None = None) -> None:
        cmd.params.extend(setting_options(name or cmd.name or ""))
        super().add_command(cmd, name)


def warn_userinfo(ctx: click.Context, name: str, flag: str) -> None:
    """A password in a URL on the command line is visible to every user of the machine (ps): say so."""
    url = setting_overrides(ctx).get(name)
    if isinstance(url, str) and "@" in url.split("//", 1)[-1].split("/", 1)[0]:
        click.echo(f"warning: {flag} holds credentials, which other users of this machine can see in the process "
                   "list; set them in kennisgraaf.toml or KENNISGRAAF_STORE_USER / _PASSWORD instead "
                   "(docs/stores.md)", err=True)


def built(ctx: click.Context) -> BuiltDataset:
    """The built dataset: from the warm cache, else built now (the build stack is imported only then)."""
    from kennisgraaf.build.cached import dataset_for

    try:
        return dataset_for(settings_of(ctx))
    except BuildError as exc:
        fail(exc)


def fail(exc: BuildError) -> NoReturn:
    """Stop with the build's report and our exit code for ``exc``."""
    if exc.report is not None:
        click.echo(exc.report.to_text(), err=True)
    raise (InvalidContent if exc.exit_code == 1 else UsageProblem)(str(exc))



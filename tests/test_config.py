"""Settings are declared once (the table in kennisgraaf.config) and loaded in layers:
defaults < TOML < environment < flags. The CLI's flags and every constructor default come from the table."""

import inspect
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from kennisgraaf import cli
from kennisgraaf.config import DEFAULTS, GLOBAL, SETTINGS, Setting, SettingsError, load_settings
from kennisgraaf.sparql.admission import Limits
from kennisgraaf.store.base import GuardedStore
from kennisgraaf.store.embedded import EmbeddedStore
from kennisgraaf.store.pool import WorkerPool
from kennisgraaf.store.remote import RemoteStore
from kennisgraaf.store.workers import Job, WorkerSpec


def test_layers_override_in_order(tmp_path: Path):
    toml = tmp_path / "kennisgraaf.toml"
    toml.write_text('port = 9000\nquery_timeout = 3\nhost = "0.0.0.0"\n', encoding="utf-8")
    env = {"KENNISGRAAF_PORT": "9100"}
    settings = load_settings({"host": "127.0.0.2"}, environ=env, config_file=toml)
    assert settings.port == 9100
    assert settings.query_timeout == 3.0
    assert settings.host == "127.0.0.2"


def test_wrong_type_and_unknown_names_are_refused(tmp_path: Path):
    with pytest.raises(SettingsError, match="port"):
        load_settings(environ={"KENNISGRAAF_PORT": "eighty"}, config_file=tmp_path / "none.toml")
    toml = tmp_path / "kennisgraaf.toml"
    toml.write_text("colour = 1\n", encoding="utf-8")
    with pytest.raises(SettingsError, match="colour"):
        load_settings(environ={}, config_file=toml)


# Constructor parameter -> the setting whose default it must carry.
CONSTRUCTOR_DEFAULTS = [
    (GuardedStore, {"result_limit": "result_limit", "timeout": "query_timeout", "max_in_flight": "max_in_flight"}),
    (EmbeddedStore, {"result_limit": "result_limit", "timeout": "query_timeout", "workers": "workers",
                     "max_in_flight": "max_in_flight", "memory_mb": "worker_memory_mb",
                     "result_bytes": "max_result_bytes", "recycle_mb": "worker_recycle_mb"}),
    (RemoteStore, {"result_limit": "result_limit", "timeout": "query_timeout", "max_in_flight": "max_in_flight"}),
    (WorkerPool, {"warm": "workers", "limit": "max_in_flight"}),
    (WorkerSpec, {"memory_mb": "worker_memory_mb", "recycle_mb": "worker_recycle_mb"}),
    (Job, {"timeout": "query_timeout", "result_bytes": "max_result_bytes"}),
    (Limits, {"max_bytes": "max_query_bytes", "max_depth": "max_nesting"}),
]


@pytest.mark.parametrize(("constructor", "mapping"), CONSTRUCTOR_DEFAULTS, ids=lambda c: getattr(c, "__name__", ""))
def test_no_constructor_default_disagrees_with_the_settings_table(constructor, mapping):
    parameters = inspect.signature(constructor).parameters
    found = {name: parameters[name].default for name in mapping}
    assert found == {name: getattr(DEFAULTS, setting) for name, setting in mapping.items()}


def _help(*args: str) -> str:
    result = CliRunner().invoke(cli.main, [*args, "--help"])
    assert result.exit_code == 0, result.output
    return " ".join(result.output.split())  # undo click's line wrapping


@pytest.mark.parametrize("row", [s for s in SETTINGS if s.commands], ids=lambda s: s.name)
def test_every_setting_with_a_command_is_a_flag_in_that_commands_help(row: Setting):
    commands = [[], *([name] for name in cli.main.commands)] if GLOBAL in row.commands else [[c] for c in row.commands]
    for command in commands:
        shown = _help(*command)
        assert f"{row.cli_flags[-1]} " in shown, (command, row.name)
        assert f"(env {row.env}" in shown
        assert " ".join(row.help.split()[:6]) in shown


def test_a_setting_added_to_the_table_becomes_a_flag_with_its_help_env_and_default():
    table = (*SETTINGS, Setting("colour", int, 3, "How many colours the diagram uses.", ("serve",), bounds=(1, 9)))
    seen: dict[str, object] = {}

    @click.command(params=cli.setting_options("serve", table))
    @click.pass_context
    def command(ctx: click.Context) -> None:
        seen.update(cli.setting_overrides(ctx))

    runner = CliRunner()
    shown = " ".join(runner.invoke(command, ["--help"]).output.split())
    assert "--colour INTEGER RANGE How many colours the diagram uses. (env KENNISGRAAF_COLOUR; default 3)" in shown
    assert runner.invoke(command, ["--colour", "5", "--timeout", "2"]).exit_code == 0
    assert seen == {"colour": 5, "query_timeout": 2.0}
    refused = runner.invoke(command, ["--colour", "12"])
    assert refused.exit_code == 2 and "12 is not in the range 1<=x<=9" in refused.output


def test_serve_gets_its_flags_and_the_global_ones_before_or_after_the_command(monkeypatch, tmp_path: Path):
    from kennisgraaf import web
    from kennisgraaf.cli import serving
    from kennisgraaf.store import backend
    from kennisgraaf.web import server

    served = []
    monkeypatch.setattr(serving, "built", lambda ctx: None)
    monkeypatch.setattr(backend, "open_store", lambda settings, dataset: None)
    monkeypatch.setattr(web, "create_app", lambda settings, dataset, store: object())
    monkeypatch.setattr(server, "run", lambda app, settings, echo, on_stop: served.append(settings))
    monkeypatch.setenv("KENNISGRAAF_PORT", "9100")
    monkeypatch.setenv("KENNISGRAAF_WORKERS", "3")
    result = CliRunner().invoke(cli.main, ["--cache-dir", str(tmp_path / "a"), "serve", "-p", "9200",
                                           "--timeout", "2.5", "--max-in-flight", "7",
                                           "--base-iri", "https://example.org/kg/", "--cache-dir", str(tmp_path)])
    assert result.exit_code == 0, result.output
    (settings,) = served
    assert (settings.port, settings.query_timeout, settings.max_in_flight) == (9200, 2.5, 7)
    assert settings.workers == 3  # from the environment: no flag given
    assert settings.base_iri == "https://example.org/kg/"
    assert settings.cache_dir == str(tmp_path)  # the later flag wins
    assert settings.threads == DEFAULTS.threads


def test_load_takes_the_store_update_setting_as_into(monkeypatch):
    from kennisgraaf.cli import serving
    from kennisgraaf.store import loader

    loaded = []
    monkeypatch.setattr(serving, "built", lambda ctx: "dataset")
    monkeypatch.setattr(loader, "load_into",
                        lambda url, dataset, **options: loaded.append(url) or loader.LoadReport(url))
    result = CliRunner().invoke(cli.main, ["load", "--into", "http://127.0.0.1:7878/store"])
    assert result.exit_code == 0, result.output
    assert loaded == ["http://127.0.0.1:7878/store"]


@pytest.mark.parametrize("after", [False, True], ids=["before", "after"])
def test_validate_root_works_before_and_after_the_command(working_copy: Path, after: bool):
    broken = working_copy / "data" / "reference" / "overheden.ttl"
    broken.write_text("@prefix kg: <https://w3id.org/kennisgraaf/def#> .\nkg:x kg:y \n", encoding="utf-8")
    root = ["--root", str(working_copy)]
    args = ["validate", *root] if after else [*root, "validate"]
    result = CliRunner().invoke(cli.main, args)
    assert result.exit_code == 2, result.output
    assert f"{broken}:" in result.output


def test_a_flag_after_the_command_overrides_a_bad_environment_value(working_copy: Path, monkeypatch):
    monkeypatch.setenv("KENNISGRAAF_ROOT", "/no/such/folder")
    monkeypatch.setenv("KENNISGRAAF_PORT", "not-a-number")
    monkeypatch.setenv("KENNISGRAAF_CACHE_DIR", str(working_copy / "cache"))
    result = CliRunner().invoke(cli.main, ["queries", "--root", str(working_copy)])
    assert result.exit_code == 2 and "port" in result.output  # the environment's bad port still counts
    monkeypatch.delenv("KENNISGRAAF_PORT")
    result = CliRunner().invoke(cli.main, ["queries", "--root", str(working_copy)])
    assert result.exit_code == 0, result.output
    assert "taken-provincie" in result.output


def test_a_root_that_is_not_a_folder_is_unusable_input(tmp_path: Path):
    result = CliRunner().invoke(cli.main, ["validate", "--root", str(tmp_path / "nowhere")])
    assert result.exit_code == 2
    assert "no such folder" in result.output

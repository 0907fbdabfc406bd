"""Settings are declared once and loaded in layers: defaults < TOML < environment < overrides."""

from dataclasses import fields
from pathlib import Path

import pytest

from kennisgraaf.config import SETTINGS, Settings, SettingsError, load_settings


def test_every_declared_setting_is_a_field_with_the_same_default():
    declared = {s.name: s.default for s in SETTINGS}
    defaults = {f.name: f.default for f in fields(Settings) if f.name != "extra"}
    assert declared == defaults


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

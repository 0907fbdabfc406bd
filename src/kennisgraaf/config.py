"""Settings: every setting declared once, with type, default and help; loaded in layers.

Order (later wins): defaults < ``kennisgraaf.toml`` (current directory, or ``KENNISGRAAF_CONFIG``)
< ``KENNISGRAAF_*`` environment variables < CLI flags. Nothing is read at import time.
"""

from __future__ import annotations

import dataclasses
import os
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ENV_PREFIX = "KENNISGRAAF_"


@dataclass(frozen=True)
class Setting:
    """One documented setting."""

    name: str
    type: type
    default: Any
    help: str


SETTINGS: tuple[Setting, ...] = (
    Setting("root", str, "", "Working copy holding ontology/, data/ and shapes/ (default: the bundled data)."),
    Setting("base_iri", str, "https://w3id.org/kennisgraaf/", "Base IRI of things (id/), terms (def#), pages (doc/)."),
    Setting("cache_dir", str, "", "Where built datasets are cached (default: the user cache directory)."),
    Setting("host", str, "127.0.0.1", "Interface to listen on; 127.0.0.1 keeps the server private to this machine."),
    Setting("port", int, 8000, "Port to listen on; 0 picks a free port."),
    Setting("threads", int, 16, "WSGI server threads that answer requests (keep it above max_in_flight)."),
    Setting("workers", int, 2, "Query worker processes of the embedded store (each one is killable)."),
    Setting("max_in_flight", int, 12, "Queries running or queued at once; past it the endpoint answers 503."),
    Setting("query_timeout", float, 10.0, "Seconds a query may run before it is stopped."),
    Setting("result_limit", int, 50000, "Maximum result rows (or triples) returned; more is truncated and signalled."),
    Setting("max_query_bytes", int, 262144, "Largest query text accepted; larger gets 413."),
    Setting("max_nesting", int, 64, "Deepest nesting of { } groups and ( ) in a query before it is refused."),
    Setting("worker_memory_mb", int, 2048,
            "Address-space limit of each query worker process in MB (a query past it stops that worker); 0: none."),
    Setting("store", str, "", "URL of a remote SPARQL 1.1 query endpoint to use instead of the embedded store."),
    Setting("store_update", str, "", "Graph Store Protocol URL of the remote store (for `load`)."),
    Setting("store_auth", str, "",
            "How credentials go to the remote store's query URL: basic, digest or bearer "
            "(default: basic with a user, bearer with a token)."),
    Setting("store_user", str, "", "User name for the remote store's query URL."),
    Setting("store_password", str, "",
            "Password for the remote store's query URL, from kennisgraaf.toml or the environment (never printed)."),
    Setting("store_token", str, "", "Bearer token for the remote store's query URL (never printed)."),
    Setting("store_headers", str, "",
            "Extra request headers for the remote store's query URL, one 'Name: value' per line "
            "(e.g. an API key; values are never printed)."),
    Setting("store_update_auth", str, "", "As store_auth, for `load` (empty: store_auth)."),
    Setting("store_update_user", str, "", "As store_user, for `load` (empty: store_user)."),
    Setting("store_update_password", str, "", "As store_password, for `load` (empty: store_password)."),
    Setting("store_update_token", str, "", "As store_token, for `load` (empty: store_token)."),
    Setting("store_update_headers", str, "", "As store_headers, for `load` (empty: store_headers)."),
    Setting("store_default_graph", str, "auto",
            "Whether `load` also puts the union into the store's default graph: auto (when the store accepts "
            "it), yes (a refusal is an error) or no."),
)

# Settings whose values are secrets: never shown (repr, messages, logs, /health).
SECRET_SETTINGS = frozenset({"store_password", "store_token", "store_headers", "store_update_password",
                             "store_update_token", "store_update_headers"})

_BY_NAME = {s.name: s for s in SETTINGS}


@dataclass(frozen=True)
class Settings:
    """Resolved settings; build one with :func:`load_settings` or directly in tests."""

    root: str = ""
    base_iri: str = "https://w3id.org/kennisgraaf/"
    cache_dir: str = ""
    host: str = "127.0.0.1"
    port: int = 8000
    threads: int = 16
    workers: int = 2
    max_in_flight: int = 12
    query_timeout: float = 10.0
    result_limit: int = 50000
    max_query_bytes: int = 262144
    max_nesting: int = 64
    worker_memory_mb: int = 2048
    store: str = ""
    store_update: str = ""
    store_auth: str = ""
    store_user: str = ""
    store_password: str = field(default="", repr=False)
    store_token: str = field(default="", repr=False)
    store_headers: str = field(default="", repr=False)
    store_update_auth: str = ""
    store_update_user: str = ""
    store_update_password: str = field(default="", repr=False)
    store_update_token: str = field(default="", repr=False)
    store_update_headers: str = field(default="", repr=False)
    store_default_graph: str = "auto"
    extra: Mapping[str, Any] = field(default_factory=dict)

    def __repr__(self) -> str:
        # Secrets are left out (repr=False); a user:password@ in a URL is masked.
        shown = ", ".join(f"{f.name}={_mask_userinfo(getattr(self, f.name))!r}" for f in dataclasses.fields(self)
                          if f.repr)
        return f"Settings({shown})"

    def replace(self, **changes: Any) -> Settings:
        """Return a copy with some settings changed (None values are ignored)."""
        return dataclasses.replace(self, **{k: v for k, v in changes.items() if v is not None})

    @property
    def root_path(self) -> Path:
        """The folder holding ontology/, data/ and shapes/."""
        return Path(self.root).expanduser().resolve() if self.root else bundled_root()

    @property
    def cache_path(self) -> Path:
        """The folder for built datasets."""
        if self.cache_dir:
            return Path(self.cache_dir).expanduser()
        base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
        return Path(base) / "kennisgraaf"


def _mask_userinfo(value: Any) -> Any:
    return re.sub(r"(?i)\b([a-z][a-z0-9+.-]*://)[^/\s@]*@", r"\1***@", value) if isinstance(value, str) else value


class SettingsError(ValueError):
    """A setting with a value of the wrong type or an unknown name."""


def _coerce(setting: Setting, value: Any) -> Any:
    try:
        return setting.type(value)
    except (TypeError, ValueError) as exc:
        raise SettingsError(f"setting {setting.name!r}: {value!r} is not a {setting.type.__name__}") from exc


def load_settings(
    overrides: Mapping[str, Any] | None = None,
    *,
    environ: Mapping[str, str] | None = None,
    config_file: Path | None = None,
) -> Settings:
    """Resolve settings from defaults, the TOML file, the environment and explicit overrides."""
    environ = os.environ if environ is None else environ
    values: dict[str, Any] = {}
    path = config_file or Path(environ.get(f"{ENV_PREFIX}CONFIG", "kennisgraaf.toml"))
    if path.is_file():
        with path.open("rb") as handle:
            for key, value in tomllib.load(handle).items():
                if key not in _BY_NAME:
                    raise SettingsError(f"{path}: unknown setting {key!r}")
                values[key] = _coerce(_BY_NAME[key], value)
    for setting in SETTINGS:
        raw = environ.get(ENV_PREFIX + setting.name.upper())
        if raw is not None and raw != "":
            values[setting.name] = _coerce(setting, raw)
    for key, value in (overrides or {}).items():
        if value is None:
            continue
        if key not in _BY_NAME:
            raise SettingsError(f"unknown setting {key!r}")
        values[key] = _coerce(_BY_NAME[key], value)
    return Settings(**values)


def bundled_root() -> Path:
    """Return the folder with the bundled ontology/, data/ and shapes/.

    A wheel carries them as ``kennisgraaf/bundle/``; a source checkout (editable install) has
    them at the top of the repository.
    """
    package = Path(__file__).resolve().parent
    bundle = package / "bundle"
    if (bundle / "ontology").is_dir():
        return bundle
    return package.parent.parent

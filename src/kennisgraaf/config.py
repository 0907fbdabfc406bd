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
from typing import Any, get_type_hints

ENV_PREFIX = "KENNISGRAAF_"


GLOBAL = "*"  # a setting whose flag every command takes (the group's options)


@dataclass(frozen=True)
class Setting:
    """One row of the settings table: name, type, default and help, and where it is a CLI flag."""

    name: str
    type: type
    default: Any
    help: str
    commands: tuple[str, ...] = ()  # commands that take it as a flag; GLOBAL: every command; (): file/env only
    flags: tuple[str, ...] = ()  # CLI spellings; () means --name-with-dashes
    bounds: tuple[float | None, float | None] | None = None  # inclusive range a flag accepts
    folder: bool = False  # a path to a folder
    secret: bool = False  # never shown: not in repr, never a CLI flag (other users see command lines)

    @property
    def cli_flags(self) -> tuple[str, ...]:
        return self.flags or ("--" + self.name.replace("_", "-"),)

    @property
    def env(self) -> str:
        return ENV_PREFIX + self.name.upper()


def setting(default: Any, help: str, commands: tuple[str, ...] = (), flags: tuple[str, ...] = (), *,
            bounds: tuple[float | None, float | None] | None = None, folder: bool = False,
            secret: bool = False) -> Any:
    """A row of the table: a dataclass field whose metadata says how it is documented and set."""
    if secret and commands:
        raise ValueError("a secret setting is never a command-line flag")
    row = {"help": help, "commands": commands, "flags": flags, "bounds": bounds, "folder": folder, "secret": secret}
    return field(default=default, metadata={"setting": row}, repr=not secret)


@dataclass(frozen=True)
class Settings:
    """THE settings table: one row per setting with its type, default, help and CLI flags.

    The CLI's options (kennisgraaf.cli), ``SETTINGS`` and every constructor default
    (``DEFAULTS``) come from these rows; the README documents each one (tests/test_docs.py).
    Build an instance with :func:`load_settings`, or directly in tests.
    """

    root: str = setting("", "Working copy holding ontology/, data/ and shapes/ (default: the bundled data).",
                        (GLOBAL,), folder=True)
    base_iri: str = setting("https://w3id.org/kennisgraaf/", "Base IRI of things (id/), terms (def#), pages (doc/).",
                            (GLOBAL,))
    cache_dir: str = setting("", "Where built datasets are cached (default: the user cache directory).",
                             (GLOBAL,), folder=True)
    host: str = setting("127.0.0.1", "Interface to listen on. 127.0.0.1: only this machine can connect, which is "
                        "safe for trying things out; use 0.0.0.0 to serve the network.", ("serve",))
    port: int = setting(8000, "Port to listen on; 0 picks a free port and prints the bound URL.", ("serve",),
                        ("-p", "--port"), bounds=(0, 65535))
    threads: int = setting(16, "WSGI server threads that answer requests; keep it above max_in_flight, so that "
                           "requests past the cap get 503 rather than wait.", ("serve",), bounds=(1, 512))
    workers: int = setting(2, "Query worker processes of the embedded store (each one is killable).", ("serve",),
                           bounds=(1, 64))
    max_in_flight: int = setting(12, "Queries running or queued at once; past it the endpoint answers 503 with "
                                 "Retry-After.", ("serve",), bounds=(1, None))
    client_in_flight: int = setting(4, "Queries one client may have running at once; past it that client gets 429 "
                                    "with Retry-After (keep it below max_in_flight).", ("serve",), bounds=(1, None))
    client_seconds_per_minute: float = setting(60.0, "Seconds of query time one client may use per minute; past it "
                                               "that client gets 429 with Retry-After.", ("serve",),
                                               bounds=(0.1, None))
    access_log: bool = setting(True, "Write one line per request (method, path, status, bytes, milliseconds) on "
                               "stderr.", ("serve",))
    trusted_proxy: str = setting("", "Address of a reverse proxy whose X-Forwarded-For names the client (for the "
                                 "per-client caps); from anyone else the header is ignored.", ("serve",))
    query_timeout: float = setting(10.0, "Seconds a query may run before it is stopped.", ("serve",),
                                   ("--timeout",), bounds=(0.1, 3600))
    result_limit: int = setting(50000, "Maximum result rows (or triples) returned; more is truncated and "
                                "signalled.", ("serve",), bounds=(1, None))
    max_result_bytes: int = setting(16 * 1024 * 1024, "Largest answer in bytes (about: the size of its terms); more "
                                    "is truncated and signalled, so one answer never holds the server's memory.",
                                    ("serve",), bounds=(1024, None))
    max_query_bytes: int = setting(262144, "Largest query text accepted; larger gets 413.", ("serve",),
                                   bounds=(1024, None))
    max_nesting: int = setting(64, "Deepest nesting of { } groups, ( ) and [ ] in a query before it is refused.",
                               ("serve",), bounds=(1, 1000))
    worker_memory_mb: int = setting(2048, "Address-space limit of each query worker process in MB (a query past "
                                    "it stops that worker); 0: none.", ("serve",), bounds=(0, None))
    cache_mb: int = setting(64, "Memory for answers kept while the dataset is unchanged (/sparql, canned queries, "
                            "pages), in MB; 0: none (ETags and 304 still work).", ("serve",), bounds=(0, None))
    cache_max_age: int = setting(300, "Seconds a client or CDN may reuse an answer without asking again "
                                 "(Cache-Control max-age).", ("serve",), bounds=(0, None))
    worker_recycle_mb: int = setting(256, "A query worker whose memory grew by more than this many MB while "
                                     "answering is replaced after its answer (workers are otherwise kept); 0: never.",
                                     ("serve",), bounds=(0, None))
    closure: str = setting("chainer", "How the build computes the OWL-RL closure: chainer (the build's own forward "
                           "chainer over the OWL 2 RL rules the ontology uses, giving each triple's derivation in "
                           "the same pass) or owlrl (the reference implementation, much slower at scale; the "
                           "tests' oracle).", ("build",))
    build_processes: int = setting(2, "Processes the build may use: 2 runs SHACL in a second process beside the "
                                   "closure and the writing of the cache (faster on two or more cores; about twice "
                                   "the peak memory: 5.6 GB at 1M triples), 1 runs them one after the other.",
                                   ("build",), bounds=(1, 2))
    store: str = setting("", "URL of a remote SPARQL 1.1 query endpoint to use instead of the embedded store; "
                         "give that store its own server-side query time limit.", ("serve",))
    store_update: str = setting("", "Graph Store Protocol URL of the remote store (for `load`), e.g. "
                                "http://127.0.0.1:7878/store for Oxigraph.", ("load",), ("--into",))
    # Credentials of the remote store (docs/stores.md): from the file or the environment only.
    store_auth: str = setting("", "How credentials go to the remote store's query URL: basic, digest (Virtuoso) "
                              "or bearer (default: basic with a user, bearer with a token).")
    store_user: str = setting("", "User name for the remote store's query URL.")
    store_password: str = setting("", "Password for the remote store's query URL (never printed).", secret=True)
    store_token: str = setting("", "Bearer token for the remote store's query URL (never printed).", secret=True)
    store_headers: str = setting("", "Extra request headers for the remote store's query URL, one 'Name: value' "
                                 "per line, e.g. an API key (values never printed).", secret=True)
    store_update_auth: str = setting("", "As store_auth, for `load` (empty: store_auth).")
    store_update_user: str = setting("", "As store_user, for `load` (empty: store_user).")
    store_update_password: str = setting("", "As store_password, for `load` (empty: store_password).", secret=True)
    store_update_token: str = setting("", "As store_token, for `load` (empty: store_token).", secret=True)
    store_update_headers: str = setting("", "As store_headers, for `load` (empty: store_headers).", secret=True)
    store_default_graph: str = setting("auto", "Whether `load` also puts the union into the store's default "
                                       "graph: auto (where the store accepts it), yes (a refusal is an error) or "
                                       "no.", ("load",), ("--default-graph",))
    extra: Mapping[str, Any] = field(default_factory=dict)  # not a setting: room for tests and plug-ins

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


def _table() -> tuple[Setting, ...]:
    types = get_type_hints(Settings)
    return tuple(Setting(f.name, types[f.name], f.default, **f.metadata["setting"])
                 for f in dataclasses.fields(Settings) if "setting" in f.metadata)


#: The rows of :class:`Settings` as :class:`Setting` records, in table order.
SETTINGS: tuple[Setting, ...] = _table()
_BY_NAME = {s.name: s for s in SETTINGS}

#: The defaults, for constructors that take a setting's value (so that none can disagree with the table).
DEFAULTS = Settings()


class SettingsError(ValueError):
    """A setting with a value of the wrong type or an unknown name."""


_TRUE, _FALSE = ("1", "true", "yes", "on"), ("0", "false", "no", "off")


def _coerce(setting: Setting, value: Any) -> Any:
    if setting.type is bool and isinstance(value, str):  # bool("false") would be True
        if value.strip().lower() in _TRUE + _FALSE:
            return value.strip().lower() in _TRUE
        raise SettingsError(f"setting {setting.name!r}: {value!r} is not one of {', '.join(_TRUE + _FALSE)}")
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
        raw = environ.get(setting.env)
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

"""A throwaway OpenLink Virtuoso 7 server for tests: its own folder, free loopback ports, Digest users.

Debian's ``virtuoso-opensource`` package gives ``virtuoso-t`` (the server) and ``isql-vt`` (its SQL
client); ``./scripts/test`` installs it. :func:`start_virtuoso` writes a ``virtuoso.ini`` into a
folder of its own (database, transaction log and error log stay there), starts the server in the
foreground on two free loopback ports (HTTP and ISQL), waits until both answer, gives the ``dba``
account a password of its own, and returns a :class:`Virtuoso` to add users to and stop.

Its endpoints (all present in a new Virtuoso database):

- ``/sparql``: SPARQL 1.1 Protocol, anonymous, read-only (the ``SPARQL`` account has ``SPARQL_SELECT``).
- ``/sparql-auth``: the same with HTTP Digest authentication (realm ``SPARQL``) for accounts with
  ``SPARQL_SELECT`` or ``SPARQL_UPDATE``.
- ``/sparql-graph-crud``: Graph Store Protocol, anonymous (read-only for the ``SPARQL`` account).
- ``/sparql-graph-crud-auth``: Graph Store Protocol with Digest authentication; writing needs
  ``SPARQL_UPDATE``.

The Graph Store Protocol's default graph (``?default``) is refused unless a row of
``DB.DBA.SYS_SPARQL_HOST`` names a default graph for the host the request names
(:meth:`Virtuoso.map_default_graph`); a query without FROM sees every graph.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

import requests
from serving import free_port, stop_process

VIRTUOSO = shutil.which("virtuoso-t") or "/usr/bin/virtuoso-t"
ISQL = shutil.which("isql-vt") or "/usr/bin/isql-vt"
START_TIMEOUT = 120.0

INI = """\
[Database]
DatabaseFile       = {dir}/virtuoso.db
ErrorLogFile       = {dir}/virtuoso.log
LockFile           = {dir}/virtuoso.lck
TransactionFile    = {dir}/virtuoso.trx
xa_persistent_file = {dir}/virtuoso.pxa
ErrorLogLevel      = 7
FileExtend         = 200
Striping           = 0
TempStorage        = TempDatabase

[TempDatabase]
DatabaseFile       = {dir}/virtuoso-temp.db
TransactionFile    = {dir}/virtuoso-temp.trx
Striping           = 0

[Parameters]
ServerPort         = 127.0.0.1:{isql_port}
DisableUnixSocket  = 1
CheckpointInterval = 60
CaseMode           = 2
DirsAllowed        = ., {dir}
NumberOfBuffers    = 10000
MaxDirtyBuffers    = 6000
ThreadsPerQuery    = 2
MaxClientConnections = 20

[HTTPServer]
ServerPort           = 127.0.0.1:{http_port}
ServerRoot           = {dir}/vsp
ServerThreads        = 20
MaxClientConnections = 20
Charset              = UTF-8
EnabledGzipContent   = 0
KeepAliveTimeout     = 10

[SPARQL]
ResultSetMaxRows           = {result_rows}
MaxQueryCostEstimationTime = {cost_estimation}
MaxQueryExecutionTime      = {execution_time}
"""


class VirtuosoError(RuntimeError):
    """Virtuoso did not start, or an ISQL statement failed."""


@dataclass
class Virtuoso:
    """A running throwaway Virtuoso server."""

    directory: Path
    http_port: int
    isql_port: int
    process: subprocess.Popen[bytes]
    dba_password: str = "dba"
    started_in: float = 0.0  # seconds from start to answering on both ports
    users: dict[str, str] = field(default_factory=dict)

    @property
    def url(self) -> str:
        """Base URL of its HTTP server, e.g. ``http://127.0.0.1:41234``."""
        return f"http://127.0.0.1:{self.http_port}"

    @property
    def query_url(self) -> str:
        """The anonymous SPARQL 1.1 Protocol endpoint."""
        return self.url + "/sparql"

    @property
    def auth_query_url(self) -> str:
        """The SPARQL endpoint behind Digest authentication."""
        return self.url + "/sparql-auth"

    @property
    def graph_store_url(self) -> str:
        """The Graph Store Protocol endpoint behind Digest authentication."""
        return self.url + "/sparql-graph-crud-auth"

    def isql(self, sql: str, *, password: str | None = None, timeout: float = 60) -> str:
        """Run SQL statements (each ending in ``;``) as ``dba``; the output, or :class:`VirtuosoError`."""
        done = subprocess.run([ISQL, f"127.0.0.1:{self.isql_port}", "dba", password or self.dba_password],
                              input=sql + "\nEXIT;\n", capture_output=True, text=True, timeout=timeout)
        if done.returncode != 0 or "*** Error" in done.stdout or "*** Error" in done.stderr:
            raise VirtuosoError(f"isql failed ({done.returncode}): {done.stdout[-2000:]} {done.stderr[-2000:]}")
        return done.stdout

    def create_user(self, name: str, password: str, *, update: bool = False) -> None:
        """An SQL account that may use the ``-auth`` endpoints: read-only, or with SPARQL update rights."""
        role = "SPARQL_UPDATE" if update else "SPARQL_SELECT"
        self.isql(f"DB.DBA.USER_CREATE ('{name}', '{password}');\n"
                  f"GRANT {role} TO \"{name}\";\n"
                  f"DB.DBA.RDF_DEFAULT_USER_PERMS_SET ('{name}', {3 if update else 1});")
        self.users[name] = password

    def map_default_graph(self, graph: str) -> None:
        """Make ``graph`` the default graph of requests to this host (GSP ``?default``, FROM-less queries)."""
        self.isql(f"DELETE FROM DB.DBA.SYS_SPARQL_HOST WHERE SH_HOST = '127.0.0.1:{self.http_port}';\n"
                  f"INSERT INTO DB.DBA.SYS_SPARQL_HOST (SH_HOST, SH_GRAPH_URI) "
                  f"VALUES ('127.0.0.1:{self.http_port}', '{graph}');")

    def unmap_default_graph(self) -> None:
        """Back to the default: no Graph Store default graph; FROM-less queries see every graph."""
        self.isql(f"DELETE FROM DB.DBA.SYS_SPARQL_HOST WHERE SH_HOST = '127.0.0.1:{self.http_port}';")

    def log(self) -> str:
        """The server's error log."""
        path = self.directory / "virtuoso.log"
        return path.read_text(encoding="utf-8", errors="replace") if path.exists() else ""

    def pause(self) -> None:
        """Stop the process (SIGSTOP): it holds its ports but answers nothing, like a hung store."""
        os.kill(self.process.pid, signal.SIGSTOP)

    def resume(self) -> None:
        os.kill(self.process.pid, signal.SIGCONT)

    def stop(self) -> None:
        """Stop the server (SIGTERM, then SIGKILL); its folder stays for the log."""
        if self.process.poll() is not None:
            return
        os.kill(self.process.pid, signal.SIGCONT)
        stop_process(self.process, timeout=30)


def start_virtuoso(directory: Path, *, dba_password: str = "dba-secret", execution_time: int = 10,
                   cost_estimation: int = 0, result_rows: int = 1_000_000,
                   http_port: int | None = None, isql_port: int | None = None) -> Virtuoso:
    """Start Virtuoso with its database in ``directory`` and return once it answers (see the module note).

    ``execution_time`` is ``MaxQueryExecutionTime`` (the store's own query time limit, seconds),
    ``cost_estimation`` is ``MaxQueryCostEstimationTime`` (0: off; Virtuoso's default of 400 s of
    *estimated* time refuses several of our ordinary queries), ``result_rows`` is
    ``ResultSetMaxRows`` (Virtuoso cuts results there without saying so).
    """
    if not Path(VIRTUOSO).exists() or not Path(ISQL).exists():
        raise VirtuosoError("Virtuoso is not installed: apt-get install virtuoso-opensource")
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "vsp").mkdir(exist_ok=True)
    http_port = http_port or free_port()
    isql_port = isql_port or free_port()
    ini = directory / "virtuoso.ini"
    ini.write_text(INI.format(dir=directory, isql_port=isql_port, http_port=http_port, result_rows=result_rows,
                              cost_estimation=cost_estimation, execution_time=execution_time), encoding="utf-8")
    started = time.monotonic()
    with (directory / "console.log").open("ab") as console:
        process = subprocess.Popen([VIRTUOSO, "-c", str(ini), "+foreground"], cwd=directory,
                                   stdout=console, stderr=subprocess.STDOUT, start_new_session=True)
    server = Virtuoso(directory, http_port, isql_port, process)
    try:
        _wait_ready(server, started)
        if dba_password != "dba":
            server.isql(f'SET PASSWORD dba "{dba_password}";')
            server.dba_password = dba_password
    except BaseException:
        server.stop()
        raise
    server.started_in = time.monotonic() - started
    return server


def _wait_ready(server: Virtuoso, started: float) -> None:
    deadline = started + START_TIMEOUT
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise VirtuosoError(f"Virtuoso stopped while starting ({server.process.returncode}):\n"
                                f"{server.log()[-3000:]}")
        try:
            answer = requests.get(server.query_url, params={"query": "ASK {}"}, timeout=2)
            if answer.status_code == 200:
                server.isql("SELECT 1;", timeout=10)
                return
        except (requests.RequestException, VirtuosoError, subprocess.TimeoutExpired):
            pass
        time.sleep(0.1)
    raise VirtuosoError(f"Virtuoso did not answer within {START_TIMEOUT:g} s:\n{server.log()[-3000:]}")

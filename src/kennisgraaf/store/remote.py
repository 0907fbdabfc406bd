"""A remote SPARQL 1.1 store: queries over the SPARQL 1.1 Protocol, loading over the Graph Store Protocol.

``load_into`` puts every named graph of the build into the store (``PUT ?graph=``), plus the two
materialised unions as ``graph/asserted`` and ``graph/union``, and, where the store accepts one,
the full union into its default graph (for people who query the store directly; the app does not
need it). It reports per graph and goes on past a graph the store refuses; refused credentials or
an unreachable store stop it at once.

:class:`RemoteStore` always names its dataset: the default graph is ``graph/union`` (or
``graph/asserted``, or what the request or the query's FROM names) and the named graphs are the
real ones, so ``GRAPH ?g`` never sees the unions and answers equal the embedded store's.
Bindings (page and canned-query parameters) go in as a ``VALUES`` block at the start of the
query's outermost group, which every store parses (Virtuoso refuses a trailing ``VALUES`` after
an ``ASK``).

Status codes by cause: the store does not answer within the query's time limit, or stops the
query at its own limit (Virtuoso ``SR171``, its cost estimate, or incomplete "anytime" results),
→ 504; the store cannot be reached → 503 with ``Retry-After``; the store refuses our credentials →
502 saying so; the store refuses the query → its status (400 …) with its message; anything else
from the store → 502. A fault of the store reaches the client as a short message with an incident
id, its details (URL, account, the store's words) only the log (:func:`store_fault`). Every
message and log line goes through :class:`~kennisgraaf.store.credentials.Redactor`.
A result Virtuoso cut at its ``ResultSetMaxRows`` (it says so in ``X-SPARQL-MaxRows``) is marked
truncated, as ours are.

Deviations tolerated on read: Virtuoso writes blank nodes in SPARQL JSON as ``nodeID://b123``,
which is no blank node label; the prefix is dropped as the results stream in.
"""

from __future__ import annotations

import dataclasses
import html
import re
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import IO, Any, Literal

import pyoxigraph as ox
import requests

from kennisgraaf.build.dataset import BuiltDataset
from kennisgraaf.config import DEFAULTS
from kennisgraaf.sparql import mediatypes
from kennisgraaf.sparql.admission import Limits
from kennisgraaf.sparql.results import serialise_solutions
from kennisgraaf.store.base import Binding, GuardedStore, QueryPlan, QueryResult, StoreError, store_fault
from kennisgraaf.store.credentials import Credentials, Redactor, split_userinfo

UNION_GRAPH = "union"
USER_AGENT = "kennisgraaf"
RETRY_AFTER = "5"
# A store's own time limit, as Virtuoso (SR171, its cost estimate) and others word it.
_STORE_TIMEOUT = re.compile(r"(?i)SR171|transaction timed out|estimated execution time|timed out|timeout|"
                            r"operation has been cancelled")


class RemoteStore(GuardedStore):
    """The dataset in a SPARQL 1.1 store at ``endpoint`` (its query URL), loaded with :func:`load_into`."""

    def __init__(self, endpoint: str, dataset: BuiltDataset, *, result_limit: int = DEFAULTS.result_limit,
                 timeout: float = DEFAULTS.query_timeout, max_in_flight: int = DEFAULTS.max_in_flight,
                 limits: Limits | None = None, connect_timeout: float = 5.0,
                 credentials: Credentials | None = None) -> None:
        super().__init__(dataset, result_limit=result_limit, timeout=timeout, max_in_flight=max_in_flight,
                         limits=limits)
        endpoint, url_user, url_password = split_userinfo(endpoint)
        if credentials is None:
            credentials = Credentials("basic", url_user, url_password) if url_user else Credentials()
        self.endpoint = endpoint
        self.credentials = credentials
        self.redact = Redactor([*credentials.secrets(), url_password])
        self.connect_timeout = connect_timeout
        self.union_graph = dataset.graph_iri(UNION_GRAPH)
        self.session = requests.Session()
        self.session.headers["User-Agent"] = USER_AGENT
        credentials.apply(self.session)
        self._local = threading.local()  # the answer being read, per request thread

    def execute(self, plan: QueryPlan, bindings: dict[str, Binding], timeout: float) -> QueryResult:
        try:
            return self._execute(plan, bindings, timeout)
        except StoreError as exc:
            # The one place every message passes: no secret reaches a client, a log or /health
            # (a fault with an incident id was redacted before it was logged: _fault).
            if exc.incident:
                raise
            raise StoreError(self.redact(exc.message), exc.status, exc.headers) from None

    def _fault(self, message: str, detail: str, status: int, headers: dict[str, str] | None = None) -> StoreError:
        """A failure of the store: the client gets ``message`` and an incident id, the log the (redacted) detail."""
        fault = store_fault(message, self.redact(f"remote store {self.endpoint}: {detail}"), status=status)
        fault.headers.update(headers or {})
        return fault

    def _execute(self, plan: QueryPlan, bindings: dict[str, Binding], timeout: float) -> QueryResult:
        deadline = time.monotonic() + timeout
        wire = "application/n-triples" if plan.kind == "graph" else mediatypes.SPARQL_JSON
        data: list[tuple[str, str]] = [("query", self._text(plan, bindings))]
        data += [("default-graph-uri", g) for g in (plan.default_graph or [self.union_graph])]
        data += [("named-graph-uri", g) for g in plan.named_graphs]
        try:
            response = self.session.post(
                self.endpoint, data=data, stream=True,
                headers={"Accept": wire, "Accept-Encoding": "identity"},
                timeout=(min(self.connect_timeout, timeout), max(0.01, deadline - time.monotonic())),
            )
        except requests.Timeout:
            raise self.timeout_error(timeout) from None
        except requests.RequestException as exc:
            raise self._fault("The SPARQL store cannot be reached; try again in a moment.",
                              f"cannot be reached: {_reason(exc)}", 503, {"Retry-After": RETRY_AFTER}) from None
        with response:
            if response.status_code != 200:
                raise self._error(response, timeout)
            if response.headers.get("X-SQL-State"):
                # Virtuoso's "anytime" answer: cut off at its own time limit, yet 200.
                raise StoreError("The SPARQL store stopped the query at its own time limit (it sent incomplete "
                                 "results).", 504)
            response.raw.decode_content = True
            try:
                result = self._read(plan, response, lambda: time.monotonic() > deadline)
                if "X-SPARQL-MaxRows" in response.headers and not result.truncated:
                    # Virtuoso reached its ResultSetMaxRows: the answer may be cut; say so, as we do.
                    result = dataclasses.replace(result, truncated=True)
                return result
            except requests.RequestException as exc:
                if isinstance(exc, requests.Timeout) or time.monotonic() > deadline:
                    raise self.timeout_error(timeout) from None
                raise self._fault("The SPARQL store's answer broke off.", f"answer broke off: {_reason(exc)}",
                                  502) from None
            except _Overrun:
                raise self.timeout_error(timeout) from None
            except (SyntaxError, OSError, ValueError) as exc:
                if time.monotonic() > deadline:
                    raise self.timeout_error(timeout) from None
                if _STORE_TIMEOUT.search(self._tail.decode("utf-8", "replace")):
                    # Oxigraph's own time limit: a 200 whose body breaks off with "… has been cancelled".
                    raise StoreError("The SPARQL store stopped the query at its own time limit (its answer broke "
                                     "off: " + self._tail.decode("utf-8", "replace")[-120:].strip() + ").",
                                     504) from None
                raise self._fault("The SPARQL store's answer could not be read.", f"unreadable answer: {exc}",
                                  502) from None

    def _error(self, response: requests.Response, timeout: float) -> StoreError:
        message = _text_of(response)
        status = response.status_code
        if status in (401, 403):
            reason = f"{status} {'Unauthorized' if status == 401 else 'Forbidden'}"
            shown = (f"The SPARQL store refused the app's credentials ({reason})." if self.credentials else
                     f"The SPARQL store asks for credentials ({reason}) and the app has none.")
            return self._fault(shown, _refusal(status, self.credentials, "SPARQL store", "store_user, "
                                               "store_password, store_auth, store_token or store_headers"), 502)
        if status in (400, 406, 413, 414, 415):
            return StoreError(message or f"The SPARQL store refused the query ({status}).", status)
        # Virtuoso repeats the query after "SPARQL query:"; only the message before it counts.
        if status == 504 or (status >= 500 and _STORE_TIMEOUT.search(message.split("SPARQL query:")[0])):
            return StoreError("The SPARQL store stopped the query at its own time limit.", 504)
        if status == 503:
            return StoreError("The SPARQL store is busy; try again in a moment.", 503,
                              {"Retry-After": response.headers.get("Retry-After", RETRY_AFTER)})
        return self._fault("The SPARQL store failed.", f"{status}: {message}", 502)

    def _text(self, plan: QueryPlan, bindings: dict[str, Binding]) -> str:
        """The query with BASE and our prefixes in front, and bindings as a VALUES block in its outermost group."""
        declared = plan.admitted.prefixes
        # One line in front of the query's first line, so that the store's error messages keep the
        # query's line numbers.
        prologue = f"BASE <{self.dataset.base}> " + "".join(
            f"PREFIX {name}: <{iri}> " for name, iri in self.prefixes.items() if name not in declared)
        text = plan.admitted.text
        if bindings:
            names = " ".join(f"?{name}" for name in bindings)
            values = " ".join(str(term) for term in bindings.values())
            at = outer_group_start(text)
            if at is None:
                raise StoreError("This query has no group to bind parameters in.", 400)
            text = text[:at] + f" VALUES ({names}) {{ ({values}) }} " + text[at:]
        return prologue + text

    @property
    def _tail(self) -> bytes:
        reader = getattr(self._local, "reader", None)
        return reader.tail if reader is not None else b""

    def _read(self, plan: QueryPlan, response: requests.Response, late: Callable[[], bool]) -> QueryResult:
        reader = self._local.reader = BlankNodeFix(response.raw)
        if plan.kind == "graph":
            triples = ox.parse(input=reader, format=ox.RdfFormat.N_TRIPLES)
            kept, truncated = _take(triples, self.result_limit, late)
            fmt = mediatypes.rdf_format(plan.media_type)
            kwargs: dict[str, Any] = {"prefixes": self.prefixes} if fmt in (
                ox.RdfFormat.TURTLE, ox.RdfFormat.RDF_XML) else {}
            return QueryResult("graph", plan.media_type, ox.serialize(kept, format=fmt, **kwargs), truncated)
        results = ox.parse_query_results(input=reader, format=ox.QueryResultsFormat.JSON)
        if isinstance(results, ox.QueryBoolean):
            fmt_results = ox.QueryResultsFormat.from_media_type(plan.media_type)
            return QueryResult("ask", plan.media_type, results.serialize(format=fmt_results))
        variables = [v.value for v in results.variables]
        rows, truncated = _take((tuple(solution) for solution in results), self.result_limit, late)
        body = serialise_solutions(variables, rows, plan.media_type)
        return QueryResult("select", plan.media_type, body, truncated)

    def describe(self) -> str:
        """The store for operators: its URL and how we authenticate, without secrets."""
        return f"{self.endpoint} ({self.credentials.describe()})"

    def close(self) -> None:
        self.session.close()


class _Overrun(Exception):
    """The deadline passed while the answer was being read."""


def _take(items: Iterator[Any] | Any, limit: int, late: Callable[[], bool]) -> tuple[list[Any], bool]:
    kept: list[Any] = []
    for item in items:
        if len(kept) == limit:
            return kept, True
        kept.append(item)
        if len(kept) % 1000 == 0 and late():
            raise _Overrun
    if late():
        raise _Overrun
    return kept, False


class BlankNodeFix:
    """A byte stream of query results (SPARQL JSON or N-Triples) with Virtuoso's ``"type": "bnode", "value": "nodeID://b1"``
    turned into ``"value": "b1"`` (a valid label), as it streams.

    The pattern cannot occur inside a JSON string (its quotes would be escaped there), so only blank
    node values are touched; a tail is held back so that a match split between reads is still found.
    """

    _PATTERN = re.compile(rb'("type"\s{0,8}:\s{0,8}"bnode"\s{0,8},\s{0,8}"value"\s{0,8}:\s{0,8}")nodeID://')
    _HOLD = 80

    def __init__(self, raw: IO[bytes]) -> None:
        self.raw = raw
        self.pending = b""  # read, not yet fixed for certain (may hold the start of a match)
        self.ready = b""  # fixed
        self.done = False
        self.tail = b""  # the last bytes read: why an answer broke off

    def read(self, size: int = -1) -> bytes:
        while not self.done and (size < 0 or len(self.ready) < size):
            chunk = self.raw.read(65536)
            if not chunk:
                self.done = True
            self.tail = (self.tail + chunk)[-300:]
            self.pending = self._PATTERN.sub(rb"\1", self.pending + chunk)
            # Keep back a tail that may hold the start of a match; what is before it is final.
            cut = len(self.pending) if self.done else max(0, len(self.pending) - self._HOLD)
            self.ready += self.pending[:cut]
            self.pending = self.pending[cut:]
        if size < 0:
            out, self.ready = self.ready, b""
        else:
            out, self.ready = self.ready[:size], self.ready[size:]
        return out


def outer_group_start(text: str) -> int | None:
    """Offset just after the ``{`` that opens the query's outermost group pattern (its WHERE clause).

    Skips comments, strings and IRIs. The WHERE keyword is optional in SELECT, ASK and DESCRIBE;
    without one, the first ``{`` at the top level opens the group (a CONSTRUCT template always has
    a WHERE after it).
    """
    depth, first, i = 0, None, 0
    while i < len(text):
        char = text[i]
        if char == "#":
            end = text.find("\n", i)
            i = len(text) if end < 0 else end
            continue
        if char in "\"'":
            quote = text[i:i + 3] if text[i:i + 3] in ('"""', "'''") else char
            end = i + len(quote)
            while end < len(text) and not text.startswith(quote, end):
                end += 2 if text[end] == "\\" else 1
            i = end + len(quote)
            continue
        iri = _IRIREF.match(text, i) if char == "<" else None
        if iri:
            i = iri.end()
            continue
        if char == "{":
            if depth == 0 and first is None:
                first = i + 1
            depth += 1
        elif char == "}":
            depth -= 1
        elif depth == 0 and _WHERE.match(text, i) and (i == 0 or not (text[i - 1].isalnum() or text[i - 1] in "_?$:")):
            brace = text.find("{", i)
            return brace + 1 if brace >= 0 else None
        i += 1
    return first


_IRIREF = re.compile(r'<[^<>"{}|^`\\\x00-\x20]*>')
_WHERE = re.compile(r"(?i)WHERE\b")


def _reason(exc: BaseException) -> str:
    """The gist of a connection error (requests nests urllib3's reason in long reprs)."""
    text = str(exc)
    found = re.search(r"\[Errno -?\d+\] ([^'\")]+)|(Connection refused|Name or service not known|Read timed out)", text)
    return (found.group(1) or found.group(2)).strip() if found else text[:300]


def _text_of(response: requests.Response) -> str:
    """The store's error message as one line of plain text (Virtuoso's are HTML pages)."""
    text = response.text[:4000]
    if "<" in text and ">" in text:
        text = html.unescape(re.sub(r"(?s)<(head|style|script)\b.*?</\1>|<[^>]+>", " ", text))
    return " ".join(text.split())[:1000]


def _refusal(status: int, credentials: Credentials, what: str, settings: str) -> str:
    if not credentials:
        return (f"The {what} asks for credentials ({status} {'Unauthorized' if status == 401 else 'Forbidden'}) "
                f"and none are set: see {settings}.")
    return (f"The {what} refused the credentials ({status} {'Unauthorized' if status == 401 else 'Forbidden'}; "
            f"sent {credentials.describe()}): check {settings}.")


# --- loading -----------------------------------------------------------------------------------

DefaultGraph = Literal["auto", "yes", "no"]


def graphs_to_load(dataset: BuiltDataset) -> dict[str | None, list[ox.Triple]]:
    """Triples per target graph IRI (None: the store's default graph), unions included."""
    graphs: dict[str | None, list[ox.Triple]] = defaultdict(list)
    inferred = dataset.inferred_graph_iri()
    union: dict[ox.Triple, None] = {}
    asserted: dict[ox.Triple, None] = {}
    for quad in ox.parse(path=str(dataset.quads_file), format=ox.RdfFormat.N_QUADS):
        triple = ox.Triple(quad.subject, quad.predicate, quad.object)
        graphs[quad.graph_name.value].append(triple)
        union[triple] = None
        if quad.graph_name.value != inferred:
            asserted[triple] = None
    graphs[dataset.asserted_graph_iri()] = list(asserted)
    graphs[dataset.graph_iri(UNION_GRAPH)] = list(union)
    graphs[None] = list(union)
    return dict(graphs)


@dataclass
class GraphLoad:
    """What happened to one graph: ``loaded``, ``skipped`` (the default graph, where refused) or ``failed``."""

    graph: str | None  # None: the store's default graph
    triples: int
    outcome: Literal["loaded", "skipped", "failed"]
    message: str = ""

    @property
    def name(self) -> str:
        return self.graph or "(default graph)"


@dataclass
class LoadReport:
    """Per graph, what ``load_into`` did; ``url`` is shown without credentials."""

    url: str
    graphs: list[GraphLoad] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return all(g.outcome != "failed" for g in self.graphs)

    def loaded(self) -> list[GraphLoad]:
        return [g for g in self.graphs if g.outcome == "loaded"]

    def failed(self) -> list[GraphLoad]:
        return [g for g in self.graphs if g.outcome == "failed"]

    def summary(self) -> str:
        loaded = self.loaded()
        text = f"loaded {sum(g.triples for g in loaded)} triples in {len(loaded)} graphs into {self.url}"
        if self.failed():
            text += f"; {len(self.failed())} graphs not loaded: " + ", ".join(g.name for g in self.failed())
        return text

    def retry_options(self) -> str:
        """``--graph`` options that load just the graphs that failed."""
        return " ".join(f"--graph {(g.graph or '/default').rsplit('/', 1)[-1]}" for g in self.failed())


class LoadStopped(StoreError):
    """``load`` could not go on (unreachable store, refused credentials); ``report`` holds what got in."""

    def __init__(self, message: str, report: LoadReport) -> None:
        super().__init__(message, 502)
        self.report = report


def graph_names(dataset: BuiltDataset) -> dict[str, str | None]:
    """Every graph ``load`` writes, by its short name (``reference``, ``union``, ``default``, …)."""
    names: dict[str, str | None] = {"default": None}
    for graph in graphs_to_load(dataset):
        if graph is not None:
            names[graph.rsplit("/", 1)[-1]] = graph
    return names


def load_into(url: str, dataset: BuiltDataset, *, credentials: Credentials | None = None,
              default_graph: DefaultGraph = "auto", timeout: float = 120.0, only: set[str | None] | None = None,
              progress: Callable[[str], None] | None = None) -> LoadReport:
    """PUT every graph of ``dataset`` into the Graph Store Protocol endpoint ``url``, reporting per graph.

    Named graphs first (the build's, then ``graph/asserted`` and ``graph/union``), then the
    default graph: with ``default_graph="auto"`` a store that refuses it (Virtuoso without a
    default-graph mapping) is reported and skipped, with ``"yes"`` that refusal is a failure, with
    ``"no"`` it is not tried. A graph the store refuses is reported and the others still load
    (run ``load`` again to retry: PUT replaces a graph); refused credentials or an unreachable store
    stop the load (:class:`LoadStopped`, with the report so far). ``only``: load just these graphs
    (IRIs; None for the default graph), to finish a partial load.
    """
    url, url_user, url_password = split_userinfo(url)
    if credentials is None:
        credentials = Credentials("basic", url_user, url_password) if url_user else Credentials()
    redact = Redactor([*credentials.secrets(), url_password])
    report = LoadReport(redact(url))
    graphs = graphs_to_load(dataset)
    unions = (dataset.asserted_graph_iri(), dataset.graph_iri(UNION_GRAPH))
    order: list[str | None] = sorted((g for g in graphs if g is not None), key=lambda g: (g in unions, g))
    if default_graph != "no":
        order.append(None)
    if only is not None:
        order = [g for g in order if g in only]
    with requests.Session() as session:
        session.headers["User-Agent"] = USER_AGENT
        credentials.apply(session)
        for graph in order:
            triples = graphs[graph]
            params = {"graph": graph} if graph is not None else {"default": ""}
            body = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)
            try:
                response = session.put(url, params=params, data=body, timeout=timeout,
                                       headers={"Content-Type": "application/n-triples"})
            except requests.RequestException as exc:
                raise LoadStopped(redact(f"cannot reach the graph store at {url}: {_reason(exc)}"), report) from None
            status = response.status_code
            if status in (200, 201, 204):
                done = GraphLoad(graph, len(triples), "loaded")
            elif status in (401, 403):
                raise LoadStopped(redact(_refusal(status, credentials, "graph store", "store_update_user, "
                                                  "store_update_password, store_update_auth (or the store_* "
                                                  "settings)")), report)
            else:
                reason = redact(f"{status}: {_text_of(response)[:300]}")
                if graph is None and default_graph == "auto":
                    done = GraphLoad(None, len(triples), "skipped",
                                     f"the store does not accept a default graph ({reason}); the app does not need "
                                     "it (it names graph/union); see docs/stores.md to give the store one")
                else:
                    done = GraphLoad(graph, len(triples), "failed", f"refused ({reason})")
            report.graphs.append(done)
            if progress is not None:
                progress(f"{done.name}: {done.triples} triples {done.outcome}"
                         + (f" — {done.message}" if done.message else ""))
    return report

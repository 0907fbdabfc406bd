"""Loading a remote store through the Graph Store Protocol, with a report per graph.

``load_into`` puts every named graph of the build into the store (``PUT ?graph=``), plus the two
materialised unions as ``graph/asserted`` and ``graph/union``, and, where the store accepts one,
the full union into its default graph (for people who query the store directly; the app does not
need it). It reports per graph and goes on past a graph the store refuses; refused credentials or
an unreachable store stop it at once. :class:`~kennisgraaf.store.remote.RemoteStore` then queries
the store with ``graph/union`` as its default graph.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

import pyoxigraph as ox
import requests

from kennisgraaf.build.dataset import BuiltDataset
from kennisgraaf.store.base import StoreError
from kennisgraaf.store.client import connection_reason, open_session, text_of
from kennisgraaf.store.credentials import Credentials, credentials_in_url, refusal

UNION_GRAPH = "union"

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
    url, credentials, redact = credentials_in_url(url, credentials)
    report = LoadReport(redact(url))
    graphs = graphs_to_load(dataset)
    unions = (dataset.asserted_graph_iri(), dataset.graph_iri(UNION_GRAPH))
    order: list[str | None] = sorted((g for g in graphs if g is not None), key=lambda g: (g in unions, g))
    if default_graph != "no":
        order.append(None)
    if only is not None:
        order = [g for g in order if g in only]
    with open_session(credentials) as session:
        for graph in order:
            triples = graphs[graph]
            params = {"graph": graph} if graph is not None else {"default": ""}
            body = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)
            try:
                response = session.put(url, params=params, data=body, timeout=timeout,
                                       headers={"Content-Type": "application/n-triples"})
            except requests.RequestException as exc:
                raise LoadStopped(redact(f"cannot reach the graph store at {url}: {connection_reason(exc)}"),
                                  report) from None
            status = response.status_code
            if status in (200, 201, 204):
                done = GraphLoad(graph, len(triples), "loaded")
            elif status in (401, 403):
                raise LoadStopped(redact(refusal(status, credentials, "graph store", "store_update_user, "
                                                  "store_update_password, store_update_auth (or the store_* "
                                                  "settings)")), report)
            else:
                reason = redact(f"{status}: {text_of(response)[:300]}")
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

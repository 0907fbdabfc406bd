"""The embedded store: the built dataset in pyoxigraph, in a pool of killable worker processes."""

from __future__ import annotations

from kennisgraaf.build.dataset import BuiltDataset
from kennisgraaf.config import DEFAULTS
from kennisgraaf.sparql.admission import Limits, may_read_named_graphs
from kennisgraaf.store.base import Binding, GuardedStore, QueryPlan, QueryResult, StoreError, store_fault
from kennisgraaf.store.pool import PoolBusy, WorkerFailed, WorkerPool, WorkerTimeout
from kennisgraaf.store.workers import Job, WorkerSpec


class EmbeddedStore(GuardedStore):
    """The built dataset in pyoxigraph, queried in a pool of killable worker processes."""

    def __init__(self, dataset: BuiltDataset, result_limit: int = DEFAULTS.result_limit, *,
                 timeout: float = DEFAULTS.query_timeout, workers: int = DEFAULTS.workers,
                 max_in_flight: int = DEFAULTS.max_in_flight, limits: Limits | None = None,
                 memory_mb: int = DEFAULTS.worker_memory_mb, result_bytes: int = DEFAULTS.max_result_bytes,
                 recycle_mb: int = DEFAULTS.worker_recycle_mb) -> None:
        self.result_bytes = result_bytes
        self.memory_mb = memory_mb
        super().__init__(dataset, result_limit=result_limit, timeout=timeout, max_in_flight=max_in_flight,
                         limits=limits)
        spec = WorkerSpec(
            quads_file=str(dataset.quads_file),
            inferred_graph=dataset.inferred_graph_iri(),
            asserted_graph=dataset.asserted_graph_iri(),
            base=dataset.base,
            prefixes=self.prefixes,
            memory_mb=memory_mb,
            quads_sha256=dataset.quads_sha256,
            recycle_mb=recycle_mb,
            store_dir=str(dataset.store_dir or ""),
            store_quads=sum(dataset.meta["triples"].values()),
        )
        self.pool = WorkerPool(spec, warm=workers, limit=max(workers, max_in_flight))

    @property
    def loaded_triples(self) -> int | None:
        """Quads the workers hold from the dataset file (None before they start), for /health."""
        return self.pool.loaded_quads

    def start(self) -> None:
        """Start loading the store in the query workers' fork server, in the background."""
        self.pool.start()

    def warm_up(self) -> None:
        """Start the warm workers before the first query arrives (raises WorkerFailed if the store cannot load)."""
        self.pool.warm_up()

    def execute(self, plan: QueryPlan, bindings: dict[str, Binding], timeout: float) -> QueryResult:
        # Naming the dataset's graphs costs the engine about 6 µs a graph on every query (9 ms at 1M
        # triples, 1,523 graphs, for an ASK {} that takes 0.02 ms without them). A query that cannot
        # read named graphs gets the store's own (None), which only add the unions it cannot reach.
        named: list[str] | None = plan.named_graphs
        if plan.own_named_graphs and not may_read_named_graphs(plan.admitted.text):
            named = None
        job = Job(plan.admitted.text, plan.media_type, plan.default_graph, named, bindings,
                  self.result_limit, timeout, self.result_bytes)
        try:
            reply = self.pool.run(job, timeout)
        except WorkerTimeout:
            raise self.timeout_error(timeout) from None
        except PoolBusy:
            raise StoreError("No query worker became free within the time limit; try again.", 503,
                             {"Retry-After": "2"}) from None
        except WorkerFailed as exc:
            # The worker died holding this query: most likely the query itself ran it out of memory or
            # stack. It is not retried (it would only kill another one); the log has the query's hash.
            memory = f"{self.memory_mb} MB of memory (worker_memory_mb)" if self.memory_mb else "its memory"
            raise store_fault(
                f"The query engine stopped while running this query: a query that needs more than {memory} "
                "or very deep recursion ends its worker. The query was not retried; simplify it, or narrow it "
                "with LIMIT, smaller VALUES or fewer patterns. A fresh worker is ready for the next query.",
                f"worker died on a query: {exc}", query=plan.admitted.text) from None
        if reply[0] == "fault":
            raise store_fault("The query engine failed on this query.", reply[1], query=plan.admitted.text)
        if reply[0] == "error":
            raise StoreError(reply[2], reply[1])
        _, kind, media_type, body, truncated = reply
        return QueryResult(kind, media_type, body, truncated)

    def close(self) -> None:
        self.pool.close()

"""The build's on-disk store: what every query worker opens read-only instead of parsing graphs.nq."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from kennisgraaf.build.dataset import BuiltDataset
from kennisgraaf.store.workers import WorkerSpec, load_store


def _spec(built: BuiltDataset, store_dir: str) -> WorkerSpec:
    return WorkerSpec(quads_file=str(built.quads_file), inferred_graph=built.inferred_graph_iri(),
                      asserted_graph=built.asserted_graph_iri(), base=built.base, isolate_network=False,
                      quads_sha256=built.quads_sha256, store_dir=store_dir,
                      store_quads=sum(built.meta["triples"].values()))


def test_the_build_writes_a_store_that_holds_the_graphs_and_both_unions(built):
    assert built.store_dir is not None
    on_disk = ox.Store.read_only(str(built.store_dir))
    in_memory = built.open_store()
    assert set(on_disk) == set(in_memory)
    graphs = len(list(ox.parse(path=str(built.quads_file), format=ox.RdfFormat.N_QUADS)))
    asserted = sum(n for name, n in built.meta["triples"].items() if name != "inferred")
    # Every quad once in its graph, once in the default graph (the union), and the asserted ones in graph/asserted.
    assert len(on_disk) == 2 * graphs + asserted


def test_a_worker_opens_the_on_disk_store_and_reports_the_dataset_size(built):
    store, quads = load_store(_spec(built, str(built.store_dir)))
    assert quads == len(list(ox.parse(path=str(built.quads_file), format=ox.RdfFormat.N_QUADS)))
    ask = f"ASK {{ GRAPH <{built.asserted_graph_iri()}> {{ ?s a ?o }} }}"
    assert store.query(ask)
    # Read-only: a worker cannot change what the other workers see.
    with pytest.raises(RuntimeError, match="read-write"):
        store.update("INSERT DATA { <urn:x> <urn:y> <urn:z> }")


def test_a_worker_without_the_store_folder_loads_the_quads_file(built, tmp_path):
    store, quads = load_store(_spec(built, str(tmp_path / "gone")))
    assert quads == len(list(ox.parse(path=str(built.quads_file), format=ox.RdfFormat.N_QUADS)))
    assert len(store) == len(ox.Store.read_only(str(built.store_dir)))

"""Stage 3, stores: the store protocol, the embedded store (worker pool) and remote SPARQL stores."""

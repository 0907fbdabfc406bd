"""Stage 4, what people read, without Flask: pages, source views, diagram, ontology docs, dumps, VoID."""

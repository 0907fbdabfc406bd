"""Stage 1, build: Turtle and source texts → checked quotes → SHACL → OWL-RL closure → a cached dataset.

Nothing here knows about SPARQL endpoints, stores or the web; see docs/architecture.md.
"""

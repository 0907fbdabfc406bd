"""kennisgraaf: a linked-data knowledge graph of the Dutch sociaal domein debate."""

__version__ = "0.1.0"

"""kgbuild: news articles about mediated negotiations → an RDF knowledge graph with evidence."""
__version__ = "0.1.0"

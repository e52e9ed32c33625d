"""The SPARQL endpoint: a thin FastAPI app over the store.

SPARQL 1.1 Protocol at /sparql (queries; updates with a token), the Graph Store HTTP Protocol at /rdf-graphs,
SHACL reports at /validate, the named queries of queries/ at /queries, our IRIs at /id/, and a query page at /.
One module per resource (sparql, graph_store, validation, named, linked); shared request helpers in http;
the app is wired in app.
"""

from .app import create_app
from .settings import Settings

__all__ = ["Settings", "create_app"]

"""The HTTP face of lifecat: SPARQL, record pages and the home page (FastAPI + jinja2)."""

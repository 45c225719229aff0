"""lifecat: a FAIR linked-data knowledge graph of life-science resource metadata."""

from lifecat.core.version import __version__

__all__ = ["__version__"]

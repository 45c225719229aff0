"""lifecat: a FAIR linked-data knowledge graph of life-science resource metadata."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("lifecat")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0"

"""lifecat's version, as installed (provenance records it; pages and the API show it)."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("lifecat")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0"

"""The core every layer shares: vocabulary, IRIs, identifier normalisation, configuration, version.

It imports nothing else from lifecat, so that ``mappings``, ``graph`` and ``endpoint`` can all build on
it without importing each other in a circle (layers point one way: core ← mappings ← graph ←
endpoint ← the command line).
"""

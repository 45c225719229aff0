"""The build pipeline and the store: source files in, an atomically swapped Oxigraph store out."""

"""Vocabularies: lifecat's own small set of terms (Turtle)."""

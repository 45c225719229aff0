"""SHACL shapes (Turtle), one file per record type lifecat emits."""

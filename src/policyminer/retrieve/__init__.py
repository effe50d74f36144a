"""Retrieve: hybrid search over the vector and lexical indexes."""

"""Index: chunks, dense vectors (FAISS) and BM25, kept in line with the catalog."""

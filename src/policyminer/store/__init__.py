"""Store: the SQLite catalog of documents, chunks, mentions and tags, and crash-safe file writes."""

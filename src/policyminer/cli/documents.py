"""Commands that manage the evidence base: ingest, remove, status, docs, show."""

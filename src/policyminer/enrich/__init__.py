"""Enrich: named entities, actor lists, initiatives and opportunity-area tags."""

"""policyminer: document mining and cited retrieval for Norwegian public-policy PDFs."""

__version__ = "0.1.0"

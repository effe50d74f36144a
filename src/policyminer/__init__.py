"""policyminer: document mining and cited retrieval for Norwegian public-policy PDFs."""

import os

# Must be set before torch (pulled in by spaCy/thinc or sentence-transformers) starts OpenMP:
# busy-waiting threads run 3-10x slower on a shared 2-core machine.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

__version__ = "0.1.0"

"""Inference precision for the torch encoders: bfloat16 matrix products where the CPU has them."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import torch


def bf16_native() -> bool:
    """True when matrix products may run in bfloat16: the CPU has them natively, not opted out.

    AVX512-BF16 or AMX computes bf16 products in hardware; elsewhere torch emulates them and
    bf16 is slower than fp32. POLICYMINER_PRECISION=fp32 forces fp32 everywhere.
    """
    if os.environ.get("POLICYMINER_PRECISION", "").strip().lower() == "fp32":
        return False
    import torch  # lazy: only callers that already run a torch model ask

    cpu = torch.cpu
    checks = ("_is_avx512_bf16_supported", "_is_amx_tile_supported")
    return any(bool(getattr(cpu, name, lambda: False)()) for name in checks)


@contextlib.contextmanager
def fast_inference(bf16: bool = True) -> Iterator[None]:
    """torch inference mode, with linear layers in bfloat16 where the CPU does that natively.

    ``bf16=False`` for models whose linear layers cannot take bf16 input (int8 dynamic ones).

    Autocast keeps the weights, layer norms and softmax in fp32 and runs the matrix products in
    bf16: about 1.5x less CPU for e5-small at cosine 0.99999 with fp32 (BENCHMARKS.md, issue
    15), and NorNE F1 unchanged for the tagger.
    """
    import torch  # lazy: heavy, and only the torch encoders need it

    with torch.inference_mode():
        if bf16 and bf16_native():
            with torch.autocast("cpu", dtype=torch.bfloat16):
                yield
        else:
            yield


def int8_rows(weight: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """A 2-D weight as int8 with one fp32 scale per output row: the tagger's shipped form."""
    import torch  # lazy, as above

    scale = weight.abs().amax(dim=1).clamp(min=1e-12) / 127.0
    return torch.round(weight / scale[:, None]).to(torch.int8).contiguous(), scale.contiguous()

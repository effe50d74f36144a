"""The NER recipe's optimiser, schedule and step: one copy for the CPU script and the GPU sweep.

Free of spaCy and of policyminer, so that it runs on a GPU machine that has neither.
"""

from __future__ import annotations

import torch

WARMUP = 0.06  # of all steps, linear
CLIP = 1.0
WEIGHT_DECAY = 0.01  # on matrices only


def recipe_optimiser(
    model: torch.nn.Module, lr: float, steps: int
) -> tuple[list[torch.nn.Parameter], torch.optim.Optimizer, torch.optim.lr_scheduler.LambdaLR]:
    """The trainable parameters, AdamW over them, and linear warm-up then linear decay to 0."""
    params = [p for p in model.parameters() if p.requires_grad]
    opt = torch.optim.AdamW(
        [
            {"params": [p for p in params if p.ndim >= 2], "weight_decay": WEIGHT_DECAY},
            {"params": [p for p in params if p.ndim < 2], "weight_decay": 0.0},
        ],
        lr=lr,
    )
    warmup = max(1, int(WARMUP * steps))
    decay = max(1, steps - warmup)
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min((s + 1) / warmup, max(0.0, (steps - s) / decay))
    )
    return params, opt, sched


def take_step(
    loss: torch.Tensor,
    params: list[torch.nn.Parameter],
    opt: torch.optim.Optimizer,
    sched: torch.optim.lr_scheduler.LambdaLR,
) -> float:
    """One clipped optimiser step on ``loss``; its value."""
    loss.backward()
    torch.nn.utils.clip_grad_norm_(params, CLIP)
    opt.step()
    sched.step()
    opt.zero_grad()
    return loss.item()

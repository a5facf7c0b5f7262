"""``autograd_lab.cuda``: there is no GPU here; the usual device check says so (``is_available()`` is False)."""

from __future__ import annotations

from typing import Any


def is_available() -> bool:
    """False: autograd_lab computes on the CPU only (``device = "cuda" if cuda.is_available() else "cpu"`` works)."""
    return False


def device_count() -> int:
    """0: no GPU."""
    return 0


def manual_seed(seed: int) -> None:
    """Nothing to seed without a GPU (accepted so PyTorch code runs)."""


def manual_seed_all(seed: int) -> None:
    """Nothing to seed without a GPU (accepted so PyTorch code runs)."""


def synchronize(*args: Any) -> None:
    """Nothing to wait for without a GPU."""

"""Grad mode: whether operations are recorded for backward (``no_grad``, ``enable_grad``, ...)."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any


class _GradMode:
    """The one switch: ``recording.enabled`` is False inside ``no_grad()``."""

    enabled = True


recording = _GradMode()

# The nn.Modules whose forward is running, outermost first.  nn.Module.__call__
# pushes itself here; every node recorded meanwhile remembers the stack, so the
# graph drawing can group a network's operations by layer.
_module_stack: list[Any] = []


def is_grad_enabled() -> bool:
    """True when operations are being recorded for backward."""
    return recording.enabled


class _GradModeContext:
    """Context manager and decorator that sets grad mode and restores it on exit."""

    mode = True

    def __enter__(self) -> None:
        self._previous = recording.enabled
        recording.enabled = self.mode

    def __exit__(self, *exc: object) -> None:
        recording.enabled = self._previous

    def __call__(self, func: Callable[..., Any]) -> Callable[..., Any]:
        mode = self.mode

        @functools.wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            previous = recording.enabled
            recording.enabled = mode
            try:
                return func(*args, **kwargs)
            finally:
                recording.enabled = previous

        return wrapper


class no_grad(_GradModeContext):
    """Disable graph recording: ``with no_grad(): w -= lr * w.grad``."""

    mode = False

    def __new__(cls, func: Callable[..., Any] | None = None) -> Any:
        # Allows both ``@no_grad()`` and the bare ``@no_grad`` decorator.
        self = super().__new__(cls)
        return self(func) if callable(func) else self


class enable_grad(no_grad):
    """Re-enable graph recording inside a ``no_grad`` block."""

    mode = True


class inference_mode(no_grad):
    """Same as ``no_grad`` here (PyTorch's faster variant of it)."""


class set_grad_enabled(_GradModeContext):
    """Set grad mode to ``mode`` now; as a context manager, restore it on exit."""

    def __init__(self, mode: bool) -> None:
        self.mode = bool(mode)
        self._previous = recording.enabled
        recording.enabled = self.mode

    def __enter__(self) -> None:
        pass

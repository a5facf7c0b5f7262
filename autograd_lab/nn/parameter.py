"""``Parameter``: a tensor that a ``Module`` registers as one of its learnable weights."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np

from ..dtypes import _defaults
from ..tensor import Tensor


class Parameter(Tensor):
    """A leaf tensor with ``requires_grad=True`` that modules list in ``parameters()``.

    ``Parameter(tensor)`` shares memory with ``tensor`` (as in PyTorch); assigning
    it to an attribute of a ``Module`` registers it.
    """

    __slots__ = ()

    def __init__(self, data: Any = None, requires_grad: bool = True) -> None:
        if data is None:
            array = np.empty((0,), dtype=_defaults.float_dtype)
        elif isinstance(data, Tensor):
            array = data._data
        elif isinstance(data, np.ndarray):
            array = data
        else:
            raise TypeError(
                f"Parameter expects a tensor, got {type(data).__name__}; "
                "wrap the values first: nn.Parameter(autograd_lab.tensor(values))"
            )
        if requires_grad and array.dtype.kind != "f":
            raise RuntimeError(
                f"only Tensors of floating point dtype can require gradients, got {array.dtype}; "
                "create the parameter from a float tensor"
            )
        self._init(array, bool(requires_grad), None, 0, None)

    def __repr__(self) -> str:
        return "Parameter containing:\n" + super().__repr__()

    def __deepcopy__(self, memo: dict[int, Any]) -> Parameter:
        copy = Parameter(np.array(self._data, copy=True), self._requires_grad)
        if self._grad is not None:
            copy._grad = Tensor._make(np.array(self._grad._data, copy=True))
        memo[id(self)] = copy
        return copy

    def __reduce_ex__(self, protocol: Any) -> Any:
        return (Parameter, (np.array(self._data, copy=True), self._requires_grad))


def zero_grads(parameters: Iterable[Tensor], set_to_none: bool = True) -> None:
    """Forget the parameters' gradients: ``.grad`` becomes None (or zeros with set_to_none=False)."""
    for param in parameters:
        if param._grad is not None:
            param._grad = None if set_to_none else Tensor._make(np.zeros_like(param._grad._data))

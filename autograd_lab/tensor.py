"""``Tensor``: a numpy array that can remember the operations that produced it.

A tensor holds its values (a numpy array), ``requires_grad``, its gradient
``grad`` and ``grad_fn``, the graph node of the operation that made it (None for
tensors you create yourself: the leaves).  ``backward()`` hands the graph to the
engine (``engine.py``), which walks it and fills in the leaves' ``grad``.

This file is the Tensor's core.  Its operators and methods (``+``, ``@``,
``.sum()``, ``.exp()``, ...) call the primitives of ``ops.py`` and are defined in
``methods.py``, which adds them to the class; the in-place ones (``add_``, ...)
are in ``inplace.py``.  They live there because the primitives produce Tensors:
with the operators here, this file and ``ops.py`` would import each other.
"""

from __future__ import annotations

import builtins
import numbers
import warnings
import weakref
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from . import engine
from .dtypes import _DTYPES, Size, _defaults, dtype
from .printing import format_values
from .shapes import _size

if TYPE_CHECKING:  # for the type checker: the members methods.py and inplace.py add to the class
    from .inplace import InplaceMethods as AddedMethods
else:
    AddedMethods = object


class Tensor(AddedMethods):
    """A multi-dimensional array that records operations for automatic differentiation."""

    __slots__ = (
        "_data",
        "_requires_grad",
        "_grad",
        "grad_fn",
        "_output_nr",
        "_version_counter",
        "_is_view",
        "_accumulator",
        "_leaf_hooks",
        "__weakref__",
    )
    __array_priority__ = 1000  # numpy defers ``ndarray + tensor`` to Tensor.__radd__

    def __init__(self, *args: Any, requires_grad: builtins.bool = False) -> None:
        """``Tensor([1, 2])`` is a float tensor; ``Tensor(2, 3)`` has that shape (zeros)."""
        if len(args) == 1 and not isinstance(args[0], numbers.Number):
            data = np.array(_unwrap_nested(args[0]), dtype=_defaults.float_dtype)
        else:
            data = np.zeros(_size(args), dtype=_defaults.float_dtype)
        self._init(data, requires_grad)

    def _init(
        self,
        data: np.ndarray,
        requires_grad: builtins.bool = False,
        grad_fn: Any = None,
        output_nr: builtins.int = 0,
        version: list[builtins.int] | None = None,
    ) -> None:
        """Every field of a tensor, set in this one place."""
        self._data: np.ndarray = data  # the values
        self._requires_grad: builtins.bool = requires_grad
        self._grad: Tensor | None = None
        self.grad_fn: Any = grad_fn  # the node that made this tensor (None for a leaf)
        self._output_nr: builtins.int = output_nr  # which output of grad_fn this tensor is
        self._version_counter: list[builtins.int] = version if version is not None else [0]  # in-place changes add 1
        self._is_view: builtins.bool = version is not None  # shares its values (and counter) with another tensor
        self._accumulator: Any = None  # a leaf's AccumulateGrad node (a weak reference)
        self._leaf_hooks: list[Any] | None = None  # a leaf's register_hook hooks

    @classmethod
    def _make(
        cls,
        data: Any,
        requires_grad: builtins.bool = False,
        grad_fn: Any = None,
        output_nr: builtins.int = 0,
        version: list[builtins.int] | None = None,
    ) -> Tensor:
        """Wrap a numpy array (no copy, no checks): how the library makes its tensors."""
        tensor = object.__new__(Tensor)
        tensor._init(data if type(data) is np.ndarray else np.asarray(data), requires_grad, grad_fn, output_nr, version)
        return tensor

    # ---------------------------------------------------------------- properties
    @property
    def shape(self) -> Size:
        """The size of each dimension, e.g. ``Size([3, 224, 224])``."""
        return Size(self._data.shape)

    @property
    def dtype(self) -> dtype:
        """The element type (float32 by default for real numbers)."""
        return _DTYPES[self._data.dtype]

    @property
    def ndim(self) -> builtins.int:
        """Number of dimensions (0 for a scalar)."""
        return self._data.ndim

    @property
    def is_leaf(self) -> builtins.bool:
        """True for tensors created by the user (not by a recorded operation)."""
        return self.grad_fn is None

    @property
    def requires_grad(self) -> builtins.bool:
        """Whether operations on this tensor are recorded for backward."""
        return self._requires_grad

    @requires_grad.setter
    def requires_grad(self, value: builtins.bool) -> None:
        if self.grad_fn is not None and not value:
            raise RuntimeError(
                "you can only change requires_grad flags of leaf variables. If you want to "
                "use a computed variable in a subgraph that doesn't require differentiation "
                "use var_no_grad = var.detach()."
            )
        if value and self._data.dtype.kind != "f":
            raise RuntimeError(
                f"only Tensors of floating point dtype can require gradients, got {self.dtype}; "
                "create it with dtype=autograd_lab.float32 (e.g. write 2.0 instead of 2)"
            )
        self._requires_grad = bool(value)

    @property
    def grad(self) -> Tensor | None:
        """The gradient accumulated by ``backward()`` (None until then)."""
        if self.grad_fn is not None and self._grad is None and not self.retains_grad:
            warnings.warn(
                "The .grad attribute of a Tensor that is not a leaf Tensor is being accessed. "
                "Its .grad attribute won't be populated during autograd.backward(). If you "
                "indeed want the gradient for a non-leaf Tensor, use .retain_grad() on the "
                "non-leaf Tensor before calling backward.",
                UserWarning,
                stacklevel=2,
            )
        return self._grad

    @grad.setter
    def grad(self, value: Tensor | None) -> None:
        if value is not None:
            if not isinstance(value, Tensor):
                raise TypeError(f"assigned grad must be a Tensor or None, got {type(value).__name__}")
            if value._data.shape != self._data.shape:
                raise RuntimeError(
                    f"assigned grad has data of a different size: {tuple(value.shape)} instead of {tuple(self.shape)}"
                )
        self._grad = value

    @property
    def retains_grad(self) -> builtins.bool:
        """True when ``retain_grad()`` was called on this non-leaf tensor."""
        node = self.grad_fn
        if node is None or not node._retain_grad:
            return False
        ref = node._retain_grad.get(self._output_nr)
        return ref is not None and ref() is self

    @property
    def _version(self) -> builtins.int:
        return self._version_counter[0]

    # ---------------------------------------------------------------- conversion
    def item(self) -> Any:
        """The value of a one-element tensor as a Python number."""
        if self._data.size != 1:
            raise RuntimeError(
                f"a Tensor with {self._data.size} elements cannot be converted to Scalar; "
                "select one element first (e.g. t[0].item()) or use .tolist()"
            )
        return self._data.item()

    def detach(self) -> Tensor:
        """The same values, cut from the graph (shares memory)."""
        return Tensor._make(self._data, version=self._version_counter)

    def _detached_copy(self) -> Tensor:
        return Tensor._make(self._data.copy(order="K"))

    # ---------------------------------------------------------------- autograd
    def backward(
        self,
        gradient: Any = None,
        retain_graph: builtins.bool | None = None,
        create_graph: builtins.bool = False,
        inputs: Sequence[Tensor] | None = None,
    ) -> None:
        """Compute d(self)/d(leaf) for every leaf of the graph and add it to ``leaf.grad``."""
        if isinstance(inputs, Tensor):
            inputs = [inputs]
        engine.run_backward([self], [gradient], retain_graph, create_graph, inputs, allow_unused=True)

    def retain_grad(self) -> None:
        """Keep ``.grad`` for this non-leaf tensor too after backward."""
        if not self._requires_grad:
            raise RuntimeError("can't retain_grad on Tensor that has requires_grad=False")
        if self.grad_fn is not None:
            engine._set_retain_grad(self.grad_fn, self._output_nr, self)

    def register_hook(self, hook: Callable[[Tensor], Tensor | None]) -> engine.RemovableHandle:
        """Call ``hook(grad)`` when this tensor's gradient is computed; it may return a new one."""
        if not self._requires_grad:
            raise RuntimeError("cannot register a hook on a tensor that doesn't require gradient")
        if self.grad_fn is not None:
            hooks = engine._tensor_hook_list(self.grad_fn, self._output_nr)
        else:
            if self._leaf_hooks is None:
                self._leaf_hooks = []
            hooks = self._leaf_hooks
        hooks.append(hook)
        return engine.RemovableHandle(hooks, hook)

    def _grad_accumulator(self) -> engine.AccumulateGrad:
        node = self._accumulator() if self._accumulator is not None else None
        if node is None:
            node = engine.AccumulateGrad(self)
            self._accumulator = weakref.ref(node)
        return node

    # ---------------------------------------------------------------- printing
    def __repr__(self) -> str:
        extras = []
        if self._data.dtype not in (np.dtype(np.int64), np.dtype(np.bool_), _defaults.float_dtype):
            extras.append(f"dtype={self.dtype}")
        if self.grad_fn is not None:
            extras.append(f"grad_fn={self.grad_fn!r}")
        elif self._requires_grad:
            extras.append("requires_grad=True")
        body = format_values(self._data)
        return "tensor(" + ", ".join([body, *extras]) + ")"


def _unwrap_nested(data: Any) -> Any:
    """Nested lists that may hold tensors, as numpy can read them."""
    if isinstance(data, Tensor):
        return data._data
    if isinstance(data, (list, tuple)) and any(isinstance(x, (Tensor, list, tuple)) for x in data):
        return [_unwrap_nested(x) for x in data]
    return data

"""In-place operations (``add_``, ``x[i] = v``, ``zero_``, ...) and the version counter.

A tensor's ``_version_counter`` goes up at every in-place change; a node that
saved the tensor for backward checks it (``FunctionNode.saved_tensors``) and
raises instead of computing with changed values.  When gradients are on, an
in-place change of a tensor in the graph is recorded: the tensor takes the
result's place in the graph (``_rebase``).
"""

from __future__ import annotations

import builtins
import operator
from collections.abc import Callable
from typing import Any

import numpy as np

from . import ops
from .factories import _random
from .function import SavedOutput
from .grad_mode import recording
from .methods import TensorMethods, _add_to_tensor, _as_tensor, _normalize_index, _scalar_like, where
from .tensor import Tensor

_LEAF_INPLACE = (
    "a leaf Variable that requires grad is being used in an in-place operation. "
    "Change parameters inside `with autograd_lab.no_grad():` (as optimizers do), "
    "or use an out-of-place operation (w = w - lr * g)."
)


class InplaceMethods(TensorMethods):
    """The in-place methods of ``Tensor`` (added to it below)."""

    # ---------------------------------------------------------------- in place
    def _records_inplace(self: Tensor, other: Any = None) -> builtins.bool:
        """True when this in-place change must be recorded; raise when it is not allowed."""
        if not recording.enabled:
            return False
        if self._requires_grad and self.grad_fn is None:
            raise RuntimeError(_LEAF_INPLACE)
        records = self._requires_grad or (isinstance(other, Tensor) and other._requires_grad)
        if records and self._is_view:
            raise RuntimeError(
                "an in-place change of a view (a slice, reshape or transpose of another tensor) "
                "cannot be recorded here; use an out-of-place operation (e.g. where/cat) or "
                "clone() the view first"
            )
        return records

    def _rebase(self: Tensor, result: Tensor) -> Tensor:
        """Take ``result``'s values (in place) and its place in the graph."""
        self._write(result._data, "copy_")
        self.grad_fn, self._output_nr = result.grad_fn, result._output_nr
        self._requires_grad = result._requires_grad
        for saved in self.grad_fn._saved if self.grad_fn is not None else ():
            if isinstance(saved, SavedOutput) and saved.data is result._data:
                # The node saved its output, which now lives in this tensor: a later
                # in-place change of this tensor must be detected at backward.
                saved.data, saved.version_counter = self._data, self._version_counter
                saved.version = self._version_counter[0]
        return self

    def _history(self: Tensor) -> Tensor:
        """A copy of this tensor before an in-place change, still linked to the graph."""
        return Tensor._make(
            self._data.copy(), requires_grad=self._requires_grad, grad_fn=self.grad_fn, output_nr=self._output_nr
        )

    def _write(self: Tensor, values: Any, name: str, index: Any = Ellipsis, casting: Any = "same_kind") -> None:
        try:
            if index is Ellipsis:
                np.copyto(self._data, values, casting=casting)
            else:
                self._data[index] = values
        except (TypeError, ValueError) as error:
            raise RuntimeError(_inplace_error(self, values, name, error)) from None
        self._version_counter[0] += 1

    def _inplace_binary(self: Tensor, ufunc: Any, op: Callable[[Any, Any], Tensor], other: Any, name: str) -> Tensor:
        if self._records_inplace(other):
            return self._rebase(op(self._history(), other))
        values = other._data if isinstance(other, Tensor) else other
        try:
            ufunc(self._data, values, out=self._data, casting="same_kind")
        except (TypeError, ValueError) as error:
            raise RuntimeError(_inplace_error(self, values, name, error)) from None
        self._version_counter[0] += 1
        return self

    def add_(self: Tensor, other: Any, alpha: Any = 1) -> Tensor:
        """self += alpha * other, in place."""
        return self._inplace_binary(np.add, operator.add, other if alpha == 1 else other * alpha, "add_")

    def sub_(self: Tensor, other: Any, alpha: Any = 1) -> Tensor:
        """self -= alpha * other, in place."""
        return self._inplace_binary(np.subtract, operator.sub, other if alpha == 1 else other * alpha, "sub_")

    def mul_(self: Tensor, other: Any) -> Tensor:
        """self *= other, in place."""
        return self._inplace_binary(np.multiply, operator.mul, other, "mul_")

    def div_(self: Tensor, other: Any) -> Tensor:
        """self /= other, in place."""
        return self._inplace_binary(np.true_divide, operator.truediv, other, "div_")

    __iadd__ = add_
    __isub__ = sub_
    __imul__ = mul_
    __itruediv__ = div_

    def copy_(self: Tensor, src: Any) -> Tensor:
        """Overwrite the values with ``src`` (broadcast), in place."""
        src = _as_tensor(src)
        if self._records_inplace(src):
            everywhere = np.ones(self._data.shape, dtype=bool)
            return self._rebase(where(everywhere, src.to(self._data.dtype), self._history()))
        try:
            np.copyto(self._data, src._data, casting="unsafe")
        except ValueError as error:
            raise RuntimeError(_inplace_error(self, src._data, "copy_", error)) from None
        self._version_counter[0] += 1
        return self

    def fill_(self: Tensor, value: Any) -> Tensor:
        """Set every value to ``value``, in place."""
        value = value.item() if isinstance(value, Tensor) else value
        if self._records_inplace():
            everywhere = np.ones(self._data.shape, dtype=bool)
            return self._rebase(where(everywhere, _scalar_like(value, self), self._history()))
        self._write(value, "fill_", casting="unsafe")
        return self

    def zero_(self: Tensor) -> Tensor:
        """Set every value to 0, in place."""
        return self.fill_(0)

    def clamp_(self: Tensor, min: Any = None, max: Any = None) -> Tensor:
        """clamp, in place."""
        if self._records_inplace():
            return self._rebase(self._history().clamp(min, max))
        np.clip(self._data, min, max, out=self._data)
        self._version_counter[0] += 1
        return self

    def uniform_(self: Tensor, a: builtins.float = 0.0, b: builtins.float = 1.0) -> Tensor:
        """Fill with uniform random values in [a, b), in place."""
        self._records_inplace()
        self._write(_random.generator.uniform(a, b, self._data.shape), "uniform_")
        return self

    def normal_(self: Tensor, mean: builtins.float = 0.0, std: builtins.float = 1.0) -> Tensor:
        """Fill with normal random values, in place."""
        self._records_inplace()
        self._write(_random.generator.normal(mean, std, self._data.shape), "normal_")
        return self

    def __setitem__(self: Tensor, index: Any, value: Any) -> None:
        index = _normalize_index(index)
        if self._records_inplace(value):
            value = _as_tensor(value).to(self._data.dtype)
            selected_shape = self._data[index].shape
            placed = ops.IndexAdd.apply(value.expand(selected_shape), index, self._data.shape)
            mask = np.zeros(self._data.shape, dtype=bool)
            mask[index] = True
            self._rebase(where(mask, placed, self._history()))
            return
        self._write(value._data if isinstance(value, Tensor) else value, "__setitem__", index)

    def _inplace_unary(self: Tensor, op: Callable[[Tensor], Tensor]) -> Tensor:
        """Replace the values by ``op(self)`` in place (recorded when gradients are on)."""
        if self._records_inplace():
            return self._rebase(op(self._history()))
        self._write(op(self.detach())._data, "in-place op")
        return self

    def exp_(self: Tensor) -> Tensor:
        """exp, in place."""
        return self._inplace_unary(Tensor.exp)

    def log_(self: Tensor) -> Tensor:
        """log, in place."""
        return self._inplace_unary(Tensor.log)

    def sqrt_(self: Tensor) -> Tensor:
        """sqrt, in place."""
        return self._inplace_unary(Tensor.sqrt)

    def abs_(self: Tensor) -> Tensor:
        """abs, in place."""
        return self._inplace_unary(Tensor.abs)

    def neg_(self: Tensor) -> Tensor:
        """Negate, in place."""
        return self._inplace_unary(Tensor.neg)

    def relu_(self: Tensor) -> Tensor:
        """relu, in place."""
        return self._inplace_unary(Tensor.relu)

    def sigmoid_(self: Tensor) -> Tensor:
        """sigmoid, in place."""
        return self._inplace_unary(Tensor.sigmoid)

    def tanh_(self: Tensor) -> Tensor:
        """tanh, in place."""
        return self._inplace_unary(Tensor.tanh)

    def pow_(self: Tensor, exponent: Any) -> Tensor:
        """self ** exponent, in place."""
        return self._inplace_unary(lambda x: x**exponent)


def _inplace_error(self: Tensor, values: Any, name: str, error: Exception) -> str:
    text = str(error)
    if "read-only" in text:
        return (
            f"{name}: this tensor is a broadcast (expanded) view whose elements share memory; "
            "clone() it before changing it in place"
        )
    if "cast" in text.lower():
        value_dtype = np.result_type(values)
        return (
            f"{name}: result type {value_dtype} can't be cast to the desired output type "
            f"{self.dtype.name} of this tensor; convert it first (e.g. x = x.float())"
        )
    return (
        f"{name}: the values of shape {np.shape(values)} cannot be written into a tensor of "
        f"shape {tuple(self.shape)} (they must broadcast to it)"
    )


_add_to_tensor(InplaceMethods)

"""Reusable pieces for checks of a student's ``Function``: a kernel-side probe and the checking side's gradcheck.

``function_case`` (a ``@probe``) applies the student's ``Function`` subclass to
the given arrays, runs its backward for one ``grad_output`` (a vector-Jacobian
product) and, for a numerical gradient check, evaluates its forward again at
every input entry moved by ``±eps``.  It returns only what the student's code
produced.  ``numerical_vjp`` then computes, on the checking side, the same
vector-Jacobian product by central differences, so the comparison never
happens where the student's code runs.  Inputs may have different shapes
(broadcasting): each gradient must come back with its input's shape.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ...autograd import grad as autograd_grad
from ...factories import tensor
from ...function import Function
from ...tensor import Tensor
from .core import Answer
from .wire import Signal, TensorValue, attempt, probe

FUNCTION = f"{Function.__module__}.{Function.__qualname__}"


def is_function_class(answer: Answer) -> bool:
    """True when the answer is a class derived from ``Function`` (as the kernel described it)."""
    return answer.info.kind == "class" and FUNCTION in answer.info.mro


@probe
def function_case(
    cls: Any, arrays: list[np.ndarray], grad_output: np.ndarray, eps: float, what_apply: str, what_backward: str
) -> dict[str, Any]:
    """In the kernel: ``cls.apply(*inputs)``, the gradients for ``grad_output``, and the forward at ``x ± eps·e_j``.

    Returns ``{"output", "grads", "around"}``; a failure of the student's code
    is returned in place of the value (see ``trial.unwrap``).
    """
    inputs = [tensor(a, requires_grad=True) for a in arrays]
    output = attempt(cls.apply, *inputs, what=what_apply)
    if isinstance(output, Signal) or not isinstance(output, Tensor):
        return {"output": output}
    grads = attempt(autograd_grad, output, inputs, tensor(grad_output), allow_unused=True, what=what_backward)
    around: list[Any] = []
    for i, array in enumerate(arrays if eps else []):
        for j in range(array.size):
            for sign in (1.0, -1.0):
                shifted = [np.array(a, dtype=np.float64, copy=True) for a in arrays]
                shifted[i].reshape(-1)[j] += sign * eps
                around.append(attempt(cls.apply, *(tensor(a) for a in shifted), what=what_apply))
    return {"output": output, "grads": grads, "around": around}


def numerical_vjp(
    around: list[Any], arrays: list[np.ndarray], grad_output: np.ndarray, eps: float
) -> list[np.ndarray] | None:
    """``grad_output · dy/dx_i`` for every input, by central differences of the forward values ``function_case``
    returned (None when one of them is not a tensor of the output's shape)."""
    values = iter(around)
    result = []
    for array in arrays:
        gradient = np.zeros(array.shape)
        for j in range(array.size):
            plus, minus = next(values, None), next(values, None)
            if not (isinstance(plus, TensorValue) and isinstance(minus, TensorValue)):
                return None
            if plus.data.shape != grad_output.shape or minus.data.shape != grad_output.shape:
                return None
            difference = np.sum(grad_output * (plus.data.astype(np.float64) - minus.data.astype(np.float64)))
            gradient.reshape(-1)[j] = difference / (2 * eps)
        result.append(gradient)
    return result

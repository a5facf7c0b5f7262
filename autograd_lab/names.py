"""The names the graph's nodes carry: PyTorch's (``MulBackward0``, ``MmBackward0``, ``AddmmBackward0``, ...).

A learner compares ``y.grad_fn`` with what PyTorch prints, so each primitive's
node is named as PyTorch names the node of the same operation.  Some of our
primitives stand for several PyTorch operations (``MatMul`` is ``mm``, ``mv``,
``dot`` ...; ``Index`` is ``select``, ``slice``, ``index`` ...): the method that
calls them gives the node the name of the operation it performed (``rename``).
Your own ``Function`` keeps PyTorch's name for it: ``<ClassName>Backward``.

Where an operation is a composition here, its graph has the pieces' nodes, not
PyTorch's single one: ``minimum``/``amin`` negate around a maximum, ``norm`` ends
in ``WhereBackward0``, ``var``/``std``/``logsumexp``/``log1p``/``repeat`` and the
functions of ``extras.py`` show their arithmetic under their PyTorch name, and
``clamp`` with tensor bounds is one or two ``WhereBackward0``.  (``mean``,
``clamp`` and ``softmax`` are single nodes: ``fused.py``.)  The numbers are
PyTorch's; only the drawing differs.
"""

from __future__ import annotations

from typing import Any

from . import ops

# Each primitive's node, under its most common PyTorch name.
PYTORCH_NAMES = {
    ops.Add: "AddBackward0",
    ops.Sub: "SubBackward0",
    ops.Mul: "MulBackward0",
    ops.Div: "DivBackward0",
    ops.Neg: "NegBackward0",
    ops.Pow: "PowBackward0",
    ops.Exp: "ExpBackward0",
    ops.Log: "LogBackward0",
    ops.Sin: "SinBackward0",
    ops.Cos: "CosBackward0",
    ops.Tanh: "TanhBackward0",
    ops.Sigmoid: "SigmoidBackward0",
    ops.Relu: "ReluBackward0",
    ops.Abs: "AbsBackward0",
    ops.Maximum: "MaximumBackward0",
    ops.Where: "WhereBackward0",
    ops.Cast: "ToCopyBackward0",
    ops.Sum: "SumBackward0",
    ops.Amax: "AmaxBackward0",
    ops.LogSoftmax: "LogSoftmaxBackward0",
    ops.MatMul: "MmBackward0",
    ops.Reshape: "ViewBackward0",
    ops.Permute: "PermuteBackward0",
    ops.Expand: "ExpandBackward0",
    ops.Index: "IndexBackward0",
    ops.IndexAdd: "IndexAddBackward0",
    ops.Cat: "CatBackward0",
}


def name_node_class(function: Any, name: str) -> None:
    """Give the nodes of ``function`` (a Function subclass) the name ``name``."""
    function._backward_cls.__name__ = function._backward_cls.__qualname__ = name


for _function, _name in PYTORCH_NAMES.items():
    name_node_class(_function, _name)

_VARIANTS: dict[tuple[type, str], type] = {}


def rename(output: Any, name: str) -> Any:
    """Name ``output``'s node ``name`` (the PyTorch operation it performed); returns ``output``."""
    node = output.grad_fn
    if node is not None and type(node).__name__ != name:
        key = (type(node), name)
        if key not in _VARIANTS:  # the same node class under another name: behaviour unchanged
            _VARIANTS[key] = type(name, (type(node),), {"__qualname__": name, "__module__": type(node).__module__})
        node.__class__ = _VARIANTS[key]
    return output


def matmul_name(a_ndim: int, b_ndim: int) -> str:
    """The PyTorch node of ``a @ b``: mm, mv, dot, or a batched product."""
    return {(2, 2): "MmBackward0", (2, 1): "MvBackward0", (1, 1): "DotBackward0", (1, 2): "SqueezeBackward4"}.get(
        (a_ndim, b_ndim), "UnsafeViewBackward0"
    )


def index_name(index: Any) -> str:
    """The PyTorch node of ``x[index]``: select (an int), slice, index (tensors, lists, masks), unsqueeze (None)."""
    parts = index if isinstance(index, tuple) else (index,)
    if any(hasattr(p, "__len__") and not isinstance(p, (str, bytes, slice)) for p in parts):
        return "IndexBackward0"
    basic = [p for p in parts if isinstance(p, int) or (isinstance(p, slice) and p != slice(None))]
    if basic:
        return "SelectBackward0" if isinstance(basic[-1], int) else "SliceBackward0"
    if any(p is None for p in parts):
        return "UnsqueezeBackward0"
    return "AliasBackward0" if any(p is Ellipsis for p in parts) else "SliceBackward0"

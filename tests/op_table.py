"""The op table: every differentiable operation, written once for both libraries.

Each entry's ``fn(T, *xs)`` is plain PyTorch-style code; ``T`` is either
``autograd_lab`` or ``torch``, so the same line drives the forward test, the
gradient test against PyTorch and gradcheck.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from hypothesis import strategies as st

from strategies import broadcastable_pair, matmul_shapes, shapes


@dataclass(frozen=True)
class Op:
    name: str
    fn: Callable[..., Any]
    shapes: st.SearchStrategy[tuple[tuple[int, ...], ...]]
    domains: tuple[str, ...] = ("real",)

    def __repr__(self) -> str:
        return self.name


def one(min_dims: int = 0, max_dims: int = 3, min_side: int = 1) -> st.SearchStrategy:
    return shapes(min_dims, max_dims, min_side).map(lambda s: (s,))


def same_two(min_dims: int = 0) -> st.SearchStrategy:
    return shapes(min_dims).map(lambda s: (s, s))


def cat_pair() -> st.SearchStrategy:
    return st.tuples(shapes(1), st.integers(1, 3)).map(lambda p: (p[0], (p[1], *p[0][1:])))


def matrix() -> st.SearchStrategy:
    return shapes(2, 2).map(lambda s: (s,))


UNARY = [
    Op("neg", lambda T, x: -x, one()),
    Op("exp", lambda T, x: T.exp(x), one()),
    Op("log", lambda T, x: x.log(), one(), ("positive",)),
    Op("sqrt", lambda T, x: T.sqrt(x), one(), ("positive",)),
    Op("sin", lambda T, x: x.sin(), one()),
    Op("cos", lambda T, x: T.cos(x), one()),
    Op("tanh", lambda T, x: x.tanh(), one()),
    Op("sigmoid", lambda T, x: T.sigmoid(x), one()),
    Op("relu", lambda T, x: T.relu(x), one(), ("nonzero",)),
    Op("abs", lambda T, x: x.abs(), one(), ("nonzero",)),
    Op("square", lambda T, x: x**2, one()),
    Op("cube", lambda T, x: x.pow(3), one()),
    Op("reciprocal_pow", lambda T, x: x**-1, one(), ("nonzero",)),
    Op("pow_half", lambda T, x: x**0.5, one(), ("positive",)),
    Op("clamp", lambda T, x: x.clamp(min=-0.5, max=0.5), one(), ("nonzero",)),
    Op("clamp_min", lambda T, x: T.clamp(x, min=0.25), one(), ("nonzero",)),
    Op("rsub_scalar", lambda T, x: 2 - x, one()),
    Op("rdiv_scalar", lambda T, x: 2 / x, one(), ("nonzero",)),
    Op("rpow_scalar", lambda T, x: 2**x, one()),
    Op("mul_scalar", lambda T, x: 3 * x + 0.5, one()),
    Op("div_scalar", lambda T, x: x / 4, one()),
    Op("clone", lambda T, x: x.clone() * 1.5, one()),
    Op("to_double", lambda T, x: x.to(T.float64) * 2, one()),
]

REDUCTIONS = [
    Op("sum", lambda T, x: x.sum(), one()),
    Op("sum_dim0", lambda T, x: x.sum(dim=0), one(1)),
    Op("sum_last_keepdim", lambda T, x: x.sum(-1, keepdim=True), one(1)),
    Op("sum_two_dims", lambda T, x: x.sum(dim=(0, -1)), one(2)),
    Op("mean", lambda T, x: T.mean(x), one()),
    Op("mean_dim", lambda T, x: x.mean(dim=-1, keepdim=True), one(1)),
    Op("var", lambda T, x: x.var(), one(1, 3, 2)),
    Op("std_dim", lambda T, x: x.std(dim=0), one(1, 2, 2)),
    Op("norm", lambda T, x: x.norm(), one(1)),
    Op("max_all", lambda T, x: x.max(), one()),
    Op("min_all", lambda T, x: T.min(x), one()),
    Op("max_dim", lambda T, x: x.max(dim=-1).values, one(1)),
    Op("min_dim_keepdim", lambda T, x: x.min(dim=0, keepdim=True)[0], one(1)),
    Op("amax_dim", lambda T, x: x.amax(dim=-1), one(1)),
    Op("logsumexp", lambda T, x: x.logsumexp(dim=-1), one(1)),
    Op("softmax", lambda T, x: x.softmax(dim=-1), one(1)),
    Op("log_softmax", lambda T, x: T.log_softmax(x, dim=0), one(1)),
]

SHAPES = [
    Op("reshape_flat", lambda T, x: x.reshape(-1) * 2, one()),
    Op("view", lambda T, x: x.view(-1, 1) * 2, one()),
    Op("flatten", lambda T, x: T.flatten(x) * 2, one()),
    Op("transpose", lambda T, x: x.transpose(0, -1) * 2, one(1)),
    Op("permute", lambda T, x: x.permute(*reversed(range(x.dim()))) * 2, one(1)),
    Op("T", lambda T, x: x.T * 2, matrix()),
    Op("t", lambda T, x: x.t() * 2, matrix()),
    Op("unsqueeze_squeeze", lambda T, x: x.unsqueeze(-1).squeeze() * 2, one()),
    Op("expand", lambda T, x: x.unsqueeze(0).expand(2, *x.shape) * 2, one()),
    Op("repeat", lambda T, x: x.repeat(2, 1) * 2, matrix()),
    Op("index_int", lambda T, x: x[0] * 2, one(1)),
    Op("index_negative", lambda T, x: x[..., -1] * 2, one(1)),
    Op("index_slice", lambda T, x: x[::2] * 2, one(1)),
    Op("index_repeated", lambda T, x: x[[0, 0, -1]] * 2, one(1)),
    Op("index_mask", lambda T, x: x[x > 0] * 2, one()),
]

BINARY = [
    Op("add", lambda T, a, b: a + b, broadcastable_pair()),
    Op("sub", lambda T, a, b: a - b, broadcastable_pair()),
    Op("mul", lambda T, a, b: a * b, broadcastable_pair()),
    Op("div", lambda T, a, b: a / b, broadcastable_pair(), ("real", "nonzero")),
    Op("pow", lambda T, a, b: a**b, broadcastable_pair(), ("positive", "real")),
    Op("maximum", lambda T, a, b: T.maximum(a, b), broadcastable_pair()),
    Op("minimum", lambda T, a, b: a.minimum(b), broadcastable_pair()),
    Op("where", lambda T, a, b: T.where(a > 0, a, b), broadcastable_pair(), ("nonzero", "real")),
    Op("add_method_alpha", lambda T, a, b: a.add(b, alpha=2), broadcastable_pair()),
    Op("matmul", lambda T, a, b: a @ b, matmul_shapes()),
    Op("matmul_fn", lambda T, a, b: T.matmul(a, b), matmul_shapes()),
    Op("cat", lambda T, a, b: T.cat([a, b], dim=0), cat_pair()),
    Op("stack", lambda T, a, b: T.stack([a, b], dim=-1), same_two()),
    Op("mul_chain", lambda T, a, b: (a * b + a).exp().sum(), same_two()),
]

OPS = UNARY + REDUCTIONS + SHAPES + BINARY

"""Every operation in the op table: forward and gradients against PyTorch, and gradcheck."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import autograd_lab as al
from op_table import OPS, Op
from strategies import array, seeds

EXAMPLES = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _inputs(op: Op, data: st.DataObject) -> list[np.ndarray]:
    shapes = data.draw(op.shapes, label="shapes")
    seed = data.draw(seeds, label="seed")
    domains = op.domains * len(shapes) if len(op.domains) == 1 else op.domains
    return [array(seed + i, shape, domain) for i, (shape, domain) in enumerate(zip(shapes, domains))]


@pytest.mark.parametrize("op", OPS, ids=repr)
@EXAMPLES
@given(data=st.data())
def test_gradcheck(op: Op, data: st.DataObject) -> None:
    xs = [al.tensor(x, dtype=al.float64, requires_grad=True) for x in _inputs(op, data)]
    assert al.autograd.gradcheck(lambda *ts: op.fn(al, *ts), xs)


@pytest.mark.parametrize("op", OPS, ids=repr)
@EXAMPLES
@given(data=st.data())
def test_forward_and_gradients_match_pytorch(op: Op, data: st.DataObject) -> None:
    torch = pytest.importorskip("torch")
    arrays = [x.astype(np.float32) for x in _inputs(op, data)]
    ours = [al.tensor(x, requires_grad=True) for x in arrays]
    theirs = [torch.tensor(x, requires_grad=True) for x in arrays]
    out_ours, out_theirs = op.fn(al, *ours), op.fn(torch, *theirs)

    assert tuple(out_ours.shape) == tuple(out_theirs.shape)
    assert out_ours.dtype.name == str(out_theirs.dtype).removeprefix("torch.")
    np.testing.assert_allclose(out_ours.detach().numpy(), out_theirs.detach().numpy(), rtol=1e-5, atol=1e-6)

    cotangent = np.random.default_rng(0).uniform(-1, 1, size=tuple(out_ours.shape))
    out_ours.backward(al.tensor(cotangent, dtype=out_ours.dtype))
    out_theirs.backward(torch.tensor(cotangent, dtype=out_theirs.dtype))
    exact = _float64_grads(torch, op, arrays, cotangent)
    for x_ours, x_theirs, x_exact in zip(ours, theirs, exact):
        if x_theirs.grad is None:
            assert x_ours.grad is None or not x_ours.grad.numpy().any()
            continue
        # PyTorch's float32 gradient is the reference, unless float32 rounding made it drift
        # from the float64 one (e.g. the std of nearly equal values): then ours must match that.
        close_to_torch = np.allclose(x_ours.grad.numpy(), x_theirs.grad.numpy(), rtol=1e-4, atol=1e-5)
        reference = x_theirs.grad.numpy() if close_to_torch else x_exact
        np.testing.assert_allclose(x_ours.grad.numpy(), reference, rtol=1e-4, atol=1e-5)


def _float64_grads(torch, op, arrays, cotangent):
    """PyTorch's gradients of the same inputs, computed in float64."""
    xs = [torch.tensor(x.astype(np.float64), requires_grad=True) for x in arrays]
    out = op.fn(torch, *xs)
    if not out.requires_grad:
        return [None] * len(xs)
    out.backward(torch.tensor(cotangent, dtype=out.dtype))
    return [x.grad.numpy() if x.grad is not None else None for x in xs]

"""Writing your own Function, as in PyTorch: ctx, saved tensors, needs_input_grad, apply."""

from __future__ import annotations

import pytest

import autograd_lab as al
from autograd_lab.autograd import Function


class ScaledExp(Function):
    """scale * exp(x); saves its output, takes a non-tensor argument."""

    @staticmethod
    def forward(ctx, x, scale):
        out = x.exp() * scale
        ctx.scale = scale
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, grad_output):
        (out,) = ctx.saved_tensors
        return grad_output * out, None


class MulAdd(Function):
    """(x * y, x + y): two outputs."""

    @staticmethod
    def forward(ctx, x, y):
        ctx.save_for_backward(x, y)
        ctx.seen = ctx.needs_input_grad
        return x * y, x + y

    @staticmethod
    def backward(ctx, grad_product, grad_sum):
        x, y = ctx.saved_tensors
        return grad_product * y + grad_sum, grad_product * x + grad_sum


def test_forward_runs_without_recording_and_backward_uses_saved_output():
    x = al.tensor([0.0, 1.0], dtype=al.float64, requires_grad=True)
    y = ScaledExp.apply(x, 2.0)
    assert y.grad_fn.name() == "ScaledExpBackward"
    assert y.grad_fn.next_functions[0][0].name() == "AccumulateGrad"
    y.sum().backward()
    assert x.grad.tolist() == pytest.approx([2.0, 2 * 2.718281828459045])
    assert al.autograd.gradcheck(lambda t: ScaledExp.apply(t, 3.0), (x,))
    assert al.autograd.gradgradcheck(lambda t: ScaledExp.apply(t, 3.0), (x,))


def test_multiple_outputs_and_needs_input_grad():
    x = al.tensor([2.0], dtype=al.float64, requires_grad=True)
    y = al.tensor([5.0], dtype=al.float64)
    product, total = MulAdd.apply(x, y)
    assert product.grad_fn is total.grad_fn
    assert product.grad_fn.seen == (True, False)
    (product * 3).sum().backward()  # the unused output gets a zero gradient
    assert x.grad.tolist() == [15.0]
    assert al.autograd.gradcheck(MulAdd.apply, (x, y.requires_grad_()))


class SortValues(Function):
    """Sorted values and their float positions; the positions are marked non-differentiable."""

    @staticmethod
    def forward(ctx, x):
        order = al.from_numpy(x.detach().numpy().argsort())
        positions = order.float()
        ctx.mark_non_differentiable(positions)
        ctx.order = order
        return x[order], positions

    @staticmethod
    def backward(ctx, grad_values, grad_positions):
        grad = al.zeros_like(grad_values)
        grad[ctx.order] = grad_values
        return grad


def test_marked_outputs_get_no_gradient():
    x = al.tensor([3.0, 1.0, 2.0], requires_grad=True)
    values, positions = SortValues.apply(x)
    assert values.requires_grad and values.grad_fn is not None
    assert not positions.requires_grad and positions.grad_fn is None
    (values * al.tensor([1.0, 10.0, 100.0])).sum().backward()
    assert x.grad.tolist() == [100.0, 1.0, 10.0]


def test_function_without_grad_inputs_records_nothing():
    y = ScaledExp.apply(al.tensor([1.0]), 1.0)
    assert y.grad_fn is None and not y.requires_grad


def test_function_is_pytorch_shaped():
    torch = pytest.importorskip("torch")

    def make(T):
        class Cube(T.autograd.Function):
            @staticmethod
            def forward(ctx, x):
                ctx.save_for_backward(x)
                return x**3

            @staticmethod
            def backward(ctx, grad_output):
                (x,) = ctx.saved_tensors
                return grad_output * 3 * x**2

        x = T.tensor([1.0, -2.0, 0.5], requires_grad=True)
        Cube.apply(x).sum().backward()
        return x.grad.tolist()

    assert make(al) == make(torch)


class ScaleBy(Function):
    """x * factor; saves the factor, and x only when asked (else None in its place)."""

    @staticmethod
    def forward(ctx, x, factor, keep_x):
        ctx.save_for_backward(x if keep_x else None, factor)
        return x * factor

    @staticmethod
    def backward(ctx, grad):
        _, factor = ctx.saved_tensors
        return grad * factor, None, None


def test_numbers_saved_for_backward_come_back_as_they_are_and_are_freed_after_backward():
    x = al.tensor([1.0, 2.0], requires_grad=True)
    y = ScaleBy.apply(x, 3.0, False)
    assert y.grad_fn.saved_tensors == (None, 3.0)
    x.data.add_(1.0)  # x was not saved: changing it in place does not matter
    y.sum().backward()
    assert x.grad.tolist() == [3.0, 3.0]
    with pytest.raises(RuntimeError, match="backward through the graph a second time"):
        _ = y.grad_fn.saved_tensors


def test_a_saved_input_changed_in_place_is_still_caught_next_to_saved_numbers():
    x = al.tensor([1.0, 2.0], requires_grad=True)
    h = x * 1.0
    y = ScaleBy.apply(h, 2.0, True)
    h.add_(1.0)
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        y.sum().backward()

"""Memory layout (view, is_contiguous, stride), PyTorch's node names, and the gradients at the points PyTorch defines.

These hold without PyTorch installed; ``test_differential.py`` compares the same
behaviours with PyTorch itself when it is.
"""

from __future__ import annotations

import pytest

import autograd_lab as al
from autograd_lab.autograd import gradcheck, gradgradcheck


def test_a_view_needs_a_compatible_layout():
    x = al.arange(6.0).reshape(2, 3)
    assert x.is_contiguous() and x.stride() == (3, 1) and x.stride(0) == 3
    t = x.t()
    assert not t.is_contiguous() and t.stride() == (1, 3)
    with pytest.raises(RuntimeError, match="view size is not compatible.*reshape"):
        t.view(6)
    assert t.view(3, 2).shape == (3, 2)  # the same shape: always a view
    assert t.reshape(6).tolist() == [0.0, 3.0, 1.0, 4.0, 2.0, 5.0]  # reshape copies instead
    c = t.contiguous()
    assert c.is_contiguous() and c.stride() == (2, 1) and c.view(6).tolist() == t.reshape(6).tolist()
    assert x.contiguous() is x
    assert al.ones(3, 1).expand(3, 4).stride() == (1, 0)


def test_views_share_memory_and_contiguous_copies_do_not():
    x = al.zeros(2, 3)
    x.view(6)[0] = 1.0
    x.t()[2, 1] = 2.0
    assert x.tolist() == [[1.0, 0.0, 0.0], [0.0, 0.0, 2.0]]
    copy = x.t().contiguous()
    copy[0, 0] = 9.0
    assert x[0, 0].item() == 1.0


def test_contiguous_passes_gradients_back():
    x = al.arange(6.0).reshape(2, 3).requires_grad_()
    (x.t().contiguous().view(6) * al.arange(6.0)).sum().backward()
    assert x.grad.tolist() == [[0.0, 2.0, 4.0], [1.0, 3.0, 5.0]]


def test_nodes_carry_pytorchs_names():
    a = al.ones(2, 3, requires_grad=True)
    v = al.ones(3, requires_grad=True)
    name = lambda t: type(t.grad_fn).__name__  # noqa: E731
    assert [name(a * 2), name(a + a), name(1 - a), name(a**2), name(2**a), name(a**a)] == [
        "MulBackward0",
        "AddBackward0",
        "RsubBackward1",
        "PowBackward0",
        "PowBackward2",
        "PowBackward1",
    ]
    assert [name(a @ a.t()), name(a @ v), name(v @ v), name(a.sum()), name(a.sum(0)), name(a.mean())] == [
        "MmBackward0",
        "MvBackward0",
        "DotBackward0",
        "SumBackward0",
        "SumBackward1",
        "MeanBackward0",
    ]
    assert [name(a[0]), name(a[:, 1:]), name(a[[0, 1]]), name(a.view(6)), name(a.t()), name(a.T)] == [
        "SelectBackward0",
        "SliceBackward0",
        "IndexBackward0",
        "ViewBackward0",
        "TBackward0",
        "PermuteBackward0",
    ]
    layer = al.nn.Linear(3, 2)
    assert [name(layer(a)), name(al.nn.Linear(3, 2, bias=False)(a)), name(a.clamp(0, 1)), name(a.softmax(1))] == [
        "AddmmBackward0",
        "MmBackward0",
        "ClampBackward1",
        "SoftmaxBackward0",
    ]
    assert repr(a * 2).endswith("grad_fn=<MulBackward0>)")


def test_your_own_function_keeps_its_class_name():
    class Cube(al.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x**3

        @staticmethod
        def backward(ctx, grad):
            (x,) = ctx.saved_tensors
            return grad * 3 * x**2

    y = Cube.apply(al.tensor(2.0, requires_grad=True))
    assert type(y.grad_fn).__name__ == "CubeBackward"
    with pytest.raises(RuntimeError, match=r"Cube.apply\(x\)"):
        Cube()(al.tensor(1.0))


def test_renamed_nodes_still_compute_their_operation():
    a = al.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    v = al.tensor([1.0, -1.0], requires_grad=True)
    assert gradcheck(lambda m, w: (m @ w).sum() + m[0].sum() + m.t().sum() * 2, (a.double(), v.double()))


@pytest.mark.parametrize(
    ("f", "at_zero"),
    [
        (lambda x: x**0, 0.0),
        (lambda x: x.unsqueeze(-1) ** al.arange(4), 1.0),  # d/dx (1 + x + x**2 + x**3) = 1 at 0
        (lambda x: x.norm(), 0.0),
        (lambda x: x.norm(dim=0), 0.0),
        (lambda x: x.norm(p=3), 0.0),
    ],
    ids=["pow0", "polynomial_features", "norm", "norm_dim", "norm_p3"],
)
def test_gradients_at_zero_are_pytorchs_and_match_finite_differences(f, at_zero):
    x = al.zeros(3, dtype=al.float64, requires_grad=True)
    f(x).sum().backward()
    assert x.grad.tolist() == [at_zero] * 3
    away = al.tensor([0.3, -0.7, 1.2], dtype=al.float64, requires_grad=True)
    assert gradcheck(f, (away,))


def test_mean_clamp_and_softmax_nodes_gradcheck():
    x = al.tensor([[0.3, -1.2, 2.0], [0.7, 0.1, -0.4]], dtype=al.float64, requires_grad=True)
    for f in (lambda t: t.mean(), lambda t: t.mean(dim=1), lambda t: t.clamp(-0.5, 0.5), lambda t: t.softmax(1)):
        assert gradcheck(f, (x,)) and gradgradcheck(f, (x,))


def test_a_hook_may_not_change_the_gradients_shape_or_dtype():
    x = al.ones(3, requires_grad=True)
    x.register_hook(lambda g: g.double())
    with pytest.raises(RuntimeError, match="changed the type of value"):
        (x * 2).sum().backward()


def test_a_custom_backward_may_return_a_gradient_to_sum_down():
    class AddBias(al.autograd.Function):
        @staticmethod
        def forward(ctx, x, b):
            return x + b

        @staticmethod
        def backward(ctx, grad):
            return grad, grad  # b is (3,), grad is (2, 3): summed over the batch, as PyTorch does

    x, b = al.ones(2, 3, requires_grad=True), al.zeros(3, requires_grad=True)
    AddBias.apply(x, b).sum().backward()
    assert b.grad.tolist() == [2.0, 2.0, 2.0]

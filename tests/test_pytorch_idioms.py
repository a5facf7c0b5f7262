"""PyTorch's beginner idioms, written once: they run on both libraries with the same numbers.

Each program takes the library as ``T`` (``import autograd_lab as torch`` in
spirit) and returns the numbers it computed.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

import autograd_lab as al


def polynomial_fit_manual_updates(T):
    dtype = T.float
    x = T.linspace(-math.pi, math.pi, 200, dtype=dtype)
    y = T.sin(x)
    a, b, c, d = (T.tensor(v, dtype=dtype, requires_grad=True) for v in (0.1, -0.2, 0.3, 0.05))
    learning_rate = 1e-5
    losses = []
    for _ in range(300):
        y_pred = a + b * x + c * x**2 + d * x**3
        loss = (y_pred - y).pow(2).sum()
        losses.append(loss.item())
        loss.backward()
        with T.no_grad():
            a -= learning_rate * a.grad
            b -= learning_rate * b.grad
            c -= learning_rate * c.grad
            d -= learning_rate * d.grad
            a.grad = None
            b.grad = None
            c.grad = None
            d.grad = None
    return [losses[0], losses[-1], a.item(), b.item(), c.item(), d.item()]


def custom_function_legendre(T):
    class LegendrePolynomial3(T.autograd.Function):
        @staticmethod
        def forward(ctx, input):
            ctx.save_for_backward(input)
            return 0.5 * (5 * input**3 - 3 * input)

        @staticmethod
        def backward(ctx, grad_output):
            (input,) = ctx.saved_tensors
            return grad_output * 1.5 * (5 * input**2 - 1)

    x = T.linspace(-math.pi, math.pi, 100)
    y = T.sin(x)
    a, b, c, d = (T.full((), v, requires_grad=True) for v in (0.0, -1.0, 0.0, 0.3))
    for _ in range(100):
        y_pred = a + b * LegendrePolynomial3.apply(c + d * x)
        loss = (y_pred - y).pow(2).sum()
        loss.backward()
        with T.no_grad():
            for p in (a, b, c, d):
                p -= 5e-6 * p.grad
                p.grad = None
    return [loss.item(), a.item(), b.item(), c.item(), d.item()]


def custom_relu_with_clamp_and_masked_gradient(T):
    class MyReLU(T.autograd.Function):
        @staticmethod
        def forward(ctx, input):
            ctx.save_for_backward(input)
            return input.clamp(min=0)

        @staticmethod
        def backward(ctx, grad_output):
            (input,) = ctx.saved_tensors
            grad_input = grad_output.clone()
            grad_input[input < 0] = 0
            return grad_input

    x = T.tensor([[-1.0, 2.0, 0.5], [3.0, -0.5, -2.0]], requires_grad=True)
    w = T.tensor([[0.5], [-1.0], [2.0]], requires_grad=True)
    out = MyReLU.apply(x @ w * x.sum(dim=1, keepdim=True))
    out.sum().backward()
    return [*out.flatten().tolist(), *x.grad.flatten().tolist(), *w.grad.flatten().tolist()]


def higher_order_gradients(T):
    x = T.tensor([0.5, -1.0, 2.0], dtype=T.float64, requires_grad=True)
    y = (x.sin() * x**2).sum()
    (g,) = T.autograd.grad(y, x, create_graph=True)
    (h_diag_sum,) = T.autograd.grad(g.sum(), x, create_graph=True)
    penalty = (g**2).sum()
    penalty.backward()
    return [*g.tolist(), *h_diag_sum.tolist(), *x.grad.tolist()]


def hooks_and_retain_grad(T):
    x = T.tensor([1.0, 2.0, 3.0], requires_grad=True)
    h = x.tanh()
    h.retain_grad()
    h.register_hook(lambda grad: grad * 2)
    x.register_hook(lambda grad: grad.clamp(max=0.5))
    (h * h * T.tensor([1.0, -1.0, 0.5])).sum().backward()
    return [*h.grad.tolist(), *x.grad.tolist()]


def data_attribute_updates(T):
    w = T.tensor([[1.0, -2.0], [0.5, 0.25]], requires_grad=True)
    b = T.zeros(2, requires_grad=True)
    inputs = T.tensor([[1.0, 2.0], [3.0, -1.0], [0.0, 1.0]])
    targets = T.tensor([1, 0, 1])
    for _ in range(20):
        logits = inputs @ w + b
        loss = -logits.log_softmax(dim=1)[T.arange(3), targets].mean()
        loss.backward()
        w.data -= 0.5 * w.grad.data
        b.data -= 0.5 * b.grad.data
        w.grad.data.zero_()
        b.grad.zero_()
    return [loss.item(), *w.flatten().tolist(), *b.tolist()]


def softmax_regression_with_max_and_argmax(T):
    x = T.tensor([[0.2, 1.0, -0.5], [2.0, 0.1, 0.3], [-1.0, -0.2, 0.8], [0.5, 0.5, 0.4]])
    w = T.zeros(3, 3, requires_grad=True)
    accuracy = []
    for _ in range(30):
        scores = x @ w
        shifted = scores - scores.max(dim=1, keepdim=True).values
        probs = shifted.exp() / shifted.exp().sum(dim=1, keepdim=True)
        loss = -(probs[T.arange(4), T.tensor([1, 0, 2, 0])]).log().mean()
        loss.backward()
        with T.no_grad():
            w.sub_(w.grad, alpha=1.0)
            w.grad.zero_()
        accuracy.append((scores.argmax(dim=1) == T.tensor([1, 0, 2, 0])).float().mean().item())
    return [loss.item(), *accuracy[-3:], *w.flatten().tolist()]


def broadcasting_and_reductions(T):
    a = T.tensor([[1.0], [2.0], [3.0]], requires_grad=True)
    b = T.tensor([0.5, -1.0, 2.0, 0.0], requires_grad=True)
    c = (a * b + a / (1 + b.abs())).relu()
    loss = c.mean() + c.std() + c.amax(dim=0).sum() + T.stack([a.squeeze(), b[:3]]).var(dim=0).sum()
    loss.backward()
    return [loss.item(), *a.grad.flatten().tolist(), *b.grad.tolist()]


def jacobians_splits_and_in_place_math(T):
    from_functional = T.autograd.functional
    x = T.tensor([0.5, -1.0, 2.0], dtype=T.float64)
    jac = from_functional.jacobian(lambda v: v.sin() * v.sum(), x)
    hess = from_functional.hessian(lambda v: (v**3).sum() + v[0] * v[1] * v[2], x)
    w = T.tensor([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]], requires_grad=True)
    a, b = w.chunk(2, dim=0)
    rows = w.unbind(1)
    parts = w.split([1, 2])
    y = (a.sum() * b.sum() / 100 + rows[0].dot(rows[1]) / 50 + parts[1].mv(T.tensor([1.0, -1.0])).sum()).exp_()
    y = y + T.outer(rows[0], rows[1]).sum() + T.bmm(w.unsqueeze(0), w.T.unsqueeze(0)).relu_().mean()
    y.backward()
    return [*jac.flatten().tolist(), *hess.flatten().tolist(), y.item(), *w.grad.flatten().tolist()]


PROGRAMS = [
    jacobians_splits_and_in_place_math,
    polynomial_fit_manual_updates,
    custom_function_legendre,
    custom_relu_with_clamp_and_masked_gradient,
    higher_order_gradients,
    hooks_and_retain_grad,
    data_attribute_updates,
    softmax_regression_with_max_and_argmax,
    broadcasting_and_reductions,
]


@pytest.mark.parametrize("program", PROGRAMS, ids=lambda p: p.__name__)
def test_program_runs_and_gives_finite_numbers(program):
    numbers = program(al)
    assert numbers and np.isfinite(numbers).all()


@pytest.mark.parametrize("program", PROGRAMS, ids=lambda p: p.__name__)
def test_program_gives_pytorchs_numbers(program):
    torch = pytest.importorskip("torch")
    np.testing.assert_allclose(program(al), program(torch), rtol=2e-4, atol=1e-5)

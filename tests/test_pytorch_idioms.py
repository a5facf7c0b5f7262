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


def _deterministic_init(T, model):
    """Weights from a fixed ramp, the same in both libraries (their random generators differ)."""
    with T.no_grad():
        for k, param in enumerate(model.parameters()):
            param.copy_(T.linspace(-0.5, 0.5 + 0.1 * k, param.numel()).reshape(param.shape))
    return model


def linear_regression_with_nn_linear_and_sgd(T):
    x = T.arange(-1.0, 1.0, 0.125).unsqueeze(1)  # arange with a float step: 16 points
    y = 3 * x - 0.5
    model = _deterministic_init(T, T.nn.Linear(1, 1))
    optimizer = T.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    loss_fn = T.nn.MSELoss()
    losses = []
    for _ in range(40):
        optimizer.zero_grad()
        loss = loss_fn(model(x), y)
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    return [losses[0], losses[-1], model.weight.item(), model.bias.item()]


def classifier_with_cross_entropy_and_adam(T):
    x = T.tensor([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0], [0.5, 0.2], [0.1, 0.9]])
    y = T.tensor([0, 1, 1, 0, 2, 1])
    model = _deterministic_init(T, T.nn.Sequential(T.nn.Linear(2, 8), T.nn.ReLU(), T.nn.Linear(8, 3)))
    optimizer = T.optim.Adam(model.parameters(), lr=0.05)
    for _ in range(60):
        loss = T.nn.functional.cross_entropy(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    with T.no_grad():
        accuracy = (model(x).argmax(dim=1) == y).float().mean()
    return [loss.item(), accuracy.item(), *model[2].bias.tolist()]


def rmsprop_with_weight_decay_on_two_groups(T):
    model = _deterministic_init(T, T.nn.Sequential(T.nn.Linear(3, 4), T.nn.Tanh(), T.nn.Linear(4, 1)))
    optimizer = T.optim.RMSprop(
        [{"params": model[0].parameters(), "weight_decay": 0.01}, {"params": model[2].parameters(), "lr": 0.003}],
        lr=0.01,
        momentum=0.5,
    )
    x = T.linspace(-1, 1, 15).reshape(5, 3)
    target = x.sum(dim=1, keepdim=True).sin()
    for _ in range(25):
        optimizer.zero_grad()
        loss = ((model(x) - target) ** 2).mean()
        loss.backward()
        optimizer.step()
    return [loss.item(), *model[2].weight.flatten().tolist()]


def state_dict_save_train_restore(T):
    model = _deterministic_init(T, T.nn.Linear(2, 1))
    saved = {name: value.clone() for name, value in model.state_dict().items()}
    optimizer = T.optim.SGD(model.parameters(), lr=0.5)
    x, y = T.tensor([[1.0, 2.0], [3.0, -1.0]]), T.tensor([[1.0], [0.0]])
    for _ in range(3):
        optimizer.zero_grad()
        T.nn.functional.mse_loss(model(x), y).backward()
        optimizer.step()
    trained = model(x).flatten().tolist()
    model.load_state_dict(saved)
    restored = model(x).flatten().tolist()
    return [*trained, *restored, *model.state_dict()["weight"].flatten().tolist()]


def zero_grad_or_accumulate(T):
    model = _deterministic_init(T, T.nn.Linear(2, 1))
    x = T.tensor([[1.0, -1.0]])
    model(x).sum().backward()
    model(x).sum().backward()  # no zero_grad: the two gradients add up
    accumulated = model.weight.grad.flatten().tolist()
    model.zero_grad(set_to_none=False)
    zeros = model.weight.grad.flatten().tolist()
    model(x).sum().backward()
    return [*accumulated, *zeros, *model.weight.grad.flatten().tolist()]


def seeding_makes_runs_repeatable(T):
    def run():
        T.manual_seed(1234)
        noise = T.randn(3, 2)
        layer = T.nn.Linear(2, 2)
        return noise, layer.weight.detach().clone(), T.randint(0, 10, (4,)), T.randperm(5)

    first, second = run(), run()
    same = [float(T.equal(a, b)) for a, b in zip(first, second)]
    return [*same, float(first[0].shape[0]), float(first[3].sum())]


def arange_features_and_gradients_at_zero(T):
    x = T.tensor([0.0, 0.5, -1.0, 2.0], requires_grad=True)
    powers = T.arange(4)  # int64 exponents, as in PyTorch's polynomial examples
    features = x.unsqueeze(-1) ** powers
    weights = T.tensor([1.0, -2.0, 0.5, 0.25])
    (features @ weights).sum().backward()
    return [*features.flatten().tolist(), *x.grad.tolist(), float(T.arange(0, 1, 0.1).shape[0])]


def gradients_at_zero(T):
    grads = []
    for f in (
        lambda x: x**0,
        lambda x: x**2,
        lambda x: x.relu(),
        lambda x: x.abs(),
        lambda x: x.clamp(min=0.0),
        lambda x: x.norm(),
    ):
        x = T.zeros(3, requires_grad=True)
        f(x).sum().backward()
        grads += x.grad.tolist()
    return grads


def cross_entropy_with_ignore_index_and_label_smoothing(T):
    logits = T.tensor([[2.0, 0.5, -1.0], [0.1, 0.2, 3.0], [1.0, -1.0, 0.0], [0.3, 0.3, 0.3]], requires_grad=True)
    target = T.tensor([0, -100, 1, 2])  # -100: PyTorch's default ignore_index (e.g. padding)
    loss = T.nn.CrossEntropyLoss(label_smoothing=0.1)(logits, target)
    loss.backward()
    per_sample = T.nn.functional.cross_entropy(logits, T.tensor([0, 1, 1, 2]), reduction="none", ignore_index=2)
    return [loss.item(), *logits.grad.flatten().tolist(), *per_sample.tolist()]


def custom_function_with_expandable_gradient(T):
    class ScaleRows(T.autograd.Function):
        @staticmethod
        def forward(ctx, x, scale):
            ctx.save_for_backward(x, scale)
            return x * scale

        @staticmethod
        def backward(ctx, grad_output):
            x, scale = ctx.saved_tensors
            return grad_output * scale, grad_output * x  # the second has x's shape: summed down to scale's

    x = T.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    scale = T.tensor([0.5, -1.0], requires_grad=True)
    ScaleRows.apply(x, scale).pow(2).sum().backward()
    return [*x.grad.flatten().tolist(), *scale.grad.tolist()]


def views_need_a_contiguous_layout(T):
    x = T.arange(6.0).reshape(2, 3)
    t = x.t()  # the same memory, read with swapped strides: not contiguous
    flags = [x.is_contiguous(), t.is_contiguous(), t.contiguous().is_contiguous(), x[:, 1:].is_contiguous()]
    strides = [*x.stride(), *t.stride(), *t.contiguous().stride(), *x[:, ::2].stride()]
    flat = t.contiguous().view(-1)  # view needs the contiguous copy; reshape makes it when it must
    return [*map(float, flags), *map(float, strides), *flat.tolist(), *t.reshape(-1).tolist()]


PROGRAMS = [
    linear_regression_with_nn_linear_and_sgd,
    classifier_with_cross_entropy_and_adam,
    rmsprop_with_weight_decay_on_two_groups,
    state_dict_save_train_restore,
    zero_grad_or_accumulate,
    seeding_makes_runs_repeatable,
    arange_features_and_gradients_at_zero,
    gradients_at_zero,
    cross_entropy_with_ignore_index_and_label_smoothing,
    custom_function_with_expandable_gradient,
    views_need_a_contiguous_layout,
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


def node_names(T):
    """The grad_fn names a learner prints while exploring a small network's graph."""
    a = T.tensor([1.0, 2.0], requires_grad=True)
    w = T.ones(3, 2, requires_grad=True)
    layer = T.nn.Linear(2, 3)
    outputs = [a * 2, a + a, a - 1, a / 2, a**2, -a, a.exp(), a.log(), a.sum(), a.mean(), a.relu(), a.sigmoid()]
    outputs += [a.tanh(), w @ a, w.t() @ w, a @ a, a[0], a.reshape(2, 1), w.t(), layer(w), layer(a)]
    outputs += [T.nn.functional.cross_entropy(w, T.tensor([0, 1, 1])), T.nn.functional.mse_loss(a, a.detach() * 2)]
    return [type(out.grad_fn).__name__ for out in outputs]


def test_node_names_are_pytorchs():
    torch = pytest.importorskip("torch")
    assert node_names(al) == node_names(torch)


def test_bool_tensors_print_as_in_pytorch():
    torch = pytest.importorskip("torch")
    for make in (
        lambda T: T.tensor(True),
        lambda T: T.tensor([True, False]),
        lambda T: T.tensor([[True], [False]]),
        lambda T: T.arange(4).reshape(2, 2) > 1,
    ):
        assert repr(make(al)) == repr(make(torch))

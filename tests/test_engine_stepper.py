"""The BackwardStepper's panel says what the engine's trace recorded (MatMul, broadcasting, custom Functions)."""

import numpy as np

import autograd_lab as torch
from autograd_lab import engine
from autograd_lab.autograd import Function
from autograd_lab.viz import BackwardStepper
from autograd_lab.viz.graph import format_array


def _leaf_view(stepper, tensor):
    return next(v for v in stepper.steps if getattr(v.node, "variable", None) is tensor)


def test_stepper_panel_on_matmul_shows_the_vjp_and_the_contributions_the_engine_summed():
    w = torch.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    x = torch.tensor([[1.0, -1.0], [0.5, 2.0], [2.0, 0.0]])
    h = x @ w
    y = (h @ w).sum()  # w feeds two MatMuls: its gradient is the sum of two contributions
    stepper = BackwardStepper(y, names={"w": w, "h": h, "y": y})
    w_trace = next(s for s in stepper.trace if getattr(s.node, "variable", None) is w)
    terms = [format_array(c.grad) for c in w_trace.contributions]
    assert len(terms) == 2
    np.testing.assert_allclose(sum(c.grad.numpy() for c in w_trace.contributions), w.grad.numpy(), rtol=1e-6)
    assert _leaf_view(stepper, w).lines == [f"w.grad = {' + '.join(terms)} = {format_array(w.grad)}"]
    for view, step in zip(stepper.steps, stepper.trace):
        if view.node.name() != "MatMulBackward":
            continue
        vjp_lines = [line for line in view.lines if "producto vector-Jacobiano" in line]
        sent = [g for (n, _), g in zip(step.edges, step.grad_inputs) if n is not None and g is not None]
        assert len(vjp_lines) == len(sent) >= 1
        for line, grad in zip(vjp_lines, sent):
            assert line.endswith(f"enviado {format_array(grad)}")
            assert f"→ {tuple(grad.shape)}" in line
        assert "derivada local" not in " ".join(view.lines)


def test_stepper_panel_on_broadcasting_sums_the_paths_into_the_bias():
    x = torch.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    b = torch.tensor([0.5, -1.0], requires_grad=True)
    z = x + b
    out = (z * b).sum()  # b is broadcast once and used twice
    stepper = BackwardStepper(out, names={"x": x, "b": b, "z": z, "out": out})
    b_trace = next(s for s in stepper.trace if getattr(s.node, "variable", None) is b)
    assert [stepper.trace[c.source].node.name() for c in b_trace.contributions] == ["MulBackward", "AddBackward"]
    terms = " + ".join(format_array(c.grad) for c in b_trace.contributions)
    assert _leaf_view(stepper, b).lines == [f"b.grad = {terms} = {format_array(b.grad)}"]
    add_view = next(v for v in stepper.steps if v.node.name() == "AddBackward")
    assert any(line.startswith("hacia b: producto vector-Jacobiano, formas (2, 2) → (2,)") for line in add_view.lines)
    z_view = add_view  # z is the Add's output: it received exactly what Mul sent it
    mul_step = next(s for s in stepper.trace if s.node.name() == "MulBackward")
    (received,) = stepper.trace[stepper.steps.index(z_view)].received
    assert [c.source for c in received] == [mul_step.index]


class Cube(Function):
    calls = 0

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x**3

    @staticmethod
    def backward(ctx, grad_output):
        Cube.calls += 1
        (x,) = ctx.saved_tensors
        return grad_output * 3 * x**2


def test_stepper_runs_a_custom_backward_once_and_shows_its_scalar_derivative():
    a = torch.tensor(2.0, requires_grad=True)
    Cube.calls = 0
    c = Cube.apply(a)
    stepper = BackwardStepper(c * 2, names={"a": a, "c": c})
    assert Cube.calls == 1
    cube = next(v for v in stepper.steps if v.node.name() == "CubeBackward")
    assert "hacia a: derivada local 12 × entrante 2 = 24" in cube.lines
    assert a.grad.item() == 24.0
    with engine.trace_backward():
        Cube.apply(a).backward()
    assert Cube.calls == 2

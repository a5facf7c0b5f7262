"""The engine's traces the drawing reads: trace_forward (ops and outputs) and trace_backward values."""

import numpy as np

import autograd_lab as torch
from autograd_lab import engine
from autograd_lab.autograd import Function


def test_trace_forward_records_each_operation_and_its_output():
    a = torch.tensor(2.0, requires_grad=True)
    b = torch.tensor(3.0, requires_grad=True)
    with engine.trace_forward() as records:
        c = a * b
        d = c + a
    assert [node.name() for node, _ in records] == ["MulBackward", "AddBackward"]
    assert records[0][0] is c.grad_fn and records[0][1][0] is c
    assert records[1][1][0] is d
    assert records[0][1][0].item() == 6.0


def test_trace_forward_stops_listening_on_exit_and_skips_unrecorded_ops():
    a = torch.tensor(2.0, requires_grad=True)
    with engine.trace_forward() as records, torch.no_grad():
        a * 2
    assert records == []
    with engine.trace_forward() as records:
        pass
    a * 3
    assert records == []
    assert engine._forward_listeners == []


def test_backward_trace_keeps_the_leaf_grad_before_and_after_each_step():
    a = torch.tensor(2.0, requires_grad=True)
    (a * 3).backward()
    with engine.trace_backward() as steps:
        (a * 5).backward()
    (a * 7).backward()  # later in-place accumulation must not change what was traced
    leaf_step = steps[-1]
    assert leaf_step.grad_before.item() == 3.0
    assert leaf_step.grad_after.item() == 8.0
    assert a.grad.item() == 15.0


# --------------------------------------------------------------------------- what the engine did


class CountingSquare(Function):
    """x**2, counting how often its backward runs."""

    calls = 0

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x * x

    @staticmethod
    def backward(ctx, grad_output):
        CountingSquare.calls += 1
        (x,) = ctx.saved_tensors
        return grad_output * 2 * x


def test_a_custom_backward_runs_once_per_backward_pass_with_tracing_on():
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    CountingSquare.calls = 0
    with engine.trace_backward() as steps:
        CountingSquare.apply(x).sum().backward()
    assert CountingSquare.calls == 1
    assert len(steps) == 3
    x.grad = None
    y = CountingSquare.apply(x * 3)
    with engine.trace_backward():
        (y.sum() * 2).backward()
    assert CountingSquare.calls == 2
    assert x.grad.tolist() == [36.0, 72.0]


def _check_contributions_add_up(steps):
    """Each step's gradient is the sum of what it received, and each contribution is what its sender sent."""
    for step in steps:
        assert step.index == steps.index(step)
        for slot, (contributions, grad) in enumerate(zip(step.received, step.grad_outputs)):
            total = sum(c.grad.numpy() for c in contributions)
            np.testing.assert_allclose(grad.numpy(), total, rtol=1e-6)
            for c in contributions:
                if c.source is None:
                    assert step.index == 0  # the seed goes to the output's node
                    continue
                sender = steps[c.source]
                assert c.source < step.index
                assert any(n is step.node and nr == slot and g is c.grad for n, nr, g in sender.sent)


def test_matmul_trace_records_the_contributions_the_engine_summed():
    w = torch.tensor([[1.0, 2.0, 0.5], [3.0, -4.0, 1.0]], requires_grad=True)
    x = torch.tensor([[1.0, -1.0], [0.5, 2.0], [2.0, 0.0], [1.0, 1.0]], requires_grad=True)
    h = x @ w  # (4, 2) @ (2, 3) -> (4, 3)
    loss = (h * h).sum() + (h @ w.T).sum()  # w is used twice
    with engine.trace_backward() as steps:
        loss.backward()
    _check_contributions_add_up(steps)
    leaf = {id(s.node.variable): s for s in steps if isinstance(s.node, engine.AccumulateGrad)}
    w_step = leaf[id(w)]
    assert len(w_step.contributions) == 2  # from both MatMuls
    np.testing.assert_allclose(sum(c.grad.numpy() for c in w_step.contributions), w.grad.numpy(), rtol=1e-6)
    np.testing.assert_allclose(w_step.grad_after.numpy(), w.grad.numpy())
    assert w_step.grad_before is None
    np.testing.assert_allclose(leaf[id(x)].grad_after.numpy(), x.grad.numpy())
    matmuls = [s for s in steps if s.node.name() == "MatMulBackward"]
    assert len(matmuls) == 2
    assert all(local is None for s in matmuls for local in s.local_grads)  # a VJP, not a derivative


def test_broadcasting_trace_records_the_reduction_back_to_each_shape():
    x = torch.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], requires_grad=True)
    b = torch.tensor([0.5, -1.0, 2.0], requires_grad=True)
    s = torch.tensor(3.0, requires_grad=True)
    loss = ((x + b) * s).sum()
    with engine.trace_backward() as steps:
        loss.backward()
    _check_contributions_add_up(steps)
    add = next(step for step in steps if step.node.name() == "AddBackward")
    assert [tuple(g.shape) for g in add.grad_inputs] == [(2, 3), (3,)]
    assert add.grad_inputs[1].tolist() == [6.0, 6.0, 6.0]  # summed over the broadcast rows
    assert add.local_grads == (None, None)
    leaf = {id(step.node.variable): step for step in steps if isinstance(step.node, engine.AccumulateGrad)}
    assert leaf[id(b)].contributions[0].grad.tolist() == b.grad.tolist() == [6.0, 6.0, 6.0]
    assert leaf[id(s)].grad_after.item() == s.grad.item() == 24.0  # sum(x) + 2 * sum(b)


def test_local_grads_only_where_they_are_scalar_derivatives():
    a = torch.tensor(2.0, requires_grad=True)
    b = torch.tensor(3.0, requires_grad=True)
    with engine.trace_backward() as steps:
        (a * b).backward(torch.tensor(0.5))
    mul = steps[0]
    assert [g.item() for g in mul.local_grads] == [3.0, 2.0]  # grad_input / grad_output
    assert [g.item() for g in mul.grad_inputs] == [1.5, 1.0]
    assert mul.received[0][0].source is None and mul.received[0][0].grad.item() == 0.5
    with engine.trace_backward() as steps:
        (a * b).backward(torch.tensor(0.0))
    assert steps[0].local_grads == (None, None)  # 0 / 0: no derivative can be read off


def test_trace_of_a_two_output_function_keeps_each_slot_apart():
    x = torch.tensor(2.0, requires_grad=True)
    y = torch.tensor(5.0, requires_grad=True)
    product, total = MulAdd.apply(x, y)
    with engine.trace_backward() as steps:
        (product * 2 + total * 3 + product).backward()
    node = next(step for step in steps if step.node is product.grad_fn)
    assert [len(slot) for slot in node.received] == [2, 1]
    assert [g.item() for g in node.grad_outputs] == [3.0, 3.0]
    assert node.local_grads == (None, None)
    _check_contributions_add_up(steps)


class MulAdd(Function):
    @staticmethod
    def forward(ctx, x, y):
        ctx.save_for_backward(x, y)
        return x * y, x + y

    @staticmethod
    def backward(ctx, grad_product, grad_sum):
        x, y = ctx.saved_tensors
        return grad_product * y + grad_sum, grad_product * x + grad_sum

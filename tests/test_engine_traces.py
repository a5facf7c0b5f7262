"""The engine's traces the drawing reads: trace_forward (ops and outputs) and trace_backward values."""

import autograd_lab as torch
from autograd_lab import engine


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

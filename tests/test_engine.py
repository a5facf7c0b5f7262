"""The backward walk: order, accumulation, freeing, higher order, hooks, grad(), trace."""

from __future__ import annotations

import gc
import sys

import numpy as np
import pytest

import autograd_lab as al
from autograd_lab import engine


def test_topological_order_is_deterministic_and_consumers_first():
    a = al.tensor(2.0, requires_grad=True)
    b = al.tensor(3.0, requires_grad=True)
    d = a * b + a
    names = [node.name() for node in engine.iter_graph(d)]
    assert names == ["AddBackward0", "MulBackward0", "AccumulateGrad", "AccumulateGrad"]
    order = list(engine.iter_graph(d))
    position = {node: i for i, node in enumerate(order)}
    for node in order:  # every node comes before the nodes it feeds into
        for child, _ in node.next_functions:
            if child is not None:
                assert position[node] < position[child]
    assert [n.name() for n in engine.iter_graph(a * b + a)] == names


def test_diamond_accumulates_both_paths():
    x = al.tensor(1.5, requires_grad=True)
    y = x * 2
    z = y.exp() + y.sin()  # y feeds two branches
    z.backward()
    expected = 2 * (np.exp(3.0) + np.cos(3.0))
    assert x.grad.item() == pytest.approx(expected, rel=1e-6)


def test_grad_accumulates_across_backward_calls_and_zeroes():
    w = al.tensor([1.0, 2.0], requires_grad=True)
    (w * 3).sum().backward()
    (w * 3).sum().backward()
    assert w.grad.tolist() == [6.0, 6.0]
    w.grad.zero_()
    (w * w).sum().backward()
    assert w.grad.tolist() == [2.0, 4.0]
    w.grad = None
    (w * 1).sum().backward()
    assert w.grad.tolist() == [1.0, 1.0]


def test_shared_gradient_is_not_aliased_between_leaves():
    a = al.tensor([1.0], requires_grad=True)
    b = al.tensor([1.0], requires_grad=True)
    (a + b).sum().backward()  # AddBackward0 hands the same gradient to both
    a.grad.add_(10)
    assert b.grad.tolist() == [1.0]


def test_chain_of_100000_operations_has_no_recursion_and_frees_memory():
    import tracemalloc

    gc.collect()
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    x = al.tensor(1.0, requires_grad=True)
    y = x
    for _ in range(100_000):
        y = y * 1.00001
    y.backward()
    assert x.grad.item() == pytest.approx(float(np.float32(1.00001)) ** 100_000, rel=1e-3)
    assert sys.getrecursionlimit() < 100_000  # the walk really is deeper than recursion allows
    peak_with_graph = tracemalloc.get_traced_memory()[0]
    del y
    gc.collect()
    after = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    assert peak_with_graph - before > 5_000_000  # the graph was big ...
    assert after - before < 200_000  # ... and it is all gone once dropped


def test_saved_tensors_are_freed_after_backward_unless_retained():
    x = al.tensor(2.0, requires_grad=True)
    y = x * x
    y.backward(retain_graph=True)
    y.backward()
    assert x.grad.item() == 8.0
    with pytest.raises(RuntimeError, match="backward through the graph a second time"):
        y.backward()


def test_graph_without_saved_tensors_can_be_walked_twice_like_pytorch():
    x = al.tensor(2.0, requires_grad=True)
    y = x + 1
    y.backward()
    y.backward()
    assert x.grad.item() == 2.0


def test_second_derivative_and_hessian_vector_product():
    x = al.tensor([1.0, 2.0, 3.0], dtype=al.float64, requires_grad=True)
    y = (x**3).sum()
    (g,) = al.autograd.grad(y, x, create_graph=True)
    assert g.tolist() == [3.0, 12.0, 27.0]
    v = al.tensor([1.0, 0.0, -1.0], dtype=al.float64)
    (hv,) = al.autograd.grad((g * v).sum(), x)
    assert hv.tolist() == [6.0, 0.0, -18.0]  # H = diag(6x)


@pytest.mark.parametrize(
    "fn",
    [
        lambda x: (x.tanh() * x.sigmoid()).sum(),
        lambda x: (x.exp() / (1 + x * x)).sum(),
        lambda x: x.log_softmax(0).sum() + (x.softmax(0) ** 2).sum(),
        lambda x: (x @ x.T.reshape(3, 1)).sum() + x.max(),
    ],
)
def test_gradgradcheck_on_compositions(fn):
    x = al.tensor([[0.3, -0.7, 1.1]], dtype=al.float64, requires_grad=True)
    assert al.autograd.gradgradcheck(fn, (x,))


def test_third_derivative():
    x = al.tensor(0.5, dtype=al.float64, requires_grad=True)
    y = x.sin()
    (d1,) = al.autograd.grad(y, x, create_graph=True)
    (d2,) = al.autograd.grad(d1, x, create_graph=True)
    (d3,) = al.autograd.grad(d2, x)
    assert d3.item() == pytest.approx(-np.cos(0.5))


def test_autograd_grad_does_not_touch_dot_grad_and_reports_unused():
    a = al.tensor(2.0, requires_grad=True)
    b = al.tensor(3.0, requires_grad=True)
    c = al.tensor(4.0, requires_grad=True)
    d = a * b
    ga, gb = al.autograd.grad(d, [a, b], retain_graph=True)
    assert (ga.item(), gb.item()) == (3.0, 2.0)
    assert a.grad is None and b.grad is None
    with pytest.raises(RuntimeError, match="allow_unused=True"):
        al.autograd.grad(d, [a, c], retain_graph=True)
    assert al.autograd.grad(d, [c, a], allow_unused=True)[0] is None


def test_grad_with_respect_to_an_intermediate():
    x = al.tensor(3.0, requires_grad=True)
    h = x * x
    y = h.sin()
    (gh,) = al.autograd.grad(y, h)
    assert gh.item() == pytest.approx(np.cos(9.0), rel=1e-6)


def test_backward_inputs_limits_accumulation():
    a = al.tensor(2.0, requires_grad=True)
    b = al.tensor(3.0, requires_grad=True)
    (a * b).backward(inputs=[a])
    assert a.grad.item() == 3.0 and b.grad is None


def test_hooks_modify_gradient_before_use_and_can_be_removed():
    x = al.tensor([1.0, 2.0], requires_grad=True)
    h = x * 3
    seen = []
    handle = h.register_hook(lambda g: seen.append(g.tolist()) or g * 10)
    x.register_hook(lambda g: g + 1)
    (h * h).sum().backward()
    assert seen == [[6.0, 12.0]]
    assert x.grad.tolist() == [181.0, 361.0]  # 10 * 2h * 3, then + 1
    handle.remove()
    x.grad = None
    (x * 3 * 1).sum().backward()
    assert x.grad.tolist() == [4.0, 4.0]


def test_retain_grad_keeps_intermediate_gradient():
    x = al.tensor([1.0, -2.0], requires_grad=True)
    h = x * x
    h.retain_grad()
    assert h.retains_grad
    (h * 5).sum().backward()
    assert h.grad.tolist() == [5.0, 5.0]
    assert x.grad.tolist() == [10.0, -20.0]


def test_non_leaf_grad_access_warns_like_pytorch():
    x = al.tensor(1.0, requires_grad=True)
    h = x * 2
    h.backward()
    with pytest.warns(UserWarning, match="retain_grad"):
        assert h.grad is None


def test_trace_records_every_step_with_the_gradients_backward_computes():
    a = al.tensor(2.0, requires_grad=True)
    b = al.tensor(3.0, requires_grad=True)
    d = a * b + a
    with engine.trace_backward() as steps:
        d.backward()
    assert [s.node.name() for s in steps] == ["AddBackward0", "MulBackward0", "AccumulateGrad", "AccumulateGrad"]
    add, mul, acc_b, acc_a = steps
    assert [g.item() for g in add.grad_inputs] == [1.0, 1.0]
    assert [g.item() for g in mul.grad_inputs] == [3.0, 2.0]  # d/da = b, d/db = a
    assert [g.item() for g in mul.local_grads] == [3.0, 2.0]
    assert acc_a.node.variable is a and acc_a.grad_after.item() == 4.0
    contributions = [
        g.item()
        for s in steps
        for (child, _), g in zip(s.edges, s.grad_inputs)
        if child is acc_a.node and g is not None
    ]
    assert sorted(contributions) == [1.0, 3.0] and sum(contributions) == a.grad.item()
    assert not engine._trace_listeners  # nobody listens afterwards


def test_no_grad_enable_grad_and_set_grad_enabled():
    x = al.tensor(1.0, requires_grad=True)
    with al.no_grad():
        assert not al.is_grad_enabled()
        y = x * 2
        with al.enable_grad():
            z = x * 2
    assert y.grad_fn is None and not y.requires_grad
    assert z.grad_fn is not None

    @al.no_grad()
    def decorated():
        return x * 2

    @al.no_grad
    def bare():
        return x * 2

    assert decorated().grad_fn is None and bare().grad_fn is None
    assert al.is_grad_enabled()
    al.set_grad_enabled(False)
    assert (x * 2).grad_fn is None
    al.set_grad_enabled(True)
    with al.set_grad_enabled(False):
        assert not al.is_grad_enabled()
    assert al.is_grad_enabled()


def test_no_graph_is_kept_alive_by_reference_cycles():
    gc.collect()
    gc.disable()
    try:
        x = al.tensor(np.ones(1000, dtype=np.float32), requires_grad=True)
        y = (x.sigmoid() * x).tanh().sum()
        y.backward()
        node = y.grad_fn
        import weakref

        ref = weakref.ref(node)
        del y, node
        assert ref() is None  # freed by reference counting alone
    finally:
        gc.enable()

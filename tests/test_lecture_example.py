"""The lecture's example d = a*b + a: a.grad = b + 1 (two paths), b.grad = a."""

import autograd_lab as torch


def test_d_equals_a_times_b_plus_a():
    a = torch.tensor(2.0, requires_grad=True)
    b = torch.tensor(3.0, requires_grad=True)
    d = a * b + a
    assert d.item() == 8.0
    assert d.grad_fn.name() == "AddBackward0"
    d.backward()
    assert a.grad.item() == b.item() + 1  # through a*b (b = 3) and directly (1)
    assert b.grad.item() == a.item()


def test_accumulation_matches_formula_for_many_values():
    for a_value, b_value in [(-1.5, 0.25), (0.0, 7.0), (4.0, -2.0)]:
        a = torch.tensor(a_value, requires_grad=True)
        b = torch.tensor(b_value, requires_grad=True)
        (a * b + a).backward()
        assert a.grad.item() == b_value + 1
        assert b.grad.item() == a_value

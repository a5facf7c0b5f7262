"""optim: the optimizers give PyTorch's numbers step by step; bookkeeping, saving, schedules and errors."""

from __future__ import annotations

import numpy as np
import pytest

import autograd_lab as al
from autograd_lab import nn, optim

RNG = np.random.default_rng(99)
X = RNG.standard_normal((16, 3)).astype(np.float32)
Y = RNG.standard_normal((16, 2)).astype(np.float32)
W1 = (RNG.standard_normal((5, 3)) * 0.5).astype(np.float32)
B1 = (RNG.standard_normal(5) * 0.1).astype(np.float32)
W2 = (RNG.standard_normal((2, 5)) * 0.5).astype(np.float32)


def loss_of(lib, params, step):
    """A small regression whose gradients change every step (so momentum terms matter)."""
    w1, b1, w2 = params
    dtype = w1.detach().numpy().dtype
    x = lib.tensor((X * (1 + 0.1 * step)).astype(dtype))
    hidden = (x @ w1.T + b1).tanh()
    diff = hidden @ w2.T - lib.tensor(Y.astype(dtype))
    return (diff * diff).mean()


def run_steps(lib, optimizer_cls, kwargs, steps=6, dtype=np.float32):
    params = [lib.tensor(v.astype(dtype), requires_grad=True) for v in (W1, B1, W2)]
    opt = getattr(lib.optim, optimizer_cls)(params, **kwargs)
    history = []
    for step in range(steps):
        opt.zero_grad()
        loss_of(lib, params, step).backward()
        opt.step()
        history.append([p.detach().numpy().copy() for p in params])
    return history


CASES = [
    ("SGD", {"lr": 0.1}),
    ("SGD", {"lr": 0.1, "momentum": 0.9}),
    ("SGD", {"lr": 0.05, "momentum": 0.8, "dampening": 0.3}),
    ("SGD", {"lr": 0.05, "momentum": 0.9, "nesterov": True}),
    ("SGD", {"lr": 0.1, "momentum": 0.5, "weight_decay": 0.01}),
    ("SGD", {"lr": 0.1, "maximize": True}),
    ("Adam", {}),
    ("Adam", {"lr": 0.01, "betas": (0.8, 0.99), "eps": 1e-6}),
    ("Adam", {"lr": 0.01, "betas": (0.3, 0.9)}),
    ("Adam", {"lr": 0.01, "weight_decay": 0.1}),
    ("Adam", {"lr": 0.01, "amsgrad": True}),
    ("RMSprop", {}),
    ("RMSprop", {"lr": 0.01, "alpha": 0.9, "eps": 1e-6}),
    ("RMSprop", {"lr": 0.01, "momentum": 0.9}),
    ("RMSprop", {"lr": 0.01, "centered": True}),
    ("RMSprop", {"lr": 0.01, "centered": True, "momentum": 0.5, "weight_decay": 0.05}),
    ("AdamW", {"lr": 0.01}),
    ("AdamW", {"lr": 0.01, "weight_decay": 0.1, "amsgrad": True}),
    ("Adam", {"lr": 0.01, "weight_decay": 0.1, "decoupled_weight_decay": True}),
    ("Adagrad", {"lr": 0.1}),
    ("Adagrad", {"lr": 0.1, "lr_decay": 0.05, "weight_decay": 0.01, "initial_accumulator_value": 0.1}),
]


# float64 makes any difference in the formulas visible (eps placement, bias corrections, ...);
# float32 checks the dtype handling of the in-place updates.
TOLERANCES = {np.float64: {"rtol": 1e-10, "atol": 1e-12}, np.float32: {"rtol": 1e-4, "atol": 5e-7}}


@pytest.mark.parametrize("dtype", [np.float64, np.float32], ids=["float64", "float32"])
@pytest.mark.parametrize("name, kwargs", CASES, ids=[f"{n}-{sorted(k.items())}" for n, k in CASES])
def test_matches_pytorch_step_by_step(name, kwargs, dtype):
    torch = pytest.importorskip("torch")
    ours = run_steps(al, name, kwargs, dtype=dtype)
    theirs = run_steps(torch, name, kwargs, dtype=dtype)
    for step, (mine, reference) in enumerate(zip(ours, theirs)):
        for a, b in zip(mine, reference):
            assert a.dtype == dtype
            message = f"{name} {kwargs} after step {step + 1}"
            np.testing.assert_allclose(a, b, **TOLERANCES[dtype], err_msg=message)
    # the parameters did move: the comparison is not between two unchanged copies
    assert not np.allclose(ours[-1][0], W1)


def test_sgd_update_is_exactly_p_minus_lr_times_grad():
    p = al.tensor([1.0, -2.0, 3.0], requires_grad=True)
    opt = optim.SGD([p], lr=0.5)
    (p * al.tensor([2.0, 4.0, -6.0])).sum().backward()
    opt.step()
    assert p.detach().tolist() == [0.0, -4.0, 6.0]


def test_sgd_momentum_buffer_follows_the_formula():
    p = al.tensor([0.0], requires_grad=True)
    opt = optim.SGD([p], lr=1.0, momentum=0.5, dampening=0.5)
    expected_buffer, expected_p = None, 0.0
    for grad in (1.0, 2.0, 4.0):
        p.grad = al.tensor([grad])
        opt.step()
        expected_buffer = grad if expected_buffer is None else 0.5 * expected_buffer + 0.5 * grad
        expected_p -= expected_buffer
        assert opt.state[p]["momentum_buffer"].tolist() == [expected_buffer]
        assert p.detach().tolist() == [expected_p]


def test_adam_first_step_moves_each_weight_by_lr():
    p = al.tensor([1.0, -1.0, 5.0], requires_grad=True)
    opt = optim.Adam([p], lr=0.1)
    p.grad = al.tensor([3.0, -0.01, 100.0])
    opt.step()
    # bias-corrected m / sqrt(v) = sign(grad) on the first step
    np.testing.assert_allclose(p.detach().numpy(), [0.9, -0.9, 4.9], rtol=1e-6)
    assert opt.state[p]["step"] == 1 and set(opt.state[p]) == {"step", "exp_avg", "exp_avg_sq"}


def test_zero_grad_sets_none_or_zeros():
    model = nn.Linear(3, 2)
    opt = optim.SGD(model.parameters(), lr=0.1)
    model(al.randn(4, 3)).sum().backward()
    opt.zero_grad(set_to_none=False)
    assert all(p.grad is not None and p.grad.abs().sum().item() == 0 for p in model.parameters())
    opt.zero_grad()
    assert all(p.grad is None for p in model.parameters())


def test_step_skips_parameters_without_grad_and_records_nothing():
    a = al.tensor([1.0], requires_grad=True)
    b = al.tensor([1.0], requires_grad=True)
    opt = optim.Adam([a, b], lr=0.1)
    (a * 3).sum().backward()
    opt.step()
    assert b.item() == 1.0 and b not in opt.state
    assert a.item() != 1.0 and a.is_leaf and a.grad_fn is None and a.requires_grad


def test_step_bumps_the_version_of_updated_parameters():
    w = al.tensor([2.0], requires_grad=True)
    out = w * w  # saves w for backward
    opt = optim.SGD([w], lr=0.1)
    w.grad = al.tensor([1.0])
    before = w._version
    opt.step()
    assert w._version == before + 1
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        out.backward()


def test_param_groups_have_their_own_hyperparameters():
    first, second = nn.Linear(2, 2), nn.Linear(2, 2)
    opt = optim.SGD([{"params": first.parameters()}, {"params": second.parameters(), "lr": 0.0}], lr=0.5, momentum=0.9)
    assert [g["lr"] for g in opt.param_groups] == [0.5, 0.0]
    assert opt.param_groups[1]["momentum"] == 0.9
    before = second.weight.detach().clone()
    (first(al.ones(1, 2)).sum() + second(al.ones(1, 2)).sum()).backward()
    opt.step()
    assert al.equal(second.weight.detach(), before)
    opt.param_groups[1]["lr"] = 0.1  # changing lr between steps works, as schedulers do
    opt.step()
    assert not al.equal(second.weight.detach(), before)
    third = al.zeros(2, requires_grad=True)
    opt.add_param_group({"params": [third], "momentum": 0.0})
    assert opt.param_groups[2]["lr"] == 0.5 and opt.param_groups[2]["momentum"] == 0.0
    with pytest.raises(ValueError, match="more than one parameter group"):
        opt.add_param_group({"params": [third]})


def test_closure_is_evaluated_with_grad_enabled():
    w = al.tensor([3.0], requires_grad=True)
    opt = optim.SGD([w], lr=0.25)

    def closure():
        opt.zero_grad()
        loss = (w * w).sum()
        loss.backward()
        return loss

    with al.no_grad():
        loss = opt.step(closure)
    assert loss.item() == 9.0 and w.item() == 1.5


def test_optimizers_explain_bad_arguments():
    model = nn.Linear(2, 2)
    with pytest.raises(TypeError, match=r"pass model.parameters\(\)"):
        optim.SGD(model, lr=0.1)
    with pytest.raises(TypeError, match="iterable of Tensors or dicts"):
        optim.Adam(model.weight)
    with pytest.raises(ValueError, match="empty parameter list"):
        optim.SGD([], lr=0.1)
    with pytest.raises(ValueError, match="Invalid learning rate: -1"):
        optim.SGD(model.parameters(), lr=-1)
    with pytest.raises(ValueError, match="Nesterov momentum requires a momentum and zero dampening"):
        optim.SGD(model.parameters(), lr=0.1, nesterov=True)
    with pytest.raises(ValueError, match="Invalid beta parameter at index 1"):
        optim.Adam(model.parameters(), betas=(0.9, 1.0))
    with pytest.raises(ValueError, match="Invalid epsilon value"):
        optim.RMSprop(model.parameters(), eps=-1.0)
    with pytest.raises(TypeError, match="can only optimize Tensors"):
        optim.SGD([1.0], lr=0.1)
    x = al.ones(2, requires_grad=True)
    with pytest.raises(ValueError, match="can't optimize a non-leaf Tensor"):
        optim.SGD([x * 2], lr=0.1)


def test_repr_lists_the_groups():
    opt = optim.SGD(nn.Linear(1, 1).parameters(), lr=0.1, momentum=0.9)
    text = repr(opt)
    assert text.startswith("SGD (\nParameter Group 0\n") and "    lr: 0.1\n" in text and "    momentum: 0.9\n" in text


def test_state_dict_names_parameters_by_position_and_restores_the_run():
    history = run_steps(al, "Adam", {"lr": 0.05}, steps=6)
    params = [al.tensor(v, requires_grad=True) for v in (W1, B1, W2)]
    opt = optim.Adam(params, lr=0.05)
    for step in range(3):
        opt.zero_grad()
        loss_of(al, params, step).backward()
        opt.step()
    saved = opt.state_dict()
    assert saved["param_groups"][0]["params"] == [0, 1, 2] and saved["state"][0]["step"].item() == 3.0
    fresh = [al.tensor(p.detach().numpy().copy(), requires_grad=True) for p in params]
    resumed = optim.Adam(fresh, lr=0.5)
    resumed.load_state_dict(saved)
    assert resumed.param_groups[0]["lr"] == 0.05
    for step in range(3, 6):
        resumed.zero_grad()
        loss_of(al, fresh, step).backward()
        resumed.step()
    for mine, reference in zip(fresh, history[-1]):
        np.testing.assert_allclose(mine.detach().numpy(), reference, rtol=1e-6)
    with pytest.raises(ValueError, match="different number of parameter groups"):
        optim.SGD([{"params": [fresh[0]]}, {"params": [fresh[1]]}], lr=0.1).load_state_dict(saved)


def test_schedulers_set_the_learning_rate_each_epoch():
    w = al.ones(1, requires_grad=True)
    opt = optim.SGD([w], lr=1.0)
    step_lr = optim.lr_scheduler.StepLR(opt, step_size=2, gamma=0.5)
    lrs = []
    for _ in range(5):
        opt.step()
        step_lr.step()
        lrs.append(opt.param_groups[0]["lr"])
    assert lrs == [1.0, 0.5, 0.5, 0.25, 0.25] and step_lr.get_last_lr() == [0.25]
    opt2 = optim.SGD([w], lr=0.1)
    cosine = optim.lr_scheduler.CosineAnnealingLR(opt2, T_max=4)
    for _ in range(4):
        opt2.step()
        cosine.step()
    assert abs(opt2.param_groups[0]["lr"]) < 1e-12  # the bottom of the half cosine


def test_scheduler_stepped_before_the_optimizer_warns():
    opt = optim.SGD([al.ones(1, requires_grad=True)], lr=1.0)
    scheduler = optim.lr_scheduler.ExponentialLR(opt, gamma=0.5)
    with pytest.warns(UserWarning, match="before `optimizer.step\\(\\)`"):
        scheduler.step()


def test_reduce_on_plateau_waits_for_patience():
    opt = optim.SGD([al.ones(1, requires_grad=True)], lr=1.0)
    plateau = optim.lr_scheduler.ReduceLROnPlateau(opt, patience=1, factor=0.5)
    for loss in (1.0, 1.0, 1.0, 0.5, 0.5, 0.5):
        plateau.step(loss)
    assert plateau.get_last_lr() == [0.25]

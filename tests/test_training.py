"""End to end: networks built from nn, optim and data learn, and follow PyTorch's trajectory."""

from __future__ import annotations

import numpy as np
import pytest

import autograd_lab as al
from autograd_lab import data, nn, optim


def accuracy(model: nn.Module, X: al.Tensor, y: al.Tensor) -> float:
    model.eval()
    with al.no_grad():
        predicted = model(X).argmax(1)
    model.train()
    return (predicted == y).float().mean().item()


def test_mlp_learns_the_moons_to_97_percent_on_held_out_points():
    al.manual_seed(0)
    X, y = data.make_moons(n_samples=400, noise=0.1, seed=0, as_tensors=True)
    X_train, X_test, y_train, y_test = data.train_test_split(X, y, test_size=0.25, seed=0)
    model = nn.Sequential(nn.Linear(2, 16), nn.ReLU(), nn.Linear(16, 16), nn.ReLU(), nn.Linear(16, 2))
    opt = optim.Adam(model.parameters(), lr=0.02)
    loss_fn = nn.CrossEntropyLoss()
    assert accuracy(model, X_test, y_test) < 0.9  # it has something to learn
    for _ in range(300):
        opt.zero_grad()
        loss = loss_fn(model(X_train), y_train)
        loss.backward()
        opt.step()
    assert accuracy(model, X_test, y_test) >= 0.97
    assert loss.item() < 0.05


def test_mlp_learns_the_digits_to_95_percent_test_accuracy():
    al.manual_seed(0)
    X, y = data.load_digits()
    X_train, X_test, y_train, y_test = data.train_test_split(X / 16.0, y, test_size=0.25, seed=0)
    X_train, X_test, y_train, y_test = (al.from_numpy(a) for a in (X_train, X_test, y_train, y_test))
    model = nn.Sequential(nn.Linear(64, 128), nn.ReLU(), nn.Dropout(0.1), nn.Linear(128, 10))
    opt = optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    loss_fn = nn.CrossEntropyLoss()
    for epoch in range(20):
        for xb, yb in data.minibatches(X_train, y_train, batch_size=64, seed=epoch):
            opt.zero_grad()
            loss_fn(model(xb), yb).backward()
            opt.step()
    test_accuracy = accuracy(model, X_test, y_test)
    assert test_accuracy >= 0.95, f"test accuracy {test_accuracy:.3f}"
    assert all(m.training for m in model.modules())


def test_binary_classifier_with_bce_and_rmsprop_learns_the_circles():
    al.manual_seed(1)
    X, y = data.make_circles(n_samples=300, noise=0.05, seed=1, as_tensors=True)
    model = nn.Sequential(nn.Linear(2, 16), nn.Tanh(), nn.Linear(16, 1), nn.Flatten(0))
    opt = optim.RMSprop(model.parameters(), lr=0.01)
    loss_fn = nn.BCEWithLogitsLoss()
    for _ in range(300):
        opt.zero_grad()
        loss_fn(model(X), y.float()).backward()
        opt.step()
    with al.no_grad():
        predicted = (model(X) > 0).long()
    assert (predicted == y).float().mean().item() >= 0.97


def test_training_follows_pytorch_loss_for_loss():
    torch = pytest.importorskip("torch")
    X, y = data.load_digits()
    X, y = X[:256] / 16.0, y[:256]

    def train(lib, weights):
        model = lib.nn.Sequential(lib.nn.Linear(64, 32), lib.nn.ReLU(), lib.nn.Linear(32, 10))
        model.load_state_dict({k: lib.tensor(v) for k, v in weights.items()})
        opt = lib.optim.SGD(model.parameters(), lr=0.2, momentum=0.9)
        loss_fn = lib.nn.CrossEntropyLoss()
        Xt, yt = lib.tensor(X), lib.tensor(y)
        losses = []
        for start in range(0, 256, 32):
            opt.zero_grad()
            loss = loss_fn(model(Xt[start : start + 32]), yt[start : start + 32])
            loss.backward()
            opt.step()
            losses.append(loss.item())
        return losses

    al.manual_seed(5)
    reference = nn.Sequential(nn.Linear(64, 32), nn.ReLU(), nn.Linear(32, 10))
    weights = {name: value.numpy().copy() for name, value in reference.state_dict().items()}
    ours, theirs = train(al, weights), train(torch, weights)
    np.testing.assert_allclose(ours, theirs, rtol=1e-4)
    assert ours[-1] < ours[0]


def test_each_training_step_frees_its_graph():
    import gc

    from autograd_lab.engine import Node

    al.manual_seed(0)
    X, y = data.make_moons(n_samples=64, seed=0, as_tensors=True)
    model = nn.Sequential(nn.Linear(2, 8), nn.ReLU(), nn.Linear(8, 2))
    opt = optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    loss_fn = nn.CrossEntropyLoss()

    def live_nodes() -> int:
        gc.collect()
        return sum(issubclass(type(o), Node) for o in gc.get_objects())

    counts = []
    for step in range(60):
        opt.zero_grad()
        loss = loss_fn(model(X), y)
        loss.backward()
        opt.step()
        if step in (9, 59):
            counts.append(live_nodes())
    del loss
    assert counts[0] == counts[1]  # nothing piles up from one step to the next
    assert live_nodes() <= counts[0]
    assert all(p.grad_fn is None and p._accumulator() is None for p in model.parameters())

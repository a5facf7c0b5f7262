"""The benchmark workloads, written once for every library that can run them.

``lib`` is a module with PyTorch's API: ``autograd_lab`` or ``torch`` run the very
same function.  The NumPy versions are the floor: the same float32 arithmetic
written out by hand (forward and backward), with no autograd at all.  The
micrograd version uses micrograd's own ``MLP`` and ``Value``.

Every training function returns ``(elapsed, final_loss)``: ``elapsed`` holds the
wall time and the CPU time of the training loop only (models are built and
weights copied before the clock starts).  The final loss lets the report show
that all implementations computed the same thing.
"""

from __future__ import annotations

import time
from typing import Any, NamedTuple

import numpy as np


class Elapsed(NamedTuple):
    """Seconds on the wall clock and seconds of this process's CPU time."""

    wall: float
    cpu: float


class Clock:
    """Started on creation; ``read()`` gives the wall and CPU time since then.

    CPU time (``time.process_time``, all threads of the process) leaves out the time
    the process waited for a core, which the wall clock counts: on a loaded
    machine it is the steadier of the two.
    """

    def __init__(self) -> None:
        self.wall, self.cpu = time.perf_counter(), time.process_time()

    def read(self) -> Elapsed:
        return Elapsed(time.perf_counter() - self.wall, time.process_time() - self.cpu)


# --------------------------------------------------------------------------- shared setup


def mlp_weights(sizes: list[int], seed: int) -> dict[str, np.ndarray]:
    """Initial weights for an MLP, keyed as ``Sequential(Linear, ReLU, Linear, ...).state_dict()``."""
    rng = np.random.default_rng(seed)
    weights = {}
    for layer, (fan_in, fan_out) in enumerate(zip(sizes[:-1], sizes[1:])):
        bound = 1 / np.sqrt(fan_in)  # PyTorch's default Linear init
        weights[f"{2 * layer}.weight"] = rng.uniform(-bound, bound, (fan_out, fan_in)).astype(np.float32)
        weights[f"{2 * layer}.bias"] = rng.uniform(-bound, bound, fan_out).astype(np.float32)
    return weights


def build_mlp(lib: Any, sizes: list[int], weights: dict[str, np.ndarray]) -> Any:
    """Sequential(Linear, ReLU, ..., Linear) with the given weights."""
    layers: list[Any] = []
    for fan_in, fan_out in zip(sizes[:-1], sizes[1:]):
        layers += [lib.nn.Linear(fan_in, fan_out), lib.nn.ReLU()]
    model = lib.nn.Sequential(*layers[:-1])
    model.load_state_dict({name: lib.from_numpy(value.copy()) for name, value in weights.items()})
    return model


# --------------------------------------------------------------------------- classification MLP (digits, wide, memory)


def train_classifier(
    lib: Any,
    sizes: list[int],
    weights: dict[str, np.ndarray],
    X: np.ndarray,
    y: np.ndarray,
    batch_size: int,
    epochs: int,
    lr: float,
    max_steps: int | None = None,
    on_step: Any = None,
) -> tuple[Elapsed, float]:
    """Minibatch SGD on cross-entropy: the same code for autograd_lab and PyTorch."""
    model = build_mlp(lib, sizes, weights)
    opt = lib.optim.SGD(model.parameters(), lr=lr)
    loss_fn = lib.nn.CrossEntropyLoss()
    Xt, yt = lib.from_numpy(X), lib.from_numpy(y)
    n, step = len(X), 0
    clock = Clock()
    for _ in range(epochs):
        for i in range(0, n, batch_size):
            xb, yb = Xt[i : i + batch_size], yt[i : i + batch_size]
            opt.zero_grad()
            loss = loss_fn(model(xb), yb)
            loss.backward()
            opt.step()
            step += 1
            if on_step is not None:
                on_step(step)
            if step == max_steps:
                return clock.read(), loss.item()
    return clock.read(), loss.item()


def train_classifier_numpy(
    sizes: list[int],
    weights: dict[str, np.ndarray],
    X: np.ndarray,
    y: np.ndarray,
    batch_size: int,
    epochs: int,
    lr: float,
    max_steps: int | None = None,
    on_step: Any = None,
) -> tuple[Elapsed, float]:
    """The same training written by hand: forward, softmax cross-entropy, backward, SGD."""
    Ws = [weights[f"{2 * i}.weight"].copy() for i in range(len(sizes) - 1)]
    bs = [weights[f"{2 * i}.bias"].copy() for i in range(len(sizes) - 1)]
    n, step, last = len(X), 0, len(Ws) - 1
    clock = Clock()
    for _ in range(epochs):
        for i in range(0, n, batch_size):
            xb, yb = X[i : i + batch_size], y[i : i + batch_size]
            rows = np.arange(len(yb))
            activations = [xb]
            for k, (W, b) in enumerate(zip(Ws, bs)):
                z = activations[-1] @ W.T + b
                activations.append(z if k == last else np.maximum(z, 0))
            logits = activations[-1]
            shifted = logits - logits.max(axis=1, keepdims=True)
            log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
            loss = -log_probs[rows, yb].mean()
            grad = np.exp(log_probs)  # d loss / d logits = (softmax - one_hot) / batch
            grad[rows, yb] -= 1
            grad /= len(yb)
            for k in range(last, -1, -1):
                h = activations[k]
                grad_W, grad_b = grad.T @ h, grad.sum(axis=0)
                if k > 0:
                    grad = (grad @ Ws[k]) * (h > 0)
                Ws[k] -= lr * grad_W
                bs[k] -= lr * grad_b
            step += 1
            if on_step is not None:
                on_step(step)
            if step == max_steps:
                return clock.read(), float(loss)
    return clock.read(), float(loss)


# --------------------------------------------------------------------------- moons: hinge loss + L2, micrograd's demo


MOONS_SIZES = [2, 16, 16, 1]
MOONS_ALPHA = 1e-4  # L2 regularization, as in micrograd's demo


def moons_lr(step: int) -> float:
    """micrograd's demo schedule."""
    return 1.0 - 0.9 * step / 100


def train_moons(
    lib: Any, weights: dict[str, np.ndarray], X: np.ndarray, y: np.ndarray, steps: int
) -> tuple[Elapsed, float]:
    """Full-batch SGD on the SVM hinge loss plus L2: the same code for autograd_lab and PyTorch."""
    model = build_mlp(lib, MOONS_SIZES, weights)
    opt = lib.optim.SGD(model.parameters(), lr=1.0)
    Xt, yt = lib.from_numpy(X), lib.from_numpy(y)
    clock = Clock()
    for step in range(steps):
        scores = model(Xt).reshape(-1)
        data_loss = (1 - yt * scores).relu().mean()
        reg_loss = MOONS_ALPHA * sum((p * p).sum() for p in model.parameters())
        loss = data_loss + reg_loss
        opt.zero_grad()
        loss.backward()
        opt.param_groups[0]["lr"] = moons_lr(step)
        opt.step()
    return clock.read(), loss.item()


def train_moons_numpy(
    weights: dict[str, np.ndarray], X: np.ndarray, y: np.ndarray, steps: int
) -> tuple[Elapsed, float]:
    """The same hinge-loss training written by hand."""
    Ws = [weights[f"{2 * i}.weight"].copy() for i in range(3)]
    bs = [weights[f"{2 * i}.bias"].copy() for i in range(3)]
    n = len(X)
    clock = Clock()
    for step in range(steps):
        activations = [X]
        for k in range(3):
            z = activations[-1] @ Ws[k].T + bs[k]
            activations.append(z if k == 2 else np.maximum(z, 0))
        scores = activations[-1].reshape(-1)
        margins = 1 - y * scores
        data_loss = np.maximum(margins, 0).mean()
        reg_loss = MOONS_ALPHA * sum(float((W * W).sum() + (b * b).sum()) for W, b in zip(Ws, bs))
        loss = data_loss + reg_loss
        grad = ((margins > 0) * -y / n).astype(np.float32).reshape(-1, 1)
        lr = moons_lr(step)
        for k in range(2, -1, -1):
            h = activations[k]
            grad_W = grad.T @ h + 2 * MOONS_ALPHA * Ws[k]
            grad_b = grad.sum(axis=0) + 2 * MOONS_ALPHA * bs[k]
            if k > 0:
                grad = (grad @ Ws[k]) * (h > 0)
            Ws[k] -= lr * grad_W
            bs[k] -= lr * grad_b
    return clock.read(), float(loss)


def train_moons_micrograd(
    weights: dict[str, np.ndarray], X: np.ndarray, y: np.ndarray, steps: int
) -> tuple[Elapsed, float]:
    """micrograd's own demo loop (its MLP, Value, backward), with the same weights and data."""
    from micrograd.engine import Value
    from micrograd.nn import MLP

    model = MLP(2, [16, 16, 1])
    for k, layer in enumerate(model.layers):
        W, b = weights[f"{2 * k}.weight"].tolist(), weights[f"{2 * k}.bias"].tolist()
        for j, neuron in enumerate(layer.neurons):
            for i, w in enumerate(neuron.w):
                w.data = W[j][i]
            neuron.b.data = b[j]
    rows, labels = X.tolist(), y.tolist()
    clock = Clock()
    for step in range(steps):
        inputs = [list(map(Value, row)) for row in rows]
        scores = list(map(model, inputs))
        losses = [(1 + -label * score).relu() for label, score in zip(labels, scores)]
        data_loss = sum(losses) * (1.0 / len(losses))
        reg_loss = MOONS_ALPHA * sum(p * p for p in model.parameters())
        total_loss = data_loss + reg_loss
        model.zero_grad()
        total_loss.backward()
        lr = moons_lr(step)
        for p in model.parameters():
            p.data -= lr * p.grad
    return clock.read(), float(total_loss.data)


# --------------------------------------------------------------------------- chain of scalar operations


def scalar_chain(lib: Any, n_ops: int) -> tuple[Elapsed, Elapsed, float]:
    """y = x; n_ops times alternately y = y * 0.99999 and y = y + 0.001; then backward.

    Returns (forward time, backward time, dy/dx).
    """
    x = lib.tensor(0.5, requires_grad=True)
    y = x
    clock = Clock()
    for _ in range(n_ops // 2):
        y = y * 0.99999
        y = y + 0.001
    forward = clock.read()
    clock = Clock()
    y.backward()
    backward = clock.read()
    return forward, backward, x.grad.item()


# --------------------------------------------------------------------------- per-op overhead


def op_chain(lib: Any, op: str, n_ops: int) -> tuple[float, float]:
    """Forward and backward seconds per op for a chain of one small op on a (4,) float32 tensor."""
    x = lib.tensor([0.1, -0.2, 0.3, -0.4], requires_grad=True)
    c = lib.tensor([0.01, 0.02, -0.01, 0.03])
    m = lib.tensor(np.eye(4, dtype=np.float32) * 0.9)
    steps = {
        "add": lambda t: t + c,
        "mul": lambda t: t * 1.001,
        "matmul": lambda t: t @ m,
        "relu": lambda t: t.relu(),
        "tanh": lambda t: t.tanh(),
    }
    step = steps[op]
    y = x
    start = time.perf_counter()
    for _ in range(n_ops):
        y = step(y)
    middle = time.perf_counter()
    y.sum().backward()
    end = time.perf_counter()
    return (middle - start) / n_ops, (end - middle) / n_ops


PER_OP_NAMES = ["add", "mul", "matmul", "relu", "tanh"]


def op_numpy(op: str, n_ops: int) -> float:
    """The bare numpy call of each op (no graph, no tensor object): the floor of the forward."""
    x = np.array([0.1, -0.2, 0.3, -0.4], dtype=np.float32)
    c = np.array([0.01, 0.02, -0.01, 0.03], dtype=np.float32)
    m = np.eye(4, dtype=np.float32) * 0.9
    steps = {
        "add": lambda t: t + c,
        "mul": lambda t: t * 1.001,
        "matmul": lambda t: t @ m,
        "relu": lambda t: np.maximum(t, 0),
        "tanh": np.tanh,
    }
    step = steps[op]
    y = x
    start = time.perf_counter()
    for _ in range(n_ops):
        y = step(y)
    return (time.perf_counter() - start) / n_ops

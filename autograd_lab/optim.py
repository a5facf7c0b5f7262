"""Optimizers: SGD, Adam and RMSprop with PyTorch's update rules (``torch.optim``).

An optimizer keeps a list of parameter groups (``param_groups``: dicts with the
tensors under "params" and the hyperparameters) and per-parameter ``state``
(momentum buffers, running averages).  ``step()`` applies one update to every
parameter that has a gradient, written with the same formulas, in the same
order, as PyTorch's reference implementation; the arithmetic happens in place on
the numpy arrays, outside the graph, and bumps each tensor's version as any
in-place operation does.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import Any

import numpy as np

from .grad_mode import enable_grad, no_grad
from .nn.parameter import zero_grads
from .tensor import Tensor


class _Required:
    """Marks a hyperparameter that has no default (``lr`` of SGD)."""

    def __repr__(self) -> str:
        return "<required parameter>"


required = _Required()


class Optimizer:
    """Base class: holds ``param_groups`` and ``state``; subclasses write ``_update``."""

    def __init__(self, params: Any, defaults: dict[str, Any]) -> None:
        self.defaults = defaults
        self.state: defaultdict[Tensor, dict[str, Any]] = defaultdict(dict)
        self.param_groups: list[dict[str, Any]] = []
        items = _as_list(params, type(self).__name__)
        if not items:
            raise ValueError("optimizer got an empty parameter list; pass model.parameters() of a model with layers")
        groups = items if isinstance(items[0], dict) else [{"params": items}]
        for group in groups:
            self.add_param_group(group)

    def add_param_group(self, param_group: dict[str, Any]) -> None:
        """Add a group of parameters with its own hyperparameters (the others come from the defaults)."""
        if not isinstance(param_group, dict):
            raise TypeError(f"param_group must be a dict, but got {type(param_group).__name__}")
        params = param_group["params"]
        group = dict(param_group)
        group["params"] = [params] if isinstance(params, Tensor) else _as_list(params, type(self).__name__)
        for param in group["params"]:
            if not isinstance(param, Tensor):
                raise TypeError(f"optimizer can only optimize Tensors, but one of the params is {type(param).__name__}")
            if not param.is_leaf:
                raise ValueError(
                    "can't optimize a non-leaf Tensor; optimize the tensors you created (the model's parameters), "
                    "not results computed from them"
                )
        for name, default in self.defaults.items():
            if default is required and name not in group:
                raise ValueError(f"parameter group didn't specify a value of required optimization parameter {name}")
            group.setdefault(name, default)
        existing = {id(p) for g in self.param_groups for p in g["params"]}
        if any(id(p) in existing for p in group["params"]) or len({id(p) for p in group["params"]}) < len(
            group["params"]
        ):
            raise ValueError("some parameters appear in more than one parameter group (or twice in one)")
        self.param_groups.append(group)

    def zero_grad(self, set_to_none: bool = True) -> None:
        """Forget every parameter's gradient (``.grad`` becomes None, or zeros with set_to_none=False)."""
        zero_grads((param for group in self.param_groups for param in group["params"]), set_to_none)

    def step(self, closure: Callable[[], Any] | None = None) -> Any:
        """Update every parameter that has a gradient; ``closure`` (optional) recomputes and returns the loss."""
        loss = None
        if closure is not None:
            with enable_grad():
                loss = closure()
        with no_grad():
            for group in self.param_groups:
                for param in group["params"]:
                    grad = param._grad
                    if grad is None:
                        continue
                    self._update(param, grad._data, self.state[param], group)
                    param._version_counter[0] += 1  # changed in place, as param.add_(...) would
        return loss

    def _update(self, param: Tensor, grad: np.ndarray, state: dict[str, Any], group: dict[str, Any]) -> None:
        raise NotImplementedError

    def __repr__(self) -> str:
        lines = [f"{type(self).__name__} ("]
        for index, group in enumerate(self.param_groups):
            lines.append(f"Parameter Group {index}")
            lines.extend(f"    {key}: {group[key]}" for key in sorted(group) if key != "params")
        return "\n".join(lines) + "\n)"


def _as_list(params: Any, name: str) -> list[Any]:
    """The parameters as a list, with a clear error for a model or a lone tensor."""
    if isinstance(params, Tensor) or not isinstance(params, Iterable) or isinstance(params, (str, dict)):
        raise TypeError(
            f"params argument given to the optimizer should be an iterable of Tensors or dicts, but got "
            f"{type(params).__name__}; pass model.parameters() (e.g. {name}(model.parameters(), lr=0.1))"
        )
    return list(params)


def _check(condition: bool, message: str) -> None:
    if not condition:
        raise ValueError(message)


def _state_tensor(state: dict[str, Any], key: str, like: np.ndarray, copy: bool = False) -> np.ndarray:
    """The array of ``state[key]`` (a tensor), created as zeros (or a copy of ``like``) the first time."""
    tensor = state.get(key)
    if tensor is None:
        tensor = state[key] = Tensor._make(like.copy() if copy else np.zeros_like(like))
    return tensor._data


def _lerp_(start: np.ndarray, end: np.ndarray, weight: float) -> None:
    """start += weight * (end - start), in place, rounded as PyTorch's lerp_ rounds."""
    if weight < 0.5:
        start += weight * (end - start)
    else:
        np.subtract(end, (end - start) * (1 - weight), out=start)


class SGD(Optimizer):
    """Stochastic gradient descent, optionally with momentum (and Nesterov), dampening and weight decay.

    g = grad + weight_decay * p;  buf = momentum * buf + (1 - dampening) * g;
    g = g + momentum * buf (Nesterov) or buf;  p = p - lr * g
    """

    def __init__(
        self,
        params: Any,
        lr: float = 1e-3,
        momentum: float = 0.0,
        dampening: float = 0.0,
        weight_decay: float = 0.0,
        nesterov: bool = False,
        *,
        maximize: bool = False,
    ) -> None:
        _check(lr >= 0.0, f"Invalid learning rate: {lr}")
        _check(momentum >= 0.0, f"Invalid momentum value: {momentum}")
        _check(weight_decay >= 0.0, f"Invalid weight_decay value: {weight_decay}")
        _check(
            not nesterov or (momentum > 0 and dampening == 0),
            "Nesterov momentum requires a momentum and zero dampening",
        )
        defaults = {"lr": lr, "momentum": momentum, "dampening": dampening, "weight_decay": weight_decay}
        defaults.update(nesterov=nesterov, maximize=maximize)
        super().__init__(params, defaults)

    def _update(self, param: Tensor, grad: np.ndarray, state: dict[str, Any], group: dict[str, Any]) -> None:
        if group["maximize"]:
            grad = -grad
        if group["weight_decay"] != 0:
            grad = grad + group["weight_decay"] * param._data
        momentum = group["momentum"]
        if momentum != 0:
            if "momentum_buffer" not in state:
                buf = _state_tensor(state, "momentum_buffer", grad, copy=True)
            else:
                buf = state["momentum_buffer"]._data
                buf *= momentum
                buf += (1 - group["dampening"]) * grad
            grad = grad + momentum * buf if group["nesterov"] else buf
        param._data -= group["lr"] * grad


class Adam(Optimizer):
    """Adam: running averages of the gradient (m) and its square (v), bias-corrected.

    m = b1*m + (1-b1)*g;  v = b2*v + (1-b2)*g*g;
    p = p - lr/(1-b1**t) * m / (sqrt(v)/sqrt(1-b2**t) + eps)
    """

    def __init__(
        self,
        params: Any,
        lr: float = 1e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 0.0,
        amsgrad: bool = False,
        *,
        maximize: bool = False,
    ) -> None:
        _check(lr >= 0.0, f"Invalid learning rate: {lr}")
        _check(eps >= 0.0, f"Invalid epsilon value: {eps}")
        _check(0.0 <= betas[0] < 1.0, f"Invalid beta parameter at index 0: {betas[0]}")
        _check(0.0 <= betas[1] < 1.0, f"Invalid beta parameter at index 1: {betas[1]}")
        _check(weight_decay >= 0.0, f"Invalid weight_decay value: {weight_decay}")
        defaults = {"lr": lr, "betas": betas, "eps": eps, "weight_decay": weight_decay}
        defaults.update(amsgrad=amsgrad, maximize=maximize)
        super().__init__(params, defaults)

    def _update(self, param: Tensor, grad: np.ndarray, state: dict[str, Any], group: dict[str, Any]) -> None:
        beta1, beta2 = group["betas"]
        if group["maximize"]:
            grad = -grad
        if group["weight_decay"] != 0:
            grad = grad + group["weight_decay"] * param._data
        exp_avg = _state_tensor(state, "exp_avg", param._data)
        exp_avg_sq = _state_tensor(state, "exp_avg_sq", param._data)
        state["step"] = step = state.get("step", 0) + 1
        _lerp_(exp_avg, grad, 1 - beta1)
        exp_avg_sq *= beta2
        exp_avg_sq += (1 - beta2) * grad * grad
        step_size = group["lr"] / (1 - beta1**step)
        bias_correction2_sqrt = math.sqrt(1 - beta2**step)
        if group["amsgrad"]:
            max_exp_avg_sq = _state_tensor(state, "max_exp_avg_sq", param._data)
            np.maximum(max_exp_avg_sq, exp_avg_sq, out=max_exp_avg_sq)
            denom = np.sqrt(max_exp_avg_sq) / bias_correction2_sqrt + group["eps"]
        else:
            denom = np.sqrt(exp_avg_sq) / bias_correction2_sqrt + group["eps"]
        param._data += -step_size * exp_avg / denom


class RMSprop(Optimizer):
    """RMSprop: divide the gradient by a running root mean square of recent gradients.

    v = alpha*v + (1-alpha)*g*g;  (centered: v - mean(g)**2);
    p = p - lr * g / (sqrt(v) + eps)   (or through a momentum buffer)
    """

    def __init__(
        self,
        params: Any,
        lr: float = 1e-2,
        alpha: float = 0.99,
        eps: float = 1e-8,
        weight_decay: float = 0.0,
        momentum: float = 0.0,
        centered: bool = False,
        *,
        maximize: bool = False,
    ) -> None:
        _check(lr >= 0.0, f"Invalid learning rate: {lr}")
        _check(eps >= 0.0, f"Invalid epsilon value: {eps}")
        _check(momentum >= 0.0, f"Invalid momentum value: {momentum}")
        _check(weight_decay >= 0.0, f"Invalid weight_decay value: {weight_decay}")
        _check(alpha >= 0.0, f"Invalid alpha value: {alpha}")
        defaults = {"lr": lr, "alpha": alpha, "eps": eps, "weight_decay": weight_decay, "momentum": momentum}
        defaults.update(centered=centered, maximize=maximize)
        super().__init__(params, defaults)

    def _update(self, param: Tensor, grad: np.ndarray, state: dict[str, Any], group: dict[str, Any]) -> None:
        alpha, lr = group["alpha"], group["lr"]
        if group["maximize"]:
            grad = -grad
        if group["weight_decay"] != 0:
            grad = grad + group["weight_decay"] * param._data
        state["step"] = state.get("step", 0) + 1
        square_avg = _state_tensor(state, "square_avg", param._data)
        square_avg *= alpha
        square_avg += (1 - alpha) * grad * grad
        if group["centered"]:
            grad_avg = _state_tensor(state, "grad_avg", param._data)
            _lerp_(grad_avg, grad, 1 - alpha)
            avg = np.sqrt(square_avg + -1 * grad_avg * grad_avg)
        else:
            avg = np.sqrt(square_avg)
        avg += group["eps"]
        if group["momentum"] > 0:
            buf = _state_tensor(state, "momentum_buffer", param._data)
            buf *= group["momentum"]
            buf += grad / avg
            param._data += -lr * buf
        else:
            param._data += -lr * grad / avg

"""Optimizers: SGD, Adam, AdamW, RMSprop and Adagrad with PyTorch's update rules (``torch.optim``).

An optimizer keeps a list of parameter groups (``param_groups``: dicts with the
tensors under "params" and the hyperparameters) and per-parameter ``state``
(momentum buffers, running averages).  ``step()`` applies one update to every
parameter that has a gradient, written with the same formulas, in the same
order, as PyTorch's reference implementation; the arithmetic happens in place on
the numpy arrays, outside the graph, and bumps each tensor's version as any
in-place operation does.  ``state_dict()`` / ``load_state_dict()`` save and restore
all of it; ``lr_scheduler`` changes the learning rate between epochs.
"""

from __future__ import annotations

import math
import warnings
from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import Any

import numpy as np

from ..grad_mode import enable_grad, no_grad
from ..nn.parameter import zero_grads
from ..tensor import Tensor


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
        self._step_count = 0  # read by the learning-rate schedulers
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
        if len({id(p) for p in group["params"]}) < len(group["params"]):
            warnings.warn(
                "optimizer contains a parameter group with duplicate parameters; in future, this will cause an error; "
                "list each parameter once",
                UserWarning,
                stacklevel=3,
            )
        existing = {id(p) for g in self.param_groups for p in g["params"]}
        if any(id(p) in existing for p in group["params"]):
            raise ValueError("some parameters appear in more than one parameter group")
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
        self._step_count += 1
        return loss

    def state_dict(self) -> dict[str, Any]:
        """State and hyperparameters, each parameter named by its position: ``{"state": ..., "param_groups": ...}``.

        The state's tensors are the optimizer's own (not copies), as in PyTorch.
        """
        index: dict[int, int] = {}
        groups = []
        for group in self.param_groups:
            for param in group["params"]:
                index.setdefault(id(param), len(index))
            groups.append(
                {**{k: v for k, v in group.items() if k != "params"}, "params": [index[id(p)] for p in group["params"]]}
            )
        state = {index[id(param)]: dict(values) for param, values in self.state.items() if id(param) in index}
        return {"state": state, "param_groups": groups}

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        """Restore what ``state_dict()`` saved into this optimizer's parameters.

        As in PyTorch, state tensors that already have the parameter's dtype are taken
        as they are, not copied: two optimizers loaded from one live ``state_dict()``
        share them (saving to a file and loading it back gives independent copies).
        """
        saved_groups = state_dict["param_groups"]
        if len(saved_groups) != len(self.param_groups):
            raise ValueError("loaded state dict has a different number of parameter groups")
        if any(len(g["params"]) != len(s["params"]) for g, s in zip(self.param_groups, saved_groups)):
            raise ValueError(
                "loaded state dict contains a parameter group that doesn't match the size of optimizer's group"
            )
        params = {i: p for s, g in zip(saved_groups, self.param_groups) for i, p in zip(s["params"], g["params"])}
        self.state = defaultdict(dict)
        for i, values in state_dict["state"].items():
            param = params[i]
            self.state[param] = {key: _copy_state(value, param) for key, value in values.items()}
        for group, saved in zip(self.param_groups, saved_groups):
            group.update({k: v for k, v in saved.items() if k != "params"})

    def _update(self, param: Tensor, grad: np.ndarray, state: dict[str, Any], group: dict[str, Any]) -> None:
        raise NotImplementedError

    def __repr__(self) -> str:
        lines = [f"{type(self).__name__} ("]
        for index, group in enumerate(self.param_groups):
            lines.append(f"Parameter Group {index}")
            lines.extend(f"    {key}: {group[key]}" for key in sorted(group) if key != "params")
        return "\n".join(lines) + "\n)"


def _copy_state(value: Any, param: Tensor) -> Any:
    """A saved state value for ``param``: float tensors in the parameter's dtype ("step" and the rest as saved)."""
    if not isinstance(value, Tensor) or value._data.ndim == 0 or value._data.dtype.kind != "f":
        return value
    return value if value._data.dtype == param._data.dtype else Tensor._make(value._data.astype(param._data.dtype))


def _step(state: dict[str, Any]) -> int:
    """Count one more step in ``state["step"]`` (a float32 scalar tensor, in place, as in PyTorch); the count."""
    if "step" not in state:
        state["step"] = Tensor._make(np.zeros((), dtype=np.float32))
    counter = state["step"]._data
    counter += 1
    return int(counter)


def _as_list(params: Any, name: str) -> list[Any]:
    """The parameters as a list, with a clear error for a model or a lone tensor."""
    if isinstance(params, Tensor) or not isinstance(params, Iterable) or isinstance(params, (str, dict)):
        raise TypeError(
            f"params argument given to the optimizer should be an iterable of Tensors or dicts, but got "
            f"{type(params).__name__}; pass model.parameters() (e.g. {name}(model.parameters(), lr=0.1))"
        )
    return list(params)


def _unused(foreach: Any = None, differentiable: bool = False, fused: Any = None, **more: Any) -> dict[str, Any]:
    """PyTorch's implementation switches: kept in the groups as PyTorch keeps them; one implementation here."""
    return {"foreach": foreach, **more, "differentiable": differentiable, "fused": fused}


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
        momentum: float = 0,
        dampening: float = 0,
        weight_decay: float = 0,
        nesterov: bool = False,
        *,
        maximize: bool = False,
        foreach: bool | None = None,
        differentiable: bool = False,
        fused: bool | None = None,
    ) -> None:
        _check(lr >= 0.0, f"Invalid learning rate: {lr}")
        _check(momentum >= 0.0, f"Invalid momentum value: {momentum}")
        _check(weight_decay >= 0.0, f"Invalid weight_decay value: {weight_decay}")
        _check(
            not nesterov or (momentum > 0 and dampening == 0),
            "Nesterov momentum requires a momentum and zero dampening",
        )
        defaults = {"lr": lr, "momentum": momentum, "dampening": dampening, "weight_decay": weight_decay}
        defaults.update(nesterov=nesterov, maximize=maximize, **_unused(foreach, differentiable, fused))
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
        weight_decay: float = 0,
        amsgrad: bool = False,
        *,
        foreach: bool | None = None,
        maximize: bool = False,
        capturable: bool = False,
        differentiable: bool = False,
        fused: bool | None = None,
        decoupled_weight_decay: bool = False,
    ) -> None:
        _check(lr >= 0.0, f"Invalid learning rate: {lr}")
        _check(eps >= 0.0, f"Invalid epsilon value: {eps}")
        _check(0.0 <= betas[0] < 1.0, f"Invalid beta parameter at index 0: {betas[0]}")
        _check(0.0 <= betas[1] < 1.0, f"Invalid beta parameter at index 1: {betas[1]}")
        _check(weight_decay >= 0.0, f"Invalid weight_decay value: {weight_decay}")
        defaults = {"lr": lr, "betas": betas, "eps": eps, "weight_decay": weight_decay}
        defaults.update(amsgrad=amsgrad, maximize=maximize, foreach=foreach, capturable=capturable)
        defaults.update(differentiable=differentiable, fused=fused, decoupled_weight_decay=decoupled_weight_decay)
        super().__init__(params, defaults)

    def _update(self, param: Tensor, grad: np.ndarray, state: dict[str, Any], group: dict[str, Any]) -> None:
        beta1, beta2 = group["betas"]
        if group["maximize"]:
            grad = -grad
        step = _step(state)
        if group["weight_decay"] != 0:
            if group["decoupled_weight_decay"]:  # AdamW: shrink the weights, not the gradient
                param._data *= 1 - group["lr"] * group["weight_decay"]
            else:
                grad = grad + group["weight_decay"] * param._data
        exp_avg = _state_tensor(state, "exp_avg", param._data)
        exp_avg_sq = _state_tensor(state, "exp_avg_sq", param._data)
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
        weight_decay: float = 0,
        momentum: float = 0,
        centered: bool = False,
        capturable: bool = False,
        foreach: bool | None = None,
        maximize: bool = False,
        differentiable: bool = False,
    ) -> None:
        _check(lr >= 0.0, f"Invalid learning rate: {lr}")
        _check(eps >= 0.0, f"Invalid epsilon value: {eps}")
        _check(momentum >= 0.0, f"Invalid momentum value: {momentum}")
        _check(weight_decay >= 0.0, f"Invalid weight_decay value: {weight_decay}")
        _check(alpha >= 0.0, f"Invalid alpha value: {alpha}")
        defaults: dict[str, Any] = {"lr": lr, "momentum": momentum, "alpha": alpha, "eps": eps, "centered": centered}
        defaults.update(weight_decay=weight_decay, capturable=capturable, foreach=foreach, maximize=maximize)
        defaults.update(differentiable=differentiable)
        super().__init__(params, defaults)

    def _update(self, param: Tensor, grad: np.ndarray, state: dict[str, Any], group: dict[str, Any]) -> None:
        alpha, lr = group["alpha"], group["lr"]
        if group["maximize"]:
            grad = -grad
        if group["weight_decay"] != 0:
            grad = grad + group["weight_decay"] * param._data
        _step(state)
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


class AdamW(Adam):
    """Adam with decoupled weight decay: p = p * (1 - lr * weight_decay) before each Adam step."""

    def __init__(
        self,
        params: Any,
        lr: float = 1e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 1e-2,
        amsgrad: bool = False,
        *,
        maximize: bool = False,
        foreach: bool | None = None,
        capturable: bool = False,
        differentiable: bool = False,
        fused: bool | None = None,
    ) -> None:
        super().__init__(
            params,
            lr,
            betas,
            eps,
            weight_decay,
            amsgrad,
            foreach=foreach,
            maximize=maximize,
            capturable=capturable,
            differentiable=differentiable,
            fused=fused,
            decoupled_weight_decay=True,
        )


class Adagrad(Optimizer):
    """Adagrad: divide each step by the root of the sum of all past squared gradients.

    sum = sum + g*g;  p = p - lr / (1 + (t-1) lr_decay) * g / (sqrt(sum) + eps)
    """

    def __init__(
        self,
        params: Any,
        lr: float = 1e-2,
        lr_decay: float = 0,
        weight_decay: float = 0,
        initial_accumulator_value: float = 0,
        eps: float = 1e-10,
        foreach: bool | None = None,
        *,
        maximize: bool = False,
        differentiable: bool = False,
        fused: bool | None = None,
    ) -> None:
        _check(lr >= 0.0, f"Invalid learning rate: {lr}")
        _check(lr_decay >= 0.0, f"Invalid lr_decay value: {lr_decay}")
        _check(weight_decay >= 0.0, f"Invalid weight_decay value: {weight_decay}")
        _check(
            initial_accumulator_value >= 0.0, f"Invalid initial_accumulator_value value: {initial_accumulator_value}"
        )
        _check(eps >= 0.0, f"Invalid epsilon value: {eps}")
        defaults: dict[str, Any] = {"lr": lr, "lr_decay": lr_decay, "eps": eps, "weight_decay": weight_decay}
        defaults.update(initial_accumulator_value=initial_accumulator_value, foreach=foreach, maximize=maximize)
        defaults.update(differentiable=differentiable, fused=fused)
        super().__init__(params, defaults)
        for group in self.param_groups:
            for param in group["params"]:
                state = self.state[param]
                state["step"] = Tensor._make(np.zeros((), dtype=np.float32))
                state["sum"] = Tensor._make(np.full_like(param._data, group["initial_accumulator_value"]))

    def _update(self, param: Tensor, grad: np.ndarray, state: dict[str, Any], group: dict[str, Any]) -> None:
        if group["maximize"]:
            grad = -grad
        step = _step(state)
        if group["weight_decay"] != 0:
            grad = grad + group["weight_decay"] * param._data
        clr = group["lr"] / (1 + (step - 1) * group["lr_decay"])
        total = _state_tensor(state, "sum", param._data)
        total += grad * grad
        param._data += -clr * grad / (np.sqrt(total) + group["eps"])


from . import lr_scheduler as lr_scheduler  # noqa: E402  (schedulers build on Optimizer)

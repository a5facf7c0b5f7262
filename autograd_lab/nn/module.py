"""``Module``: the base class of layers and networks, and the containers ``Sequential``/``ModuleList``.

A module keeps its learnable tensors (``Parameter``) and its sub-modules in two
ordered dictionaries, filled automatically when you assign them as attributes
(``self.fc = Linear(2, 3)``).  Everything else — ``parameters()``, ``state_dict()``,
``train()``, the printed summary — walks those dictionaries.
"""

from __future__ import annotations

from collections import OrderedDict, namedtuple
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any

import numpy as np

from ..engine import RemovableHandle
from ..grad_mode import _module_stack, no_grad
from ..dtypes import Size, _check_device, _numpy_dtype, device
from ..tensor import Tensor
from .parameter import Parameter, zero_grads

_IncompatibleKeys = namedtuple("_IncompatibleKeys", ["missing_keys", "unexpected_keys"])


class Module:
    """Base class for every layer and network: subclass it, set attributes in ``__init__``, write ``forward``."""

    training: bool
    _parameters: dict[str, Parameter | None]
    _buffers: dict[str, Tensor | None]
    _modules: dict[str, Module | None]

    def __init__(self) -> None:
        set_attribute = object.__setattr__
        set_attribute(self, "training", True)
        set_attribute(self, "_parameters", OrderedDict())
        set_attribute(self, "_buffers", OrderedDict())
        set_attribute(self, "_non_persistent_buffers", set())
        set_attribute(self, "_modules", OrderedDict())
        set_attribute(self, "_forward_hooks", [])

    def forward(self, *args: Any, **kwargs: Any) -> Any:
        """The computation of the module; subclasses define it."""
        raise NotImplementedError(f'Module [{type(self).__name__}] is missing the required "forward" function')

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        """Run ``forward`` inside this module's scope (the graph drawing groups its nodes by it)."""
        _module_stack.append(self)
        try:
            output = self.forward(*args, **kwargs)
        finally:
            _module_stack.pop()
        if self._forward_hooks:
            for hook in list(self._forward_hooks):
                result = hook(self, args, output)
                if result is not None:
                    output = result
        return output

    def register_forward_hook(self, hook: Callable[[Module, tuple[Any, ...], Any], Any]) -> RemovableHandle:
        """Call ``hook(module, inputs, output)`` after every forward; a non-None result replaces the output."""
        self._forward_hooks.append(hook)
        return RemovableHandle(self._forward_hooks, hook)

    # ------------------------------------------------------------------ registration
    def __setattr__(self, name: str, value: Any) -> None:
        params = self.__dict__.get("_parameters")
        if isinstance(value, Parameter):
            if params is None:
                raise AttributeError(
                    "cannot assign parameters before Module.__init__() call; "
                    "call super().__init__() first in your module's __init__"
                )
            self._forget(name)
            params[name] = value
        elif params is not None and name in params:
            if value is not None:
                raise TypeError(
                    f"cannot assign '{type(value).__name__}' as parameter '{name}' (nn.Parameter or None expected)"
                )
            params[name] = None
        elif isinstance(value, Module):
            modules = self.__dict__.get("_modules")
            if modules is None:
                raise AttributeError(
                    "cannot assign module before Module.__init__() call; "
                    "call super().__init__() first in your module's __init__"
                )
            self._forget(name)
            modules[name] = value
        elif name in self.__dict__.get("_modules", ()):
            if value is not None:
                raise TypeError(
                    f"cannot assign '{type(value).__name__}' as child module '{name}' (Module or None expected)"
                )
            self._modules[name] = None
        elif name in self.__dict__.get("_buffers", ()):
            if value is not None and not isinstance(value, Tensor):
                raise TypeError(f"cannot assign '{type(value).__name__}' as buffer '{name}' (Tensor or None expected)")
            self._buffers[name] = value
        else:
            object.__setattr__(self, name, value)

    def _forget(self, name: str) -> None:
        """Remove ``name`` from every registry before it is registered again."""
        self.__dict__.pop(name, None)
        for registry in (self._parameters, self._buffers, self._modules):
            registry.pop(name, None)
        self._non_persistent_buffers.discard(name)

    def __getattr__(self, name: str) -> Any:
        # Only called when normal lookup fails: parameters, buffers and modules live in their registries.
        state = self.__dict__
        for registry in ("_parameters", "_buffers", "_modules"):
            values = state.get(registry)
            if values is not None and name in values:
                return values[name]
        raise AttributeError(f"'{type(self).__name__}' object has no attribute '{name}'")

    def __delattr__(self, name: str) -> None:
        for registry in (self._parameters, self._buffers, self._modules):
            if name in registry:
                del registry[name]
                self._non_persistent_buffers.discard(name)
                return
        object.__delattr__(self, name)

    def __dir__(self) -> list[str]:
        return sorted(set(super().__dir__()) | set(self._parameters) | set(self._buffers) | set(self._modules))

    def register_parameter(self, name: str, param: Parameter | None) -> None:
        """Add a parameter under ``name`` (None reserves the name, e.g. ``bias=False``)."""
        self._check_name(name, "parameter")
        if param is not None and not isinstance(param, Parameter):
            raise TypeError(
                f"cannot assign '{type(param).__name__}' object to parameter '{name}' (nn.Parameter or None required)"
            )
        self._forget(name)
        self._parameters[name] = param

    def register_buffer(self, name: str, tensor: Tensor | None, persistent: bool = True) -> None:
        """Add a tensor that is state but not learned (saved in ``state_dict`` when persistent)."""
        self._check_name(name, "buffer")
        if tensor is not None and not isinstance(tensor, Tensor):
            raise TypeError(
                f"cannot assign '{type(tensor).__name__}' object to buffer '{name}' (Tensor or None required)"
            )
        self._forget(name)
        self._buffers[name] = tensor
        if not persistent:
            self._non_persistent_buffers.add(name)

    def add_module(self, name: str, module: Module | None) -> None:
        """Add a child module under ``name`` (same as assigning the attribute)."""
        self._check_name(name, "module")
        if module is not None and not isinstance(module, Module):
            raise TypeError(f"{type(module).__name__} is not a Module subclass")
        self._forget(name)
        self._modules[name] = module

    register_module = add_module

    def _check_name(self, name: Any, kind: str) -> None:
        if "_parameters" not in self.__dict__:
            raise AttributeError(f"cannot assign {kind} before Module.__init__() call; call super().__init__() first")
        if not isinstance(name, str):
            raise TypeError(f"{kind} name should be a string, got {type(name).__name__}")
        if not name or "." in name:
            raise KeyError(f'{kind} name can\'t be empty or contain ".", got: "{name}"')
        if hasattr(type(self), name):
            raise KeyError(f"attribute '{name}' already exists")

    # ------------------------------------------------------------------ walking the tree
    def named_modules(
        self, memo: set[Module] | None = None, prefix: str = "", remove_duplicate: bool = True
    ) -> Iterator[tuple[str, Module]]:
        """(name, module) for this module and every module inside it, depth first."""
        if memo is None:
            memo = set()
        if remove_duplicate:
            if self in memo:
                return
            memo.add(self)
        yield prefix, self
        for name, module in self._modules.items():
            if module is None:
                continue
            yield from module.named_modules(memo, f"{prefix}.{name}" if prefix else name, remove_duplicate)

    def modules(self) -> Iterator[Module]:
        """This module and every module inside it."""
        for _, module in self.named_modules():
            yield module

    def named_children(self) -> Iterator[tuple[str, Module]]:
        """(name, module) for the direct sub-modules."""
        seen: set[Module] = set()
        for name, module in self._modules.items():
            if module is not None and module not in seen:
                seen.add(module)
                yield name, module

    def children(self) -> Iterator[Module]:
        """The direct sub-modules."""
        for _, module in self.named_children():
            yield module

    def _named_members(
        self, registry: str, prefix: str, recurse: bool, remove_duplicate: bool = True
    ) -> Iterator[tuple[str, Any]]:
        seen: set[int] = set()
        modules = self.named_modules(prefix=prefix, remove_duplicate=remove_duplicate) if recurse else [(prefix, self)]
        for module_prefix, module in modules:
            for name, value in getattr(module, registry).items():
                if value is None or (remove_duplicate and id(value) in seen):
                    continue
                seen.add(id(value))
                yield (f"{module_prefix}.{name}" if module_prefix else name), value

    def named_parameters(
        self, prefix: str = "", recurse: bool = True, remove_duplicate: bool = True
    ) -> Iterator[tuple[str, Parameter]]:
        """(name, parameter) pairs, e.g. ("0.weight", ...); a shared parameter appears once."""
        return self._named_members("_parameters", prefix, recurse, remove_duplicate)

    def parameters(self, recurse: bool = True) -> Iterator[Parameter]:
        """Every learnable tensor (what you give to an optimizer)."""
        for _, param in self.named_parameters(recurse=recurse):
            yield param

    def named_buffers(self, prefix: str = "", recurse: bool = True) -> Iterator[tuple[str, Tensor]]:
        """(name, buffer) pairs."""
        return self._named_members("_buffers", prefix, recurse)

    def buffers(self, recurse: bool = True) -> Iterator[Tensor]:
        """Every buffer (state that is not learned)."""
        for _, buffer in self.named_buffers(recurse=recurse):
            yield buffer

    def apply(self, fn: Callable[[Module], Any]) -> Module:
        """Call ``fn`` on every sub-module (children first) and on this module; returns self."""
        for module in self.children():
            module.apply(fn)
        fn(self)
        return self

    # ------------------------------------------------------------------ modes and gradients
    def train(self, mode: bool = True) -> Module:
        """Set training mode (affects Dropout) here and in every sub-module; returns self."""
        if not isinstance(mode, bool):
            raise ValueError("training mode is expected to be boolean")
        for module in self.modules():
            object.__setattr__(module, "training", mode)
        return self

    def eval(self) -> Module:
        """Set evaluation mode (same as ``train(False)``); returns self."""
        return self.train(False)

    def requires_grad_(self, requires_grad: bool = True) -> Module:
        """Turn gradient recording on or off for every parameter (freezing a layer); returns self."""
        for param in self.parameters():
            param.requires_grad_(requires_grad)
        return self

    def zero_grad(self, set_to_none: bool = True) -> None:
        """Forget the gradients of every parameter (``.grad`` becomes None, or zeros)."""
        zero_grads(self.parameters(), set_to_none)

    # ------------------------------------------------------------------ dtype
    def _apply_to_floats(self, numpy_dtype: np.dtype) -> Module:
        """Convert every floating-point parameter, gradient and buffer to ``numpy_dtype``, in place."""
        for module in self.modules():
            tensors = [t for t in (*module._parameters.values(), *module._buffers.values()) if t is not None]
            for tensor in tensors:
                if tensor._data.dtype.kind == "f" and tensor._data.dtype != numpy_dtype:
                    tensor._data = tensor._data.astype(numpy_dtype)
                    if tensor._grad is not None:
                        tensor._grad = Tensor._make(tensor._grad._data.astype(numpy_dtype))
        return self

    def to(self, *args: Any, **kwargs: Any) -> Module:
        """Convert floating-point parameters to a dtype (``model.to(float64)``); the device must be "cpu"."""
        target = kwargs.pop("dtype", None)
        for arg in (*args, kwargs.pop("device", None)):
            if arg is None or isinstance(arg, (str, device)):
                _check_device(arg)
            else:
                target = arg
        if kwargs:
            raise TypeError(f"to() got unexpected keyword arguments {sorted(kwargs)}")
        if target is None:
            return self
        numpy_dtype = _numpy_dtype(target)
        if numpy_dtype.kind != "f":
            raise TypeError(f"nn.Module.to only accepts floating point dtypes, but got desired dtype={target}")
        return self._apply_to_floats(numpy_dtype)

    def double(self) -> Module:
        """Convert floating-point parameters and buffers to float64; returns self."""
        return self._apply_to_floats(np.dtype(np.float64))

    def float(self) -> Module:
        """Convert floating-point parameters and buffers to float32; returns self."""
        return self._apply_to_floats(np.dtype(np.float32))

    def cpu(self) -> Module:
        """The module itself (everything lives on the CPU)."""
        return self

    # ------------------------------------------------------------------ saving and loading
    def state_dict(
        self, destination: dict[str, Tensor] | None = None, prefix: str = "", keep_vars: bool = False
    ) -> dict[str, Tensor]:
        """Every parameter and persistent buffer by name ("0.weight": tensor), detached unless keep_vars."""
        out: dict[str, Tensor] = OrderedDict() if destination is None else destination
        # A module used twice is saved under both names, as PyTorch does.
        for module_prefix, module in self.named_modules(prefix=prefix.rstrip("."), remove_duplicate=False):
            dotted = f"{module_prefix}." if module_prefix else ""
            for name, param in module._parameters.items():
                if param is not None:
                    out[dotted + name] = param if keep_vars else param.detach()
            for name, buffer in module._buffers.items():
                if buffer is not None and name not in module._non_persistent_buffers:
                    out[dotted + name] = buffer if keep_vars else buffer.detach()
        return out

    def load_state_dict(self, state_dict: Mapping[str, Any], strict: bool = True) -> _IncompatibleKeys:
        """Copy values from ``state_dict`` into the parameters and buffers (shapes must match)."""
        if not isinstance(state_dict, Mapping):
            raise TypeError(f"Expected state_dict to be dict-like, got {type(state_dict).__name__}.")
        own = self.state_dict(keep_vars=True)
        missing = [key for key in own if key not in state_dict]
        unexpected = [key for key in state_dict if key not in own]
        errors = []
        updates = []
        for key, target in own.items():
            if key not in state_dict:
                continue
            values = _as_array(state_dict[key], key)
            if values.shape != target._data.shape:
                errors.append(
                    f"size mismatch for {key}: copying a param with shape {Size(values.shape)!r} from checkpoint, "
                    f"the shape in current model is {Size(target._data.shape)!r}."
                )
            else:
                updates.append((target, values))
        if strict:
            if unexpected:
                errors.insert(0, "Unexpected key(s) in state_dict: " + ", ".join(f'"{k}"' for k in unexpected) + ". ")
            if missing:
                errors.insert(0, "Missing key(s) in state_dict: " + ", ".join(f'"{k}"' for k in missing) + ". ")
        if errors:
            hint = "Build the model with the same layers and sizes as the one that was saved" + (
                ", or pass strict=False to skip missing and unexpected keys." if strict else "."
            )
            details = "\n\t".join(errors)
            raise RuntimeError(f"Error(s) in loading state_dict for {type(self).__name__}:\n\t{details}\n{hint}")
        with no_grad():
            for target, values in updates:
                target.copy_(Tensor._make(values))
        return _IncompatibleKeys(missing, unexpected)

    # ------------------------------------------------------------------ printing
    def extra_repr(self) -> str:
        """The text inside the parentheses of this module's repr (its settings)."""
        return ""

    def __repr__(self) -> str:
        extra = self.extra_repr()
        extra_lines = extra.split("\n") if extra else []
        child_lines = [f"({name}): {_indent(repr(module), 2)}" for name, module in self._modules.items()]
        lines = extra_lines + child_lines
        body = ""
        if lines:
            if len(extra_lines) == 1 and not child_lines:
                body = extra_lines[0]
            else:
                body = "\n  " + "\n  ".join(lines) + "\n"
        return f"{type(self).__name__}({body})"


def _indent(text: str, spaces: int) -> str:
    """Indent every line but the first (nested module reprs)."""
    first, *rest = text.split("\n")
    return "\n".join([first] + [" " * spaces + line for line in rest])


def _as_array(value: Any, key: str) -> np.ndarray:
    """The numpy values of a state_dict entry (a tensor, a numpy array, or a PyTorch tensor)."""
    if isinstance(value, Tensor):
        return value._data
    try:
        return np.asarray(value)
    except Exception as error:
        raise TypeError(
            f"state_dict entry '{key}' is a {type(value).__name__}, which cannot be read as an array of numbers; "
            "expected a tensor or a numpy array"
        ) from error


class Sequential(Module):
    """Modules applied one after the other: ``Sequential(Linear(2, 16), ReLU(), Linear(16, 1))``."""

    def __init__(self, *args: Any) -> None:
        super().__init__()
        if len(args) == 1 and isinstance(args[0], OrderedDict):
            for name, module in args[0].items():
                self._add(name, module)
        else:
            for index, module in enumerate(args):
                self._add(str(index), module)

    def _add(self, name: str, module: Any) -> None:
        if not isinstance(module, Module):
            raise TypeError(
                f"Sequential: argument '{name}' is a {type(module).__name__}, not an nn.Module; "
                "wrap functions in a module (e.g. nn.ReLU() instead of F.relu)"
            )
        self.add_module(name, module)

    def __getitem__(self, index: int | slice) -> Any:
        items = list(self._modules.items())
        if isinstance(index, slice):
            return Sequential(OrderedDict(items[index]))
        return items[_position(index, len(items), "Sequential")][1]

    def __len__(self) -> int:
        return len(self._modules)

    def __iter__(self) -> Iterator[Module]:
        return iter(m for m in self._modules.values() if m is not None)

    def append(self, module: Module) -> Sequential:
        """Add a module at the end; returns self."""
        self._add(str(len(self._modules)), module)
        return self

    def forward(self, input: Any) -> Any:
        """Feed ``input`` through every module in order."""
        for module in self._modules.values():
            input = module(input)  # type: ignore[misc]
        return input


class ModuleList(Module):
    """A list of modules whose parameters are registered (``forward`` is yours to write)."""

    def __init__(self, modules: Iterable[Module] | None = None) -> None:
        super().__init__()
        if modules is not None:
            self.extend(modules)

    def __getitem__(self, index: int | slice) -> Any:
        items = list(self._modules.values())
        if isinstance(index, slice):
            return ModuleList(items[index])  # type: ignore[arg-type]
        return items[_position(index, len(items), "ModuleList")]

    def __len__(self) -> int:
        return len(self._modules)

    def __iter__(self) -> Iterator[Module]:
        return iter(m for m in self._modules.values() if m is not None)

    def append(self, module: Module) -> ModuleList:
        """Add a module at the end; returns self."""
        if not isinstance(module, Module):
            raise TypeError(f"ModuleList.append: {type(module).__name__} is not an nn.Module")
        self.add_module(str(len(self._modules)), module)
        return self

    def extend(self, modules: Iterable[Module]) -> ModuleList:
        """Add several modules at the end; returns self."""
        for module in modules:
            self.append(module)
        return self


def _position(index: Any, length: int, owner: str) -> int:
    """A list position from a possibly negative index, with a clear error when out of range."""
    if not isinstance(index, int):
        raise TypeError(f"{owner} indices must be integers or slices, not {type(index).__name__}")
    if not -length <= index < length:
        raise IndexError(f"index {index} is out of range for a {owner} of {length} modules")
    return index % length

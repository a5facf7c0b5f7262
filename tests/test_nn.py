"""nn: Module bookkeeping, layers, losses, functional and init — gradcheck and PyTorch parity."""

from __future__ import annotations

import math
import pickle
import warnings
from collections import OrderedDict

import numpy as np
import pytest

import autograd_lab as al
from autograd_lab import engine, gradcheck, nn
from autograd_lab.nn import functional as F
from autograd_lab.nn import init

RNG = np.random.default_rng(1234)


def double(*shape: int, requires_grad: bool = True) -> al.Tensor:
    return al.tensor(RNG.standard_normal(shape), dtype=al.float64, requires_grad=requires_grad)


class TwoLayer(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.hidden = nn.Linear(3, 4)
        self.act = nn.Tanh()
        self.out = nn.Linear(4, 2)
        self.scale = nn.Parameter(al.ones(2))
        self.not_a_param = al.ones(2)  # a plain tensor attribute: not registered

    def forward(self, x: al.Tensor) -> al.Tensor:
        return self.out(self.act(self.hidden(x))) * self.scale


# --------------------------------------------------------------------------- Parameter


def test_parameter_is_a_leaf_tensor_that_requires_grad_and_shares_memory():
    data = al.tensor([1.0, 2.0])
    p = nn.Parameter(data)
    assert isinstance(p, al.Tensor) and p.requires_grad and p.is_leaf
    data[0] = 5.0
    assert p.detach().tolist() == [5.0, 2.0]
    assert repr(p) == "Parameter containing:\ntensor([5., 2.], requires_grad=True)"
    assert not nn.Parameter(al.zeros(1), requires_grad=False).requires_grad


def test_parameter_rejects_non_tensors_and_integer_data():
    with pytest.raises(TypeError, match="expects a tensor"):
        nn.Parameter([1.0, 2.0])
    with pytest.raises(RuntimeError, match="floating point"):
        nn.Parameter(al.tensor([1, 2]))


def test_parameter_survives_pickle_and_deepcopy():
    import copy

    p = nn.Parameter(al.tensor([1.0, 2.0]))
    for clone in (pickle.loads(pickle.dumps(p)), copy.deepcopy(p)):
        assert isinstance(clone, nn.Parameter) and clone.requires_grad
        assert clone.detach().tolist() == [1.0, 2.0]
        assert not np.shares_memory(clone._data, p._data)


# --------------------------------------------------------------------------- registration and walking


def test_attributes_register_parameters_and_modules_in_order():
    model = TwoLayer()
    names = [name for name, _ in model.named_parameters()]
    assert names == ["scale", "hidden.weight", "hidden.bias", "out.weight", "out.bias"]
    assert [name for name, _ in model.named_children()] == ["hidden", "act", "out"]
    assert list(model.children()) == [model.hidden, model.act, model.out]
    assert [name for name, _ in model.named_modules()] == ["", "hidden", "act", "out"]
    assert list(model.modules())[0] is model
    assert len(list(model.parameters())) == 5
    assert [n for n, _ in model.named_parameters(recurse=False)] == ["scale"]
    assert "not_a_param" not in dict(model.named_parameters())


def test_shared_parameters_and_modules_are_listed_once():
    shared = nn.Linear(2, 2)
    model = nn.Sequential(shared, nn.ReLU(), shared)
    assert len(list(model.parameters())) == 2
    assert [name for name, _ in model.named_modules()] == ["", "0", "1"]
    assert list(model.state_dict()) == ["0.weight", "0.bias", "2.weight", "2.bias"]  # as PyTorch saves it
    model.load_state_dict(model.state_dict())


def test_reassigning_and_deleting_attributes_updates_the_registries():
    model = TwoLayer()
    model.hidden = nn.Linear(3, 5)
    assert model.hidden.out_features == 5
    model.scale = None
    assert "scale" not in dict(model.named_parameters())
    with pytest.raises(TypeError, match="cannot assign 'Tensor' as parameter 'scale'"):
        model.scale = al.ones(2)
    with pytest.raises(TypeError, match="cannot assign 'int' as child module 'act'"):
        model.act = 3
    del model.out
    assert "out" not in dict(model.named_children())
    with pytest.raises(AttributeError, match="'TwoLayer' object has no attribute 'out'"):
        model.out  # noqa: B018


def test_assigning_before_super_init_explains_the_fix():
    class Broken(nn.Module):
        def __init__(self) -> None:
            self.w = nn.Parameter(al.ones(1))

    with pytest.raises(AttributeError, match="super\\(\\).__init__\\(\\)"):
        Broken()


def test_register_helpers_validate_names_and_types():
    module = nn.Module()
    module.register_buffer("running", al.zeros(3))
    module.register_buffer("scratch", al.zeros(1), persistent=False)
    module.register_parameter("w", None)
    assert list(module.state_dict()) == ["running"]
    assert [n for n, _ in module.named_buffers()] == ["running", "scratch"]
    with pytest.raises(KeyError, match="contain"):
        module.register_parameter("a.b", nn.Parameter(al.ones(1)))
    with pytest.raises(TypeError, match="nn.Parameter or None required"):
        module.register_parameter("x", al.ones(1))
    with pytest.raises(TypeError, match="is not a Module subclass"):
        module.add_module("f", lambda x: x)
    with pytest.raises(TypeError, match="Tensor or None expected"):
        module.running = 3


def test_forward_must_be_written():
    with pytest.raises(NotImplementedError, match='missing the required "forward"'):
        nn.Module()(1)


def test_call_pushes_the_module_on_the_engine_stack_for_every_recorded_node():
    model = nn.Sequential(nn.Linear(2, 3), nn.ReLU())
    seen = []
    model[1].register_forward_hook(lambda module, inputs, output: seen.append(list(engine._module_stack)))
    out = model(al.randn(4, 2))
    assert out.grad_fn.name() == "ReluBackward"
    assert out.grad_fn.modules == (model, model[1])
    assert out.grad_fn.next_functions[0][0].modules == (model, model[0])
    assert seen == [[model]]  # hooks run after the module left the stack
    assert engine._module_stack == []


def test_the_stack_is_popped_when_forward_raises():
    model = nn.Sequential(nn.Linear(2, 3))
    with pytest.raises(RuntimeError, match="in_features = 2"):
        model(al.randn(4, 5))
    assert engine._module_stack == []


def test_forward_hook_can_replace_the_output_and_be_removed():
    layer = nn.Linear(2, 2)
    handle = layer.register_forward_hook(lambda module, inputs, output: output * 0)
    assert layer(al.ones(1, 2)).abs().sum().item() == 0
    handle.remove()
    assert layer(al.ones(1, 2)).abs().sum().item() != 0


def test_apply_and_requires_grad_walk_the_tree():
    model = TwoLayer()
    visited = []
    model.apply(lambda m: visited.append(type(m).__name__))
    assert visited == ["Linear", "Tanh", "Linear", "TwoLayer"]
    model.requires_grad_(False)
    assert not any(p.requires_grad for p in model.parameters())


# --------------------------------------------------------------------------- modes, grads, dtype


def test_train_and_eval_set_every_module():
    model = nn.Sequential(nn.Linear(2, 2), nn.Dropout(0.5), nn.Sequential(nn.ReLU()))
    assert model.eval() is model
    assert not any(m.training for m in model.modules())
    model.train()
    assert all(m.training for m in model.modules())
    with pytest.raises(ValueError, match="boolean"):
        model.train("no")


def test_zero_grad_sets_grads_to_none_or_zeros():
    model = TwoLayer()
    model(al.randn(5, 3)).sum().backward()
    assert all(p.grad is not None for p in model.parameters())
    model.zero_grad(set_to_none=False)
    assert all(p.grad is not None and p.grad.abs().sum().item() == 0 for p in model.parameters())
    model.zero_grad()
    assert all(p.grad is None for p in model.parameters())


def test_double_and_to_convert_parameters_in_place():
    model = TwoLayer()
    weight = model.hidden.weight
    assert model.double() is model
    assert model.hidden.weight is weight and weight.dtype == al.float64
    assert model(al.randn(2, 3, dtype=al.float64)).dtype == al.float64
    model.to(al.float32)
    assert weight.dtype == al.float32
    assert model.to("cpu") is model
    with pytest.raises(RuntimeError, match="CPU only"):
        model.to("cuda")
    with pytest.raises(TypeError, match="floating point"):
        model.to(al.int64)


# --------------------------------------------------------------------------- state_dict


def test_state_dict_round_trip_reproduces_the_outputs():
    al.manual_seed(0)
    source, target = TwoLayer(), TwoLayer()
    x = al.randn(6, 3)
    assert not al.allclose(source(x), target(x))
    state = source.state_dict()
    assert list(state) == ["scale", "hidden.weight", "hidden.bias", "out.weight", "out.bias"]
    assert all(not v.requires_grad for v in state.values())
    assert np.shares_memory(state["hidden.weight"]._data, source.hidden.weight._data)
    version = target.hidden.weight._version
    result = target.load_state_dict(state)
    assert result.missing_keys == [] and result.unexpected_keys == []
    assert target.hidden.weight._version == version + 1  # copied in place
    assert al.equal(source(x), target(x))
    assert not np.shares_memory(target.hidden.weight._data, source.hidden.weight._data)


def test_state_dict_keeps_vars_when_asked_and_accepts_numpy_values():
    model = nn.Linear(2, 1)
    assert model.state_dict(keep_vars=True)["weight"] is model.weight
    model.load_state_dict({"weight": np.array([[1.0, 2.0]]), "bias": np.array([0.5])})
    assert model(al.tensor([[1.0, 1.0]])).item() == 3.5


def test_a_pytorch_state_dict_loads_directly():
    torch = pytest.importorskip("torch")
    theirs = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.Tanh(), torch.nn.Linear(4, 2))
    ours = nn.Sequential(nn.Linear(3, 4), nn.Tanh(), nn.Linear(4, 2))
    ours.load_state_dict(theirs.state_dict())
    x = RNG.standard_normal((5, 3)).astype(np.float32)
    with torch.no_grad():
        expected = theirs(torch.tensor(x)).numpy()
    np.testing.assert_allclose(ours(al.tensor(x)).detach().numpy(), expected, rtol=1e-5, atol=1e-6)


def test_load_state_dict_names_missing_unexpected_and_mismatched_keys():
    model = nn.Sequential(nn.Linear(2, 3))
    bad = {"0.weight": al.zeros(3, 5), "extra": al.zeros(1)}
    with pytest.raises(RuntimeError) as error:
        model.load_state_dict(bad)
    message = str(error.value)
    assert "Error(s) in loading state_dict for Sequential" in message
    assert 'Missing key(s) in state_dict: "0.bias"' in message
    assert 'Unexpected key(s) in state_dict: "extra"' in message
    assert "size mismatch for 0.weight: copying a param with shape autograd_lab.Size([3, 5])" in message
    assert "the shape in current model is autograd_lab.Size([3, 2])" in message
    before = model[0].weight.detach().clone()
    with pytest.raises(RuntimeError, match="size mismatch"):
        model.load_state_dict(bad, strict=False)  # shapes are checked even when not strict
    assert al.equal(model[0].weight.detach(), before)  # nothing was half-loaded
    result = model.load_state_dict({"0.weight": al.ones(3, 2), "extra": al.zeros(1)}, strict=False)
    assert result.missing_keys == ["0.bias"] and result.unexpected_keys == ["extra"]
    assert model[0].weight.detach().sum().item() == 6
    with pytest.raises(TypeError, match="dict-like"):
        model.load_state_dict([1, 2])


def test_models_deepcopy_and_pickle_with_their_parameters_and_buffers():
    import copy

    model = nn.Sequential(nn.Linear(2, 3), nn.ReLU())
    model[0].register_buffer("running", al.ones(3))
    model(al.randn(4, 2)).sum().backward()
    for clone in (copy.deepcopy(model), pickle.loads(pickle.dumps(model))):
        assert isinstance(clone[0].weight, nn.Parameter) and clone[0].weight is not model[0].weight
        assert list(clone.state_dict()) == ["0.weight", "0.bias", "0.running"]
        assert all(al.equal(a, b) for a, b in zip(clone.state_dict().values(), model.state_dict().values()))
        x = al.randn(5, 2)
        assert al.equal(clone(x), model(x))
    assert copy.deepcopy(model)[0].weight.grad is not None  # deepcopy keeps .grad, as in PyTorch


# --------------------------------------------------------------------------- repr and containers


def test_repr_matches_pytorch_format():
    model = nn.Sequential(nn.Linear(2, 16), nn.ReLU(), nn.Linear(16, 1, bias=False), nn.Flatten(), nn.Dropout(0.2))
    expected = (
        "Sequential(\n"
        "  (0): Linear(in_features=2, out_features=16, bias=True)\n"
        "  (1): ReLU()\n"
        "  (2): Linear(in_features=16, out_features=1, bias=False)\n"
        "  (3): Flatten(start_dim=1, end_dim=-1)\n"
        "  (4): Dropout(p=0.2, inplace=False)\n"
        ")"
    )
    assert repr(model) == expected
    nested = repr(nn.Sequential(nn.Sequential(nn.Tanh())))
    assert nested == "Sequential(\n  (0): Sequential(\n    (0): Tanh()\n  )\n)"
    assert repr(nn.CrossEntropyLoss()) == "CrossEntropyLoss()"


def test_repr_matches_pytorch_exactly():
    torch = pytest.importorskip("torch")
    ours = nn.Sequential(nn.Linear(2, 16), nn.ReLU(), nn.Linear(16, 16), nn.Tanh(), nn.Linear(16, 1), nn.Sigmoid())
    theirs = torch.nn.Sequential(
        torch.nn.Linear(2, 16),
        torch.nn.ReLU(),
        torch.nn.Linear(16, 16),
        torch.nn.Tanh(),
        torch.nn.Linear(16, 1),
        torch.nn.Sigmoid(),
    )
    assert repr(ours) == repr(theirs)
    assert repr(nn.Flatten()) == repr(torch.nn.Flatten())
    assert repr(nn.Dropout(0.3)) == repr(torch.nn.Dropout(0.3))
    assert repr(nn.Softmax(dim=1)) == repr(torch.nn.Softmax(dim=1))


def test_sequential_indexing_length_iteration_and_append():
    layers = [nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 1)]
    model = nn.Sequential(*layers)
    assert len(model) == 3 and list(model) == layers
    assert model[0] is layers[0] and model[-1] is layers[2]
    head = model[:2]
    assert isinstance(head, nn.Sequential) and list(head) == layers[:2]
    assert head(al.ones(1, 2)).shape == (1, 3)
    with pytest.raises(IndexError, match="index 3 is out of range for a Sequential of 3 modules"):
        model[3]
    model.append(nn.Sigmoid())
    assert len(model) == 4 and isinstance(model[3], nn.Sigmoid)
    named = nn.Sequential(OrderedDict([("fc", nn.Linear(2, 2)), ("act", nn.ReLU())]))
    assert [n for n, _ in named.named_children()] == ["fc", "act"] and named.fc is named[0]


def test_sequential_rejects_functions_with_a_hint():
    with pytest.raises(TypeError, match="nn.ReLU\\(\\) instead of F.relu"):
        nn.Sequential(nn.Linear(2, 2), F.relu)


def test_module_list_registers_its_modules():
    blocks = nn.ModuleList([nn.Linear(2, 2) for _ in range(3)])
    assert len(blocks) == 3 and len(list(blocks.parameters())) == 6
    blocks.append(nn.Linear(2, 1))
    assert isinstance(blocks[-1], nn.Linear) and blocks[-1].out_features == 1
    assert [n for n, _ in blocks.named_parameters()][:2] == ["0.weight", "0.bias"]
    with pytest.raises(TypeError, match="not an nn.Module"):
        blocks.append(3)


# --------------------------------------------------------------------------- Linear


def test_linear_default_init_follows_manual_seed_and_pytorch_bounds():
    al.manual_seed(7)
    a = nn.Linear(100, 50)
    al.manual_seed(7)
    b = nn.Linear(100, 50)
    assert al.equal(a.weight.detach(), b.weight.detach()) and al.equal(a.bias.detach(), b.bias.detach())
    bound = 1 / math.sqrt(100)
    w = a.weight.detach().numpy()
    assert a.weight.shape == (50, 100) and a.bias.shape == (50,)
    assert w.dtype == np.float32 and np.abs(w).max() <= bound and np.abs(w).max() > 0.95 * bound
    assert abs(w.std() - bound / math.sqrt(3)) < 0.005  # uniform(-b, b) has std b/sqrt(3)
    assert np.abs(a.bias.detach().numpy()).max() <= bound


def test_linear_matches_pytorch_forward_and_backward():
    torch = pytest.importorskip("torch")
    ours = nn.Linear(5, 3)
    theirs = torch.nn.Linear(5, 3)
    with torch.no_grad():
        theirs.weight.copy_(torch.from_numpy(ours.weight.detach().numpy()))
        theirs.bias.copy_(torch.from_numpy(ours.bias.detach().numpy()))
    x = RNG.standard_normal((2, 4, 5)).astype(np.float32)
    xa, xt = al.tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
    out_a, out_t = ours(xa), theirs(xt)
    np.testing.assert_allclose(out_a.detach().numpy(), out_t.detach().numpy(), rtol=1e-5, atol=1e-6)
    (out_a * out_a).sum().backward()
    (out_t * out_t).sum().backward()
    np.testing.assert_allclose(xa.grad.numpy(), xt.grad.numpy(), rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(ours.weight.grad.numpy(), theirs.weight.grad.numpy(), rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(ours.bias.grad.numpy(), theirs.bias.grad.numpy(), rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("shape", [(4,), (3, 4), (2, 3, 4)])
@pytest.mark.parametrize("bias", [True, False])
def test_linear_gradcheck(shape, bias):
    layer = nn.Linear(4, 3, bias=bias).double()
    x = double(*shape)
    assert gradcheck(lambda x, *params: layer(x), (x, *layer.parameters()))


def test_linear_second_derivatives():
    layer = nn.Linear(3, 2).double()
    x = double(4, 3)
    assert al.gradgradcheck(lambda x, w, b: F.linear(x, w, b).tanh(), (x, layer.weight, layer.bias))


def test_linear_without_input_grad_and_node_name():
    layer = nn.Linear(3, 2)
    out = layer(al.randn(4, 3))
    assert out.grad_fn.name() == "LinearBackward"
    out.sum().backward()
    assert layer.weight.grad.shape == (2, 3) and layer.bias.grad.shape == (2,)
    assert np.allclose(layer.bias.grad.numpy(), 4.0)


def test_linear_explains_shape_and_dtype_errors():
    layer = nn.Linear(2, 3)
    with pytest.raises(RuntimeError, match=r"input of shape \(4, 5\) does not fit a weight of shape \(3, 2\)"):
        layer(al.randn(4, 5))
    with pytest.raises(RuntimeError, match=r"input is float64 but the weight is float32.*x.float\(\)"):
        layer(al.randn(4, 2, dtype=al.float64))
    with pytest.raises(RuntimeError, match="input is int64"):
        layer(al.tensor([[1, 2]]))
    with pytest.raises(ValueError, match="in_features must be a non-negative int"):
        nn.Linear(2.5, 3)
    with pytest.raises(RuntimeError, match=r"the bias has shape \(5,\); it must be \(3,\)"):
        F.linear(al.randn(4, 2), al.randn(3, 2), al.randn(5))
    with pytest.raises(RuntimeError, match="the weight must be a matrix"):
        F.linear(al.randn(4, 2), al.randn(2))


# --------------------------------------------------------------------------- other layers


@pytest.mark.parametrize(
    "layer",
    [nn.ReLU(), nn.Tanh(), nn.Sigmoid(), nn.Softmax(dim=1), nn.LogSoftmax(dim=-1), nn.Identity(), nn.Flatten()],
    ids=lambda m: type(m).__name__,
)
def test_layer_gradcheck(layer):
    x = double(3, 4)
    if isinstance(layer, nn.ReLU):
        x = al.tensor(np.sign(x.detach().numpy()) * (0.1 + np.abs(x.detach().numpy())), requires_grad=True)
    assert gradcheck(layer, (x,))


LAYER_PAIRS = [
    ("ReLU", (), {}),
    ("Tanh", (), {}),
    ("Sigmoid", (), {}),
    ("Softmax", (), {"dim": 1}),
    ("LogSoftmax", (), {"dim": 1}),
    ("Identity", (), {}),
    ("Flatten", (), {}),
    ("Flatten", (0, 1), {}),
]


@pytest.mark.parametrize("name, args, kwargs", LAYER_PAIRS)
def test_layer_matches_pytorch(name, args, kwargs):
    torch = pytest.importorskip("torch")
    x = (RNG.standard_normal((3, 4, 2)) * 3).astype(np.float32)
    xa, xt = al.tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
    out_a = getattr(nn, name)(*args, **kwargs)(xa)
    out_t = getattr(torch.nn, name)(*args, **kwargs)(xt)
    assert tuple(out_a.shape) == tuple(out_t.shape)
    np.testing.assert_allclose(out_a.detach().numpy(), out_t.detach().numpy(), rtol=1e-5, atol=1e-6)
    weights = RNG.standard_normal(tuple(out_t.shape)).astype(np.float32)
    (out_a * al.tensor(weights)).sum().backward()
    (out_t * torch.tensor(weights)).sum().backward()
    np.testing.assert_allclose(xa.grad.numpy(), xt.grad.numpy(), rtol=1e-5, atol=1e-6)


def test_flatten_merges_the_requested_dimensions():
    x = al.zeros(2, 3, 4, 5)
    assert nn.Flatten()(x).shape == (2, 60)
    assert nn.Flatten(0, 1)(x).shape == (6, 4, 5)
    assert nn.Flatten(1, 2)(x).shape == (2, 12, 5)


def test_dropout_is_seeded_scaled_and_off_in_eval():
    layer = nn.Dropout(0.25)
    x = al.ones(200, 100)
    al.manual_seed(3)
    first = layer(x).numpy()
    al.manual_seed(3)
    assert np.array_equal(first, layer(x).numpy())
    kept = first != 0
    assert abs(kept.mean() - 0.75) < 0.01
    assert np.allclose(first[kept], 1 / 0.75)
    layer.eval()
    assert layer(x) is x
    assert nn.Dropout(0.0)(x) is x
    assert nn.Dropout(1.0)(x).abs().sum().item() == 0
    with pytest.raises(ValueError, match="between 0 and 1, but got 1.5"):
        nn.Dropout(1.5)


def test_dropout_gradcheck_with_a_fixed_mask():
    x = double(5, 4)

    def dropped(x):
        al.manual_seed(11)  # the same mask on every call
        return F.dropout(x, 0.4, training=True)

    assert gradcheck(dropped, (x,))
    out = dropped(x)
    out.sum().backward()
    mask = out.detach().numpy() != 0
    assert np.allclose(x.grad.numpy(), mask / 0.6)


# --------------------------------------------------------------------------- losses


LOGITS = (RNG.standard_normal((6, 4)) * 2).astype(np.float32)
LABELS = np.array([0, 3, 1, 1, 2, 3])


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_cross_entropy_matches_pytorch(reduction):
    torch = pytest.importorskip("torch")
    xa, xt = al.tensor(LOGITS, requires_grad=True), torch.tensor(LOGITS, requires_grad=True)
    loss_a = nn.CrossEntropyLoss(reduction=reduction)(xa, al.tensor(LABELS))
    loss_t = torch.nn.CrossEntropyLoss(reduction=reduction)(xt, torch.tensor(LABELS))
    np.testing.assert_allclose(loss_a.detach().numpy(), loss_t.detach().numpy(), rtol=1e-6, atol=1e-6)
    loss_a.sum().backward()
    loss_t.sum().backward()
    np.testing.assert_allclose(xa.grad.numpy(), xt.grad.numpy(), rtol=1e-5, atol=1e-7)


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_cross_entropy_with_probabilities_and_nll_match_pytorch(reduction):
    torch = pytest.importorskip("torch")
    probs = np.abs(RNG.standard_normal((6, 4))).astype(np.float32)
    probs /= probs.sum(1, keepdims=True)
    xa, xt = al.tensor(LOGITS, requires_grad=True), torch.tensor(LOGITS, requires_grad=True)
    loss_a = F.cross_entropy(xa, al.tensor(probs), reduction=reduction)
    loss_t = torch.nn.functional.cross_entropy(xt, torch.tensor(probs), reduction=reduction)
    np.testing.assert_allclose(loss_a.detach().numpy(), loss_t.detach().numpy(), rtol=1e-6, atol=1e-6)
    loss_a.sum().backward()
    loss_t.sum().backward()
    np.testing.assert_allclose(xa.grad.numpy(), xt.grad.numpy(), rtol=1e-5, atol=1e-7)
    log_probs = LOGITS - np.log(np.exp(LOGITS).sum(1, keepdims=True))
    nll_a = nn.NLLLoss(reduction=reduction)(al.tensor(log_probs), al.tensor(LABELS))
    nll_t = torch.nn.NLLLoss(reduction=reduction)(torch.tensor(log_probs), torch.tensor(LABELS))
    np.testing.assert_allclose(nll_a.numpy(), nll_t.numpy(), rtol=1e-6)


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_cross_entropy_gradcheck(reduction):
    x = double(5, 3)
    labels = al.tensor([0, 2, 1, 2, 0])
    assert gradcheck(lambda x: F.cross_entropy(x, labels, reduction=reduction), (x,))
    soft = al.tensor(np.full((5, 3), 1 / 3), dtype=al.float64, requires_grad=True)
    assert gradcheck(lambda x, t: F.cross_entropy(x, t, reduction=reduction), (x, soft))
    assert gradcheck(lambda x: F.nll_loss(x, labels, reduction=reduction), (x,))


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_nll_loss_primitive_with_sample_weights(reduction):
    """NllLoss with per-sample weights (0 = an ignored sample): values, gradcheck and second derivatives."""
    log_probs = double(5, 3)
    labels = np.array([0, 2, 1, 2, 0])
    weights = np.array([1.0, 0.5, 0.0, 2.0, 1.0])
    picked = log_probs._data[np.arange(5), labels] * weights
    expected = {"mean": -picked.sum() / weights.sum(), "sum": -picked.sum(), "none": -picked}[reduction]
    loss = F.NllLoss.apply(log_probs, labels, weights, reduction)
    np.testing.assert_allclose(loss.detach().numpy(), expected)
    assert gradcheck(lambda x: F.NllLoss.apply(x, labels, weights, reduction), (log_probs,))
    assert al.gradgradcheck(lambda x: F.NllLoss.apply(x.log_softmax(1), labels, weights, reduction), (log_probs,))


def test_nll_loss_mean_over_zero_total_weight_is_nan_as_in_pytorch():
    loss = F.NllLoss.apply(double(2, 3), np.array([0, 1]), np.zeros(2), "mean")
    assert math.isnan(loss.item())


def test_cross_entropy_records_pytorchs_two_nodes():
    loss = F.cross_entropy(double(4, 3), al.tensor([0, 2, 1, 1]))
    assert loss.grad_fn.name() == "NllLossBackward"
    assert [node.name() for node, _ in loss.grad_fn.next_functions if node] == ["LogSoftmaxBackward"]


def test_cross_entropy_of_a_single_sample_and_its_checks():
    torch = pytest.importorskip("torch")
    logits = LOGITS[0]
    ours = F.cross_entropy(al.tensor(logits), al.tensor(2))
    theirs = torch.nn.functional.cross_entropy(torch.tensor(logits), torch.tensor(2))
    assert ours.shape == () and abs(ours.item() - theirs.item()) < 1e-6


def test_cross_entropy_explains_bad_targets():
    x = al.tensor(LOGITS)
    with pytest.raises(IndexError, match="Target 4 is out of bounds: class indices must be in 0..3"):
        F.cross_entropy(x, al.tensor([0, 1, 2, 3, 4, 0]))
    with pytest.raises(IndexError, match="Target -1 is out of bounds"):
        F.cross_entropy(x, al.tensor([0, 1, 2, 3, -1, 0]))
    with pytest.raises(ValueError, match=r"Expected target of shape \(6,\)"):
        F.cross_entropy(x, al.tensor([0, 1]))
    with pytest.raises(ValueError, match="must have the input's shape"):
        F.cross_entropy(x, al.rand(6, 3))
    with pytest.raises(RuntimeError, match="class indices"):
        F.nll_loss(x, al.tensor([0.0] * 6))
    with pytest.raises(ValueError, match="Expected input of shape \\(N, C\\)"):
        F.cross_entropy(al.zeros(2, 3, 4), al.tensor([0, 1]))
    with pytest.raises(ValueError, match="not a valid value for reduction"):
        nn.CrossEntropyLoss(reduction="average")


def test_cross_entropy_of_an_empty_batch_is_nan_as_in_pytorch():
    loss = F.cross_entropy(al.zeros(0, 3), al.tensor(np.zeros(0, dtype=np.int64)))
    assert math.isnan(loss.item())


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_mse_matches_pytorch_and_gradcheck(reduction):
    torch = pytest.importorskip("torch")
    a, b = RNG.standard_normal((2, 5, 3)).astype(np.float32)
    xa, xt = al.tensor(a, requires_grad=True), torch.tensor(a, requires_grad=True)
    loss_a = nn.MSELoss(reduction=reduction)(xa, al.tensor(b))
    loss_t = torch.nn.MSELoss(reduction=reduction)(xt, torch.tensor(b))
    np.testing.assert_allclose(loss_a.detach().numpy(), loss_t.detach().numpy(), rtol=1e-6)
    loss_a.sum().backward()
    loss_t.sum().backward()
    np.testing.assert_allclose(xa.grad.numpy(), xt.grad.numpy(), rtol=1e-6)
    x, y = double(4, 2), double(4, 2)
    assert gradcheck(lambda x, y: F.mse_loss(x, y, reduction=reduction), (x, y))


def test_mse_warns_about_broadcasting_targets():
    with pytest.warns(UserWarning, match="different to the input size"):
        F.mse_loss(al.zeros(4, 1), al.zeros(4))


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_bce_with_logits_matches_pytorch_and_gradcheck(reduction):
    torch = pytest.importorskip("torch")
    logits = np.array([-1000.0, -30.0, -2.0, 0.0, 0.5, 3.0, 30.0, 1000.0], dtype=np.float32)
    targets = np.array([1.0, 0.0, 1.0, 1.0, 0.0, 0.3, 1.0, 0.0], dtype=np.float32)
    xa, xt = al.tensor(logits, requires_grad=True), torch.tensor(logits, requires_grad=True)
    loss_a = nn.BCEWithLogitsLoss(reduction=reduction)(xa, al.tensor(targets))
    loss_t = torch.nn.BCEWithLogitsLoss(reduction=reduction)(xt, torch.tensor(targets))
    # atol: at x = 30, y = 1 PyTorch's log1p keeps log(1 + 9e-14); float32 addition rounds it to 0
    np.testing.assert_allclose(loss_a.detach().numpy(), loss_t.detach().numpy(), rtol=1e-6, atol=1e-7)
    loss_a.sum().backward()
    loss_t.sum().backward()
    np.testing.assert_allclose(xa.grad.numpy(), xt.grad.numpy(), rtol=1e-6, atol=1e-7)
    x, y = double(6), al.tensor(RNG.random(6), dtype=al.float64, requires_grad=True)
    assert gradcheck(lambda x, y: F.binary_cross_entropy_with_logits(x, y, reduction=reduction), (x, y))


def test_bce_with_logits_gradient_at_zero_is_sigmoid_minus_target():
    x = al.zeros(3, requires_grad=True)
    F.binary_cross_entropy_with_logits(x, al.tensor([0.0, 1.0, 0.25]), reduction="sum").backward()
    assert np.allclose(x.grad.numpy(), [0.5, -0.5, 0.25])


def test_bce_with_logits_requires_matching_shapes():
    with pytest.raises(ValueError, match=r"Target size .* must be the same as input size"):
        F.binary_cross_entropy_with_logits(al.zeros(4, 1), al.zeros(4))


@pytest.mark.parametrize("scale", [1000.0, -1000.0])
def test_losses_stay_finite_for_huge_logits(scale):
    logits = al.tensor([[scale, 0.0, -scale], [0.0, scale, 1.0]], requires_grad=True)
    labels = al.tensor([2, 0])
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no overflow warnings either
        ce = F.cross_entropy(logits, labels)
        bce = F.binary_cross_entropy_with_logits(logits, al.tensor([[1.0, 0.0, 1.0], [0.0, 0.0, 1.0]]))
        (ce + bce).backward()
    assert math.isfinite(ce.item()) and math.isfinite(bce.item())
    values = logits.detach().numpy().astype(np.float64)
    peak = values.max(1, keepdims=True)
    expected = (np.log(np.exp(values - peak).sum(1)) + peak[:, 0] - values[[0, 1], [2, 0]]).mean()
    assert abs(ce.item() - expected) < 1e-3
    assert np.isfinite(logits.grad.numpy()).all()


def test_cross_entropy_at_huge_logits_matches_pytorch():
    torch = pytest.importorskip("torch")
    logits = np.array([[1000.0, 0.0, -1000.0], [-1000.0, 1000.0, 999.0]], dtype=np.float32)
    labels = np.array([2, 2])
    xa, xt = al.tensor(logits, requires_grad=True), torch.tensor(logits, requires_grad=True)
    loss_a, loss_t = F.cross_entropy(xa, al.tensor(labels)), torch.nn.functional.cross_entropy(xt, torch.tensor(labels))
    assert abs(loss_a.item() - loss_t.item()) < 1e-3
    loss_a.backward()
    loss_t.backward()
    np.testing.assert_allclose(xa.grad.numpy(), xt.grad.numpy(), atol=1e-6)


# --------------------------------------------------------------------------- functional


def test_functional_activations_match_the_tensor_methods():
    x = al.randn(3, 4)
    assert al.equal(F.relu(x), x.relu())
    assert al.equal(F.tanh(x), x.tanh())
    assert al.equal(F.sigmoid(x), x.sigmoid())
    assert al.allclose(F.softmax(x, dim=1).sum(1), al.ones(3))
    assert al.allclose(F.log_softmax(x, dim=0).exp().sum(0), al.ones(4))


def test_functional_linear_matches_pytorch_without_bias():
    torch = pytest.importorskip("torch")
    x, w = RNG.standard_normal((3, 4)).astype(np.float32), RNG.standard_normal((2, 4)).astype(np.float32)
    ours = F.linear(al.tensor(x), al.tensor(w))
    theirs = torch.nn.functional.linear(torch.tensor(x), torch.tensor(w))
    np.testing.assert_allclose(ours.numpy(), theirs.numpy(), rtol=1e-5, atol=1e-6)


# --------------------------------------------------------------------------- init


def test_init_functions_fill_in_place_with_the_right_statistics():
    al.manual_seed(0)
    w = nn.Parameter(al.zeros(400, 300))
    assert init.uniform_(w, -2.0, 3.0) is w
    values = w.detach().numpy()
    assert values.min() >= -2 and values.max() < 3 and abs(values.mean() - 0.5) < 0.05
    init.normal_(w, 1.0, 0.5)
    assert abs(w.detach().numpy().mean() - 1.0) < 0.01 and abs(w.detach().numpy().std() - 0.5) < 0.01
    init.zeros_(w)
    assert w.detach().abs().sum().item() == 0
    init.ones_(w)
    assert w.detach().sum().item() == 400 * 300
    init.constant_(w, 0.25)
    assert np.all(w.detach().numpy() == 0.25)
    assert w.grad_fn is None and w.requires_grad  # still a leaf parameter


def test_xavier_and_kaiming_bounds():
    al.manual_seed(0)
    w = al.zeros(200, 100)
    init.xavier_uniform_(w)
    bound = math.sqrt(6 / 300)
    assert np.abs(w.numpy()).max() <= bound and np.abs(w.numpy()).max() > 0.99 * bound
    init.xavier_uniform_(w, gain=2.0)
    assert np.abs(w.numpy()).max() <= 2 * bound
    init.xavier_normal_(w)
    assert abs(w.numpy().std() - math.sqrt(2 / 300)) < 0.003
    init.kaiming_uniform_(w, nonlinearity="relu")
    bound = math.sqrt(2) * math.sqrt(3 / 100)
    assert np.abs(w.numpy()).max() <= bound and np.abs(w.numpy()).max() > 0.99 * bound
    init.kaiming_uniform_(w, mode="fan_out", nonlinearity="relu")
    assert np.abs(w.numpy()).max() <= math.sqrt(2) * math.sqrt(3 / 200)
    init.kaiming_normal_(w, nonlinearity="relu")
    assert abs(w.numpy().std() - math.sqrt(2 / 100)) < 0.003


def test_init_gains_and_errors_match_pytorch():
    torch = pytest.importorskip("torch")
    for name, param in [("linear", None), ("sigmoid", None), ("tanh", None), ("relu", None), ("leaky_relu", 0.2)]:
        assert init.calculate_gain(name, param) == pytest.approx(torch.nn.init.calculate_gain(name, param))
    with pytest.raises(ValueError, match="fewer than 2 dimensions"):
        init.xavier_uniform_(al.zeros(3))
    with pytest.raises(ValueError, match="Unsupported nonlinearity"):
        init.calculate_gain("swish")
    with pytest.raises(ValueError, match="fan_in, fan_out"):
        init.kaiming_uniform_(al.zeros(2, 2), mode="fan")


# --------------------------------------------------------------------------- core fast paths used by nn


def test_transpose_property_and_single_dim_sums_keep_their_meaning():
    x = double(2, 3, 4)
    assert tuple(x.T.shape) == (4, 3, 2) and x.T.grad_fn.name() == "PermuteBackward"
    assert np.array_equal(x.T.detach().numpy(), x.detach().numpy().T)
    assert gradcheck(lambda t: t.T * 2.0, (x,))
    for dim in (0, 1, 2, -1, -3):
        np.testing.assert_allclose(x.sum(dim).detach().numpy(), x.detach().numpy().sum(dim))
    with pytest.raises(IndexError, match="Dimension out of range"):
        x.sum(3)
    assert al.tensor(5.0).sum(0).item() == 5.0  # a 0-d tensor accepts dim 0 and -1


def test_results_computed_without_recording_are_fresh_tensors():
    a = al.ones(3)
    with al.no_grad():
        b = a + 1
    b.add_(1)  # its own memory and version counter
    assert a.tolist() == [1.0, 1.0, 1.0] and a._version == 0 and b._version == 1
    view = a[1:]
    assert view._version_counter is a._version_counter  # slices are still views


def test_backward_pauses_the_cyclic_gc_and_restores_it():
    import gc

    x = al.tensor([1.0, 2.0], requires_grad=True)
    seen = []
    x.register_hook(lambda grad: seen.append(gc.isenabled()))
    assert gc.isenabled()
    (x * x).sum().backward()
    assert seen == [False] and gc.isenabled()
    gc.disable()
    try:
        (x * 3).sum().backward()
        assert not gc.isenabled()  # left off when it was off
    finally:
        gc.enable()
    y = x * 2
    y.sum().backward()
    with pytest.raises(RuntimeError, match="backward through the graph a second time"):
        y.sum().backward()
    assert gc.isenabled()  # back on after an error too


def test_log_softmax_backward_gives_the_same_numbers_with_and_without_create_graph():
    x = double(4, 5)
    weights = al.tensor(RNG.standard_normal((4, 5)))
    (plain,) = al.autograd.grad((x.log_softmax(1) * weights).sum(), [x])
    (recorded,) = al.autograd.grad((x.log_softmax(1) * weights).sum(), [x], create_graph=True)
    assert recorded.requires_grad and not plain.requires_grad
    np.testing.assert_allclose(plain.numpy(), recorded.detach().numpy(), rtol=1e-12)
    assert gradcheck(lambda t: t.log_softmax(0), (x,))
    assert al.gradgradcheck(lambda t: t.log_softmax(1), (x,))

"""nn.utils.grad_norm_per_layer: the numbers TrainingMonitor plots."""

import math

import autograd_lab as torch
from autograd_lab import nn
from autograd_lab.nn.utils import grad_norm_per_layer


def test_grad_norm_per_layer_groups_each_layers_parameters_in_model_order():
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 2))
    assert grad_norm_per_layer(model.named_parameters()) == {}  # no gradients yet
    model(torch.randn(5, 3)).pow(2).sum().backward()
    norms = grad_norm_per_layer(model.named_parameters())
    assert list(norms) == ["0", "2"]
    first = model[0]
    expected = math.sqrt(float((first.weight.grad**2).sum()) + float((first.bias.grad**2).sum()))
    assert math.isclose(norms["0"], expected, rel_tol=1e-5)
    model[2].weight.grad = None  # a layer with only part of its gradients counts that part
    assert math.isclose(
        grad_norm_per_layer(model.named_parameters())["2"], float(model[2].bias.grad.norm()), rel_tol=1e-6
    )

"""viz.draw: the graph as graphviz DOT, named from the caller's variables, stable, collapsible."""

import base64
import os
import re
import subprocess
import sys
import textwrap

import graphviz
import numpy as np
import pytest

import autograd_lab as torch
from autograd_lab import engine
from autograd_lab.viz import draw
from autograd_lab.viz.doctor import dot_install_command
from autograd_lab.viz import render
from autograd_lab.viz.graph import GraphDrawing, format_array, format_number
from autograd_lab.viz.view import GraphView


@pytest.fixture(autouse=True)
def spanish():
    torch.set_language("es")
    yield
    torch.set_language("es")


def labels(graph):
    """{node id: label} parsed from the DOT source."""
    return dict(re.findall(r"^\t(\w+) \[label=\"?(.*?)\"? (?:color|fontsize|shape)", graph.source, re.M))


def edges(graph):
    return re.findall(r"^\t(\w+) -> (\w+)", graph.source, re.M)


def box_of(graph, name):
    """The id of the box whose label starts with ``name``."""
    found = [box for box, label in labels(graph).items() if label.split("\\n")[0].split(" ")[0] == name]
    assert len(found) == 1, (name, labels(graph))
    return found[0]


# --------------------------------------------------------------------------- the lecture's example


def test_lecture_example_names_values_and_the_two_uses_of_a():
    a = torch.tensor(2.0, requires_grad=True)
    b = torch.tensor(3.0, requires_grad=True)
    d = a * b + a
    graph = draw(d)
    shown = labels(graph)
    assert shown[box_of(graph, "a")] == "a\\nvalor = 2"
    assert shown[box_of(graph, "b")] == "b\\nvalor = 3"
    assert shown[box_of(graph, "d")] == "d\\nvalor = 8"
    assert sorted(label for label in shown.values() if "Backward" in label) == ["AddBackward", "MulBackward"]
    # a feeds both operations: two arrows leave its box
    a_box = box_of(graph, "a")
    targets = sorted(shown[target] for source, target in edges(graph) if source == a_box)
    assert targets == ["AddBackward", "MulBackward"]


def test_lecture_example_after_backward_shows_the_leaves_grads():
    a = torch.tensor(2.0, requires_grad=True)
    b = torch.tensor(3.0, requires_grad=True)
    d = a * b + a
    d.backward()
    graph = draw(d)
    assert labels(graph)[box_of(graph, "a")] == f"a\\nvalor = 2\\ngrad = {format_number(a.grad.item())}"
    assert f"grad = {format_number(b.grad.item())}" in labels(graph)[box_of(graph, "b")]
    assert a.grad.item() == 4.0  # b + 1: the two paths add up


def test_traces_give_intermediate_values_and_the_gradient_sent_along_each_edge():
    a = torch.tensor(2.0, requires_grad=True)
    b = torch.tensor(3.0, requires_grad=True)
    with engine.trace_forward() as records:
        d = a * b + a
    with engine.trace_backward() as steps:
        d.backward()
    graph = draw(d, names={"a": a, "b": b, "d": d}, backward_trace=steps, forward_trace=records)
    shown = labels(graph)
    assert "valor = 6\\ngrad = 1" in shown.values()  # a*b, unnamed, known from the forward trace
    assert shown["out"] == "d\\nvalor = 8\\ngrad = 1"
    sent = {(step.node.name(), k): grad.item() for step in steps for k, grad in enumerate(step.grad_inputs)}
    a_box = box_of(graph, "a")
    edge_labels = re.findall(rf"^\t{a_box} -> \w+ \[label=\"← (.*?)\"\]", graph.source, re.M)
    assert sorted(float(x) for x in edge_labels) == sorted([sent[("AddBackward", 1)], sent[("MulBackward", 0)]])


def test_names_argument_replaces_the_callers_variables():
    x = torch.tensor(1.5, requires_grad=True)
    y = x.exp()
    graph = draw(y, names={"entrada": x})
    assert box_of(graph, "entrada")
    assert "x\\n" not in graph.source and "y\\n" not in graph.source
    assert labels(graph)["out"].startswith("salida")


def test_output_equal_to_the_same_computation_is_stable_between_runs():
    def build():
        a = torch.tensor(2.0, requires_grad=True)
        b = torch.tensor([1.0, -1.0, 0.5], requires_grad=True)
        c = (a * b).tanh().sum() + a
        c.backward()
        return draw(c, names={"a": a, "b": b, "c": c}).source

    assert build() == build()


def test_output_is_stable_across_processes_with_different_hash_seeds():
    code = textwrap.dedent(
        """
        import autograd_lab as torch
        a = torch.tensor(2.0, requires_grad=True)
        b = torch.tensor(3.0, requires_grad=True)
        d = (a * b + a).sin() * b
        d.backward()
        print(torch.viz.draw(d).source)
        """
    )
    sources = []
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
        sources.append(result.stdout)
    assert sources[0] == sources[1]
    assert "0x" not in sources[0]


# --------------------------------------------------------------------------- other graphs


def test_broadcasting_op_shows_shapes_and_the_unbroadcast_gradient():
    w = torch.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], requires_grad=True)
    v = torch.tensor([1.0, 0.0, -1.0], requires_grad=True)
    loss = (w * v).sum()  # v (3,) is broadcast over the rows of w (2, 3)
    loss.backward()
    graph = draw(loss)
    shown = labels(graph)
    assert shown[box_of(graph, "v")] == "v (3,)\\nvalor = [1, 0, -1]\\ngrad = " + format_array(v.grad)
    assert v.grad.tolist() == [5.0, 7.0, 9.0]  # summed back over the broadcast rows
    assert shown[box_of(graph, "w")].startswith("w (2, 3)\\nvalor = [[1, 2, 3], [4, 5, 6]]")
    assert "SumBackward" in shown.values() and "MulBackward" in shown.values()


class Cube(torch.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x**3

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        return grad_output * 3 * x**2


def test_custom_function_appears_under_its_own_name_with_saved_values():
    x = torch.tensor(2.0, requires_grad=True)
    y = Cube.apply(x)
    before = draw(y, show_saved=True)
    assert "CubeBackward\\nguardado: 2" in before.source
    y.backward()
    after = draw(y, show_saved=True)
    assert "CubeBackward\\nguardado: liberados tras backward" in after.source
    assert f"grad = {format_number(x.grad.item())}" in labels(after)[box_of(after, "x")]
    assert x.grad.item() == 12.0


def test_long_tensors_are_summarized():
    x = torch.arange(100, dtype=torch.float32).requires_grad_()
    y = (x * 2).sum()
    shown = labels(draw(y))
    assert "x (100,)\\nvalor = media 49.5, de 0 a 99" in shown.values()


def test_a_tensor_without_graph_is_one_box_and_a_leaf_is_its_own_output():
    c = torch.tensor([1.0, 2.0])
    shown = labels(draw(c))
    assert list(shown) == ["out"]
    assert "sin grafo" in shown["out"]
    leaf = torch.tensor(3.0, requires_grad=True)
    graph = draw(leaf)
    assert list(labels(graph).values()) == ["leaf\\nvalor = 3"]
    assert edges(graph) == []


def test_highlight_and_done_mark_boxes():
    a = torch.tensor(2.0, requires_grad=True)
    b = torch.tensor(3.0, requires_grad=True)
    d = a * b + a
    graph = draw(d, highlight=d.grad_fn, done=[a])
    add_line = next(line for line in graph.source.splitlines() if "label=AddBackward" in line)
    a_line = next(line for line in graph.source.splitlines() if 'label="a\\n' in line)
    assert "penwidth=3" in add_line
    assert 'fillcolor="#bbf7d0"' in a_line


def test_english_labels():
    torch.set_language("en")
    a = torch.tensor(2.0, requires_grad=True)
    y = a * a
    assert "a\\nvalue = 2" in draw(y).source


def test_bad_arguments_raise_clear_errors():
    with pytest.raises(TypeError, match="expects a Tensor"):
        draw(3.0)
    with pytest.raises(ValueError, match="rankdir"):
        draw(torch.tensor(1.0), rankdir="up")


def test_format_numbers():
    assert format_number(4) == "4"
    assert format_number(0.123456) == "0.1235"
    assert format_number(float("nan")) == "nan"
    assert format_array(np.array([[1, 2], [3, 4]])) == "[[1, 2], [3, 4]]"
    assert format_array(np.array([0.5, 6.125, -0.25])) == "[0.5, 6.125, -0.25]"


# --------------------------------------------------------------------------- big graphs


class StandInModule:
    """The part of nn.Module the drawing uses: __call__ pushes itself on the engine's module stack."""

    def __init__(self, **children):
        self.children = children

    def __call__(self, *args):
        engine._module_stack.append(self)
        try:
            return self.forward(*args)
        finally:
            engine._module_stack.pop()

    def own_parameters(self):
        return {}

    def named_modules(self, prefix=""):
        yield prefix, self
        for name, child in self.children.items():
            yield from child.named_modules(f"{prefix}.{name}" if prefix else name)

    def named_parameters(self):
        for prefix, module in self.named_modules():
            for name, parameter in module.own_parameters().items():
                yield (f"{prefix}.{name}" if prefix else name), parameter


class Linear(StandInModule):
    def __init__(self, n_in, n_out):
        super().__init__()
        self.weight = (torch.randn(n_out, n_in) * 0.5).requires_grad_()
        self.bias = torch.zeros(n_out, requires_grad=True)

    def own_parameters(self):
        return {"weight": self.weight, "bias": self.bias}

    def forward(self, x):
        return x @ self.weight.T + self.bias


class ReLU(StandInModule):
    def forward(self, x):
        return x.relu()


class MLP(StandInModule):
    def __init__(self, sizes):
        layers = {}
        for i, (n_in, n_out) in enumerate(zip(sizes, sizes[1:])):
            layers[f"fc{i + 1}"] = Linear(n_in, n_out)
            if i < len(sizes) - 2:
                layers[f"act{i + 1}"] = ReLU()
        super().__init__(**layers)

    def forward(self, x):
        for layer in self.children.values():
            x = layer(x)
        return x


def test_mlp_graph_names_parameters_from_the_model_variable():
    torch.manual_seed(0)
    model = MLP([2, 4, 3])
    x = torch.randn(5, 2)
    loss = model(x).pow(2).mean()
    loss.backward()
    graph = draw(loss)
    shown = labels(graph)
    weight = box_of(graph, "model.fc1.weight")
    assert shown[weight].startswith("model.fc1.weight (4, 2)\\nvalor = media")
    assert "grad = media" in shown[weight]
    assert "MatMulBackward" in shown.values() and "ReluBackward" in shown.values()


def test_mlp_graph_collapses_by_module_beyond_the_node_cap():
    torch.manual_seed(0)
    model = MLP([2, 4, 4, 3])
    x = torch.randn(5, 2)
    loss = model(x).pow(2).mean()
    full = draw(loss)
    ops = [label for label in labels(full).values() if "Backward" in label]
    collapsed = draw(loss, max_nodes=8)
    shown = labels(collapsed)
    groups = [label for box, label in shown.items() if box.startswith("g")]
    assert len(groups) == 5  # fc1, act1, fc2, act2, fc3 (model itself is one level up)
    assert groups[0].startswith("model.fc3: Linear\\n")  # walk order: outputs first
    assert "weight (3, 4)" in groups[0] and "bias (3,)" in groups[0]
    assert "model.fc1.weight" not in collapsed.source  # parameters live inside their layer's box
    layer_ops = sum(int(re.search(r"(\d+) operaci", g).group(1)) for g in groups)
    assert "model.act1: ReLU\\n1 operación" in groups
    outside = [label for box, label in shown.items() if box.startswith("op")]
    assert layer_ops + len(outside) == len(ops)
    assert len(shown) < len(labels(full))


def test_without_modules_the_cap_leaves_a_more_box():
    x = torch.tensor(0.5, requires_grad=True)
    y = x
    for _ in range(5000):  # deep: the walk is iterative
        y = y * 1.0001
    graph = draw(y, max_nodes=20)
    shown = labels(graph)
    assert shown["more"] == "… 4980 operaciones más"
    assert sum(1 for box in shown if box.startswith("op")) == 20


def test_real_nn_mlp_collapses_by_block():
    nn = pytest.importorskip("autograd_lab.nn")
    torch.manual_seed(0)
    sizes = [2, 4, 4, 3]
    model = nn.Sequential(*[nn.Sequential(nn.Linear(n_in, n_out), nn.Tanh()) for n_in, n_out in zip(sizes, sizes[1:])])
    x = torch.randn(16, 2)
    loss = nn.functional.cross_entropy(model(x), torch.tensor([0, 1, 2, 0] * 4))
    loss.backward()
    full = draw(loss)
    assert "model.0.0.weight (4, 2)" in full.source
    assert "model.2.0.bias (3,)\\nvalor = " in full.source
    ops = [label for box, label in labels(full).items() if box.startswith("op")]
    collapsed = draw(loss, max_nodes=len(ops) - 1)  # one box per layer would be too many: one per block
    groups = [label for box, label in labels(collapsed).items() if box.startswith("g")]
    assert [g.split("\\n")[0] for g in groups] == ["model.2: Sequential", "model.1: Sequential", "model.0: Sequential"]
    assert "weight (4, 2)" in groups[2] and "bias (4,)" in groups[2]
    assert "model.0.0.weight" not in collapsed.source


# --------------------------------------------------------------------------- display


def test_repr_is_in_the_course_language_and_the_display_carries_svg_png_and_text():
    a = torch.tensor(2.0, requires_grad=True)
    d = a * a
    graph = draw(d)
    assert isinstance(graph, graphviz.Digraph) and isinstance(graph, GraphDrawing)
    assert repr(graph) == "<grafo de autograd_lab: d, 3 figuras>"  # in the course language
    torch.set_language("en")
    assert repr(graph) == "<autograd_lab graph: d, 3 shapes>"
    torch.set_language("es")
    data, metadata = graph._repr_mimebundle_()
    assert data["text/plain"] == "<grafo de autograd_lab: d, 3 figuras>"
    assert data["image/svg+xml"].startswith("<svg") and "valor = 2" in data["image/svg+xml"]
    png = base64.b64decode(data["image/png"])
    assert png.startswith(b"\x89PNG")
    # the PNG has twice the pixels of the size it is shown at (sharp on HiDPI screens)
    width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
    assert metadata["image/png"] == {"width": round(width / 2), "height": round(height / 2)}
    # the SVG is shown at the readable scale: its labels at about 11 px or more
    svg_width = float(re.search(r'<svg width="(\d+)px"', data["image/svg+xml"]).group(1))
    assert svg_width == pytest.approx(metadata["image/png"]["width"], abs=3)
    assert "application/vnd.jupyter.widget-view+json" not in data  # no kernel here: no live view


def test_graph_view_scrolls_at_a_readable_size_and_fits_on_request():
    x = torch.tensor(0.5, requires_grad=True)
    y = x
    for _ in range(40):
        y = (y * 1.01).sin()
    view = GraphView()
    view.show(draw(y, names={"x": x, "y": y}, rankdir="LR"))
    assert view.rendered
    width_px, _ = render.screen_size(view.svg)
    width_pt, _ = render.svg_size(view.svg)
    assert width_px == round(width_pt * render.PX_PER_PT) and width_px > 3000  # a long chain
    assert 10 * render.PX_PER_PT >= 11  # the smallest label (10 pt) at 11 px or more
    assert "overflow:auto" in view.html.value and "max-width:none" in view.html.value  # scrolls, not shrunk
    assert view.fit.layout.display != "none"  # a wide graph gets the "ver completo" toggle
    view.fit.value = True
    assert "max-width:100%;height:auto" in view.html.value and view.fit.description == "tamaño legible"
    small = GraphView()
    a = torch.tensor(2.0, requires_grad=True)
    small.show(draw(a * a, names={"a": a}))
    assert small.fit.layout.display == "none"


def test_smallest_label_font_is_ten_points():
    a = torch.tensor(2.0, requires_grad=True)
    d = (a * a).sin()
    d.backward()
    sizes = [float(size) for size in re.findall(r"fontsize=(\d+(?:\.\d+)?)", draw(d).source)]
    assert min(sizes) == 10


def test_auto_layout_keeps_small_graphs_left_to_right_and_turns_wide_ones_top_to_bottom():
    a = torch.tensor(2.0, requires_grad=True)
    b = torch.tensor(3.0, requires_grad=True)
    assert "rankdir=LR" in draw(a * b + a).source
    # many parallel branches of a few steps: too wide left to right, fine top to bottom
    x = torch.tensor(0.5, requires_grad=True)
    terms = [((x * float(k)).sin() * float(k)).exp() for k in range(1, 6)]
    total = terms[0]
    for term in terms[1:]:
        total = total + term
    graph = draw(total, names={"x": x, "total": total})
    assert "rankdir=TB" in graph.source
    # a very long chain stays left to right (it scrolls in its box instead of growing very tall)
    y = x
    for _ in range(60):
        y = y * 1.01
    assert "rankdir=LR" in draw(y, names={"x": x, "y": y}).source
    assert "rankdir=TB" in draw(a * b, rankdir="TB").source  # an explicit direction is kept


def test_missing_dot_shows_one_line_with_the_install_command_and_the_dot_source(monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))  # no dot anywhere
    monkeypatch.delenv("CONDA_PREFIX", raising=False)
    a = torch.tensor(2.0, requires_grad=True)
    graph = draw(a * a, names={"a": a})
    data, _ = graph._repr_mimebundle_()
    message, source = data["text/plain"].split("\n", 1)
    assert "dot" in message and "graphviz" in message
    assert source == graph.source
    assert "a\\nvalor = 2" in data["text/html"]
    view = GraphView()
    view.show(graph)
    assert not view.rendered and "<pre" in view.html.value
    assert f"Instálalo con: {dot_install_command()}" in view.html.value


def test_importing_the_library_does_not_load_the_drawing_stack():
    heavy = "('graphviz', 'ipywidgets', 'matplotlib')"
    code = f"import sys, autograd_lab; print(sorted(m for m in {heavy} if m in sys.modules))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


def test_figure_svg_is_the_same_on_every_run():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, axes = plt.subplots(figsize=(3, 2))
    axes.plot([0, 1, 2], [1, 0, 1], color="crimson")
    first = render.figure_svg(figure)
    second = render.figure_svg(figure)
    plt.close(figure)
    assert first.startswith("<svg")
    assert "<dc:date>" not in first  # a date would rewrite the stored notebooks on every run
    assert first == second

"""The widgets driven as a person would (sliders, buttons), reading what they show, without a browser."""

import base64
import math
import re

import pytest

import autograd_lab as torch
from autograd_lab import engine, numfmt
from autograd_lab.viz import BackwardStepper, GraphExplorer, SensitivityExplorer, TrainingMonitor
from autograd_lab.viz.doctor import dot_install_command
from autograd_lab.viz.graph import format_array, format_number


@pytest.fixture(autouse=True)
def spanish():
    torch.set_language("es")
    yield
    torch.set_language("es")


def lecture(a, b):
    return a * b + a


def box_label(dot, name):
    match = re.search(rf'label="{re.escape(name)}\\n(.*?)"', dot)
    assert match, (name, dot)
    return match.group(1)


# --------------------------------------------------------------------------- GraphExplorer


def test_graph_explorer_redraws_values_and_gradients_when_a_slider_moves():
    explorer = GraphExplorer(lecture, a=2.0, b=3.0)
    assert box_label(explorer.dot_source, "a") == "valor = 2\\ngrad = 4"
    assert box_label(explorer.dot_source, "lecture") == "valor = 8\\ngrad = 1"
    explorer.sliders["a"].value = 3.5
    assert box_label(explorer.dot_source, "a") == "valor = 3.5\\ngrad = 4"  # d(ab+a)/da = b + 1
    assert box_label(explorer.dot_source, "b") == "valor = 3\\ngrad = 3.5"  # d/db = a
    assert box_label(explorer.dot_source, "lecture") == "valor = 14\\ngrad = 1"
    assert "valor = 10.5\\ngrad = 1" in explorer.dot_source  # the intermediate a*b
    assert explorer.gradients == {"a": 4.0, "b": 3.5}
    assert explorer.table_rows == [("a", "3.5", "4"), ("b", "3", "3.5"), ("lecture", "14", "1")]
    assert "text-align:left'>3.5</td>" in explorer.table.value  # left-aligned, as the labels
    assert "<svg" in explorer.graph.html.value and "valor = 3.5" in explorer.graph.html.value
    assert explorer.message_text == ""


def test_graph_explorer_gradients_match_pytorch():
    real_torch = pytest.importorskip("torch")

    def f(x, y):
        return (x * y).sin() + y**2 / x

    explorer = GraphExplorer(f, x=1.5, y=-0.5)
    explorer.sliders["y"].value = 2.25
    x = real_torch.tensor(1.5, requires_grad=True)
    y = real_torch.tensor(2.25, requires_grad=True)
    f(x, y).backward()
    assert explorer.gradients["x"] == pytest.approx(x.grad.item(), rel=1e-5)
    assert explorer.gradients["y"] == pytest.approx(y.grad.item(), rel=1e-5)


def branchy(x):
    if x > 0:
        return x * x
    return x.sin()


def test_graph_changes_shape_when_the_slider_crosses_the_if_threshold():
    explorer = GraphExplorer(branchy, x=1.0)
    assert "MulBackward" in explorer.dot_source and "SinBackward" not in explorer.dot_source
    assert explorer.gradients == {"x": 2.0}
    explorer.sliders["x"].value = -0.5
    assert "SinBackward" in explorer.dot_source and "MulBackward" not in explorer.dot_source
    assert explorer.gradients["x"] == pytest.approx(math.cos(-0.5), rel=1e-6)


def new_boxes(dot):
    """Labels of the boxes marked as new (the purple border of ``draw(new=...)``)."""
    return [label for label, rest in re.findall(r'label="?([^" ]*)"? ([^\]]*)\]', dot) if "#6d28d9" in rest]


def test_graph_explorer_reports_what_appeared_and_vanished_when_the_if_flips():
    explorer = GraphExplorer(branchy, x=1.0)
    assert not explorer.change and explorer.note.value == "" and new_boxes(explorer.dot_source) == []
    explorer.sliders["x"].value = -0.5  # x > 0 is now false: the other branch
    assert explorer.change.added == ["SinBackward"] and explorer.change.removed == ["MulBackward"]
    assert explorer.change.note() == "el grafo cambió de rama: ahora `SinBackward` (antes `MulBackward`)"
    assert "el grafo cambió de rama" in explorer.note.value
    assert new_boxes(explorer.dot_source) == ["SinBackward"]  # the node that appeared is marked in the graph
    assert explorer.text_lines()[-1] == explorer.change.note()
    explorer.sliders["x"].value = -0.25  # same branch: nothing changed shape
    assert not explorer.change and explorer.note.value == "" and new_boxes(explorer.dot_source) == []
    explorer.sliders["x"].value = 0.75
    assert explorer.change.added == ["MulBackward"] and explorer.change.removed == ["SinBackward"]
    torch.set_language("en")
    assert explorer.change.note() == "the graph took another branch: now `MulBackward` (before `SinBackward`)"


def test_graph_grows_with_the_loop_count():
    def power(x, n=2.0):
        y = x
        for _ in range(int(n) - 1):
            y = y * x
        return y

    explorer = GraphExplorer(power, x=1.5, n=(2.0, 1.0, 6.0, 1.0))
    assert explorer.dot_source.count("MulBackward") == 1
    explorer.sliders["n"].value = 5.0
    assert explorer.dot_source.count("MulBackward") == 4
    assert explorer.gradients["x"] == pytest.approx(5 * 1.5**4, rel=1e-5)
    assert explorer.gradients["n"] is None  # n only counts the loop: it never enters the graph
    assert ("n", "5", "no interviene en este cálculo (grad = None)") in explorer.table_rows
    assert explorer.change.added == ["MulBackward"] * 3 and explorer.change.removed == []
    assert explorer.change.note() == "el grafo creció: aparece 3 × `MulBackward`"
    assert new_boxes(explorer.dot_source) == ["MulBackward"] * 3
    explorer.sliders["n"].value = 3.0
    assert explorer.change.note() == "el grafo se redujo: desaparece 2 × `MulBackward`"
    # a count reads as a count: "n = 3", not "n 3.00"
    assert explorer.sliders["n"].description == "n =" and explorer.sliders["n"].readout_format == ".0f"
    assert explorer.sliders["x"].readout_format == ".1f"  # default step 0.1
    assert repr(explorer) == "GraphExplorer(power, x=1.5, n=3)"


def test_graph_explorer_shows_errors_instead_of_raising():
    def broken(x):
        return x / "two"

    explorer = GraphExplorer(broken, x=1.0)
    assert explorer.message_text.startswith("Error al evaluar la función: TypeError")
    assert explorer.dot_source == ""
    explorer.sliders["x"].value = 2.0  # still alive
    assert explorer.message_text.startswith("Error")

    explorer = GraphExplorer(lambda x: 3, x=1.0)
    assert "la función debe devolver un tensor; devolvió int" in explorer.message_text

    explorer = GraphExplorer(lambda x: torch.tensor(2.0) * 3, x=1.0)
    assert "no depende de ninguna entrada" in explorer.message_text
    assert "valor = 6" in explorer.dot_source


def test_graph_explorer_rejects_bad_arguments():
    with pytest.raises(TypeError, match="has no parameter 'c'"):
        GraphExplorer(lecture, c=1.0)
    with pytest.raises(TypeError, match=r"takes \*args"):
        GraphExplorer(lambda *args: args[0], a=1.0)
    with pytest.raises(ValueError, match="outside its range"):
        GraphExplorer(lecture, a=(9.0, -1.0, 1.0))


def test_graph_explorer_in_english():
    torch.set_language("en")
    explorer = GraphExplorer(lecture, a=2.0, b=3.0)
    assert box_label(explorer.dot_source, "a") == "value = 2\\ngrad = 4"
    assert ">gradient</th>" in explorer.table.value


def test_graph_explorer_without_dot_shows_the_install_line_and_the_dot_source(monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.delenv("CONDA_PREFIX", raising=False)
    explorer = GraphExplorer(lecture, a=2.0, b=3.0)
    assert explorer.message_text.count("\n") == 0
    assert explorer.message_text.endswith(f"Instálalo con: {dot_install_command()}")
    assert "<pre" in explorer.graph.html.value and "digraph" in explorer.graph.html.value
    explorer.sliders["b"].value = 1.0
    assert box_label(explorer.dot_source, "a") == "valor = 2\\ngrad = 2"


def test_widget_display_bundle_carries_a_static_picture_and_the_readouts_as_text():
    explorer = GraphExplorer(lecture, a=2.0, b=3.0)
    data, metadata = explorer._repr_mimebundle_()
    assert data["text/plain"].splitlines() == [
        "GraphExplorer(lecture, a=2.0, b=3.0)",
        "entrada     valor       gradiente",
        "a           2           4",
        "b           3           2",
        "lecture     8           1",
    ]
    assert "application/vnd.jupyter.widget-view+json" in data  # the live widget, where a kernel runs it
    png = base64.b64decode(data["image/png"])  # the static picture: graph and table
    assert png.startswith(b"\x89PNG")
    assert metadata["image/png"]["width"] * 2 == pytest.approx(int.from_bytes(png[16:20], "big"), abs=1)


# --------------------------------------------------------------------------- SensitivityExplorer


def test_sensitivity_readouts_compare_the_real_and_predicted_change():
    explorer = SensitivityExplorer(lambda x: x**3, 1.0, dx_max=1.0)
    assert explorer.gradients == {"x": 3.0}
    explorer.sliders["x"].value = 0.5
    r = explorer.readouts["x"]
    assert r["real"] == pytest.approx(1.5**3 - 1)
    assert r["predicted"] == pytest.approx(3.0 * 0.5)
    assert r["gap"] == pytest.approx(r["real"] - r["predicted"])
    assert explorer.readout_lines == [
        f"x: grad = 3 · dx = 0.5 → real {format_number(1.5**3 - 1)}, predicho 1.5, "
        f"diferencia {format_number(1.5**3 - 1 - 1.5)}"
    ]
    assert explorer.plot_svg.startswith("<svg") and "diferencia" in explorer.plot_svg  # vector: sharp at any size
    assert "<svg" in explorer.plot.value
    data, metadata = explorer._repr_mimebundle_()
    assert data["text/plain"].splitlines()[1:] == explorer.readout_lines
    assert base64.b64decode(data["image/png"]).startswith(b"\x89PNG")


def test_prediction_is_good_for_small_dx_and_drifts_for_large_dx():
    explorer = SensitivityExplorer(lambda x: x.exp(), 0.0, dx_max=2.0)
    relative_gap = {}
    for dx in (0.02, 0.2, 2.0):
        explorer.sliders["x"].value = dx
        r = explorer.readouts["x"]
        relative_gap[dx] = abs(r["gap"]) / abs(r["real"])
    assert relative_gap[0.02] < 0.02 < relative_gap[0.2] < 0.2 < relative_gap[2.0]


def test_several_inputs_get_one_slider_and_one_readout_each_and_zero_gradient_is_explained():
    def f(w, b):
        return (w * 2.0).relu() + b * 0.0

    explorer = SensitivityExplorer(f, {"w": -1.0, "b": 0.5}, dx_max=0.5)
    assert list(explorer.sliders) == ["w", "b"]
    assert explorer.gradients == {"w": 0.0, "b": 0.0}
    assert all(line.endswith("— este parámetro no influye localmente") for line in explorer.readout_lines)
    explorer2 = SensitivityExplorer(lambda w, b: w * b, (2.0, 3.0))
    assert explorer2.gradients == {"w": 3.0, "b": 2.0}
    assert not any("no influye" in line for line in explorer2.readout_lines)
    torch.set_language("en")
    explorer.sliders["w"].value = 0.1
    assert explorer.readout_lines[0].endswith("— this parameter has no local influence")


def test_sensitivity_rejects_non_scalar_functions_and_bad_points():
    with pytest.raises(ValueError, match="one element"):
        SensitivityExplorer(lambda x: x * torch.ones(3), 1.0)
    with pytest.raises(ValueError, match="one number per parameter"):
        SensitivityExplorer(lambda w, b: w * b, 1.0)


# --------------------------------------------------------------------------- BackwardStepper


def make_lecture_graph():
    a = torch.tensor(2.0, requires_grad=True)
    b = torch.tensor(3.0, requires_grad=True)
    return a, b, a * b + a


def test_stepper_steps_are_the_engines_backward_steps():
    a, b, d = make_lecture_graph()
    stepper = BackwardStepper(d)
    # the same computation, traced independently
    a2, b2, d2 = make_lecture_graph()
    with engine.trace_backward() as reference:
        d2.backward()
    assert [view.node.name() for view in stepper.steps] == [step.node.name() for step in reference]
    for view, step in zip(stepper.steps, reference):
        assert [g.item() for g in view.received] == [g.item() for g in step.grad_outputs]
        assert [g.item() if g is not None else None for g in view.sent] == [
            g.item() if g is not None else None for g in step.grad_inputs
        ]
    assert a.grad.item() == a2.grad.item() == 4.0 and b.grad.item() == 3.0 - 1.0


def test_stepper_shows_the_accumulation_at_a_in_the_order_the_engine_delivered():
    a, b, d = make_lecture_graph()
    stepper = BackwardStepper(d)
    (a_step,) = [view for view in stepper.steps if view.node is a.grad_fn or getattr(view.node, "variable", None) is a]
    senders = [sender.name() for sender, _ in a_step.contributions]
    values = [grad.item() for _, grad in a_step.contributions]
    assert sorted(senders) == ["AddBackward", "MulBackward"]
    assert sorted(values) == [1.0, 3.0]
    assert sum(values) == a.grad.item() == a_step.grad_after.item()
    expected = f"a.grad = {format_number(values[0])} + {format_number(values[1])} = {format_number(a.grad.item())}"
    assert a_step.lines == [expected]
    # the delivery order is the order the engine ran the senders
    order = [view.node for view in stepper.steps]
    assert [order.index(sender) for sender, _ in a_step.contributions] == sorted(
        order.index(sender) for sender, _ in a_step.contributions
    )


def test_stepper_chain_rule_lines_and_seed():
    a, b, d = make_lecture_graph()
    stepper = BackwardStepper(d)
    first, mul = stepper.steps[0], next(v for v in stepper.steps if v.node.name() == "MulBackward")
    assert first.lines[0] == "gradiente inicial dd/dd = 1"
    assert "hacia a: derivada local 3 × entrante 1 = 3" in mul.lines  # local d(ab)/da = b
    assert "hacia b: derivada local 2 × entrante 1 = 2" in mul.lines
    assert mul.title == f"Paso {stepper.steps.index(mul) + 1} de 4: MulBackward"


def test_stepper_names_intermediate_tensors_from_the_callers_variables():
    a = torch.tensor(2.0, requires_grad=True)
    b = torch.tensor(3.0, requires_grad=True)
    c = a * b
    d = c + a
    stepper = BackwardStepper(d)
    assert "hacia c (MulBackward): derivada local 1 × entrante 1 = 1" in stepper.steps[0].lines
    assert stepper.steps[-1].lines == ["a.grad = 1 + 3 = 4"]  # Add delivers before Mul here
    assert [sender.name() for sender, _ in stepper.steps[-1].contributions] == ["AddBackward", "MulBackward"]


def test_stepper_counter_and_title_show_the_same_step():
    a, b, d = make_lecture_graph()
    stepper = BackwardStepper(d)
    total = len(stepper.steps)
    for index in range(total):
        stepper.go_to(index)
        shown = re.match(r"Paso (\d+) de (\d+): ", stepper.panel_lines[0])
        assert (int(shown.group(1)), int(shown.group(2))) == (stepper.slider.value, stepper.slider.max)
    assert (stepper.slider.min, stepper.slider.max) == (1, total) == (stepper.play.min, stepper.play.max)
    stepper.slider.value = 2
    assert stepper.panel_lines[0].startswith("Paso 2 de 4: ")


def test_stepper_highlights_the_step_in_the_graph_and_in_the_text():
    a, b, d = make_lecture_graph()
    stepper = BackwardStepper(d)
    stepper.go_to(1)  # MulBackward sends b to a and a to b
    view = stepper.steps[1]
    assert view.node.name() == "MulBackward"
    assert re.search(r"op\d+ \[label=MulBackward [^\]]*penwidth=3", stepper.dot_source)
    arrows = re.findall(r"^\t\w+ -> (\w+) \[([^\]]*)\]", stepper.dot_source, re.M)
    mul_box = re.search(r"^\t(op\d+) \[label=MulBackward", stepper.dot_source, re.M).group(1)
    highlighted = [attrs for head, attrs in arrows if "#ea580c" in attrs]
    assert len(highlighted) == 2 and all(head == mul_box for head, attrs in arrows if "#ea580c" in attrs)
    assert "← 3" in " ".join(highlighted) and "← 2" in " ".join(highlighted)  # what it sends, on the arrows
    # the panel names the node in the same colours as the graph's highlight
    assert "<span style='background:#fed7aa" in stepper.panel.value and ">MulBackward</span>" in stepper.panel.value
    data, _ = stepper._repr_mimebundle_()
    assert data["text/plain"].splitlines() == ["BackwardStepper(4 steps)", *stepper.panel_lines]


def test_stepper_keeps_one_direction_for_every_step():
    x = torch.tensor(0.5, requires_grad=True)
    terms = [((x * float(k)).sin() * float(k)).exp() for k in range(1, 6)]
    total = terms[0]
    for term in terms[1:]:
        total = total + term
    stepper = BackwardStepper(total)
    directions = set()
    for index in range(0, len(stepper.steps), 5):
        stepper.go_to(index)
        directions.add(re.search(r"rankdir=(\w+)", stepper.dot_source).group(1))
    assert len(directions) == 1


def test_stepper_buttons_play_and_highlight():
    a, b, d = make_lecture_graph()
    stepper = BackwardStepper(d)
    assert stepper.index == 0 and stepper.rendered == [0]
    assert re.search(r"op0 \[label=AddBackward [^\]]*penwidth=3", stepper.dot_source)
    assert "grad = " not in stepper.dot_source.split("out [")[0]  # nothing delivered to the leaves yet
    stepper.buttons["next"].click()
    stepper.buttons["next"].click()
    assert stepper.index == 2
    assert stepper.panel_lines == [stepper.steps[2].title, *stepper.steps[2].lines]
    assert re.search(r'op0 \[label=AddBackward [^\]]*fillcolor="#bbf7d0"', stepper.dot_source)  # done
    stepper.buttons["previous"].click()
    assert stepper.index == 1
    stepper.buttons["last"].click()
    assert stepper.index == 3
    stepper.buttons["next"].click()  # clamped at the last step
    assert stepper.index == 3
    assert f"grad = {format_number(a.grad.item())}" in stepper.dot_source
    stepper.buttons["first"].click()
    stepper.play.value = 3  # the play control moves the same step (counted from 1, as the title)
    assert stepper.index == 2
    assert stepper.rendered == [0, 1, 2, 1, 3, 0, 2]


def test_stepper_matches_pytorch_on_a_longer_expression():
    real_torch = pytest.importorskip("torch")
    a = torch.tensor(0.7, requires_grad=True)
    b = torch.tensor(-1.3, requires_grad=True)
    e = (a * b + a).sin() * b + a.exp()
    stepper = BackwardStepper(e)
    ta = real_torch.tensor(0.7, requires_grad=True)
    tb = real_torch.tensor(-1.3, requires_grad=True)
    ((ta * tb + ta).sin() * tb + ta.exp()).backward()
    leaf_steps = {view.node.variable: view for view in stepper.steps if view.node.name() == "AccumulateGrad"}
    assert leaf_steps[a].grad_after.item() == pytest.approx(ta.grad.item(), rel=1e-5)
    assert leaf_steps[b].grad_after.item() == pytest.approx(tb.grad.item(), rel=1e-5)
    assert len(leaf_steps[a].contributions) == 3  # a is used three times


def test_stepper_on_matrices_shows_tensor_lines():
    w = torch.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    x = torch.tensor([1.0, -1.0])
    y = (w @ x).sum()
    stepper = BackwardStepper(y, names={"w": w, "y": y})
    matmul = next(v for v in stepper.steps if v.node.name() == "MatMulBackward")
    assert (
        matmul.lines[1] == f"hacia w: producto vector-Jacobiano, formas (2,) → (2, 2); enviado {format_array(w.grad)}"
    )


def test_stepper_explains_a_freed_graph_and_keeps_a_retained_one():
    a, b, d = make_lecture_graph()
    d.backward()
    with pytest.raises(RuntimeError, match="retain_graph=True"):
        BackwardStepper(d)
    a, b, d = make_lecture_graph()
    d.backward(retain_graph=True)
    stepper = BackwardStepper(d)
    a_step = next(v for v in stepper.steps if getattr(v.node, "variable", None) is a)
    assert a_step.grad_before.item() == 4.0 and a_step.grad_after.item() == 8.0
    assert a_step.lines[0].startswith("a.grad = 4 (antes) + ")
    assert a_step.lines[0].endswith(" = 8")
    with pytest.raises(RuntimeError, match="requires_grad=True"):
        BackwardStepper(torch.tensor(1.0))


# --------------------------------------------------------------------------- TrainingMonitor


class TinyModel:
    """Logistic regression on 2-D points, with the Module API the monitor reads."""

    def __init__(self):
        self.weight = torch.zeros(2, 2, requires_grad=True)
        self.bias = torch.zeros(2, requires_grad=True)

    def __call__(self, x):
        return x @ self.weight + self.bias

    def named_parameters(self):
        return [("linear.weight", self.weight), ("linear.bias", self.bias)]


def test_training_monitor_headless_loop():
    torch.manual_seed(0)
    points = torch.cat([torch.randn(20, 2) + 2.0, torch.randn(20, 2) - 2.0])
    labels = torch.tensor([0] * 20 + [1] * 20)
    model = TinyModel()
    monitor = TrainingMonitor(boundary=(model, points, labels), model=model, refresh_every=5)
    for _step in monitor(range(20)):
        logits = model(points)
        loss = -(logits.log_softmax(dim=1)[torch.arange(40), labels]).mean()
        model.weight.grad = None
        model.bias.grad = None
        loss.backward()
        with torch.no_grad():
            model.weight -= 0.1 * model.weight.grad
            model.bias -= 0.1 * model.bias.grad
        accuracy = (logits.argmax(dim=1) == labels).float().mean()
        monitor.log(loss=loss, accuracy=accuracy)
    assert [step for step, _ in monitor.history["loss"]] == list(range(20))
    losses = [value for _, value in monitor.history["loss"]]
    assert losses[0] == pytest.approx(math.log(2)) and losses[-1] < losses[0]
    assert monitor.progress.value == monitor.progress.max == 20
    assert monitor.renders == 4 + 1  # every 5 steps, and once at the end
    assert monitor.status_text.startswith("paso 20/20 · pérdida ")
    assert f"exactitud {numfmt.percent(monitor.history['accuracy'][-1][1])}" in monitor.status_text
    assert list(monitor.grad_norms) == ["linear"]
    assert monitor.layer_labels == {}  # TinyModel has no named_modules: the legend uses the layer names
    assert monitor.grad_norms["linear"][0][1] > 0
    assert monitor.plot_svg.startswith("<svg")
    data, _ = monitor._repr_mimebundle_()
    assert data["text/plain"] == f"TrainingMonitor()\n{monitor.status_text}"
    assert base64.b64decode(data["image/png"]).startswith(b"\x89PNG")
    assert repr(monitor) == "TrainingMonitor()"


def test_training_monitor_without_a_loop_and_without_display():
    monitor = TrainingMonitor(display=True)  # no notebook here: nothing is displayed, nothing fails
    monitor.log(loss=1.0)
    monitor.log(loss=0.5)
    assert monitor.history["loss"] == [(0, 1.0), (1, 0.5)]
    for _ in monitor(iter([1, 2, 3])):  # no len(): progress shows "?"
        pass
    assert monitor.status_text.startswith("paso 3/? · pérdida 0.5")
    with pytest.raises(TypeError, match="named_parameters"):
        TrainingMonitor(model=object())


class FakeClock:
    """time.perf_counter for the monitor: the loop and each redraw advance it by what they would cost."""

    def __init__(self):
        self.now = 1000.0

    def perf_counter(self):
        return self.now


@pytest.mark.parametrize("redraw_seconds", [0.02, 1.5])
def test_training_monitor_redraws_about_once_a_second_and_never_most_of_the_time(monkeypatch, redraw_seconds):
    from autograd_lab.viz import render, widgets

    clock = FakeClock()
    monkeypatch.setattr(widgets, "time", clock)
    figure_svg = render.figure_svg
    redraw_time = []

    def slow_figure_svg(figure):  # a redraw as slow as on a loaded machine
        clock.now += redraw_seconds
        redraw_time.append(redraw_seconds)
        return figure_svg(figure)

    monkeypatch.setattr(render, "figure_svg", slow_figure_svg)
    monitor = TrainingMonitor(display=False)
    start = clock.now
    for step in monitor(range(200)):  # 200 steps of 50 ms: 10 s of training
        clock.now += 0.05
        monitor.log(loss=1.0 / (step + 1))
    total = clock.now - start
    assert monitor.renders == len(redraw_time)
    if redraw_seconds < 0.1:  # a quick redraw: about once a second, and at the end
        assert 9 <= monitor.renders <= 12, monitor.renders
    else:  # a slow one: still a few redraws during the loop, but most of the time goes to training
        assert 3 <= monitor.renders <= 5, monitor.renders
    # a quarter of the time at most, besides the first redraw (at once) and the last (at the end)
    assert sum(redraw_time) <= 0.25 * total + 2 * redraw_seconds, (sum(redraw_time), total)


def test_decision_boundary_needs_two_dimensional_points():
    from autograd_lab.viz import plots

    figure, (ax,) = plots.new_figure()
    with pytest.raises(ValueError, match=r"shape \(N, 2\), got shape \(4, 3\)"):
        plots.decision_boundary(ax, lambda x: x, torch.zeros(4, 3), torch.zeros(4))


def test_training_monitor_legend_names_layers_in_words():
    nn = pytest.importorskip("autograd_lab.nn")
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(2, 4), nn.ReLU(), nn.Linear(4, 2))
    monitor = TrainingMonitor(model=model, refresh_every=1)
    x, y = torch.randn(8, 2), torch.tensor([0, 1] * 4)
    for _ in monitor(range(2)):
        loss = nn.functional.cross_entropy(model(x), y)
        model.zero_grad()
        loss.backward()
        monitor.log(loss=loss, accuracy=1.0)
    assert monitor.layer_labels["0"] == "capa 0 (Linear)" and monitor.layer_labels["2"] == "capa 2 (Linear)"
    assert "capa 0 (Linear)" in monitor.plot_svg and "capa 2 (Linear)" in monitor.plot_svg
    assert "exactitud 100%" in monitor.status_text  # a fraction shown as a percentage, like the lessons


def three_panel_monitor():
    """A monitor with its three panels: loss and accuracy, the decision boundary, the gradient norms."""
    nn = pytest.importorskip("autograd_lab.nn")
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(2, 4), nn.ReLU(), nn.Linear(4, 2))
    x, y = torch.randn(8, 2), torch.tensor([0, 1] * 4)
    monitor = TrainingMonitor(boundary=(model, x, y), model=model, refresh_every=1, display=False)
    for _ in monitor(range(3)):
        loss = nn.functional.cross_entropy(model(x), y)
        model.zero_grad()
        loss.backward()
        monitor.log(loss=loss, accuracy=0.5)
    return monitor


def test_training_monitor_three_panels_fit_a_cell_with_every_text_readable():
    monitor = three_panel_monitor()
    width_pt = float(re.search(r'<svg[^>]* width="([\d.]+)pt"', monitor.plot_svg).group(1))
    # JupyterLab's output area is 848 px wide in a 1280 px window: the plots fit it without shrinking
    assert width_pt * 4 / 3 <= 848
    sizes = [float(size) for size in re.findall(r"font-size: ([\d.]+)px", monitor.plot_svg)]
    assert sizes and min(sizes) >= 8  # 8 pt = 10.7 px on screen: the legend, the smallest text
    assert "times10" not in monitor.plot_svg  # log-axis ticks written like every other number, not 2x10^-1
    figure = monitor._figure
    renderer = figure.canvas.get_renderer()
    loss, boundary, norms, accuracy = figure.axes  # the accuracy axis is the loss axes' twin, made last

    def extent(*axes):
        boxes = [ax.get_tightbbox(renderer) for ax in axes]
        return min(box.x0 for box in boxes), max(box.x1 for box in boxes)

    assert extent(loss, accuracy)[1] < extent(boundary)[0]  # 'exactitud' clear of the next panel's numbers
    assert extent(boundary)[1] < extent(norms)[0]


def test_training_monitor_picture_carries_the_readout_above_the_plots_and_leaves_the_figure_as_it_was(monkeypatch):
    from autograd_lab.viz.render import HEADER_INCHES

    monitor = three_panel_monitor()
    figure = monitor._figure
    size, margins = tuple(figure.get_size_inches()), (figure.subplotpars.top, figure.subplotpars.bottom)
    savefig, seen = figure.savefig, {}

    def measuring_savefig(*args, **kwargs):  # where the readout and the panel titles sit in the picture
        figure.draw_without_rendering()
        renderer = figure.canvas.get_renderer()
        (header,) = [text for text in figure.texts if text.get_text() == monitor.status_text]
        seen["header"] = header.get_window_extent(renderer)
        seen["titles"] = [ax.title.get_window_extent(renderer) for ax in figure.axes if ax.get_title()]
        return savefig(*args, **kwargs)

    monkeypatch.setattr(figure, "savefig", measuring_savefig)
    picture = monitor.picture()
    assert len(seen["titles"]) == 2 and all(seen["header"].y0 > title.y1 for title in seen["titles"])
    assert (picture.width, picture.height) == (round(size[0] * 96), round((size[1] + HEADER_INCHES) * 96))
    assert tuple(figure.get_size_inches()) == size  # the live figure is left as it was
    assert (figure.subplotpars.top, figure.subplotpars.bottom) == margins and not figure.texts


def test_a_dot_that_cannot_write_png_leaves_the_live_view_and_the_text(monkeypatch):
    import graphviz

    from autograd_lab.viz import render

    def no_png(*args, **kwargs):
        raise graphviz.CalledProcessError(1, ["dot", "-Tpng"], stderr="Format: png not recognized")

    monkeypatch.setattr(render, "graph_picture", no_png)
    explorer = GraphExplorer(lecture, a=2.0, b=3.0)
    data, metadata = explorer._repr_mimebundle_()
    assert "image/png" not in data and metadata == {}
    assert data["text/plain"].startswith("GraphExplorer(lecture") and "application/vnd.jupyter.widget-view+json" in data
    a = torch.tensor(2.0, requires_grad=True)
    data, _ = torch.viz.draw(a * a, names={"a": a})._repr_mimebundle_()
    assert "image/png" not in data and data["image/svg+xml"].startswith("<svg")

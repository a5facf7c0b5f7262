"""draw() and BackwardStepper on graphs of other engines: Valor, a micrograd-style Value, a student's tensor class."""

import re
import subprocess
import sys

import numpy as np
import pytest

import autograd_lab as torch
from autograd_lab.course.valor import Valor
from autograd_lab.viz import BackwardStepper, draw
from autograd_lab.viz import protocol


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


def walk_and_accumulate(output):
    """A student's backward for Valor: topological order, then grad += local * grad of the user."""
    order, seen, stack = [], set(), [(output, False)]
    while stack:
        node, expanded = stack.pop()
        if expanded:
            order.append(node)
        elif id(node) not in seen:
            seen.add(id(node))
            stack.append((node, True))
            stack.extend((child, False) for child in reversed(node.entradas))
    output.grad = 1.0
    for node in reversed(order):
        for child, local in zip(node.entradas, node.locales):
            child.grad += local * node.grad


# --------------------------------------------------------------------------- Valor (the course's scalar node)


def test_draw_valor_graph_names_values_ops_and_the_two_uses_of_a():
    a, b = Valor(2.0), Valor(3.0)
    c = a * b
    d = c + a
    graph = draw(d)
    shown = labels(graph)
    assert shown["out"] == "d\\nvalor = 8\\ngrad = 0"
    by_name = {label.split("\\n")[0]: box for box, label in shown.items()}
    assert shown[by_name["a"]] == "a\\nvalor = 2\\ngrad = 0"
    assert shown[by_name["c"]] == "c\\nvalor = 6\\ngrad = 0"
    ops = {box: label for box, label in shown.items() if box.startswith("op")}
    assert sorted(ops.values()) == ["*", "+"]
    # a feeds both operations: two arrows leave its box
    a_targets = sorted(shown[target] for source, target in edges(graph) if source == by_name["a"])
    assert a_targets == ["*", "+"]
    assert ("op0", "out") in edges(graph)
    assert repr(graph).endswith("d, 6 figuras>")


def test_draw_valor_after_a_student_backward_shows_the_grads_it_wrote():
    a, b = Valor(2.0), Valor(3.0)
    d = a * b + a
    walk_and_accumulate(d)
    shown = labels(draw(d, names={"a": a, "b": b, "d": d}))
    by_name = {label.split("\\n")[0]: label for label in shown.values()}
    assert by_name["a"].endswith("grad = 4")  # b + 1: the two paths add up
    assert by_name["b"].endswith("grad = 2")
    assert by_name["d"].endswith("grad = 1")


def test_stepper_on_valor_steps_through_each_grad_the_student_wrote():
    a, b = Valor(2.0), Valor(3.0)
    c = a * b
    d = c + a
    stepper = BackwardStepper(d, backward=walk_and_accumulate)
    assert [step.title for step in stepper.steps] == [
        "Paso 1 de 5: d.grad",
        "Paso 2 de 5: c.grad",
        "Paso 3 de 5: a.grad",
        "Paso 4 de 5: a.grad",
        "Paso 5 de 5: b.grad",
    ]
    assert stepper.steps[3].lines == ["a.grad: 1 → 4"]  # the second path adds to the first
    assert a.grad == 4.0 and b.grad == 2.0  # the student's backward really ran
    assert "__setattr__" not in Valor.__dict__  # the recording is undone
    stepper.go_to(2)
    a_line = next(line for line in stepper.dot_source.splitlines() if 'label="a\\n' in line)
    assert "grad = 1" in a_line and "penwidth=3" in a_line  # a's grad as of step 3, highlighted
    b_line = next(line for line in stepper.dot_source.splitlines() if 'label="b\\n' in line)
    assert "grad = 0" in b_line  # b is reached later


def test_stepper_on_another_engine_explains_what_is_missing():
    a = Valor(2.0)
    d = a * a
    with pytest.raises(TypeError, match="backward=my_backward"):
        BackwardStepper(d)  # Valor has no backward(): the walk is the exercise
    with pytest.raises(RuntimeError, match="did not assign any .grad"):
        BackwardStepper(d, backward=lambda output: None)
    assert "__setattr__" not in Valor.__dict__


# --------------------------------------------------------------------------- a micrograd-style Value


class Value:
    """A scalar with micrograd's attribute names: children in a set ``_prev``, ``_op``, ``label``."""

    def __init__(self, data, children=(), op="", label=""):
        self.data, self.grad = data, 0.0
        self._prev, self._op, self.label = set(children), op, label
        self._backward = lambda: None

    def __add__(self, other):
        out = Value(self.data + other.data, (self, other), "+")

        def backward():
            self.grad += out.grad
            other.grad += out.grad

        out._backward = backward
        return out

    def __mul__(self, other):
        out = Value(self.data * other.data, (self, other), "*")

        def backward():
            self.grad += other.data * out.grad
            other.grad += self.data * out.grad

        out._backward = backward
        return out

    def backward(self):
        order = [view.node for view in protocol.topological_order(self)]  # output first
        self.grad = 1.0
        for node in order:
            node._backward()


def test_draw_micrograd_value_uses_labels_and_a_fixed_order_for_set_children():
    x = Value(2.0, label="x")
    w = Value(-3.0, label="w")
    bias = Value(1.0, label="bias")
    out = x * w + bias
    out.label = "out"
    graph = draw(out)
    shown = labels(graph)
    assert shown["out"] == "out\\nvalor = -5\\ngrad = 0"
    assert "x\\nvalor = 2\\ngrad = 0" in shown.values()
    assert sorted(label for box, label in shown.items() if box.startswith("op")) == ["*", "+"]
    # the inputs of "+" come from a set; they are ordered by label, so the drawing is stable
    view = protocol.read_node(out)
    assert [child.label for child in view.inputs] == ["", "bias"]
    assert draw(out).source == graph.source


def test_stepper_runs_a_micrograd_value_backward_method_by_default():
    x, w = Value(2.0, label="x"), Value(-3.0, label="w")
    out = x * w
    out.label = "out"
    stepper = BackwardStepper(out)
    # micrograd's "*" backward writes self.grad, then other.grad: x before w
    assert [step.lines[0] for step in stepper.steps] == [
        "out.grad: 0 → 1",
        "x.grad: 0 → -3",
        "w.grad: 0 → 2",
    ]
    assert stepper.slider.max == len(stepper.steps)


# --------------------------------------------------------------------------- a student-style tensor class


class Creator:
    """What a student's tensor keeps of the operation that made it: the inputs."""

    def __init__(self, *inputs):
        self.inputs = inputs


class Mul(Creator):
    pass


class Sum(Creator):
    pass


class StudentTensor:
    def __init__(self, data, grad_fn=None):
        self.data = np.asarray(data, dtype=np.float64)
        self.grad = None
        self.grad_fn = grad_fn

    def __mul__(self, other):
        return StudentTensor(self.data * other.data, Mul(self, other))

    def sum(self):
        return StudentTensor(self.data.sum(), Sum(self))


def test_draw_student_tensor_graph_shows_shapes_and_op_names_from_the_creator():
    w = StudentTensor([[1.0, 2.0], [3.0, 4.0]])
    x = StudentTensor([[0.5, -1.0], [2.0, 0.0]])
    loss = (w * x).sum()
    w.grad = np.array([[0.5, -1.0], [2.0, 0.0]])  # as a student's backward would leave it
    graph = draw(loss, names={"w": w, "x": x, "loss": loss})
    shown = labels(graph)
    assert shown["out"] == "loss\\nvalor = 4.5"  # no grad yet: None is not shown
    assert "w (2, 2)\\nvalor = [[1, 2], [3, 4]]\\ngrad = [[0.5, -1], [2, 0]]" in shown.values()
    assert sorted(label for box, label in shown.items() if box.startswith("op")) == ["Mul", "Sum"]
    assert "(2, 2)\\nvalor = [[0.5, -2], [6, 0]]" in shown.values()  # the unnamed product


def test_stepper_on_student_tensors_sees_in_place_array_updates():
    w = StudentTensor([1.0, 2.0])
    loss = (w * w).sum()

    def backward(output):
        output.grad = np.ones(())
        product = output.grad_fn.inputs[0]
        product.grad = np.ones(2) * output.grad
        w.grad = np.zeros(2)
        for factor in product.grad_fn.inputs:
            other = product.grad_fn.inputs[1] if factor is product.grad_fn.inputs[0] else factor
            factor.grad += other.data * product.grad  # in place on the same array, then assigned

    stepper = BackwardStepper(loss, backward=backward, names={"w": w, "loss": loss})
    lines = [step.lines[0] for step in stepper.steps]
    assert lines[-2:] == ["w.grad: [0, 0] → [1, 2]", "w.grad: [1, 2] → [2, 4]"]


# --------------------------------------------------------------------------- the protocol itself


def test_objects_outside_the_protocol_get_a_clear_error():
    with pytest.raises(TypeError, match="expects a Tensor or a node of another autograd engine, got float"):
        draw(3.0)

    class NoInputs:
        data, grad = 1.0, 0.0

    with pytest.raises(TypeError, match="`entradas`, `_prev`"):
        draw(NoInputs())
    assert not protocol.is_graph_node(np.zeros(3))


def test_deep_chain_of_another_engine_is_walked_without_recursion_and_capped():
    x = Valor(1.0)
    y = x
    for _ in range(3000):
        y = y * 1.0
    graph = draw(y, names={"x": x, "y": y}, max_nodes=10)
    shown = labels(graph)
    assert shown["more"] == "… 5991 nodos más"
    assert sum(1 for box in shown if box.startswith("n")) == 9


def test_the_drawing_layer_does_not_import_the_course():
    code = "import sys, autograd_lab.viz.widgets, autograd_lab.viz.graph; print('autograd_lab.course' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"

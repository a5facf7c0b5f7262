"""The teaching widgets: GraphExplorer, SensitivityExplorer, BackwardStepper, TrainingMonitor.

Each widget keeps what it shows in its own state (``dot_source``, readout
strings, the steps of backward), so it can be driven and read without a
browser, exactly as a person would see it.  They hold no math: every value and
gradient comes from the library (forward, ``backward()`` and the engine's
traces).
"""

from __future__ import annotations

import difflib
import html
import inspect
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import graphviz
import ipywidgets as widgets

from .. import engine, numfmt
from ..i18n import t
from ..engine import AccumulateGrad, Node, TraceStep
from ..nn.utils import grad_norm_per_layer
from ..dtypes import float64
from ..factories import tensor
from ..tensor import Tensor
from . import plots, protocol, render
from .graph import (
    GraphDrawing,
    _format_any,
    _Names,
    draw,
    draw_nodes,
    format_array,
    format_number,
    missing_dot_message,
    names_in_frame,
    variables_in_frame,
)
from .view import GraphView, bundle

_POSITIONAL = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)


class _Widget:
    """Shows ``self.widget`` live when displayed, with a static picture and the readouts as text beside it.

    Subclasses give ``picture()`` (a PNG of what the widget shows now) and
    ``text_lines()`` (its readouts); the display bundle carries the live view,
    the PNG and the text, so the widget shows something useful where widgets do
    not run (a notebook JupyterLab has not run, GitHub, nbviewer).
    """

    widget: widgets.Box

    def picture(self) -> render.Picture | None:
        """A PNG of the widget's current state (None: nothing to picture)."""
        return None

    def text_lines(self) -> list[str]:
        """The widget's readouts as plain text."""
        return []

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None, **kwargs: Any) -> Any:
        try:
            picture = self.picture()
        except (graphviz.ExecutableNotFound, graphviz.CalledProcessError):  # no dot, or a dot without PNG
            picture = None
        return bundle("\n".join([repr(self), *self.text_lines()]), picture, live=self.widget)


def _parameter_names(fn: Callable[..., Any], given: Iterable[str] = ()) -> list[str]:
    """The names of ``fn``'s parameters; each becomes one input (a slider)."""
    try:
        parameters = inspect.signature(fn).parameters.values()
    except (TypeError, ValueError):
        raise TypeError(f"cannot read the parameters of {fn!r}; pass a Python function of tensors") from None
    names = []
    for parameter in parameters:
        if parameter.kind in (inspect.Parameter.VAR_POSITIONAL, inspect.Parameter.VAR_KEYWORD):
            raise TypeError(
                f"{_function_name(fn)} takes *{parameter.name}; give it one named parameter per input, "
                "e.g. def f(a, b): ..."
            )
        names.append(parameter.name)
    unknown = [name for name in given if name not in names]
    if unknown:
        raise TypeError(
            f"{_function_name(fn)} has no parameter {unknown[0]!r}; its parameters are {', '.join(names) or 'none'}"
        )
    if not names:
        raise TypeError(f"{_function_name(fn)} takes no parameters; it needs at least one input to explore")
    return names


def _function_name(fn: Callable[..., Any]) -> str:
    return getattr(fn, "__name__", type(fn).__name__)


def _call(fn: Callable[..., Any], names: Sequence[str], inputs: Mapping[str, Any]) -> Any:
    """``fn`` called with one argument per parameter (positional-only ones included)."""
    kinds = {name: p.kind for name, p in inspect.signature(fn).parameters.items()}
    positional = [inputs[name] for name in names if kinds[name] in _POSITIONAL]
    keyword = {name: inputs[name] for name in names if kinds[name] not in _POSITIONAL}
    return fn(*positional, **keyword)


# --------------------------------------------------------------------------- GraphExplorer


def _slider(name: str, spec: Any) -> widgets.FloatSlider:
    """A slider from a start value, or from ``(value, min, max)`` / ``(value, min, max, step)``.

    Its readout shows as many decimals as the step has: a count (step 1) reads ``n = 3``.
    """
    if isinstance(spec, (tuple, list)):
        if len(spec) not in (3, 4):
            raise ValueError(f"{name}={spec!r}: give a number or (value, min, max[, step])")
        value, low, high = (float(v) for v in spec[:3])
        step = float(spec[3]) if len(spec) == 4 else (high - low) / 100
    else:
        value = float(spec)
        low, high, step = min(-5.0, value - 1.0), max(5.0, value + 1.0), 0.1
    if not low <= value <= high:
        raise ValueError(f"{name}: start value {value} is outside its range [{low}, {high}]")
    return widgets.FloatSlider(
        value=value,
        min=low,
        max=high,
        step=step,
        description=f"{name} =",
        readout_format=f".{_decimals(step)}f",
        continuous_update=True,
        style={"description_width": "initial"},
    )


def _decimals(step: float) -> int:
    """Decimals needed to show multiples of ``step``: 1 -> 0, 0.1 -> 1, 0.25 -> 2 (at most 4)."""
    for decimals in range(5):
        if abs(round(step, decimals) - step) < 1e-9 * max(1.0, abs(step)):
            return decimals
    return 4


@dataclass
class GraphChange:
    """How the graph changed since the previous value: operations that appeared and that vanished."""

    added: list[str] = field(default_factory=list)  # operation names, in the drawing's order
    removed: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.added or self.removed)

    def note(self) -> str:
        """One line for the student: ``el grafo cambió de rama: ahora NegBackward (antes LogBackward)``."""
        if not self:
            return ""
        now, before = _counted(self.added), _counted(self.removed)
        if set(self.added) != set(self.removed) and self.added and self.removed:
            return t("viz.change_branch", now=now, before=before)
        if self.added and self.removed:
            return t("viz.change_both", now=now, before=before)
        return t("viz.change_added", now=now) if self.added else t("viz.change_removed", before=before)


def _counted(names: Sequence[str]) -> str:
    counts: dict[str, int] = {}
    for name in names:
        counts[name] = counts.get(name, 0) + 1
    return ", ".join(f"`{name}`" if n == 1 else f"{n} × `{name}`" for name, n in counts.items())


class GraphExplorer(_Widget):
    """A slider per scalar input of ``fn``; each change reruns forward and backward and redraws the graph.

    ``GraphExplorer(lambda a, b: a * b + a, a=2.0, b=3.0)``.  A start value may be
    ``(value, min, max)`` or ``(value, min, max, step)``; inputs left out start at
    their default in ``fn`` or at 1.0.  ``fn`` may use any Python control flow:
    when it changes the graph, the drawing changes with it, the operations that
    appeared are marked, and one line says what changed (``change``).
    """

    def __init__(self, fn: Callable[..., Any], **start_values: Any) -> None:
        self.fn = fn
        self.input_names = _parameter_names(fn, start_values)
        defaults = {name: p.default for name, p in inspect.signature(fn).parameters.items()}
        self.sliders = {
            name: _slider(name, start_values.get(name, _numeric_default(defaults.get(name))))
            for name in self.input_names
        }
        self.output_name = self._output_name()
        self.graph = GraphView()
        self.table = widgets.HTML()
        self.note = widgets.HTML()
        self.message = widgets.HTML()
        self.message_text = ""
        self.output_value: str | None = None
        self.gradients: dict[str, float | None] = {}
        self.table_rows: list[tuple[str, str, str]] = []
        self.change = GraphChange()
        self._operations: list[str] | None = None  # the op names of the graph on display, in walk order
        self._drawing: GraphDrawing | None = None
        controls = widgets.HBox(
            [widgets.VBox(list(self.sliders.values())), self.table], layout=widgets.Layout(align_items="flex-start")
        )
        self.widget = widgets.VBox([controls, self.note, self.graph.widget, self.message])
        for slider in self.sliders.values():
            slider.observe(self._on_change, names="value")
        self._render()

    @property
    def dot_source(self) -> str:
        """The DOT source of the graph on display."""
        return self.graph.dot_source

    def __repr__(self) -> str:
        values = ", ".join(f"{name}={_slider_text(s)}" for name, s in self.sliders.items())
        return f"GraphExplorer({_function_name(self.fn)}, {values})"

    def text_lines(self) -> list[str]:
        header = (t("viz.input"), t("viz.value"), t("viz.gradient"))
        lines = [_text_row(header), *(_text_row(row) for row in self.table_rows)]
        return lines + [line for line in (self.change.note(), self.message_text) if line]

    def picture(self) -> render.Picture | None:
        if self._drawing is None or not self.graph.rendered:
            return None
        header = [t("viz.input"), t("viz.value"), t("viz.gradient")]
        rows = [header, *map(list, self.table_rows)]
        return render.graph_picture(self._drawing, rows, bold_first=True, svg=self.graph.svg)

    def _output_name(self) -> str:
        name = _function_name(self.fn)
        if name.isidentifier() and name not in self.input_names:
            return name
        return t("viz.output")

    def _on_change(self, change: Any) -> None:
        self._render()

    def _run(self) -> tuple[dict[str, Tensor], Any, list[Any], list[TraceStep] | None, str]:
        """Forward and backward on the sliders' values: (inputs, output, forward trace, backward trace, problem)."""
        inputs = {name: tensor(slider.value, requires_grad=True) for name, slider in self.sliders.items()}
        try:
            with engine.trace_forward() as records:
                output = _call(self.fn, self.input_names, inputs)
        except Exception as error:  # the student's function failed: say why, keep the widget alive
            return inputs, None, [], None, t("viz.error", error=f"{type(error).__name__}: {error}")
        if not isinstance(output, Tensor):
            return inputs, None, records, None, t("viz.not_tensor", kind=type(output).__name__)
        if not output.requires_grad:
            return inputs, output, records, None, t("viz.no_grad_output")
        try:
            with engine.trace_backward() as steps:
                output.backward()
        except RuntimeError as error:
            return inputs, output, records, None, t("viz.error", error=str(error))
        return inputs, output, records, steps, ""

    def _render(self) -> None:
        inputs, output, records, steps, problem = self._run()
        graph = None
        if output is not None:
            names = {**inputs, self.output_name: output}
            operations = _operations(output)
            added = self._compare(operations)
            graph = draw(output, names=names, backward_trace=steps, forward_trace=records, new=added)
        self._drawing = graph
        self.graph.show(graph, problem)
        self.output_value = format_array(output._data) if output is not None else None
        self.gradients = {name: _grad_value(x) for name, x in inputs.items()} if steps is not None else {}
        self.table_rows = [self._row(name, inputs[name]) for name in self.input_names]
        if output is not None:
            seed = format_array(steps[0].grad_outputs[0]) if steps else ""  # d output / d output, as backward began
            self.table_rows.append((self.output_name, self.output_value or "", seed))
        self.table.value = _html_table((t("viz.input"), t("viz.value"), t("viz.gradient")), self.table_rows)
        note = self.change.note()
        self.note.value = f'<span style="{_NOTE_STYLE}">{_code_spans(note)}</span>' if note else ""
        lines = [problem] if problem else []
        if graph is not None and not self.graph.rendered:
            lines.append(missing_dot_message())
        self.message_text = "\n".join(lines)
        self.message.value = "<br>".join(f'<span style="color:#b45309">{_escape(line)}</span>' for line in lines)

    def _compare(self, operations: list[tuple[Node, str]]) -> list[Node]:
        """Set ``change`` from the previous graph to this one; return the nodes that appeared."""
        names = [name for _, name in operations]
        previous, self._operations = self._operations, names
        if previous is None or previous == names:
            self.change = GraphChange()
            return []
        added: list[Node] = []
        change = GraphChange()
        matcher = difflib.SequenceMatcher(a=previous, b=names, autojunk=False)
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            if tag in ("replace", "delete"):
                change.removed.extend(previous[i1:i2])
            if tag in ("replace", "insert"):
                change.added.extend(names[j1:j2])
                added.extend(node for node, _ in operations[j1:j2])
        self.change = change
        return added

    def _row(self, name: str, x: Tensor) -> tuple[str, str, str]:
        if name not in self.gradients:
            return name, format_array(x._data), ""
        grad = self.gradients[name]
        return name, format_array(x._data), format_number(grad) if grad is not None else t("viz.not_used")


def _plot_layout() -> widgets.Layout:
    """A plot's box: a block as wide as the cell (not wider), so the figure inside shrinks or scrolls to fit."""
    return widgets.Layout(display="block", width="100%", min_width="0")


_NOTE_STYLE = "background:#ede9fe;color:#4c1d95;border-radius:4px;padding:1px 6px"  # as the marks on new nodes


def _code_spans(text: str) -> str:
    """HTML of ``text`` with its `quoted` names as code."""
    parts = _escape(text).split("`")
    return "".join(f"<code>{part}</code>" if i % 2 else part for i, part in enumerate(parts))


def _operations(output: Tensor) -> list[tuple[Node, str]]:
    """The operations behind ``output`` in the engine's walk order, with their names (leaves left out)."""
    return [(node, node.name()) for node in engine.iter_graph(output) if not isinstance(node, AccumulateGrad)]


def _slider_text(slider: widgets.FloatSlider) -> str:
    return format(slider.value, slider.readout_format)


def _text_row(cells: Sequence[str]) -> str:
    return "  ".join(f"{cell:<10}" for cell in cells).rstrip()


def _numeric_default(default: Any) -> float:
    if isinstance(default, (int, float)) and not isinstance(default, bool):
        return float(default)
    return 1.0


def _grad_value(x: Tensor) -> float | None:
    return None if x.grad is None else float(x.grad.item())


def _escape(text: str) -> str:
    return html.escape(text)


def _html_table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    cell = "padding:2px 10px;text-align:left"
    cells = "".join(f"<th style='{cell}'>{_escape(h)}</th>" for h in header)
    body = "".join("<tr>" + "".join(f"<td style='{cell}'>{_escape(c)}</td>" for c in row) + "</tr>" for row in rows)
    return f"<table style='border-collapse:collapse'><tr>{cells}</tr>{body}</table>"


# --------------------------------------------------------------------------- SensitivityExplorer


class SensitivityExplorer(_Widget):
    """The gradient as local sensitivity: real change ``f(x0+dx) - f(x0)`` against ``grad * dx``.

    ``x0`` is a number (one input), or one number per parameter of ``fn`` (a
    sequence, or a mapping by name).  One ``dx`` slider per input, in
    ``[-dx_max, dx_max]``; for each input the plot shows ``fn`` along that input
    with the tangent line from autograd's gradient.
    """

    def __init__(
        self,
        fn: Callable[..., Any],
        x0: Any,
        *,
        dx_max: float = 1.0,
        dx: float | None = None,
        points: int = 81,
    ) -> None:
        if not dx_max > 0:
            raise ValueError(f"dx_max must be positive, got {dx_max}")
        self.fn = fn
        self.names = _parameter_names(fn)
        self.x0 = self._start_point(x0)
        self.value, self.gradients = self._gradient_at_start()
        self.curves = {name: self._curve(name, dx_max, points) for name in self.names}
        start = dx_max / 2 if dx is None else float(dx)
        step = dx_max / 100
        self.sliders = {
            name: widgets.FloatSlider(
                value=start,
                min=-dx_max,
                max=dx_max,
                step=step,
                description=f"d{name} =",
                readout_format=f".{max(_decimals(step), 1)}f",
                style={"description_width": "initial"},
            )
            for name in self.names
        }
        self.readouts: dict[str, dict[str, float]] = {}
        self.readout_lines: list[str] = []
        self.readout = widgets.HTML()
        self.plot = widgets.HTML(layout=_plot_layout())
        self.plot_svg = ""  # the plot on display (SVG: sharp at any size)
        self._figure: Any = None
        self.widget = widgets.VBox([widgets.VBox(list(self.sliders.values())), self.readout, self.plot])
        for slider in self.sliders.values():
            slider.observe(self._on_change, names="value")
        self._render()

    def __repr__(self) -> str:
        point = ", ".join(f"{name}={format_number(v)}" for name, v in self.x0.items())
        return f"SensitivityExplorer({_function_name(self.fn)}, {point})"

    def text_lines(self) -> list[str]:
        return list(self.readout_lines)

    def picture(self) -> render.Picture | None:
        return render.figure_picture(self._figure) if self._figure is not None else None

    def _start_point(self, x0: Any) -> dict[str, float]:
        if isinstance(x0, Mapping):
            values = dict(x0)
        elif isinstance(x0, (int, float, Tensor)):
            values = {self.names[0]: x0}
        else:
            values = dict(zip(self.names, x0))
        missing = [name for name in self.names if name not in values]
        extra = [name for name in values if name not in self.names]
        if missing or extra or len(values) != len(self.names):
            raise ValueError(
                f"x0 must give one number per parameter of {_function_name(self.fn)} "
                f"({', '.join(self.names)}); got {x0!r}"
            )
        return {name: float(values[name]) for name in self.names}

    def _gradient_at_start(self) -> tuple[float, dict[str, float]]:
        """f(x0) and its gradient from autograd (an unused input has gradient 0)."""
        inputs = {name: tensor(v, dtype=float64, requires_grad=True) for name, v in self.x0.items()}
        output = _call(self.fn, self.names, inputs)
        if not isinstance(output, Tensor) or output.numel() != 1:
            shape = tuple(output.shape) if isinstance(output, Tensor) else type(output).__name__
            raise ValueError(f"SensitivityExplorer needs fn to return a tensor with one element; got {shape}")
        gradients = dict.fromkeys(self.names, 0.0)
        if output.requires_grad:
            output.backward()
            gradients.update({name: float(x.grad.item()) for name, x in inputs.items() if x.grad is not None})
        return float(output.item()), gradients

    def _evaluate(self, values: Mapping[str, float]) -> float:
        with engine.no_grad():
            inputs = {name: tensor(v, dtype=float64) for name, v in values.items()}
            return float(_call(self.fn, self.names, inputs).item())

    def _curve(self, name: str, dx_max: float, points: int) -> tuple[list[float], list[float]]:
        center = self.x0[name]
        xs = [center + dx_max * (1.5 * (2 * k / (points - 1) - 1)) for k in range(points)]
        return xs, [self._evaluate({**self.x0, name: x}) for x in xs]

    def _on_change(self, change: Any) -> None:
        self._render()

    def _render(self) -> None:
        self.readouts, self.readout_lines = {}, []
        columns = len(self.names)
        figure, axes = plots.new_figure(columns=columns, width=6.0 if columns == 1 else 4.2, height=3.2)
        for name, ax in zip(self.names, axes):
            dx = self.sliders[name].value
            moved = self._evaluate({**self.x0, name: self.x0[name] + dx})
            grad = self.gradients[name]
            real, predicted = moved - self.value, grad * dx
            self.readouts[name] = {
                "grad": grad,
                "dx": dx,
                "real": real,
                "predicted": predicted,
                "gap": real - predicted,
            }
            self.readout_lines.append(self._readout_line(name))
            xs, ys = self.curves[name]
            plots.tangent_line(ax, xs, ys, self.x0[name], self.value, grad, dx=dx, y_moved=moved, name=name)
            r = self.readouts[name]
            title = t("viz.readout_title", name=name, **{k: format_number(r[k]) for k in ("real", "predicted", "gap")})
            ax.set_title(title, fontsize=9, loc="left")
        self.readout.value = "<br>".join(_escape(line) for line in self.readout_lines)
        self._figure = figure
        self.plot_svg = render.figure_svg(figure)
        self.plot.value = render.figure_box(self.plot_svg)

    def _readout_line(self, name: str) -> str:
        r = self.readouts[name]
        line = t(
            "viz.readout",
            name=name,
            grad=format_number(r["grad"]),
            dx=format_number(r["dx"]),
            real=format_number(r["real"]),
            predicted=format_number(r["predicted"]),
            gap=format_number(r["gap"]),
        )
        return f"{line} — {t('viz.no_influence')}" if r["grad"] == 0 else line


# --------------------------------------------------------------------------- BackwardStepper


@dataclass
class StepView:
    """One step of backward as the stepper shows it; every tensor is read from the engine's trace."""

    node: Any  # an engine Node, or a node of another engine's graph
    title: str
    lines: list[str]
    contributions: list[tuple[Node, Tensor]] = field(default_factory=list)  # (sender, gradient), in delivery order
    received: tuple[Tensor, ...] = ()  # the gradient(s) the node ran with: the sum of its contributions
    sent: tuple[Tensor | None, ...] = ()  # what it sent along each edge
    grad_before: Tensor | None = None  # leaves only
    grad_after: Tensor | None = None  # leaves only


class BackwardStepper(_Widget):
    """Step through the real backward pass of ``output``, one node at a time.

    It calls ``output.backward()`` itself (so the leaves' ``.grad`` fill in as
    usual) inside ``engine.trace_backward()``, and shows each step of that
    trace: the incoming gradient, the local derivative, their product, and the
    accumulation at nodes reached along several paths.

    ``output`` may also be a node of another engine's graph (the course's
    ``Valor``, a micrograd ``Value``, your own tensor class; see
    ``autograd_lab.viz.protocol``).  Then ``backward(output)`` runs that engine's
    backward (default: ``output.backward()``), and each step is one assignment
    to a node's ``.grad``, in the order that backward made them.
    """

    def __init__(
        self,
        output: Any,
        *,
        names: Mapping[str, Any] | None = None,
        retain_graph: bool = False,
        interval: int = 1200,
        backward: Callable[[Any], Any] | None = None,
    ) -> None:
        self.trace: list[TraceStep] = []
        self.writes: list[protocol.GradWrite] = []
        if not isinstance(output, Tensor):
            if not protocol.is_graph_node(output):
                raise TypeError(
                    f"BackwardStepper expects a Tensor or a node of another autograd engine, "
                    f"got {type(output).__name__}; {protocol.PROTOCOL_SUMMARY}"
                )
            if names is None:
                frame = inspect.currentframe()
                names = variables_in_frame(frame.f_back if frame is not None else None)
                del frame
            self.output, self.names = output, dict(names)
            self.writes = self._run_other_backward(backward)
            self.steps = [self._describe_write(i) for i in range(len(self.writes))]
        else:
            if backward is not None:
                raise TypeError("backward= is for graphs of another engine; a Tensor's backward is autograd_lab's own")
            if not output.requires_grad:
                raise RuntimeError(
                    "BackwardStepper needs a tensor that is part of a graph: create its inputs with requires_grad=True"
                )
            if names is None:
                frame = inspect.currentframe()
                names = names_in_frame(frame.f_back if frame is not None else None)
                del frame
            self.output, self.names = output, dict(names)
            self.trace = self._run_backward(retain_graph)
            self._labels = _Names(self.names)
            self._outputs = {  # (node, output index) -> name, for intermediate tensors with a name
                (value.grad_fn, value._output_nr): name
                for name, value in reversed(list(self.names.items()))
                if isinstance(value, Tensor) and value.grad_fn is not None
            }
            self.steps = [self._describe(i) for i in range(len(self.trace))]
        last = len(self.steps) - 1
        # The counter shows the step number as the title does: 1 to N (``index`` is 0-based).
        self.slider = widgets.IntSlider(
            value=1, min=1, max=last + 1, description=t("viz.step"), style={"description_width": "initial"}
        )
        self.play = widgets.Play(value=1, min=1, max=last + 1, interval=interval)
        widgets.link((self.play, "value"), (self.slider, "value"))
        self.buttons = {
            key: widgets.Button(description=t(f"viz.{key}"), layout=widgets.Layout(width="auto"))
            for key in ("first", "previous", "next", "last")
        }
        targets = {"first": lambda: 0, "previous": lambda: self.index - 1, "next": lambda: self.index + 1}
        targets["last"] = lambda: last
        for key, button in self.buttons.items():
            button.on_click(lambda _button, target=targets[key]: self.go_to(target()))
        self.graph = GraphView()
        self.panel = widgets.HTML()
        self.panel_lines: list[str] = []
        self.rendered: list[int] = []  # the step indices shown, in order
        self._drawing: GraphDrawing | None = None
        # One direction for every step (the last step has the longest labels), so the graph does not flip.
        self._rankdir = self._draw_step(last, "auto").graph_attr["rankdir"]
        controls = widgets.HBox([*self.buttons.values(), self.play, self.slider])
        if self._rankdir == "TB":  # a tall, narrow graph: the step's text beside it, not above it
            self.panel.layout = widgets.Layout(margin="0 0 0 16px", flex="1 1 auto")
            self.graph.widget.layout = widgets.Layout(width="auto", max_width="60%", flex="0 0 auto")
            body = widgets.HBox([self.graph.widget, self.panel], layout=widgets.Layout(align_items="flex-start"))
            self.widget = widgets.VBox([controls, body])
        else:
            self.widget = widgets.VBox([controls, self.panel, self.graph.widget])
        self.slider.observe(self._on_change, names="value")
        self._render()

    def __repr__(self) -> str:
        return f"BackwardStepper({len(self.steps)} steps)"

    def text_lines(self) -> list[str]:
        return list(self.panel_lines)

    def picture(self) -> render.Picture | None:
        if self._drawing is None or not self.graph.rendered:
            return None
        rows = [[line] for line in self.panel_lines]
        return render.graph_picture(self._drawing, rows, bold_first=True, svg=self.graph.svg)

    @property
    def index(self) -> int:
        """The step on display (0-based)."""
        return int(self.slider.value) - 1

    @property
    def dot_source(self) -> str:
        """The DOT source of the graph on display."""
        return self.graph.dot_source

    def go_to(self, index: int) -> None:
        """Show step ``index`` (clamped to the first and last steps)."""
        self.slider.value = max(0, min(index, len(self.steps) - 1)) + 1

    def _run_backward(self, retain_graph: bool) -> list[TraceStep]:
        try:
            with engine.trace_backward() as steps:
                self.output.backward(retain_graph=retain_graph)
        except RuntimeError as error:
            if "second time" not in str(error):
                raise
            raise RuntimeError(
                "BackwardStepper runs backward() itself, but this graph was already freed by an earlier "
                "backward(). Create the stepper before calling backward(), call backward(retain_graph=True), "
                "or recompute the output."
            ) from error
        return steps

    def _run_other_backward(self, backward: Callable[[Any], Any] | None) -> list[protocol.GradWrite]:
        """Run another engine's backward, recording each assignment to a node's ``.grad``."""
        if backward is None:
            method = getattr(self.output, "backward", None)
            if not callable(method):
                raise TypeError(
                    f"{type(self.output).__name__} has no backward() method: pass the function that runs "
                    "your backward pass, e.g. BackwardStepper(d, backward=my_backward)"
                )

            def backward(_output: Any) -> Any:
                return method()

        self._graph_nodes = [view.node for view in protocol.topological_order(self.output)]
        recorder = protocol.record_grad_writes(self._graph_nodes)
        self._grads_before = dict(recorder.initial)
        with recorder as writes:
            backward(self.output)
        if not writes:
            raise RuntimeError(
                "the backward pass did not assign any .grad of this graph's nodes; check that it "
                "sets node.grad (e.g. node.grad += ...) for every node it visits"
            )
        return writes

    def _other_name(self, node: Any) -> str:
        view = protocol.read_node(node)
        if view.label:
            return view.label
        for name, value in self.names.items():
            if value is node:
                return name
        return t("viz.output") if node is self.output else (view.op or t("viz.leaf"))

    def _describe_write(self, i: int) -> StepView:
        write = self.writes[i]
        name = self._other_name(write.node)
        title = t("viz.step_title", index=i + 1, total=len(self.writes), node=f"{name}.grad")
        before = _format_any(write.before) if write.before is not None else "—"
        line = t("viz.grad_write", name=name, before=before, after=_format_any(write.after))
        return StepView(write.node, title, [line])

    def _name(self, node: Node | None, nr: int = 0) -> str:
        """How the panel calls a node: the leaf's name, or the op (with its output's name if it has one)."""
        if isinstance(node, AccumulateGrad):
            return self._labels.tensor(node.variable) or t("viz.leaf")
        if node is None:
            return ""
        name = self._outputs.get((node, nr))
        return f"{name} ({node.name()})" if name else node.name()

    def _describe(self, i: int) -> StepView:
        step = self.trace[i]
        contributions = [  # as the engine recorded them: who sent what (the seed has no sender)
            (self.trace[c.source].node, c.grad) for c in step.contributions if c.source is not None
        ]
        title = step.node.name()
        if isinstance(step.node, AccumulateGrad):
            title = f"{title} ({self._name(step.node)})"
        view = StepView(
            step.node,
            t("viz.step_title", index=i + 1, total=len(self.trace), node=title),
            [],
            contributions,
            tuple(step.grad_outputs),
            tuple(step.grad_inputs),
            step.grad_before,
            step.grad_after,
        )
        view.lines = self._incoming_lines(view, i) + self._outgoing_lines(view, step)
        return view

    def _incoming_lines(self, view: StepView, i: int) -> list[str]:
        received = format_array(view.received[0]) if len(view.received) == 1 else _tuple(view.received)
        if i == 0:
            name = self._labels.tensor(self.output) or t("viz.output")
            return [t("viz.seed", name=name, value=received)]
        if isinstance(view.node, AccumulateGrad):
            return []
        if len(view.contributions) > 1:
            terms = " + ".join(format_array(grad) for _, grad in view.contributions)
            return [t("viz.incoming_sum", terms=terms, value=received)]
        return [t("viz.incoming", value=received)]

    def _outgoing_lines(self, view: StepView, step: TraceStep) -> list[str]:
        if isinstance(view.node, AccumulateGrad):
            return [self._accumulation_line(view)]
        lines = []
        scalar = len(view.received) == 1 and view.received[0].numel() == 1
        for (child, nr), local, sent in zip(step.edges, step.local_grads, view.sent):
            if child is None or sent is None:
                continue
            target = self._name(child, nr)
            if scalar and local is not None and local.numel() == 1 and sent.numel() == 1:
                lines.append(
                    t(
                        "viz.chain",
                        target=target,
                        local=format_array(local),
                        incoming=format_array(view.received[0]),
                        sent=format_array(sent),
                    )
                )
            else:  # no single local derivative: backward computed a vector-Jacobian product
                shapes = f"{tuple(view.received[0].shape)} → {tuple(sent.shape)}"
                lines.append(t("viz.vjp", target=target, shapes=shapes, sent=format_array(sent)))
        return lines

    def _accumulation_line(self, view: StepView) -> str:
        terms = [format_array(grad) for _, grad in view.contributions] or [format_array(view.received[0])]
        if view.grad_before is not None:
            terms.insert(0, f"{format_array(view.grad_before)} {t('viz.before')}")
        after = format_array(view.grad_after) if view.grad_after is not None else "—"
        expression = after if len(terms) == 1 else f"{' + '.join(terms)} = {after}"
        return t("viz.accumulate", name=self._name(view.node), expression=expression)

    def _on_change(self, change: Any) -> None:
        self._render()

    def _draw_step(self, i: int, rankdir: str) -> GraphDrawing:
        """The graph as it stands after step ``i``: that step's node and the arrows it sends along highlighted."""
        node = self.steps[i].node
        if self.writes:
            grads = dict(self._grads_before)
            grads.update({id(write.node): write.after for write in self.writes[: i + 1]})
            done = [write.node for write in self.writes[:i] if write.node is not node]
            return draw_nodes(self.output, names=self.names, grads=grads, highlight=node, done=done, rankdir=rankdir)
        return draw(
            self.output,
            names=self.names,
            backward_trace=self.trace[: i + 1],
            highlight=node,
            done=[s.node for s in self.trace[:i]],
            rankdir=rankdir,
        )

    def _render(self) -> None:
        i = self.index
        view = self.steps[i]
        self._drawing = self._draw_step(i, self._rankdir)
        self.graph.show(self._drawing)
        self.panel_lines = [view.title, *view.lines]
        if not self.graph.rendered:
            self.panel_lines.append(missing_dot_message())
        self.panel.value = _panel_html(view.title, self.panel_lines[1:])
        self.rendered.append(i)


_BADGE = "background:#fed7aa;color:#7c2d12;border:2px solid #ea580c;border-radius:4px;padding:0 6px"


def _panel_html(title: str, lines: Sequence[str]) -> str:
    """The step's title with its node in the graph's highlight colours, then the step's lines."""
    head, sep, node = title.partition(": ")
    heading = f"<b>{_escape(head)}{sep}</b><span style='{_BADGE}'>{_escape(node)}</span>" if sep else _escape(title)
    body = "".join(f"<div style='margin-left:1em'>{_escape(line)}</div>" for line in lines)
    return f"<div style='line-height:1.6'>{heading}{body}</div>"


def _tuple(grads: Sequence[Tensor]) -> str:
    return "(" + ", ".join(format_array(g) for g in grads) + ")"


# --------------------------------------------------------------------------- TrainingMonitor


REFRESH_SECONDS = 1.0  # TrainingMonitor redraws its plots about this often...
REFRESH_SHARE = 0.25  # ...but never spends more than this share of the loop's time redrawing


class TrainingMonitor(_Widget):
    """Progress, live loss/accuracy curves, a decision boundary and gradient norms while training.

    Use it around the loop and log what you measured::

        monitor = TrainingMonitor(boundary=(model, X, y), model=model)
        for step in monitor(range(500)):
            ...
            monitor.log(loss=loss, accuracy=accuracy)

    ``boundary=(predict, points, labels)`` draws the classes ``predict`` gives the
    plane (2-D data); ``model`` (anything with ``named_parameters()``) adds the
    gradient norm of each layer at every ``log``.  The plots refresh every
    ``refresh_every`` steps (default: about once a second, less often when a
    redraw is slow, so that redrawing never takes more than a quarter of the
    loop's time) and at the end; outside a notebook nothing is displayed and
    the state can be read.
    """

    def __init__(
        self,
        *,
        boundary: tuple[Callable[[Tensor], Tensor], Any, Any] | None = None,
        model: Any = None,
        refresh_every: int | None = None,
        display: bool = True,
    ) -> None:
        if model is not None and not callable(getattr(model, "named_parameters", None)):
            raise TypeError(f"model must have named_parameters() (an nn.Module), got {type(model).__name__}")
        if refresh_every is not None and refresh_every < 1:
            raise ValueError(f"refresh_every must be a positive number of steps, got {refresh_every}")
        self.boundary, self.model = boundary, model
        self.refresh_every, self.display = refresh_every, display
        self.history: dict[str, list[tuple[int, float]]] = {}
        self.grad_norms: dict[str, list[tuple[int, float]]] = {}
        self.step = -1  # index of the current iteration
        self.done = 0  # iterations finished
        self.total: int | None = None
        self.renders = 0
        self.status_text = ""
        self.progress = widgets.IntProgress(value=0, min=0, max=1)
        self.status = widgets.HTML()
        self.plot = widgets.HTML(layout=_plot_layout())
        self.plot_svg = ""  # the plots on display (SVG: sharp at any size)
        self.widget = widgets.VBox([widgets.HBox([self.progress, self.status]), self.plot])
        self.layer_labels = _layer_labels(model) if model is not None else {}
        self._figure: Any = None
        self._last_render = 0.0  # when the last redraw ended (time.perf_counter)
        self._render_seconds = 0.0  # how long it took
        self._shown = False
        self._handle: Any = None

    def __repr__(self) -> str:
        return "TrainingMonitor()"

    def text_lines(self) -> list[str]:
        return [self.status_text] if self.status_text else []

    def picture(self) -> render.Picture | None:
        if self._figure is None:
            return None
        return render.figure_picture(self._figure, header=self.status_text)  # the picture carries the readout too

    def __call__(self, iterable: Iterable[Any], total: int | None = None) -> Iterator[Any]:
        """Iterate over ``iterable``, updating the progress bar and plots as the loop runs."""
        if total is None and hasattr(iterable, "__len__"):
            total = len(iterable)  # type: ignore[arg-type]
        self.total = total
        self.progress.max = max(total or 1, 1)
        self._show()
        start = self.step + 1
        for offset, item in enumerate(iterable):
            self.step = start + offset
            yield item
            self.done += 1
            self.progress.value = min(self.done, self.progress.max)
            if self._due(offset + 1):
                self._render()
        self._render()
        if self._handle is not None:  # the output's static picture and text now show the end of training
            self._handle.update(self)

    def log(self, step: int | None = None, **values: Any) -> None:
        """Record metrics (numbers or one-element tensors) for this step: ``log(loss=..., accuracy=...)``."""
        if step is None:
            step = self.step if self.step >= 0 else len(next(iter(self.history.values()), []))
        for name, value in values.items():
            self.history.setdefault(name, []).append((step, float(value)))
        if self.model is not None:
            for layer, norm in self._layer_norms():
                self.grad_norms.setdefault(layer, []).append((step, norm))

    def _layer_norms(self) -> list[tuple[str, float]]:
        """The norm of the gradient of each layer's parameters together (layers in model order)."""
        return list(grad_norm_per_layer(self.model.named_parameters()).items())

    def _due(self, done: int) -> bool:
        if self.refresh_every is not None:
            return done % self.refresh_every == 0
        # Redrawing takes at most REFRESH_SHARE of the time: a slow redraw (a loaded machine) waits longer.
        wait = max(REFRESH_SECONDS, self._render_seconds * (1 - REFRESH_SHARE) / REFRESH_SHARE)
        return time.perf_counter() - self._last_render > wait

    def _show(self) -> None:
        if self._shown or not self.display:
            return
        try:
            from IPython import get_ipython
            from IPython.display import display
        except ImportError:
            return
        shell = get_ipython()
        if shell is not None and getattr(shell, "kernel", None) is not None:
            self._handle = display(self, display_id=True)
            self._shown = True

    def _render(self) -> None:
        start = time.perf_counter()
        self.renders += 1
        self.status_text = self._status()
        self.status.value = _escape(self.status_text)
        panels = 1 + (self.boundary is not None) + bool(self.grad_norms)
        # Three panels of 2.9 in (835 px) fit a notebook cell without shrinking, so no text drops below 10 px;
        # the wider space keeps the accuracy axis' words clear of the next panel's numbers.
        if panels == 3:
            figure, axes = plots.new_figure(columns=3, width=2.9, height=2.9, wspace=0.7)
        else:
            figure, axes = plots.new_figure(columns=panels, width=4.2, height=2.9)
        accuracy = self.history.get("accuracy")
        plots.loss_curves(axes[0], self.history.get("loss", []), accuracy)
        if self.boundary is not None:
            predict, points, labels = self.boundary
            plots.decision_boundary(axes[1], predict, points, labels)
        if self.grad_norms:
            plots.gradient_norms(axes[-1], self.grad_norms, self.layer_labels)
        self._figure = figure
        self.plot_svg = render.figure_svg(figure)
        self.plot.value = render.figure_box(self.plot_svg)
        self._last_render = time.perf_counter()
        self._render_seconds = self._last_render - start

    def _status(self) -> str:
        parts = [t("viz.progress", done=self.done, total=self.total if self.total is not None else "?")]
        for name, points in self.history.items():
            if points:
                label = t(f"viz.{name}") if name in ("loss", "accuracy") else name
                parts.append(f"{label} {_metric(name, points[-1][1])}")
        return " · ".join(parts)


def _metric(name: str, value: float) -> str:
    """A logged value: accuracy as a percentage when it is a fraction, anything else as a number."""
    if name == "accuracy" and 0.0 <= value <= 1.0:
        return numfmt.percent(value)
    return numfmt.number(value)


def _layer_labels(model: Any) -> dict[str, str]:
    """Legend words for each layer of ``model``: ``capa 0 (Linear)``."""
    named_modules = getattr(model, "named_modules", None)
    if not callable(named_modules):
        return {}
    return {name: t("viz.layer", name=name, kind=type(module).__name__) for name, module in named_modules() if name}

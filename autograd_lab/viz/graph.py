"""Draw the graph behind a tensor with graphviz: tensors, operations and the gradients that flow.

``draw(d)`` walks the graph exactly as ``backward`` does (``engine.topological_order``)
and returns a ``graphviz.Digraph`` that Jupyter renders inline.  Arrows point the
way the forward pass ran; ``backward`` walks them in reverse.  Node ids come from
the walk order, so the same computation always gives the same DOT source.
"""

from __future__ import annotations

import html
import inspect
from collections.abc import Iterable, Mapping, Sequence
from types import FrameType, ModuleType
from typing import Any

import graphviz
import numpy as np

from .. import engine, numfmt
from ..i18n import t
from ..engine import AccumulateGrad, Node, TraceStep
from ..tensor import Tensor
from . import protocol, texts  # noqa: F401  (texts registers the viz.* texts)
from .doctor import dot_install_command

ForwardRecord = tuple[Node, tuple[Tensor, ...]]

_GRAPH_ATTR = {"nodesep": "0.25", "ranksep": "0.3", "fontname": "Helvetica"}
# Boxes only as large as their text needs (graphviz's default minimum is 0.75 x 0.5 inch).
_NODE_ATTR = {"fontname": "Helvetica", "fontsize": "11", "height": "0.3", "width": "0.4", "margin": "0.1,0.04"}
_EDGE_ATTR = {"color": "#6b7280", "arrowsize": "0.7", "fontname": "Helvetica", "fontsize": "10", "fontcolor": "#b91c1c"}

# One look per kind of box: parameters/leaves, intermediate tensors, the output, operations.
_STYLE: dict[str, dict[str, str]] = {
    "leaf": {"shape": "box", "style": "rounded,filled", "fillcolor": "#dbeafe", "color": "#1d4ed8"},
    "tensor": {"shape": "box", "style": "rounded", "color": "#6b7280"},
    "output": {"shape": "box", "style": "rounded,filled,bold", "fillcolor": "#dcfce7", "color": "#15803d"},
    "op": {"shape": "ellipse", "style": "filled", "fillcolor": "#f3f4f6", "color": "#9ca3af", "fontsize": "10"},
    "group": {"shape": "box3d", "style": "filled", "fillcolor": "#fef3c7", "color": "#b45309"},
    "more": {"shape": "note", "style": "dashed", "color": "#9ca3af"},
}
_HIGHLIGHT = {"color": "#ea580c", "fillcolor": "#fed7aa", "penwidth": "3"}
_DONE = {"color": "#15803d", "fillcolor": "#bbf7d0"}
_NEW = {"color": "#6d28d9", "fillcolor": "#ede9fe", "penwidth": "2.5"}  # appeared since the last drawing
_HIGHLIGHT_EDGE = {"color": "#ea580c", "fontcolor": "#c2410c", "penwidth": "2"}


# --------------------------------------------------------------------------- numbers


def format_number(value: float) -> str:
    """A number as the drawing shows it (``numfmt.number``): ``4``, ``0.1235``, ``1.235e+06``."""
    return numfmt.number(value)


def format_array(values: Any) -> str:
    """A tensor's values in one short string (``numfmt.array``): the number, a small list, or a summary."""
    return numfmt.array(values._data if isinstance(values, Tensor) else values)


# --------------------------------------------------------------------------- the drawing object


class GraphDrawing(graphviz.Digraph):
    """The graph ``draw`` returns: a ``graphviz.Digraph`` that Jupyter shows live, with static pictures beside.

    In a notebook it displays as a scrolling graph view (widget), an SVG, a PNG
    (shown where widgets and SVG are not: a notebook JupyterLab has not run,
    GitHub, nbviewer) and a one-line text in the course language.  When
    graphviz's ``dot`` program is missing it shows one line saying how to
    install it, followed by the DOT source, instead of raising.
    """

    output_name: str | None = None
    box_count = 0

    @property
    def description(self) -> str:
        """What the drawing shows, in the course language: ``d, 5 figuras`` (its boxes and ellipses)."""
        count = t("viz.node_count", count=self.box_count)
        return f"{self.output_name}, {count}" if self.output_name else count

    def __repr__(self) -> str:
        return t("viz.graph_repr", description=self.description)

    # ---- what the layout chooser reads: the boxes and arrows as they are added
    def node(self, name: str, label: str | None = None, _attributes: Any = None, **attrs: Any) -> None:
        """Add a box (graphviz's ``node``), remembering its label for the layout."""
        super().node(name, label, _attributes=_attributes, **attrs)
        self._layout().boxes[name] = (label or "", attrs)

    def edge(
        self, tail_name: str, head_name: str, label: str | None = None, _attributes: Any = None, **attrs: Any
    ) -> None:
        """Add an arrow (graphviz's ``edge``), remembering it for the layout."""
        super().edge(tail_name, head_name, label, _attributes=_attributes, **attrs)
        self._layout().edges.append((tail_name, head_name, label or ""))

    def _layout(self) -> _Layout:
        layout = self.__dict__.get("_layout_record")
        if layout is None:
            layout = self.__dict__["_layout_record"] = _Layout()
        return layout

    def choose_rankdir(self) -> str:
        """Set and return the direction that fits a notebook cell best: "LR" or "TB" (see ``_Layout``)."""
        rankdir = self._layout().best_rankdir()
        self.graph_attr["rankdir"] = rankdir
        return rankdir

    def _repr_mimebundle_(
        self, include: Any = None, exclude: Any = None, **kwargs: Any
    ) -> tuple[dict[str, Any], dict[str, Any]]:
        from . import render, view

        try:
            svg = render.graph_svg(self)
        except graphviz.ExecutableNotFound:
            message = missing_dot_message()
            return {"text/plain": f"{message}\n{self.source}", "text/html": fallback_html(message, self.source)}, {}
        try:
            picture: render.Picture | None = render.graph_picture(self, svg=svg)
        except graphviz.CalledProcessError:  # a dot built without PNG output: the SVG still shows
            picture = None
        live = None
        if view.in_kernel():
            live = view.GraphView()
            live.show(self, svg=svg)
            live = live.widget
        return view.bundle(repr(self), picture, live=live, svg=render.sized_svg(svg))


class _Layout:
    """The boxes and arrows of a drawing, to choose its direction before graphviz lays it out.

    Left to right ("LR") reads like a formula and is kept while it fits the
    width of a notebook cell; otherwise top to bottom ("TB") when that fits
    and is at most about a screen tall (``MAX_TALL``); otherwise left to right,
    scrolling inside its box.  Sizes are estimated from the labels (no graphviz run).
    """

    WIDTH_PT = 790.0  # about 900 CSS px at the readable scale: a notebook cell at 1280 px
    MAX_TALL = 1.0  # a top-to-bottom layout may be up to this many cell widths tall (about a screen)
    NODESEP, RANKSEP = 18.0, 21.6  # points, as in _GRAPH_ATTR

    def __init__(self) -> None:
        self.boxes: dict[str, tuple[str, dict[str, Any]]] = {}
        self.edges: list[tuple[str, str, str]] = []

    def best_rankdir(self) -> str:
        lr_width, _ = self.extent("LR")
        if lr_width <= self.WIDTH_PT:
            return "LR"
        tb_width, tb_height = self.extent("TB")
        if tb_width <= self.WIDTH_PT and tb_height <= self.MAX_TALL * self.WIDTH_PT:
            return "TB"
        return "LR"

    def extent(self, rankdir: str) -> tuple[float, float]:
        """Estimated (width, height) in points of the layout in direction ``rankdir``."""
        ranks = self._ranks()
        sizes = {name: _box_size(label, attrs) for name, (label, attrs) in self.boxes.items()}
        by_rank: dict[int, list[tuple[float, float]]] = {}
        for name, rank in ranks.items():
            by_rank.setdefault(rank, []).append(sizes.get(name, (54.0, 36.0)))
        label_width = max((_text_width(label, 10.0) for _, _, label in self.edges if label), default=0.0)
        along, across = 0.0, 0.0
        for boxes in by_rank.values():
            if rankdir == "LR":
                along += max(w for w, _ in boxes) + self.RANKSEP
                across = max(across, sum(h for _, h in boxes) + self.NODESEP * (len(boxes) - 1))
            else:
                along += max(h for _, h in boxes) + self.RANKSEP
                across = max(across, sum(w for w, _ in boxes) + self.NODESEP * (len(boxes) - 1))
        if rankdir == "LR":
            along += label_width * 0.5 * max(len(by_rank) - 1, 0)  # edge labels widen the gaps between ranks
            return along, across
        return across + label_width, along

    def _ranks(self) -> dict[str, int]:
        """Each box's rank: the longest chain of arrows leading to it."""
        incoming: dict[str, list[str]] = {name: [] for name in self.boxes}
        for tail, head, _ in self.edges:
            incoming.setdefault(head, []).append(tail)
            incoming.setdefault(tail, [])
        rank: dict[str, int] = {}
        for start in incoming:
            stack = [start]
            while stack:  # iterative: deep chains are fine
                name = stack[-1]
                if name in rank:
                    stack.pop()
                    continue
                pending = [tail for tail in incoming[name] if tail not in rank and tail not in stack]
                if pending:
                    stack.extend(pending)
                    continue
                stack.pop()
                rank[name] = 1 + max((rank.get(tail, 0) for tail in incoming[name]), default=-1)
        # like graphviz, put a box with no inputs (a leaf) just before the first box that uses it
        users: dict[str, list[str]] = {}
        for tail, head, _ in self.edges:
            users.setdefault(tail, []).append(head)
        for name, tails in incoming.items():
            if not tails and users.get(name):
                rank[name] = min(rank[user] for user in users[name]) - 1
        return rank


def _text_width(text: str, fontsize: float) -> float:
    return len(text) * fontsize * 0.56


def _box_size(label: str, attrs: Mapping[str, Any]) -> tuple[float, float]:
    """Estimated (width, height) in points of a box with this label (at least the 0.4 x 0.3 inch of _NODE_ATTR)."""
    fontsize = float(attrs.get("fontsize", _NODE_ATTR["fontsize"]))
    lines = label.split("\\n") if label else [""]
    width = max(_text_width(line, fontsize) for line in lines) + 15
    height = len(lines) * fontsize * 1.2 + 6
    if attrs.get("shape") == "ellipse":
        width, height = width * 1.3, height * 1.3
    return max(width, 29.0), max(height, 22.0)


def missing_dot_message() -> str:
    """The one line shown when graphviz's ``dot`` is missing, with this platform's install command."""
    return t("viz.no_dot", command=dot_install_command())


def fallback_html(message: str, source: str) -> str:
    """The install line and the DOT source, as HTML (when ``dot`` is missing)."""
    return (
        f'<div class="autograd-lab-no-dot"><p style="color:#b45309">{html.escape(message)}</p>'
        f'<pre style="font-size:85%">{html.escape(source)}</pre></div>'
    )


# --------------------------------------------------------------------------- names


def names_in_frame(frame: FrameType | None) -> dict[str, Any]:
    """Tensors and modules held by the variables of ``frame`` (locals first, then globals)."""
    found: dict[str, Any] = {}
    if frame is None:
        return found
    for scope in (frame.f_locals, frame.f_globals):
        for name, value in list(scope.items()):
            if name.startswith("_") or name in found:
                continue
            if isinstance(value, Tensor) or _is_module(value):
                found[name] = value
    return found


def variables_in_frame(frame: FrameType | None) -> dict[str, Any]:
    """Every variable of ``frame`` not starting with ``_`` (locals first, then globals)."""
    found: dict[str, Any] = {}
    if frame is None:
        return found
    for scope in (frame.f_locals, frame.f_globals):
        for name, value in list(scope.items()):
            if not name.startswith("_") and name not in found:
                found[name] = value
    return found


def _is_module(value: Any) -> bool:
    """Duck-typed ``nn.Module``: an instance with ``named_parameters()``."""
    if isinstance(value, (type, ModuleType, Tensor)):
        return False
    try:
        return callable(getattr(value, "named_parameters", None))
    except Exception:  # an object whose __getattr__ misbehaves is simply not a module
        return False


class _Names:
    """Who is called what: tensors by identity, modules by identity (for group labels)."""

    def __init__(self, names: Mapping[str, Any]) -> None:
        self.keep_alive: list[Any] = []  # the ids below stay valid while we hold the objects
        self.tensors: dict[int, str] = {}
        self.modules: dict[int, str] = {}
        for name, value in names.items():
            if isinstance(value, Tensor):
                self._add(self.tensors, value, name)
            elif _is_module(value):
                self._add_module(name, value)

    def _add(self, table: dict[int, str], value: Any, name: str) -> None:
        self.keep_alive.append(value)
        table.setdefault(id(value), name)

    def _add_module(self, name: str, module: Any) -> None:
        for param_name, param in module.named_parameters():
            self._add(self.tensors, param, f"{name}.{param_name}")
        named_modules = getattr(module, "named_modules", None)
        if callable(named_modules):
            for sub_name, sub in named_modules():
                self._add(self.modules, sub, f"{name}.{sub_name}" if sub_name else name)

    def tensor(self, tensor: Tensor | None) -> str | None:
        return None if tensor is None else self.tensors.get(id(tensor))

    def module(self, module: Any) -> str:
        kind = type(module).__name__
        name = self.modules.get(id(module))
        return f"{name}: {kind}" if name and name != kind else kind

    def named_tensors(self) -> list[Tensor]:
        return [value for value in self.keep_alive if isinstance(value, Tensor)]


# --------------------------------------------------------------------------- the public function


def draw(
    output: Any,
    *,
    names: Mapping[str, Any] | None = None,
    show_values: bool = True,
    show_grads: bool = True,
    show_saved: bool = False,
    highlight: Any = None,
    done: Any = None,
    new: Any = None,
    rankdir: str = "auto",
    max_nodes: int = 60,
    backward_trace: Sequence[TraceStep] | None = None,
    forward_trace: Sequence[ForwardRecord] | None = None,
) -> GraphDrawing:
    """Draw the graph that produced ``output``: tensors (boxes) and operations (ellipses).

    ``output`` is an autograd_lab tensor, or a node of a graph built by another
    engine (the course's ``Valor``, a micrograd ``Value``, a tensor class of your
    own) that follows the protocol of ``autograd_lab.viz.protocol``: inputs, op
    name, value and grad.

    ``names`` maps names to tensors or modules; without it the caller's variables
    name the tensors they hold.  Gradients shown are the leaves' ``.grad`` (and
    retained grads), or, given ``backward_trace`` (from ``engine.trace_backward``),
    every gradient of that backward pass, including the ones sent along each
    edge.  ``forward_trace`` (from ``engine.trace_forward``) supplies the values of
    unnamed intermediate tensors.  ``highlight`` (the arrows it sends gradients
    along too), ``done`` and ``new`` (nodes or tensors) are marked; beyond
    ``max_nodes`` operations, nodes are collapsed by ``nn.Module``.
    ``rankdir="auto"`` lays the graph out left to right while that fits a
    notebook cell, else top to bottom (see ``_Layout``).
    """
    if rankdir not in ("auto", "LR", "RL", "TB", "BT"):
        raise ValueError(f"rankdir must be one of 'auto', 'LR', 'RL', 'TB', 'BT', got {rankdir!r}")
    if not isinstance(output, Tensor):
        if not protocol.is_graph_node(output):
            raise TypeError(
                f"draw() expects a Tensor or a node of another autograd engine, got {type(output).__name__}; "
                f"{protocol.PROTOCOL_SUMMARY}"
            )
        if names is None:
            frame = inspect.currentframe()
            names = variables_in_frame(frame.f_back if frame is not None else None)
            del frame
        return draw_nodes(
            output,
            names=names,
            show_values=show_values,
            show_grads=show_grads,
            highlight=highlight,
            done=done,
            rankdir=rankdir,
            max_nodes=max_nodes,
        )
    if names is None:
        frame = inspect.currentframe()
        names = names_in_frame(frame.f_back if frame is not None else None)
        del frame
    builder = _GraphBuilder(
        output,
        _Names(names),
        show_values=show_values,
        show_grads=show_grads,
        show_saved=show_saved,
        backward_trace=backward_trace,
        forward_trace=forward_trace,
        max_nodes=max_nodes,
    )
    graph = _new_drawing(rankdir)
    builder.build(graph, _as_list(highlight), _as_list(done), _as_list(new))
    if rankdir == "auto":
        graph.choose_rankdir()
    return graph


def _new_drawing(rankdir: str) -> GraphDrawing:
    direction = "LR" if rankdir == "auto" else rankdir
    return GraphDrawing(graph_attr={"rankdir": direction, **_GRAPH_ATTR}, node_attr=_NODE_ATTR, edge_attr=_EDGE_ATTR)


def _as_list(items: Any) -> list[Any]:
    if items is None:
        return []
    if isinstance(items, (Tensor, Node)):
        return [items]
    return list(items)


# --------------------------------------------------------------------------- building the graph


class _GraphBuilder:
    """Turns one walk of the graph into graphviz nodes and edges."""

    def __init__(
        self,
        output: Tensor,
        names: _Names,
        *,
        show_values: bool,
        show_grads: bool,
        show_saved: bool,
        backward_trace: Sequence[TraceStep] | None,
        forward_trace: Sequence[ForwardRecord] | None,
        max_nodes: int,
    ) -> None:
        self.output, self.names = output, names
        self.show_values, self.show_grads, self.show_saved = show_values, show_grads, show_saved
        self.traced = backward_trace is not None
        self.root, self.root_nr = engine.gradient_edge(output)
        self.order = engine.topological_order([self.root]) if self.root is not None else []
        self.index = {node: i for i, node in enumerate(self.order)}
        self.tensors = self._known_tensors(forward_trace or ())
        self.grads_out: dict[Node, tuple[Any, ...]] = {}  # node -> gradient of each of its outputs
        self.leaf_grads: dict[Node, Any] = {}  # AccumulateGrad -> leaf.grad after the step
        self.sent: dict[tuple[Node, int], Any] = {}  # (node, input k) -> gradient sent along edge k
        for step in backward_trace or ():
            self._read_step(step)
        self.groups = _plan_groups([n for n in self.order if not isinstance(n, AccumulateGrad)], max_nodes)
        self.users = self._users()

    # ---- what we know about the graph
    def _known_tensors(self, forward_trace: Iterable[ForwardRecord]) -> dict[tuple[Node, int], Tensor]:
        """Tensors produced by the graph's nodes: the output, named ones, recorded ones."""
        known: dict[tuple[Node, int], Tensor] = {}
        candidates = [self.output, *self.names.named_tensors()]
        candidates += [tensor for _, outputs in forward_trace for tensor in outputs]
        for tensor in candidates:
            node = tensor.grad_fn
            if node is not None and node in self.index:
                known.setdefault((node, tensor._output_nr), tensor)
        return known

    def _read_step(self, step: TraceStep) -> None:
        if step.node not in self.index:
            return
        if isinstance(step.node, AccumulateGrad):
            self.leaf_grads[step.node] = step.grad_after
            return
        self.grads_out[step.node] = step.grad_outputs
        for k, grad in enumerate(step.grad_inputs):
            self.sent[(step.node, k)] = grad

    # ---- ids
    def node_id(self, node: Node) -> str:
        """The id of what shows ``node``: its box, its module group, or the '... more' box."""
        group = self.groups.get(node) if not isinstance(node, AccumulateGrad) else self._leaf_group(node)
        if group is not None:
            return group.id
        prefix = "leaf" if isinstance(node, AccumulateGrad) else "op"
        return f"{prefix}{self.index[node]}"

    def tensor_id(self, node: Node, nr: int) -> str | None:
        """The id of the box of output ``nr`` of ``node``, when that tensor is shown."""
        if node is self.root and nr == self.root_nr:
            return "out"
        if (node, nr) not in self.tensors or node in self.groups:
            return None
        i = self.index[node]
        return f"t{i}" if node.num_outputs == 1 else f"t{i}_{nr}"

    def _leaf_group(self, leaf: Node) -> _Group | None:
        groups = {self.groups.get(user) for user in self.users.get(leaf, ())}
        if len(groups) == 1:
            return groups.pop()
        return None

    # ---- building
    def build(self, graph: GraphDrawing, highlight: list[Any], done: list[Any], new: Sequence[Any] = ()) -> None:
        self.graph = graph
        self.marks: dict[str, dict[str, str]] = {}
        for item in new:
            self._mark(item, _NEW)
        for item in done:
            self._mark(item, _DONE)
        for item in highlight:
            self._mark(item, _HIGHLIGHT)
        if self.root is None:
            self._tensor_box("out", self.output, "output", extra=[t("viz.no_graph")])
            _describe_graph(graph, self.names.tensor(self.output), 1)
            return
        drawn: set[str] = set()
        for node in self.order:
            if isinstance(node, AccumulateGrad):
                self._draw_leaf(node, drawn)
            else:
                self._draw_op(node, drawn)
        for node in self.order:
            self._draw_edges(node)
        _describe_graph(graph, self.names.tensor(self.output), len(drawn))

    def _users(self) -> dict[Node, list[Node]]:
        users: dict[Node, list[Node]] = {}
        for node in self.order:
            for child, _ in node.next_functions:
                if child is not None:
                    users.setdefault(child, []).append(node)
        return users

    def _mark(self, item: Any, style: dict[str, str]) -> None:
        if isinstance(item, Tensor):
            node, nr = engine.gradient_edge(item)
            if node is None or node not in self.index:
                return
            box = self.tensor_id(node, nr) if not isinstance(node, AccumulateGrad) else None
            self.marks[box or self.node_id(node)] = style
        elif isinstance(item, Node) and item in self.index:
            self.marks[self.node_id(item)] = style

    def _emit(self, box_id: str, kind: str, lines: list[str]) -> None:
        _emit_box(self.graph, box_id, kind, lines, self.marks.get(box_id))

    def _draw_leaf(self, node: Node, drawn: set[str]) -> None:
        box = self.node_id(node)
        if box in drawn:
            return
        drawn.add(box)
        leaf: Tensor = node.variable  # type: ignore[attr-defined]
        kind = "output" if node is self.root else "leaf"
        grad = self.leaf_grads.get(node) if self.traced else leaf._grad
        self._tensor_box(box, leaf, kind, grad=grad)

    def _tensor_box(
        self, box: str, tensor: Tensor | None, kind: str, grad: Any = None, extra: Sequence[str] = ()
    ) -> None:
        name = self.names.tensor(tensor)
        if name is None and kind == "output":
            name = t("viz.output")
        title = [name] if name else []
        if tensor is not None and tensor.ndim > 0:
            shape = str(tuple(tensor.shape))
            title = [f"{title[0]} {shape}"] if title else [shape]
        lines = list(title)
        if self.show_values and tensor is not None:
            lines.append(f"{t('viz.value')} = {format_array(tensor._data)}")
        if self.show_grads and grad is not None:
            lines.append(f"{t('viz.grad')} = {format_array(grad)}")
        lines.extend(extra)
        self._emit(box, kind, lines or [""])

    def _draw_op(self, node: Node, drawn: set[str]) -> None:
        box = self.node_id(node)
        if box not in drawn:
            drawn.add(box)
            group = self.groups.get(node)
            if group is None:
                self._emit(box, "op", [node.name(), *self._saved_lines(node)])
            else:
                self._emit(box, group.kind, self._group_lines(group))
        for nr in range(node.num_outputs):
            tensor_box = self.tensor_id(node, nr)
            if tensor_box is None:
                continue
            tensor = self.tensors.get((node, nr))
            kind = "output" if tensor_box == "out" else "tensor"
            self._tensor_box(tensor_box, tensor, kind, grad=self._tensor_grad(node, nr, tensor))
            drawn.add(tensor_box)
            self.graph.edge(box, tensor_box)

    def _tensor_grad(self, node: Node, nr: int, tensor: Tensor | None) -> Any:
        if self.traced:
            grads = self.grads_out.get(node)
            return grads[nr] if grads is not None else None
        if tensor is not None and tensor.retains_grad:
            return tensor._grad
        return None

    def _saved_lines(self, node: Node) -> list[str]:
        if not self.show_saved:
            return []
        if getattr(node, "_released", False):  # only Function nodes save tensors
            return [f"{t('viz.saved')}: {t('viz.freed')}"]
        values = [_saved_value(item) for item in getattr(node, "_saved", ())]
        shown = [value for value in values if value is not None]
        return [f"{t('viz.saved')}: {', '.join(shown)}"] if shown else []

    def _group_lines(self, group: _Group) -> list[str]:
        if group.kind == "more":
            return [t("viz.more_ops", count=group.count)]
        count = t("viz.group_op") if group.count == 1 else t("viz.group_ops", count=group.count)
        lines = [self.names.module(group.module), count]
        for leaf in self.order:
            if isinstance(leaf, AccumulateGrad) and self._leaf_group(leaf) is group:
                tensor: Tensor = leaf.variable
                name = self.names.tensor(tensor) or t("viz.leaf")
                lines.append(f"{name.rsplit('.', 1)[-1]} {tuple(tensor.shape)}")
        return lines

    def _draw_edges(self, node: Node) -> None:
        if isinstance(node, AccumulateGrad):
            return
        target = self.node_id(node)
        collapsed = node in self.groups
        seen: set[tuple[str, str]] = set()
        for k, (child, nr) in enumerate(node.next_functions):
            if child is None:
                continue
            source = self.tensor_id(child, nr) or self.node_id(child)
            if source == target or (collapsed and (source, target) in seen):
                continue
            seen.add((source, target))
            grad = self.sent.get((node, k))
            attrs = _HIGHLIGHT_EDGE if self.marks.get(target) is _HIGHLIGHT else {}
            if self.show_grads and grad is not None and not collapsed and child not in self.groups:
                self.graph.edge(source, target, label=_escape(f"← {format_array(grad)}"), **attrs)
            else:
                self.graph.edge(source, target, **attrs)


def _saved_value(item: Any) -> str | None:
    if item is None:
        return None
    data = getattr(item, "data", item)
    return format_array(data) if isinstance(data, (np.ndarray, Tensor)) else format_number(data)


def _escape(text: str) -> str:
    """Make text safe inside a DOT label (backslashes would be read as escapes)."""
    return text.replace("\\", "\\\\")


# --------------------------------------------------------------------------- collapsing big graphs


class _Group:
    """Several operations drawn as one box: a module (at some depth) or the '... more' box."""

    def __init__(self, box_id: str, kind: str, module: Any = None) -> None:
        self.id, self.kind, self.module, self.count = box_id, kind, module, 0


def _plan_groups(ops: list[Node], max_nodes: int) -> dict[Node, _Group]:
    """Which operations to collapse so that at most ``max_nodes`` boxes remain (empty: none)."""
    if len(ops) <= max_nodes:
        return {}
    deepest = max((len(node.modules) for node in ops), default=0)
    depth = deepest
    while depth > 1 and _count_boxes(ops, depth) > max_nodes:
        depth -= 1
    groups: dict[Node, _Group] = {}
    by_key: dict[tuple[int, ...], _Group] = {}
    boxes = 0
    more: _Group | None = None
    for node in ops:  # in walk order, so group numbers are stable
        key = tuple(id(module) for module in node.modules[:depth]) if depth else ()
        group = by_key.get(key) if key else None
        if group is None and boxes >= max_nodes:
            if more is None:
                more = _Group("more", "more")
            group = more
        elif group is None and key:
            group = by_key[key] = _Group(f"g{len(by_key)}", "group", node.modules[depth - 1])
            boxes += 1
        elif group is None:
            boxes += 1
        if group is not None:
            group.count += 1
            groups[node] = group
    return groups


def _count_boxes(ops: list[Node], depth: int) -> int:
    keys = {tuple(id(m) for m in node.modules[:depth]) for node in ops if node.modules}
    return len(keys) + sum(1 for node in ops if not node.modules)


# --------------------------------------------------------------------------- graphs of other engines


def draw_nodes(
    output: Any,
    *,
    names: Mapping[str, Any],
    show_values: bool = True,
    show_grads: bool = True,
    highlight: Any = None,
    done: Any = None,
    rankdir: str = "auto",
    max_nodes: int = 60,
    grads: Mapping[int, Any] | None = None,
) -> GraphDrawing:
    """Draw a graph of another engine (see ``protocol``); ``grads`` (by ``id`` of a node) overrides ``grad``."""
    order = protocol.topological_order(output)
    by_variable = {id(value): name for name, value in reversed(list(names.items()))}
    index = {id(view.node): i for i, view in enumerate(order)}
    marks: dict[str, dict[str, str]] = {}
    for items, style in ((done, _DONE), (highlight, _HIGHLIGHT)):
        for item in _as_nodes(items):
            if id(item) in index:
                marks[_node_box(index[id(item)])] = style
    graph = _new_drawing(rankdir)
    shown = order[:max_nodes]
    for i, view in enumerate(shown):
        kind = "output" if i == 0 else "leaf" if not view.inputs else "tensor"
        name = view.label or by_variable.get(id(view.node))
        if name is None and i == 0:
            name = t("viz.output")
        title = [name] if name else []
        shape = np.shape(view.value) if _is_array_like(view.value) else ()
        if shape:
            title = [f"{title[0]} {tuple(shape)}"] if title else [str(tuple(shape))]
        lines = list(title)
        grad = grads.get(id(view.node), view.grad) if grads is not None else view.grad
        if show_values:
            lines.append(f"{t('viz.value')} = {_format_any(view.value)}")
        if show_grads and grad is not None:
            lines.append(f"{t('viz.grad')} = {_format_any(grad)}")
        box = _node_box(i)
        _emit_box(graph, box, kind, lines or [""], marks.get(box))
        if view.inputs:
            op_box = f"op{i}"
            _emit_box(graph, op_box, "op", [view.op or "?"], None)
            graph.edge(op_box, box)
    more = len(order) - len(shown)
    if more > 0:
        _emit_box(graph, "more", "more", [t("viz.more_nodes", count=more)], None)
    for i, view in enumerate(shown):
        sources = [_node_box(index[id(child)]) if index[id(child)] < len(shown) else "more" for child in view.inputs]
        for k, source in enumerate(sources):
            if source != "more" or "more" not in sources[:k]:
                graph.edge(source, f"op{i}")
    name = by_variable.get(id(output)) or order[0].label
    _describe_graph(graph, name, len(shown) + sum(1 for view in shown if view.inputs) + (more > 0))
    if rankdir == "auto":
        graph.choose_rankdir()
    return graph


def _node_box(i: int) -> str:
    return "out" if i == 0 else f"n{i}"


def _as_nodes(items: Any) -> list[Any]:
    if items is None:
        return []
    if isinstance(items, (list, tuple)):
        return list(items)
    return [items]


def _is_array_like(value: Any) -> bool:
    return isinstance(value, np.ndarray) or (hasattr(value, "shape") and hasattr(value, "__array__"))


def _format_any(value: Any) -> str:
    """A value or gradient of another engine: numbers and arrays as the drawing shows them."""
    if isinstance(value, Tensor):
        return format_array(value)
    try:
        array = np.asarray(value)
    except Exception:
        return type(value).__name__
    if array.dtype.kind not in "fiub":
        inner = getattr(value, "data", None)  # e.g. a gradient held as another node
        return _format_any(inner) if inner is not None and inner is not value else type(value).__name__
    return format_array(array)


def _emit_box(graph: GraphDrawing, box_id: str, kind: str, lines: list[str], mark: dict[str, str] | None) -> None:
    attrs = dict(_STYLE[kind])
    if mark is not None:
        attrs.update(mark)
        if "filled" not in attrs["style"]:
            attrs["style"] += ",filled"
    graph.node(box_id, "\\n".join(_escape(line) for line in lines), **attrs)


def _describe_graph(graph: GraphDrawing, name: str | None, boxes: int) -> None:
    graph.output_name, graph.box_count = name, boxes

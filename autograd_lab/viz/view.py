"""The live view of a graph (a scrolling box with a "ver completo" toggle) and display bundles with fallbacks.

Every widget and every ``draw()`` output is displayed as a bundle of views of
the same picture: the live widget (when a kernel runs it), an SVG (graphs), a
PNG with twice the pixels of its on-screen size, and plain text.  Each front
end picks the richest one it can show: JupyterLab the widget, or the PNG in a
notebook it has not run; GitHub and nbviewer the PNG or SVG; a terminal the text.
"""

from __future__ import annotations

import html
from typing import Any

import graphviz
import ipywidgets as widgets

from ..i18n import t
from . import render, texts  # noqa: F401  (texts registers the viz.* texts)

WIDE_PX = 860  # graphs wider than this (about a notebook cell) get the "ver completo" toggle


def in_kernel() -> bool:
    """True inside a running Jupyter kernel (where a widget can be shown live)."""
    try:
        from IPython import get_ipython
    except ImportError:
        return False
    shell = get_ipython()
    return shell is not None and getattr(shell, "kernel", None) is not None


class GraphView:
    """An HTML widget with the rendered graph at a readable size, scrolling inside its own box.

    ``fit`` (the "ver completo" toggle, shown for wide graphs) shrinks the graph to
    the width of the cell.  Without graphviz's ``dot`` it shows the install line
    and the DOT source.  ``dot_source`` and ``svg`` keep what is on display.
    """

    def __init__(self) -> None:
        # A block (not flex) box as wide as the cell: the graph's card inside it scrolls when wider.
        self.html = widgets.HTML(layout=widgets.Layout(display="block", width="100%", min_width="0"))
        self.fit = widgets.ToggleButton(
            value=False,
            description=t("viz.fit"),
            tooltip=t("viz.fit_tooltip"),
            icon="expand",
            layout=widgets.Layout(width="auto", align_self="flex-start", display="none"),
        )
        self.widget = widgets.VBox([self.fit, self.html], layout=widgets.Layout(width="100%", min_width="0"))
        self.dot_source = ""
        self.svg = ""
        self.rendered = False  # False when dot was missing and the DOT text is shown
        self.fit.observe(self._on_fit, names="value")

    def show(self, graph: graphviz.Digraph | None, message: str = "", svg: str | None = None) -> None:
        """Render ``graph`` (or show ``message`` when there is none); ``svg``: the graph already rendered."""
        if graph is None:
            self.dot_source, self.svg, self.rendered = "", "", False
            self.html.value = f"<p>{html.escape(message)}</p>" if message else ""
            self.fit.layout.display = "none"
            return
        self.dot_source = graph.source
        try:
            self.svg = svg if svg is not None else render.graph_svg(graph)
        except graphviz.ExecutableNotFound:
            from .graph import fallback_html, missing_dot_message

            self.svg, self.rendered = "", False
            self.html.value = fallback_html(missing_dot_message(), graph.source)
            self.fit.layout.display = "none"
            return
        self.rendered = True
        self.fit.layout.display = "" if render.screen_size(self.svg)[0] > WIDE_PX else "none"
        self._paint()

    def _paint(self) -> None:
        self.html.value = render.graph_box(self.svg, fit=self.fit.value)

    def _on_fit(self, change: Any) -> None:
        self.fit.description = t("viz.actual_size") if self.fit.value else t("viz.fit")
        if self.svg:
            self._paint()


def bundle(
    text: str, picture: render.Picture | None, live: Any = None, svg: str | None = None
) -> tuple[dict[str, Any], dict[str, Any]]:
    """A display bundle: plain ``text``, the static ``picture`` (PNG), an ``svg``, and the ``live`` widget's view."""
    data: dict[str, Any] = {}
    metadata: dict[str, Any] = {}
    if live is not None:
        data.update(live._repr_mimebundle_() or {})
    if svg:
        data["image/svg+xml"] = svg
    if picture is not None:
        png_data, png_metadata = picture.bundle()
        data.update(png_data)
        metadata.update(png_metadata)
    data["text/plain"] = text
    return data, metadata

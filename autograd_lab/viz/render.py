"""Pictures of graphs and figures: SVG for the live view, a sharp PNG beside it for everywhere else.

A graph is shown at a *readable* size: one graphviz point is ``PX_PER_PT`` CSS
pixels, so the smallest label (10 pt) is about 11 px on screen.  A graph wider
than its cell scrolls inside its own box instead of shrinking; "fit" shrinks it
to the cell on request.

The static picture stored beside every live view is a PNG at twice the pixels of
its on-screen size (``PNG_SCALE``), with that size in its metadata: JupyterLab
shows it in notebooks it has not run (where it shows neither widgets nor SVG),
and so do GitHub and nbviewer.
"""

from __future__ import annotations

import atexit
import base64
import html
import io
import os
import re
import select
import shutil
import subprocess
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import graphviz

PX_PER_PT = 1.1333  # CSS px per graphviz point on screen: 10 pt labels show at 11.3 px
PNG_SCALE = 2  # static pictures carry twice the pixels they are shown with (sharp on HiDPI screens)
PICTURE_WIDTH = 1100  # CSS px: the widest a static picture of a graph is drawn (about a notebook cell)
HEADER_INCHES = 0.3  # the line of text a figure's static picture can carry above its plots
CARD_STYLE = "background:#ffffff;color:#111827;border-radius:6px;padding:6px;box-sizing:border-box"

_SIZE = re.compile(r'<svg width="([\d.]+)pt" height="([\d.]+)pt"')


@dataclass(frozen=True)
class Picture:
    """A PNG and the size, in CSS pixels, it is meant to be shown at."""

    png: bytes
    width: int
    height: int

    def bundle(self) -> tuple[dict[str, Any], dict[str, Any]]:
        """(data, metadata) entries of a Jupyter display bundle."""
        data = {"image/png": base64.b64encode(self.png).decode("ascii")}
        return data, {"image/png": {"width": self.width, "height": self.height}}


# --------------------------------------------------------------------------- graphs


def graph_svg(graph: graphviz.Digraph, reuse_process: bool = True) -> str:
    """The rendered graph as an ``<svg>`` element (no XML prolog); raises ExecutableNotFound without dot.

    ``reuse_process``: render with the ``dot`` process kept from the previous
    render (``DotProcess``), when it gives the same SVG as a new process does;
    a new ``dot`` process per graph otherwise.
    """
    svg = _DOT.render(graph) if reuse_process else None
    if svg is None:
        svg = graph.pipe(format="svg", encoding="utf-8")
    start = svg.find("<svg")
    return svg[start:] if start >= 0 else svg


class DotProcess:
    """One ``dot -Tsvg`` process that renders graph after graph, read from its standard input.

    Starting ``dot`` costs more than laying out a graph of a few dozen boxes
    (it loads its plugins and fonts), and a slider redraws the graph many times
    a second.  ``dot`` renders each graph of its input as soon as it has read it,
    so one process can serve them all.  Two things differ from a process per
    graph, and are put back: an unnamed graph is named after a counter that keeps
    counting (``%3`` in its own process, ``%339`` later), and the graph's group
    ids gain a page prefix (``page0,1_graph0``).  When the process is started, a
    sample graph is rendered both ways; if they differ after that, or ``dot``
    writes anything to its error stream, or dies, the graph is rendered by a new
    process (``render`` returns None) as without this class.
    """

    TIMEOUT_S = 60.0  # a graph that takes longer is rendered again by a process of its own
    SAMPLE = 'digraph {\n\ta [label="a\\nvalor = 2" shape=box]\n\tb [label=MulBackward0]\n\tb -> a\n}\n'

    def __init__(self) -> None:
        self._process: subprocess.Popen[bytes] | None = None
        self._owner = (0, "")  # (pid, dot's path) the process was started for
        self._title = ""  # an unnamed graph's name in a process of its own
        self._usable: dict[str, bool] = {}  # per dot executable: does the kept process give the same SVG?
        self._lock = threading.Lock()

    def render(self, graph: graphviz.Digraph) -> str | None:
        """``graph`` as SVG text (with its XML prolog), or None: render it with a process of its own."""
        if os.name != "posix" or graph.engine != "dot" or graph.renderer or graph.formatter:
            return None
        source = graph.source.encode(graph.encoding)
        if _PAGES_OR_LAYERS.search(source):  # pages and layers prefix ids themselves: leave them to dot
            return None
        executable = shutil.which("dot")
        if executable is None or self._usable.get(executable) is False:
            return None
        with self._lock:
            if executable not in self._usable:
                self._usable[executable] = self._check(executable)
                if not self._usable[executable]:
                    self.close()
                    return None
            return self._render(executable, source)

    def close(self) -> None:
        """End the kept process (it also ends by itself when this program ends: its input closes)."""
        process, self._process = self._process, None
        if process is not None and self._owner[0] == os.getpid():
            for stream in (process.stdin, process.stdout, process.stderr):
                if stream is not None:
                    stream.close()
            process.kill()
            process.wait()

    def _check(self, executable: str) -> bool:
        """Does the kept process render the sample (twice: the second graph of a process) as a new process does?"""
        try:
            own = subprocess.run([executable, "-Kdot", "-Tsvg"], input=self.SAMPLE.encode(), capture_output=True)
        except OSError:
            return False
        if own.returncode or own.stderr:
            return False
        expected = own.stdout.decode()
        match = _TITLE.search(expected)
        self._title = match.group(1) if match else ""
        for _ in range(2):
            got = self._render(executable, self.SAMPLE.encode())
            if got != expected:
                return False
        return True

    def _render(self, executable: str, source: bytes) -> str | None:
        if self._process is None or self._owner != (os.getpid(), executable) or self._process.poll() is not None:
            self.close()  # a process started by the parent of a fork is left to the parent
            try:
                self._process = subprocess.Popen(
                    [executable, "-Kdot", "-Tsvg"],
                    stdin=subprocess.PIPE,
                    stdout=subprocess.PIPE,
                    stderr=subprocess.PIPE,
                    bufsize=0,
                )
            except OSError:
                return None
            self._owner = (os.getpid(), executable)
        process = self._process
        assert process.stdin is not None and process.stdout is not None and process.stderr is not None
        try:
            process.stdin.write(source if source.endswith(b"\n") else source + b"\n")
            out = bytearray()
            deadline = time.monotonic() + self.TIMEOUT_S
            while not out.endswith(b"</svg>\n"):
                remaining = deadline - time.monotonic()
                ready, _, _ = select.select([process.stdout, process.stderr], [], [], max(remaining, 0))
                if not ready or process.stderr in ready:  # too slow, or a warning or error: a process of its own
                    raise OSError("dot did not render the graph cleanly")
                chunk = os.read(process.stdout.fileno(), 1 << 16)
                if not chunk:
                    raise OSError("dot ended")
                out += chunk
            if select.select([process.stderr], [], [], 0)[0]:  # a warning after all: shown by a process of its own
                raise OSError("dot wrote to its error stream")
        except OSError:
            self.close()
            return None
        except BaseException:  # interrupted mid-graph: the process's output is no longer in step
            self.close()
            raise
        svg = out.decode("utf-8")
        match = _TITLE.search(svg)
        if match and self._title:  # an unnamed graph: the name it has in a process of its own
            counted = match.group(1)
            svg = svg.replace(match.group(0), match.group(0).replace(counted, self._title), 1)
            svg = svg.replace(f"<title>{counted}</title>", f"<title>{self._title}</title>", 1)
        return _PAGE_ID.sub(r'id="\1"', svg)


_TITLE = re.compile(r"<!-- Title: (%\d+) Pages: \d+ -->")  # an unnamed graph's name, from a counter
_PAGE_ID = re.compile(r'id="page\d+,\d+_([^"]*)"')
_PAGES_OR_LAYERS = re.compile(rb"\b(?:page|layers|layerselect)\s*=")
_DOT = DotProcess()
atexit.register(_DOT.close)


def svg_size(svg: str) -> tuple[float, float]:
    """(width, height) in points of a graphviz SVG (0, 0 when unknown)."""
    match = _SIZE.search(svg)
    return (float(match.group(1)), float(match.group(2))) if match else (0.0, 0.0)


def screen_size(svg: str) -> tuple[int, int]:
    """(width, height) in CSS pixels at which the graph is readable."""
    width, height = svg_size(svg)
    return round(width * PX_PER_PT), round(height * PX_PER_PT)


def sized_svg(svg: str, fit: bool = False) -> str:
    """The SVG at its readable size; ``fit`` lets it shrink (never grow) to the width of its box."""
    width, height = screen_size(svg)
    if not width:
        return svg
    style = "display:block;max-width:100%;height:auto" if fit else "display:block;max-width:none"
    return _SIZE.sub(f'<svg width="{width}px" height="{height}px" style="{style}"', svg, count=1)


def graph_box(svg: str, fit: bool = False) -> str:
    """HTML for the live view: the graph on a white card that scrolls when wider than the cell."""
    style = f"display:inline-block;vertical-align:top;overflow:auto;max-width:100%;{CARD_STYLE}"
    return f'<div class="autograd-lab-graph" style="{style}">{sized_svg(svg, fit)}</div>'


def graph_picture(
    graph: graphviz.Digraph,
    caption: Sequence[Sequence[str]] = (),
    bold_first: bool = False,
    svg: str | None = None,
) -> Picture:
    """The graph as a PNG with twice the pixels of its on-screen size, with an optional caption table above it.

    On screen it is the readable size, or ``PICTURE_WIDTH`` px wide for a wider
    graph (a static picture cannot scroll: it is shrunk to its cell anyway).
    ``svg`` (the graph already rendered) saves laying it out again to learn its size.
    """
    width_pt, _ = svg_size(svg if svg is not None else graph_svg(graph))
    scale = min(PX_PER_PT, PICTURE_WIDTH / width_pt) if width_pt else PX_PER_PT
    copy = graph.copy()
    copy.attr(dpi=f"{72 * scale * PNG_SCALE:.2f}", bgcolor="white")
    if caption:
        copy.attr(label=caption_label(caption, bold_first), labelloc="t", labeljust="l", fontsize="12")
    png = copy.pipe(format="png")
    width, height = _png_size(png)
    return Picture(png, round(width / PNG_SCALE), round(height / PNG_SCALE))


def caption_label(rows: Sequence[Sequence[str]], bold_first: bool = False) -> str:
    """A graphviz HTML-like label: a left-aligned table of text rows (the first one bold if asked)."""
    body = []
    for i, row in enumerate(rows):
        cells = []
        for cell in row:
            text = html.escape(cell) or " "
            cells.append(f'<td align="left">{"<b>" + text + "</b>" if bold_first and i == 0 else text}</td>')
        body.append(f"<tr>{''.join(cells)}</tr>")
    return f'<<table border="0" cellborder="0" cellspacing="0" cellpadding="3">{"".join(body)}</table>>'


def _png_size(png: bytes) -> tuple[int, int]:
    """(width, height) in pixels, read from the PNG header."""
    if png[:8] != b"\x89PNG\r\n\x1a\n":
        return 0, 0
    return int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")


# --------------------------------------------------------------------------- matplotlib figures


def figure_svg(figure: Any) -> str:
    """A matplotlib figure as an ``<svg>`` element that keeps its text as text (small, sharp, legible)."""
    import matplotlib

    buffer = io.StringIO()
    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": "autograd_lab"}):
        figure.savefig(buffer, format="svg", facecolor="white", metadata={"Date": None})
    svg = buffer.getvalue()
    start = svg.find("<svg")
    return svg[start:] if start >= 0 else svg


MIN_TEXT_PX = 10.0  # a live figure shrinks to a narrower cell only while its smallest text stays this big


def figure_box(svg: str) -> str:
    """HTML for a live figure: at its own size, shrinking (never growing) to a narrower cell.

    It shrinks only while its smallest text stays ``MIN_TEXT_PX`` on screen;
    in a still narrower cell it keeps that size and scrolls sideways in its box.
    """
    sizes = [float(size) for size in _FONT_SIZE.findall(svg)]  # in the SVG's units: points
    smallest_px = min(sizes) * 4 / 3 if sizes else 0.0
    least = min(1.0, MIN_TEXT_PX / smallest_px) if smallest_px else 1.0
    svg = re.sub(
        r'<svg([^>]*?) width="([\d.]+)pt" height="([\d.]+)pt"',
        lambda match: _figure_size(match, least),
        svg,
        count=1,
    )
    return f'<div class="autograd-lab-figure" style="max-width:100%;overflow-x:auto">{svg}</div>'


_FONT_SIZE = re.compile(r"font-size: ?([\d.]+)px")


def _figure_size(match: re.Match[str], least: float) -> str:
    width, height = (round(float(match.group(k)) * 4 / 3) for k in (2, 3))  # points -> CSS px
    style = f"display:block;max-width:100%;min-width:{round(width * least)}px;height:auto"
    return f'<svg{match.group(1)} width="{width}px" height="{height}px" style="{style}"'


def figure_picture(figure: Any, header: str = "") -> Picture:
    """A matplotlib figure as a PNG with twice the pixels of its on-screen size.

    ``header``: a line of text above the plots (a readout); the picture grows by
    ``HEADER_INCHES`` to hold it, the plots keep their size, and the figure is
    left as it was.
    """
    width_in, height_in = figure.get_size_inches()
    params = figure.subplotpars
    top, bottom = params.top, params.bottom
    text = None
    if header:
        grown = height_in + HEADER_INCHES
        figure.set_size_inches(width_in, grown)
        figure.subplots_adjust(top=top * height_in / grown, bottom=bottom * height_in / grown)
        left = figure.axes[0].get_position().x0 if figure.axes else 0.02
        text = figure.text(left, 1 - 0.08 / grown, header, ha="left", va="top", fontsize=9)
    try:
        buffer = io.BytesIO()
        shown_width, shown_height = figure.get_size_inches()
        figure.savefig(buffer, format="png", dpi=96 * PNG_SCALE, facecolor="white")
        return Picture(buffer.getvalue(), round(shown_width * 96), round(shown_height * 96))
    finally:
        if text is not None:
            text.remove()
            figure.set_size_inches(width_in, height_in)
            figure.subplots_adjust(top=top, bottom=bottom)

"""Run notebooks in a real JupyterLab driven by headless Chromium (Playwright), for browser tests.

``JupyterLabServer`` starts JupyterLab on 127.0.0.1 (free port, random token,
temporary root, config and user-settings dirs) with the course's settings
(``autograd_lab/lab_settings``: notebook windowing off so every cell is in the
DOM, no news pop-up).  ``open_notebook`` copies a notebook into the server's root,
opens it, runs all its cells and returns the Playwright page.  Lesson notebooks
can be checked with the same two calls.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from autograd_lab.launch import SETTINGS_DIR  # the course's JupyterLab settings, as `make lab` uses them

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]


def missing_requirement() -> str | None:
    """Why the browser tests cannot run here (None when they can)."""
    if not CHROMIUM.exists():
        return f"Chromium not found at {CHROMIUM} (Debian/Ubuntu: sudo apt-get install chromium)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the Playwright Python package is not installed (pip install playwright)"
    try:
        import jupyterlab  # noqa: F401
    except ImportError:
        return "JupyterLab is not installed (pip install jupyterlab)"
    return None


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class JupyterLabServer:
    """A JupyterLab server of our own on loopback, rooted in ``base / "root"``."""

    def __init__(self, base: Path, startup_timeout: float = 90.0) -> None:
        self.base = base
        self.root = base / "root"
        self.token = secrets.token_hex(16)
        self.port = _free_port()
        self.startup_timeout = startup_timeout
        self.process: subprocess.Popen[bytes] | None = None
        self.log_path = base / "jupyterlab.log"

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def url(self, path: str) -> str:
        """The address of ``path`` under the server (token included)."""
        return f"{self.base_url}/{path.lstrip('/')}?token={self.token}"

    def start(self) -> JupyterLabServer:
        for name in ("root", "config", "data", "runtime", "ipython", "settings", "workspaces"):
            (self.base / name).mkdir(parents=True, exist_ok=True)
        env = {
            **os.environ,
            "JUPYTER_CONFIG_DIR": str(self.base / "config"),
            "JUPYTER_DATA_DIR": str(self.base / "data"),
            "JUPYTER_RUNTIME_DIR": str(self.base / "runtime"),
            "IPYTHONDIR": str(self.base / "ipython"),
            "JUPYTER_PLATFORM_DIRS": "1",
            "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
        }
        env.pop("JUPYTER_PATH", None)
        command = [
            sys.executable,
            "-m",
            "jupyterlab",
            "--no-browser",
            "--ServerApp.ip=127.0.0.1",
            f"--ServerApp.port={self.port}",
            "--ServerApp.port_retries=0",
            f"--IdentityProvider.token={self.token}",
            f"--ServerApp.root_dir={self.root}",
            f"--LabApp.user_settings_dir={self.base / 'settings'}",
            f"--LabApp.app_settings_dir={SETTINGS_DIR}",
            f"--LabApp.workspaces_dir={self.base / 'workspaces'}",
            "--LabApp.expose_app_in_browser=True",
            "--LabApp.extension_manager=readonly",  # no package index queries
        ]
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            command.append("--allow-root")  # CI containers run as root
        log = self.log_path.open("wb")
        self.process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env=env, cwd=self.root)
        log.close()
        self._wait_until_ready()
        return self

    def _wait_until_ready(self) -> None:
        deadline = time.monotonic() + self.startup_timeout
        while time.monotonic() < deadline:
            if self.process is not None and self.process.poll() is not None:
                raise RuntimeError(f"JupyterLab exited early:\n{self.log()}")
            try:
                with urllib.request.urlopen(self.url("api/status"), timeout=5) as response:
                    if response.status == 200:
                        return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(0.25)
        raise RuntimeError(f"JupyterLab did not answer within {self.startup_timeout:.0f} s:\n{self.log()}")

    def log(self) -> str:
        """The server's output so far (for failure messages)."""
        return self.log_path.read_text(encoding="utf-8", errors="replace")[-4000:]

    def stop(self) -> None:
        """Shut down the kernels and the server (through its API, then by its process id)."""
        if self.process is None or self.process.poll() is not None:
            return
        request = urllib.request.Request(self.url("api/shutdown"), method="POST")
        request.add_header("Authorization", f"token {self.token}")
        try:
            urllib.request.urlopen(request, timeout=10).close()
            self.process.wait(timeout=30)
        except (urllib.error.URLError, ConnectionError, TimeoutError, subprocess.TimeoutExpired):
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)

    def __enter__(self) -> JupyterLabServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def launch_chromium(playwright: Any) -> Any:
    """Debian's Chromium, headless, through Playwright."""
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)


# JavaScript run in the page; each finds the notebook panel by its path.
_FIND_PANEL = """
const findPanel = (path) => {
  const app = window.jupyterapp;
  for (const widget of app.shell.widgets('main')) {
    if (widget.context && widget.context.path === path && widget.content && widget.content.widgets) {
      return widget;
    }
  }
  return null;
};
"""

_WAIT_FOR_NOTEBOOK = (
    "async (path) => {"
    + _FIND_PANEL
    + """
  const panel = findPanel(path);
  if (!panel) { return false; }
  await panel.context.ready;
  await panel.sessionContext.ready;
  return panel.sessionContext.session !== null && panel.sessionContext.session.kernel !== null;
}"""
)

_RUN_ALL = (
    "async (path) => {"
    + _FIND_PANEL
    + """
  const app = window.jupyterapp;
  const panel = findPanel(path);
  app.shell.activateById(panel.id);
  if (app.shell.currentWidget !== panel) { throw new Error('could not activate ' + path); }
  await app.commands.execute('notebook:run-all-cells');
  const cells = panel.content.widgets.filter(cell => cell.model.type === 'code');
  return cells.map(cell => cell.model.executionCount);
}"""
)

_ERRORS = (
    "(path) => {"
    + _FIND_PANEL
    + """
  const errors = [];
  for (const cell of findPanel(path).content.widgets) {
    const outputs = cell.model.outputs;
    if (!outputs) { continue; }
    for (let i = 0; i < outputs.length; i++) {
      const output = outputs.get(i).toJSON();
      if (output.output_type === 'error') { errors.push(output.ename + ': ' + output.evalue); }
    }
  }
  return errors;
}"""
)


def show_notebook(
    page: Any,
    server: JupyterLabServer,
    notebook: Path,
    support_files: Sequence[Path] = (),
    timeout: float = 60.0,
) -> None:
    """Copy ``notebook`` (and ``support_files``) into the server's root and open it in ``page``, without running it.

    The copy is new to the server, so JupyterLab opens it untrusted, as a student's
    first open.  The page starts from a fresh workspace, so no other notebook is
    restored beside it.
    """
    for path in (*support_files, notebook):
        shutil.copyfile(path, server.root / path.name)
    page.set_default_timeout(timeout * 1000)
    page.goto(server.url(f"lab/tree/{notebook.name}") + "&reset")
    page.wait_for_function("() => window.jupyterapp && window.jupyterapp.shell.currentWidget")
    page.wait_for_function(_WAIT_FOR_NOTEBOOK, arg=notebook.name)


def run_all(page: Any, notebook: Path) -> list[int | None]:
    """Run every cell of ``notebook`` (open in ``page``); the execution count of each code cell (None: did not run)."""
    counts: list[int | None] = page.evaluate(_RUN_ALL, notebook.name)
    return counts


def open_notebook(
    page: Any,
    server: JupyterLabServer,
    notebook: Path,
    support_files: Sequence[Path] = (),
    timeout: float = 60.0,
) -> list[int | None]:
    """``show_notebook`` then ``run_all``: the execution count of every code cell."""
    show_notebook(page, server, notebook, support_files, timeout)
    return run_all(page, notebook)


_DESCRIBE_OUTPUTS = """
const describeOutputs = (path) => {
  const cells = findPanel(path).content.widgets.filter(cell => cell.model.type === 'code');
  return cells.map(cell => Array.from(cell.node.querySelectorAll('.jp-OutputArea-output')).map(output => {
    const images = Array.from(output.querySelectorAll('img')).filter(
      img => img.complete && img.naturalWidth > 0 && img.getBoundingClientRect().width > 0);
    const svgs = Array.from(output.querySelectorAll('svg')).filter(svg => svg.getBoundingClientRect().width > 50);
    return {
      mime: output.getAttribute('data-mime-type') || '',
      pictures: images.length + svgs.length,
      widget: output.querySelector('.jupyter-widgets:not(.jp-mod-error)') !== null
        && !output.innerText.includes('Error displaying widget'),
      text: output.innerText.slice(0, 200),
    };
  }));
};
"""

_OUTPUTS = "(path) => {" + _FIND_PANEL + _DESCRIBE_OUTPUTS + "return describeOutputs(path); }"

_PICTURES_SHOWN = (
    "([path, cells]) => {"
    + _FIND_PANEL
    + _DESCRIBE_OUTPUTS
    + """
  const shown = describeOutputs(path);
  return cells.every(i => shown[i].some(output => output.pictures > 0));
}"""
)


def cell_outputs(page: Any, notebook: Path) -> list[list[dict[str, Any]]]:
    """Per code cell, what each output shows: its MIME type, how many pictures, a live widget, its text."""
    outputs: list[list[dict[str, Any]]] = page.evaluate(_OUTPUTS, notebook.name)
    return outputs


_GRAPH_MEASURES = """() => Array.from(document.querySelectorAll('.autograd-lab-graph')).map(box => {
  const output = box.closest('.jp-Cell') || box.parentElement;
  const outer = output.getBoundingClientRect();
  const rect = box.getBoundingClientRect();
  const sizes = Array.from(box.querySelectorAll('svg g.node text')).map(text => {
    const m = text.getScreenCTM();
    return parseFloat(text.getAttribute('font-size')) * Math.hypot(m.a, m.b);
  });
  const style = getComputedStyle(box);
  return {
    left: rect.left, right: rect.right, cellLeft: outer.left, cellRight: outer.right,
    clientWidth: box.clientWidth, scrollWidth: box.scrollWidth, overflowX: style.overflowX,
    smallestFont: sizes.length ? Math.min(...sizes) : null, labels: sizes.length,
    visible: rect.width > 0 && rect.height > 0,
  };
})"""


def wait_for_pictures(page: Any, notebook: Path, cells: Sequence[int], timeout: float = 30.0) -> None:
    """Wait until every code cell in ``cells`` shows a picture (an ``<img>`` loaded, or an ``<svg>``); no error.

    On timeout it returns quietly: the caller's assertion then says which cells show none.
    """
    from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

    with contextlib.suppress(PlaywrightTimeoutError):
        page.wait_for_function(_PICTURES_SHOWN, arg=[notebook.name, list(cells)], timeout=timeout * 1000)


def graph_measures(page: Any) -> list[dict[str, Any]]:
    """For every live graph on the page: its box against its cell, whether it scrolls, its smallest label in px."""
    measures: list[dict[str, Any]] = page.evaluate(_GRAPH_MEASURES)
    return measures


_FIGURE_MEASURES = """() => Array.from(document.querySelectorAll('.autograd-lab-figure svg')).map(svg => {
  const output = svg.closest('.jp-OutputArea-output') || svg.parentElement;
  const rect = svg.getBoundingClientRect();
  const sizes = Array.from(svg.querySelectorAll('text')).filter(text => text.textContent.trim()).map(text => {
    const m = text.getScreenCTM();
    return parseFloat(getComputedStyle(text).fontSize) * Math.hypot(m.a, m.b);
  });
  const box = svg.closest('.autograd-lab-figure');
  const cell = (svg.closest('.jp-Cell') || output).getBoundingClientRect();
  const shown = box.getBoundingClientRect();
  return {
    width: rect.width, outputWidth: output.getBoundingClientRect().width,
    naturalWidth: parseFloat(svg.getAttribute('width')),
    smallestFont: sizes.length ? Math.min(...sizes) : null, texts: sizes.length,
    boxLeft: shown.left, boxRight: shown.right, cellLeft: cell.left, cellRight: cell.right,
    clientWidth: box.clientWidth, scrollWidth: box.scrollWidth, overflowX: getComputedStyle(box).overflowX,
  };
})"""


def figure_measures(page: Any) -> list[dict[str, Any]]:
    """For every live plot: its width on screen, its cell output's width, the width it asks for, its smallest text,
    its box against its cell and whether the box scrolls."""
    measures: list[dict[str, Any]] = page.evaluate(_FIGURE_MEASURES)
    return measures


def error_outputs(page: Any, notebook: Path) -> list[str]:
    """``"Name: message"`` of every error output of ``notebook``, open in ``page``."""
    errors: list[str] = page.evaluate(_ERRORS, notebook.name)
    return errors

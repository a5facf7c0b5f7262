"""Fixtures for real-browser tests: one JupyterLab server and one Chromium per session.

``run_notebook(path)`` opens a notebook in JupyterLab, runs all its cells and
returns the Playwright page; any test in this directory can use it (lesson
notebooks included).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from jupyter_browser import (
    JupyterLabServer,
    error_outputs,
    launch_chromium,
    missing_requirement,
    run_all,
    show_notebook,
)

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


@pytest.fixture(scope="session")
def jupyter_lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[JupyterLabServer]:
    reason = missing_requirement()
    if reason:
        pytest.skip(reason)
    with JupyterLabServer(tmp_path_factory.mktemp("jupyterlab")) as server:
        yield server


@pytest.fixture(scope="session")
def chromium(jupyter_lab: JupyterLabServer) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def run_notebook(jupyter_lab: JupyterLabServer, chromium: Any) -> Iterator[Callable[..., Any]]:
    """Open a notebook, run all cells, check that every code cell ran without error; returns the page.

    ``run_notebook(path, support_files=[...])`` also copies files the notebook reads;
    ``before_run=check(page)`` looks at the notebook as first opened, before it runs.
    """
    pages = []

    def run(
        notebook: Path, support_files: tuple[Path, ...] = (), before_run: Callable[[Any], None] | None = None
    ) -> Any:
        page = chromium.new_page(viewport={"width": 1280, "height": 900})
        pages.append(page)
        show_notebook(page, jupyter_lab, notebook, support_files)
        if before_run is not None:
            before_run(page)  # the notebook as a student first sees it: stored outputs, untrusted
        counts = run_all(page, notebook)
        errors = error_outputs(page, notebook)
        assert not errors, f"{notebook.name} raised: {errors}"
        assert all(count is not None for count in counts), f"cells did not run: {counts}\n{jupyter_lab.log()}"
        return page

    yield run
    for page in pages:
        page.close()


@pytest.fixture
def artifacts() -> Path:
    """The directory for screenshots (gitignored)."""
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS

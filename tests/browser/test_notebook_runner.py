"""The browser notebook runner itself: it reports cells that raise and cells that never ran."""

import nbformat
from jupyter_browser import error_outputs, open_notebook


def test_runner_reports_errors_and_unrun_cells(jupyter_lab, chromium, tmp_path):
    notebook = nbformat.v4.new_notebook()
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    notebook.cells = [
        nbformat.v4.new_code_cell("x = 1"),
        nbformat.v4.new_code_cell("1 / 0"),
        nbformat.v4.new_code_cell("x + 1"),
    ]
    path = tmp_path / "raises.ipynb"
    nbformat.write(notebook, path)
    page = chromium.new_page()
    try:
        counts = open_notebook(page, jupyter_lab, path)
        assert counts[0] is not None and counts[1] is not None
        assert counts[2] is None  # JupyterLab stops at the error
        assert error_outputs(page, path) == ["ZeroDivisionError: division by zero"]
    finally:
        page.close()

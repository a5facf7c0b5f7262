"""The course's JupyterLab settings (autograd_lab/lab_settings) are what the running JupyterLab serves and shows."""

import json
import urllib.request

from autograd_lab.launch import SETTINGS_DIR

EXPECTED = {
    "@jupyterlab/apputils-extension:notification": {"fetchNews": "false", "checkForUpdates": False},
    "@jupyterlab/notebook-extension:tracker": {"windowingMode": "none", "recordTiming": False},
    "@jupyter-widgets/jupyterlab-manager:plugin": {"saveState": True},
}


def test_jupyterlab_serves_the_course_defaults(jupyter_lab):
    assert json.loads((SETTINGS_DIR / "overrides.json").read_text(encoding="utf-8")) == EXPECTED
    for plugin, values in EXPECTED.items():
        with urllib.request.urlopen(jupyter_lab.url(f"lab/api/settings/{plugin}"), timeout=30) as response:
            schema = json.load(response)["schema"]
        for key, value in values.items():
            assert schema["properties"][key]["default"] == value, (plugin, key)


ANNOUNCEMENTS_CONFIG = "api/config/jupyterlabapputilsextensionannouncements"
PROBE = "autograd-lab: aviso de prueba"
_NOTIFY = (
    "(message) => window.jupyterapp.commands.execute("
    "'apputils:notify', {message, type: 'info', options: {autoClose: false}})"
)


def test_no_news_pop_up_over_the_notebook(jupyter_lab, chromium, tmp_path):
    from jupyter_browser import show_notebook
    from playwright.sync_api import expect

    import nbformat

    notebook = tmp_path / "vacio.ipynb"
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, notebook)
    page = chromium.new_page(viewport={"width": 1280, "height": 900})
    try:
        # JupyterLab asks about the news once it has restored its layout and read the announcements'
        # config section: wait for both, then send a notification of our own. When ours shows, anything
        # sent before it has been counted and shown too.
        with page.expect_response(lambda response: ANNOUNCEMENTS_CONFIG in response.url):
            show_notebook(page, jupyter_lab, notebook)
        page.evaluate("() => window.jupyterapp.restored.then(() => true)")
        page.evaluate(_NOTIFY, PROBE)
        expect(page.locator(".Toastify__toast").filter(has_text=PROBE)).to_be_visible()
        expect(page.locator(".jp-Notification-Status-Text")).to_have_text("1")  # ours, and only ours
        assert "news" not in page.inner_text("body").lower()
        assert page.locator(".Toastify__toast").count() == 1
    finally:
        page.close()

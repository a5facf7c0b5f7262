"""make lab and autograd-lab lab start JupyterLab with the course's settings file."""

import json
import re
from pathlib import Path

from autograd_lab.launch import SETTINGS_DIR, lab_command

ROOT = Path(__file__).resolve().parents[1]


def test_lab_command_points_jupyterlab_at_the_course_settings(tmp_path):
    (tmp_path / "notebooks").mkdir()
    (tmp_path / "notebooks" / "00_introduccion.ipynb").write_text("{}", encoding="utf-8")
    command = lab_command(tmp_path, ["--", "--port=9999"])
    assert f"--LabApp.app_settings_dir={SETTINGS_DIR}" in command
    assert f"--ServerApp.root_dir={tmp_path}" in command
    assert command[-2:] == ["--port=9999", str(tmp_path / "notebooks" / "00_introduccion.ipynb")]
    overrides = json.loads((SETTINGS_DIR / "overrides.json").read_text(encoding="utf-8"))
    assert overrides["@jupyterlab/apputils-extension:notification"]["fetchNews"] == "false"


def test_make_lab_goes_through_autograd_lab_lab():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    recipe = re.search(r"^lab:.*\n((?:\t.*\n)+)", makefile, re.M).group(1)
    assert "autograd_lab.cli lab" in recipe and "jupyter lab" not in recipe

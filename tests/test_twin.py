"""The PyTorch twin: the same lesson code on both libraries, side by side; optional, and never a failure without it.

nbval compares the lessons with PyTorch installed or not: the sanitizer maps
the PyTorch column and the two good verdicts to one text, and leaves a
difference as it is, so a difference fails.  The last test runs the twin
lessons under nbval with PyTorch hidden, as on a machine without it.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from nbval.plugin import get_sanitize_patterns

import autograd_lab
from autograd_lab import set_language
from autograd_lab.course.twin import INSTALL, SEPARATOR, compare, twin

ROOT = Path(__file__).resolve().parent.parent
SANITIZE = ROOT / "tests" / "nbval_sanitize.cfg"
TWIN_LESSONS = sorted(
    path for path in (ROOT / "notebooks").glob("*.ipynb") if "twin(" in path.read_text(encoding="utf-8")
)


@pytest.fixture(autouse=True)
def spanish():
    set_language("es")
    yield
    set_language("es")


def lecture(torch):
    a = torch.tensor(2.0, requires_grad=True)
    b = torch.tensor(3.0, requires_grad=True)
    d = a * b + a
    d.backward()
    return {"d": d, "a.grad": a.grad, "b.grad": b.grad, "unused": None}


def sanitize(text: str) -> str:
    for regex, replace in get_sanitize_patterns(SANITIZE.read_text(encoding="utf-8")):
        text = re.sub(regex, replace, text)
    return text


def test_without_pytorch_the_table_shows_ours_and_says_how_to_get_it(capsys):
    twin(lecture, None)
    lines = capsys.readouterr().out.splitlines()
    assert [line.split() for line in lines[1:5]] == [
        ["d", "8", SEPARATOR, "—"],
        ["a.grad", "4", SEPARATOR, "—"],
        ["b.grad", "2", SEPARATOR, "—"],
        ["unused", "None", SEPARATOR, "—"],
    ]
    assert lines[-1].startswith("ℹ PyTorch no está instalado") and INSTALL in lines[-1]


def test_with_pytorch_the_same_numbers_side_by_side():
    torch = pytest.importorskip("torch")
    result = compare(lecture, torch)
    assert result.theirs == (8.0, 4.0, 2.0, None) and result.different == []
    assert result.lines()[-1] == f"✔ PyTorch {torch.__version__} da los mismos resultados."


def test_a_difference_is_named_and_survives_the_sanitizer():
    torch = pytest.importorskip("torch")

    def differs(library):
        return {"a": library.tensor(1.0 if library is autograd_lab else 2.0), "b": library.tensor([1.0, 2.0])}

    result = compare(differs, torch)
    assert result.different == ["a"]
    verdict = result.lines()[-1]
    assert verdict.startswith("✘") and sanitize(verdict) == verdict


def test_the_sanitizer_makes_with_and_without_pytorch_compare_equal():
    torch = pytest.importorskip("torch")
    with_torch = "\n".join(compare(lecture, torch).lines())
    without = "\n".join(compare(lecture, None).lines())
    assert with_torch != without and sanitize(with_torch) == sanitize(without)
    assert "autograd_lab" in sanitize(without) and "None" in sanitize(without)  # our column is still compared


def test_misuse_is_a_clear_error():
    with pytest.raises(TypeError, match="torch module or None"):
        compare(lecture, "torch")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="dict of named values"):
        compare(lambda torch: torch.tensor(1.0), None)
    with pytest.raises(TypeError, match="twin compares tensors"):
        compare(lambda torch: {"x": object()}, None)


def test_english_on_request():
    set_language("en")
    assert compare(lecture, None).lines()[-1].startswith("ℹ PyTorch is not installed (it is optional)")


def test_the_library_never_imports_pytorch():
    code = "import sys, autograd_lab, autograd_lab.course.twin, autograd_lab.course.quiz; print('torch' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout == "False\n"
    sources = "\n".join(path.read_text(encoding="utf-8") for path in (ROOT / "autograd_lab").rglob("*.py"))
    assert not re.search(r"^\s*(import torch|from torch)\b|import_module\(\s*[\"']torch", sources, re.MULTILINE)


def test_several_lessons_have_a_twin_stored_with_pytorch_agreeing():
    assert len(TWIN_LESSONS) >= 4
    for path in TWIN_LESSONS:
        outputs = [
            "".join(output.get("text", ""))
            for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]
            if "twin(" in "".join(cell["source"])
            for output in cell.get("outputs", [])
        ]
        assert outputs and all("da los mismos resultados" in text or "no está instalado" in text for text in outputs)
        assert not any("✘" in text for text in outputs), path.name


def test_twin_lessons_pass_nbval_without_pytorch(tmp_path):
    """A kernel where ``import torch`` fails as if it were not installed runs the twin lessons and matches them."""
    (tmp_path / "sitecustomize.py").write_text("import sys\nsys.modules['torch'] = None  # as if not installed\n")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(tmp_path), os.environ.get("PYTHONPATH", "")])}
    probe = "import importlib.util; print(importlib.util.find_spec('torch'))"
    assert subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, text=True).stdout == "None\n"
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--nbval", "--nbval-current-env"]
    command += ["--nbval-sanitize-with", str(SANITIZE), *map(str, TWIN_LESSONS)]
    run = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=1200)
    assert run.returncode == 0, run.stdout[-3000:]
    assert " passed" in run.stdout and "failed" not in run.stdout

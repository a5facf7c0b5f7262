"""``autograd-lab export gradescope``: the zip holds the release and the package (never the solutions), and its
``run_autograder``, run here with the root directory moved, grades a solution, an exercise and an attack into
Gradescope's results.json, one test per part."""

from __future__ import annotations

import json
import re
import os
import subprocess
import sys
import zipfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import nbformat
from course_notebooks import EXERCISES, SOLUTIONS, read
from test_grader import borrower

from autograd_lab.cli import main
from autograd_lab.course.checks import exercise_parts


def _run_autograder(root: Path) -> dict:
    env = {**os.environ, "AUTOGRADER_ROOT": str(root), "AUTOGRADER_PYTHON": sys.executable}
    done = subprocess.run(
        ["bash", str(root / "source" / "run_autograder")], env=env, capture_output=True, text=True, timeout=600
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads((root / "results" / "results.json").read_text(encoding="utf-8"))


def test_the_autograder_zip_grades_a_solution_an_exercise_and_an_attack(tmp_path):
    archive = tmp_path / "autograder.zip"
    arguments = ["export", "gradescope", "--release", str(EXERCISES), "--out", str(archive), "--cell-timeout", "120"]
    assert main(arguments) == 0
    with zipfile.ZipFile(archive) as opened:
        names = opened.namelist()
        assert {"setup.sh", "run_autograder"} <= set(names)
        assert sorted(n for n in names if n.startswith("release/")) == sorted(
            f"release/{p.name}" for p in EXERCISES.glob("*.ipynb")
        )
        assert "lib/autograd_lab/course/grading/worker.py" in names
        assert not any("solution" in name.lower() for name in names)
        assert "bubblewrap" in opened.read("setup.sh").decode()
        assert opened.getinfo("run_autograder").external_attr >> 16 & 0o111
        assert re.search(r"--seed [0-9a-f]{16}\n", opened.read("run_autograder").decode())  # regrades: same inputs
    submissions = {
        "solucion": read(SOLUTIONS, "ex04_funciones"),
        "ejercicio": read(EXERCISES, "ex04_funciones"),
        "ataque": borrower(),
    }
    roots = {}
    for name, notebook in submissions.items():
        root = tmp_path / name
        with zipfile.ZipFile(archive) as opened:
            opened.extractall(root / "source")
        (root / "submission").mkdir()
        nbformat.write(notebook, root / "submission" / "ex04_funciones.ipynb")
        roots[name] = root
    with ThreadPoolExecutor(3) as pool:
        results = dict(zip(roots, pool.map(_run_autograder, roots.values())))
    parts = [spec.check_id for spec in exercise_parts("ex04")]
    for data in results.values():
        assert [test["name"].split(" ")[0] for test in data["tests"]] == parts
        assert [test["max_score"] for test in data["tests"]] == [spec.points for spec in exercise_parts("ex04")]
        assert all(test["visibility"] == "visible" for test in data["tests"])
    assert results["solucion"]["score"] == 10
    assert {test["status"] for test in results["solucion"]["tests"]} == {"passed"}
    assert results["ejercicio"]["score"] == 0
    assert all(test["output"].startswith("pendiente") for test in results["ejercicio"]["tests"])
    assert results["ataque"]["score"] == 0
    assert all(test["output"].startswith("rechazado") for test in results["ataque"]["tests"])
    assert any("autograd_lab.ops" in test["output"] for test in results["ataque"]["tests"])


def test_the_seed_written_into_the_autograder_is_the_one_given_and_must_be_a_plain_word(tmp_path, capsys):
    archive = tmp_path / "autograder.zip"
    arguments = ["export", "gradescope", "--release", str(EXERCISES), "--out", str(archive)]
    assert main([*arguments, "--seed", "curso-2026"]) == 0
    with zipfile.ZipFile(archive) as opened:
        assert opened.read("run_autograder").decode().rstrip().endswith("--seed curso-2026")
    assert main([*arguments, "--seed", "a; rm -rf ~"]) == 2
    assert "--seed may hold only letters" in capsys.readouterr().err

"""``autograd-lab export gradescope``: the grader as a Gradescope autograder, and what runs inside it.

The zip (``autograder.zip``) holds:

- ``setup.sh`` — run once when Gradescope builds the image: installs Python,
  bubblewrap and the library's dependencies (the versions of the exporting
  machine) into ``/autograder/venv``;
- ``run_autograder`` — run for every submission: grades the notebooks under
  ``/autograder/submission`` exactly as ``autograd-lab grade`` does and writes
  ``/autograder/results/results.json``, one test per graded part;
- ``lib/autograd_lab`` — this package, and ``release/`` — the released
  exercise notebooks (never ``solutions/``).

``AUTOGRADER_ROOT`` (default ``/autograder``) and ``AUTOGRADER_PYTHON``
override where it runs, so the same script runs locally for testing.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import zipfile
from importlib import metadata
from pathlib import Path
from typing import Any

from ...i18n import set_language, t

DEPENDENCIES = ("numpy", "ipywidgets", "matplotlib", "graphviz", "ipython")

SETUP_SH = """#!/usr/bin/env bash
# Gradescope image setup: Python, bubblewrap (the kernel sandbox) and the library's dependencies.
set -euo pipefail
ROOT="${{AUTOGRADER_ROOT:-/autograder}}"
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3 python3-venv python3-pip bubblewrap >/dev/null
python3 -m venv "$ROOT/venv"
"$ROOT/venv/bin/python" -m pip install -q --upgrade pip
"$ROOT/venv/bin/python" -m pip install -q {requirements}
"""

RUN_AUTOGRADER = """#!/usr/bin/env bash
# Grade /autograder/submission into /autograder/results/results.json (one test per graded part).
set -euo pipefail
ROOT="${{AUTOGRADER_ROOT:-/autograder}}"
PYTHON="${{AUTOGRADER_PYTHON:-$ROOT/venv/bin/python}}"
export PYTHONPATH="$ROOT/source/lib"
cd "$ROOT/source"
exec "$PYTHON" -m autograd_lab.course.grading.gradescope --root "$ROOT" {options}
"""


def _requirements() -> str:
    """The dependencies pinned to the versions installed here (what the exporting instructor tested with)."""
    pins = []
    for name in DEPENDENCIES:
        try:
            pins.append(f"'{name}=={metadata.version(name)}'")
        except metadata.PackageNotFoundError:
            pins.append(f"'{name}'")
    return " ".join(pins)


def export(release_dir: Path, out: Path, options: str = "") -> Path:
    """Write the autograder zip for the notebooks in ``release_dir``; returns its path."""
    from .notebook import load_release

    load_release(release_dir)  # a clear error now rather than on Gradescope
    package = Path(__file__).resolve().parents[2]
    out.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        _add(archive, "setup.sh", SETUP_SH.format(requirements=_requirements()), executable=True)
        _add(archive, "run_autograder", RUN_AUTOGRADER.format(options=options), executable=True)
        for path in sorted(release_dir.glob("*.ipynb")):
            archive.write(path, f"release/{path.name}")
        for path in sorted(package.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc":
                archive.write(path, f"lib/autograd_lab/{path.relative_to(package)}")
    return out


def _add(archive: zipfile.ZipFile, name: str, text: str, executable: bool = False) -> None:
    info = zipfile.ZipInfo(name)
    info.external_attr = (0o755 if executable else 0o644) << 16
    info.compress_type = zipfile.ZIP_DEFLATED
    archive.writestr(info, text)


def results(rows: list[Any]) -> dict[str, Any]:
    """Gradescope's results.json for the graded rows: one test per part, the score and a summary."""
    tests = []
    for row in rows:
        if row.status in ("duplicate", "unknown"):
            continue
        title = _title(row.part)
        tests.append(
            {
                "name": f"{row.part} · {title}" if title else row.part,
                "score": row.points,
                "max_score": row.max_points,
                "status": "passed" if row.status == "passed" else "failed",
                "output": f"{_label(row.status)}: {row.message}",
                "visibility": "visible",
            }
        )
    ignored = [row for row in rows if row.status in ("duplicate", "unknown")]
    output = "\n".join(f"{row.exercise}: {row.message}" for row in ignored)
    return {
        "score": sum(test["score"] for test in tests),
        "tests": tests,
        "output": output,
        "visibility": "visible",
        "stdout_visibility": "hidden",
    }


_LABELLED = ("passed", "failed", "pending", "error", "rejected")


def _label(status: str) -> str:
    return t(f"check.status.{status}") if status in _LABELLED else status


def _title(part: str) -> str:
    from ..checks import CHECKS

    return CHECKS[part].title if part in CHECKS else ""


def grade_submission(root: Path, jobs: int, sandbox_mode: str, limits: Any, seed: str | None = None) -> dict[str, Any]:
    """Grade ``root/submission`` with the release in ``root/source/release``; write ``root/results/results.json``.

    ``seed`` (written into ``run_autograder`` at export) makes a regrade draw the same hidden inputs."""
    from ..grade import grade_all, submission_paths
    from . import sandbox

    set_language(limits.language)
    sandboxed, warning = sandbox.resolve(sandbox_mode)
    if warning:
        print(warning, file=sys.stderr)
    submission = root / "submission"
    paths = submission_paths([submission]) if submission.is_dir() else []
    release = root / "source" / "release"
    rows = grade_all(paths, release, limits, jobs, sandboxed, echo=print, seed=seed) if paths else []
    data = results(rows)
    if not paths:
        data["output"] = "No notebook (.ipynb) was found in the submission."
    destination = root / "results"
    destination.mkdir(parents=True, exist_ok=True)
    temporary = destination / "results.json.tmp"
    temporary.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    os.replace(temporary, destination / "results.json")
    return data


def main(argv: list[str] | None = None) -> int:
    """``run_autograder``'s entry point."""
    from .worker import Limits

    parser = argparse.ArgumentParser(prog="run_autograder")
    parser.add_argument("--root", type=Path, default=Path(os.environ.get("AUTOGRADER_ROOT", "/autograder")))
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--sandbox", choices=("auto", "bwrap", "none"), default="auto")
    parser.add_argument("--cell-timeout", type=float, default=60.0)
    parser.add_argument("--timeout", type=float, default=600.0)
    parser.add_argument("--memory-mb", type=int, default=2048)
    parser.add_argument("--language", choices=("es", "en"), default="es")
    parser.add_argument("--seed", default=None)
    args = parser.parse_args(argv)
    limits = Limits(args.cell_timeout, args.timeout, args.memory_mb, args.language)
    grade_submission(args.root, args.jobs, args.sandbox, limits, args.seed)
    return 0


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of ``autograd-lab export``."""
    parser.add_argument("target", choices=("gradescope",), help="what to export (gradescope: an autograder zip)")
    parser.add_argument(
        "--release", type=Path, default=Path("exercises"), help="released notebooks (default exercises)"
    )
    parser.add_argument(
        "--out", type=Path, default=Path("autograder.zip"), help="zip to write (default autograder.zip)"
    )
    parser.add_argument("--cell-timeout", type=float, default=60.0, help="seconds per cell (default 60)")
    parser.add_argument("--timeout", type=float, default=600.0, help="seconds per notebook (default 600)")
    parser.add_argument("--memory-mb", type=int, default=2048, help="memory per kernel in MB (default 2048)")
    parser.add_argument("--language", choices=("es", "en"), default="es", help="language of the messages")
    parser.add_argument(
        "--seed",
        help="the grading seed written into run_autograder: regrades draw the same hidden inputs "
        "(default: a fresh one)",
    )


def run(args: argparse.Namespace) -> int:
    """``autograd-lab export gradescope``."""
    from ..grade import new_seed

    seed = args.seed or new_seed()
    if not all(c.isalnum() or c in "-_." for c in seed):
        print("autograd-lab export: --seed may hold only letters, digits, '-', '_' and '.'", file=sys.stderr)
        return 2
    options = (
        f"--cell-timeout {args.cell_timeout:g} --timeout {args.timeout:g} "
        f"--memory-mb {args.memory_mb} --language {args.language} --seed {seed}"
    )
    try:
        path = export(args.release, args.out, options)
    except FileNotFoundError as error:
        print(f"autograd-lab export: {error}", file=sys.stderr)
        return 2
    print(f"wrote {path}: upload it as the assignment's autograder on Gradescope (see docs/grading.md)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

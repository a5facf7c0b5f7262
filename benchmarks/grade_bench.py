"""Grading throughput: a synthetic class graded by the current grader and by the previous one, side by side.

The class: ``--students`` students (default 50) x the 7 exercise notebooks
ex01-ex07.  Each notebook is, by a fixed pattern, *right* (the solution),
*wrong* (the solution with one line broken), *pending* (the untouched
exercise) or *slow* (the solution plus a cell that sleeps
``--slow-seconds``).

The runs, one after the other, same ``--jobs``:

- **current**, ``--repeat`` times (default 2): ``autograd-lab grade`` as it is
  now (``--sandbox auto``) on the whole class, with the same ``--seed``.  The
  same class must get the same grades every run: the script checks that the
  repeats agree on every part, and that every notebook got what its kind
  deserves (right and slow: full points on every part; pending: zero; wrong:
  less than full).  It exits with status 1 when either check fails.
- **previous, same checks**: the grader of commit ``1151ab8`` (Jupyter kernels,
  checks run inside the student's kernel) driving today's checks on the first
  ``--old-students`` students of the same class: the same work, so the ratio
  is the grader's own.  It draws fresh hidden inputs every run, so a broken
  answer that happens to pass on some inputs may score differently there: the
  script lists the parts where the two differ.
- **previous, as it was**: that commit run whole from a git worktree, on its
  own release and the first ``--old-students`` students of a class built the
  same way from its own notebooks.

The previous grader takes about four times as long per notebook, so by default
it grades the first 10 students only (70 notebooks); throughput is notebooks
per minute of each run, over the notebooks that run graded.  ``--old-students
50`` grades the whole class with it too (an hour or more on two cores).

The machine may be shared: read the load it prints.

    .venv/bin/python benchmarks/grade_bench.py                 # current 2 x 350, previous 2 x 70 notebooks
    .venv/bin/python benchmarks/grade_bench.py --students 10   # a quick look
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OLD_COMMIT = "1151ab8"
KINDS = ("right", "wrong", "pending", "right", "slow", "pending", "right", "wrong", "right", "pending")

# one broken line per exercise, in today's solutions and in those of OLD_COMMIT: (text, replacement)
BREAK = {
    "ex01_tensores": ("return x.reshape(x.shape[0], -1).float()", "return x.reshape(x.shape[0], -1)"),
    "ex02_gradientes": ("f(menos).item()) / (2 * h)", "f(menos).item()) / h"),
    "ex03_grafo": ('df_dx = d["df/dx"] + d["df/dv"] * d["dv/du"] * d["du/dx"]', 'df_dx = d["df/dx"]'),
    "ex04_funciones": ("grad = grad.sum(axis=0)", "grad = grad.mean(axis=0)"),
    "ex05_backward": ("entrada.grad += local * nodo.grad", "entrada.grad = local * nodo.grad"),
    "ex06_capas": ("e = np.exp(z - z.max(axis=1, keepdims=True))", "e = np.exp(z)"),
    "ex07_red_desde_cero": ("h = np.maximum(z1, 0)", "h = z1"),
}
BREAK_OLD = {
    **BREAK,
    "ex02_gradientes": ("return (f(x + h) - f(x - h)) / (2 * h)", "return (f(x + h) - f(x)) / h"),
    "ex03_grafo": ("return b + 1, a", "return b, a"),
    "ex04_funciones": ("return grad_output * (1 - y**2)", "return 1 - y**2"),
}
STEMS = tuple(BREAK)


def old_worktree(where: Path) -> Path:
    """A checkout of the previous grader's commit (made once, reused)."""
    if not (where / "autograd_lab" / "course" / "grade.py").exists():
        subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", str(where), OLD_COMMIT], check=True)
    return where


def build_class(
    source: Path, out: Path, students: int, slow_seconds: float, breaks: dict[str, tuple[str, str]]
) -> dict[str, int]:
    """Write the class's notebooks under ``out/<student>/``; returns how many notebooks of each kind."""
    counts = dict.fromkeys(("right", "wrong", "pending", "slow"), 0)
    stems = STEMS
    for s in range(students):
        folder = out / f"estudiante_{s:03d}"
        folder.mkdir(parents=True)
        for e, stem in enumerate(stems):
            kind = KINDS[(3 * s + e) % len(KINDS)]
            counts[kind] += 1
            folder_of = "exercises" if kind == "pending" else "solutions"
            notebook = json.loads((source / folder_of / f"{stem}.ipynb").read_text(encoding="utf-8"))
            cells = notebook["cells"]
            if kind == "wrong":
                old, new = breaks[stem]
                hits = 0
                for cell in cells:
                    text = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
                    if cell["cell_type"] == "code" and old in text:
                        cell["source"], hits = text.replace(old, new), hits + 1
                if not hits:
                    raise SystemExit(f"cannot break {stem}: {old!r} is not in {source}")
            if kind == "slow":
                code: dict[str, object] = {"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None}
                cells.insert(2, {**code, "id": "lento", "source": f"import time\ntime.sleep({slow_seconds})"})
            (folder / f"{stem}.ipynb").write_text(json.dumps(notebook), encoding="utf-8")
    return counts


@dataclass
class Run:
    """One grader's pass over the class."""

    name: str
    wall: float
    cpu: float
    load: tuple[float, float]
    notebooks: int
    grades: dict[tuple[str, str], int]
    exercises: dict[tuple[str, str], tuple[int, int]]


def run_grader(name: str, command: list[str], env: dict[str, str], out: Path, cwd: Path, notebooks: int) -> Run:
    """Run one grader on the class; wall time, CPU time of everything it started, the load, its grades.

    ``cwd`` is the folder holding the grader's ``autograd_lab``: ``python -m`` puts the working directory first on
    the import path, before ``PYTHONPATH``."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    load = os.getloadavg()[0]
    started = time.perf_counter()
    done = subprocess.run(command, env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"{name} failed:\n{done.stderr.decode(errors='replace')[-2000:]}")
    grades: dict[tuple[str, str], int] = {}
    exercises: dict[tuple[str, str], tuple[int, int]] = {}
    with open(out, newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            grades[row["student"], row["part"]] = int(row["points"])
            if row.get("max") and row.get("exercise"):  # the previous grader's CSV has no max column
                got, most = exercises.get((row["student"], row["exercise"]), (0, 0))
                exercises[row["student"], row["exercise"]] = (got + int(row["points"]), most + int(row["max"]))
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return Run(name, wall, cpu, (load, os.getloadavg()[0]), notebooks, grades, exercises)


def differing(first: dict[tuple[str, str], int], second: dict[tuple[str, str], int]) -> list[tuple[str, str]]:
    """The (student, part) keys whose points differ between two runs, or that only one run has."""
    return sorted(key for key in first.keys() | second.keys() if first.get(key) != second.get(key))


def deserved(students: int) -> dict[tuple[str, str], str]:
    """The kind of every (student, exercise) notebook in a class built by ``build_class``."""
    return {
        (f"estudiante_{s:03d}", stem): KINDS[(3 * s + e) % len(KINDS)]
        for s in range(students)
        for e, stem in enumerate(STEMS)
    }


def misgraded(run: Run, students: int) -> list[str]:
    """Notebooks whose points do not fit their kind: right and slow get full points, pending zero, wrong less."""
    wrong = []
    for key, kind in deserved(students).items():
        got, most = run.exercises.get(key, (0, -1))
        fits = {"right": got == most, "slow": got == most, "pending": got == 0, "wrong": got < most}[kind]
        if most <= 0 or not fits:
            wrong.append(f"{key[0]}/{key[1]} ({kind}): {got}/{most}")
    return wrong


def hybrid(old: Path, where: Path) -> Path:
    """Today's package with the previous grader's ``course/grade.py``: that grader driving today's checks."""
    package = where / "autograd_lab"
    shutil.copytree(ROOT / "autograd_lab", package, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(old / "autograd_lab" / "course" / "grade.py", package / "course" / "grade.py")
    return where


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--students", type=int, default=50)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--slow-seconds", type=float, default=2.0)
    parser.add_argument("--sandbox", choices=("auto", "bwrap", "none"), default="auto", help="for the current grader")
    parser.add_argument("--repeat", type=int, default=2, help="runs of the current grader (they must agree)")
    parser.add_argument("--seed", default="grade-bench", help="the current grader's --seed, the same every run")
    parser.add_argument("--old-students", type=int, default=10, help="students the previous grader grades")
    parser.add_argument("--skip-old", action="store_true", help="only the current grader (no comparison)")
    parser.add_argument("--worktree", type=Path, default=Path(tempfile.gettempdir()) / f"autograd-lab-{OLD_COMMIT}")
    args = parser.parse_args()

    old = old_worktree(args.worktree)
    limits = ["--jobs", str(args.jobs), "--cell-timeout", "120", "--timeout", "600"]
    runs: list[Run] = []
    with tempfile.TemporaryDirectory(prefix="grade-bench-") as tmp:
        work = Path(tmp)
        old_students = min(args.old_students, args.students)
        counts = build_class(ROOT, work / "class", args.students, args.slow_seconds, BREAK)
        first = build_class(ROOT, work / "first", old_students, args.slow_seconds, BREAK)  # the same notebooks
        build_class(old, work / "old_class", old_students, args.slow_seconds, BREAK_OLD)
        notebooks, first_notebooks = sum(counts.values()), sum(first.values())
        print(f"class: {args.students} students x {len(STEMS)} notebooks = {notebooks} ({counts}); --jobs {args.jobs}")
        if not args.skip_old:
            print(f"previous grader: the first {old_students} students, {first_notebooks} notebooks ({first})")
        print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at the start\n")

        def grade(name: str, pythonpath: Path, folder: str, release: Path, extra: list[str], count: int) -> None:
            out = work / f"{len(runs)}.csv"
            command = [sys.executable, "-m", "autograd_lab.cli", "grade", str(work / folder), "--release", str(release)]
            env = {**os.environ, "PYTHONPATH": str(pythonpath)}
            where = subprocess.run(
                [sys.executable, "-c", "import autograd_lab; print(autograd_lab.__file__)"],
                env=env,
                cwd=pythonpath,
                capture_output=True,
                text=True,
                check=True,
            ).stdout.strip()
            if not where.startswith(str(pythonpath.resolve())):
                raise SystemExit(f"{name} imported autograd_lab from {where}, not from {pythonpath}")
            command = [*command, "--out", str(out), *limits, *extra]
            runs.append(run_grader(name, command, env, out, pythonpath, count))
            print(f"  {name}: {runs[-1].wall:.0f} s, load {runs[-1].load[0]:.1f}-{runs[-1].load[1]:.1f}", flush=True)

        current_args = ["--sandbox", args.sandbox, "--seed", args.seed]
        for r in range(args.repeat):
            grade(f"current, run {r + 1}", ROOT, "class", ROOT / "exercises", current_args, notebooks)
        if not args.skip_old:
            hybrid_root = hybrid(old, work / "hybrid")
            grade(f"{OLD_COMMIT}, same checks", hybrid_root, "first", ROOT / "exercises", [], first_notebooks)
            grade(f"{OLD_COMMIT}, as it was", old, "old_class", old / "exercises", [], first_notebooks)
    print(f"\n{'grader':<24} {'notebooks':>9} {'wall s':>8} {'nb/min':>8} {'CPU s/nb':>9} {'load start-end':>15}")
    for run in runs:
        print(
            f"{run.name:<24} {run.notebooks:>9} {run.wall:>8.1f} {run.notebooks / (run.wall / 60):>8.1f} "
            f"{run.cpu / run.notebooks:>9.2f} {run.load[0]:>7.1f}-{run.load[1]:<7.1f}"
        )
    current_runs, old_runs = runs[: args.repeat], runs[args.repeat :]
    failed = False

    def rate(run: Run) -> float:
        return run.notebooks / run.wall

    best = max(current_runs, key=rate)
    for run in old_runs:
        print(f"throughput, best current run / {run.name}: {rate(best) / rate(run):.1f}x")
    if old_runs:
        students = {f"estudiante_{s:03d}" for s in range(old_students)}
        mine = {k: v for k, v in current_runs[0].grades.items() if k[0] in students}
        theirs = old_runs[0].grades
        differ = differing(mine, theirs)
        print(
            f"parts of the first {old_students} students where the current grader and {old_runs[0].name} differ "
            f"(its hidden inputs are drawn afresh): {len(differ)} of {len(mine)} {differ[:10] if differ else ''}"
        )
    for run in current_runs[1:]:
        first_grades = current_runs[0].grades
        differ = differing(first_grades, run.grades)
        failed |= bool(differ)
        print(f"{run.name} gave the same points to all {len(run.grades)} parts as run 1: {'NO' if differ else 'yes'}")
        for key in differ[:20]:
            print(f"   {key}: {first_grades.get(key)} then {run.grades.get(key)}")
    for run in current_runs:
        wrong = misgraded(run, args.students)
        failed |= bool(wrong)
        print(f"{run.name}: every notebook got what its kind deserves: {'yes' if not wrong else 'NO'}")
        for line in wrong[:20]:
            print("  ", line)
    grades = current_runs[0].grades
    print(f"points given by the current grader: {sum(grades.values())} over {len(grades)} parts")
    if failed:
        raise SystemExit(1)


if __name__ == "__main__":
    main()

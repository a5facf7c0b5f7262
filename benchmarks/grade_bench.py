"""Grading throughput: a synthetic class graded by the current grader and by the previous one, side by side.

The class: ``--students`` students (default 50) x the 7 exercise notebooks.
Each notebook is, by a fixed pattern, *right* (the solution), *wrong* (the
solution with one answer broken), *pending* (the untouched exercise) or
*slow* (the solution plus a cell that sleeps ``--slow-seconds``).  The same
class gets the same grades every run: right answers pass and wrong ones fail
whatever the hidden inputs, and the script checks that both graders give
every part the same points.

The previous grader is the one at commit ``1151ab8`` (Jupyter kernels,
checks inside the student's kernel), run from a git worktree of that commit
with the same interpreter; both grade the notebooks of that commit against
its release, with the same ``--jobs``.  The machine is shared: run it more
than once and read the load average it prints.

    .venv/bin/python benchmarks/grade_bench.py                 # 350 notebooks; the old grader takes most of it
    .venv/bin/python benchmarks/grade_bench.py --students 10   # a quick look
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OLD_COMMIT = "1151ab8"
KINDS = ("right", "wrong", "pending", "right", "slow", "pending", "right", "wrong", "right", "pending")

# one broken answer per exercise: (text in the solution, its replacement)
BREAK = {
    "ex01_tensores": ("return x.reshape(x.shape[0], -1).float()", "return x.reshape(x.shape[0], -1)"),
    "ex02_gradientes": ("return (f(x + h) - f(x - h)) / (2 * h)", "return (f(x + h) - f(x)) / h"),
    "ex03_grafo": ("return b + 1, a", "return b, a"),
    "ex04_funciones": ("return grad_output * (1 - y**2)", "return 1 - y**2"),
    "ex05_backward": ("entrada.grad += local * nodo.grad", "entrada.grad = local * nodo.grad"),
    "ex06_capas": ("e = np.exp(z - z.max(axis=1, keepdims=True))", "e = np.exp(z)"),
    "ex07_red_desde_cero": ("h = np.maximum(z1, 0)", "h = z1"),
}


def old_worktree(where: Path) -> Path:
    """A checkout of the previous grader's commit (made once, reused)."""
    if not (where / "autograd_lab" / "course" / "grade.py").exists():
        subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", str(where), OLD_COMMIT], check=True)
    return where


def build_class(source: Path, out: Path, students: int, slow_seconds: float) -> dict[str, int]:
    """Write the class's notebooks under ``out/<student>/``; returns how many notebooks of each kind."""
    counts = dict.fromkeys(("right", "wrong", "pending", "slow"), 0)
    stems = sorted(path.stem for path in (source / "solutions").glob("*.ipynb"))
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
                old, new = BREAK[stem]
                hits = 0
                for cell in cells:
                    text = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
                    if cell["cell_type"] == "code" and old in text:
                        cell["source"], hits = text.replace(old, new), hits + 1
                if hits != 1:
                    raise SystemExit(f"cannot break {stem}: {old!r} found {hits} times")
            if kind == "slow":
                code = {"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None}
                cells.insert(2, {**code, "id": "lento", "source": f"import time\ntime.sleep({slow_seconds})"})
            (folder / f"{stem}.ipynb").write_text(json.dumps(notebook), encoding="utf-8")
    return counts


def run_grader(name: str, command: list[str], env: dict[str, str], out: Path) -> dict[str, object]:
    """Run one grader on the class; wall time, CPU time of everything it started, the load, its grades."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    load = os.getloadavg()[0]
    started = time.perf_counter()
    done = subprocess.run(command, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"{name} failed:\n{done.stderr.decode(errors='replace')[-2000:]}")
    with open(out, newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    grades = {(row["student"], row["part"]): int(row["points"]) for row in rows}
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {"name": name, "wall": wall, "cpu": cpu, "load": (load, os.getloadavg()[0]), "grades": grades}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--students", type=int, default=50)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--slow-seconds", type=float, default=2.0)
    parser.add_argument("--sandbox", choices=("auto", "bwrap", "none"), default="auto", help="for the new grader")
    parser.add_argument("--skip-old", action="store_true", help="only the current grader (no comparison)")
    parser.add_argument("--worktree", type=Path, default=Path(tempfile.gettempdir()) / f"autograd-lab-{OLD_COMMIT}")
    args = parser.parse_args()

    old = old_worktree(args.worktree)
    with tempfile.TemporaryDirectory(prefix="grade-bench-") as tmp:
        work = Path(tmp)
        counts = build_class(old, work / "class", args.students, args.slow_seconds)
        notebooks = sum(counts.values())
        release = old / "exercises"
        limits = ["--jobs", str(args.jobs), "--cell-timeout", "120", "--timeout", "600"]
        print(f"class: {args.students} students x 7 notebooks = {notebooks} ({counts}); --jobs {args.jobs}")
        print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at the start\n")
        runs = []
        current = {**os.environ, "PYTHONPATH": str(ROOT)}
        new_command = [
            sys.executable,
            "-m",
            "autograd_lab.cli",
            "grade",
            str(work / "class"),
            "--release",
            str(release),
        ]
        runs.append(
            run_grader(
                f"current (--sandbox {args.sandbox})",
                [*new_command, "--out", str(work / "new.csv"), "--sandbox", args.sandbox, *limits],
                current,
                work / "new.csv",
            )
        )
        if not args.skip_old:
            previous = {**os.environ, "PYTHONPATH": str(old)}
            old_command = [sys.executable, "-m", "autograd_lab.cli", "grade", str(work / "class")]
            runs.append(
                run_grader(
                    f"previous ({OLD_COMMIT})",
                    [*old_command, "--release", str(release), "--out", str(work / "old.csv"), *limits],
                    previous,
                    work / "old.csv",
                )
            )
    print(f"{'grader':<26} {'wall s':>8} {'nb/min':>8} {'CPU s/nb':>9} {'load (start-end)':>17}")
    for run in runs:
        rate = notebooks / (float(run["wall"]) / 60)  # type: ignore[arg-type]
        load = run["load"]
        print(
            f"{run['name']:<26} {run['wall']:>8.1f} {rate:>8.1f} {float(run['cpu']) / notebooks:>9.2f} "  # type: ignore[arg-type]
            f"{load[0]:>8.1f}-{load[1]:<8.1f}"  # type: ignore[index]
        )
    if len(runs) == 2:
        speedup = float(runs[1]["wall"]) / float(runs[0]["wall"])  # type: ignore[arg-type]
        same = runs[0]["grades"] == runs[1]["grades"]
        print(f"\nthroughput ratio (current / previous): {speedup:.1f}x")
        print(f"same points for every part from both graders: {'yes' if same else 'NO'}")
        if not same:
            new_grades, old_grades = runs[0]["grades"], runs[1]["grades"]
            differ = sorted(k for k in set(new_grades) | set(old_grades) if new_grades.get(k) != old_grades.get(k))  # type: ignore[union-attr]
            print("differ:", differ[:20])
    total = sum(runs[0]["grades"].values())  # type: ignore[union-attr]
    print(f"points given by the current grader: {total}")


if __name__ == "__main__":
    main()

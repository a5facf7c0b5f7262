"""``autograd-lab grade``: grade submitted notebooks into a CSV of points, trusting nothing a submission does.

How it runs (the trust model is in docs/grading.md):

1. This process (the parent) loads the release once, reads every submission
   once, and starts ``--jobs`` workers.  Each worker gets, on its private
   stdin, a fresh key, the release and its hash.
2. A worker grades one notebook at a time in a fresh kernel taken from a warm
   pool, inside a bubblewrap sandbox when there is one (``--sandbox``).  The
   kernel's stdio is ``/dev/null``; it only runs the student's code and
   answers the checks' requests with plain data.  Hidden inputs, reference
   answers and comparisons live in the worker (``autograd_lab.course.grading``).
3. The worker's messages are signed with its key.  The parent accepts, for
   each job, exactly that job's parts once each, and takes the points from its
   own registry; anything else (forged, malformed, late) is ignored, and a job
   without a valid result gets error rows.  One submission can cost only its
   own points.
4. Rows go to the CSV as each job finishes (so a crash or Ctrl-C keeps what was
   graded); at the end the CSV is rewritten in input order, and a summary is
   printed.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import hashlib
import json
import os
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import IO, Any

from ..i18n import register, set_language, t
from .grading import channel, sandbox
from .grading.notebook import MAX_NOTEBOOK_BYTES, load_release, release_hash, release_parts
from .grading.worker import READY_TIMEOUT, Limits, kill_group

CSV_FIELDS = ("student", "exercise", "part", "points", "max", "status", "message")
STATUSES = ("passed", "failed", "pending", "error", "rejected", "timeout", "crashed", "unreadable")
WORKER_GRACE = READY_TIMEOUT + 30.0  # seconds beyond the total timeout before the parent kills a worker
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

__all__ = ["Limits", "Row", "grade_all", "write_csv", "summary_table", "submission_paths", "identify"]

register(
    {
        "grade.worker_failed": {
            "es": "El proceso que corregía este cuaderno falló: {error}",
            "en": "The process grading this notebook failed: {error}",
        },
        "grade.no_result": {
            "es": "El proceso que corregía este cuaderno terminó sin un resultado válido{error}.",
            "en": "The process grading this notebook ended without a valid result{error}.",
        },
        "grade.unknown": {
            "es": "No se reconoce el ejercicio: el nombre del archivo debe empezar como el de la versión entregada "
            "(por ejemplo ex04_funciones.ipynb).",
            "en": "The exercise is not recognised: the file name must start like the released one "
            "(for example ex04_funciones.ipynb).",
        },
        "grade.too_large": {
            "es": "El archivo no es un cuaderno válido: ocupa más de {mb} MB.",
            "en": "The file is not a valid notebook: it is larger than {mb} MB.",
        },
        "grade.duplicate": {
            "es": "Entrega repetida de {exercise}: cuenta {used}, esta no.",
            "en": "Repeated submission of {exercise}: {used} counts, this one does not.",
        },
        "grade.total_timeout": {
            "es": "Se agotó el tiempo total del cuaderno ({seconds:g} s) antes de llegar a esta parte.",
            "en": "The notebook's total time ({seconds:g} s) ran out before this part.",
        },
        "grade.summary": {"es": "Resumen de notas", "en": "Grade summary"},
        "grade.student": {"es": "estudiante", "en": "student"},
        "grade.total": {"es": "total", "en": "total"},
    }
)


@dataclass(frozen=True)
class Row:
    """One graded part of one student's notebook."""

    student: str
    exercise: str
    part: str
    points: int
    max_points: int
    status: str
    message: str

    def as_csv(self) -> list[Any]:
        """The row in CSV_FIELDS order, text cells escaped against spreadsheet formulas."""
        return [
            escape_cell(self.student),
            escape_cell(self.exercise),
            escape_cell(self.part),
            self.points,
            self.max_points,
            self.status,
            escape_cell(self.message),
        ]


def escape_cell(text: str) -> str:
    """A text cell a spreadsheet will not run as a formula (a leading ``'`` before ``=``, ``+``, ``-``, ``@``, a tab
    or a carriage return; a lone ``-``, the part of a row without parts, stays as it is)."""
    return f"'{text}" if text.startswith(FORMULA_START) and text != "-" else text


# --------------------------------------------------------------------------- which submissions


def identify(path: Path, release: dict[str, Any]) -> str | None:
    """The release stem a submission belongs to: from its file name ("ana_ex04.ipynb" works too)."""
    if path.stem in release:
        return path.stem
    for stem in release:
        if path.stem.startswith(stem):
            return stem
    match = re.search(r"ex\d\d", path.stem)
    if match:
        for stem in release:
            if stem.startswith(match.group(0)):
                return stem
    return None


def student_name(path: Path) -> str:
    """The student is the folder the notebook sits in (submissions/<student>/ex04_funciones.ipynb)."""
    return path.resolve().parent.name


def submission_paths(targets: list[Path]) -> list[Path]:
    """Notebooks named directly or found under the given folders (checkpoints skipped)."""
    paths: list[Path] = []
    for target in targets:
        if target.is_dir():
            paths.extend(p for p in sorted(target.rglob("*.ipynb")) if ".ipynb_checkpoints" not in p.parts)
        else:
            paths.append(target)
    return paths


@dataclass
class Job:
    """One submission to grade: who, which exercise, its parts, its bytes (read once, before any kernel ran)."""

    index: int
    path: Path
    student: str
    exercise: str
    parts: list[str]
    data: bytes = b""
    started: float = 0.0
    attempts: int = 0


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0


def plan_jobs(paths: list[Path], release: dict[str, Any], warn: Any) -> tuple[list[Job], dict[int, list[Row]]]:
    """The jobs to run and the rows known without running anything (unknown files, duplicates, oversize files)."""
    known: dict[int, list[Row]] = {}
    groups: dict[tuple[str, str], list[int]] = {}
    for index, path in enumerate(paths):
        exercise = identify(path, release)
        if exercise is None:
            known[index] = [Row(student_name(path), path.stem, "-", 0, 0, "unknown", t("grade.unknown"))]
        else:
            groups.setdefault((student_name(path), exercise), []).append(index)
    jobs = []
    for (student, exercise), indices in groups.items():
        # the released name wins; otherwise the latest file; a tie goes to the last path in order
        chosen = max(indices, key=lambda i: (paths[i].stem == exercise, _mtime(paths[i]), str(paths[i])))
        for index in indices:
            if index != chosen:
                used = paths[chosen].name
                known[index] = [
                    Row(student, exercise, "-", 0, 0, "duplicate", t("grade.duplicate", exercise=exercise, used=used))
                ]
        if len(indices) > 1:
            ignored = ", ".join(str(paths[i]) for i in indices if i != chosen)
            warn(
                f"WARNING: {student} has {len(indices)} submissions of {exercise}: grading {paths[chosen]}, "
                f"ignoring {ignored}"
            )
        parts = release_parts(release[exercise])
        path = paths[chosen]
        try:
            size = path.stat().st_size
            data = path.read_bytes() if size <= MAX_NOTEBOOK_BYTES else b""
        except OSError:
            size, data = 0, b""
        if size > MAX_NOTEBOOK_BYTES:
            message = t("grade.too_large", mb=MAX_NOTEBOOK_BYTES // 2**20)
            known[chosen] = [_row(student, exercise, part, "unreadable", message) for part in parts]
            continue
        jobs.append(Job(chosen, path, student, exercise, parts, data))
    jobs.sort(key=lambda job: job.index)
    return jobs, known


def _row(student: str, exercise: str, part: str, status: str, message: str) -> Row:
    """A row whose points come from the registry (never from a message)."""
    from .checks import get_check

    maximum = get_check(part).points
    return Row(student, exercise, part, maximum if status == "passed" else 0, maximum, status, message)


def accept_rows(job: Job, value: Any) -> list[Row] | None:
    """The rows of a worker's result when it is exactly this job's parts, once each, with known statuses."""
    if not isinstance(value, list) or len(value) != len(job.parts):
        return None
    by_part: dict[str, Row] = {}
    for item in value:
        if not isinstance(item, dict):
            return None
        part, status, message = item.get("part"), item.get("status"), item.get("message")
        if part not in job.parts or part in by_part or status not in STATUSES or not isinstance(message, str):
            return None
        by_part[part] = _row(job.student, job.exercise, part, status, message[:2000])
    return [by_part[part] for part in job.parts]


def _fallback(job: Job, status: str, message: str) -> list[Row]:
    return [_row(job.student, job.exercise, part, status, message) for part in job.parts]


# --------------------------------------------------------------------------- the workers


@dataclass
class Worker:
    """A worker process, the job it is on, and what it has said so far."""

    process: subprocess.Popen[bytes]
    key: bytes
    buffer: bytes = b""
    ready: bool = False
    job: Job | None = None
    kernel_pid: int | None = None
    ignored: int = 0
    collected: dict[str, Any] = field(default_factory=dict)
    finished: list[tuple[Job, list[Row]]] = field(default_factory=list)

    @classmethod
    def start(cls, setup: dict[str, Any]) -> Worker:
        """Start a worker and hand it, on its private stdin, a fresh key, the release and the limits."""
        key = secrets.token_bytes(32)
        process = subprocess.Popen(
            [sys.executable, "-m", "autograd_lab.course.grading.worker"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        assert process.stdin is not None and process.stdout is not None
        process.stdin.write((json.dumps({**setup, "key": key.hex()}) + "\n").encode("utf-8"))
        process.stdin.flush()
        os.set_blocking(process.stdout.fileno(), False)
        return cls(process, key)

    def give(self, job: Job, seed: str) -> None:
        """Send a job (signed), with the randomness of its hidden inputs."""
        assert self.process.stdin is not None
        job.started = time.monotonic()
        job.attempts += 1
        self.job, self.kernel_pid, self.collected = job, None, {}
        value = {
            "exercise": job.exercise,
            "notebook": job.data.decode("utf-8", "replace"),
            "entropy": job_entropy(seed, job.student, job.exercise),
        }
        self.process.stdin.write(channel.sign(self.key, "job", job.index + 1, value))
        self.process.stdin.flush()

    def messages(self) -> list[dict[str, Any]]:
        """The authenticated messages that arrived (anything else is counted and dropped)."""
        assert self.process.stdout is not None
        while True:
            try:
                chunk = os.read(self.process.stdout.fileno(), 1 << 16)
            except BlockingIOError:
                break
            except OSError:
                chunk = b""
            if not chunk:
                break
            self.buffer += chunk
            if len(self.buffer) > 2 * channel.MAX_LINE and b"\n" not in self.buffer:
                self.buffer, self.ignored = b"", self.ignored + 1
        complete, _, self.buffer = self.buffer.rpartition(b"\n")
        found = []
        for line in complete.split(b"\n") if complete else []:
            if not line.strip():
                continue
            message = channel.verify(self.key, line)
            if message is None:
                self.ignored += 1
            else:
                found.append(message)
        return found

    def stop(self, grace: float = 0.0) -> None:
        """End the worker: ask it to stop (it closes its kernels) and wait ``grace`` seconds, then kill it and its
        kernel (each has a session of its own)."""
        if grace and self.job is None and self.process.poll() is None:
            with contextlib.suppress(OSError, ValueError):
                assert self.process.stdin is not None
                self.process.stdin.write(channel.sign(self.key, "stop", 0, None))
                self.process.stdin.close()
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.process.wait(timeout=grace)
        kill_group(self.process.pid)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(timeout=30)
        if self.kernel_pid:
            kill_group(self.kernel_pid)


def new_seed() -> str:
    """A fresh grading seed: unpredictable, and short enough to write down."""
    return secrets.token_hex(8)


def job_entropy(seed: str, student: str, exercise: str) -> int:
    """The randomness of one submission's hidden inputs, fixed by the grading seed, the student and the exercise:
    grading the same class again with the same seed draws the same inputs and gives the same grades.  Each student
    gets inputs of their own, and without the seed (which only the grader holds) no one can tell them in advance."""
    digest = hashlib.sha256("\0".join((seed, student, exercise)).encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big")


def grade_all(
    paths: list[Path],
    release_dir: Path,
    limits: Limits,
    jobs: int = 2,
    sandboxed: bool = False,
    echo: Any = None,
    csv_out: CsvOut | None = None,
    warn: Any = None,
    seed: str | None = None,
) -> list[Row]:
    """Grade every submission, ``jobs`` at a time; rows in input order (also streamed to ``csv_out``).

    ``seed`` fixes the hidden inputs (see ``job_entropy``); without it they are drawn afresh."""
    set_language(limits.language)
    seed = seed or new_seed()
    release = load_release(release_dir)
    todo, known = plan_jobs(paths, release, warn or (lambda text: print(text, file=sys.stderr)))
    results: dict[int, list[Row]] = dict(known)
    if csv_out is not None:
        for index in sorted(known):
            csv_out.add(known[index])
    scratch = tempfile.mkdtemp(prefix="autograd-lab-grade-")  # the kernels' folders (without a sandbox)
    setup = {"release": release, "release_hash": release_hash(release), "limits": asdict(limits), "sandbox": sandboxed}
    setup["scratch"] = scratch
    workers: list[Worker] = []
    retired_ignored = [0]  # lines ignored by workers that have been replaced
    waiting = list(todo)

    def done(worker: Worker, rows: list[Row]) -> None:
        job = worker.job
        assert job is not None
        worker.job, worker.kernel_pid = None, None
        results[job.index] = rows
        if csv_out is not None:
            csv_out.add(rows)
        if echo is not None:
            echo(_one_line(job.path, rows, time.monotonic() - job.started))

    try:
        while waiting or any(w.job is not None for w in workers):
            retired_ignored[0] += sum(w.ignored for w in workers if w.process.poll() is not None and w.job is None)
            workers = [w for w in workers if w.process.poll() is None or w.job is not None]
            while len(workers) < min(max(1, jobs), len(waiting) + sum(w.job is not None for w in workers)):
                workers.append(Worker.start(setup))
            for worker in workers:
                if worker.ready and worker.job is None and waiting:
                    worker.give(waiting.pop(0), seed)
                _poll(worker, limits, done, lambda job: waiting.insert(0, job))
            time.sleep(0.02)
    finally:  # finished, interrupted (Ctrl-C) or failed: leave no worker or kernel behind
        for worker in workers:
            worker.stop(grace=0.0 if waiting else 5.0)
        ignored = sum(worker.ignored for worker in workers) + retired_ignored[0]
        if ignored:
            (warn or (lambda text: print(text, file=sys.stderr)))(
                f"WARNING: ignored {ignored} line(s) on the workers' channels that were not valid messages of their "
                "job (forged or malformed: a submission may have written them); no grade came from them"
            )
        shutil.rmtree(scratch, ignore_errors=True)
    return [row for index in sorted(results) for row in results[index]]


def _poll(worker: Worker, limits: Limits, done: Any, retry: Any) -> None:
    """Read the worker's messages; finish its job on a valid result, a death or an overrun.

    A worker that ends without a valid result gets its job back once, on a new
    worker (another submission may have disturbed it); the second time the
    job's parts are ``error`` rows."""
    exited = worker.process.poll() is not None  # before reading: whatever it wrote before exiting gets read
    for message in worker.messages():
        kind, job = message["kind"], worker.job
        if kind == "ready" and message["job"] == 0:
            worker.ready = True
        elif job is None or message["job"] != job.index + 1:
            worker.ignored += 1
        elif kind == "kernel" and type(message["value"]) is int and worker.kernel_pid is None:
            worker.kernel_pid = message["value"]
        elif kind == "row" and isinstance(message["value"], dict):
            part = message["value"].get("part")
            if part in job.parts and part not in worker.collected:
                worker.collected[part] = message["value"]
            else:
                worker.ignored += 1
        elif kind == "done":
            rows = accept_rows(job, [worker.collected[p] for p in job.parts if p in worker.collected])
            if rows is None or message["value"] != len(job.parts):
                worker.ignored += 1
            else:
                done(worker, rows)
        elif kind == "failed":
            done(worker, _fallback(job, "error", t("grade.worker_failed", error=str(message["value"])[:300])))
    job = worker.job
    if job is None:
        if exited:
            worker.ready = False
        return
    if exited:
        if worker.kernel_pid:
            kill_group(worker.kernel_pid)
        if job.attempts < 2:
            worker.job = None
            retry(job)
            return
        error = f" (exit code {worker.process.returncode})"
        done(worker, _fallback(job, "error", t("grade.no_result", error=error)))
    elif time.monotonic() - job.started > limits.total_timeout + WORKER_GRACE:
        worker.stop()
        done(worker, _fallback(job, "timeout", t("grade.total_timeout", seconds=limits.total_timeout)))


# --------------------------------------------------------------------------- reporting


class CsvOut:
    """The CSV, appended to as each job finishes and rewritten in input order at the end."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.handle: IO[str] = open(path, "w", newline="", encoding="utf-8")  # noqa: SIM115  (kept open)
        self.writer = csv.writer(self.handle)
        self.writer.writerow(CSV_FIELDS)
        self.handle.flush()

    def add(self, rows: list[Row]) -> None:
        """Append rows and flush them to disk."""
        self.writer.writerows(row.as_csv() for row in rows)
        self.handle.flush()

    def close(self, rows: list[Row] | None = None) -> None:
        """Close the file; with ``rows``, replace it by those rows in that order."""
        self.handle.close()
        if rows is not None:
            temporary = self.path.with_name(self.path.name + ".tmp")
            write_csv(rows, temporary)
            os.replace(temporary, self.path)


def write_csv(rows: list[Row], out: Path) -> None:
    """One row per student and part: student, exercise, part, points, max, status, message."""
    with open(out, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(CSV_FIELDS)
        writer.writerows(row.as_csv() for row in rows)


def summary_table(rows: list[Row]) -> str:
    """Points per student (rows) and exercise (columns), with totals."""
    counted = [row for row in rows if row.status != "duplicate"]
    students = list(dict.fromkeys(row.student for row in counted))
    exercises = sorted({row.exercise for row in counted})
    cells: dict[tuple[str, str], list[int]] = {}
    for row in counted:
        total = cells.setdefault((row.student, row.exercise), [0, 0])
        total[0] += row.points
        total[1] += row.max_points
    header = [t("grade.student"), *[e.split("_")[0] for e in exercises], t("grade.total")]
    lines = [header]
    for student in students:
        line, got, top = [student], 0, 0
        for exercise in exercises:
            points, maximum = cells.get((student, exercise), (0, 0))
            line.append(f"{points}/{maximum}" if (student, exercise) in cells else "-")
            got, top = got + points, top + maximum
        line.append(f"{got}/{top}")
        lines.append(line)
    widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
    text = [t("grade.summary")]
    text += ["  ".join(cell.ljust(width) for cell, width in zip(line, widths)).rstrip() for line in lines]
    return "\n".join(text)


def _one_line(path: Path, rows: list[Row], seconds: float) -> str:
    points, top = sum(r.points for r in rows), sum(r.max_points for r in rows)
    statuses = ", ".join(sorted({r.status for r in rows}))
    return f"graded {path} -> {points}/{top} ({statuses}) in {seconds:.1f} s"


# --------------------------------------------------------------------------- command line


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of ``autograd-lab grade``."""
    parser.add_argument("submissions", nargs="+", type=Path, help="notebooks, or folders searched for them")
    parser.add_argument("--out", type=Path, default=Path("grades.csv"), help="CSV to write (default grades.csv)")
    parser.add_argument(
        "--release", type=Path, default=Path("exercises"), help="released notebooks (default exercises)"
    )
    parser.add_argument("--jobs", type=int, default=min(4, os.cpu_count() or 1), help="notebooks graded at once")
    parser.add_argument("--cell-timeout", type=float, default=60.0, help="seconds per cell (default 60)")
    parser.add_argument("--timeout", type=float, default=600.0, help="seconds per notebook (default 600)")
    parser.add_argument("--memory-mb", type=int, default=2048, help="memory per kernel in MB (default 2048)")
    parser.add_argument("--language", choices=("es", "en"), default="es", help="language of the messages")
    parser.add_argument(
        "--seed",
        help="the grading seed: the same seed draws the same hidden inputs and gives the same grades "
        "(default: a fresh one, printed at the end); keep it from the students",
    )
    parser.add_argument(
        "--sandbox",
        choices=sandbox.MODES,
        default="auto",
        help="run each kernel under bubblewrap: auto (when it works, warning loudly otherwise), bwrap (required), none",
    )


def run(args: argparse.Namespace) -> int:
    """Grade the submissions, write the CSV and print the summary."""
    try:
        import IPython  # noqa: F401
    except ImportError as error:
        print(f"autograd-lab grade needs {error.name}: pip install 'autograd-lab[lab]'", file=sys.stderr)
        return 2
    paths = submission_paths(args.submissions)
    missing = [p for p in paths if not p.is_file()]
    if missing or not paths:
        print(
            f"autograd-lab grade: no such notebook: {', '.join(map(str, missing)) or args.submissions}", file=sys.stderr
        )
        return 2
    try:
        sandboxed, warning = sandbox.resolve(args.sandbox)
    except sandbox.SandboxUnavailable as error:
        print(f"autograd-lab grade: --sandbox bwrap: {error}", file=sys.stderr)
        return 2
    if warning:
        print(warning, file=sys.stderr)
    if not sandboxed and args.jobs > 1:
        print(
            f"WARNING: without a sandbox the {args.jobs} kernels graded at the same time run as the same user and "
            "can reach each other; use --jobs 1 for submissions you do not trust.",
            file=sys.stderr,
        )
    limits = Limits(args.cell_timeout, args.timeout, args.memory_mb, args.language)
    seed = args.seed or new_seed()
    out = CsvOut(args.out)
    rows = None
    try:
        rows = grade_all(paths, args.release, limits, args.jobs, sandboxed, echo=print, csv_out=out, seed=seed)
    except FileNotFoundError as error:
        print(f"autograd-lab grade: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"autograd-lab grade: interrupted; {args.out} has the notebooks graded so far", file=sys.stderr)
        return 130
    finally:
        out.close(rows)
    print(summary_table(rows))
    print(f"wrote {len(rows)} rows to {args.out}")
    print(f"seed {seed}: --seed {seed} grades these notebooks again with the same hidden inputs (keep it private)")
    return 0

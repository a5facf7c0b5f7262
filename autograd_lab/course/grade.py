"""``autograd-lab grade``: run submitted notebooks in fresh kernels and score them with the grader's own checks.

For every submission, in a child process of its own:

1. The notebook is matched to its release notebook (``exercises/``).  Check
   cells the student edited are replaced by the release's version; deleted
   ones are put back after the nearest surviving neighbour.  The grader never
   calls the student's ``check``: at each check cell it runs its own runner on
   the names the release's check cell passes.
2. A fresh kernel (this Python environment) starts with resource limits
   (address space, CPU time, file size) set before any student code runs.
   Cells run one at a time with a per-cell and a total timeout; a cell that
   times out is interrupted, and a kernel that does not come back is killed.
3. The runner runs every check in its "full" scope (hidden cases, fresh
   randomness) and sends back the outcome signed with a key the kernel read
   from a file and deleted before any student code ran.  The grader accepts
   only outcomes with a valid signature, from its own cells, and takes the
   points from its own registry: printed text, a redefined ``check`` or
   objects with a lying ``==`` earn nothing.

Rows (student, exercise, part, points, max, status, message) go to a CSV;
a summary table is printed.  This is not a sandbox: see docs/grading.md.
"""

from __future__ import annotations

import argparse
import ast
import contextlib
import csv
import hmac
import json
import os
import queue
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from ..i18n import register, set_language, t

GRADE_MIME = "application/vnd.autograd-lab.grade+json"
SECRET_ENV = "AUTOGRAD_LAB_GRADE_SECRET_FILE"
KERNEL_ENV = {"OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1", "MPLBACKEND": "agg"}
INTERRUPT_GRACE = 5.0  # seconds an interrupted cell gets to stop before the kernel is killed
WORKER_GRACE = 30.0  # seconds beyond the total timeout before the parent kills a worker
CSV_FIELDS = ("student", "exercise", "part", "points", "max", "status", "message")

register(
    {
        "grade.cell_timeout": {
            "es": "Se superó el tiempo límite de una celda ({seconds:g} s).",
            "en": "A cell exceeded its time limit ({seconds:g} s).",
        },
        "grade.total_timeout": {
            "es": "Se agotó el tiempo total del cuaderno ({seconds:g} s) antes de llegar a esta parte.",
            "en": "The notebook's total time ({seconds:g} s) ran out before this part.",
        },
        "grade.stuck": {
            "es": "Una celda no se detuvo al interrumpirla y el kernel se cerró antes de llegar a esta parte.",
            "en": "A cell did not stop when interrupted and the kernel was shut down before this part.",
        },
        "grade.crashed": {
            "es": "El kernel se detuvo (memoria, CPU o un fallo) antes de terminar esta parte.",
            "en": "The kernel stopped (memory, CPU or a crash) before this part was finished.",
        },
        "grade.worker_failed": {
            "es": "El proceso que corregía este cuaderno falló: {error}",
            "en": "The process grading this notebook failed: {error}",
        },
        "grade.unverified": {
            "es": "La comprobación no devolvió un resultado verificado{error}.",
            "en": "The check returned no verified result{error}.",
        },
        "grade.undefined": {
            "es": "No está definido: {error} (¿se borró o falló la celda que lo define?)",
            "en": "Not defined: {error} (was the cell that defines it deleted, or did it fail?)",
        },
        "grade.answers_failed": {
            "es": "Leer las respuestas lanzó {error}",
            "en": "Reading the answers raised {error}",
        },
        "grade.unreadable": {
            "es": "El archivo no es un cuaderno válido: {error}",
            "en": "The file is not a valid notebook: {error}",
        },
        "grade.unknown": {
            "es": "No se reconoce el ejercicio: el nombre del archivo debe empezar como el de la versión entregada "
            "(por ejemplo ex04_funciones.ipynb).",
            "en": "The exercise is not recognised: the file name must start like the released one "
            "(for example ex04_funciones.ipynb).",
        },
        "grade.kernel_failed": {
            "es": "No se pudo arrancar el kernel: {error}",
            "en": "The kernel could not start: {error}",
        },
        "grade.summary": {"es": "Resumen de notas", "en": "Grade summary"},
        "grade.student": {"es": "estudiante", "en": "student"},
        "grade.total": {"es": "total", "en": "total"},
    }
)


@dataclass(frozen=True)
class Limits:
    """Per-cell and total timeouts (seconds), the kernel's memory budget (MB) and the feedback language."""

    cell_timeout: float = 60.0
    total_timeout: float = 600.0
    memory_mb: int = 2048
    language: str = "es"


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
        """The row in CSV_FIELDS order."""
        return [self.student, self.exercise, self.part, self.points, self.max_points, self.status, self.message]


# --------------------------------------------------------------------------- the release and the submission


def load_release(release_dir: Path) -> dict[str, Any]:
    """The released exercise notebooks, by file stem ("ex04_funciones")."""
    import nbformat

    notebooks = {path.stem: nbformat.read(path, as_version=4) for path in sorted(release_dir.glob("*.ipynb"))}
    if not notebooks:
        raise FileNotFoundError(
            f"no released notebooks in {release_dir}/; run `autograd-lab release` or pass --release"
        )
    return notebooks


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


@dataclass
class CheckStep:
    """A restored check cell: which part, and the release's expressions for its answers."""

    check_id: str
    answers: str
    cell_id: str


@dataclass
class CodeStep:
    """A student's code cell, run as it is."""

    source: str
    cell_id: str


def release_checks(release_nb: Any) -> list[tuple[int, CheckStep]]:
    """The check cells of a release notebook, with their positions."""
    found = []
    for index, cell in enumerate(release_nb.cells):
        check_id = cell.metadata.get("autograd_lab", {}).get("check")
        if cell.cell_type != "code" or not check_id:
            continue
        call = ast.parse(cell.source).body[0].value
        answers = ", ".join(ast.get_source_segment(cell.source, arg) or "" for arg in call.args[1:])
        found.append((index, CheckStep(check_id, answers, cell.get("id", ""))))
    return found


def plan(student_nb: Any, release_nb: Any) -> list[CheckStep | CodeStep]:
    """What to run: the student's code cells, with every release check cell restored in its place."""
    checks = release_checks(release_nb)
    by_cell_id = {step.cell_id: step for _, step in checks if step.cell_id}
    by_check_id = {step.check_id: step for _, step in checks}
    program: list[tuple[str, CheckStep | CodeStep | None]] = []
    placed: set[str] = set()
    for cell in student_nb.cells:
        cell_id = cell.get("id", "")
        claimed = cell.metadata.get("autograd_lab", {}).get("check") if cell.cell_type == "code" else None
        step = by_cell_id.get(cell_id) or (by_check_id.get(claimed) if isinstance(claimed, str) else None)
        if step is not None and step.check_id not in placed:
            placed.add(step.check_id)
            program.append((cell_id, step))
        elif cell.cell_type == "code":
            program.append((cell_id, CodeStep(cell.source, cell_id)))
        else:
            program.append((cell_id, None))  # markdown: only an anchor for restored cells
    for index, step in checks:
        if step.check_id in placed:
            continue
        position = len(program)
        for earlier in reversed(release_nb.cells[:index]):
            anchors = [i for i, (cell_id, _) in enumerate(program) if cell_id and cell_id == earlier.get("id")]
            if anchors:
                position = anchors[-1] + 1
                break
        program.insert(position, (step.cell_id, step))
        placed.add(step.check_id)
    return [step for _, step in program if step is not None]


# --------------------------------------------------------------------------- inside the kernel


def _install_runner(memory_mb: int, cpu_seconds: float, language: str) -> Any:
    """Run in the kernel before any student code: read the key, set limits, return the check runner."""
    import hashlib

    from IPython.display import display

    from .checks import evaluate

    secret_file = os.environ.pop(SECRET_ENV)
    with open(secret_file, "rb") as handle:
        secret = handle.read()
    os.unlink(secret_file)
    set_language(language)
    _limit_resources(memory_mb, cpu_seconds)

    def run_check(check_id: str, answers: Any) -> None:
        try:
            values = answers()
        except NameError as error:
            outcome = {"check_id": check_id, "status": "error", "message": t("grade.undefined", error=error)}
        except Exception as error:
            outcome = {"check_id": check_id, "status": "error", "message": t("grade.answers_failed", error=repr(error))}
        else:
            try:
                outcome = evaluate(check_id, *values, scope="full").to_dict()
            except Exception as error:
                outcome = {"check_id": check_id, "status": "error", "message": t("check.msg.internal", error=error)}
        payload = json.dumps(outcome, sort_keys=True)
        signature = hmac.new(secret, payload.encode(), hashlib.sha256).hexdigest()
        display({GRADE_MIME: {"payload": payload, "signature": signature}}, raw=True)

    return run_check


def _limit_resources(memory_mb: int, cpu_seconds: float) -> None:
    """Cap the kernel's address space (what it uses now plus ``memory_mb``), CPU time and file size."""
    try:
        import resource
    except ImportError:  # not on this platform: timeouts still apply
        return
    used = resource.getrusage(resource.RUSAGE_SELF)
    cpu = int(used.ru_utime + used.ru_stime + cpu_seconds) + 1
    limits = [(resource.RLIMIT_CPU, cpu, cpu + 5), (resource.RLIMIT_FSIZE, 64 * 2**20, 64 * 2**20)]
    limits.append((resource.RLIMIT_CORE, 0, 0))
    size = _address_space_bytes()
    if size is not None:
        limits.append((resource.RLIMIT_AS, size + memory_mb * 2**20, size + memory_mb * 2**20))
    for kind, soft, hard in limits:
        with contextlib.suppress(ValueError, OSError):  # already lower, or not allowed here: keep the stricter one
            resource.setrlimit(kind, (soft, hard))


def _address_space_bytes() -> int | None:
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmSize:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        return None
    return None


# --------------------------------------------------------------------------- running cells


@dataclass
class CellRun:
    """What one cell did: ok | error | timeout | dead, the grade payloads it displayed, its error."""

    status: str
    payloads: list[Any] = field(default_factory=list)
    error: str = ""
    msg_id: str = ""


def _run_cell(kc: Any, km: Any, code: str, timeout: float) -> CellRun:
    """Execute ``code`` and follow its messages until the kernel is idle, the time is up, or it dies."""
    msg_id = kc.execute(code, store_history=True, allow_stdin=False, stop_on_error=False)
    run = CellRun("ok", msg_id=msg_id)
    deadline = time.monotonic() + timeout
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            run.status = "timeout"
            return run
        try:
            msg = kc.get_iopub_msg(timeout=min(0.25, remaining))
        except queue.Empty:
            if not km.is_alive():
                run.status = "dead"
                return run
            continue
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        kind, content = msg["msg_type"], msg["content"]
        if kind in ("display_data", "execute_result") and GRADE_MIME in content.get("data", {}):
            run.payloads.append(content["data"][GRADE_MIME])
        elif kind == "error":
            run.status, run.error = "error", f"{content.get('ename', '')}: {content.get('evalue', '')}"[:300]
        elif kind == "status" and content.get("execution_state") == "idle":
            return run


def _interrupt(kc: Any, km: Any, run: CellRun) -> bool:
    """Interrupt a timed-out cell; True when the kernel is idle again within the grace period."""
    km.interrupt_kernel()
    deadline = time.monotonic() + INTERRUPT_GRACE
    while time.monotonic() < deadline:
        try:
            msg = kc.get_iopub_msg(timeout=0.25)
        except queue.Empty:
            if not km.is_alive():
                return False
            continue
        same = msg["parent_header"].get("msg_id") == run.msg_id
        if same and msg["msg_type"] == "status" and msg["content"].get("execution_state") == "idle":
            return True
    return False


def _verified(run: CellRun, secret: bytes, check_id: str) -> dict[str, Any] | None:
    """The outcome the grader's runner sent for ``check_id``, if one carries a valid signature."""
    import hashlib

    for blob in run.payloads:
        if not (isinstance(blob, dict) and isinstance(blob.get("payload"), str)):
            continue
        expected = hmac.new(secret, blob["payload"].encode(), hashlib.sha256).hexdigest()
        if not hmac.compare_digest(expected, str(blob.get("signature", ""))):
            continue
        outcome = json.loads(blob["payload"])
        if isinstance(outcome, dict) and outcome.get("check_id") == check_id:
            return outcome
    return None


# --------------------------------------------------------------------------- one submission (in a worker process)


class _Grading:
    """The rows of one submission as its checks are reached."""

    def __init__(self, student: str, exercise: str, release_nb: Any) -> None:
        from .checks import get_check

        self.student, self.exercise = student, exercise
        self.parts = [step.check_id for _, step in release_checks(release_nb)]
        self.max_points = {part: get_check(part).points for part in self.parts}
        self.rows: dict[str, Row] = {}

    def record(self, part: str, status: str, message: str, passed: bool = False) -> None:
        points = self.max_points[part] if passed else 0
        self.rows[part] = Row(self.student, self.exercise, part, points, self.max_points[part], status, message)

    def record_outcome(self, part: str, outcome: dict[str, Any]) -> None:
        status = outcome.get("status")
        status = status if status in ("passed", "failed", "pending", "error") else "error"
        message = str(outcome.get("message", ""))
        if outcome.get("hint"):
            message += f" {t('check.hint')}: {outcome['hint']}"
        self.record(part, status, message[:600], passed=status == "passed")

    def finish(self, status: str, message: str) -> list[Row]:
        for part in self.parts:
            if part not in self.rows:
                self.record(part, status, message)
        return [self.rows[part] for part in self.parts]


def grade_notebook(path: Path, release: dict[str, Any], limits: Limits, report_pid: Any = None) -> list[Row]:
    """Grade one submitted notebook in a fresh kernel; never raises for anything the notebook does."""
    import nbformat

    set_language(limits.language)
    student, exercise = student_name(path), identify(path, release)
    if exercise is None:
        return [Row(student, path.stem, "-", 0, 0, "unknown", t("grade.unknown"))]
    grading = _Grading(student, exercise, release[exercise])
    try:
        notebook = nbformat.read(path, as_version=4)
        program = plan(notebook, release[exercise])
    except Exception as error:
        return grading.finish("unreadable", t("grade.unreadable", error=f"{type(error).__name__}: {error}"[:300]))
    return _run_program(program, grading, limits, report_pid)


def _run_program(program: list[CheckStep | CodeStep], grading: _Grading, limits: Limits, report_pid: Any) -> list[Row]:
    from .kernels import CurrentEnvKernelManager, kernel_pid

    workdir = Path(tempfile.mkdtemp(prefix="autograd-lab-grade-"))
    secret = secrets.token_bytes(32)
    secret_file = workdir / ".key"
    secret_file.write_bytes(secret)
    runner = f"_autograd_lab_grade_{secrets.token_hex(6)}"
    km = CurrentEnvKernelManager()
    kc = None
    try:
        env = {**os.environ, **KERNEL_ENV, SECRET_ENV: str(secret_file)}
        km.start_kernel(env=env, cwd=str(workdir), stderr=subprocess.DEVNULL)
        if report_pid is not None:
            report_pid(kernel_pid(km))
        kc = km.client()
        kc.start_channels()
        kc.wait_for_ready(timeout=60)
        setup = (
            f"from autograd_lab.course.grade import _install_runner as _install\n"
            f"{runner} = _install({limits.memory_mb}, {limits.total_timeout}, {limits.language!r})\n"
            "del _install"
        )
        started = _run_cell(kc, km, setup, 60)
        if started.status != "ok":
            return grading.finish("error", t("grade.kernel_failed", error=started.error or started.status))
        return _run_steps(program, grading, limits, kc, km, runner, secret)
    except Exception as error:  # the kernel would not start or talk: nothing the student did
        return grading.finish("error", t("grade.kernel_failed", error=f"{type(error).__name__}: {error}"[:300]))
    finally:
        if kc is not None:
            kc.stop_channels()
        try:
            km.shutdown_kernel(now=True)
        except Exception:
            pid = kernel_pid(km)
            if pid:
                _kill_group(pid)
        shutil.rmtree(workdir, ignore_errors=True)


def _run_steps(
    program: list[CheckStep | CodeStep], grading: _Grading, limits: Limits, kc: Any, km: Any, runner: str, secret: bytes
) -> list[Row]:
    deadline = time.monotonic() + limits.total_timeout
    for step in program:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            return grading.finish("timeout", t("grade.total_timeout", seconds=limits.total_timeout))
        if isinstance(step, CodeStep):
            run = _run_cell(kc, km, step.source, min(limits.cell_timeout, remaining))
        else:
            run = _run_cell(
                kc, km, f"{runner}({step.check_id!r}, lambda: ({step.answers},))", min(limits.cell_timeout, remaining)
            )
            outcome = _verified(run, secret, step.check_id)
            if outcome is not None:
                grading.record_outcome(step.check_id, outcome)
            elif run.status == "timeout":
                grading.record(step.check_id, "timeout", t("grade.cell_timeout", seconds=limits.cell_timeout))
            elif run.status != "dead":
                error = f": {run.error}" if run.error else ""
                grading.record(step.check_id, "error", t("grade.unverified", error=error))
        if run.status == "dead":
            return grading.finish("crashed", t("grade.crashed"))
        if run.status == "timeout" and not _interrupt(kc, km, run):
            if time.monotonic() >= deadline:
                return grading.finish("timeout", t("grade.total_timeout", seconds=limits.total_timeout))
            return grading.finish("timeout", t("grade.stuck"))
    return grading.finish("error", t("grade.unverified", error=""))


def _kill_group(pid: int) -> None:
    """Kill a kernel and anything it started (jupyter_client gives each kernel its own session)."""
    for kill in (os.killpg, os.kill):
        try:
            kill(pid, signal.SIGKILL)
            return
        except (ProcessLookupError, PermissionError, OSError):
            continue


def worker_main() -> None:
    """Entry point of a grading process (``python -c``): argv = notebook, release folder, limits as JSON.

    It prints JSON lines on stdout: ``["kernel", pid]`` once the kernel runs, then ``["rows", [...]]``.
    """
    path, release_dir, limits_json = sys.argv[1:4]
    limits = Limits(**json.loads(limits_json))

    def send(kind: str, value: Any) -> None:
        sys.stdout.write(json.dumps([kind, value]) + "\n")
        sys.stdout.flush()

    try:
        release = load_release(Path(release_dir))
        rows = grade_notebook(Path(path), release, limits, report_pid=lambda pid: send("kernel", pid))
        send("rows", [asdict(row) for row in rows])
    except Exception as error:
        send("failed", f"{type(error).__name__}: {error}"[:300])


# --------------------------------------------------------------------------- many submissions, in parallel


@dataclass
class _Job:
    index: int
    path: Path
    process: subprocess.Popen[bytes]
    started: float
    buffer: bytes = b""
    kernel_pid: int | None = None


def _fallback_rows(path: Path, release: dict[str, Any], status: str, message: str) -> list[Row]:
    """Rows for a submission whose worker died or hung: every part gets ``status``."""
    student, exercise = student_name(path), identify(path, release)
    if exercise is None:
        return [Row(student, path.stem, "-", 0, 0, "unknown", t("grade.unknown"))]
    return _Grading(student, exercise, release[exercise]).finish(status, message)


def _start(index: int, path: Path, release_dir: Path, limits: Limits) -> _Job:
    command = [sys.executable, "-c", "from autograd_lab.course.grade import worker_main; worker_main()"]
    process = subprocess.Popen(
        [*command, str(path), str(release_dir), json.dumps(asdict(limits))],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        stdin=subprocess.DEVNULL,
        start_new_session=True,
    )
    os.set_blocking(process.stdout.fileno(), False)  # type: ignore[union-attr]
    return _Job(index, path, process, time.monotonic())


def grade_all(paths: list[Path], release_dir: Path, limits: Limits, jobs: int = 2, echo: Any = None) -> list[Row]:
    """Grade every submission, ``jobs`` at a time, each in its own process and kernel; rows in input order."""
    set_language(limits.language)
    release = load_release(release_dir)
    waiting = list(enumerate(paths))
    running: dict[int, _Job] = {}
    results: dict[int, list[Row]] = {}
    try:
        while waiting or running:
            while waiting and len(running) < max(1, jobs):
                index, path = waiting.pop(0)
                running[index] = _start(index, path, release_dir, limits)
            for job in list(running.values()):
                rows = _poll(job, release, limits)
                if rows is not None:
                    results[job.index] = rows
                    del running[job.index]
                    if echo is not None:
                        echo(_one_line(job.path, rows, time.monotonic() - job.started))
            time.sleep(0.05)
    finally:  # interrupted (Ctrl-C) or failed: leave no worker or kernel behind
        for job in running.values():
            _stop(job)
    return [row for index in sorted(results) for row in results[index]]


def _reap(job: _Job) -> None:
    """Wait for a worker that has sent its result; kill it if it lingers."""
    with contextlib.suppress(subprocess.TimeoutExpired):
        job.process.wait(timeout=30)
    if job.process.poll() is None:
        _stop(job)


def _stop(job: _Job) -> None:
    """Kill a worker and its kernel (each has a session of its own)."""
    _kill_group(job.process.pid)
    with contextlib.suppress(subprocess.TimeoutExpired):
        job.process.wait(timeout=30)
    if job.kernel_pid:
        _kill_group(job.kernel_pid)


def _read_messages(job: _Job) -> list[tuple[str, Any]]:
    """The complete JSON lines the worker has written so far (its stdout is non-blocking)."""
    assert job.process.stdout is not None
    while True:
        try:
            chunk = os.read(job.process.stdout.fileno(), 1 << 16)
        except BlockingIOError:
            break
        if not chunk:
            break
        job.buffer += chunk
    complete, _, job.buffer = job.buffer.rpartition(b"\n")
    messages = []
    for line in complete.decode("utf-8", "replace").splitlines():
        with contextlib.suppress(ValueError):
            kind, value = json.loads(line)
            messages.append((kind, value))
    return messages


def _poll(job: _Job, release: dict[str, Any], limits: Limits) -> list[Row] | None:
    """The job's rows once it is done (or dead, or over time); None while it is still working."""
    exited = job.process.poll() is not None  # before reading: whatever it wrote before exiting gets read
    for kind, value in _read_messages(job):
        if kind == "kernel":
            job.kernel_pid = value
        elif kind == "rows":
            _reap(job)
            return [Row(**row) for row in value]
        elif kind == "failed":
            _reap(job)
            return _fallback_rows(job.path, release, "error", t("grade.worker_failed", error=value))
    if exited:
        if job.kernel_pid:
            _kill_group(job.kernel_pid)
        error = f"exit code {job.process.returncode}"
        return _fallback_rows(job.path, release, "crashed", t("grade.worker_failed", error=error))
    if time.monotonic() - job.started > limits.total_timeout + WORKER_GRACE:
        _stop(job)
        return _fallback_rows(job.path, release, "timeout", t("grade.total_timeout", seconds=limits.total_timeout))
    return None


# --------------------------------------------------------------------------- reporting


def write_csv(rows: list[Row], out: Path) -> None:
    """One row per student and part: student, exercise, part, points, max, status, message."""
    with open(out, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(CSV_FIELDS)
        writer.writerows(row.as_csv() for row in rows)


def summary_table(rows: list[Row]) -> str:
    """Points per student (rows) and exercise (columns), with totals."""
    students = list(dict.fromkeys(row.student for row in rows))
    exercises = sorted({row.exercise for row in rows})
    cells: dict[tuple[str, str], list[int]] = {}
    for row in rows:
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


def submission_paths(targets: list[Path]) -> list[Path]:
    """Notebooks named directly or found under the given folders (checkpoints skipped)."""
    paths: list[Path] = []
    for target in targets:
        if target.is_dir():
            paths.extend(p for p in sorted(target.rglob("*.ipynb")) if ".ipynb_checkpoints" not in p.parts)
        else:
            paths.append(target)
    return paths


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


def run(args: argparse.Namespace) -> int:
    """Grade the submissions, write the CSV and print the summary."""
    try:
        import ipykernel  # noqa: F401
        import jupyter_client  # noqa: F401
        import nbformat  # noqa: F401
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
    limits = Limits(args.cell_timeout, args.timeout, args.memory_mb, args.language)
    try:
        rows = grade_all(paths, args.release, limits, args.jobs, echo=print)
    except FileNotFoundError as error:
        print(f"autograd-lab grade: {error}", file=sys.stderr)
        return 2
    write_csv(rows, args.out)
    print(summary_table(rows))
    print(f"wrote {len(rows)} rows to {args.out}")
    return 0

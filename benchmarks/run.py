"""Side-by-side benchmarks: autograd_lab, PyTorch (CPU, 1 thread), hand-written NumPy and micrograd.

Run from the repository root (see benchmarks/README.md):

    .venv/bin/python benchmarks/run.py                 # everything, prints a markdown report
    .venv/bin/python benchmarks/run.py --write-readme  # ... and records it in benchmarks/README.md
    .venv/bin/python benchmarks/run.py --only digits,chain --repeats 3

The BLAS thread count is pinned (``--threads``, default 1) through the
environment before numpy or torch is imported, so NumPy's OpenBLAS and PyTorch
compute with the same number of threads.
"""

from __future__ import annotations

import argparse
import os
import sys

WORKLOADS = ["digits", "wide", "moons", "chain", "memory", "per-op"]


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--only", default=",".join(WORKLOADS), help=f"comma-separated subset of {WORKLOADS}")
    parser.add_argument("--repeats", type=int, default=5, help="timed runs per library (the best is reported)")
    parser.add_argument("--threads", type=int, default=1, help="BLAS / intra-op threads for numpy and torch")
    parser.add_argument("--no-micrograd", action="store_true", help="skip micrograd (its moons run takes ~20 s)")
    parser.add_argument("--write-readme", action="store_true", help="replace the results in benchmarks/README.md")
    parser.add_argument(
        "--baseline",
        metavar="REF_OR_PATH",
        help="also run another version of autograd_lab side by side: a git commit (e.g. 1c9ad32) or a "
        "directory that holds its autograd_lab/ package",
    )
    args = parser.parse_args(argv)
    unknown = set(args.only.split(",")) - set(WORKLOADS)
    if unknown:
        parser.error(f"unknown workloads {sorted(unknown)}; choose from {WORKLOADS}")
    return args


ARGS = parse_args()
for _variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_variable] = str(ARGS.threads)  # read by the BLAS libraries when they load: set before importing them

import ctypes  # noqa: E402
import datetime  # noqa: E402
import gc  # noqa: E402
import platform  # noqa: E402
import re  # noqa: E402
import statistics  # noqa: E402
import tracemalloc  # noqa: E402
from collections.abc import Callable  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

import importlib.util  # noqa: E402
import io  # noqa: E402
import subprocess  # noqa: E402
import tarfile  # noqa: E402
import tempfile  # noqa: E402

import numpy as np  # noqa: E402

import autograd_lab  # noqa: E402

sys.path.insert(0, str(Path(__file__).parent))
import workloads as W  # noqa: E402

try:
    import torch
except ImportError:  # PyTorch is optional: its columns say "not installed"
    torch = None
else:
    torch.set_num_threads(ARGS.threads)

try:
    import micrograd
except ImportError:
    micrograd = None

try:
    import psutil
except ImportError:
    psutil = None

LAB, TORCH, NUMPY, MICROGRAD = "autograd_lab", "PyTorch", "NumPy", "micrograd"
BASE = "baseline"


def load_baseline(source: str) -> Any:
    """Another autograd_lab, imported as the package ``autograd_lab_baseline`` next to this one.

    ``source`` is a directory holding ``autograd_lab/`` or a git revision of this
    repository (extracted with ``git archive`` into a temporary directory).
    """
    root = Path(source)
    if not root.is_dir():
        repo = Path(__file__).resolve().parent.parent
        archive = subprocess.run(
            ["git", "archive", "--format=tar", source, "autograd_lab"], cwd=repo, capture_output=True, check=True
        ).stdout
        root = Path(tempfile.mkdtemp(prefix="autograd_lab_baseline_"))
        with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
            tar.extractall(root, filter="data")
    package = root / "autograd_lab" if (root / "autograd_lab").is_dir() else root
    spec = importlib.util.spec_from_file_location(
        "autograd_lab_baseline", package / "__init__.py", submodule_search_locations=[str(package)]
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


baseline = load_baseline(ARGS.baseline) if ARGS.baseline else None

# --------------------------------------------------------------------------- measuring


class Timing:
    """All timed runs of one implementation on one workload (wall and CPU seconds), plus its final loss."""

    def __init__(self) -> None:
        self.runs: list[float] = []  # wall clock
        self.cpu_runs: list[float] = []  # CPU time of the process
        self.loss: float | None = None

    def add(self, elapsed: W.Elapsed, loss: float) -> None:
        self.runs.append(elapsed.wall)
        self.cpu_runs.append(elapsed.cpu)
        self.loss = loss

    @property
    def best(self) -> float:
        return min(self.runs)

    @property
    def cpu_best(self) -> float:
        return min(self.cpu_runs)

    @property
    def median(self) -> float:
        return statistics.median(self.runs)


Runner = Callable[[], tuple[W.Elapsed, float]]


def measure(runners: dict[str, Runner], repeats: int) -> dict[str, Timing]:
    """Run every implementation once untimed (warm-up), then ``repeats`` times, interleaved."""
    timings = {name: Timing() for name in runners}
    for run in runners.values():
        run()
    for repeat in range(repeats):
        names = list(runners)
        names = names[repeat % len(names) :] + names[: repeat % len(names)]  # rotate who goes first
        for name in names:
            gc.collect()
            timings[name].add(*runners[name]())
    return timings


def classifier_runners(sizes: list[int], X: np.ndarray, y: np.ndarray, batch: int, epochs: int, lr: float) -> Any:
    weights = W.mlp_weights(sizes, seed=0)
    runners: dict[str, Runner] = {
        LAB: lambda: W.train_classifier(autograd_lab, sizes, weights, X, y, batch, epochs, lr),
        NUMPY: lambda: W.train_classifier_numpy(sizes, weights, X, y, batch, epochs, lr),
    }
    if torch is not None:
        runners[TORCH] = lambda: W.train_classifier(torch, sizes, weights, X, y, batch, epochs, lr)
    if baseline is not None:
        runners[BASE] = lambda: W.train_classifier(baseline, sizes, weights, X, y, batch, epochs, lr)
    return runners


def digits_data() -> tuple[np.ndarray, np.ndarray]:
    X, y = autograd_lab.data.load_digits()
    order = np.random.default_rng(0).permutation(len(y))  # shuffled once; batches are then taken in order
    return np.ascontiguousarray(X[order] / 16.0, dtype=np.float32), y[order]


def bench_digits(repeats: int) -> dict[str, Timing]:
    """MLP 64-128-10, ReLU, cross-entropy, SGD, batch 64, 3 epochs over the 1797 digits."""
    X, y = digits_data()
    return measure(classifier_runners([64, 128, 10], X, y, batch=64, epochs=3, lr=0.1), repeats)


def bench_wide(repeats: int) -> dict[str, Timing]:
    """MLP 784-512-512-10, batch 256, 4096 random samples, 1 epoch (matmul-bound)."""
    rng = np.random.default_rng(1)
    X = rng.standard_normal((4096, 784)).astype(np.float32)
    y = rng.integers(0, 10, 4096)
    return measure(classifier_runners([784, 512, 512, 10], X, y, batch=256, epochs=1, lr=0.01), repeats)


def bench_moons(repeats: int, steps: int = 20) -> dict[str, Timing]:
    """MLP 2-16-16-1, hinge loss + L2, full batch of 100 points, 20 SGD steps (micrograd's demo)."""
    X, labels = autograd_lab.data.make_moons(n_samples=100, noise=0.1, seed=0)
    y = (2 * labels - 1).astype(np.float32)  # classes as -1 / +1 for the hinge loss
    weights = W.mlp_weights(W.MOONS_SIZES, seed=0)
    runners: dict[str, Runner] = {
        LAB: lambda: W.train_moons(autograd_lab, weights, X, y, steps),
        NUMPY: lambda: W.train_moons_numpy(weights, X, y, steps),
    }
    if torch is not None:
        runners[TORCH] = lambda: W.train_moons(torch, weights, X, y, steps)
    if baseline is not None:
        runners[BASE] = lambda: W.train_moons(baseline, weights, X, y, steps)
    timings = measure(runners, repeats)
    if micrograd is not None and not ARGS.no_micrograd:
        timings[MICROGRAD] = Timing()  # one run: it takes about a second per step
        timings[MICROGRAD].add(*W.train_moons_micrograd(weights, X, y, steps))
    return timings


def bench_chain(repeats: int, n_ops: int = 100_000) -> dict[str, dict[str, float]]:
    """100 000 chained scalar ops (alternately * 0.999 and + 0.001), forward then backward."""
    libraries = {LAB: autograd_lab} | ({TORCH: torch} if torch is not None else {})
    libraries |= {BASE: baseline} if baseline is not None else {}
    keys = ("forward", "backward", "total", "cpu_forward", "cpu_backward", "cpu_total")
    results: dict[str, dict[str, Any]] = {name: {key: [] for key in keys} for name in libraries}
    for repeat in range(repeats + 1):
        names = list(libraries)
        names = names[repeat % len(names) :] + names[: repeat % len(names)]  # rotate who goes first
        for name in names:
            gc.collect()
            forward, backward, grad = W.scalar_chain(libraries[name], n_ops)
            if repeat == 0:
                continue  # warm-up
            times = (forward.wall, backward.wall, forward.wall + backward.wall)
            times += (forward.cpu, backward.cpu, forward.cpu + backward.cpu)
            for key, value in zip(keys, times):
                results[name][key].append(value)
            results[name]["grad"] = grad
    return {
        name: {key: (min(values) if isinstance(values, list) else values) for key, values in result.items()}
        for name, result in results.items()
    }


def bench_memory(steps: int = 2000, early: int = 200) -> dict[str, dict[str, float]]:
    """Peak memory after ``early`` and after ``steps`` training steps of the digits MLP."""
    X, y = digits_data()
    sizes, weights = [64, 128, 10], W.mlp_weights([64, 128, 10], seed=0)
    epochs = steps * 64 // len(X) + 1
    implementations: dict[str, Callable[..., Any]] = {
        LAB: lambda on_step: W.train_classifier(autograd_lab, sizes, weights, X, y, 64, epochs, 0.1, steps, on_step),
        NUMPY: lambda on_step: W.train_classifier_numpy(sizes, weights, X, y, 64, epochs, 0.1, steps, on_step),
    }
    if torch is not None:
        implementations[TORCH] = lambda on_step: W.train_classifier(
            torch, sizes, weights, X, y, 64, epochs, 0.1, steps, on_step
        )
    if baseline is not None:
        implementations[BASE] = lambda on_step: W.train_classifier(
            baseline, sizes, weights, X, y, 64, epochs, 0.1, steps, on_step
        )
    results = {}
    for name, train in implementations.items():
        gc.collect()
        record: dict[str, float] = {}
        traced = name != TORCH  # tracemalloc sees numpy's buffers, not PyTorch's allocator

        def on_step(step: int, record: dict[str, float] = record, traced: bool = traced) -> None:
            if step in (early, steps):
                if traced:
                    record[f"traced_{step}"] = tracemalloc.get_traced_memory()[1]
                if psutil is not None:
                    record[f"rss_{step}"] = psutil.Process().memory_info().rss

        if traced:
            tracemalloc.start()
        try:
            train(on_step)
        finally:
            if traced:
                tracemalloc.stop()
        results[name] = record
    return results


def bench_per_op(repeats: int, n_ops: int = 2000) -> dict[str, dict[str, tuple[float, float]]]:
    """Forward and backward time per op for chains of one small op on a (4,) tensor."""
    libraries = {LAB: autograd_lab} | ({TORCH: torch} if torch is not None else {})
    results: dict[str, dict[str, tuple[float, float]]] = {}
    for op in W.PER_OP_NAMES:
        results[op] = {}
        for name, lib in libraries.items():
            runs = [W.op_chain(lib, op, n_ops) for _ in range(repeats + 1)][1:]
            results[op][name] = (min(r[0] for r in runs), min(r[1] for r in runs))
        results[op][NUMPY] = (min(W.op_numpy(op, n_ops) for _ in range(repeats + 1)), float("nan"))
    return results


# --------------------------------------------------------------------------- reporting


def numpy_blas_threads() -> str:
    """The thread count OpenBLAS (inside numpy) reports, read from the loaded library."""
    try:
        maps = Path("/proc/self/maps").read_text().split()
    except OSError:
        return "unknown"
    for path in sorted({p for p in maps if "openblas" in p.lower() and ".so" in p}):
        library = ctypes.CDLL(path)
        for symbol in ("scipy_openblas_get_num_threads64_", "openblas_get_num_threads64_", "openblas_get_num_threads"):
            if hasattr(library, symbol):
                return str(getattr(library, symbol)())
    return "unknown"


def load_average() -> str:
    """The 1, 5 and 15 minute load averages (runnable processes; compare with the core count)."""
    try:
        return "{:.1f} / {:.1f} / {:.1f}".format(*os.getloadavg())
    except OSError:
        return "unknown"


def revision(path: Path) -> str:
    """``git describe`` of the tree at ``path`` (with ``-dirty`` for uncommitted changes), if it is a checkout."""
    result = subprocess.run(
        ["git", "describe", "--always", "--dirty"], cwd=path, capture_output=True, text=True, check=False
    )
    return result.stdout.strip() or "unknown"


def machine() -> list[str]:
    cpu = platform.processor() or platform.machine()
    try:
        cpuinfo = Path("/proc/cpuinfo").read_text().splitlines()
        names = [line.split(":", 1)[1].strip() for line in cpuinfo if line.startswith("model name")]
        cpu = names[0] if names else cpu
    except OSError:
        pass
    blas = np.__config__.CONFIG.get("Build Dependencies", {}).get("blas", {})
    lines = [
        f"- date: {datetime.date.today().isoformat()}",
        f"- CPU: {cpu}, {os.cpu_count()} logical cores; {platform.system()} {platform.release()}",
        f"- Python {platform.python_version()}, numpy {np.__version__} ({blas.get('name', '?')} "
        f"{blas.get('version', '')}), autograd_lab {autograd_lab.__version__}",
        f"- PyTorch {torch.__version__ if torch else 'not installed'}; "
        f"micrograd {'0.1.0' if micrograd else 'not installed'}",
        f"- threads: numpy's OpenBLAS reports {numpy_blas_threads()} (OPENBLAS_NUM_THREADS="
        f"{os.environ['OPENBLAS_NUM_THREADS']}), torch.get_num_threads() = "
        f"{torch.get_num_threads() if torch else '-'}",
        f"- autograd_lab at {revision(Path(__file__).resolve().parent)}"
        + (f"; baseline: {ARGS.baseline}" if ARGS.baseline else ""),
        "- command: `" + " ".join(["python", "benchmarks/run.py", *sys.argv[1:]]) + "`",
        f"- load average (1 / 5 / 15 min) at the start: {load_average()}",
    ]
    return lines


def ms(seconds: float | None) -> str:
    if seconds is None:
        return "-"
    return f"{seconds * 1e3:.1f} ms" if seconds < 10 else f"{seconds:.1f} s"


def ratio(a: float | None, b: float | None) -> str:
    return "-" if a is None or b is None else f"{a / b:.2f}"


def check(value: float | None, limit: float, at_least: bool = False) -> str:
    if value is None:
        return "n/a"
    return "met" if (value >= limit if at_least else value <= limit) else "**missed**"


def best(timings: dict[str, Timing], name: str, cpu: bool = False) -> float | None:
    if name not in timings:
        return None
    return timings[name].cpu_best if cpu else timings[name].best


def training_status(workload: str, lab: float | None, pt: float | None, npy: float | None, mg: float | None) -> str:
    if workload == "digits":
        return check(max(lab / pt / 0.9, lab / npy / 3) if lab and pt and npy else None, 1.0)
    if workload == "wide":
        return check(lab / npy if lab and npy else None, 1.15)
    return check(mg / lab if mg and lab else None, 1000, at_least=True)


TARGETS = {
    "digits": "lab/PyTorch <= 0.9, lab/NumPy <= 3",
    "wide": "lab/NumPy <= 1.15",
    "moons": "micrograd/lab >= 1000",
}


def training_table(results: dict[str, dict[str, Timing]]) -> list[str]:
    lines = [
        "| workload | autograd_lab | PyTorch | NumPy by hand | micrograd | lab / PyTorch | lab / NumPy "
        "| micrograd / lab | target | status |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for workload, timings in results.items():
        lab, pt, npy, mg = (best(timings, n) for n in (LAB, TORCH, NUMPY, MICROGRAD))
        lines.append(
            f"| {workload} | {ms(lab)} | {ms(pt)} | {ms(npy)} | {ms(mg)} | {ratio(lab, pt)} | {ratio(lab, npy)} "
            f"| {ratio(mg, lab)} | {TARGETS[workload]} | {training_status(workload, lab, pt, npy, mg)} |"
        )
    lines += [
        "",
        "The same runs in CPU time (the process's, best of the runs): it leaves out the time spent waiting for a "
        "core, so on a loaded machine these ratios are the steadier ones.",
        "",
        "| workload | autograd_lab | PyTorch | NumPy by hand | micrograd | lab / PyTorch | lab / NumPy "
        "| micrograd / lab | status |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for workload, timings in results.items():
        lab, pt, npy, mg = (best(timings, n, cpu=True) for n in (LAB, TORCH, NUMPY, MICROGRAD))
        lines.append(
            f"| {workload} | {ms(lab)} | {ms(pt)} | {ms(npy)} | {ms(mg)} | {ratio(lab, pt)} | {ratio(lab, npy)} "
            f"| {ratio(mg, lab)} | {training_status(workload, lab, pt, npy, mg)} |"
        )
    lines += ["", "Final loss of each implementation (same start, same data: equal when the math is the same):", ""]
    names = (LAB, TORCH, NUMPY, MICROGRAD) + ((BASE,) if baseline is not None else ())
    lines += ["| workload | " + " | ".join(names) + " |", "|---" * (len(names) + 1) + "|"]
    for workload, timings in results.items():
        losses = [f"{timings[n].loss:.6f}" if n in timings else "-" for n in names]
        lines.append(f"| {workload} | " + " | ".join(losses) + " |")
    spread = [
        f"{workload} {name} {min(t.runs) * 1e3:.1f}-{max(t.runs) * 1e3:.1f} ms "
        f"(CPU {min(t.cpu_runs) * 1e3:.1f}-{max(t.cpu_runs) * 1e3:.1f})"
        for workload, timings in results.items()
        for name, t in timings.items()
        if len(t.runs) > 1
    ]
    lines += ["", "Range over the timed runs (best-worst, wall and CPU): " + "; ".join(spread) + "."]
    return lines


def baseline_table(results: dict[str, dict[str, Timing]]) -> list[str]:
    """This autograd_lab and the baseline, each against PyTorch and NumPy from the same run."""
    lines = [
        f"Side by side with the baseline ({ARGS.baseline}), in the same run (wall clock, then CPU time):",
        "",
        "| workload | clock | autograd_lab | baseline | lab / baseline | lab / PyTorch | baseline / PyTorch "
        "| lab / NumPy | baseline / NumPy |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for workload, timings in results.items():
        for clock, cpu in (("wall", False), ("CPU", True)):
            lab, base, pt, npy = (best(timings, n, cpu) for n in (LAB, BASE, TORCH, NUMPY))
            lines.append(
                f"| {workload} | {clock} | {ms(lab)} | {ms(base)} | {ratio(lab, base)} | {ratio(lab, pt)} "
                f"| {ratio(base, pt)} | {ratio(lab, npy)} | {ratio(base, npy)} |"
            )
    return lines


def chain_table(chain: dict[str, dict[str, float]], n_ops: int = 100_000) -> list[str]:
    lab, pt = chain[LAB], chain.get(TORCH)
    lines = [
        "| 100 000 scalar ops | forward | backward | total | per op (fwd + bwd) | CPU: forward | backward "
        "| total | dy/dx |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for name, r in chain.items():
        per_op = r["total"] / n_ops * 1e6
        lines.append(
            f"| {name} | {ms(r['forward'])} | {ms(r['backward'])} | {ms(r['total'])} | {per_op:.1f} us "
            f"| {ms(r['cpu_forward'])} | {ms(r['cpu_backward'])} | {ms(r['cpu_total'])} | {r['grad']:.6f} |"
        )
    if pt is not None:
        for clock, key in (("wall clock", "total"), ("CPU time", "cpu_total")):
            value = lab[key] / pt[key]
            line = f"{clock}: autograd_lab / PyTorch = **{value:.2f}** (target <= 1.5: {check(value, 1.5)})."
            if BASE in chain:
                line += f" Baseline / PyTorch = {chain[BASE][key] / pt[key]:.2f}."
            lines += ["", line]
    return lines


def memory_table(memory: dict[str, dict[str, float]], early: int = 200, steps: int = 2000) -> list[str]:
    lines = [
        f"| implementation | traced peak after {early} steps | after {steps} | growth "
        f"| RSS after {early} | RSS after {steps} |",
        "|---|---|---|---|---|---|",
    ]
    mib = 1024 * 1024
    for name, record in memory.items():
        peak_early, peak_late = record.get(f"traced_{early}"), record.get(f"traced_{steps}")
        growth = f"{(peak_late / peak_early - 1) * 100:+.1f}%" if peak_early and peak_late else "-"
        traced = (
            (f"{peak_early / 1024:.0f} KiB", f"{peak_late / 1024:.0f} KiB") if peak_early and peak_late else ("-", "-")
        )
        rss = tuple(f"{record[k] / mib:.1f} MiB" if k in record else "-" for k in (f"rss_{early}", f"rss_{steps}"))
        lines.append(f"| {name} | {traced[0]} | {traced[1]} | {growth} | {rss[0]} | {rss[1]} |")
    lab = memory.get(LAB, {})
    if f"traced_{early}" in lab:
        value = lab[f"traced_{steps}"] / lab[f"traced_{early}"]
        lines += ["", f"autograd_lab peak after {steps} / after {early} = **{value:.3f}** (target <= 1.05: "]
        lines[-1] += f"{check(value, 1.05)})."
    return lines


def per_op_table(per_op: dict[str, dict[str, tuple[float, float]]]) -> list[str]:
    lines = [
        "| op on a (4,) tensor | numpy call | autograd_lab forward | PyTorch forward | autograd_lab backward "
        "| PyTorch backward | lab / PyTorch (fwd + bwd) |",
        "|---|---|---|---|---|---|---|",
    ]
    for op, r in per_op.items():
        lab, pt, npy = r[LAB], r.get(TORCH), r[NUMPY]
        pt_fwd, pt_bwd = (f"{pt[0] * 1e6:.1f} us", f"{pt[1] * 1e6:.1f} us") if pt else ("-", "-")
        total = ratio(sum(lab), sum(pt)) if pt else "-"
        lines.append(
            f"| {op} | {npy[0] * 1e6:.2f} us | {lab[0] * 1e6:.1f} us | {pt_fwd} | {lab[1] * 1e6:.1f} us "
            f"| {pt_bwd} | {total} |"
        )
    return lines


def write_readme(report: str) -> None:
    path = Path(__file__).parent / "README.md"
    text = path.read_text()
    start, end = "<!-- results:start -->", "<!-- results:end -->"
    if start not in text or end not in text:
        raise SystemExit(f"{path} has no {start} ... {end} section to replace")
    pattern = re.compile(re.escape(start) + ".*?" + re.escape(end), re.DOTALL)
    path.write_text(pattern.sub(lambda _: f"{start}\n{report}\n{end}", text))
    print(f"results written to {path}")


def main() -> None:
    chosen = ARGS.only.split(",")
    sections = ["### Machine", "", *machine(), ""]
    training: dict[str, dict[str, Timing]] = {}
    steps = {"digits": bench_digits, "wide": bench_wide, "moons": bench_moons}
    for name, bench in steps.items():
        if name in chosen:
            print(f"running {name} ...", file=sys.stderr)
            training[name] = bench(ARGS.repeats)
    if training:
        sections += [f"### Training (best of {ARGS.repeats} runs after a warm-up)", "", *training_table(training), ""]
        if baseline is not None:
            sections += [*baseline_table(training), ""]
    if "chain" in chosen:
        print("running chain ...", file=sys.stderr)
        sections += ["### chain", "", *chain_table(bench_chain(max(1, ARGS.repeats // 2))), ""]
    if "memory" in chosen:
        print("running memory ...", file=sys.stderr)
        sections += ["### memory (digits MLP)", "", *memory_table(bench_memory()), ""]
    if "per-op" in chosen:
        print("running per-op ...", file=sys.stderr)
        sections += ["### Per-operation overhead (best of runs, chains of 2000 ops)", ""]
        sections += [*per_op_table(bench_per_op(ARGS.repeats)), ""]
    sections += [f"Load average (1 / 5 / 15 min) at the end: {load_average()}."]
    report = "\n".join(sections).rstrip()
    print(report)
    if ARGS.write_readme:
        write_readme(report)


if __name__ == "__main__":
    main()

"""``autograd-lab doctor``: is graphviz's ``dot`` here, are the widget front-ends installed, which versions.

Each check says ok, or what is missing and the command that installs it on this
platform.  The same install command is what the drawing shows when ``dot`` is
missing.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from ..i18n import set_language, t
from . import texts  # noqa: F401  (registers the viz.* texts)

_LINUX_COMMANDS = (
    (("debian", "ubuntu", "linuxmint", "pop", "raspbian"), "sudo apt-get install graphviz"),
    (("fedora", "rhel", "centos", "rocky", "almalinux"), "sudo dnf install graphviz"),
    (("arch", "manjaro", "endeavouros"), "sudo pacman -S graphviz"),
    (("opensuse", "suse", "sles"), "sudo zypper install graphviz"),
    (("alpine",), "sudo apk add graphviz"),
)

# (distribution, minimum version, required, what it is for)
_PACKAGES = (
    ("numpy", "1.24", True, "numpy"),
    ("graphviz", "0.20", True, "graphviz (Python)"),
    ("ipywidgets", "8.0", True, "ipywidgets"),
    ("jupyterlab_widgets", "3.0", True, "jupyterlab_widgets (JupyterLab)"),
    ("matplotlib", "3.7", True, "matplotlib"),
    ("jupyterlab", "4.0", False, "jupyterlab"),
    ("ipykernel", "6.0", False, "ipykernel"),
    ("widgetsnbextension", "4.0", False, "widgetsnbextension (Notebook 6)"),
)
_WIDGETS_EXTENSION = Path("@jupyter-widgets") / "jupyterlab-manager"


def dot_install_command(platform: str | None = None, os_release: str | None = None) -> str:
    """The command that installs graphviz's ``dot`` here (``sudo apt-get install graphviz`` on Debian)."""
    if platform is None and os.environ.get("CONDA_PREFIX"):
        return "conda install -c conda-forge graphviz"
    platform = platform or sys.platform
    if platform == "darwin":
        return "brew install graphviz"
    if platform.startswith("win"):
        return "winget install --id Graphviz.Graphviz"
    if os_release is None:
        os_release = _read_os_release()
    ids = _os_ids(os_release)
    for names, command in _LINUX_COMMANDS:
        if ids & set(names):
            return command
    return "sudo apt-get install graphviz"


def _read_os_release() -> str:
    try:
        return Path("/etc/os-release").read_text(encoding="utf-8")
    except OSError:
        return ""


def _os_ids(os_release: str) -> set[str]:
    ids: set[str] = set()
    for line in os_release.splitlines():
        key, _, value = line.partition("=")
        if key in ("ID", "ID_LIKE"):
            ids.update(value.strip().strip('"').lower().split())
    return ids


@dataclass
class Check:
    """One line of the report: what was checked, whether it is fine, and how to fix it."""

    label: str
    ok: bool
    detail: str
    fix: str = ""
    required: bool = True
    too_old: bool = False


def check_dot() -> Check:
    """Is graphviz's ``dot`` program on the PATH, and which version."""
    path = shutil.which("dot")
    if path is None:
        return Check("dot (graphviz)", False, "", dot_install_command())
    try:
        result = subprocess.run([path, "-V"], capture_output=True, text=True, timeout=20, check=False)
    except (OSError, subprocess.TimeoutExpired) as error:
        return Check("dot (graphviz)", False, f"{path}: {error}", dot_install_command())
    match = re.search(r"version\s+(\S+)", result.stderr + result.stdout)
    version = match.group(1) if match else "?"
    return Check("dot (graphviz)", result.returncode == 0, f"{version}  {path}", dot_install_command())


def check_package(distribution: str, minimum: str, required: bool, label: str) -> Check:
    """Is ``distribution`` installed, at ``minimum`` or newer."""
    fix = f'{Path(sys.executable).name} -m pip install "{distribution}>={minimum}"'
    try:
        version = metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return Check(label, False, "", fix, required)
    if _version_tuple(version) < _version_tuple(minimum):
        return Check(label, False, version, fix, required, too_old=True)
    detail = version
    if distribution == "jupyterlab_widgets":
        found = _widgets_extension()
        if found is None:
            return Check(label, False, f"{version}, no @jupyter-widgets/jupyterlab-manager", fix, required)
        detail = f"{version}  {found}"
    return Check(label, True, detail, fix, required)


def _version_tuple(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in re.findall(r"\d+", version)[:3])


def _widgets_extension() -> Path | None:
    """Where JupyterLab finds the ipywidgets front-end (the prebuilt lab extension), if anywhere."""
    try:
        from jupyter_core.paths import jupyter_path

        roots = [Path(p) for p in jupyter_path("labextensions")]
    except ImportError:
        roots = [Path(sys.prefix) / "share" / "jupyter" / "labextensions"]
    for root in roots:
        if (root / _WIDGETS_EXTENSION / "package.json").exists():
            return root / _WIDGETS_EXTENSION
    return None


def run_checks() -> list[Check]:
    """Every check, in the order the report prints them."""
    python = Check("Python", sys.version_info >= (3, 10), sys.version.split()[0], "Python 3.10+")
    return [python, check_dot(), *(check_package(*package) for package in _PACKAGES)]


def report(checks: list[Check]) -> tuple[str, int]:
    """The printed report and the number of problems with required parts."""
    lines = [t("viz.doctor.title")]
    problems = 0
    for check in checks:
        if check.ok:
            status = t("viz.doctor.ok")
        elif check.too_old:
            status = t("viz.doctor.old")
        else:
            status = t("viz.doctor.missing")
        optional = "" if check.required else f" ({t('viz.doctor.optional')})"
        lines.append(f"  {status:8} {check.label}{optional}  {check.detail}".rstrip())
        if not check.ok:
            lines.append(f"           {t('viz.doctor.install', command=check.fix)}")
            problems += check.required
    lines.append(t("viz.doctor.all_good") if problems == 0 else t("viz.doctor.problems", count=problems))
    return "\n".join(lines), problems


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of ``autograd-lab doctor``."""
    parser.add_argument("--lang", choices=("es", "en"), default=None, help="language of the report (default: es)")


def run(args: argparse.Namespace) -> int:
    """Print the report; exit status 1 when something required is missing."""
    if getattr(args, "lang", None):
        set_language(args.lang)
    text, problems = report(run_checks())
    print(text)
    return 1 if problems else 0

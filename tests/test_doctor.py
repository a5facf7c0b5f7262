"""autograd-lab doctor: the checks, the install command per platform, the exit status."""

import pytest

import autograd_lab as torch
from autograd_lab import cli
from autograd_lab.viz import doctor

UBUNTU = 'NAME="Ubuntu"\nID=ubuntu\nID_LIKE=debian\n'
FEDORA = 'NAME="Fedora Linux"\nID=fedora\n'
ARCH = "ID=arch\n"
ROCKY = 'ID="rocky"\nID_LIKE="rhel centos fedora"\n'


@pytest.fixture(autouse=True)
def spanish():
    torch.set_language("es")
    yield
    torch.set_language("es")


@pytest.mark.parametrize(
    ("platform", "os_release", "command"),
    [
        ("linux", UBUNTU, "sudo apt-get install graphviz"),
        ("linux", FEDORA, "sudo dnf install graphviz"),
        ("linux", ROCKY, "sudo dnf install graphviz"),
        ("linux", ARCH, "sudo pacman -S graphviz"),
        ("linux", "", "sudo apt-get install graphviz"),
        ("darwin", "", "brew install graphviz"),
        ("win32", "", "winget install --id Graphviz.Graphviz"),
    ],
)
def test_install_command_per_platform(platform, os_release, command):
    assert doctor.dot_install_command(platform, os_release) == command


def test_conda_environments_get_conda_forge(monkeypatch):
    monkeypatch.setenv("CONDA_PREFIX", "/opt/conda")
    assert doctor.dot_install_command() == "conda install -c conda-forge graphviz"


def test_doctor_reports_everything_present(capsys):
    status = cli.main(["doctor"])
    out = capsys.readouterr().out
    assert status == 0
    lines = out.splitlines()
    assert lines[0] == "autograd-lab doctor: comprobando el entorno"
    assert any(line.split()[:3] == ["ok", "dot", "(graphviz)"] for line in lines)
    assert any("jupyterlab_widgets" in line and "jupyterlab-manager" in line for line in lines)
    assert lines[-1] == "Todo listo."


def test_doctor_without_dot_says_what_to_install_and_fails(monkeypatch, tmp_path, capsys):
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.delenv("CONDA_PREFIX", raising=False)
    status = cli.main(["doctor", "--lang", "en"])
    out = capsys.readouterr().out
    assert status == 1
    lines = out.splitlines()
    index = next(i for i, line in enumerate(lines) if "dot (graphviz)" in line)
    assert lines[index].split()[0] == "MISSING"
    assert lines[index + 1].strip() == f"install it with: {doctor.dot_install_command()}"
    assert lines[-1] == "1 problem(s) found; fix them with the commands above."


def test_missing_and_old_packages(monkeypatch):
    missing = doctor.check_package("surely-not-installed-package", "1.0", True, "x")
    assert not missing.ok and missing.fix.endswith('-m pip install "surely-not-installed-package>=1.0"')
    old = doctor.check_package("numpy", "999.0", False, "numpy")
    assert not old.ok and old.too_old and not old.required
    text, problems = doctor.report([missing, old])
    assert problems == 1  # optional parts do not count
    assert "ANTIGUO  numpy (opcional)" in text

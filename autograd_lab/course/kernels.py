"""Jupyter kernels that run in this Python environment, whatever kernelspecs the machine has installed.

A notebook names its kernel ("python3"), and a stray user kernelspec of that
name can point at another environment.  The executing tools (the grader,
``tools/execute_notebooks.py``, the tests) use these managers instead, which
always start ``sys.executable -m ipykernel_launcher``.
"""

from __future__ import annotations

import sys
from typing import Any

from jupyter_client.kernelspec import KernelSpec, KernelSpecManager
from jupyter_client.manager import AsyncKernelManager, KernelManager
from traitlets import default

KERNEL_NAME = "python3"


class CurrentEnvKernelSpecManager(KernelSpecManager):
    """Every kernel name resolves to an ipykernel running on this interpreter."""

    def get_kernel_spec(self, kernel_name: str) -> KernelSpec:
        """The spec for ``sys.executable -m ipykernel_launcher`` (the name is ignored)."""
        from ipykernel.kernelspec import RESOURCES

        return KernelSpec(
            resource_dir=RESOURCES,
            argv=[sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
            display_name="Python 3 (current environment)",
            language="python",
        )


class CurrentEnvKernelManager(KernelManager):
    """A blocking kernel manager whose kernel runs in this environment."""

    @default("kernel_spec_manager")
    def _kernel_spec_manager_default(self) -> Any:
        return CurrentEnvKernelSpecManager(data_dir=self.data_dir)


class AsyncCurrentEnvKernelManager(AsyncKernelManager):
    """The asynchronous variant, for nbclient's ``NotebookClient(kernel_manager_class=...)``."""

    @default("kernel_spec_manager")
    def _kernel_spec_manager_default(self) -> Any:
        return CurrentEnvKernelSpecManager(data_dir=self.data_dir)


def kernel_pid(manager: KernelManager) -> int | None:
    """The process id of a started kernel (None if it is not running)."""
    provisioner = getattr(manager, "provisioner", None)
    process = getattr(provisioner, "process", None)
    pid = getattr(process, "pid", None) or getattr(provisioner, "pid", None)
    return int(pid) if pid else None

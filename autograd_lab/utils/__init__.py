"""``autograd_lab.utils``: PyTorch's ``torch.utils`` helpers that learners meet first (``utils.data``)."""

from . import data

__all__ = ["data"]

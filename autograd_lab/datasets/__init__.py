"""Data files shipped with the package (read through ``autograd_lab.data``)."""

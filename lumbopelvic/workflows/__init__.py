"""Whole jobs built from the parts: analyze, compare, batch, validate, and the single steps.

Each workflow takes paths and settings, calls the science and the edges, writes its outputs
atomically and returns what it found. The command line and the Python API
(:mod:`lumbopelvic`) are thin layers over these functions.
"""

"""The vocabulary every layer shares: errors, table layouts and their checks, provenance.

Nothing here imports another part of :mod:`lumbopelvic`, so the science (``kinematics``,
``rhythm``), the edges (``io``, ``pose``, ``outputs``) and the ``workflows`` can all use it
without import cycles.
"""

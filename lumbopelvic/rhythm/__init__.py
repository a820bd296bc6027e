"""The science of rhythm: repetitions, contribution, timing, coordination and variability.

Pure functions on the angle table; the entry point is
:func:`lumbopelvic.rhythm.analysis.analyse_rhythm`. Literature values and the minimal
detectable change are in :mod:`lumbopelvic.rhythm.references`.
"""

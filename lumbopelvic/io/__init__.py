"""The edges where data enters and leaves: video files, tables on disk, caches, settings files.

Nothing in here computes a measurement; the science in ``kinematics`` and ``rhythm`` never
imports this package.
"""

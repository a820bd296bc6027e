"""The science of angles: from a landmark table to sagittal trunk, pelvis, lumbar, hip, knee.

Pure functions on tables and arrays; nothing here reads files or runs the pose model. The
entry point is :func:`lumbopelvic.kinematics.angles.compute_angles`.
"""

"""The pose edge: MediaPipe PoseLandmarker over a video's frames, the landmark table, the
subject's silhouette, and the model bundles. Entry point:
:func:`lumbopelvic.pose.extract.extract_pose`.
"""

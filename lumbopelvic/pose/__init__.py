"""The pose edge: a pose backend over a video's frames (MediaPipe PoseLandmarker, in
:mod:`lumbopelvic.pose.mediapipe`, behind :mod:`lumbopelvic.pose.backend`), the landmark table
and the subject's silhouette. Entry point: :func:`lumbopelvic.pose.extract.extract_pose`.
"""

"""Defaults of the annotated video, in a module of their own so settings load nothing heavy."""

# HD (720 pixels on the long side) plays anywhere and keeps the overlay sharp; drawing and
# encoding it costs a quarter of a 1080x1920 phone recording's own size (bench/SPEED.md).
DEFAULT_LONG_SIDE_PX = 720
# x264's own default quality.
DEFAULT_CRF = 23

"""lumbopelvic: lumbopelvic rhythm from an ordinary side-view video of a forward bend."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("lumbopelvic")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0+unknown"

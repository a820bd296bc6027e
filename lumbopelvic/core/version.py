"""The installed package's version, recorded in every output's provenance."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("lumbopelvic")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0+unknown"

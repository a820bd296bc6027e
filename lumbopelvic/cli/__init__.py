"""The ``lumbopelvic`` command line: each command parses, calls one library function, prints.

The Typer application is :data:`lumbopelvic.cli.app.app`; :func:`run` is the console-script
entry point, the one place where errors become a one-line message and an exit code.
"""

from lumbopelvic.cli.entry import run

__all__ = ["run"]

"""The console-script entry point: the one place where errors become a line and an exit code.

- Bad input (:class:`LumbopelvicError`, raised anywhere in the library), a usage mistake
  (an unknown option, a value of the wrong kind) and a problem of the user's environment
  (disk full, no permission, a name too long): one line on stderr, exit 2.
- Ctrl-C and SIGTERM: the work stops, temporary files are removed on the way out, one line,
  exit 130 or 143.
- Anything else is a bug: one line asking for a report, exit 1 (the traceback with
  ``LUMBOPELVIC_DEBUG=1``).
"""

from __future__ import annotations

import errno
import os
import signal
import sys
import warnings
from types import FrameType

from lumbopelvic.core.errors import (
    EXIT_BAD_INPUT,
    EXIT_INTERNAL_ERROR,
    EXIT_INTERRUPTED,
    LumbopelvicError,
)

# File-system errors that are the user's to fix, not bugs.
ENVIRONMENT_ERRNOS = frozenset(
    {
        errno.ENOSPC,
        errno.EDQUOT,
        errno.EACCES,
        errno.EPERM,
        errno.EROFS,
        errno.ENAMETOOLONG,
        errno.ENOTDIR,
        errno.EISDIR,
        errno.EMFILE,
        errno.ENFILE,
        errno.EFBIG,
    }
)


class Interrupted(BaseException):
    """Raised in the main thread by SIGINT or SIGTERM.

    A ``BaseException`` of its own, so neither ``except Exception`` (which keeps a batch
    going past one bad video) nor the command-line framework's Ctrl-C handling catches it:
    cleanup in ``finally`` blocks runs, then :func:`run` reports it.
    """

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


def _interrupt(signum: int, _frame: FrameType | None) -> None:
    raise Interrupted(signum)


def _say(message: str) -> None:
    first = message.strip().splitlines()[0] if message.strip() else "unknown error"
    print(f"error: {first}", file=sys.stderr)


def run() -> None:
    """Run the command line (see the module docstring for exit codes)."""
    from lumbopelvic.cli.app import app

    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, _interrupt)
    debug = bool(os.environ.get("LUMBOPELVIC_DEBUG"))
    if not debug:  # library warnings are not the user's business; results carry flags
        warnings.simplefilter("ignore")
    try:
        code = app(standalone_mode=False)
    except Interrupted as stop:
        name = "interrupted" if stop.signum == signal.SIGINT else "stopped (SIGTERM)"
        _say(f"{name}; nothing half-written was left behind")
        sys.exit(128 + stop.signum if stop.signum != signal.SIGINT else EXIT_INTERRUPTED)
    except LumbopelvicError as error:
        _say(str(error) or type(error).__name__)
        sys.exit(EXIT_BAD_INPUT)
    except OSError as error:
        if error.errno not in ENVIRONMENT_ERRNOS or debug:
            _internal(error, debug)
        where = f" {error.filename}" if error.filename else ""
        _say(f"cannot use{where}: {(error.strerror or str(error)).strip()}")
        sys.exit(EXIT_BAD_INPUT)
    except Exception as error:
        if _is_a(error, "NoArgsIsHelpError"):  # a bare command: its help, on stderr
            print(error.ctx.get_help(), file=sys.stderr)  # type: ignore[attr-defined]
            sys.exit(EXIT_BAD_INPUT)
        if _is_a(error, "UsageError"):  # an unknown option, a value of the wrong kind
            ctx = getattr(error, "ctx", None)
            command = ctx.command_path if ctx is not None else "lumbopelvic"
            _say(f"{error.format_message()} (see {command} --help)")  # type: ignore[attr-defined]
            sys.exit(EXIT_BAD_INPUT)
        if _is_a(error, "Abort"):
            _say("aborted")
            sys.exit(EXIT_INTERNAL_ERROR)
        _internal(error, debug)  # a bug, not bad input: still one line, details on request
    if isinstance(code, int) and code:
        sys.exit(code)


def _is_a(error: BaseException, class_name: str) -> bool:
    """Whether ``error`` is the command-line framework's exception of that name.

    Matched by name because Typer has moved its Click classes (from the ``click`` package to
    a vendored copy); the names and their meaning have stayed.
    """
    return any(cls.__name__ == class_name for cls in type(error).__mro__)


def _internal(error: BaseException, debug: bool) -> None:
    if debug:
        raise error
    _say(
        f"internal error ({type(error).__name__}: {error}); "
        "set LUMBOPELVIC_DEBUG=1 for details and please report it"
    )
    sys.exit(EXIT_INTERNAL_ERROR)

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

import atexit
import errno
import os
import signal
import sys
import warnings

from lumbopelvic.core.errors import (
    EXIT_BAD_INPUT,
    EXIT_INTERNAL_ERROR,
    EXIT_INTERRUPTED,
    LumbopelvicError,
    os_error_line,
)
from lumbopelvic.core.stopping import Interrupted, obey_stops, raise_if_stopped
from lumbopelvic.io.cache import private_matplotlib_folder

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


def _say(message: str) -> None:
    first = message.strip().splitlines()[0] if message.strip() else "unknown error"
    print(f"error: {first}", file=sys.stderr)


def run() -> None:
    """Run the command line (see the module docstring for exit codes)."""
    from lumbopelvic.cli.app import app

    obey_stops()
    private_matplotlib_folder()  # before anything imports it: no folders in a missing home
    debug = os.environ.get("LUMBOPELVIC_DEBUG", "").strip().lower() in ("1", "true", "yes")
    if not debug:  # library warnings are not the user's business; results carry flags
        warnings.simplefilter("ignore")
    try:
        code = app(standalone_mode=False)
        raise_if_stopped()  # a stop whose exception a finaliser swallowed is still a stop
    except Interrupted as stop:
        _stopped(stop.signum)
    except LumbopelvicError as error:
        _say(str(error) or type(error).__name__)
        sys.exit(EXIT_BAD_INPUT)
    except OSError as error:
        if error.errno not in ENVIRONMENT_ERRNOS or debug:
            _internal(error, debug)
        _say(os_error_line(error))
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


def _stopped(signum: int) -> None:
    """Say the run stopped and leave: everything of ours was cleaned up on the way here
    (``finally`` blocks) and the exit hooks run now; the interpreter's own finalisation is
    skipped, because native libraries stopped mid-call (the pose runtime) can print
    "Exception ignored" tracebacks from their finalisers after the one line."""
    name = "interrupted" if signum == signal.SIGINT else "stopped (SIGTERM)"
    _say(f"{name}; nothing half-written was left behind")
    atexit._run_exitfuncs()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(EXIT_INTERRUPTED if signum == signal.SIGINT else 128 + signum)


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

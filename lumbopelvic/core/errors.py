"""Exceptions that the command line turns into one clear line and an exit code."""


class LumbopelvicError(Exception):
    """A problem with the user's input or environment, explained in one line.

    The command line prints ``str(error)`` on stderr and exits with :data:`EXIT_BAD_INPUT`;
    it never shows a traceback for these. The Python API raises them unchanged.
    """


def describe_os_error(error: OSError) -> str:
    """The reason of a file-system error in a few words (no errno number, no traceback)."""
    return (error.strerror or str(error)).strip().rstrip(".") or type(error).__name__


def os_error_line(error: OSError) -> str:
    """``cannot use <file>: <reason>``: a file-system error as the user is told it."""
    where = f" {error.filename}" if error.filename else ""
    return f"cannot use{where}: {describe_os_error(error)}"


EXIT_BAD_INPUT = 2
# A batch that finished but could not analyse every video.
EXIT_SOME_FAILED = 1
# An unexpected error (a bug): one line, details with LUMBOPELVIC_DEBUG=1.
EXIT_INTERNAL_ERROR = 1
EXIT_INTERRUPTED = 130

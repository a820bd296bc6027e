"""Exceptions that the command line turns into one clear line and exit code 2."""


class LumbopelvicError(Exception):
    """A problem with the user's input or environment, explained in one line.

    The CLI prints ``str(error)`` on stderr and exits with :data:`EXIT_BAD_INPUT`;
    it never shows a traceback for these.
    """


EXIT_BAD_INPUT = 2

"""Counts in words, for everything a person reads (command line, reports, notes)."""

from __future__ import annotations


def plural(count: int, word: str, many: str | None = None) -> str:
    """``1 repetition``, ``2 repetitions`` (``many`` for an irregular plural)."""
    return f"{count} {word}" if count == 1 else f"{count} {many or word + 's'}"

"""Exceptions raised by remission.  Every error derives from :class:`RemissionError`."""
from __future__ import annotations


class RemissionError(Exception):
    """Base class of every error remission raises on purpose."""


class DataError(RemissionError, ValueError):
    """Bad input data: names the column and, where it applies, the first offending row.

    ``row`` is 1-based and counts data rows of the input file (the header is not a row).
    """

    def __init__(self, message: str, column: str | None = None, row: int | None = None):
        self.column = column
        self.row = row
        parts = [message]
        if column is not None and f"'{column}'" not in message:
            parts.insert(0, f"column '{column}':")
        if row is not None and "row" not in message:
            parts.append(f"(first at row {row})")
        super().__init__(" ".join(parts))


class OptionError(RemissionError, ValueError):
    """An option value that is not allowed (unknown distribution, bad link, ...)."""


class ConvergenceError(RemissionError, RuntimeError):
    """A fit that did not converge.  Never returned as a result."""

"""The :class:`~remission.table.SummaryTable` that every ``summary()`` returns.

It lives in :mod:`remission.table`, below every floor, so that the Kaplan-Meier summary can
render tables without importing the models (and SciPy's optimisers) at start-up; this name
stays for the models that import it from here.
"""
from ..table import SummaryTable

__all__ = ["SummaryTable"]

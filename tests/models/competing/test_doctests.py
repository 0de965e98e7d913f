"""The docstring example of fit_competing runs (CI does not pass --doctest-modules)."""
import doctest
import importlib


def test_docstring_examples():
    mod = importlib.import_module("remission.models.competing.fit")
    res = doctest.testmod(mod, optionflags=doctest.ELLIPSIS)
    assert res.attempted > 0 and res.failed == 0

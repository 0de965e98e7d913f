"""The docstring examples of the model-layer modules not listed in tests/test_doctests.py run
as tests (CI does not pass --doctest-modules)."""
import doctest
import importlib

import pytest

MODULES = ["remission.models.spec"]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    res = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert res.attempted > 0 and res.failed == 0

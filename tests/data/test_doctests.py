"""The docstring examples of the data, datasets and summary modules (and the package's own)
are run as tests, since CI does not pass --doctest-modules."""
import doctest
import importlib

import pytest

MODULES = ["remission", "remission.data.frame", "remission.data.readers",
           "remission.data.survival_data", "remission.datasets",
           "remission.nonparametric.summary", "remission.nonparametric.cox",
           "remission.nonparametric.followup", "remission.nonparametric.kaplan_meier"]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    res = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert res.attempted > 0 and res.failed == 0

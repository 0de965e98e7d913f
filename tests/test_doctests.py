"""The docstring examples of the modules not covered by tests/data/test_doctests.py and
tests/models/cure/test_doctests.py run as tests (CI does not pass --doctest-modules)."""
import doctest
import importlib

import pytest

MODULES = ["remission.evidence.followup_tests", "remission.evidence.lrt", "remission.evidence.maller_zhou",
           "remission.evidence.plan_search", "remission.evidence.plan_sim",
           "remission.evidence.tail",
           "remission.distributions", "remission.distributions.constraints",
           "remission.distributions.exponential", "remission.distributions.gamma",
           "remission.distributions.gengamma", "remission.distributions.gompertz",
           "remission.distributions.loglogistic", "remission.distributions.lognormal",
           "remission.distributions.weibull",
           "remission.models.background", "remission.models.design", "remission.models.fit",
           "remission.nonparametric.nelson_aalen", "remission.parallel",
           "remission.reconstruct.clean", "remission.reconstruct.from_curve",
           "remission.reconstruct.landmarks"]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    res = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert res.attempted > 0 and res.failed == 0

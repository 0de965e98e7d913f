"""The z of a confidence level: SciPy's own value, with the 95% one needing no SciPy import."""
import subprocess
import sys

import pytest
from scipy.special import ndtri

from remission.nonparametric.confint import Z95, normal_quantile


@pytest.mark.parametrize("level", [0.95, 0.9, 0.8, 0.99, 0.999, 0.5, 0.95 + 1e-12])
def test_same_number_as_ndtri(level):
    assert normal_quantile(level) == ndtri(1.0 - (1.0 - level) / 2.0)  # exactly


def test_constant_is_ndtri_0975():
    assert Z95 == ndtri(0.975) == ndtri(1.0 - (1.0 - 0.95) / 2.0)


def test_kaplan_meier_at_95_percent_imports_no_scipy():
    code = ("import sys; from remission.nonparametric.summary import summarize; "
            "from remission.datasets import load_example; "
            "s = summarize(load_example('cartitude1-pfs-approx')); s.to_text(); "
            "print('scipy' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "False"


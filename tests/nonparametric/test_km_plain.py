"""conf_type="plain" (and a non-default level) against R: tests/fixtures/km_plain.R/.json.

R prints 15 significant digits; 1e-9 relative is well above that rounding and far below any
real disagreement (the limits are closed forms computed identically in double precision).
"""
import json

import numpy as np
import pytest

from remission.nonparametric import kaplan_meier

from ..bundled import FIXTURES, frame

REF = json.loads((FIXTURES / "km_plain.json").read_text())
COLS = {"lung": ("time", "status"), "ovarian": ("futime", "fustat"), "alloauto": ("time", "delta")}


def arr(x):
    return np.array([np.nan if v is None else v for v in x], dtype=float)


@pytest.mark.parametrize("ref", REF, ids=lambda r: f"{r['name']}-{r['conf_level']}")
def test_plain_limits_and_median_match_r(ref):
    tc, ec = COLS[ref["name"]]
    df = frame(ref["name"])
    ev = df[ec].to_numpy()
    ev = ev == 2 if set(np.unique(ev)) <= {1, 2} else ev == 1
    km = kaplan_meier(df[tc].to_numpy(float), ev, conf_type="plain",
                      conf_level=ref["conf_level"])
    np.testing.assert_allclose(km.time, arr(ref["time"]), rtol=1e-12)
    np.testing.assert_allclose(km.lower, arr(ref["lower"]), rtol=1e-9, atol=1e-14)
    np.testing.assert_allclose(km.upper, arr(ref["upper"]), rtol=1e-9, atol=1e-14)
    m = km.median()
    np.testing.assert_allclose(arr([m.estimate, m.lower, m.upper]), arr(ref["median"]),
                               rtol=1e-9)

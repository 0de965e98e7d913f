"""The R reference fixtures (tests/fixtures/r_survival/*.json, computed by R's survival 3.5.3
on the datasets bundled in remission.datasets; see the README.md there) and a loader, for
every test that checks against them."""
import json

import numpy as np

from .bundled import FIXTURES, frame

R_SURVIVAL = FIXTURES / "r_survival"
#: dataset, time column, event column (lung and veteran's status use R's 1/2 coding)
CASES = [("lung", "time", "status"), ("veteran", "time", "status"),
         ("myeloma", "futime", "death"), ("ovarian", "futime", "fustat"),
         ("alloauto", "time", "delta")]
#: the fixtures print 15+ significant digits; 1e-8 relative is the foundation's contract
RTOL = 1e-8


def reference(name):
    """The R reference document of one dataset (a dict, as in the JSON file)."""
    return json.loads((R_SURVIVAL / f"{name}.json").read_text())


def load_reference(name, tc, ec):
    """``(reference dict, data frame, times, events as bool)`` for one bundled dataset."""
    ref = reference(name)
    df = frame(name)
    ev = df[ec].to_numpy()
    ev = ev == 2 if set(np.unique(ev)) <= {1, 2} else ev == 1
    return ref, df, df[tc].to_numpy(float), ev

"""The shared R reference fixtures (../shared/reference, computed by R's survival on
../shared/data) and a loader, for every test that checks against them."""
import json
from pathlib import Path

import numpy as np
import pandas as pd

SHARED = Path(__file__).resolve().parents[2] / "shared"
#: dataset, time column, event column (lung and veteran's status use R's 1/2 coding)
CASES = [("lung", "time", "status"), ("veteran", "time", "status"),
         ("myeloma", "futime", "death"), ("ovarian", "futime", "fustat"),
         ("alloauto", "time", "delta")]
#: the fixtures print 15+ significant digits; 1e-8 relative is the foundation's contract
RTOL = 1e-8


def load_reference(name, tc, ec):
    """``(reference dict, data frame, times, events as bool)`` for one shared dataset."""
    ref = json.loads((SHARED / "reference" / f"{name}.json").read_text())
    df = pd.read_csv(SHARED / "data" / f"{name}.csv")
    ev = df[ec].to_numpy()
    ev = ev == 2 if set(np.unique(ev)) <= {1, 2} else ev == 1
    return ref, df, df[tc].to_numpy(float), ev

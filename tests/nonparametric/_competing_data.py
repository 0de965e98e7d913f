"""The two competing-risks reference datasets of tests/fixtures/competing (R script there)."""
from pathlib import Path

import numpy as np
import pandas as pd

from remission.data import from_dataframe
from remission.datasets import read_example

FIX = Path(__file__).resolve().parents[1] / "fixtures" / "competing"


def bmt_frame():
    """KMsurv bmt: cause 1 = relapse (d2), 2 = death in remission (d1 without d2)."""
    df = read_example("bmt")
    df["etype"] = np.where(df.d3 == 0, 0, np.where(df.d2 == 1, 1, 2))
    return df


def datasets():
    """{name: SurvivalData} with causes '1', '2' and the grouping the R script used."""
    mg = pd.read_csv(FIX / "mgus2.csv.gz")
    return {"bmt": from_dataframe(bmt_frame(), time="t2", event_type="etype", group="group"),
            "mgus2": from_dataframe(mg, time="etime", event_type="etype", group="sex")}


def fixture(name):
    return pd.read_csv(FIX / name, dtype={"group": str, "state": str})

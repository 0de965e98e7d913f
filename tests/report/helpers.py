"""Small datasets and a fast analysis configuration for the report tests."""
from __future__ import annotations

import gzip
import shutil
from importlib import resources

XSS = "<img src=x onerror=alert(1)>"
XSS2 = "</script><script>alert(2)</script><!--"

# a reduced but complete configuration: every section is built, in about a second
FAST = dict(dists=("exponential", "weibull"), cure_dists=("weibull",), reps=50, sims=20,
            null_reps=100)


def bundled(name: str, dest) -> str:
    """Write the bundled ``name`` (e.g. alloauto.csv.gz) uncompressed to ``dest``."""
    with resources.files("remission.datasets").joinpath(name).open("rb") as f, \
            gzip.open(f) as g, open(dest, "wb") as out:
        shutil.copyfileobj(g, out)
    return str(dest)


def hostile_csv(dest) -> str:
    """alloauto with its two group labels replaced by HTML/script payloads and an HTML
    column name for the group."""
    import pandas as pd

    with resources.files("remission.datasets").joinpath("alloauto.csv.gz").open("rb") as f:
        df = pd.read_csv(f, compression="gzip")
    df["<b>arm</b>"] = df["type"].map({1: XSS, 2: XSS2})
    df.to_csv(dest, index=False)
    return str(dest)

"""The report's parametric competing risks (compute.competing_parametric): with the
cohort's age, sex and year, death without relapse carries general-population mortality by
the rule of remission.models.competing (the same numbers as the API with the report's
background); without a cause of interest it is left unbounded; no causes, no block."""
import numpy as np

from remission.data import from_dataframe
from remission.datasets import read_example
from remission.models.competing import fit_competing
from remission.report import compute
from remission.report.context import Context, Options


def bmt(**kw):
    df = read_example("bmt")
    df["etype"] = np.where(df.d3 == 0, "0", np.where(df.d2 == 1, "relapse", "nrm"))
    return from_dataframe(df, time="t2", event_type="etype", time_unit="days", **kw)


def test_population_mortality_reaches_the_parametric_block():
    d = bmt()
    ctx = Context(d, Options(cause="relapse", age=45, sex="male", year=2000, smr=2.0,
                             dists=("weibull",), landmarks=(365.0,)))
    p = compute.competing_parametric(ctx, ctx.cohorts[0])
    assert p["nrm_population"]["cause"] == "nrm" and p["nrm_population"]["smr"] == 2.0
    want = fit_competing(d, "weibull", cause="relapse", background=compute.background(
        ctx, ctx.cohorts[0])).as_dict([365.0], ctx.horizon, points=120)
    assert p["cifs"] == want["cifs"] and p["horizon"] == ctx.horizon
    # cached: asked twice, computed once
    assert compute.competing_parametric(ctx, ctx.cohorts[0]) is p


def test_without_a_cause_of_interest_no_bound_and_without_causes_no_block():
    ctx = Context(bmt(), Options(age=45, sex="male", year=2000, dists=("weibull",)))
    p = compute.competing_parametric(ctx, ctx.cohorts[0])
    assert p["nrm_population"] is None and set(p["causes"]) == {"relapse", "nrm"}
    plain = from_dataframe(read_example("bmt"), time="t2", event="d3")
    ctx = Context(plain, Options())
    assert compute.competing_parametric(ctx, ctx.cohorts[0]) is None

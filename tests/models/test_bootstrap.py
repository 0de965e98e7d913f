"""Bootstrap intervals of parametric (non-cure) fits: the batched refits of the cure bootstrap
applied to any family, percentile intervals in every prediction, and the ``fit --ci
bootstrap`` document."""
from __future__ import annotations

import json
import subprocess

import numpy as np
import pytest

from remission.data import SurvivalData
from remission.models import fit_distribution, fit_parametric
from remission.models.bootstrap import bootstrap_fit
from remission.parallel import make_chunks

from ..bundled import csv, frame
from ..inprocess import remission

LUNG = csv("lung")


@pytest.fixture(scope="module")
def lung():
    d = frame("lung")
    return SurvivalData.from_arrays(d.time, d.status, covariates=d[["sex"]])


@pytest.mark.parametrize("dist, cov", [("weibull", []), ("lognormal", ["sex"]),
                                       ("gompertz", [])])
def test_batched_refits_equal_one_at_a_time_refits(lung, dist, cov):
    fit = fit_parametric(lung, dist, covariates=cov)
    b = bootstrap_fit(fit, lung, reps=10, seed=4, scheduler="sync")
    assert b.n_failed == 0
    seeds = make_chunks(10, 4)[0].seeds
    for i in range(10):
        w = np.random.default_rng(seeds[i]).multinomial(lung.n, np.full(lung.n, 1 / lung.n))
        f = fit_distribution(fit.dist, lung.time, lung.event, weights=w,
                             designs={p: X for p, X in zip(fit.dist.parameters,
                                                           fit.layout.designs) if X is not None})
        # both converged to a Newton decrement < 1e-9: coefficients agree to ~1e-6
        np.testing.assert_allclose(b.all_coefs[i], f.coef, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("kind", ["nonparametric", "parametric"])
def test_bootstrap_sd_matches_the_information(kind):
    """n = 1,000 Weibull: bootstrap SDs of the coefficients agree with the inverse-information
    SEs (400 replicates: Monte Carlo error of an SD 3.5%; 15% is > 4 sigma)."""
    rng = np.random.default_rng(2)
    t = 10 * rng.weibull(1.3, 1000)
    c = rng.uniform(5, 25, 1000)
    d = SurvivalData.from_arrays(np.minimum(t, c), (t <= c).astype(int))
    fit = fit_parametric(d, "weibull")
    b = bootstrap_fit(fit, d, reps=400, seed=8, kind=kind, scheduler="sync")
    assert b.n_failed == 0
    np.testing.assert_allclose(np.std(b.coefs, axis=0, ddof=1), fit.se, rtol=0.15)


def test_percentile_intervals_in_every_prediction(lung):
    fit = fit_parametric(lung, "weibull")
    bfit = fit.with_bootstrap(bootstrap_fit(fit, lung, reps=300, seed=1, scheduler="sync"))
    s, sb = fit.survival([200, 400]), bfit.survival([200, 400])
    np.testing.assert_array_equal(s.estimate, sb.estimate)  # estimates are the fit's
    assert sb.scale == "bootstrap percentile"
    assert np.all((sb.lower <= sb.estimate) & (sb.estimate <= sb.upper))
    assert np.all((sb.lower > 0) & (sb.upper < 1))
    # n = 228: percentile and delta (log-cumulative-hazard) limits agree to ~10% of the width
    width = s.upper - s.lower
    assert np.all(np.abs(sb.lower - s.lower) < 0.15 * width)
    assert np.all(np.abs(sb.upper - s.upper) < 0.15 * width)
    rows = {r["name"]: r for r in bfit.parameters()}
    assert rows["shape"]["lower"] < rows["shape"]["estimate"] < rows["shape"]["upper"]
    assert rows["scale"]["lower"] > 0


def test_cli_fit_ci_bootstrap_is_seeded():
    def run(*extra, installed=False):
        args = ["fit", LUNG, "--dist", "weibull", "--times", "365", "--ci", "bootstrap",
                "--reps", "200", *extra, "--format", "json"]
        # b: the installed script in its own process; a and c: its function in this process
        # (tests/inprocess.py), so the seed gives the same draws across processes too
        p = subprocess.run(["remission", *args], capture_output=True, text=True) \
            if installed else remission(*args)
        assert p.returncode == 0 and "Traceback" not in p.stderr, p.stderr
        return json.loads(p.stdout)

    a, b, c = run("--seed", "7"), run("--seed", "7", installed=True), run("--seed", "8")
    assert a["ci"] == "bootstrap" and a["bootstrap"]["reps"] == 200
    assert a["predictions"] == b["predictions"] and a["predictions"] != c["predictions"]
    p = a["predictions"][0]
    assert 0 < p["lower"] < p["survival"] < p["upper"] < 1


def test_too_few_usable_replicates_is_an_error_not_a_traceback(tmp_path):
    p = tmp_path / "tiny.csv"
    p.write_text("time,status\n5,1\n8,0\n12,0\n15,1\n20,0\n")
    r = subprocess.run(["remission", "fit", str(p), "--ci", "bootstrap", "--reps", "1",
                        "--seed", "20"], capture_output=True, text=True)
    # too few converged replicates: a model that did not converge, exit 3 (SPEC)
    assert r.returncode == 3 and "Traceback" not in r.stderr
    assert r.stderr.startswith("error:") and "replicates" in r.stderr
    r = remission("fit", p, "--ci", "bootstrap", "--reps", "0")  # in-process: tests/inprocess.py
    assert r.returncode == 2 and "--reps" in r.stderr


@pytest.mark.slow
def test_bootstrap_interval_coverage_with_known_truth():
    """Weibull(shape 1.3, scale 10), uniform censoring on [5, 25], n = 200: the nonparametric
    bootstrap percentile interval (200 replicates) of S(8) covers the true value.  Reduced run:
    150 trials (binomial SE 0.018 at 95%, band 0.89-0.99 = +-3.4 SE); REMISSION_FULL=1: 600
    trials (SE 0.0089, band 0.92-0.98)."""
    from ..sizes import REDUCED

    trials, (lo_ok, hi_ok) = (150, (0.89, 0.99)) if REDUCED else (600, (0.92, 0.98))
    truth = float(np.exp(-(8 / 10) ** 1.3))
    rng = np.random.default_rng(123)
    hits = 0
    for i in range(trials):
        t = 10 * rng.weibull(1.3, 200)
        c = rng.uniform(5, 25, 200)
        d = SurvivalData.from_arrays(np.minimum(t, c), (t <= c).astype(int))
        fit = fit_parametric(d, "weibull")
        b = fit.with_bootstrap(bootstrap_fit(fit, d, reps=200, seed=i, scheduler="sync"))
        p = b.survival([8.0])
        hits += bool(p.lower[0, 0] <= truth <= p.upper[0, 0])
    assert lo_ok <= hits / trials <= hi_ok, hits / trials

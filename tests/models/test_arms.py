"""Models per arm and the arms compared (models/arms.py, issue 14).

References: each arm's fit is checked against fitting that arm alone (exact agreement), the
contrast formulas against a hand computation from each arm's parameter table (an independent
path: the cure row's delta-method SE on the probability scale), and the intervals and the test
by simulation with known truth (two arms with cure fractions 0.27 and 0.45; equal fractions
for the level)."""
from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
import pandas as pd
import pytest
from scipy.stats import chi2, norm

import remission as rm
from remission.data import SurvivalData
from remission.errors import DataError, OptionError
from remission.models.arms import fit_by_group

from ..sizes import REDUCED

SPEC = rm.ModelSpec(dist="weibull", cure="mixture")


def simulate(rng, pis=(0.27, 0.45), n=150, labels="AB"):
    """Two arms: mixture cure with a Weibull(shape 1.3, scale 12) latency, censoring
    uniform on (24, 60), long enough for the plateau to show (S_u(24) = 0.08)."""
    t, e, g = [], [], []
    for lab, pi in zip(labels, pis):
        cured = rng.random(n) < pi
        tt = np.where(cured, np.inf, 12 * rng.weibull(1.3, n))
        c = rng.uniform(24, 60, n)
        t.append(np.minimum(tt, c))
        e.append(tt <= c)
        g += [lab] * n
    return SurvivalData.from_arrays(np.concatenate(t), np.concatenate(e), group=g,
                                    meta={"group_column": "TRT01P"})


@pytest.fixture(scope="module")
def trial():
    return simulate(np.random.default_rng(2026))


def test_each_arm_equals_the_fit_of_that_arm_alone(trial):
    arms = fit_by_group(trial, SPEC)
    assert [lev for lev, _ in arms.fits] == ["A", "B"] and arms.reference == "A"
    for lev, f in arms.fits:
        alone = SPEC.fit(replace(trial.subset(trial.group == lev), group=None))
        # the same data and the same optimiser: agreement to 1e-6 (in practice exact)
        np.testing.assert_allclose(f.fit.coef, alone.fit.coef, rtol=1e-6, atol=1e-9)
        assert f.loglik == pytest.approx(alone.loglik, rel=1e-9)
        assert f.n == alone.n == 150


def test_contrast_formulas_from_the_arms_parameter_tables(trial):
    arms = fit_by_group(trial, SPEC, reference="A")
    (c,) = arms.contrasts()
    rows = {lev: next(r for r in f.parameters() if r["name"] == "cure") for lev, f in arms.fits}
    p = {k: r["estimate"] for k, r in rows.items()}
    # the cure row's SE is on the probability scale: se(logit) = se(pi) / (pi (1 - pi))
    sl = {k: r["se"] / (p[k] * (1 - p[k])) for k, r in rows.items()}
    lor = math.log(p["B"] / (1 - p["B"])) - math.log(p["A"] / (1 - p["A"]))
    se = math.hypot(sl["A"], sl["B"])
    z = norm.ppf(0.975)
    o = c["cure_fraction_odds_ratio"]
    # 1e-6: the two SEs come from different numerical derivatives (analytic vs central
    # differences in the delta method), equal to about 1e-8 relative
    assert o["estimate"] == pytest.approx(math.exp(lor), rel=1e-9)
    assert o["lower"] == pytest.approx(math.exp(lor - z * se), rel=1e-6)
    assert o["upper"] == pytest.approx(math.exp(lor + z * se), rel=1e-6)
    assert c["p_equal_cure"] == pytest.approx(2 * norm.sf(abs(lor / se)), rel=1e-5)
    d = c["cure_fraction_difference"]
    sd = math.hypot(rows["A"]["se"], rows["B"]["se"])
    dd = p["B"] - p["A"]
    assert d["estimate"] == pytest.approx(dd, rel=1e-12)
    assert d["se"] == pytest.approx(sd, rel=1e-6)
    lo = math.tanh(math.atanh(dd) - z * sd / (1 - dd * dd))
    assert d["lower"] == pytest.approx(lo, rel=1e-6) and -1 < d["lower"] < dd < d["upper"] < 1
    # the latency: ratio of the uncured medians, log-scale interval from the arms' own
    # median intervals (delta method on log median: se = log(upper / lower) / (2 z))
    meds = {lev: f.uncured_median() for lev, f in arms.fits}
    u = c["uncured_median_ratio"]
    m = {k: float(p_.estimate[0, 0]) for k, p_ in meds.items()}
    s_ = {k: math.log(float(p_.upper[0, 0]) / float(p_.lower[0, 0])) / (2 * z)
          for k, p_ in meds.items()}
    assert u["estimate"] == pytest.approx(m["B"] / m["A"], rel=1e-12)
    assert u["upper"] == pytest.approx(m["B"] / m["A"] * math.exp(z * math.hypot(*s_.values())),
                                       rel=1e-9)
    # against the other reference the difference changes sign and the OR inverts
    (c2,) = fit_by_group(trial, SPEC, reference="B").contrasts()
    assert c2["group"] == "A"
    assert c2["cure_fraction_difference"]["estimate"] == pytest.approx(-dd, rel=1e-12)
    assert c2["cure_fraction_odds_ratio"]["estimate"] == pytest.approx(math.exp(-lor), rel=1e-9)
    assert c2["p_equal_cure"] == pytest.approx(c["p_equal_cure"], rel=1e-12)


def test_bootstrap_contrast_from_the_replicates(trial):
    spec = rm.ModelSpec(dist="weibull", cure="mixture", ci="bootstrap", reps=40, seed=5)
    arms = fit_by_group(trial, spec, lr_test=False)
    (c,) = arms.contrasts()
    pa, pb = (1 / (1 + np.exp(-f.bootstrap.coefs[:, 0])) for _, f in arms.fits)  # logit link
    b = c["bootstrap"]
    assert b["reps"] == 40
    assert b["difference"]["lower"] == pytest.approx(np.percentile(pb - pa, 2.5), rel=1e-9)
    assert b["difference"]["upper"] == pytest.approx(np.percentile(pb - pa, 97.5), rel=1e-9)
    o = (pb / (1 - pb)) / (pa / (1 - pa))
    assert b["odds_ratio"]["upper"] == pytest.approx(np.percentile(o, 97.5), rel=1e-9)
    # the same seed gives the same numbers
    assert fit_by_group(trial, spec, lr_test=False).contrasts()[0]["bootstrap"] == b


def test_lr_test_is_the_joint_models_likelihood_ratio(trial):
    # the two joint models, fitted here through the public API on a frame with the arm
    df = pd.DataFrame({"time": trial.time, "event": trial.event.astype(int),
                       "arm": trial.group})
    f0 = rm.fit_model(df, dist="weibull", cure="mixture", covariates=["arm"])
    f1 = rm.fit_model(df, dist="weibull", cure="mixture", covariates=["arm"],
                      cure_covariates=["arm"])
    lr = fit_by_group(trial, SPEC).lr_test
    assert lr["df"] == 1
    assert lr["statistic"] == pytest.approx(2 * (f1.loglik - f0.loglik), rel=1e-9)
    assert lr["p"] == pytest.approx(float(chi2.sf(lr["statistic"], 1)), rel=1e-12)


def test_python_api_by_and_dataframe_cure_covariates(trial):
    df = pd.DataFrame({"time": trial.time, "event": trial.event.astype(int),
                       "TRT01P": trial.group})
    arms = rm.fit_model(df, SPEC, by="TRT01P", reference="B")
    assert arms.reference == "B" and arms.column == "TRT01P"
    doc = arms.to_dict([12, 24])
    assert [g["group"] for g in doc["groups"]] == ["A", "B"]
    assert {"reference", "contrasts"} <= set(doc["comparison"])
    # cure covariates from the frame itself (no read_survival(covariates=...) needed); the
    # arm as a cure covariate gives each arm's cure fraction, labelled by pattern
    fit = rm.fit_model(df, dist="weibull", cure="mixture", covariates=["TRT01P"],
                       cure_covariates=["TRT01P"])
    by = {r["pattern"]["TRT01P"]: r["estimate"] for r in fit.cure_fraction_by()}
    assert 0 < by["A"] < by["B"] < 1
    # SurvivalData without the column: one DataError saying how to attach it
    bare = SurvivalData.from_arrays(trial.time, trial.event)
    with pytest.raises(DataError, match=r"covariates=\['TRT01P'\]"):
        rm.fit_model(bare, dist="weibull", cure="mixture", cure_covariates=["TRT01P"])


def test_cure_covariates_within_groups_give_no_contrast_but_a_note(trial):
    rng = np.random.default_rng(3)
    df = pd.DataFrame({"time": trial.time, "event": trial.event.astype(int),
                       "TRT01P": trial.group, "x": rng.integers(0, 2, trial.n)})
    arms = rm.fit_model(df, by="TRT01P", dist="weibull", cure="mixture",
                        cure_covariates=["x"])
    (c,) = arms.contrasts()
    assert c["p_equal_cure"] is None and "no single cure fraction" in c["note"]
    assert 0 <= arms.lr_test["p"] <= 1  # the joint model still tests the group


def test_refusals(trial):
    with pytest.raises(OptionError, match="--reference 'C'"):
        fit_by_group(trial, SPEC, reference="C")
    with pytest.raises(OptionError, match="also a covariate"):
        fit_by_group(trial, rm.ModelSpec(dist="weibull", covariates=["TRT01P"]),
                     by=None)
    few = SurvivalData.from_arrays(np.r_[trial.time, [1.0, 2, 3, 4]],
                                   np.r_[trial.event, [1, 1, 0, 0]],
                                   group=list(trial.group) + ["C"] * 4,
                                   meta={"group_column": "TRT01P"})
    with pytest.raises(DataError, match="group 'C' has 2 events"):
        fit_by_group(few, SPEC)


def test_document_labels_scales_patterns_and_r_call(trial):
    df = pd.DataFrame({"time": trial.time, "event": trial.event.astype(int),
                       "TRT01P": trial.group})
    fit = rm.fit_model(df, dist="weibull", cure="mixture", covariates=["factor(TRT01P)"],
                       cure_covariates=["factor(TRT01P)"])
    doc = fit.to_dict([12])
    scale = {p["name"]: p["scale"] for p in doc["parameters"]}
    assert scale["cure"] == "probability" and scale["cure:TRT01P=B"] == "log-odds"
    assert scale["scale:TRT01P=B"] == "log" and scale["shape"] == "natural"
    assert doc["r_equivalent"] == (
        'flexsurvcure(Surv(time, status) ~ factor(TRT01P), dist = "weibull", mixture = TRUE, '
        'link = "logistic", anc = list(scale = ~ factor(TRT01P)))')
    assert "population-averaged" in doc["cure_fraction_average"]
    # the averaged cure fraction is the mean of the per-pattern ones, weighted by the
    # sample's patterns (150 + 150 here)
    by = {r["pattern"]["TRT01P"]: r["estimate"] for r in doc["cure_fraction_by"]}
    assert doc["cure_fraction"]["estimate"] == pytest.approx((by["A"] + by["B"]) / 2, rel=1e-9)
    assert "TRT01P = A" in doc["prediction_profile_note"]
    pats = {r["pattern"]["TRT01P"]: r for r in doc["by_pattern"]}
    assert pats["A"]["median"] == doc["median"]  # the reference pattern is pattern A
    assert pats["B"]["cure_fraction"]["estimate"] == pytest.approx(by["B"], rel=1e-12)
    plain = rm.fit_model(df, dist="lognormal", covariates=["TRT01P"]).to_dict([12])
    assert plain["r_equivalent"] == ('flexsurvreg(Surv(time, status) ~ factor(TRT01P), '
                                     'dist = "lnorm")')


# ------------------------------------------------------------------ known truth (slow)
@pytest.mark.slow
def test_difference_interval_coverage_and_odds_ratio_coverage():
    # 1000 data sets: Monte Carlo SE of a 95% coverage sqrt(.95 .05 / 1000) = 0.0069, the
    # 93-97% band is +-2.9 SE.  Reduced: 200 data sets, SE 0.0154, +-2.9 SE -> 90.5-99.5%.
    reps, band = (200, (0.905, 0.995)) if REDUCED else (1000, (0.93, 0.97))
    rng = np.random.default_rng(14)
    true_d = 0.45 - 0.27
    true_or = (0.45 / 0.55) / (0.27 / 0.73)
    hit_d = hit_or = hit_u = 0
    for _ in range(reps):
        (c,) = fit_by_group(simulate(rng), SPEC, lr_test=False).contrasts()
        d, o = c["cure_fraction_difference"], c["cure_fraction_odds_ratio"]
        u = c["uncured_median_ratio"]  # both arms' latency is Weibull(1.3, 12): ratio 1
        hit_d += d["lower"] <= true_d <= d["upper"]
        hit_or += o["lower"] <= true_or <= o["upper"]
        hit_u += u["lower"] <= 1.0 <= u["upper"]
    assert band[0] <= hit_d / reps <= band[1], hit_d / reps
    assert band[0] <= hit_or / reps <= band[1], hit_or / reps
    assert band[0] <= hit_u / reps <= band[1], hit_u / reps


@pytest.mark.slow
def test_equal_cure_test_level():
    # equal cure fractions (0.35 in both arms): the 5% Wald test rejects ~5%.  1000 data sets:
    # SE 0.0069, band 3-7% (+-2.9 SE); reduced 200: SE 0.0154, band 0.5-9.5%.
    reps, band = (200, (0.005, 0.095)) if REDUCED else (1000, (0.03, 0.07))
    # The likelihood-ratio test (one joint model) is held to the same band.
    rng = np.random.default_rng(41)
    wald = lr = 0
    for _ in range(reps):
        arms = fit_by_group(simulate(rng, (0.35, 0.35)), SPEC)
        wald += arms.contrasts()[0]["p_equal_cure"] < 0.05
        lr += arms.lr_test["p"] < 0.05
    assert band[0] <= wald / reps <= band[1], wald / reps
    assert band[0] <= lr / reps <= band[1], lr / reps

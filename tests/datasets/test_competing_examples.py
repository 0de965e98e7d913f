"""The bundled competing-risks examples (issue 18 item 6): ``bmt-cr`` (KMsurv's bmt with a
cause column), ``mgus2-cr`` (R survival's mgus2) and ``cartitude1-pfs-cr-approx`` (the CARTITUDE-1 PFS reconstruction with an
APPROXIMATE split of its events), checked against their sources: R's survfit on the same
coding (tests/fixtures/competing, made by competing.R), the original bmt columns, and the
published CARTITUDE-1 counts and days of death."""
import importlib.util
import json

import numpy as np
import pytest

from remission.datasets import example_path, get_example, load_example, read_example
from remission.nonparametric.competing import cumulative_incidence

from ..bundled import FIXTURES

SCRIPT = FIXTURES.parent.parent / "scripts" / "build_competing_examples.py"
DAYS_PER_MONTH = 365.25 / 12


def _script():
    spec = importlib.util.spec_from_file_location("build_competing_examples", SCRIPT)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def _provenance():
    """The split's own provenance file, with the reconstruction's warning beside it."""
    folder = example_path("cartitude1-pfs-approx").parent
    prov = json.loads(folder.joinpath("cartitude1_pfs_cr_provenance.json").read_text())
    main = json.loads(folder.joinpath("cartitude1_provenance.json").read_text())
    assert "cartitude1-pfs-cr-approx" not in main["datasets"]  # build_cartitude1.py's file alone
    return {**prov, "warning": main["warning"], "pfs_checks": main["checks"]}


# ------------------------------------------------------------------------------- bmt-cr
def test_bmt_cr_is_bmt_with_a_cause_column_coded_from_d1_d2():
    bmt, cr = read_example("bmt"), read_example("bmt-cr")
    assert list(cr.columns) == list(bmt.columns) + ["event_type"]
    assert cr[list(bmt.columns)].equals(bmt)  # the original columns unchanged
    et = cr["event_type"].astype(str)
    assert (et == "relapse").sum() == bmt.d2.sum() == 42
    assert (et == "death").sum() == ((bmt.d1 == 1) & (bmt.d2 == 0)).sum() == 41
    assert ((et == "0") == (bmt.d3 == 0)).all()


def test_bmt_cr_loads_as_competing_risks_with_relapse_first():
    d = load_example("bmt-cr")
    assert (d.n, d.n_events, d.time_unit, d.group_levels()) == (137, 83, "days",
                                                                 ["1", "2", "3"])
    assert d.cause_levels() == ["relapse", "death"]
    assert d.meta["cause_of_interest"] == "relapse" == get_example("bmt-cr").cause
    np.testing.assert_array_equal(d.time, read_example("bmt").t2)
    # an event column given: the example is read without its causes (plain d3 endpoint)
    assert load_example("bmt-cr", event="d3").cause is None


def test_bmt_cr_cumulative_incidence_equals_r_survfit():
    # R survfit multi-state on the same coding (competing.R: etype 1 = relapse, 2 = death);
    # rtol 1e-8: both are the same closed-form Aalen-Johansen sums (issue 18's bar)
    import pandas as pd

    ref = pd.read_csv(FIXTURES / "competing" / "bmt_aj.csv")
    ref = ref[(ref.group == "all") & (ref.conf_type == "log")]
    ci = cumulative_incidence(load_example("bmt-cr"))
    for state, name in (("1", "relapse"), ("2", "death"), ("0", "event-free")):
        r = ref[ref.state == state]
        got = ci.at(r.time.to_numpy(), name)
        np.testing.assert_allclose(got["estimate"], r.pstate, rtol=1e-8, atol=1e-12)
        np.testing.assert_allclose(got["se"], r.std_err, rtol=1e-8, atol=1e-12)


# ----------------------------------------------------------------------------- mgus2-cr
def test_mgus2_cr_is_the_file_r_wrote_and_equals_r_survfit():
    import pandas as pd

    fx = FIXTURES / "competing"
    assert example_path("mgus2-cr").read_bytes() == (fx / "mgus2.csv.gz").read_bytes()
    d = load_example("mgus2-cr")
    assert (d.n, d.n_events, d.time_unit, d.group_levels()) == (1384, 975, "months",
                                                                 ["F", "M"])
    assert d.cause_levels() == ["progression", "death"]
    raw = read_example("mgus2-cr")
    assert [(raw.etype == k).sum() for k in (1, 2)] == [115, 860]
    # R survfit multi-state (competing.R), overall: rtol 1e-8 as for bmt-cr
    ref = pd.read_csv(fx / "mgus2_aj.csv")
    ref = ref[(ref.group == "all") & (ref.conf_type == "log")]
    ci = cumulative_incidence(d)
    for state, name in (("1", "progression"), ("2", "death")):
        r = ref[ref.state == state]
        got = ci.at(r.time.to_numpy(), name)
        np.testing.assert_allclose(got["estimate"], r.pstate, rtol=1e-8, atol=1e-12)
        np.testing.assert_allclose(got["se"], r.std_err, rtol=1e-8, atol=1e-12)


# ------------------------------------------------------------------- CARTITUDE-1 split
def test_cartitude_split_keeps_the_pfs_reconstruction():
    pfs, cr = read_example("cartitude1-pfs-approx"), read_example("cartitude1-pfs-cr-approx")
    assert cr[["time", "event"]].equals(pfs)
    et = cr["event_type"].astype(str)
    assert ((et != "0") == (cr.event == 1)).all()
    d = load_example("cartitude1-pfs-cr-approx")
    assert d.cause_levels() == ["progression", "death"]
    assert d.meta["cause_of_interest"] == "progression"
    assert "APPROXIMATE" in get_example("cartitude1-pfs-cr-approx").description


def test_cartitude_split_reproduces_the_published_counts():
    cr = read_example("cartitude1-pfs-cr-approx")
    et = cr["event_type"].astype(str)
    t = cr["time"].to_numpy()
    s = _script()
    days = np.sort([d for k in s.NRM_DAYS.values() for v in k.values() for d in v])
    assert days.size == 18 and sum(len(v) for v in s.NRM_DAYS["treatment-related"].values()) == 6
    # Jagannath 2025: 46 progressed within 5 years, 32 alive and progression-free >= 5 years
    assert (et == "progression").sum() == 46
    assert ((et == "0") & (t >= 60)).sum() == 32
    # 18 deaths without progression by the 33.4-month cut, the same number as published by
    # every year and by the cut (the published days converted at 365.25/12 days a month)
    dt = np.sort(t[et == "death"])
    for cut in (6, 12, 18, 24, 30, 33.4):
        assert (dt <= cut).sum() == (days / DAYS_PER_MONTH <= cut).sum(), cut
    assert (dt <= 33.4).sum() == 18 and dt.size == 19
    # each published death is matched to a reconstructed event at most 0.75 months away
    # (the reconstruction's events are about 0.5 months apart before 18 months)
    assert np.max(np.abs(dt[:18] - days / DAYS_PER_MONTH)) < 0.75


def test_cartitude_split_provenance_says_approximate_and_matches_the_file():
    prov = _provenance()
    sp = prov["competing_split"]
    assert "APPROXIMATE" in sp["warning"] and sp["counts"] == {
        "progression": 46, "death": 19, "death_by_cut": 18, "censored": 32}
    assert "cartitude1-pfs-cr-approx" in prov["datasets"]
    assert prov["checks"]["cartitude1-pfs-cr-approx"] == prov["pfs_checks"]["cartitude1-pfs-approx"]
    from remission.report.build import bundled_provenance

    rep = bundled_provenance("cartitude1-pfs-cr-approx")
    assert rep["dataset"] == "cartitude1-pfs-cr-approx" and rep["landmarks"]
    # the report's warning names both approximations: the reconstruction and the split
    assert rep["warning"].startswith(prov["warning"]) and "APPROXIMATE split" in rep["warning"]
    assert "APPROXIMATE split" not in bundled_provenance("cartitude1-pfs-approx")["warning"]


def test_build_script_reproduces_the_bundled_files(tmp_path):
    import gzip

    s = _script()
    src = FIXTURES.parent.parent / "src" / "remission" / "datasets"
    cr, split = s.build_cartitude(src)
    assert s._gz_csv(cr) == example_path("cartitude1-pfs-cr-approx").read_bytes()
    assert gzip.decompress(s._gz_csv(s.build_bmt(src))) == gzip.decompress(
        example_path("bmt-cr").read_bytes())
    assert split == _provenance()["competing_split"]
    assert s.MGUS2.read_bytes() == example_path("mgus2-cr").read_bytes()


def test_nearest_matching_is_optimal_on_a_small_case():
    # brute force over every increasing choice of 2 of 4 times
    from itertools import combinations

    s = _script()
    a, b = [1.0, 1.2], [0.0, 1.1, 1.15, 3.0]
    best = min(combinations(range(4), 2),
               key=lambda c: sum(abs(x - b[j]) for x, j in zip(a, c)))
    assert tuple(s.nearest_matching(a, b)) == best


# ------------------------------------------------------------------------------- CLI
@pytest.mark.parametrize("name,first", [("bmt-cr", "relapse"), ("mgus2-cr", "progression"),
                                        ("cartitude1-pfs-cr-approx", "progression")])
def test_cli_summary_and_plot_cif_need_no_options(name, first, tmp_path, capsys):
    from remission.cli import main

    assert main(["summary", name, "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["competing_risks"]["causes"][0] == first
    out = tmp_path / "cif.png"
    assert main(["plot", "cif", name, "--dpi", "50", "-o", str(out)]) == 0
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    capsys.readouterr()
    # --cause on an example works without --event-type
    assert main(["summary", name, "--cause", "death", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["competing_risks"]["causes"][0] == "death"


def test_cli_cause_on_an_example_read_without_causes_is_one_error(capsys):
    from remission.cli import main

    assert main(["summary", "bmt-cr", "--event", "d3", "--cause", "death"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and "--event-type" in err and err.count("\n") == 1


def test_analyze_of_an_example_shows_the_causes_and_the_cure_of_the_disease():
    """No competing-risks option: the example brings its event type and its cause of
    interest (progression), so the report has the competing-risks section and the fraction
    cured of progression beside the PFS one, under the reconstruction's warning and the
    split's.  ``remission analyze`` calls this function with the example loaded as above
    (the CLI reading of the examples is tested with summary and plot cif); one model and few
    replicates: this checks the wiring, not the numbers."""
    from remission.report.build import analyze

    rep = analyze(load_example("cartitude1-pfs-cr-approx"), dists=("weibull",),
                  cure_dists=("weibull",), cures=("mixture",), reps=20, sims=10, null_reps=50,
                  extra_followup=(12.0,))
    assert "competing" in rep.section_ids
    html = rep.to_html()
    assert "Cured of the disease (progression)" in html and "APPROXIMATE split" in html

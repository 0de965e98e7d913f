"""Build the bundled CARTITUDE-1 approximate datasets from published landmarks.

    python scripts/build_cartitude1.py [--out DIR] [--check tests/fixtures/cartitude1_published.csv]

writes ``cartitude1-pfs-approx.csv.gz``, ``cartitude1-os-approx.csv.gz`` (columns time,event;
time in months from cilta-cel infusion) and ``cartitude1_provenance.json`` into
``src/remission/datasets/`` (or ``--out``).  The output is byte-for-byte reproducible.  A
build script of the repository, not part of the installed package: it uses the package's
public :func:`remission.reconstruct.reconstruct_landmarks`.

CARTITUDE-1 (NCT03548207) treated 97 patients with relapsed/refractory multiple myeloma with
a single infusion of ciltacabtagene autoleucel.  No patient-level data and no digitisable
final curve are used here: only the published landmarks in ``PUBLISHED`` (the same values,
with their sources, as ``tests/fixtures/cartitude1_published.csv``; ``--check`` compares).  THESE DATASETS ARE
RECONSTRUCTIONS CONSISTENT WITH THE PUBLISHED SUMMARIES, NOT THE TRIAL'S DATA.

How the published numbers are used, and why
-------------------------------------------
* Kaplan-Meier landmarks (PFS 12, 18, 24, 27, 36 months; OS 12, 18, 27, 36 months) and the
  medians (PFS 34.9, OS 60.7 months) are targets for the Kaplan-Meier estimate of the
  reconstructed data.  They come from successive data cuts (2020 to 2025); each is matched
  as published, as if from the final cut.
* The 60-month PFS row, 32/97 = 0.330, is a crude proportion (patients alive and
  progression-free for 5 years or more), not a Kaplan-Meier estimate.  It is used as a
  *count*: exactly 32 reconstructed patients are progression-free with at least 60 months of
  follow-up, and none of them progresses later (they "remain" progression-free at the cut).
  A Kaplan-Meier estimate at 60 months is at least the crude proportion whenever those 32
  were followed that long; it equals it when nobody is censored progression-free before 60
  months, which is what the reconstruction assumes (no early loss to follow-up).
* Follow-up.  The published numbers cannot all hold under independent censoring with the
  real accrual (infusions from July 2018 over roughly 15 months): with the reverse
  Kaplan-Meier median follow-up of 61.3 months and a 15-month window (53.8-68.8 months) about
  40% of patients could not be followed for 60 months, and at most about S(36) x 58 = 27.5
  patients could be seen progression-free at 5 years, not 32.  (Reading 61.3 as the median
  time on study does not help: with a KM median OS of 60.7, at least 49 of 97 times on study
  are 60.7 months or less.)  The reconstruction keeps every published number and gives up
  the real accrual length: potential follow-up is spread evenly over 60.0-62.6 months, so
  that every patient can be followed for 5 years and the reverse Kaplan-Meier median
  follow-up is 61.3 months.  Consequence: the reconstructed follow-up ends at 62.6 months,
  earlier than the trial's, so the plateaus after 60 months are short.
* Between landmarks the hazard is constant; after the last OS landmark (the median, 60.7)
  the OS hazard stays at its 36-60.7-month value; after 60 months there are no PFS events.
* PFS and OS are reconstructed separately (two datasets, same follow-up window); a patient's
  PFS and OS rows are not linked.
"""
from __future__ import annotations

import argparse
import gzip
import io
import json
from pathlib import Path

import numpy as np

from remission.nonparametric.followup import median_followup
from remission.nonparametric.kaplan_meier import kaplan_meier
from remission.reconstruct import Landmark, reconstruct_landmarks

REPO = Path(__file__).resolve().parents[1]
N = 97
MEDIAN_FOLLOWUP = 61.3
MIN_FOLLOWUP = 60.0
#: potential follow-up window: shortest 60 months, centred on the median follow-up
WINDOW = (MIN_FOLLOWUP, round(2 * MEDIAN_FOLLOWUP - MIN_FOLLOWUP, 3))
SEEDS = {"PFS": 20250603, "OS": 20250604}

#: (endpoint, time, survival, kind, source) as in tests/fixtures/cartitude1_published.csv
PUBLISHED = [
    ("PFS", 12.0, 0.766, "km_landmark", "Berdeja et al., Lancet 2021; ASH 2020 report"),
    ("PFS", 18.0, 0.66, "km_landmark", "ASCO 2021 (Usmani), news-reported"),
    ("PFS", 24.0, 0.605, "km_landmark", "ASH 2021 abstract 549 (Martin)"),
    ("PFS", 27.0, 0.55, "km_landmark", "Martin et al., JCO 2023; Legend Biotech 8-K exhibit"),
    ("PFS", 34.9, 0.50, "km_median", "Lin et al., ASCO 2023: median PFS 34.9 months "
                                     "(95% CI 25.2 to not estimable)"),
    ("PFS", 36.0, 0.475, "km_landmark", "Lin et al., ASCO 2023"),
    ("PFS", 60.0, 0.33, "crude_proportion", "Jagannath et al., JCO 2025: 32/97 alive and "
     "progression-free at 5 years or more (crude count, investigator-assessed)"),
    ("OS", 12.0, 0.885, "km_landmark", "Berdeja et al., Lancet 2021; ASH 2020 report"),
    ("OS", 18.0, 0.81, "km_landmark", "ASCO 2021 (Usmani), news-reported"),
    ("OS", 27.0, 0.70, "km_landmark", "Martin et al., JCO 2023; Legend Biotech 8-K exhibit"),
    ("OS", 36.0, 0.629, "km_landmark", "Lin et al., ASCO 2023"),
    ("OS", 60.7, 0.50, "km_median", "Jagannath et al., JCO 2025: median OS 60.7 months "
                                    "(95% CI 41.9 to not estimable)"),
]
CRUDE_PFS_COUNT = 32  # of 97, alive and progression-free at >= 60 months

WARNING = ("Approximate reconstruction from published CARTITUDE-1 summaries (landmarks, "
           "medians, follow-up); NOT the trial's patient-level data. Use for teaching and "
           "method testing, not for inference about cilta-cel.")


def _landmarks(endpoint):
    out = []
    for ep, t, s, kind, _ in PUBLISHED:
        if ep != endpoint:
            continue
        if kind == "km_median":
            out.append(Landmark(t, 0.5, "median"))
        elif kind == "km_landmark":
            out.append(Landmark(t, s, "km"))
        elif kind == "crude_proportion":
            # used as a count (see the module docstring): with no censoring before 60
            # months, KM(60) = 32/97 exactly
            out.append(Landmark(t, CRUDE_PFS_COUNT / N, "km"))
    return out


def _build(endpoint):
    return reconstruct_landmarks(_landmarks(endpoint), N, followup=WINDOW,
                                 tail_hazard=0.0 if endpoint == "PFS" else None,
                                 seed=SEEDS[endpoint], label=endpoint)


def _rounded(rec):
    t = np.round(rec.time, 3)
    o = np.lexsort((~rec.event, t))
    return t[o], rec.event[o]


def build():
    """(datasets {name: (time, event)}, provenance dict)."""
    data, checks = {}, {}
    for ep in ("PFS", "OS"):
        rec = _build(ep)
        t, e = _rounded(rec)
        name = f"cartitude1-{ep.lower()}-approx"
        data[name] = (t, e)
        km = kaplan_meier(t, e)
        rows = []
        for ep2, tt, s, kind, src in PUBLISHED:
            if ep2 != ep:
                continue
            row = {"time": tt, "published": s, "kind": kind, "source": src}
            if kind == "km_median":
                m = km.median().estimate
                row["reconstructed_median"] = None if m is None else round(float(m), 3)
            else:
                row["reconstructed_km"] = round(float(km.survival_at(tt)), 4)
                row["gap"] = round(row["reconstructed_km"] - s, 4)
            if kind == "crude_proportion":
                row["reconstructed_count"] = int(np.sum(t >= tt))
            rows.append(row)
        checks[name] = {
            "n": int(t.size), "events": int(e.sum()),
            "landmarks": rows,
            "median_time_on_study": round(float(np.median(t)), 2),
            "max_followup": float(t.max()),
            "median_followup_reverse_km": round(float(median_followup(t, e).estimate), 2),
        }
    prov = {
        "datasets": {
            "cartitude1-pfs-approx": {
                "file": "cartitude1-pfs-approx.csv.gz", "endpoint": "progression-free survival",
                "columns": {"time": "months from cilta-cel infusion",
                            "event": "1 = progression or death, 0 = censored"}},
            "cartitude1-os-approx": {
                "file": "cartitude1-os-approx.csv.gz", "endpoint": "overall survival",
                "columns": {"time": "months from cilta-cel infusion",
                            "event": "1 = death, 0 = censored"}},
        },
        "warning": WARNING,
        "trial": "CARTITUDE-1 (NCT03548207), phase 1b/2, ciltacabtagene autoleucel, 97 "
                 "patients with relapsed/refractory multiple myeloma",
        "time_unit": "months",
        "published": [{"endpoint": ep, "time_months": t, "survival": s, "kind": k,
                       "source": src} for ep, t, s, k, src in PUBLISHED],
        "method": {
            "algorithm": "remission.reconstruct.reconstruct_landmarks: constant hazard between "
                         "landmarks; per interval the whole number of events that brings the "
                         "Kaplan-Meier estimate closest to the landmark (for a median, the "
                         "fewest that bring it to 0.5, the last exactly at the median); "
                         "seeded choice of which patients have events",
            "n": N, "seeds": SEEDS,
            "followup_window_months": list(WINDOW),
            "followup_assumption": (
                "Potential follow-up spread evenly over 60.0-62.6 months: every patient can be "
                "followed 5 years (needed for 32/97 progression-free at >= 5 years) and the "
                "reverse-KM median follow-up is the published 61.3 months. The real accrual "
                "(about 15 months from July 2018) cannot be reconciled with both: a 15-month "
                "window centred on 61.3 (53.8-68.8) leaves ~40% of patients with < 60 months "
                "of potential follow-up, so at most ~27.5 (S(36) x 58) could be seen "
                "progression-free at 5 years, not 32; reading 61.3 as median time on study is "
                "impossible with a KM median OS of 60.7. The reconstructed follow-up therefore "
                "ends at 62.6 months, earlier than the trial's."),
            "crude_60_month_pfs": (
                "32/97 is a crude count, not a KM estimate. Reproduced as a count: exactly 32 "
                "patients progression-free with follow-up >= 60 months, none progressing later. "
                "With no censoring before 60 months (assumed: no early loss to follow-up) the "
                "reconstructed KM at 60 months equals 32/97 = 0.330; a true KM could be higher "
                "if patients were censored progression-free before 60 months."),
            "tails": "PFS: no events after 60 months. OS: after the median (60.7) the hazard "
                     "of the 36-60.7-month interval continues until censoring.",
            "landmark_timing": "Landmarks from earlier data cuts (2020-2023) are matched as "
                               "published, as if they came from the final (2025) cut.",
            "linkage": "PFS and OS are reconstructed separately; rows are not linked patients.",
        },
        "checks": checks,
        "generator": "python scripts/build_cartitude1.py",
    }
    return data, prov


def _gz_csv(t, e) -> bytes:
    text = "time,event\n" + "".join(f"{a:.3f},{int(b)}\n" for a, b in zip(t, e))
    buf = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buf, mtime=0) as f:
        f.write(text.encode())
    return buf.getvalue()


def check_published(path) -> None:
    """Fail if the embedded values differ from the published CSV (the test fixture)."""
    import pandas as pd
    df = pd.read_csv(path)
    got = {(r.endpoint, float(r.time_months)): (float(r.survival), r.kind) for r in df.itertuples()}
    mine = {(ep, t): (s, k) for ep, t, s, k, _ in PUBLISHED}
    if got != mine:
        raise SystemExit(f"embedded values differ from {path}")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", default=str(REPO / "src" / "remission" / "datasets"))
    ap.add_argument("--check", metavar="PUBLISHED.csv",
                    help="the published landmarks to compare the embedded values against "
                         "(tests/fixtures/cartitude1_published.csv)")
    a = ap.parse_args(argv)
    if a.check:
        check_published(a.check)
    data, prov = build()
    out = Path(a.out)
    out.mkdir(parents=True, exist_ok=True)
    for name, (t, e) in data.items():
        (out / f"{name}.csv.gz").write_bytes(_gz_csv(t, e))
    (out / "cartitude1_provenance.json").write_text(json.dumps(prov, indent=2) + "\n")
    for name, c in prov["checks"].items():
        print(name, json.dumps(c))
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())

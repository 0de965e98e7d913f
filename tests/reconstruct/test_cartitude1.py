"""The bundled CARTITUDE-1 approximate datasets reproduce what was published."""
import gzip
import importlib.util
import io
import json
import subprocess
import sys
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from remission.nonparametric.followup import median_followup
from remission.nonparametric.kaplan_meier import kaplan_meier

from ..bundled import FIXTURES

#: the build script lives in the repository (scripts/), not in the installed package
SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "build_cartitude1.py"
_spec = importlib.util.spec_from_file_location("build_cartitude1", SCRIPT)
b = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(b)

DATASETS = resources.files("remission") / "datasets"
#: the published landmarks, with their sources (see tests/fixtures/README.md)
PUBLISHED = FIXTURES / "cartitude1_published.csv"


def _load(name):
    with DATASETS.joinpath(f"{name}.csv.gz").open("rb") as f:
        return pd.read_csv(io.BytesIO(gzip.decompress(f.read())))


def _published():
    return pd.read_csv(PUBLISHED)


@pytest.mark.parametrize("endpoint", ["PFS", "OS"])
def test_landmarks_within_001_and_median_within_a_month(endpoint):
    df = _load(f"cartitude1-{endpoint.lower()}-approx")
    assert list(df.columns) == ["time", "event"] and len(df) == 97
    km = kaplan_meier(df.time.to_numpy(), df.event.to_numpy())
    pub = _published()
    pub = pub[pub.endpoint == endpoint]
    for row in pub.itertuples():
        if row.kind == "km_landmark":
            assert abs(km.survival_at(row.time_months) - row.survival) <= 0.01, row
        elif row.kind == "km_median":
            assert abs(km.median().estimate - row.time_months) <= 1.0
        elif row.kind == "crude_proportion":
            # a count, not a KM estimate: 32 of 97 progression-free with >= 60 months
            n_free = int(np.sum(df.time >= row.time_months))
            assert n_free == round(row.survival * 97) == 32
            assert not df.event[df.time > row.time_months].any()


def test_followup_matches_published_median():
    df = _load("cartitude1-os-approx")
    # published to 0.1 month, so the reconstruction must round to it (it gives 61.33)
    assert median_followup(df.time.to_numpy(), df.event.to_numpy()).estimate == \
        pytest.approx(61.3, abs=0.05)
    assert df.time[df.event == 0].min() >= 60  # everyone can be followed five years


def test_embedded_values_match_the_published_file():
    b.check_published(PUBLISHED)


def test_check_refuses_a_different_published_file(tmp_path):
    changed = _published()
    changed.loc[0, "survival"] += 0.001
    changed.to_csv(tmp_path / "pub.csv", index=False)
    with pytest.raises(SystemExit, match="differ"):
        b.check_published(tmp_path / "pub.csv")


def test_script_runs_as_a_command_with_check(tmp_path):
    r = subprocess.run([sys.executable, str(SCRIPT), "--out", str(tmp_path), "--check",
                        str(PUBLISHED)], capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "cartitude1_provenance.json").read_bytes() == \
        DATASETS.joinpath("cartitude1_provenance.json").read_bytes()


def test_provenance_says_it_is_a_reconstruction():
    prov = json.loads(DATASETS.joinpath("cartitude1_provenance.json").read_text())
    assert "NOT the trial's patient-level data" in prov["warning"]
    assert set(prov["datasets"]) == {"cartitude1-pfs-approx", "cartitude1-os-approx"}
    assert prov["time_unit"] == "months"
    assert "crude" in prov["method"]["crude_60_month_pfs"]


def test_generator_is_deterministic_and_files_are_current(tmp_path):
    assert b.main(["--out", str(tmp_path)]) == 0
    for name in ("cartitude1-pfs-approx.csv.gz", "cartitude1-os-approx.csv.gz",
                 "cartitude1_provenance.json"):
        assert (tmp_path / name).read_bytes() == DATASETS.joinpath(name).read_bytes(), name


def test_load_example():
    from remission.datasets import list_examples, load_example

    d = load_example("cartitude1-pfs-approx")
    names = {e.name if hasattr(e, "name") else e[0] for e in list_examples()}
    assert {"cartitude1-pfs-approx", "cartitude1-os-approx"} <= names
    assert d.n == 97

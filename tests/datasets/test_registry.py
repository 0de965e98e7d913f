"""The bundled dataset registry: every dataset loads, matches the shared copy, and says
where it comes from."""
import gzip
import json
from pathlib import Path

import pytest

from remission.datasets import (example_path, get_example, list_examples, load_example,
                                read_example)
from remission.errors import OptionError

SHARED = Path(__file__).resolve().parents[3] / "shared"
COPIES = {"lung": "lung.csv", "veteran": "veteran.csv", "ovarian": "ovarian.csv",
          "myeloma": "myeloma.csv", "alloauto": "alloauto.csv", "bmt": "bmt.csv",
          "us-lifetable": "us_lifetable_1940_2014.csv"}


def test_records_have_name_description_source():
    names = [e.name for e in list_examples()]
    assert names == sorted(names) and len(set(names)) == len(names)
    assert set(COPIES) | {"cartitude1-pfs-approx", "cartitude1-os-approx"} == set(names)
    for e in list_examples():
        assert e.description and e.source
    assert "R package survival" in get_example("lung").source
    assert "KMsurv" in get_example("alloauto").source
    assert get_example("cartitude1-pfs-approx").description == (
        "CARTITUDE-1 (cilta-cel, 97 patients, relapsed/refractory myeloma) progression-free "
        "survival, APPROXIMATE reconstruction from published landmarks, not trial data")
    assert get_example("cartitude1-os-approx").source.startswith(
        "Reconstructed by scripts/build_cartitude1.py from Berdeja et al.")


@pytest.mark.parametrize("name,file", sorted(COPIES.items()))
def test_copies_are_byte_identical_to_shared(name, file):
    if not (SHARED / "data" / file).exists():
        pytest.skip("shared/data not available")
    with example_path(name).open("rb") as f:
        assert gzip.decompress(f.read()) == (SHARED / "data" / file).read_bytes()


@pytest.mark.parametrize("name,n,events,unit,groups", [
    ("lung", 228, 165, "days", ["1", "2"]), ("veteran", 137, 128, "days", ["1", "2"]),
    ("ovarian", 26, 12, "days", ["1", "2"]), ("myeloma", 3882, 2769, "days", []),
    ("alloauto", 101, 50, "months", ["1", "2"]), ("bmt", 137, 83, "days", ["1", "2", "3"]),
    ("cartitude1-pfs-approx", 97, None, "months", []),
    ("cartitude1-os-approx", 97, None, "months", [])])
def test_load_example_defaults(name, n, events, unit, groups):
    d = load_example(name)
    assert d.n == n and d.time_unit == unit and d.group_levels() == groups
    if events is not None:
        assert d.n_events == events
    assert len(read_example(name)) == n


def test_load_example_options_override():
    d = load_example("lung", group=None, output_unit="months")
    assert d.group is None and d.time_unit == "months"
    assert d.time.max() == pytest.approx(1022 / (365.25 / 12))
    assert load_example("myeloma", entry="entry").entry is not None


def test_ovarian_median_is_638_as_in_the_package_docstring():
    import remission as rm

    assert round(rm.kaplan_meier(rm.load_example("ovarian")).median().estimate) == 638


def test_lifetable_is_not_survival_data_but_background_still_loads():
    with pytest.raises(OptionError, match="read_example"):
        load_example("us-lifetable")
    assert list(read_example("us-lifetable").columns) == ["age", "sex", "year", "hazard_per_day"]
    from remission.models.background import LifeTable

    assert LifeTable.us() is not None


def test_unknown_name_lists_all():
    with pytest.raises(OptionError) as e:
        load_example("nope")
    for n in ("lung", "cartitude1-os-approx", "us-lifetable"):
        assert n in str(e.value)


def test_provenance_names_the_registered_cartitude_sets():
    prov = json.loads(example_path("cartitude1-pfs-approx").parent.joinpath(
        "cartitude1_provenance.json").read_text())
    assert set(prov["datasets"]) <= {e.name for e in list_examples()}

"""The bundled dataset registry: every dataset loads, is the original file, and says where it
comes from."""
import gzip
import hashlib
import json

import pytest

from remission.datasets import (example_path, get_example, list_examples, load_example,
                                read_example)
from remission.errors import OptionError

#: SHA-256 of the original CSV files the bundled ``.csv.gz`` files decompress to.  Computed on
#: 2026-12-02 from the project's source copies (R ``survival`` 3.5.3's lung, veteran, ovarian,
#: myeloma and survexp.us; ``KMsurv``'s alloauto and bmt, written as CSV), the same files on
#: which the R reference fixtures in tests/fixtures/r_survival were computed.  A change to a
#: bundled file must fail here: the R fixtures would no longer describe it.
SHA256 = {
    "alloauto": "df052e5eabf9b32a3007a4d5dff020da705132f91f590fb60c1d528ab10da81f",
    "bmt": "858547a39d7a31091c1c90fca05ecda73c0d9317a543ffe6b47a40f666a729b8",
    "lung": "bfdc088d610b0225cb3a297da9de5701a36a912f608ea69afb52e4267be12a3d",
    "myeloma": "3dab486f404606f7a6d3aa8924164dc751f1c34841e98f1e3db3d0bea04b9628",
    "ovarian": "826c318cd1d0bbcb3f1e0eaa9554a22dd828dec53fabf54e1cd672e86a813e0f",
    "us-lifetable": "28d5b721681e10d4bc0e96d7f4e5b40c5add4bb1870edc895652611666be1ee2",
    "veteran": "313250dbd6c2684d536a5f5923a354bba7a1162c63503876b3d8538f1d5df5ab",
}
COPIES = sorted(SHA256)  # the bundled copies of original files (not the reconstructions)


def test_records_have_name_description_source():
    names = [e.name for e in list_examples()]
    assert names == sorted(names) and len(set(names)) == len(names)
    assert set(COPIES) | {"cartitude1-pfs-approx", "cartitude1-os-approx", "bmt-cr",
                          "cartitude1-pfs-cr-approx", "mgus2-cr"} == set(names)
    for e in list_examples():
        assert e.description and e.source
    assert "R package survival" in get_example("lung").source
    assert "KMsurv" in get_example("alloauto").source
    assert get_example("cartitude1-pfs-approx").description == (
        "CARTITUDE-1 (cilta-cel, 97 patients, relapsed/refractory myeloma) progression-free "
        "survival, APPROXIMATE reconstruction from published landmarks, not trial data")
    assert get_example("cartitude1-os-approx").source.startswith(
        "Reconstructed by scripts/build_cartitude1.py from Berdeja et al.")


@pytest.mark.parametrize("name", COPIES)
def test_copies_are_the_original_files(name):
    with example_path(name).open("rb") as f:
        assert hashlib.sha256(gzip.decompress(f.read())).hexdigest() == SHA256[name]


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
